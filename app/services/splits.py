"""The split detector (第九条: 不得将政务大数据项目变相包装或纳入其他项目进行建设).

A project cut into pieces to stay under an approval threshold, or the same project entered again by another
department or in another year, shows as findings for the reviewer who decides (at review, in `govdata show`, on
the approval form). The detector lists; it never refuses: the reviewer answers 第九条 "不存在变相包装" in the
review, and that answer is what the approval is judged on.

Looks at the projects of the same year and two years either side, in every department:
- similar names or contents (the same project in two departments, or again next year);
- an amount just under an approval threshold (90 %–100 % of it);
- several similar projects, each under a threshold, that together reach it (1.2 M cut into three 400 k).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.money import format_yuan
from app.models import Department, Project
from app.services.master import county_settings
from app.storage.database import UnitOfWork

YEARS_AROUND = 2
SIMILAR = 0.6  # name or content similarity that makes two projects look like one
SAME_PLACE_SIMILAR = 0.4  # content similarity enough within one department, year and category
JUST_BELOW = 0.9  # an amount at 90 %–100 % of a threshold
_TEXT = 300  # characters of the content compared (long contents cost time and add nothing)


@dataclass(frozen=True)
class SplitFinding:
    kind: str  # similar just_below adds_up
    code: str  # the other project (the project itself for just_below)
    name: str
    reason: str
    codes: tuple[str, ...] = ()  # every project of an adds_up group, this one first

    def as_dict(self) -> dict:
        return {"kind": self.kind, "code": self.code, "name": self.name, "reason": self.reason,
                "codes": list(self.codes)}


@dataclass(frozen=True)
class _Row:
    id: int
    code: str
    name: str
    content: str
    department_id: int
    department: str
    year: int
    category: str
    total_fen: int


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < SAME_PLACE_SIMILAR or m.quick_ratio() < SAME_PLACE_SIMILAR:
        return 0.0  # an upper bound below the lowest threshold: no need for the exact ratio
    return m.ratio()


def _rows(uow: UnitOfWork, p: Project) -> list[_Row]:
    stmt = (select(Project.id, Project.code, Project.name, Project.content, Project.department_id, Department.name,
                   Project.year, Project.category, Project.total_fen)
            .join(Department, Department.id == Project.department_id)
            .where(Project.year.between(p.year - YEARS_AROUND, p.year + YEARS_AROUND), Project.id != p.id,
                   Project.status.not_in(("withdrawn", "rejected")))
            .order_by(Project.year, Project.code))
    return [_Row(r[0], r[1], r[2], (r[3] or "")[:_TEXT], r[4], r[5], r[6], r[7], int(r[8] or 0))
            for r in uow.session.execute(stmt)]


def split_findings(uow: UnitOfWork, p: Project) -> list[SplitFinding]:
    """Possible split or disguised projects around `p` (the caller has checked that the actor may read p)."""
    me = _Row(p.id, p.code, p.name, (p.content or "")[:_TEXT], p.department_id, p.department.name, p.year,
              p.category, p.total_fen)
    found: list[SplitFinding] = []
    alike: list[_Row] = []
    for o in _rows(uow, p):
        name_ratio = _ratio(me.name, o.name)
        content_ratio = _ratio(me.content, o.content)
        same_place = o.department_id == me.department_id and o.year == me.year and o.category == me.category
        if name_ratio >= SIMILAR or content_ratio >= SIMILAR or (same_place and content_ratio >= SAME_PLACE_SIMILAR):
            alike.append(o)
            where = [("同一单位" if o.department_id == me.department_id else f"另一单位（{o.department}）"),
                     ("同一年度" if o.year == me.year else f"{o.year}年度")]
            found.append(SplitFinding("similar", o.code, o.name,
                                      f"{'、'.join(where)}的项目名称相似度{name_ratio:.0%}、内容相似度"
                                      f"{content_ratio:.0%}，可能重复建设或变相包装"))
    thresholds = sorted(county_settings(uow).approval_thresholds_fen)
    for t in thresholds:
        if t * JUST_BELOW <= me.total_fen < t:
            found.append(SplitFinding("just_below", me.code, me.name,
                                      f"总投资{format_yuan(me.total_fen)}元略低于审批限额{format_yuan(t)}元"))
    for t in reversed(thresholds):  # the largest threshold the pieces reach together
        if me.total_fen >= t:
            continue
        pieces = [o for o in alike if o.total_fen < t]
        total = me.total_fen + sum(o.total_fen for o in pieces)
        if pieces and total >= t:
            names = "、".join(f"{o.code}（{format_yuan(o.total_fen)}元）" for o in pieces)
            found.append(SplitFinding("adds_up", pieces[0].code, pieces[0].name,
                                      f"本项目{format_yuan(me.total_fen)}元与相似项目{names}合计{format_yuan(total)}元，"
                                      f"达到审批限额{format_yuan(t)}元，而每个项目都低于该限额：可能将一个项目拆分建设",
                                      (me.code,) + tuple(o.code for o in pieces)))
            break
    return found


def describe(findings: list[SplitFinding]) -> list[str]:
    """One Chinese line per finding, for a warning, the command line and the approval form."""
    return [f"疑似拆分或变相包装（第九条）：{f.code} {f.name}：{f.reason}" if f.kind != "just_below"
            else f"疑似拆分或变相包装（第九条）：{f.reason}" for f in findings]

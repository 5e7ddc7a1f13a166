"""第十一条 for every budget: O&M budgets and a project's later-year budgets are publicised too, each budget once,
with its real amount; the lines of a notice (for the printed notice) name each budget's year, kind and source.

A project's first publicity is the lifecycle's `publicize` action (it moves the project to 已公示); this module
publicises the budgets decided afterwards (运维经费, the next years of a multi-year project)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.inputs import check_date, check_year, optional_text
from app.domain.money import format_yuan
from app.domain.vocabulary import BUDGET_KINDS, FUNDING_SOURCES, UNSPLIT_SOURCE
from app.errors import InputError, NotFoundError
from app.models import Budget, Department, Project, Publicity, PublicityItem
from app.services.lifecycle import publicity_for
from app.services.permissions import can, require
from app.storage.database import UnitOfWork

FIRST_PUBLICITY = ("approved", "budgeted")  # publicised by the lifecycle action, which moves the project on
ENDED = ("rejected", "withdrawn", "terminated")


@dataclass(frozen=True)
class BudgetNoticeView:
    id: int  # the budget
    code: str
    name: str
    department: str
    year: int
    kind_label: str
    source_label: str
    amount_fen: int
    doc_no: str | None
    set_on: dt.date
    publicity_id: int | None
    notice: str  # the notice's 文号, or 未公示
    state: str  # 已公示 / 待公示 / 随项目公示 (waits for the project's first publicity)


def _state(b: Budget, status: str) -> str:
    if b.publicity_id is not None:
        return "已公示"
    return "随项目首次公示" if status in FIRST_PUBLICITY else "待公示"


def list_budget_notices(uow: UnitOfWork, year: int | None = None) -> list[BudgetNoticeView]:
    """Every budget and the notice that publicised it."""
    require(uow.actor, "project.read", action="budget_notice.list")
    stmt = (select(Budget, Project, Department.name, Publicity).join(Project, Budget.project_id == Project.id)
            .join(Department, Project.department_id == Department.id)
            .outerjoin(Publicity, Budget.publicity_id == Publicity.id)
            .order_by(Budget.year.desc(), Budget.publicity_id.is_not(None), Project.code, Budget.id))
    if year is not None:
        stmt = stmt.where(Budget.year == year)
    if not can(uow.actor, "project.read_all"):
        stmt = stmt.where(Project.department_id == uow.actor.department_id)
    return [BudgetNoticeView(b.id, p.code, p.name, dept, b.year, BUDGET_KINDS.get(b.kind, b.kind),
                             FUNDING_SOURCES.get(b.source or "", UNSPLIT_SOURCE), b.amount_fen, b.doc_no, b.set_on,
                             b.publicity_id, (pub.doc_no or pub.title) if pub else "未公示", _state(b, p.status))
            for b, p, dept, pub in uow.session.execute(stmt).unique()]


@dataclass(frozen=True)
class PublicizedBudgets:
    publicity_id: int
    doc_no: str | None
    start_on: dt.date
    end_on: dt.date
    budgets: int
    projects: int
    amount_fen: int


def publicize_budgets(uow: UnitOfWork, *, year: object, start_on: object, end_on: object = None,
                      contact: str | None = None, phone: str | None = None) -> PublicizedBudgets:
    """Publicise the year's budgets not yet publicised (第十一条: 预算确定后公示): O&M budgets and later-year budgets
    of projects already past their first publicity. Each project's line in the notice carries the sum of its
    budgets in this notice."""
    y = check_year(year, "预算年度")
    require(uow.actor, "publicize", action="budget_notice.publicize", object_id=y)
    start = check_date(start_on, "公示开始日期", not_after=dt.date.today())
    end = check_date(end_on, "公示结束日期") if end_on not in (None, "") else None
    if end is not None and end < start:
        raise InputError("公示结束日期不能早于开始日期")
    rows = uow.session.execute(select(Budget, Project).join(Project, Budget.project_id == Project.id).where(
        Budget.year == y, Budget.publicity_id.is_(None), Project.status.not_in(FIRST_PUBLICITY + ENDED))
        .order_by(Project.code, Budget.id)).all()
    if not rows:
        raise InputError(f"{y}年度没有待公示的预算（尚未公示过的项目请在项目页办理“公示资金拟分配计划”）")
    late = [f"{p.code}（{b.set_on}确定）" for b, p in rows if b.set_on > start]
    if late:
        raise InputError(f"公示开始日期{start}早于预算确定日期：{'、'.join(late)}")
    pub = publicity_for(uow, y, start, end, optional_text(contact, "联系人", 50), optional_text(phone, "联系电话", 30))
    sums: dict[int, int] = {}
    for b, p in rows:
        b.publicity_id = pub.id
        sums[p.id] = sums.get(p.id, 0) + b.amount_fen
    for project_id, amount in sums.items():
        item = uow.session.scalar(select(PublicityItem).where(PublicityItem.publicity_id == pub.id,
                                                              PublicityItem.project_id == project_id))
        if item is None:
            uow.session.add(PublicityItem(publicity_id=pub.id, project_id=project_id, amount_fen=amount))
        else:
            item.amount_fen += amount
    uow.session.flush()
    total = sum(sums.values())
    uow.audit("budget_notice.publicize", "publicity", pub.id, {"after": {
        "year": y, "doc_no": pub.doc_no, "start_on": start, "end_on": pub.end_on, "budgets": [b.id for b, _ in rows],
        "amount": format_yuan(total)}})
    return PublicizedBudgets(pub.id, pub.doc_no, pub.start_on, pub.end_on, len(rows), len(sums), total)


@dataclass(frozen=True)
class NoticeLine:
    """One line of a publicity notice: a budget (year, kind, source) of a project, with its amount."""

    code: str
    name: str
    department: str
    category: str
    budget_year: int | None
    kind_label: str
    source_label: str
    amount_fen: int


def publicity_lines(uow: UnitOfWork, publicity_id: int) -> list[NoticeLine]:
    """The lines of a notice for the printed 公示 (app.services.forms): each publicised budget; a project listed
    before budgets were linked to their notice shows its line amount."""
    require(uow.actor, "project.read", action="publicity.lines", object_id=publicity_id)
    if uow.session.get(Publicity, publicity_id) is None:
        raise NotFoundError(f"没有这次公示：{publicity_id}")
    lines = []
    linked: set[int] = set()
    for b, p in uow.session.execute(select(Budget, Project).join(Project, Budget.project_id == Project.id).where(
            Budget.publicity_id == publicity_id).order_by(Project.code, Budget.year, Budget.id)).unique():
        linked.add(p.id)
        lines.append(NoticeLine(p.code, p.name, p.department.name, p.category, b.year,
                                BUDGET_KINDS.get(b.kind, b.kind), FUNDING_SOURCES.get(b.source or "", UNSPLIT_SOURCE),
                                b.amount_fen))
    for item, p in uow.session.execute(select(PublicityItem, Project).join(
            Project, PublicityItem.project_id == Project.id).where(PublicityItem.publicity_id == publicity_id)
            .order_by(Project.code)).unique():
        if p.id not in linked:
            lines.append(NoticeLine(p.code, p.name, p.department.name, p.category, None, BUDGET_KINDS["construction"],
                                    UNSPLIT_SOURCE, item.amount_fen))
    return sorted(lines, key=lambda n: (n.code, n.budget_year or 0))

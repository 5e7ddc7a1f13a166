"""Document numbers (文号) and project codes from sequences per pattern and year: no gap, no duplicate.

The increment is one UPDATE in the caller's transaction, so a rolled-back action gives its number back and two
writers never get the same one (SQLite: the write lock; PostgreSQL: the row lock of the UPDATE).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.numberformat import format_number, sequence_of
from app.errors import InputError, RuleViolation
from app.models import IssuedNumber, NumberSequence
from app.services import audit
from app.services.master import get_settings
from app.services.permissions import require
from app.storage.database import UnitOfWork


def _advance(uow: UnitOfWork, key: str, year: int, n: int) -> int:
    """Add n to the sequence in one UPDATE (creating it on first use) and return its new last value."""
    s = uow.session
    for _ in range(3):
        result = s.execute(
            update(NumberSequence)
            .where(NumberSequence.key == key, NumberSequence.year == year)
            .values(last_value=NumberSequence.last_value + n)
            .returning(NumberSequence.last_value)
        ).scalar()
        if result is not None:
            return int(result)
        try:
            with s.begin_nested():
                s.add(NumberSequence(key=key, year=year, last_value=0))
                s.flush()
        except IntegrityError:
            pass  # another writer created it first; loop and increment
    raise RuntimeError("could not create the number sequence")


def issue_numbers(uow: UnitOfWork, key: str, year: int, n: int, purpose: str | None = None) -> list[str]:
    """Issue the next n numbers of pattern `key` ('approval', 'project', ...) for `year`, consecutively."""
    settings = get_settings(uow)
    pattern, seq_key = sequence_of(settings, key)  # kinds that share one pattern share one sequence
    if n <= 0:
        return []
    first = _advance(uow, seq_key, year, n) - n + 1
    numbers = [format_number(pattern, settings["doc_prefix"], year, seq) for seq in range(first, first + n)]
    uow.session.execute(insert(IssuedNumber), [
        {"key": seq_key, "year": year, "seq": seq, "number": number, "purpose": purpose}
        for seq, number in zip(range(first, first + n), numbers, strict=True)])
    return numbers


def issue_number(uow: UnitOfWork, key: str, year: int, purpose: str | None = None) -> str:
    """Issue the next number of pattern `key` for `year`."""
    return issue_numbers(uow, key, year, 1, purpose)[0]


def register_external_number(uow: UnitOfWork, key: str, year: int, number: str, purpose: str | None) -> str:
    """A number typed by hand (issued outside the program): checked against the pattern of `key` and the year of the
    act (第八条), refused if it was already used. Returns the number as stored."""
    number = check_doc_no(uow, key, number, year)
    taken = uow.session.scalar(select(IssuedNumber).where(IssuedNumber.number == number))
    if taken is not None:
        raise RuleViolation("第八条", f"文号已被使用：{number}（{taken.purpose or ''}），一个文号只能用于一份文件")
    seq = _advance(uow, "external", year, 1)
    uow.session.add(IssuedNumber(key="external", year=year, seq=seq, number=number, purpose=f"{key}: {purpose or ''}"))
    uow.session.flush()
    return number


# ---------------------------------------------------------------- the form of a 文号 (第八条; GB/T 9704-2012 7.2.4)

_FIELD = re.compile(r"\{(prefix|year|seq)(?::0?(\d+)d)?\}")
# a 文号 in general: 发文机关代字〔年份〕序号号 — the year in 六角括号, the number without padding (不编虚位)
_GENERAL = re.compile(r"[^\s〔〕\[\]【】()（）]+〔(\d{4})〕([1-9]\d*)号")


def _pattern_regex(pattern: str, prefix: str) -> re.Pattern[str]:
    out, pos = [], 0
    for m in _FIELD.finditer(pattern):
        out.append(re.escape(pattern[pos:m.start()]))
        name, width = m.group(1), m.group(2)
        if name == "prefix":
            out.append(re.escape(prefix))
        elif name == "year":
            out.append(r"(?P<year>\d{4})")
        else:
            out.append(rf"(?P<seq>\d{{{width}}})" if width else r"(?P<seq>[1-9]\d*)")
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("".join(out))


def _why_not(number: str) -> str:
    reasons = []
    if re.search(r"[\[\]【】()（）]", number) or "〔" not in number:
        reasons.append("年份应使用六角括号〔〕（U+3014、U+3015），不用[]、【】或圆括号")
    if re.search(r"[〔\]】)）]\s*0\d*\s*号", number) or re.search(r"[〕\]】)）]0\d", number):
        reasons.append("序号不编虚位（写作5，不写作05）")
    if re.search(r"\s", number):
        reasons.append("文号中不应有空格")
    return "；".join(reasons)


def check_doc_no(uow: UnitOfWork, key: str | None, number: str, year: int | None = None) -> str:
    """A 文号 typed by hand, checked against the setting's pattern for `key` (or, for another body's number, the
    general form 代字〔年份〕序号号), and its year against the year of the act. Returns it stripped."""
    text = str(number).strip()
    settings = get_settings(uow)
    pattern = settings.get(f"pattern.{key}") if key else None
    if pattern and "〔" in pattern:
        rx = _pattern_regex(pattern, settings["doc_prefix"])
        example = format_number(pattern, settings["doc_prefix"], year or 2026, 5)
    else:
        rx, example = _GENERAL, f"{settings['doc_prefix']}〔{year or 2026}〕5号"
    m = rx.fullmatch(text)
    if m is None:
        why = _why_not(text)
        raise RuleViolation("第八条", f"文号“{text}”不符合格式，应如“{example}”" + (f"：{why}" if why else ""))
    found = int(m.group("year") if "year" in rx.groupindex else m.group(1))
    if year is not None and found != year:
        raise RuleViolation("第八条", f"文号“{text}”的年份{found}与发文日期的年份{year}不一致")
    return text


# ---------------------------------------------------------------- the register of numbers issued

SEQUENCE_LABELS = {"approval": "主管部门发文（立项批复、整改通知、公示等）", "review": "技术审核意见", "project": "项目编号",
                   "form": "表单编号", "external": "手工录入的文号"}
DOC_SEQUENCES = ("approval", "review", "rectification", "publicity", "external")  # 文号, not codes or serials


@dataclass(frozen=True)
class NumberView:
    number: str
    kind: str  # the sequence it came from (shared patterns share one sequence)
    kind_label: str
    year: int
    seq: int
    purpose: str | None


def list_numbers(uow: UnitOfWork, year: int | None = None, kind: str | None = None) -> list[NumberView]:
    """The register of numbers issued (第八条: no gap, no duplicate): the 文号 by default; `kind` names one
    sequence (approval review rectification publicity project form external)."""
    require(uow.actor, "project.read")
    if kind is not None and kind not in SEQUENCE_LABELS and kind not in ("rectification", "publicity"):
        raise InputError(f"没有这一类编号：{kind}（可选：{'、'.join(SEQUENCE_LABELS)}）")
    stmt = select(IssuedNumber).order_by(IssuedNumber.year, IssuedNumber.key, IssuedNumber.seq)
    if year is not None:
        stmt = stmt.where(IssuedNumber.year == year)
    keys = (kind,) if kind else DOC_SEQUENCES
    stmt = stmt.where(IssuedNumber.key.in_(keys))
    return [NumberView(n.number, n.key, SEQUENCE_LABELS.get(n.key, n.key), n.year, n.seq, n.purpose)
            for n in uow.session.scalars(stmt)]


def export_numbers(uow: UnitOfWork, path: str | Path, year: int | None = None) -> int:
    """The register of 文号 to Excel (the caller commits: the export leaves an audit record)."""
    require(uow.actor, "export")
    rows = list_numbers(uow, year=year)
    audit.write_sheet(path, "文号登记簿", ("序号", "文号", "序列", "年度", "顺序号", "用途"),
                      ([i, n.number, n.kind_label, n.year, n.seq, n.purpose] for i, n in enumerate(rows, start=1)),
                      (6, 26, 30, 8, 8, 50))
    uow.audit("numbers.export", "issued_number", None, {"file": str(path), "count": len(rows), "year": year})
    return len(rows)

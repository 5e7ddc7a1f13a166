"""The working-day calendar as the office keeps it (第十五条 contract filing, 第十一条 publicity): its own
entries first (next year's holidays, adjusted working days, entered by hand or imported from a sheet), then the
`chinesecalendar` package, then Monday to Friday marked provisional. The arithmetic is app.domain.workdays."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.inputs import check_date, check_int, optional_text
from app.domain.workdays import Deadline, add_workdays, year_is_known
from app.errors import ImportRefused
from app.models import HolidayOverride
from app.services.master import get_setting
from app.services.permissions import require
from app.storage.database import UnitOfWork

# ---------------------------------------------------------------- the office's own days


def holiday_overrides(uow: UnitOfWork) -> dict[dt.date, bool]:
    return {h.day: h.is_workday for h in uow.session.scalars(select(HolidayOverride))}


def set_holiday(uow: UnitOfWork, day: dt.date, is_workday: bool, note: str | None = None) -> None:
    """Enter a day of the office's own calendar (next year's holidays, an adjusted working day)."""
    require(uow.actor, "master.edit")
    day = check_date(day, "日期")
    note = optional_text(note, "说明", 100)
    row = uow.session.get(HolidayOverride, day)
    before = None if row is None else row.is_workday
    if row is None:
        uow.session.add(HolidayOverride(day=day, is_workday=is_workday, note=note))
    else:
        row.is_workday, row.note = is_workday, note
    uow.audit("calendar.set", "holiday", day.isoformat(), {"before": before, "after": is_workday, "note": note})


# ---------------------------------------------------------------- deadlines

MAX_DEADLINE_WORKDAYS = 1000  # about four years of working days: more than any period the measure sets


def deadline_after(uow: UnitOfWork, start: dt.date, workdays: int) -> Deadline:
    start = check_date(start, "起算日期")
    workdays = check_int(workdays, "工作日数", 0, MAX_DEADLINE_WORKDAYS)
    return add_workdays(start, workdays, holiday_overrides(uow))


def contract_filing_due(uow: UnitOfWork, signed_on: dt.date) -> Deadline:
    return deadline_after(uow, signed_on, int(get_setting(uow, "contract_filing_workdays")))


def missing_holiday_years(uow: UnitOfWork, years: range | list[int]) -> list[int]:
    """Years for which neither the office nor the package knows the holidays (shown as a warning on screen)."""
    overrides = holiday_overrides(uow)
    return [y for y in years if not year_is_known(y, overrides)]


# ---------------------------------------------------------------- importing a year's holidays

WORK_WORDS = ("工作日", "上班", "调休上班", "补班", "workday")
REST_WORDS = ("休息日", "节假日", "假日", "放假", "休息", "holiday")


@dataclass(frozen=True)
class HolidayImport:
    days: int
    workdays: int
    holidays: int


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-")
    text = text.replace("日", "")
    try:
        y, m, d = (int(x) for x in text.split("-"))
        return dt.date(y, m, d)
    except (ValueError, TypeError):
        return None


def read_holiday_sheet(path: str | os.PathLike[str]) -> list[tuple[dt.date, bool, str | None]]:
    """Rows of 日期 | 类型 (工作日/调休上班 or 休息日/节假日) | 说明, after a header row. All-or-nothing."""
    # the Excel readers only when a sheet is read: every deadline computation imports this module
    from app.excel.sniff import sniff  # the Excel readers only when a sheet is read
    from app.excel.summary import CellError
    from app.excel.workbook import load_sheet, open_book, sheet_names

    sniffed = sniff(path)
    book = open_book(sniffed)
    name = next(n for n, hidden in sheet_names(book) if not hidden)
    sheet = load_sheet(book, sniffed, name)
    out, errors = [], []
    for i, row in enumerate(sheet.rows, 1):
        cells = [c for c in row] + [None, None, None]
        first = str(cells[0] or "").strip()
        if not first or first in ("日期", "date"):
            continue
        day = _date(cells[0])
        if day is None:
            errors.append(CellError(name, i, "日期", f"无法识别的日期：{first}"))
            continue
        kind = str(cells[1] or "").strip()
        if any(w in kind for w in WORK_WORDS):
            work = True
        elif any(w in kind for w in REST_WORDS):
            work = False
        else:
            errors.append(CellError(name, i, "类型", f"类型应为“工作日/调休上班”或“休息日/节假日”：{kind or '（空）'}"))
            continue
        out.append((day, work, (str(cells[2]).strip() or None) if cells[2] is not None else None))
    if errors:
        raise ImportRefused(f"节假日表有 {len(errors)} 处错误，未导入任何内容", errors)
    return out


def import_holidays(uow: UnitOfWork, path: str | os.PathLike[str]) -> HolidayImport:
    rows = read_holiday_sheet(path)
    for day, work, note in rows:
        set_holiday(uow, day, work, note)
    return HolidayImport(len(rows), sum(1 for _, w, _ in rows if w), sum(1 for _, w, _ in rows if not w))

"""The working-day calendar as the office keeps it (第十五条 contract filing, 第十一条 publicity): its own
entries first (next year's holidays, adjusted working days, entered by hand or imported from a sheet), then the
`chinesecalendar` package, then Monday to Friday — exact for a year whose holiday list the office has declared
complete (`declare_year_complete`, `govdata calendar complete YEAR`), otherwise marked provisional with a warning.
The arithmetic is app.domain.workdays."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.inputs import check_date, check_int, check_year, optional_text
from app.domain.workdays import Deadline, OfficeDays, add_workdays, package_covers, year_is_known
from app.errors import ImportRefused, InputError
from app.models import HolidayOverride, HolidayYear
from app.services import clock
from app.services.master import get_setting
from app.services.permissions import require
from app.storage.database import UnitOfWork

# ---------------------------------------------------------------- the office's own days


def holiday_overrides(uow: UnitOfWork) -> OfficeDays:
    """The office's entries, with the years it declared complete (a dict of date → working day)."""
    complete = frozenset(uow.session.scalars(select(HolidayYear.year).where(HolidayYear.complete.is_(True))))
    return OfficeDays({h.day: h.is_workday for h in uow.session.scalars(select(HolidayOverride))}, complete)


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


# ---------------------------------------------------------------- a year's holiday list, complete or not


# holidays every year's State Council list has, with the days they can fall on: a list without them is not whole
_ALWAYS_OFF = (("春节", (1, 20), (2, 28)), ("国庆节", (10, 1), (10, 8)))


def declare_year_complete(uow: UnitOfWork, year: int, complete: bool = True, note: str | None = None) -> None:
    """The office says it has entered the whole of a year's holiday list (the State Council's 放假安排), so the
    year's other days follow Monday to Friday without a warning (第十五条). `complete=False` takes it back."""
    require(uow.actor, "master.edit")
    year = check_year(year)
    note = optional_text(note, "说明", 200)
    row = uow.session.get(HolidayYear, year)
    entries = {d: work for d, work in holiday_overrides(uow).items() if d.year == year}
    if complete:
        if package_covers(year):
            raise InputError(f"内置日历已包含{year}年的法定节假日安排，无需声明")
        if not any(not work for work in entries.values()):
            raise InputError(f"{year}年尚未录入任何法定节假日，不能声明节假日安排已完整"
                             "（请先在“基础数据—节假日”录入或导入国务院办公厅的放假安排）")
        missing = [name for name, first, last in _ALWAYS_OFF
                   if not any(not work and first <= (d.month, d.day) <= last for d, work in entries.items())]
        if missing:
            raise InputError(f"{year}年录入的节假日中没有{'、'.join(missing)}的休息日，放假安排尚不完整，不能声明完整"
                             "（第十五条：期限按工作日计算；请先录入国务院办公厅的全年放假安排）")
    before = None if row is None else row.complete
    if row is None:
        row = HolidayYear(year=year, complete=complete, declared_on=clock.today(), declared_by=uow.actor.username,
                          note=note)
        uow.session.add(row)
    else:
        row.complete, row.declared_on, row.declared_by, row.note = complete, clock.today(), uow.actor.username, note
    uow.audit("calendar.complete", "holiday_year", year, {"before": before, "after": complete, "note": note,
                                                          "entries": len(entries)})


@dataclass(frozen=True)
class YearStatus:
    year: int
    known: bool
    source: str  # 内置日历 / 本单位已声明完整 / 未完整（按周一至周五暂算）
    holidays: int  # the office's entries for the year: days off, working days
    workdays: int
    declared_on: dt.date | None
    declared_by: str | None


def year_statuses(uow: UnitOfWork, years: range | list[int]) -> list[YearStatus]:
    """For each year: does the program know its holidays, and from where (the window's 基础数据—节假日)."""
    days = holiday_overrides(uow)
    rows = {r.year: r for r in uow.session.scalars(select(HolidayYear))}
    out = []
    for y in years:
        off = sum(1 for d, w in days.items() if d.year == y and not w)
        on = sum(1 for d, w in days.items() if d.year == y and w)
        r = rows.get(y)
        if package_covers(y):
            source = "内置日历"
        elif y in days.complete_years:
            source = "本单位已声明完整"
        else:
            source = "未完整（按周一至周五暂算）"
        declared = r if r is not None and r.complete else None
        out.append(YearStatus(y, year_is_known(y, days), source, off, on, declared.declared_on if declared else None,
                              declared.declared_by if declared else None))
    return out


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


def import_holidays(uow: UnitOfWork, path: str | os.PathLike[str], complete: bool = False) -> HolidayImport:
    """A year's holidays from a sheet; `complete`: the sheet is the whole list, so its years are declared complete."""
    rows = read_holiday_sheet(path)
    for day, work, note in rows:
        set_holiday(uow, day, work, note)
    uow.session.flush()
    if complete:
        for year in sorted({d.year for d, _, _ in rows}):
            declare_year_complete(uow, year, note="随节假日表导入")
    return HolidayImport(len(rows), sum(1 for _, w, _ in rows if w), sum(1 for _, w, _ in rows if not w))

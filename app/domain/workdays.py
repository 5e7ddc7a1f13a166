"""The Chinese working-day calendar: statutory holidays and adjusted working days (调休).

Sources, first match wins:
1. overrides kept in the database (date → working day or not), entered or imported by the office;
2. the `chinesecalendar` package (2004–2026 in 1.11);
3. otherwise Monday–Friday. The answer is exact when the office has declared that year's holiday list complete
   (`OfficeDays.complete_years`); else it is marked provisional: the year's holidays may be missing. One holiday
   entered for a year does not make the year known (第十五条: a deadline must not pass over a holiday unseen).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

Overrides = Mapping[dt.date, bool]  # date → True when it is a working day


class OfficeDays(dict[dt.date, bool]):
    """The office's own entries (date → working day or not) and the years whose holiday list it declared complete."""

    def __init__(self, entries: Mapping[dt.date, bool] | None = None, complete_years: frozenset[int] = frozenset()
                 ) -> None:
        super().__init__(entries or {})
        self.complete_years = frozenset(complete_years)


def _complete(overrides: Overrides | None) -> frozenset[int]:
    return frozenset(getattr(overrides, "complete_years", frozenset()))


@cache
def _package_is_workday(day: dt.date) -> bool | None:
    try:
        import chinese_calendar  # the package's tables load on the first date asked
    except ImportError:  # pragma: no cover - dependency is required, but never crash
        return None
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@dataclass(frozen=True)
class DayInfo:
    workday: bool
    provisional: bool  # True when neither overrides nor the package know the year


def day_info(day: dt.date, overrides: Overrides | None = None) -> DayInfo:
    if overrides and day in overrides:
        return DayInfo(bool(overrides[day]), False)
    known = _package_is_workday(day)
    if known is not None:
        return DayInfo(known, False)
    # a year whose holiday list the office declared complete is known: its other days follow Monday–Friday
    return DayInfo(day.weekday() < 5, day.year not in _complete(overrides))


def is_workday(day: dt.date, overrides: Overrides | None = None) -> bool:
    return day_info(day, overrides).workday


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    provisional: bool
    missing_years: tuple[int, ...] = field(default=())

    @property
    def warning(self) -> str | None:
        if not self.provisional:
            return None
        years = "、".join(f"{y}年" for y in self.missing_years)
        return (f"{years}的法定节假日安排尚未录入完整，期限按周一至周五暂算；请在“基础数据—节假日”录入该年的放假安排"
                f"并声明完整（govdata calendar complete）后以实际为准")


def add_workdays(start: dt.date, n: int, overrides: Overrides | None = None) -> Deadline:
    """The n-th working day after `start` (the start day itself is not counted).

    A contract signed on Friday 2026-09-25 with n=5 is due on the fifth working day after it,
    skipping the National Day holiday and counting the adjusted Saturday.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    day = start
    counted = 0
    missing: set[int] = set()
    while counted < n:
        day += dt.timedelta(days=1)
        info = day_info(day, overrides)
        if info.provisional:
            missing.add(day.year)
        if info.workday:
            counted += 1
    return Deadline(day, bool(missing), tuple(sorted(missing)))


def workdays_between(start: dt.date, end: dt.date, overrides: Overrides | None = None) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day, overrides):
            count += 1
    return count


def package_covers(year: int) -> bool:
    return _package_is_workday(dt.date(year, 1, 2)) is not None


def year_is_known(year: int, overrides: Overrides | None = None) -> bool:
    """True when the package covers the year, or the office declared its holiday list for the year complete
    (entries alone do not make a year known)."""
    return package_covers(year) or year in _complete(overrides)

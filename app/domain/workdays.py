"""The Chinese working-day calendar: statutory holidays and adjusted working days (调休).

Sources, first match wins:
1. overrides kept in the database (date → working day or not), entered or imported by the office;
2. the `chinesecalendar` package (2004–2026 in 1.11);
3. otherwise Monday–Friday, and the answer is marked provisional: the year's holidays are missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

Overrides = Mapping[dt.date, bool]  # date → True when it is a working day


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
    # a year the office has entered holidays for is known: its other days follow Monday–Friday
    entered = overrides is not None and any(d.year == day.year for d in overrides)
    return DayInfo(day.weekday() < 5, not entered)


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
        return f"缺少{years}的法定节假日安排，期限按周一至周五暂算，请在“基础数据—节假日”中补录后以实际为准"


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


def year_is_known(year: int, overrides: Overrides | None = None) -> bool:
    """True when the package covers the year, or the office entered overrides for it."""
    if _package_is_workday(dt.date(year, 1, 2)) is not None:
        return True
    return overrides is not None and any(d.year == year for d in overrides)

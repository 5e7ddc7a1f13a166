"""The Chinese working-day calendar: holidays, adjusted working days, overrides, provisional years."""

import datetime as dt

from app.domain.workdays import (
    OfficeDays,
    add_workdays,
    day_info,
    is_workday,
    workdays_between,
    year_is_known,
)

D = dt.date


def test_statutory_holiday_and_weekend():
    assert not is_workday(D(2026, 10, 1))  # National Day
    assert not is_workday(D(2026, 10, 3))
    assert is_workday(D(2026, 9, 30))


def test_adjusted_working_saturday_counts():
    # 2026: Saturday 2026-10-10 is an adjusted working day (调休) after the National Day holiday
    assert D(2026, 10, 10).weekday() == 5 and is_workday(D(2026, 10, 10))
    # signed Thursday 10-08: 10-09 (Fri), 10-10 (adjusted Sat), 10-12, 10-13, 10-14
    assert add_workdays(D(2026, 10, 8), 5).due == D(2026, 10, 14)


def test_holiday_spanning_the_five_day_deadline():
    due = add_workdays(D(2026, 9, 25), 5)  # Friday before National Day
    assert due.due == D(2026, 10, 9) and not due.provisional
    # a plain Monday–Friday count would say 10-02: the holiday matters
    assert due.due != D(2026, 10, 2)


def test_spring_festival_2026():
    due = add_workdays(D(2026, 2, 13), 5)
    assert due.due > D(2026, 2, 23)
    assert not due.provisional


def test_overrides_come_first():
    assert not is_workday(D(2026, 9, 29), {D(2026, 9, 29): False})
    assert is_workday(D(2026, 10, 3), {D(2026, 10, 3): True})
    assert add_workdays(D(2026, 9, 25), 5, {D(2026, 10, 3): True}).due == D(2026, 10, 8)


def test_unknown_year_is_counted_monday_to_friday_and_marked_provisional():
    info = day_info(D(2027, 1, 1))
    assert info.provisional and info.workday  # New Year's Day 2027 unknown: a weekday, marked as a guess
    due = add_workdays(D(2026, 12, 28), 5)
    assert due.provisional and due.missing_years == (2027,)
    assert "2027年" in due.warning
    assert not add_workdays(D(2026, 3, 2), 5).provisional


def test_an_office_entry_is_known_but_does_not_make_its_year_known():
    overrides = {D(2027, 1, 1): False}
    info = day_info(D(2027, 1, 1), overrides)
    assert not info.workday and not info.provisional
    assert day_info(D(2027, 2, 10), overrides).provisional  # the Spring Festival may be missing (第十五条)
    assert not year_is_known(2027, overrides)


def test_a_year_declared_complete_is_known():
    days = OfficeDays({D(2027, 2, 10): False}, frozenset({2027}))
    assert not day_info(D(2027, 2, 11), days).provisional and year_is_known(2027, days)
    due = add_workdays(D(2027, 2, 9), 1, days)
    assert due.due == D(2027, 2, 11) and not due.provisional


def test_workdays_between():
    assert workdays_between(D(2026, 9, 25), D(2026, 10, 9)) == 5
    assert workdays_between(D(2026, 10, 9), D(2026, 10, 1)) == 0

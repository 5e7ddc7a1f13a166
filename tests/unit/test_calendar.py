"""第十五条: a year counts as known only when the office says its holiday list is complete (or the package covers
it). One 2027 holiday entered does not make 2027 known: a deadline over the Spring Festival stays marked."""

from __future__ import annotations

import datetime as dt

import pytest

from app.cli.main import main
from app.errors import InputError
from app.services.calendar import deadline_after, declare_year_complete, set_holiday, year_statuses
from app.services.setup import initialise

D = dt.date
# 2027's Spring Festival holiday (an example list the office would enter from the State Council's notice)
SPRING_2027 = [D(2027, 2, 6) + dt.timedelta(days=i) for i in range(8)]  # Saturday 02-06 .. Saturday 02-13


def test_one_holiday_does_not_make_the_year_known(db, actor):
    with db.uow(actor) as uow:
        initialise(uow)
        set_holiday(uow, D(2027, 1, 1), False, "元旦")
        due = deadline_after(uow, D(2027, 2, 4), 5)  # Thursday before the Spring Festival
        [status] = year_statuses(uow, [2027])
    assert due.provisional and due.missing_years == (2027,) and "2027年" in (due.warning or "")
    assert not status.known and status.source.startswith("未完整") and status.holidays == 1


def test_declared_complete_the_year_is_counted_without_a_warning(db, actor):
    with db.uow(actor) as uow:
        initialise(uow)
        for day in SPRING_2027:
            set_holiday(uow, day, False, "春节")
        with pytest.raises(InputError, match="国庆节"):  # a list without the National Day is not whole
            declare_year_complete(uow, 2027, note="国办发明电")
        set_holiday(uow, D(2027, 10, 1), False, "国庆节")
        declare_year_complete(uow, 2027, note="国办发明电")
        due = deadline_after(uow, D(2027, 2, 4), 5)
        [status] = year_statuses(uow, [2027])
        uow.commit()
    # Friday 02-05, then the holiday to Saturday 02-13, then 02-15, 02-16, 02-17, 02-18
    assert due.due == D(2027, 2, 18) and not due.provisional
    assert status.known and status.source == "本单位已声明完整" and status.declared_by == actor.username
    with db.uow(actor) as uow:
        declare_year_complete(uow, 2027, complete=False)
        assert deadline_after(uow, D(2027, 2, 4), 5).provisional
        uow.commit()


def test_a_year_cannot_be_declared_complete_without_its_holidays_or_when_the_package_has_it(db, actor):
    with db.uow(actor) as uow:
        initialise(uow)
        with pytest.raises(InputError, match="尚未录入任何法定节假日"):
            declare_year_complete(uow, 2027)
        set_holiday(uow, D(2027, 2, 20), True, "调休上班")  # a working day alone is no holiday list
        with pytest.raises(InputError, match="尚未录入任何法定节假日"):
            declare_year_complete(uow, 2027)
        with pytest.raises(InputError, match="内置日历"):
            declare_year_complete(uow, 2026)


def test_from_the_command_line(tmp_path, capsys):
    db = str(tmp_path / "cal.sqlite3")
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "calendar", "set", "2027-02-08", "holiday", "--note", "春节"]) == 0
    assert "calendar complete 2027" in capsys.readouterr().err
    assert main(["--db", db, "calendar", "complete", "2027"]) == 1  # one Spring Festival day, no National Day
    assert "国庆节" in capsys.readouterr().err
    assert main(["--db", db, "calendar", "set", "2027-10-01", "holiday", "--note", "国庆节"]) == 0
    assert main(["--db", db, "calendar", "complete", "2027"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "calendar", "deadline", "2027-02-05"]) == 0
    out, err = capsys.readouterr()
    assert "暂按" not in out and "2027-02-15" in out and err == ""
    assert main(["--db", db, "calendar", "years"]) == 0
    assert "本单位已声明完整" in capsys.readouterr().out

"""Deadlines act by themselves (第二十二条; issue 13 item 2): a passed rectification deadline suspends funds with a
notice, as the system; overdue filings, acceptances and expiring 等保/密评 are listed with working days counted.
The walker's today is 2026-12-01 (tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from app.cli.main import main
from app.domain.workdays import workdays_between
from app.errors import RuleViolation
from app.models import AuditRecord, Notice
from app.services.calendar import holiday_overrides
from app.services.dashboard import dashboard
from app.services.deadlines import list_notices, run_due


def _rectifying(walker, deadline: str) -> str:
    code = walker.to("under_construction")
    walker.go(code, "file-contract", filed_on="2026-03-18")
    walker.go(code, "order-rectification", reason="unauthorized_change", requirements="恢复原方案",
              on="2026-11-02", deadline=deadline)
    return code


def test_a_passed_deadline_suspends_funds_by_itself_with_a_notice(walker):
    late = _rectifying(walker, "2026-11-27")  # passed by 2026-12-01
    waiting = _rectifying(walker, "2026-12-20")
    result = run_due(walker.db)
    assert [s.code for s in result.suspended] == [late] and result.failed == ()
    assert walker.status(late) == "funds_suspended" and walker.status(waiting) == "rectifying"
    with walker.db.uow(walker.actor, write=False) as uow:
        [notice] = list_notices(uow)
        records = uow.session.scalars(select(AuditRecord).where(AuditRecord.object_id == late,
                                                                AuditRecord.action.in_(
                                                                    ("lifecycle.suspend", "deadline.suspend")))).all()
        assert {(r.action, r.user) for r in records} == {("lifecycle.suspend", "system"), ("deadline.suspend", "system")}
        assert json.loads(records[-1].detail)["started_by"] == "system"
    assert notice.code == late and notice.issued_by == "系统" and "2026-11-27" in notice.body
    assert "第二十二条" in notice.body and notice.issued_on == dt.date(2026, 12, 1)
    assert run_due(walker.db).suspended == ()  # a second run the same day does nothing
    with walker.db.uow(walker.actor, write=False) as uow:
        assert len(uow.session.scalars(select(Notice)).all()) == 1
    with pytest.raises(RuleViolation) as exc:
        walker.go(late, "pay", amount="1000", paid_on="2026-11-20")
    assert exc.value.article == "第二十二条"


def test_overdue_filings_acceptances_and_assessments_are_listed_with_working_days(walker):
    unfiled = walker.to("under_construction")  # signed 2026-03-16, due 2026-03-23, never filed
    assessed = walker.to("under_construction")
    walker.go(assessed, "file-contract", filed_on="2026-03-18")
    walker.go(assessed, "assess-security", kind="mlps", level=3, on="2026-02-01", valid_until="2026-11-30")
    result = run_due(walker.db)
    by = {(i.kind, i.code): i for i in result.due}
    filing = by[("contract_filing", unfiled)]
    assert filing.overdue and filing.due == dt.date(2026, 3, 23)
    # working days from 2026-03-23 to 2026-12-01 on the Chinese calendar (holidays and 调休 counted)
    with walker.db.uow(walker.actor, write=False) as uow:
        expected = workdays_between(dt.date(2026, 3, 23), dt.date(2026, 12, 1), holiday_overrides(uow))
    assert filing.workdays_overdue == expected and 150 < expected < 180
    security = by[("security", assessed)]
    assert security.overdue and security.workdays_overdue == 1 and "2026-11-30" in security.what


def test_an_acceptance_long_overdue_is_listed(walker):
    code = walker.to("under_construction", period_months=3)  # contract 2026-03-16: due 2026-06-16
    result = run_due(walker.db)
    [item] = [i for i in result.due if i.kind == "acceptance" and i.code == code]
    assert item.overdue and item.due == dt.date(2026, 6, 16) and item.workdays_overdue > 100


def test_the_dashboard_counts_working_days_overdue(walker):
    code = walker.to("under_construction")
    assert walker.status(code) == "under_construction"
    with walker.db.uow(walker.actor, write=False) as uow:
        [item] = dashboard(uow, today=dt.date(2026, 3, 30)).of("contract_filing")  # due Monday 03-23
    assert item.code == code
    assert item.overdue and item.workdays_overdue == 5 and item.workdays_left is None


def test_run_due_from_the_command_line(capsys, walker):
    late = _rectifying(walker, "2026-11-27")
    dbfile = walker.db.url.removeprefix("sqlite:///")
    if not walker.db.is_sqlite:
        pytest.skip("the command line opens the SQLite file")
    assert main(["--db", dbfile, "run-due"]) == 0
    out = capsys.readouterr().out
    assert f"暂停拨付：{late}" in out and "第二十二条" in out
    assert main(["--db", dbfile, "run-due", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["suspended"] == [] and any(d["code"] == late and d["kind"] == "rectification" for d in data["due"])
    assert main(["--db", dbfile, "notices", "--project", late]) == 0
    assert "暂停拨付" in capsys.readouterr().out


def test_who_started_the_run_sees_only_what_they_may(walker):
    from app.domain.actor import Actor

    late = _rectifying(walker, "2026-11-27")
    secadmin = Actor("sec", "secadmin", None, "安全管理员")
    result = run_due(walker.db, started_by=secadmin)
    assert walker.status(late) == "funds_suspended"  # the system acted all the same
    assert (result.visible, result.suspended, result.due) == (False, (), ())
    with walker.db.uow(walker.actor, write=False) as uow:
        rec = uow.session.scalars(select(AuditRecord).where(AuditRecord.action == "deadline.suspend")).one()
        assert rec.user == "system" and json.loads(rec.detail)["started_by"] == "sec"
    other = _rectifying(walker, "2026-11-28")
    stranger = Actor("c9", "clerk", 999_999, "别的单位")
    result = run_due(walker.db, started_by=stranger)
    assert walker.status(other) == "funds_suspended" and result.suspended == () and result.visible

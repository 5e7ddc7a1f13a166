"""工作台 items: contract filing due within 5 working days or overdue, rectification deadlines, and the rest."""

import datetime as dt

from app.services.dashboard import dashboard


def test_contract_filing_due_and_overdue(walker):
    code = walker.to("under_construction")  # signed 2026-03-16 → due 2026-03-23, not filed
    with walker.db.uow(walker.actor, write=False) as uow:
        before = dashboard(uow, today=dt.date(2026, 3, 16))
        after = dashboard(uow, today=dt.date(2026, 3, 24))
        long_before = dashboard(uow, today=dt.date(2026, 3, 1))
    [due] = before.of("contract_filing")
    assert due.code == code and due.due == dt.date(2026, 3, 23) and not due.overdue and due.workdays_left == 5
    [late] = after.of("contract_filing")
    assert late.overdue and late.workdays_left is None
    assert long_before.of("contract_filing") == []
    walker.go(code, "file-contract", filed_on="2026-03-20")
    with walker.db.uow(walker.actor, write=False) as uow:
        assert dashboard(uow, today=dt.date(2026, 3, 24)).of("contract_filing") == []


def test_rectification_review_acceptance_and_counts(walker):
    waiting = walker.to("submitted")
    building = walker.to("under_construction")  # period 12 months from 2026-03-16
    walker.go(building, "file-contract", filed_on="2026-03-18")
    rect = walker.to("under_construction")
    walker.go(rect, "file-contract", filed_on="2026-03-18")
    walker.go(rect, "order-rectification", reason="delayed_acceptance", requirements="验收", on="2026-04-01",
              deadline="2026-05-01")
    with walker.db.uow(walker.actor, write=False) as uow:
        d = dashboard(uow, today=dt.date(2027, 4, 1))
    assert [i.code for i in d.of("review")] == [waiting]
    assert [i.code for i in d.of("acceptance")] == [building]
    [r] = d.of("rectification")
    assert r.code == rect and r.overdue
    assert d.by_status == {"submitted": 1, "under_construction": 1, "rectifying": 1}
    assert d.money_by_year == {2026: 300_000_000}
    assert d.money_by_category == {"信息应用系统开发": 300_000_000}


def test_a_terminated_project_leaves_the_rectification_list(walker):
    code = walker.to("under_construction")
    walker.go(code, "file-contract", filed_on="2026-03-18")
    walker.go(code, "order-rectification", reason="unauthorized_change", requirements="恢复原方案",
              on="2026-09-01", deadline="2026-09-30")
    walker.go(code, "suspend", on="2026-10-01")
    with walker.db.uow(walker.actor, write=False) as uow:
        assert [i.code for i in dashboard(uow, today=dt.date(2026, 10, 2)).of("rectification")] == [code]
    walker.go(code, "terminate", reason="拒不整改")
    with walker.db.uow(walker.actor, write=False) as uow:
        assert dashboard(uow, today=dt.date(2026, 10, 2)).of("rectification") == []

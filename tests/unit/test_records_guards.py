"""The guards the paper records add to the lifecycle: each refuses, naming its article, and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.errors import RuleViolation
from app.models import Budget, Payment, PublicityItem, SecurityAssessment
from app.services.planning import plan_year_amount
from app.services.plans import add_to_annual_plan


def _refused(walker, code, action, article, **fields):
    before = walker.status(code)
    with pytest.raises(RuleViolation) as exc:
        walker.go(code, action, **fields)
    assert exc.value.article == article, exc.value.message
    assert walker.status(code) == before
    return exc.value.message


def test_no_approval_before_the_county_government_approves_the_annual_plan(walker):
    code = walker.to("reviewed")
    with walker.db.uow(walker.actor) as uow:
        add_to_annual_plan(uow, 2026, [code])  # listed, not yet approved
        uow.commit()
    msg = _refused(walker, code, "approve", "第六条", on="2026-01-20")
    assert "尚未经县人民政府批准" in msg
    with walker.db.uow(walker.actor) as uow:
        add_to_annual_plan(uow, 2026, [], approved_on=dt.date(2026, 1, 18))
        uow.commit()
    msg = _refused(walker, code, "approve", "第六条", on="2026-01-17")  # a day before the plan's approval
    assert "早于" in msg
    walker.go(code, "approve", on="2026-01-18")
    assert walker.status(code) == "approved"


def test_a_project_budgeted_in_another_year_is_publicised_with_its_real_amount(walker):
    code = walker.to("approved", period_months=18, year_request_fen=50_000_000)  # 2026—2027
    with walker.db.uow(walker.actor) as uow:  # 第六条: in 2027's annual plan too
        plan_year_amount(uow, project=code, year=2027, amount=50_000_000)
        uow.commit()
    walker.go(code, "budget", amount="420000.50", year=2027, on="2026-02-10", source="county")
    walker.go(code, "publicize", start_on="2026-02-24")
    with walker.db.uow(walker.actor) as uow:
        item = uow.session.scalar(select(PublicityItem))
        budget = uow.session.scalar(select(Budget))
        assert item.amount_fen == 42_000_050 and item.publicity.year == 2027
        assert budget.publicity_id == item.publicity_id and budget.source == "county"


def test_payments_keep_their_funding_source(walker):
    code = walker.to("under_construction", upper_fen=40_000_000)  # county 600,000.00, upper 400,000.00 元
    walker.go(code, "pay", amount="1000", paid_on="2026-04-01", source="upper")
    with walker.db.uow(walker.actor) as uow:
        assert uow.session.scalar(select(Payment.source)) == "upper"


def test_failed_mlps_or_crypto_assessment_refuses_joint_acceptance(walker):
    code = walker.to("preliminarily_accepted")
    walker.estimate(code)  # 第二十条: the autonomy check is judged on the estimate
    for step, fields in (("register-catalogue", {"name": "人口数据"}), ("land-data", {}), ("check-autonomy", {})):
        walker.go(code, step, on="2026-08-02", **fields)
    walker.go(code, "assess-security", kind="crypto", on="2026-08-03", passed="否")
    msg = _refused(walker, code, "accept-joint", "第二十八条", on="2026-08-10")
    assert "商用密码应用安全性评估" in msg
    walker.go(code, "assess-security", kind="crypto", on="2026-08-06", passed="是")  # re-assessed after rectifying
    walker.go(code, "accept-joint", on="2026-08-10")
    assert walker.status(code) == "accepted"


def test_the_lifecycles_security_assessment_carries_its_validity(walker):
    code = walker.to("under_construction")
    walker.go(code, "assess-security", kind="mlps", level=2, on="2026-05-01")  # 二级：两年
    walker.go(code, "assess-security", kind="crypto", on="2026-05-02", valid_until="2026-12-31")
    with walker.db.uow(walker.actor) as uow:
        got = [(a.kind, a.valid_until) for a in uow.session.scalars(select(SecurityAssessment)
                                                                     .order_by(SecurityAssessment.id))]
    assert got == [("mlps", dt.date(2028, 5, 1)), ("crypto", dt.date(2026, 12, 31))]

"""Every rule of the measure the lifecycle enforces: the guard refuses, naming its article, and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.domain.vocabulary import ART9_CHECKS
from app.errors import ConflictError, InputError, RuleViolation
from app.models import AuditRecord, Contract, Payment, TechnicalReview
from app.services import audit
from app.services.lifecycle import ACTIONS, available_actions
from app.services.projects import get_project, update_project


def refused(walker, code, action, article, **fields):
    before = walker.status(code)
    with pytest.raises(RuleViolation) as exc:
        walker.go(code, action, **fields)
    assert exc.value.article == article, exc.value.message
    assert article in exc.value.message
    assert walker.status(code) == before
    return exc.value.message


def test_full_main_line_reaches_operation(walker):
    code = walker.to("in_operation")
    assert walker.status(code) == "in_operation"


def test_submit_needs_all_four_materials(walker):
    code = walker.register()
    walker.go(code, "add-material", kind="proposal")
    walker.go(code, "add-material", kind="feasibility")
    msg = refused(walker, code, "submit", "第八条")
    assert "初步设计方案" in msg and "投资概算" in msg and "项目建议书" not in msg
    walker.go(code, "add-material", kind="design")
    walker.go(code, "add-material", kind="estimate")
    walker.go(code, "submit")
    assert walker.status(code) == "submitted"


def test_no_approval_before_review_opinion(walker):
    code = walker.to("in_review")
    walker.plan(code)
    refused(walker, code, "approve", "第七、八条")


def test_no_approval_with_failing_review(walker):
    code = walker.to("reviewed", conclusion="fail")
    walker.plan(code)
    refused(walker, code, "approve", "第七、八条")
    walker.go(code, "reject", opinion="不符合集约化要求")
    assert walker.status(code) == "rejected"


def test_pass_with_changes_may_be_approved(walker):
    code = walker.to("approved", conclusion="pass_with_changes")
    assert walker.status(code) == "approved"


@pytest.mark.parametrize("check", ["interconnect_ok", "policy_ok", "not_built_before", "not_disguised"])
def test_a_passing_opinion_cannot_carry_an_article_9_finding(walker, check):
    code = walker.to("in_review")
    answers = walker.REVIEW_ANSWERS | {check: "否"}
    for conclusion in ("pass", "pass_with_changes"):
        msg = refused(walker, code, "review", "第九条", conclusion=conclusion, **answers)
        assert ART9_CHECKS[check] in msg
    walker.go(code, "review", conclusion="fail", **answers)  # 不通过 with the finding is what the facts allow
    assert walker.status(code) == "reviewed"


@pytest.mark.parametrize("check", ["interconnect_ok", "policy_ok", "not_built_before", "not_disguised"])
def test_article_9_findings_on_record_refuse_approval(walker, check):
    """A review recorded with a 第九条 finding (e.g. kept from before these rules) still cannot lead to approval."""
    code = walker.to("reviewed")
    walker.plan(code)
    with walker.db.uow(walker.actor) as uow:
        review = uow.session.scalars(select(TechnicalReview)).one()
        setattr(review, check, False)
        uow.commit()
    msg = refused(walker, code, "approve", "第九条")
    assert {"interconnect_ok": "互联互通", "policy_ok": "相违背", "not_built_before": "未批先建",
            "not_disguised": "变相包装"}[check] in msg


def test_no_approval_outside_the_annual_plan(walker):
    code = walker.to("reviewed")
    refused(walker, code, "approve", "第六、八条")
    walker.plan(code)
    walker.go(code, "approve")
    assert walker.status(code) == "approved"


@pytest.mark.parametrize("action, fields", [
    ("sign-contract", dict(contract_no="X1", contractor="山西智慧政务信息技术有限公司", amount="1000",
                           signed_on="2026-03-01", selection_method="公开招标")),
    ("pay", dict(amount="1000")),
    ("accept-preliminary", {}),
])
def test_nothing_built_or_paid_before_approval(walker, action, fields):
    code = walker.to("reviewed")
    refused(walker, code, action, "第九条", **fields)
    with walker.db.uow(walker.actor) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Contract)) == 0
        assert uow.session.scalar(select(func.count()).select_from(Payment)) == 0


def test_budget_and_publicity_come_before_contracts(walker):
    code = walker.to("approved")
    refused(walker, code, "publicize", "第十一条")
    refused(walker, code, "sign-contract", "第十一条", contract_no="X1", contractor=walker.market, amount="1000",
            signed_on="2026-03-01", selection_method="公开招标")
    refused(walker, code, "budget", "第十条", amount="1000000.01")
    walker.go(code, "budget", amount="1000000.00")
    assert walker.status(code) == "budgeted"
    refused(walker, code, "sign-contract", "第十一条", contract_no="X1", contractor=walker.market, amount="1000",
            signed_on="2026-03-01", selection_method="公开招标")


def test_contractor_selection_rules(walker):
    code = walker.to("publicized")
    base = dict(contract_no="X1", amount="1000", signed_on="2026-03-16")
    refused(walker, code, "sign-contract", "第十三条", contractor=walker.market, selection_method="县属企业承建",
            **base)
    refused(walker, code, "sign-contract", "第十三条", contractor=walker.market, selection_method="单一来源采购",
            **base)
    walker.go(code, "sign-contract", contractor=walker.county_owned, selection_method="县属企业承建", **base)
    assert walker.status(code) == "under_construction"


def test_contracts_cannot_exceed_the_approved_amount(walker):
    code = walker.to("publicized")
    refused(walker, code, "sign-contract", "第十四、十七条", contract_no="X1", contractor=walker.market,
            amount="1000000.01", signed_on="2026-03-16", selection_method="公开招标")


def test_new_contractor_needs_a_valid_credit_code(walker):
    code = walker.to("publicized")
    with pytest.raises(InputError, match="校验位"):
        walker.go(code, "sign-contract", contract_no="X1", contractor="新公司", credit_code="91140100MA0M000010",
                  amount="1000", signed_on="2026-03-16", selection_method="公开招标")


def test_contract_filing_deadline_spans_national_day(walker):
    code = walker.to("publicized")
    # signed Friday 2026-09-25; 9/28, 9/29, 9/30 work, 10/1–10/7 holiday, 10/8, 10/9 work → due 10/9
    result = walker.go(code, "sign-contract", contract_no="X1", contractor=walker.market, amount="1000",
                       signed_on="2026-09-25", selection_method="公开招标")
    assert result.data["filing_due"] == "2026-10-09"
    assert result.data["provisional"] is False
    late = walker.go(code, "file-contract", filed_on="2026-10-10")
    assert late.data["filed_late"] is True
    assert any("第十五条" in w for w in late.warnings)


def test_contract_filed_in_time_is_not_flagged(walker):
    code = walker.to("under_construction")  # signed 2026-03-16
    ok = walker.go(code, "file-contract", filed_on="2026-03-23")
    assert ok.data["filed_late"] is False


def test_payments_stay_within_the_contract(walker):
    code = walker.to("under_construction")  # contract 500,000.00
    walker.go(code, "pay", amount="300000")
    refused(walker, code, "pay", "第十四条", amount="200000.01")
    walker.go(code, "pay", amount="200000.00")


def test_major_change_needs_a_decided_change_request(walker):
    code = walker.to("under_construction")
    with walker.db.uow(walker.actor) as uow:
        with pytest.raises(RuleViolation) as exc:
            update_project(uow, code, {"total_fen": 120_000_000, "county_fen": 120_000_000})
        assert exc.value.article == "第十七条"
    walker.go(code, "request-change", description="扩容", reason="需求增加", total="1200000", county="1200000")
    with walker.db.uow(walker.actor) as uow:
        assert get_project(uow, code).total_fen == 100_000_000  # not in effect yet
    refused(walker, code, "decide-change", "第十七条", decision="approve")  # no opinion
    walker.go(code, "decide-change", decision="approve", opinion="同意")
    with walker.db.uow(walker.actor) as uow:
        v = get_project(uow, code)
        assert v.total_fen == 120_000_000 and v.approved_fen == 120_000_000


def test_rejected_change_leaves_the_figures(walker):
    code = walker.to("under_construction")
    walker.go(code, "request-change", description="扩容", reason="需求增加", total="1200000", county="1200000")
    walker.go(code, "decide-change", decision="reject", opinion="不同意")
    with walker.db.uow(walker.actor) as uow:
        assert get_project(uow, code).total_fen == 100_000_000


def test_acceptance_waits_for_a_pending_change(walker):
    code = walker.to("under_construction")
    walker.go(code, "request-change", description="调整内容", reason="原因", content="新内容")
    refused(walker, code, "accept-preliminary", "第十七条")


def test_preliminary_acceptance_needs_a_construction_contract(walker):
    code = walker.to("publicized")
    walker.go(code, "sign-contract", contract_no="JL1", contractor=walker.market, amount="1000",
              signed_on="2026-03-16", selection_method="公开招标", kind="supervision")
    refused(walker, code, "accept-preliminary", "第十四条")


def test_joint_acceptance_needs_preliminary(walker):
    code = walker.to("under_construction")
    refused(walker, code, "accept-joint", "第十八条")


def test_joint_acceptance_conditions_in_turn(walker):
    code = walker.to("preliminarily_accepted")
    walker.estimate(code)
    assert "信息资源目录" in refused(walker, code, "accept-joint", "第十九条")
    walker.go(code, "register-catalogue", name="人口库", registered="否")
    assert "尚未在共享平台注册" in refused(walker, code, "accept-joint", "第十九条")
    walker.go(code, "register-catalogue", name="人口库", registered="是")  # the same item, corrected
    assert "落盘" in refused(walker, code, "accept-joint", "第十九条")
    walker.go(code, "land-data")
    refused(walker, code, "accept-joint", "第二十条")
    walker.go(code, "check-autonomy", passed="否")
    assert "不符合" in refused(walker, code, "accept-joint", "第二十条")
    walker.go(code, "check-autonomy", passed="是")
    walker.go(code, "accept-joint")
    assert walker.status(code) == "accepted"


def test_no_om_money_without_data_sharing(walker):
    code = walker.to("in_operation")
    with walker.db.uow(walker.actor) as uow:
        from app.models import Project
        p = uow.session.scalar(select(Project).where(Project.code == code))
        p.data_landed = False
        uow.commit()
    refused(walker, code, "request-om", "第九条", year=2026, amount="10000")
    walker.go(code, "land-data")
    walker.go(code, "request-om", year=2026, amount="10000", on="2026-09-01")
    walker.go(code, "decide-om", decision="approve", amount="8000", opinion="核减", on="2026-09-10")
    refused(walker, code, "budget-om", "第二十一条", year=2026, amount="8000.01")
    walker.go(code, "budget-om", year=2026, amount="8000", on="2026-09-20")
    refused(walker, code, "pay", "第十条", kind="om", amount="8000.01")
    walker.go(code, "pay", kind="om", amount="8000")


def test_om_request_before_acceptance_is_refused(walker):
    code = walker.to("under_construction")
    refused(walker, code, "request-om", "第二十一条", year=2027, amount="1000")


def test_rectification_suspension_and_termination(walker):
    code = walker.to("under_construction")
    refused(walker, code, "terminate", "第二十二条", reason="x")
    walker.go(code, "order-rectification", reason="unauthorized_change", requirements="恢复原方案",
              on="2026-09-01", deadline="2026-09-30")
    assert walker.status(code) == "rectifying"
    refused(walker, code, "suspend", "第二十二条", on="2026-09-30")
    refused(walker, code, "terminate", "第二十二条", reason="x")
    walker.go(code, "suspend", on="2026-10-01")
    assert walker.status(code) == "funds_suspended"
    refused(walker, code, "pay", "第二十二条", amount="1")
    walker.go(code, "terminate", reason="拒不整改")
    assert walker.status(code) == "terminated"


def test_completed_rectification_returns_to_the_stage(walker):
    code = walker.to("under_construction")
    walker.go(code, "order-rectification", reason="delayed_acceptance", requirements="尽快验收",
              on="2026-09-01", deadline="2026-12-30")
    walker.go(code, "complete-rectification", on="2026-10-01")
    assert walker.status(code) == "under_construction"


def test_evaluation_scores_total_and_grade(walker):
    from app.domain.vocabulary import DEFAULT_INDICATORS

    code = walker.to("in_operation")
    scores = ",".join(f"{name}={weight}" for _, _, name, weight in DEFAULT_INDICATORS)
    result = walker.go(code, "evaluate", year=2026, scores=scores.replace("服务对象满意度=10", "服务对象满意度=1"))
    assert result.data == {"total": "91.00", "grade": "优"}
    with pytest.raises(InputError, match="缺少评价指标"):
        walker.go(code, "evaluate", year=2026, scores="立项依据充分性=4")


def test_indicator_weights_must_add_up_to_100(walker):
    from decimal import Decimal

    from app.services.plans import set_indicators

    with walker.db.uow(walker.actor) as uow:
        with pytest.raises(RuleViolation) as exc:
            set_indicators(uow, [("决策", "项目立项", "立项", Decimal(50)), ("产出", "产出数量", "完成", Decimal(49))])
        assert exc.value.article == "第二十三条"


def test_cobuilt_split_must_match_the_total(walker):
    with pytest.raises(RuleViolation) as exc:
        walker.register(cobuilt=True, city_share_fen=40_000_000, county_share_fen=50_000_000)
    assert exc.value.article == "第十二条"
    code = walker.register(cobuilt=True, city_share_fen=40_000_000, county_share_fen=60_000_000)
    assert walker.status(code) == "draft"


def test_previous_year_evaluation_is_shown_at_review(walker):
    from app.domain.vocabulary import DEFAULT_INDICATORS

    old = walker.to("in_operation")
    scores = {name: weight for _, _, name, weight in DEFAULT_INDICATORS}
    walker.go(old, "evaluate", year=2025, scores=scores)
    new = walker.register(year=2026)
    walker.materials(new)
    walker.go(new, "submit")
    result = walker.go(new, "start-review")
    assert [e["code"] for e in result.data["previous_evaluations"]] == [old]
    assert any("第二十三条" in w and "100.00分" in w for w in result.warnings)


def test_withdraw_only_before_approval(walker):
    code = walker.to("submitted")
    walker.go(code, "withdraw")
    assert walker.status(code) == "withdrawn"
    approved = walker.to("approved")
    with pytest.raises(InputError):
        walker.go(approved, "withdraw")


def test_refusals_are_recorded_in_the_audit_trail(walker):
    code = walker.register()
    with pytest.raises(RuleViolation) as info:
        walker.go(code, "submit")
    assert audit.record_refusal(walker.db, walker.actor, info.value) is True  # the boundary's one record
    assert audit.record_refusal(walker.db, walker.actor, info.value) is False
    with walker.db.uow(walker.actor) as uow:
        rec = uow.session.scalars(select(AuditRecord).where(AuditRecord.object_id == code)
                                  .order_by(AuditRecord.id.desc())).first()
        assert rec.action == "lifecycle.submit" and rec.outcome == "refused"
        assert "第八条" in rec.detail


def test_available_actions_explain_why_not(walker):
    code = walker.to("reviewed")
    with walker.db.uow(walker.actor) as uow:
        avail = {a.key: a for a in available_actions(uow, code)}
    assert not avail["approve"].enabled and "第六、八条" in avail["approve"].reason
    assert not avail["sign-contract"].enabled and "第九条" in avail["sign-contract"].reason
    assert avail["reject"].enabled
    assert set(avail) == set(ACTIONS)


def test_conflicting_edit_is_reported_not_overwritten(walker):
    code = walker.register()
    with walker.db.uow(walker.actor) as uow:
        version = get_project(uow, code).version
        update_project(uow, code, {"content": "甲的修改"}, expected_version=version)
        uow.commit()
    with walker.db.uow(walker.actor) as uow:
        with pytest.raises(ConflictError) as exc:
            update_project(uow, code, {"content": "乙的修改"}, expected_version=version)
        assert exc.value.theirs == {"content": "甲的修改"} and exc.value.mine == {"content": "乙的修改"}
    with walker.db.uow(walker.actor) as uow:
        assert get_project(uow, code).content == "甲的修改"


def test_every_action_names_valid_states():
    from app.domain.vocabulary import STATUS_LABELS

    for spec in ACTIONS.values():
        assert spec.from_states and set(spec.from_states) <= set(STATUS_LABELS), spec.key


def test_dates_must_be_valid(walker):
    code = walker.register()
    with pytest.raises(InputError, match="2027-03-05"):
        walker.go(code, "add-material", kind="proposal", received_on="2026/13/01")

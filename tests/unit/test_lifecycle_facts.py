"""The measure judged on the facts, tried the way an official would try to break it: backdated, future-dated, over
budget, out of order. Each refusal names its article, and nothing changes (issue 13, items 1 and 6).

The walker's "today" is 2026-12-01 (tests/conftest.py); its projects are approved 2026-01-20, budgeted 2026-02-10,
publicised 2026-02-24 (to 2026-03-03) and contracted 2026-03-16.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.vocabulary import STATUS_LABELS, Status
from app.errors import InputError, RuleViolation
from app.models import AuditRecord, Budget, CatalogueItem, Payment
from app.services.lifecycle import ACTIONS, RESUME, STATE_REFUSALS, TABLE
from app.services.master import set_setting
from app.services.planning import plan_year_amount


def refused(walker, code, action, article, **fields):
    before = walker.status(code)
    with pytest.raises(RuleViolation) as exc:
        walker.go(code, action, **fields)
    assert exc.value.article == article, exc.value.message
    assert article in exc.value.message
    assert walker.status(code) == before
    return exc.value.message


def contract(walker, code, **fields):
    return dict(contract_no=f"HT-X-{code}", contractor=walker.market, amount="500000", signed_on="2026-03-16",
                selection_method="公开招标") | fields


def plan_next_year(walker, code, fen, year=2027):
    """List a project whose construction runs into `year` in that year's annual plan (第六条)."""
    with walker.db.uow(walker.actor) as uow:
        plan_year_amount(uow, project=code, year=year, amount=fen)
        uow.commit()


def count(walker, model) -> int:
    with walker.db.uow(walker.actor, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- dates against dates


def test_a_contract_backdated_before_the_approval_is_refused(walker):
    code = walker.to("publicized")  # approved 2026-01-20
    msg = refused(walker, code, "sign-contract", "第九条", **contract(walker, code, signed_on="2024-05-01"))
    assert "不得未批先建" in msg and "2026-01-20" in msg


def test_no_contract_during_the_publicity(walker):
    code = walker.to("publicized")  # publicity 2026-02-24 .. 2026-03-02 (Saturday 02-28 was a working day)
    for day in ("2026-02-25", "2026-03-02"):
        msg = refused(walker, code, "sign-contract", "第十一条", **contract(walker, code, signed_on=day))
        assert "公示期内不得签订合同" in msg
    walker.go(code, "sign-contract", **contract(walker, code, signed_on="2026-03-03"))
    assert walker.status(code) == "under_construction"


def test_a_future_dated_contract_is_refused(walker):
    code = walker.to("publicized")
    msg = refused(walker, code, "sign-contract", "第十三—十五条", **contract(walker, code, signed_on="2027-01-10"))
    assert "晚于今天" in msg
    assert count(walker, Payment) == 0


def test_a_payment_before_its_contract_or_the_approval_is_refused(walker):
    code = walker.to("under_construction")  # contract signed 2026-03-16
    assert "2026-03-16" in refused(walker, code, "pay", "第九、十四条", amount="1000", paid_on="2026-03-10")
    refused(walker, code, "pay", "第九条", amount="1000", paid_on="2026-01-05")
    refused(walker, code, "pay", "第九、十、二十二条", amount="1000", paid_on="2026-12-02")  # tomorrow
    walker.go(code, "pay", amount="1000", paid_on="2026-03-16")
    assert count(walker, Payment) == 1


def test_a_future_filing_date_is_never_on_time(walker):
    code = walker.to("under_construction")
    refused(walker, code, "file-contract", "第十五条", filed_on="2026-12-05")
    assert "不能早于合同签订日期" in refused(walker, code, "file-contract", "第十五条", filed_on="2026-03-15")
    result = walker.go(code, "file-contract", filed_on="2026-03-20")
    assert result.data["filed_late"] is False


def test_the_steps_before_approval_come_in_order(walker):
    code = walker.register()
    for kind in ("proposal", "feasibility", "design", "estimate"):
        walker.go(code, "add-material", kind=kind, received_on="2026-01-05")
    walker.go(code, "submit")
    refused(walker, code, "start-review", "第八条", on="2026-01-04")  # before the materials arrived
    walker.go(code, "start-review", on="2026-01-10")
    refused(walker, code, "review", "第七条", on="2026-01-09", conclusion="pass", **walker.REVIEW_ANSWERS)
    walker.go(code, "review", on="2026-01-15", conclusion="pass", **walker.REVIEW_ANSWERS)
    walker.plan(code)
    assert "须先出具技术审核意见" in refused(walker, code, "approve", "第七、八条", on="2026-01-14")
    walker.go(code, "approve", on="2026-01-15")
    refused(walker, code, "budget", "第九、十条", amount="1000", on="2026-01-14")


def test_publicity_follows_the_budget_and_lasts_its_working_days(walker):
    code = walker.to("budgeted")  # budget set 2026-02-10
    refused(walker, code, "publicize", "第十一条", start_on="2026-02-09")
    # five working days after Tuesday 2026-02-24 (Saturday 02-28 was a working day) end on Monday 2026-03-02
    msg = refused(walker, code, "publicize", "第十一条", start_on="2026-02-24", end_on="2026-02-27")
    assert "至少5个工作日" in msg and "2026-03-02" in msg
    walker.go(code, "publicize", start_on="2026-02-24", end_on="2026-03-02")


def test_acceptances_follow_each_other(walker):
    code = walker.to("under_construction")
    refused(walker, code, "accept-preliminary", "第十八条", on="2026-03-10")  # before the contract
    walker.go(code, "accept-preliminary", on="2026-08-01")
    walker.estimate(code)
    walker.go(code, "register-catalogue", name="人口数据", on="2026-08-02")
    walker.go(code, "land-data", on="2026-08-02")
    walker.go(code, "check-autonomy", on="2026-08-02")
    refused(walker, code, "accept-joint", "第十八条", on="2026-07-30")
    walker.go(code, "accept-joint", on="2026-08-10")
    refused(walker, code, "operate", "第十八、二十一条", on="2026-08-09")


# ---------------------------------------------------------------- money against budget and contract (第十条)


def test_payments_are_capped_by_the_budget_of_their_year_and_source(walker):
    code = walker.register(total=100_000_000, county_fen=60_000_000, upper_fen=40_000_000, period_months=18,
                           year_request_fen=50_000_000)
    walker.advance_to(code, "approved")
    plan_next_year(walker, code, 50_000_000)
    walker.go(code, "budget", amount="300000", source="county", year=2026, on="2026-02-10")
    walker.go(code, "budget", amount="200000", source="upper", year=2026, on="2026-02-10")
    walker.go(code, "budget", amount="300000", source="county", year=2027, on="2026-02-10")  # next year's money
    walker.go(code, "publicize", start_on="2026-02-24")
    walker.go(code, "sign-contract", **contract(walker, code, amount="900000"))
    with pytest.raises(InputError, match="指明本笔资金的来源"):
        walker.go(code, "pay", amount="1000", paid_on="2026-04-01")  # two sources: which one?
    walker.go(code, "pay", amount="300000", source="county", paid_on="2026-04-01")
    msg = refused(walker, code, "pay", "第十条", amount="0.01", source="county", paid_on="2026-04-02")
    assert "2026年县级财政资金" in msg and "300,000.00" in msg  # 2027's budget does not pay in 2026
    walker.go(code, "pay", amount="200000", source="upper", paid_on="2026-04-02")
    refused(walker, code, "pay", "第十条", amount="0.01", source="upper", paid_on="2026-04-03")


def test_a_budget_only_for_a_year_whose_annual_plan_lists_the_project(walker):
    """第六、十条: construction money of a year goes to a project of that year's annual plan."""
    code = walker.to("approved", period_months=18, year_request_fen=50_000_000)  # 2026—2027, in 2026's plan only
    msg = refused(walker, code, "budget", "第六、十条", amount="400000", year=2027, on="2026-02-10")
    assert "未列入2027年度" in msg
    assert count(walker, Budget) == 0
    plan_next_year(walker, code, 50_000_000)
    walker.go(code, "budget", amount="400000", year=2027, on="2026-02-10")
    refused(walker, code, "budget", "第六、十条", amount="1000", year=2028, on="2026-02-10")  # beyond its period
    assert count(walker, Budget) == 1


def test_budgets_stay_within_each_funding_source(walker):
    code = walker.register(total=100_000_000, county_fen=60_000_000, upper_fen=40_000_000)
    walker.advance_to(code, "approved")
    msg = refused(walker, code, "budget", "第十条", amount="600000.01", source="county", on="2026-02-10")
    assert "县级财政资金预算累计" in msg
    refused(walker, code, "budget", "第十条", amount="1000", source="other", on="2026-02-10")
    refused(walker, code, "budget", "第十条", amount="1000", source="county", year=2025, on="2026-02-10")
    walker.go(code, "budget", amount="600000", source="county", on="2026-02-10")


def test_a_cobuilt_project_budgets_only_the_county_share(walker):
    code = walker.register(cobuilt=True, city_share_fen=40_000_000, county_share_fen=60_000_000)
    walker.advance_to(code, "approved")
    refused(walker, code, "budget", "第十二条", amount="600000.01", on="2026-02-10")
    walker.go(code, "budget", amount="600000", on="2026-02-10")


def test_the_notice_lists_a_budget_of_another_year_with_its_money(walker):
    from app.models import Publicity, PublicityItem

    code = walker.to("approved", period_months=18, year_request_fen=50_000_000)
    plan_next_year(walker, code, 50_000_000)
    walker.go(code, "budget", amount="400000", year=2027, on="2026-02-10")
    walker.go(code, "publicize", start_on="2026-02-24")
    with walker.db.uow(walker.actor, write=False) as uow:
        item, pub = uow.session.execute(select(PublicityItem, Publicity).join(Publicity)).one()
        assert (pub.year, item.amount_fen) == (2027, 40_000_000)


# ---------------------------------------------------------------- the review's checklist against its conclusion (第七条)


@pytest.mark.parametrize("item", ["art7_catalogue", "art7_sharing"])
@pytest.mark.parametrize("conclusion", ["pass", "pass_with_changes"])
def test_a_passing_review_with_no_catalogue_or_no_sharing_is_refused(walker, item, conclusion):
    code = walker.to("in_review")
    answers = walker.REVIEW_ANSWERS | {item: "不符合"}
    msg = refused(walker, code, "review", "第七、九条", conclusion=conclusion, **answers)
    assert {"art7_catalogue": "政务信息资源目录", "art7_sharing": "数据整合共享"}[item] in msg
    walker.go(code, "review", conclusion="fail", **answers)


def test_every_checklist_item_must_be_answered(walker):
    code = walker.to("in_review")
    answers = dict(walker.REVIEW_ANSWERS)
    del answers["art7_autonomy"], answers["policy_ok"]
    with pytest.raises(InputError) as exc:
        walker.go(code, "review", conclusion="pass", **answers)
    assert "软硬件设备安全自主可控" in exc.value.message and "相关政策" in exc.value.message
    assert walker.status(code) == "in_review"


def test_a_plain_pass_needs_every_item_met(walker):
    code = walker.to("in_review")
    answers = walker.REVIEW_ANSWERS | {"art7_intensive": "不符合"}
    assert "修改后通过" in refused(walker, code, "review", "第七条", conclusion="pass", **answers)
    walker.go(code, "review", conclusion="pass_with_changes", **answers)
    assert walker.status(code) == "reviewed"


def test_approval_refused_when_the_recorded_checklist_says_no_sharing(walker):
    from app.models import ReviewItem

    code = walker.to("reviewed")
    walker.plan(code)
    with walker.db.uow(walker.actor) as uow:
        item = uow.session.scalars(select(ReviewItem).where(ReviewItem.key == "sharing")).one()
        item.passed = False
        uow.commit()
    refused(walker, code, "approve", "第七、九条")


# ---------------------------------------------------------------- sharing (第九、十九、二十一条)


def _accept_with(walker, share_type):
    code = walker.to("preliminarily_accepted")
    walker.estimate(code)
    walker.go(code, "register-catalogue", name="内部数据", share_type=share_type, on="2026-08-02")
    walker.go(code, "land-data", on="2026-08-02")
    walker.go(code, "check-autonomy", on="2026-08-02")
    return code


def test_items_not_shared_do_not_count_as_sharing(walker):
    code = _accept_with(walker, "不予共享")
    assert "不予共享" in refused(walker, code, "accept-joint", "第十九条", on="2026-08-10")
    walker.go(code, "register-catalogue", name="共享数据", share_type="无条件共享", on="2026-08-03")
    walker.go(code, "accept-joint", on="2026-08-10")
    walker.go(code, "operate", on="2026-08-11")
    walker.go(code, "correct-catalogue", name="共享数据", share_type="不予共享", on="2026-08-12")
    refused(walker, code, "request-om", "第九条", year=2026, amount="1000")


def test_an_item_entered_unregistered_can_be_corrected_without_a_second_row(walker):
    code = walker.to("preliminarily_accepted")
    walker.go(code, "register-catalogue", name="人口库", resource_code="QS001", registered="否", on="2026-08-02")
    refused(walker, code, "accept-joint", "第十九条")
    again = walker.go(code, "register-catalogue", name="人口库", registered="是", on="2026-08-03")
    assert again.data["corrected"] is True
    with walker.db.uow(walker.actor, write=False) as uow:
        items = [(i.name, i.registered, str(i.registered_on)) for i in uow.session.scalars(select(CatalogueItem))]
        history = [json.loads(r.detail) for r in uow.session.scalars(
            select(AuditRecord).where(AuditRecord.action == "catalogue.correct"))]
    assert items == [("人口库", True, "2026-08-03")]
    assert history[-1]["before"] == {"registered": False, "registered_on": None}
    assert history[-1]["after"]["registered"] is True
    walker.go(code, "correct-catalogue", name="人口库", new_name="人口基础信息库", share_type="无条件共享")
    walker.go(code, "register-catalogue", name="错填的目录", on="2026-08-03")
    walker.go(code, "correct-catalogue", name="错填的目录", remove="是")
    with walker.db.uow(walker.actor, write=False) as uow:
        assert [i.name for i in uow.session.scalars(select(CatalogueItem))] == ["人口基础信息库"]


# ---------------------------------------------------------------- 安全自主可控 (第二十条)


def test_autonomy_is_judged_on_the_estimate_against_the_bureau_threshold(walker):
    code = walker.to("preliminarily_accepted")
    assert "投资概算" in refused(walker, code, "check-autonomy", "第二十条")  # no estimate: nothing to judge on
    walker.estimate(code, domestic_percent=0)
    msg = refused(walker, code, "check-autonomy", "第二十条", passed="是")
    assert "0.00%" in msg and "50%" in msg
    result = walker.go(code, "check-autonomy")
    assert result.data["passed"] is False
    walker.go(code, "register-catalogue", name="人口数据", on="2026-08-02")
    walker.go(code, "land-data", on="2026-08-02")
    assert "不符合" in refused(walker, code, "accept-joint", "第二十条")
    walker.estimate(code, domestic_percent=30)
    with walker.db.uow(walker.actor) as uow:
        set_setting(uow, "autonomy_min_percent", "25")
        uow.commit()
    assert walker.go(code, "check-autonomy").data == {"domestic_percent": "30.00", "threshold_percent": "25",
                                                       "passed": True}
    walker.go(code, "accept-joint")


# ---------------------------------------------------------------- rectification (第二十二条)


def test_after_the_deadline_nothing_goes_through(walker):
    code = walker.to("under_construction")
    walker.go(code, "order-rectification", reason="unauthorized_change", requirements="恢复原方案",
              on="2026-11-01", deadline="2026-11-25")  # passed by today (2026-12-01), not yet suspended
    assert walker.status(code) == "rectifying"
    msg = refused(walker, code, "pay", "第二十二条", amount="1000", paid_on="2026-11-20")  # backdated within it
    assert "2026-11-25" in msg
    refused(walker, code, "sign-contract", "第二十二条", **contract(walker, code, contract_no="HT-2",
                                                                   signed_on="2026-11-20"))
    assert count(walker, Payment) == 0


def test_payments_go_through_before_the_deadline(walker):
    code = walker.to("under_construction")
    walker.go(code, "order-rectification", reason="unauthorized_change", requirements="恢复原方案",
              on="2026-11-01", deadline="2026-12-20")
    walker.go(code, "pay", amount="1000", paid_on="2026-11-20")


# ---------------------------------------------------------------- O&M (第二十一条) and the right article


def _in_operation_sharing(walker):
    return walker.to("in_operation")


def test_om_goes_through_the_bureau_before_the_budget(walker):
    code = _in_operation_sharing(walker)
    walker.go(code, "request-om", year=2026, amount="50000", on="2026-09-01")
    assert "主管部门审核" in refused(walker, code, "budget-om", "第二十一条", year=2026, amount="50000")
    refused(walker, code, "pay", "第二十一条", kind="om", amount="100")
    walker.go(code, "decide-om", decision="approve", opinion="同意", on="2026-09-05")
    refused(walker, code, "budget-om", "第二十一条", year=2027, amount="1000")  # another year: not reviewed
    walker.go(code, "budget-om", year=2026, amount="50000", on="2026-09-10")
    walker.go(code, "pay", kind="om", amount="50000")


def test_a_suspended_project_is_refused_om_under_article_22(walker):
    code = _in_operation_sharing(walker)
    walker.go(code, "order-rectification", reason="other", requirements="补充材料", on="2026-09-01",
              deadline="2026-09-30")
    refused(walker, code, "request-om", "第二十二条", year=2026, amount="1000")
    walker.go(code, "suspend", on="2026-10-01")
    for action in ("request-om", "budget-om", "pay"):
        refused(walker, code, action, "第二十二条", year=2026, amount="1000") if action != "pay" else \
            refused(walker, code, action, "第二十二条", amount="1000", kind="om")
    refused(walker, code, "sign-contract", "第二十二条", **contract(walker, code, contract_no="HT-3"))


# ---------------------------------------------------------------- the table


def test_the_readme_drawing_and_the_table_agree():
    """README.md draws the lifecycle; every arrow there is a row of the table, and every row that moves a project
    is drawn (the README is what a person reads, the table what the program does)."""
    text = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = text.split("## Lifecycle", 1)[1].split("```", 2)[1]
    keys = set(STATUS_LABELS)
    drawn: set[tuple[str | None, str, str]] = set()
    last: str | None = None
    for line in block.splitlines():
        for part in line.split(";"):
            # chains: "state ─action─▶ state ─action─▶ state" (a line may start with "─action─▶", after the last state)
            tokens = re.findall(r"([a-z-]+) →|─([a-z-]+)[^─]*─▶|([a-z_]+)", part)
            pending_action = None
            for side_action, chain_action, state in tokens:
                if chain_action:
                    pending_action = chain_action
                elif side_action:
                    pending_action = side_action
                    last = None  # a side arrow names no from-state
                elif state in keys or state == "before":
                    if pending_action:
                        drawn.add((last, pending_action, RESUME if state == "before" else state))
                        pending_action = None
                    last = state if state in keys else None
    table = {(s.key, s.to) for s in TABLE if s.to}
    assert {(a, t) for _, a, t in drawn} == table
    for frm, action, to in drawn:
        assert frm is None or frm in ACTIONS[action].from_states, (frm, action)
        assert ACTIONS[action].to == to


def test_states_are_one_enum_and_every_row_names_them():
    assert set(STATUS_LABELS) == {s.value for s in Status}
    for s in TABLE:
        assert s.from_states and set(s.from_states) <= set(STATUS_LABELS), s.key
        assert s.to is None or s.to == RESUME or s.to in STATUS_LABELS, s.key
        assert set(s.moves_from) <= set(s.from_states), s.key
    for r in STATE_REFUSALS:
        assert r.states <= set(STATUS_LABELS) and r.actions <= set(ACTIONS)


def test_each_action_shows_its_stage():
    from app.domain.vocabulary import STAGE_LABELS

    assert {spec.stage for spec in ACTIONS.values()} == set(STAGE_LABELS)


def test_fields_keep_the_bounds_of_the_inputs(walker):
    """The lifecycle's fields go through app/domain/inputs.py: control characters, over-long text, years and
    amounts out of range are refused naming the field, and nothing is written."""
    code = walker.to("reviewed")
    walker.plan(code)
    for fields, what in ((dict(opinion="同意\x1b[31m"), "审批意见"), (dict(leader="张" * 51), "审批领导"),
                         (dict(amount="1" * 16), "批复金额"), (dict(on="0001-01-01"), "批复日期")):
        with pytest.raises(InputError) as exc:
            walker.go(code, "approve", **fields)
        assert what in exc.value.message
    assert walker.status(code) == "reviewed"
    approved = walker.to("in_operation")
    with pytest.raises(InputError, match="经费年度"):
        walker.go(approved, "request-om", year="20267", amount="1000")


def test_the_approved_amount_stays_within_the_total_applied_for(walker):
    code = walker.to("reviewed")  # total 1,000,000.00 元
    walker.plan(code)
    msg = refused(walker, code, "approve", "第八条", on="2026-01-20", amount="1000000.01")
    assert "1,000,000.00" in msg
    walker.go(code, "approve", on="2026-01-20", amount="900000")


def test_om_is_decided_only_on_a_pending_request_for_a_project_that_shares(walker):
    code = walker.to("in_operation")
    with pytest.raises(InputError, match="没有待审核"):
        walker.go(code, "decide-om", decision="approve", on="2026-09-05")
    walker.go(code, "request-om", year=2026, amount="50000", on="2026-09-01")
    with pytest.raises(InputError, match="不能超过申请金额"):
        walker.go(code, "decide-om", decision="approve", amount="50000.01", on="2026-09-05")
    walker.go(code, "correct-catalogue", name="人口数据", share_type="不予共享", on="2026-09-02")  # shares nothing now
    refused(walker, code, "decide-om", "第九条", decision="approve", on="2026-09-05")
    walker.go(code, "decide-om", decision="reject", opinion="未实现数据共享", on="2026-09-05")


def test_one_change_request_at_a_time(walker):
    code = walker.to("under_construction")
    walker.go(code, "request-change", description="扩容", reason="需求增加", on="2026-04-01")
    with pytest.raises(InputError, match="已有待审核的调整申请"):
        walker.go(code, "request-change", description="再扩容", reason="需求又增加", on="2026-04-02")

"""The probe of issue 13: a bureau official trying to break each rule with cases of their own, not the issue's
examples. Every case either is refused, naming its article in Chinese, with nothing written, or is accepted because
the measure allows it (said so in the case). Driven through the services as the window does and through the
command line (`app.cli.main.main`) as an official would type it.

The walker's "today" is 2026-12-01; its projects are approved 2026-01-20, budgeted 2026-02-10, publicised
2026-02-24 (to 2026-03-03), contracted 2026-03-16 (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from app.cli.main import main
from app.domain.actor import SYSTEM_ACTOR, Actor
from app.errors import InputError, PermissionDenied, RuleViolation
from app.models import (
    AuditRecord,
    AutonomyCheck,
    Budget,
    CatalogueItem,
    Contract,
    Department,
    Notice,
    Payment,
)
from app.services import calendar, forms, legacy, objections, planning, publicity, records
from app.services.deadlines import list_notices, run_due
from app.services.lifecycle import advance, split_findings
from app.services.master import add_department, set_setting
from app.services.numbering import list_numbers
from app.services.plans import add_to_annual_plan, get_annual_plan
from app.services.projects import EstimateLine, replace_estimate
from app.services.recordkinds import KINDS

REVIEWER = Actor("rev", "reviewer", display_name="王审核")
FINANCE = Actor("fin", "finance", display_name="李财政")
LEADER = Actor("boss", "bureau_leader", display_name="赵局长")


# ---------------------------------------------------------------- helpers


def refused(walker, code, action, article, actor=None, **fields) -> str:
    """The action is refused under `article`, the state is unchanged and no record was added."""
    before = walker.status(code)
    rows = _rows(walker)
    with pytest.raises(RuleViolation) as exc:
        advance(walker.db, actor or walker.actor, code, action, **fields)
    assert exc.value.article == article, exc.value.message
    assert article in exc.value.message and "《政务大数据项目建设应用管理办法》" in exc.value.message
    assert walker.status(code) == before and _rows(walker) == rows
    return exc.value.message


def service_refused(walker, article, fn, actor=None, **kw) -> str:
    with pytest.raises(RuleViolation) as exc:
        do(walker, fn, actor, **kw)
    assert exc.value.article == article, exc.value.message
    assert article in exc.value.message
    return exc.value.message


def do(walker, fn, actor=None, **kw):
    with walker.db.uow(actor or walker.actor) as uow:
        out = fn(uow, **kw)
        uow.commit()
        return out


def _rows(walker) -> tuple[int, ...]:
    with walker.db.uow(walker.actor, write=False) as uow:
        return tuple(uow.session.scalar(select(func.count()).select_from(m))
                     for m in (Contract, Payment, Budget, CatalogueItem, AutonomyCheck))


def contract(walker, code, **fields) -> dict:
    return dict(contract_no=f"HT-P-{code}-{fields.pop('n', 1)}", contractor=walker.market, amount="500000",
                signed_on="2026-03-16", selection_method="公开招标") | fields


def clerk_of(walker, department="沁水县公安局", username="clerk1") -> Actor:
    with walker.db.uow(walker.actor, write=False) as uow:
        dept = uow.session.scalar(select(Department.id).where(Department.name == department))
    return Actor(username, "clerk", dept, username)


def cli(capsys, walker, *args) -> tuple[int, str, str]:
    if not walker.db.is_sqlite:
        pytest.skip("the command line opens the SQLite file")
    code = main(["--db", walker.db.url.removeprefix("sqlite:///"), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def two_year_project(walker) -> str:
    """Approved 1,000,000.00 元: county 700,000 + upper 300,000; budgets county 600,000 in 2026, county 100,000 and
    upper 300,000 in 2027; publicised; a contract of 1,000,000.00 元 signed 2026-03-16."""
    code = walker.register(total=100_000_000, county_fen=70_000_000, upper_fen=30_000_000, period_months=24,
                           year_request_fen=60_000_000)
    walker.advance_to(code, "approved")
    do(walker, planning.plan_year_amount, project=code, year=2027, amount=40_000_000)  # 第六条: in 2027's plan too
    walker.go(code, "budget", amount="600000", source="county", year=2026, on="2026-02-10")
    walker.go(code, "budget", amount="100000", source="county", year=2027, on="2026-02-10")
    walker.go(code, "budget", amount="300000", source="upper", year=2027, on="2026-02-10")
    walker.go(code, "publicize", start_on="2026-02-24")
    walker.go(code, "sign-contract", **contract(walker, code, amount="1000000"))
    return code


# ---------------------------------------------------------------- 1. dates against dates (第九、十一、十五条)


def test_a_contract_signed_the_day_before_approval(walker):
    code = walker.to("publicized")
    msg = refused(walker, code, "sign-contract", "第九条", **contract(walker, code, signed_on="2026-01-19"))
    assert "不得未批先建" in msg


def test_a_contract_signed_on_the_first_and_the_last_day_of_the_publicity(walker):
    code = walker.to("publicized")
    for day in ("2026-02-24", "2026-03-02"):  # the notice runs 2026-02-24 .. 2026-03-02
        refused(walker, code, "sign-contract", "第十一条", **contract(walker, code, signed_on=day))


def test_a_second_contract_during_the_publicity_of_a_project_under_construction(walker):
    code = walker.to("under_construction")
    refused(walker, code, "sign-contract", "第十一条",
            **contract(walker, code, n=2, kind="supervision", amount="10000", signed_on="2026-02-26"))


def test_a_contract_dated_tomorrow_or_forty_days_ahead(walker):
    code = walker.to("publicized")
    for day in ("2026-12-02", "2027-01-10"):
        msg = refused(walker, code, "sign-contract", "第十三—十五条", **contract(walker, code, signed_on=day))
        assert "晚于今天" in msg


def test_a_payment_on_a_second_contract_before_that_contract_was_signed(walker):
    code = walker.to("under_construction")
    walker.go(code, "sign-contract", **contract(walker, code, n=2, kind="supervision", amount="20000",
                                                signed_on="2026-05-06"))
    msg = refused(walker, code, "pay", "第九、十四条", amount="1000", paid_on="2026-04-01",
                  contract_no=f"HT-P-{code}-2")
    assert "2026-05-06" in msg


def test_a_payment_dated_in_the_future(walker):
    code = walker.to("under_construction")
    refused(walker, code, "pay", "第九、十、二十二条", amount="1000", paid_on="2027-01-05")


def test_a_budget_dated_before_the_approval(walker):
    code = walker.to("approved")
    refused(walker, code, "budget", "第九、十条", amount="100000", source="county", on="2026-01-19")


def test_approval_dated_before_the_review_opinion(walker):
    code = walker.to("reviewed")  # opinion 2026-01-15
    walker.plan(code)
    refused(walker, code, "approve", "第七、八条", on="2026-01-14")


def test_joint_acceptance_dated_before_the_catalogue_was_registered(walker):
    code = walker.to("preliminarily_accepted")  # preliminary 2026-08-01
    walker.estimate(code)
    walker.go(code, "register-catalogue", name="人口数据", on="2026-09-01")
    walker.go(code, "land-data", on="2026-08-02")
    walker.go(code, "check-autonomy", on="2026-08-02")
    msg = refused(walker, code, "accept-joint", "第十九条", on="2026-08-10")
    assert "2026-09-01" in msg


def test_joint_acceptance_dated_before_the_data_landed_or_the_autonomy_check(walker):
    code = walker.to("preliminarily_accepted")
    walker.estimate(code)
    walker.go(code, "register-catalogue", name="人口数据", on="2026-08-02")
    walker.go(code, "land-data", on="2026-09-03")
    walker.go(code, "check-autonomy", on="2026-09-04")
    assert "2026-09-03" in refused(walker, code, "accept-joint", "第十九条", on="2026-08-10")
    assert "2026-09-04" in refused(walker, code, "accept-joint", "第二十条", on="2026-09-03")
    walker.go(code, "accept-joint", on="2026-09-04")
    assert walker.status(code) == "accepted"


def test_an_om_payment_dated_before_the_bureau_approved_the_om_costs(walker):
    code = walker.to("in_operation")
    walker.go(code, "request-om", year=2026, amount="50000", on="2026-09-01")
    walker.go(code, "decide-om", decision="approve", opinion="同意", on="2026-09-10")
    walker.go(code, "budget-om", year=2026, amount="50000", source="county", on="2026-09-15")
    msg = refused(walker, code, "pay", "第二十一条", kind="om", amount="1000", source="county", paid_on="2026-09-05")
    assert "2026-09-15" in msg or "2026-09-10" in msg
    walker.go(code, "pay", kind="om", amount="1000", source="county", paid_on="2026-09-16")


# ---------------------------------------------------------------- 2. money against budget (year AND source) and contract


def test_payments_beyond_the_year_budget_are_refused_and_within_it_accepted(walker):
    code = two_year_project(walker)
    msg = refused(walker, code, "pay", "第十条", amount="600000.01", source="county", paid_on="2026-04-01")
    assert "2026年" in msg and "600,000.00" in msg
    walker.go(code, "pay", amount="600000", source="county", paid_on="2026-04-01")  # the whole 2026 budget


def test_money_budgeted_without_a_source_still_caps_the_years_payments(walker):
    """Budgets kept from before sources were recorded may pay from any source, but never beyond the year's total."""
    code = walker.register(total=100_000_000, county_fen=70_000_000, upper_fen=30_000_000)
    walker.advance_to(code, "approved")
    walker.go(code, "budget", amount="300000", source="county", on="2026-02-10")
    with walker.db.uow(walker.actor) as uow:
        pid = uow.session.scalar(select(Budget.project_id).limit(1))
        uow.session.add(Budget(project_id=pid, year=2026, kind="construction", source=None, amount_fen=20_000_000,
                               set_on=dt.date(2026, 2, 10)))
        uow.commit()
    walker.go(code, "publicize", start_on="2026-02-24")
    walker.go(code, "sign-contract", **contract(walker, code, amount="1000000"))
    walker.go(code, "pay", amount="400000", source="county", paid_on="2026-04-01")  # 300,000 + 200,000 unsourced
    msg = refused(walker, code, "pay", "第十条", amount="200000", source="upper", paid_on="2026-04-02")
    assert "该年度的预算500,000.00元" in msg
    walker.go(code, "pay", amount="100000", source="upper", paid_on="2026-04-02")


def test_a_payment_from_a_source_budgeted_only_in_another_year(walker):
    code = two_year_project(walker)
    msg = refused(walker, code, "pay", "第十条", amount="1000", source="upper", paid_on="2026-04-01")
    assert "上级补助资金" in msg


def test_budgets_over_the_approval_summed_over_the_years(walker):
    code = walker.to("approved")  # 1,000,000.00 元 approved, all county
    walker.go(code, "budget", amount="700000", year=2026, on="2026-02-10")
    msg = refused(walker, code, "budget", "第十条", amount="300000.01", year=2027, on="2026-02-10")
    assert "立项批复金额" in msg


def test_a_budget_from_a_source_the_project_does_not_have(walker):
    code = walker.to("approved")  # county only
    refused(walker, code, "budget", "第十条", amount="1000", source="upper", on="2026-02-10")


def test_contracts_summed_over_the_approval(walker):
    code = walker.to("under_construction")  # 500,000 signed of 1,000,000 approved
    refused(walker, code, "sign-contract", "第十四、十七条", **contract(walker, code, n=2, amount="500000.01"))


def test_a_change_cannot_cut_the_total_below_what_is_contracted(walker):
    code = walker.to("under_construction")  # contract of 500,000.00 元
    msg = refused(walker, code, "request-change", "第十七条", description="缩减", reason="需求变化",
                  total="400000", county="400000")
    assert "500,000.00" in msg


def test_om_payment_beyond_the_om_budget(walker):
    code = walker.to("in_operation")
    walker.go(code, "request-om", year=2026, amount="50000", on="2026-09-01")
    walker.go(code, "decide-om", decision="approve", opinion="同意", on="2026-09-02")
    walker.go(code, "budget-om", year=2026, amount="30000", source="county", on="2026-09-03")
    refused(walker, code, "pay", "第十条", kind="om", amount="30000.01", source="county", paid_on="2026-09-04")
    refused(walker, code, "budget-om", "第二十一条", year=2026, amount="20000.01", source="county", on="2026-09-05")


# ---------------------------------------------------------------- 3. wrong order, wrong role, one person two duties


@pytest.mark.parametrize(("state", "action", "fields", "article"), [
    ("reviewed", "budget", {"amount": "1000"}, "第九、十条"),
    ("approved", "publicize", {}, "第十一条"),
    ("budgeted", "sign-contract", {}, "第十一条"),
    ("under_construction", "accept-joint", {}, "第十八条"),
    ("under_construction", "request-om", {"year": 2026, "amount": "1"}, "第二十一条"),
    ("approved", "pay", {"amount": "1"}, "第九、十四条"),
    ("publicized", "pay", {"amount": "1"}, "第九、十四条"),
    ("in_review", "approve", {}, "第七、八条"),
])
def test_out_of_order(walker, state, action, fields, article):
    code = walker.to(state)
    if action == "sign-contract":
        fields = contract(walker, code)
    refused(walker, code, action, article, **fields)


@pytest.mark.parametrize(("role", "action", "state"), [
    ("clerk", "approve", "reviewed"),
    ("clerk", "budget", "approved"),
    ("clerk", "review", "in_review"),
    ("finance", "review", "in_review"),
    ("reviewer", "budget", "approved"),
    ("bureau_leader", "sign-contract", "publicized"),
    ("finance", "sign-contract", "publicized"),
    ("sysadmin", "pay", "under_construction"),
    ("auditor", "order-rectification", "under_construction"),
    ("leader", "approve", "reviewed"),
])
def test_the_wrong_role_is_refused_naming_the_division_of_duties(walker, role, action, state):
    code = walker.to(state)
    who = clerk_of(walker) if role == "clerk" else Actor(f"u-{role}", role, None, role)
    before = walker.status(code)
    with pytest.raises(PermissionDenied) as exc:
        advance(walker.db, who, code, action)
    assert "无权" in exc.value.message and "第四条" in exc.value.message
    assert walker.status(code) == before


def test_a_clerk_of_another_department_cannot_touch_the_catalogue(walker):
    code = walker.to("under_construction")
    with pytest.raises(PermissionDenied, match="其他单位"):
        advance(walker.db, clerk_of(walker, "沁水县教育局", "clerk2"), code, "register-catalogue", name="X")


def test_the_one_who_gave_the_opinion_cannot_approve_even_holding_both_roles(walker):
    code = walker.to("in_review")
    walker.plan(code)
    both = Actor("wang", "reviewer", None, "王", ("reviewer", "bureau_leader"))
    advance(walker.db, both, code, "review", conclusion="pass_with_changes", on="2026-01-15", **walker.REVIEW_ANSWERS)
    msg = refused(walker, code, "approve", "第七、八条", actor=both, on="2026-01-20")
    assert "不同人员" in msg
    advance(walker.db, LEADER, code, "approve", on="2026-01-20")
    assert walker.status(code) == "approved"


# ---------------------------------------------------------------- 4. the checklist against the conclusion (第七、九条)


@pytest.mark.parametrize(("item", "conclusion", "article"), [
    ("art7_sharing", "pass_with_changes", "第七、九条"),
    ("art7_catalogue", "pass_with_changes", "第七、九条"),
    ("art7_autonomy", "pass", "第七条"),
    ("art7_intensive", "pass", "第七条"),
    ("interconnect_ok", "pass_with_changes", "第九条"),
    ("not_disguised", "pass", "第九条"),
])
def test_a_passing_conclusion_against_a_failed_item(walker, item, conclusion, article):
    code = walker.to("in_review")
    answers = walker.REVIEW_ANSWERS | {item: "不符合" if item.startswith("art7") else "否"}
    refused(walker, code, "review", article, conclusion=conclusion, on="2026-01-15", **answers)


def test_an_autonomy_item_failed_may_pass_with_changes_and_the_form_shows_it(walker):
    code = walker.to("in_review")
    walker.go(code, "review", conclusion="pass_with_changes", on="2026-01-15",
              **(walker.REVIEW_ANSWERS | {"art7_autonomy": "不符合"}))
    assert walker.status(code) == "reviewed"


def test_an_unanswered_item_is_never_taken_as_met(walker):
    code = walker.to("in_review")
    answers = dict(walker.REVIEW_ANSWERS)
    answers.pop("art7_autonomy")
    with pytest.raises(InputError, match="缺少"):
        walker.go(code, "review", conclusion="pass", on="2026-01-15", **answers)


# ---------------------------------------------------------------- 5. 不予共享 is not sharing (第九、十九、二十一条)


def _built(walker, share_type: str, **more: str) -> str:
    code = walker.to("preliminarily_accepted")
    walker.estimate(code)
    walker.go(code, "register-catalogue", name="内部台账", share_type=share_type, on="2026-08-02", **more)
    walker.go(code, "land-data", on="2026-08-02")
    walker.go(code, "check-autonomy", on="2026-08-02")
    return code


def test_nothing_but_not_shared_items_passes_neither_acceptance_nor_om(walker):
    code = _built(walker, "不予共享")
    assert "不予共享" in refused(walker, code, "accept-joint", "第十九条", on="2026-08-10")


def test_an_item_corrected_to_not_shared_after_the_om_was_budgeted_stops_the_om_payment(walker):
    code = walker.to("in_operation")  # 人口数据 有条件共享
    walker.go(code, "request-om", year=2026, amount="50000", on="2026-09-01")
    walker.go(code, "decide-om", decision="approve", opinion="同意", on="2026-09-02")
    walker.go(code, "budget-om", year=2026, amount="50000", source="county", on="2026-09-03")
    walker.go(code, "correct-catalogue", name="人口数据", share_type="不予共享")
    refused(walker, code, "pay", "第九条", kind="om", amount="1000", source="county", paid_on="2026-09-04")
    walker.go(code, "correct-catalogue", name="人口数据", share_type="无条件共享")
    walker.go(code, "pay", kind="om", amount="1000", source="county", paid_on="2026-09-04")


def test_a_pending_om_request_of_a_project_that_no_longer_shares_is_not_approved(walker):
    code = walker.to("in_operation")
    walker.go(code, "request-om", year=2026, amount="50000", on="2026-09-01")
    walker.go(code, "correct-catalogue", name="人口数据", share_type="不予共享")
    refused(walker, code, "decide-om", "第九条", decision="approve", opinion="同意", on="2026-09-02")


def test_an_unregistered_item_is_corrected_in_place_with_its_history(walker, capsys):
    code = walker.to("preliminarily_accepted")
    walker.go(code, "register-catalogue", name="法人数据", registered="否", on="2026-08-02")
    walker.go(code, "correct-catalogue", name="法人数据", registered="是", platform_id="QS-ML-0009", on="2026-08-03")
    walker.go(code, "register-catalogue", name="法人数据", share_type="无条件共享", on="2026-08-04")
    with walker.db.uow(walker.actor, write=False) as uow:
        [item] = uow.session.scalars(select(CatalogueItem)).all()
        history = uow.session.scalars(select(AuditRecord).where(AuditRecord.action == "catalogue.correct")).all()
        assert (item.registered, item.platform_id, item.share_type) == (True, "QS-ML-0009", "无条件共享")
        befores = [json.loads(h.detail)["before"] for h in history]
    assert befores == [
        {"registered": False, "registered_on": None, "platform_id": None}, {"share_type": "有条件共享"}]
    exit_code, out, err = cli(capsys, walker, "history", code)
    assert exit_code == 0, err
    assert "更正信息资源目录" in out and "已在共享平台目录管理系统注册、注册日期、平台目录编号" in out
    assert "catalogue.correct" not in out and "registered" not in out  # labels, never keys


# ---------------------------------------------------------------- 6. 自主可控 on the estimate (第二十条)


def test_zero_domestic_share_is_never_found_compliant(walker):
    code = walker.to("preliminarily_accepted")
    walker.estimate(code, domestic_percent=0)
    walker.go(code, "register-catalogue", name="人口数据", on="2026-08-02")
    walker.go(code, "land-data", on="2026-08-02")
    refused(walker, code, "check-autonomy", "第二十条", passed="是", on="2026-08-02")
    out = walker.go(code, "check-autonomy", on="2026-08-02")  # judged on the facts: 0 % < 50 %
    assert out.data["passed"] is False
    refused(walker, code, "accept-joint", "第二十条", on="2026-08-10")


def test_an_estimate_changed_after_the_check_needs_a_new_check(walker):
    code = _built(walker, "有条件共享")  # checked at 80 % domestic
    with walker.db.uow(walker.actor) as uow:
        replace_estimate(uow, code, [EstimateLine("一、硬件设备", "进口服务器", Decimal(1), 100_000_000, 100_000_000,
                                                  False)])
        uow.commit()
    msg = refused(walker, code, "accept-joint", "第二十条", on="2026-08-10")
    assert "重新" in msg
    walker.go(code, "check-autonomy", on="2026-08-03")  # now 0 %: not compliant
    refused(walker, code, "accept-joint", "第二十条", on="2026-08-10")


def test_the_bureau_sets_the_threshold(walker):
    code = walker.to("preliminarily_accepted")
    walker.estimate(code, domestic_percent=60)
    with walker.db.uow(walker.actor) as uow:
        set_setting(uow, "autonomy_min_percent", "70")
        uow.commit()
    assert walker.go(code, "check-autonomy", on="2026-08-02").data["passed"] is False
    with walker.db.uow(walker.actor) as uow:
        set_setting(uow, "autonomy_min_percent", "不限")
        uow.commit()
    with pytest.raises(InputError, match="autonomy_min_percent"):
        walker.go(code, "check-autonomy", on="2026-08-02")


# ---------------------------------------------------------------- 7. deadlines act (第二十二条)


def _rectifying(walker, deadline="2026-11-25") -> str:
    code = walker.to("under_construction")
    walker.go(code, "file-contract", filed_on="2026-03-18")
    walker.go(code, "order-rectification", reason="delayed_acceptance", requirements="限期验收", on="2026-11-02",
              deadline=deadline)
    return code


def test_a_rectification_deadline_not_after_the_notice(walker):
    code = walker.to("under_construction")
    for deadline in ("2026-11-02", "2026-10-30"):
        refused(walker, code, "order-rectification", "第二十二条", reason="other", requirements="补充材料",
                on="2026-11-02", deadline=deadline)


def test_past_the_deadline_payments_contracts_budgets_are_refused_before_any_run(walker):
    code = _rectifying(walker)  # deadline passed 2026-11-25, run-due never ran
    refused(walker, code, "pay", "第二十二条", amount="1000", paid_on="2026-11-20")  # backdated before it too
    refused(walker, code, "sign-contract", "第二十二条",
            **contract(walker, code, n=2, kind="testing", amount="1000", signed_on="2026-11-30"))
    refused(walker, code, "budget", "第二十二条", amount="1000", on="2026-11-30")  # over the approval too: 第二十二条 first


def test_run_due_from_the_command_line_suspends_as_the_system_and_then_refuses(walker, capsys):
    code = _rectifying(walker)
    exit_code, out, err = cli(capsys, walker, "run-due")
    assert exit_code == 0, err
    assert code in out and "第二十二条" in out
    assert walker.status(code) == "funds_suspended"
    with walker.db.uow(walker.actor, write=False) as uow:
        acts = uow.session.scalars(select(AuditRecord).where(AuditRecord.object_id == code,
                                                             AuditRecord.action.in_(("lifecycle.suspend",
                                                                                     "deadline.suspend")))).all()
        notice = uow.session.scalars(select(Notice)).one()
        assert {a.user for a in acts} == {SYSTEM_ACTOR.username} and len(acts) == 2
        assert "2026-11-25" in notice.body
    exit_code, _, err = cli(capsys, walker, "advance", code, "pay", "--amount", "1000", "--paid-on", "2026-11-30")
    assert exit_code == 1 and "第二十二条" in err and "Traceback" not in err
    exit_code, _, err = cli(capsys, walker, "advance", code, "sign-contract", "--contract-no", "HT-Z",
                            "--contractor", walker.market, "--amount", "100", "--signed-on", "2026-11-30",
                            "--selection-method", "公开招标")
    assert exit_code == 1 and "第二十二条" in err


def test_the_deadline_day_itself_is_still_within_the_period(walker):
    code = _rectifying(walker, deadline="2026-12-01")
    assert run_due(walker.db).suspended == ()
    walker.go(code, "pay", amount="1000", paid_on="2026-11-30")
    assert walker.status(code) == "rectifying"


def test_om_is_refused_in_rectification_under_article_22(walker):
    code = walker.to("in_operation")
    walker.go(code, "order-rectification", reason="other", requirements="补充材料", on="2026-11-02",
              deadline="2026-12-20")
    refused(walker, code, "request-om", "第二十二条", year=2027, amount="1000", on="2026-11-03")


# ---------------------------------------------------------------- 8. O&M (第二十一条) and systems that existed before


def test_finance_budgets_om_only_for_a_year_the_bureau_approved(walker):
    code = walker.to("in_operation")
    walker.go(code, "request-om", year=2026, amount="50000", on="2026-09-01")
    walker.go(code, "decide-om", decision="approve", opinion="同意", on="2026-09-02")
    refused(walker, code, "budget-om", "第二十一条", actor=FINANCE, year=2027, amount="1000", source="county",
            on="2026-09-03")


def test_om_of_a_pre_existing_system_through_the_bureau_and_a_well_formed_number(walker):
    s = do(walker, legacy.register_system, name="县公安局原有视频专网系统", department="县公安局", built_year=2016,
           catalogue_registered=True, data_landed=True)
    r = do(walker, legacy.request_om, clerk_of(walker), system=s.id, year=2027, amount=5_000_000,
           requested_on="2026-11-02")
    service_refused(walker, "第二十一条", legacy.budget_om, FINANCE, id=r.id, budget_on="2026-11-20", amount=5_000_000)
    with pytest.raises(PermissionDenied):
        do(walker, legacy.review_om, FINANCE, id=r.id, decision="approve", reviewed_on="2026-11-05", opinion="同意")
    do(walker, legacy.review_om, REVIEWER, id=r.id, decision="approve", reviewed_on="2026-11-05", opinion="同意")
    msg = service_refused(walker, "第八条", legacy.budget_om, FINANCE, id=r.id, budget_on="2026-11-20",
                          amount=5_000_000, doc_no="沁财预[2027]05号")
    assert "〔〕" in msg
    done = do(walker, legacy.budget_om, FINANCE, id=r.id, budget_on="2026-11-20", amount=5_000_000,
              doc_no="沁财预〔2027〕5号")
    assert done.status == "budgeted"


def test_a_pre_existing_system_that_does_not_share_gets_no_om(walker):
    s = do(walker, legacy.register_system, name="县教育局学籍系统", department="县教育局", built_year=2014,
           catalogue_registered=True, data_landed=False)
    r = do(walker, legacy.request_om, system=s.id, year=2027, amount=1_000_000, requested_on="2026-11-02")
    service_refused(walker, "第九条", legacy.review_om, REVIEWER, id=r.id, decision="approve",
                    reviewed_on="2026-11-03", opinion="同意")


# ---------------------------------------------------------------- 9. publicity (第十一条)


def test_a_project_budgeted_only_in_the_next_year_is_publicised_with_its_money(walker):
    code = walker.register(total=30_000_000, period_months=18, year_request_fen=10_000_000)  # 2026—2027
    walker.advance_to(code, "approved")
    do(walker, planning.plan_year_amount, project=code, year=2027, amount=20_000_000)
    walker.go(code, "budget", amount="300000", year=2027, on="2026-02-10")
    out = walker.go(code, "publicize", start_on="2026-02-24")
    with walker.db.uow(walker.actor, write=False) as uow:
        lines = publicity.publicity_lines(uow, out.data["publicity_id"])
        form, _src, _pid = forms.gather(uow, "publicity", year=2027, record_id=out.data["publicity_id"])
    [line] = [x for x in lines if x.code == code]
    assert (line.budget_year, line.amount_fen) == (2027, 30_000_000)
    [printed] = [x for x in form.lines if x.code == code]  # the printed notice: its money, never 0.00 元
    assert printed.amount_fen == 30_000_000


def test_later_year_and_om_budgets_wait_for_their_own_notice_with_their_amounts(walker):
    code = two_year_project(walker)  # 2026 publicised; 2027: county 100,000 + upper 300,000 waiting
    with walker.db.uow(walker.actor, write=False) as uow:
        rows = publicity.list_budget_notices(uow, 2027)
    assert sorted((r.code, r.amount_fen, r.state) for r in rows if r.code == code) == [
        (code, 10_000_000, "待公示"), (code, 30_000_000, "待公示")]
    res = do(walker, publicity.publicize_budgets, year=2027, start_on="2026-11-23")
    assert res.amount_fen == 40_000_000


def test_an_objection_in_the_publicity_blocks_the_contract_until_handled(walker):
    code = walker.to("publicized")
    o = do(walker, objections.record_objection, project=code, received_on="2026-02-25", objector="李某",
           content="建设内容与县平台重复")
    refused(walker, code, "sign-contract", "第十一条", **contract(walker, code))
    do(walker, objections.handle_objection, id=o.id, handled_on="2026-03-02", outcome="dismissed",
       handling="不重复")
    walker.go(code, "sign-contract", **contract(walker, code))


# ---------------------------------------------------------------- 10. plans (第六条)


def test_a_multi_year_project_in_each_years_plan_and_not_beyond(walker):
    code = walker.register(period_months=30)  # 2026—2028
    do(walker, planning.plan_year_amount, project=code, year=2027, amount=30_000_000)
    do(walker, planning.plan_year_amount, project=code, year=2028, amount=20_000_000)
    service_refused(walker, "第六条", planning.plan_year_amount, project=code, year=2029, amount=1)
    service_refused(walker, "第六条", planning.plan_year_amount, project=code, year=2026, amount=50_000_001)
    with walker.db.uow(walker.actor, write=False) as uow:
        assert code in [p.code for p in get_annual_plan(uow, 2027).projects]
        assert code in [p.code for p in get_annual_plan(uow, 2028).projects]


def test_no_approval_under_a_plan_the_county_approved_after_the_approval_date(walker):
    code = walker.to("reviewed")
    with walker.db.uow(walker.actor) as uow:
        add_to_annual_plan(uow, 2026, [code])
        uow.commit()
    do(walker, planning.approve_annual_plan, year=2026, approved_on="2026-01-21", doc_no="沁政函〔2026〕3号")
    refused(walker, code, "approve", "第六条", on="2026-01-20")


# ---------------------------------------------------------------- 11. the split detector (第九条 变相包装)


def test_three_pieces_in_three_departments_and_years_reach_the_reviewer_and_the_form(walker):
    with walker.db.uow(walker.actor) as uow:
        add_department(uow, "沁水县民政局", aliases=["县民政局"])
        uow.commit()
    a = walker.register(name="社会救助一网通办平台建设（一期）", total=35_000_000, content="社会救助一网通办")
    walker.register(name="社会救助一网通办平台建设（二期）", total=35_000_000, department="县教育局",
                    content="社会救助一网通办")
    walker.register(name="社会救助一网通办平台建设（三期）", total=35_000_000, department="县民政局", year=2027,
                    content="社会救助一网通办")
    walker.materials(a)
    assert "similar" not in walker.go(a, "submit").data
    started = walker.go(a, "start-review", on="2026-01-10")
    assert any("达到审批限额" in w and "1,050,000.00" in w for w in started.warnings)
    walker.go(a, "review", conclusion="pass", on="2026-01-15", **walker.REVIEW_ANSWERS)
    with walker.db.uow(walker.actor, write=False) as uow:
        form, _src, _pid = forms.gather(uow, "approval", project_code=a)
    assert any("达到审批限额" in f.reason and "1,050,000.00" in f.reason for f in form.split_findings)


def test_the_same_project_again_next_year_under_another_name(walker):
    a = walker.register(name="智慧停车管理系统", total=80_000_000, content="县城区智慧停车泊位感知、诱导与收费管理")
    b = walker.register(name="城区停车智能化改造", total=60_000_000, year=2027, department="县教育局",
                        content="县城区智慧停车泊位感知、诱导与收费管理")
    with walker.db.uow(walker.actor, write=False) as uow:
        found = split_findings(uow, b)
    assert any(f.kind == "similar" and f.code == a for f in found)
    assert any(f.kind == "adds_up" for f in found)  # 1,400,000 over the 1,000,000 threshold, each below


# ---------------------------------------------------------------- 12. the calendar (第十五条)


def test_one_holiday_entered_does_not_make_2027_known_nor_can_it_be_declared_complete(walker, capsys):
    exit_code, _, err = cli(capsys, walker, "calendar", "set", "2027-05-03", "holiday")
    assert exit_code == 0, err
    with walker.db.uow(walker.actor, write=False) as uow:
        assert calendar.missing_holiday_years(uow, [2027]) == [2027]
        due = calendar.contract_filing_due(uow, dt.date(2027, 2, 5))
    assert due.provisional and due.warning and "2027" in due.warning
    exit_code, _, err = cli(capsys, walker, "calendar", "complete", "2027")
    assert exit_code == 1 and "春节" in err  # a holiday list without the Spring Festival is not complete
    with walker.db.uow(walker.actor, write=False) as uow:
        assert calendar.missing_holiday_years(uow, [2027]) == [2027]


def test_a_full_2027_list_declared_complete_counts_the_spring_festival(walker):
    spring = [dt.date(2027, 2, d) for d in range(5, 12)]  # 2027-02-05 .. 02-11 off (an example list)
    with walker.db.uow(walker.actor) as uow:
        for d in spring:
            calendar.set_holiday(uow, d, False)
        calendar.set_holiday(uow, dt.date(2027, 10, 1), False)
        calendar.set_holiday(uow, dt.date(2027, 10, 4), False)
        calendar.declare_year_complete(uow, 2027)
        uow.commit()
    with walker.db.uow(walker.actor, write=False) as uow:
        due = calendar.contract_filing_due(uow, dt.date(2027, 2, 4))
    assert not due.provisional and due.due == dt.date(2027, 2, 18)


# ---------------------------------------------------------------- 13. 文号 (第八条)


@pytest.mark.parametrize("typed", ["沁审管发[2026]05号", "沁审管发〔2026〕05号", "沁审管发【2026】5号",
                                   "沁审管发〔2025〕5号", "沁审管发〔2026〕5", "沁审管发 〔2026〕5号"])
def test_a_malformed_approval_number_is_refused(walker, typed):
    code = walker.to("reviewed")
    walker.plan(code)
    refused(walker, code, "approve", "第八条", on="2026-01-20", doc_no=typed)


def test_a_number_already_issued_is_refused_and_the_register_lists_and_exports(walker, capsys, tmp_path):
    first = walker.to("approved")  # its 立项 number issued by the program
    with walker.db.uow(walker.actor, write=False) as uow:
        [issued] = [n.number for n in list_numbers(uow, kind="approval") if first in (n.purpose or "")]
    code = walker.to("reviewed")
    walker.plan(code)
    msg = refused(walker, code, "approve", "第八条", on="2026-01-20", doc_no=issued)
    assert "已被使用" in msg
    walker.go(code, "approve", on="2026-01-20", doc_no="沁审管发〔2026〕99号")
    exit_code, out, err = cli(capsys, walker, "numbers", "list", "--year", "2026")
    assert exit_code == 0, err
    assert "沁审管发〔2026〕99号" in out and issued in out
    target = tmp_path / "文号.xlsx"
    exit_code, out, err = cli(capsys, walker, "numbers", "export", str(target))
    assert exit_code == 0, err
    cells = [c for row in openpyxl.load_workbook(target).active.iter_rows(values_only=True) for c in row]
    assert "沁审管发〔2026〕99号" in cells and issued in cells


def test_a_budget_number_of_finance_is_checked_too(walker):
    code = walker.to("approved")
    refused(walker, code, "budget", "第八条", amount="1000", on="2026-02-10", doc_no="沁财预[2026]1号")


def test_the_annual_plans_approval_number_is_checked(walker):
    walker.to("reviewed")
    service_refused(walker, "第八条", planning.approve_annual_plan, year=2026, approved_on="2026-01-05",
                    doc_no="沁政函[2026]01号")


# ---------------------------------------------------------------- 14. the demo shows each new record


def test_the_demo_holds_each_record_kind_and_the_rules_records(demo_db):
    with demo_db.uow(SYSTEM_ACTOR, write=False) as uow:
        empty = [k for k in KINDS if not records.list_records(uow, k)]
        numbers = list_numbers(uow)
        notices = list_notices(uow)
        corrected = uow.session.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.action == "catalogue.correct"))
        unshared = uow.session.scalar(select(func.count()).select_from(CatalogueItem).where(
            CatalogueItem.share_type == "不予共享"))
    assert empty == []
    assert numbers and all("〔" in n.number for n in numbers)
    assert any(n.issued_by == "系统" for n in notices)  # a deadline that acted by itself
    assert corrected and unshared


def test_a_city_filing_number_is_checked(walker):
    service_refused(walker, "第八条", planning.file_with_city, title="全县政务信息化规划报备", filed_on="2026-06-01",
                    doc_no="沁审管发(2026)7号")
    done = do(walker, planning.file_with_city, title="全县政务信息化规划报备", filed_on="2026-06-01",
              doc_no="沁审管发〔2026〕7号")
    assert done.doc_no == "沁审管发〔2026〕7号"


# ---------------------------------------------------------------- 15. 等保 and 密评 at joint acceptance (第二十八条)


def test_an_mlps_assessment_expired_by_the_acceptance_day_refuses_it(walker):
    code = _built(walker, "有条件共享")
    walker.go(code, "assess-security", kind="mlps", level=3, on="2026-04-01", valid_until="2026-07-31")
    msg = refused(walker, code, "accept-joint", "第二十八条", on="2026-08-10")
    assert "有效期" in msg and "2026-07-31" in msg
    walker.go(code, "assess-security", kind="mlps", level=3, on="2026-08-05")
    walker.go(code, "accept-joint", on="2026-08-10")
    assert walker.status(code) == "accepted"


def test_a_failed_crypto_assessment_after_the_acceptance_day_does_not_reach_back(walker):
    code = _built(walker, "有条件共享")
    walker.go(code, "assess-security", kind="crypto", on="2026-08-05")
    walker.go(code, "assess-security", kind="crypto", on="2026-08-20", passed="否")
    refused(walker, code, "accept-joint", "第二十八条", on="2026-08-21")  # failed by then
    walker.go(code, "accept-joint", on="2026-08-10")  # passed and valid on the day accepted


# ---------------------------------------------------------------- 16. what the program issued, as records (第八、二十二条)


def test_the_number_register_and_the_notices_are_records_listed_and_exported(walker, capsys, tmp_path):
    code = _rectifying(walker)
    run_due(walker.db)
    exit_code, out, err = cli(capsys, walker, "records", "doc-numbers", "list", "--json")
    assert exit_code == 0, err
    numbers = {n["number"] for n in json.loads(out)}
    assert {"沁审管发〔2026〕1号", "沁审管技审〔2026〕1号"} <= numbers and all("〔2026〕" in n for n in numbers)
    target = tmp_path / "文号登记簿.xlsx"
    exit_code, out, err = cli(capsys, walker, "records", "doc-numbers", "export", str(target))
    assert exit_code == 0, err
    cells = {c for row in openpyxl.load_workbook(target).active.iter_rows(values_only=True) for c in row}
    assert numbers <= cells
    exit_code, out, err = cli(capsys, walker, "records", "notices", "list", "--json")
    assert exit_code == 0, err
    [notice] = json.loads(out)
    assert notice["code"] == code and notice["issued_by"] == "系统" and "第二十二条" in notice["body"]


def test_a_department_plans_number_is_checked(walker):
    service_refused(walker, "第八条", planning.file_department_plan, department="县公安局", title="公安信息化规划",
                    start_year=2026, end_year=2028, filed_on="2026-05-06", doc_no="沁公发【2026】3号")
    done = do(walker, planning.file_department_plan, department="县公安局", title="公安信息化规划", start_year=2026,
              end_year=2028, filed_on="2026-05-06", doc_no="沁公发〔2026〕3号")
    assert done.doc_no == "沁公发〔2026〕3号"

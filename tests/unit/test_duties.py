"""Separation of duties (第四条; issue 13 item 4): the bureau reviews, the bureau's leader approves, finance budgets
and pays, a department signs and files its own contracts; the person who reviewed a project does not approve it.
Tried with real accounts' actors, the way a clerk or a reviewer would try to do the other's part."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.actor import Actor
from app.errors import PermissionDenied, RuleViolation
from app.models import Department
from app.services import legacy, objections, planning, records
from app.services.lifecycle import ACTIONS, advance
from app.services.master import add_department, set_setting
from app.services.permissions import ROLE_PERMISSIONS, duty_table


def actor(walker, username: str, *roles: str) -> Actor:
    dept = None
    if "clerk" in roles:
        with walker.db.uow(walker.actor, write=False) as uow:
            dept = uow.session.scalar(select(Department.id).where(Department.name == "沁水县公安局"))
    return Actor(username, roles[0], dept, username, tuple(roles))


def test_a_department_clerk_cannot_record_payments(walker):
    code = walker.to("under_construction")
    clerk = actor(walker, "clerk1", "clerk")
    with pytest.raises(PermissionDenied, match="拨付资金"):
        advance(walker.db, clerk, code, "pay", amount="1000", paid_on="2026-04-01")
    advance(walker.db, actor(walker, "fin1", "finance"), code, "pay", amount="1000", paid_on="2026-04-01")


def test_the_reviewer_cannot_approve_and_the_leader_can(walker):
    code = walker.to("reviewed")
    walker.plan(code)
    with pytest.raises(PermissionDenied, match="审批立项"):
        advance(walker.db, actor(walker, "rev1", "reviewer"), code, "approve", on="2026-01-20")
    advance(walker.db, actor(walker, "lead1", "bureau_leader"), code, "approve", on="2026-01-20")
    assert walker.status(code) == "approved"


def test_the_same_person_cannot_review_and_approve_one_project(walker):
    code = walker.to("submitted")
    walker.plan(code)
    both = actor(walker, "wang", "reviewer", "bureau_leader")
    advance(walker.db, both, code, "start-review", on="2026-01-10")
    advance(walker.db, actor(walker, "li", "reviewer"), code, "review", conclusion="pass", on="2026-01-15",
            **walker.REVIEW_ANSWERS)
    with pytest.raises(RuleViolation) as exc:  # wang started this review
        advance(walker.db, both, code, "approve", on="2026-01-20")
    assert exc.value.article == "第七、八条" and "不同人员" in exc.value.message
    with pytest.raises(RuleViolation):
        advance(walker.db, both, code, "reject", opinion="x", on="2026-01-20")
    assert walker.status(code) == "reviewed"
    advance(walker.db, actor(walker, "zhao", "bureau_leader"), code, "approve", on="2026-01-20")


def test_departments_sign_their_own_contracts_and_the_bureau_does_not(walker):
    code = walker.to("publicized")
    fields = dict(contract_no="HT-D1", contractor=walker.market, amount="1000", signed_on="2026-03-16",
                  selection_method="公开招标")
    with pytest.raises(PermissionDenied, match="合同"):
        advance(walker.db, actor(walker, "rev1", "reviewer"), code, "sign-contract", **fields)
    other = Actor("clerk2", "clerk", 999_999, "clerk2")
    with pytest.raises(PermissionDenied, match="其他单位"):
        advance(walker.db, other, code, "sign-contract", **fields)
    advance(walker.db, actor(walker, "clerk1", "clerk"), code, "sign-contract", **fields)


def test_finance_cannot_decide_om_without_the_bureau(walker):
    code = walker.to("in_operation")
    walker.go(code, "request-om", year=2026, amount="1000", on="2026-09-01")
    with pytest.raises(PermissionDenied, match="运维经费"):
        advance(walker.db, actor(walker, "fin1", "finance"), code, "decide-om", decision="approve", on="2026-09-02")
    with pytest.raises(RuleViolation) as exc:
        advance(walker.db, actor(walker, "fin1", "finance"), code, "budget-om", year=2026, amount="1000",
                on="2026-09-02")
    assert exc.value.article == "第二十一条"


def test_the_duty_table_is_the_permission_table():
    table = duty_table()
    rows = {r.permission: r for r in table.rows}
    assert rows["approve"].roles == ("bureau_leader",)
    assert rows["payment"].roles == ("finance",)
    assert rows["contract"].roles == ("clerk",)
    assert rows["review"].roles == ("reviewer",)
    for role, perms in ROLE_PERMISSIONS.items():
        if role in ("setup", "system"):
            continue
        assert {p for p, r in rows.items() if role in r.roles} == set(perms), role
    assert any("不同人员" in rule for rule in table.rules)


def _refusal(walker, who: Actor, fn, *args, **kwargs) -> str:
    with walker.db.uow(who) as uow, pytest.raises(PermissionDenied) as exc:
        fn(uow, *args, **kwargs)
    return exc.value.message


def test_refusals_outside_the_lifecycle_name_whose_duty_it_is(walker, tmp_path):
    """Records pages, plans, settings, master data and exports say why as the lifecycle does: an act the measure
    gives to another role names 第四条 and who does it; an administrator's work names 三员分立; nothing else
    claims an article."""
    code = walker.to("publicized")
    clerk, finance = actor(walker, "clerk1", "clerk"), actor(walker, "fin1", "finance")
    msg = _refusal(walker, clerk, objections.record_objection, project=code, received_on="2026-02-25",
                   objector="李某", content="重复建设")
    assert "无权登记和处理公示异议" in msg and "第四条 分工负责" in msg and "由主管部门审核员办理" in msg
    msg = _refusal(walker, finance, planning.plan_year_amount, project=code, year=2026, amount=1000)
    assert "第四条 分工负责：“编制规划和年度计划”由主管部门审核员办理" in msg
    msg = _refusal(walker, clerk, legacy.register_system, name="旧系统", department="县教育局", built_year=2015)
    assert "其他单位" in msg and "第四条" in msg  # a department answers for its own projects
    msg = _refusal(walker, actor(walker, "rev1", "reviewer"), set_setting, "county", "沁水县")
    assert "三员分立：“修改系统设置”由系统管理员办理" in msg and "第四条" not in msg
    msg = _refusal(walker, actor(walker, "aud1", "auditor"), records.export_records, "plan-year", tmp_path / "a.xlsx")
    assert "三员分立" in msg and "项目数据" in msg and not (tmp_path / "a.xlsx").exists()
    msg = _refusal(walker, finance, add_department, "县新设局")
    assert msg.startswith("无权维护基础数据") and "第" not in msg  # base data: no article of the measure


def test_a_lifecycle_refusal_names_the_act_and_who_does_it(walker):
    code = walker.to("under_construction")
    with pytest.raises(PermissionDenied) as exc:
        advance(walker.db, actor(walker, "clerk1", "clerk"), code, "pay", amount="1000", paid_on="2026-04-01")
    assert f"（第四条 分工负责：“{ACTIONS['pay'].label}”由财政人员办理）" in exc.value.message
    assert exc.value.message.count("第四条") == 1

"""The stage-page lists: contents, flags, order and the department scope."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.actor import Actor
from app.domain.vocabulary import DEFAULT_INDICATORS
from app.errors import PermissionDenied
from app.services import queries


def _read(walker, fn, actor=None):
    with walker.db.uow(actor or walker.actor, write=False) as uow:
        return fn(uow)


def _dept_id(walker, name: str) -> int:
    from app.services.master import get_department

    return _read(walker, lambda uow: get_department(uow, name).id)


def test_plan_list_and_candidates(walker) -> None:
    a = walker.register("平安乡村视频联网")
    b = walker.register("智慧校园", department="县教育局")
    walker.register("下一年度项目", year=2027)
    walker.plan(a)
    plan = _read(walker, lambda uow: queries.plan_list(uow, 2026))
    assert plan.title is not None
    assert [r.code for r in plan.rows] == [a]
    assert [r.code for r in plan.candidates] == [b]
    assert plan.rows[0].department == "沁水县公安局" and plan.rows[0].planned_fen == 100_000_000
    empty = _read(walker, lambda uow: queries.plan_list(uow, 2030))
    assert empty.title is None and empty.rows == () and empty.candidates == ()


def test_review_queue_shows_previous_year_evaluation(walker) -> None:
    old = walker.to("under_construction")
    scores = {name: weight for _, _, name, weight in DEFAULT_INDICATORS}
    walker.go(old, "evaluate", year=2025, scores=scores)
    new = walker.to("submitted")
    other = walker.to("in_review", department="县教育局")
    walker.to("approved")  # past the queue
    rows = _read(walker, queries.review_queue)
    assert [r.code for r in rows] == [new, other]
    assert rows[0].previous == f"优 100.00（{old}）"
    assert rows[1].previous == "上年度无评价"


def test_contracts_flag_late_filing_and_sum_payments(walker) -> None:
    code = walker.to("under_construction")
    signed = walker.to("under_construction", department="县教育局")
    walker.go(signed, "file-contract", filed_on="2026-03-17")
    walker.go(signed, "pay", amount="120000", paid_on="2026-04-01", contract_no=f"HT-{signed}")
    rows = {r.code: r for r in _read(walker, lambda uow: queries.list_contracts(uow, today=dt.date(2026, 11, 25)))}
    assert rows[code].flag == "逾期未备案" and rows[code].late
    assert rows[signed].flag == "按期备案" and not rows[signed].late
    assert rows[signed].paid_fen == 12_000_000 and rows[code].paid_fen == 0
    early = {r.code: r for r in _read(walker, lambda uow: queries.list_contracts(uow, today=dt.date(2026, 3, 17)))}
    assert early[code].flag == "待备案" and not early[code].late
    payments = _read(walker, queries.list_payments)
    assert [(p.code, p.amount_fen, p.contract_no) for p in payments] == [(signed, 12_000_000, f"HT-{signed}")]


def test_changes_pending_first(walker) -> None:
    a = walker.to("under_construction")
    b = walker.to("under_construction")
    walker.go(a, "request-change", description="增加模块", reason="需求变化", on="2026-04-01")
    walker.go(a, "decide-change", decision="approve", opinion="同意", on="2026-04-03")
    walker.go(b, "request-change", description="调整工期", reason="疫情", on="2026-05-01")
    rows = _read(walker, queries.list_changes)
    assert [(r.code, r.status_label) for r in rows] == [(b, "待审核"), (a, "已同意")]


def test_acceptance_om_rectification_evaluation(walker) -> None:
    building = walker.to("under_construction")
    done = walker.to("in_operation")
    acc = {r.code: r for r in _read(walker, queries.acceptance_list)}
    assert acc[building].missing == "初步验收、目录注册、数据落盘、自主可控检查"
    assert acc[done].joint_on == dt.date(2026, 8, 10) and acc[done].catalogue == "已注册 1/1"
    walker.go(done, "request-om", year=2027, amount="80000", on="2026-10-08")
    om = _read(walker, queries.list_om_requests)
    assert [(r.code, r.amount_fen, r.status_label) for r in om] == [(done, 8_000_000, "待审核")]
    walker.go(building, "order-rectification", reason="other", requirements="补齐材料", deadline="2026-09-30",
              on="2026-09-01")
    rect = _read(walker, lambda uow: queries.list_rectifications(uow, today=dt.date(2026, 10, 8)))
    assert [(r.code, r.status_label, r.days_left) for r in rect] == [(building, "已逾期", -8)]
    scores = {name: weight for _, _, name, weight in DEFAULT_INDICATORS}
    scores["服务对象满意度"] = 1
    walker.go(done, "evaluate", year=2026, scores=scores)
    ev = _read(walker, lambda uow: queries.list_evaluations(uow, 2026))
    assert [(r.code, r.total, r.grade) for r in ev] == [(done, "91.00", "优")]
    assert _read(walker, lambda uow: queries.list_evaluations(uow, 2025)) == []


def test_budgets_and_publicity(walker) -> None:
    code = walker.to("publicized")
    budgets = _read(walker, lambda uow: queries.list_budgets(uow, 2026))
    assert [(b.code, b.amount_fen, b.kind_label) for b in budgets] == [(code, 100_000_000, "建设资金")]
    pubs = _read(walker, queries.list_publicities)
    assert len(pubs) == 1 and pubs[0].projects == 1 and pubs[0].amount_fen == 100_000_000


def test_clerk_sees_own_department_only_and_leader_reads(walker) -> None:
    police = walker.to("submitted")
    walker.to("submitted", department="县教育局")
    clerk = Actor("clerk1", "clerk", _dept_id(walker, "县公安局"))
    assert [r.code for r in _read(walker, queries.review_queue, clerk)] == [police]
    assert len(_read(walker, queries.review_queue, Actor("boss", "leader"))) == 2
    with pytest.raises(PermissionDenied):
        _read(walker, queries.list_contracts, Actor("audit", "auditor"))

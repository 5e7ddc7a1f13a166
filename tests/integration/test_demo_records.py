"""The demo county holds each record once kept on paper, built through the same services and rules."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from app.domain.actor import SETUP_ACTOR, Actor
from app.errors import RuleViolation
from app.services import funds, records, safety
from app.services.lifecycle import run_action
from app.services.recordkinds import KINDS
from app.services.reminders import paper_reminders
from app.storage.database import open_database


@pytest.fixture(scope="module")
def demo(demo_template, tmp_path_factory):
    """This module's copy of the session's demonstration database (built once per run by tests/conftest.py)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    db = open_database(path)
    yield db
    db.dispose()


def test_every_paper_record_is_in_the_demo(demo):
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        empty = [key for key in KINDS if not records.list_records(uow, key)]
    assert empty == []


def test_the_demo_shows_what_waits(demo):
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        states = {key: {getattr(r, "state", None) or getattr(r, "status_label", None)
                        for r in records.list_records(uow, key)} for key in KINDS}
        soon = safety.expiring_assessments(uow, today=dt.date(2026, 12, 1))
        c = funds.compare(uow, year=2026)
    assert {"待处理", "已处理"} <= states["objection"]
    assert {"待主管部门审核", "审核通过，待列入预算", "已列入财政预算"} <= states["legacy-om"]
    assert {"已办结", "处置中"} <= states["incident"]
    assert {r.result for r in soon} >= {"通过", "未通过"}
    assert {r.source_label for r in c.rows if not r.subtotal} >= {"县级财政资金", "上级补助资金"}
    assert c.budget_fen > c.paid_fen > 0


def test_the_demos_waiting_objection_holds_the_contract(demo):
    with demo.uow(SETUP_ACTOR) as uow:
        [waiting] = [o for o in records.list_records(uow, "objection") if o.state == "待处理"]
        with pytest.raises(RuleViolation) as exc:
            run_action(uow, waiting.code, "sign-contract", {
                "contract_no": "X-1", "contractor": "山西智慧政务信息技术有限公司", "amount": "1000",
                "signed_on": "2026-11-30", "selection_method": "公开招标"})
    assert exc.value.article == "第十一条" and "尚未处理" in exc.value.message


def test_reminders_name_what_waits_with_its_article(demo):
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        found = paper_reminders(uow, today=dt.date(2026, 12, 1))
    articles = {r.article for r in found}
    assert articles >= {"第十一条", "第二十一条", "第二十八条", "第二十九条"}
    assert any("19天" in r.text and r.kind == "assessment" for r in found)
    assert any("尚未向有关部门报告" in r.text for r in found)
    with demo.uow(Actor("fin", "finance"), write=False) as uow:
        finance = paper_reminders(uow, today=dt.date(2026, 12, 1))
    assert [r.text for r in finance if r.kind == "legacy-om"] == ["原有系统“县政府协同办公系统”2027年运维经费已审核，待列入财政预算"]
    assert not any(r.article == "第二十八条" for r in finance)  # finance keeps no security records

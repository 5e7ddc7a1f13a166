"""Contacts' phone and ID numbers: masked in lists and exports unless the role may see them."""

from __future__ import annotations

import openpyxl
import pytest

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.services import auth, privacy
from app.services.master import add_contractor, add_department, list_contractors, list_departments
from app.services.projects import ProjectInput, list_projects, register_project
from app.storage.database import open_database

PW = "Qinshui#2027"
POLICE_PHONE, EDU_PHONE = "13935601234", "0356-7021234"


def test_masks():
    assert privacy.mask_phone("13935601234") == "139****1234"
    assert privacy.mask_phone("139 3560 1234") == "139****1234"
    assert privacy.mask_phone("0356-7021234") == "035****1234"
    assert privacy.mask_phone("12345") == "****"
    assert privacy.mask_phone(None) is None and privacy.mask_phone("") == ""
    assert privacy.mask_id("14052119800101123X") == "140521********123X"
    assert privacy.mask_id("140521800101123") == "140521*****1123"
    assert privacy.mask_text("王强，身份证14052119800101123X，电话13935601234，座机0356-7021234") == (
        "王强，身份证140521********123X，电话139****1234，座机035****1234")
    assert privacy.mask_text("王强") == "王强"


@pytest.fixture
def dbfile(tmp_path, monkeypatch):
    from app.domain import creditcode

    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)
    path = tmp_path / "privacy.sqlite3"
    db = open_database(path)
    with db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县公安局", contact="办公室 0356-7020001", phone="0356-7020000")
        add_department(uow, "县教育局", phone=EDU_PHONE)
        add_contractor(uow, "山西智慧政务信息技术有限公司", creditcode.make("91140100MA0M00001"), phone="13835600000")
        auth.create_demo_accounts(uow, PW, clerk_department="县教育局")
        for name, dept, phone in (("雪亮工程", "县公安局", POLICE_PHONE), ("智慧校园", "县教育局", EDU_PHONE)):
            register_project(uow, ProjectInput(name=name, department=dept, category="信息应用系统开发", nature="新建",
                                               year=2027, total_fen=100, county_fen=100, responsible_person="王强",
                                               responsible_phone=phone))
        uow.commit()
    db.dispose()
    return path


def _lists(path, who):
    db = open_database(path)
    try:
        actor = auth.sign_in(db, who, PW).actor
        with db.uow(actor, write=False) as uow:
            projects = {p.name: p.responsible_phone for p in list_projects(uow)}
            departments = {d.name: d.phone for d in list_departments(uow)}
            contractors = [c.phone for c in list_contractors(uow)]
        return projects, departments, contractors
    finally:
        db.dispose()


def test_reviewer_sees_everything_in_full(dbfile):
    projects, departments, contractors = _lists(dbfile, "reviewer")
    assert projects == {"雪亮工程": POLICE_PHONE, "智慧校园": EDU_PHONE}
    assert departments == {"县公安局": "0356-7020000", "县教育局": EDU_PHONE}
    assert contractors == ["13835600000"]


def test_clerk_sees_its_own_department_in_full_and_no_other(dbfile):
    projects, departments, contractors = _lists(dbfile, "clerk")
    assert projects == {"智慧校园": EDU_PHONE}
    assert departments == {"县公安局": "035****0000", "县教育局": EDU_PHONE}
    assert contractors == ["13835600000"]


@pytest.mark.parametrize("who", ["leader", "finance"])
def test_leader_and_finance_see_masked_numbers(dbfile, who):
    projects, departments, contractors = _lists(dbfile, who)
    assert projects == {"雪亮工程": "139****1234", "智慧校园": "035****1234"}
    assert departments == {"县公安局": "035****0000", "县教育局": "035****1234"}
    assert contractors == ["138****0000"]


def test_contact_text_is_masked_too(dbfile):
    db = open_database(dbfile)
    with db.uow(auth.sign_in(db, "leader", PW).actor, write=False) as uow:
        assert [d.contact for d in list_departments(uow)] == ["办公室 035****0001", None]
    db.dispose()


def test_annual_plan_is_masked_for_the_leader(dbfile):
    from app.services.plans import add_to_annual_plan, get_annual_plan

    db = open_database(dbfile)
    with db.uow(SETUP_ACTOR) as uow:
        codes = [p.code for p in list_projects(uow)]
        add_to_annual_plan(uow, 2027, codes)
        uow.commit()
    for who, phones in (("leader", {"139****1234", "035****1234"}), ("reviewer", {POLICE_PHONE, EDU_PHONE})):
        with db.uow(auth.sign_in(db, who, PW).actor, write=False) as uow:
            assert {p.responsible_phone for p in get_annual_plan(uow, 2027).projects} == phones
    db.dispose()


def _ledger_phones(path):
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[3]]
    col = header.index("联系电话")
    return sorted(str(r[col]) for r in ws.iter_rows(min_row=5, values_only=True) if r[col])


@pytest.mark.parametrize(("who", "phones"), [("leader", ["035****1234", "139****1234"]),
                                             ("reviewer", [EDU_PHONE, POLICE_PHONE])])
def test_excel_ledger_export_masks_for_roles_that_may_not_see(dbfile, tmp_path, monkeypatch, capsys, who, phones):
    monkeypatch.setenv("GOVDATA_USER", who)
    monkeypatch.setenv("GOVDATA_PASSWORD", PW)
    out = tmp_path / f"{who}.xlsx"
    assert main(["--db", str(dbfile), "export-projects", str(out)]) == 0, capsys.readouterr().err
    assert _ledger_phones(out) == phones


def test_who_may_read_personal_data():
    from app.domain.actor import Actor

    assert privacy.visible(Actor("r", "reviewer"), 7)
    assert privacy.visible(Actor("c", "clerk", department_id=7), 7)
    assert not privacy.visible(Actor("c", "clerk", department_id=7), 8)
    for role in ("leader", "finance", "sysadmin", "secadmin", "auditor"):
        assert not privacy.visible(Actor("x", role), 7) and not privacy.visible(Actor("x", role))

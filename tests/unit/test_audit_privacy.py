"""The audit view masks phone and ID numbers like every other list (issue 14 item 7)."""

from __future__ import annotations

from openpyxl import load_workbook

from app.domain.actor import SETUP_ACTOR, Actor
from app.services import audit

AUDITOR = Actor("aud", "auditor")
DETAIL = {"fields": {"contact": "张三", "phone": "13935601234", "office": "0356-7021234",
                     "id_number": "140521199001011234"},
          "sha256": "ab13935601234cd" + "0" * 49, "code": "QS-2027-0001"}


def _record(db) -> None:
    with db.uow(SETUP_ACTOR) as uow:
        uow.audit("lifecycle.publicize", "project", "QS-2027-0001", DETAIL)
        uow.commit()


def test_the_auditor_sees_masked_numbers(db):
    _record(db)
    with db.uow(AUDITOR, write=False) as uow:
        [entry] = [e for e in audit.list_entries(uow) if e.action == "lifecycle.publicize"]
    d = entry.detail
    assert "\"13935601234\"" not in d and "139****1234" in d
    assert "7021234" not in d and "035****1234" in d
    assert "140521199001011234" not in d and "140521********1234" in d
    assert "ab13935601234cd" in d and "QS-2027-0001" in d  # a digest or a code is not a phone number


def test_the_export_is_masked_too(db, tmp_path):
    _record(db)
    with db.uow(AUDITOR) as uow:
        audit.export_entries(uow, tmp_path / "a.xlsx")
        uow.commit()
    text = " ".join(str(c) for row in load_workbook(tmp_path / "a.xlsx").active.iter_rows(values_only=True)
                    for c in row if c)
    assert "\"13935601234\"" not in text and "139****1234" in text


def test_who_may_read_personal_data_sees_it(db):
    _record(db)
    with db.uow(SETUP_ACTOR, write=False) as uow:
        [entry] = [e for e in audit.list_entries(uow) if e.action == "lifecycle.publicize"]
    assert "13935601234" in entry.detail

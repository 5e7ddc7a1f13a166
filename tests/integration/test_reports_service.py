"""Forms from the demo database: every kind prints, stage guards, printed_forms + history, verify-form, CLI."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.domain.demo import DEMO_PASSWORD
from app.domain.money import format_yuan
from app.errors import RuleViolation
from app.models import AuditRecord, Budget, PrintedForm, Project, Publicity
from app.reports import KINDS
from app.services import lifecycle
from app.services.forms import build_form, list_publicities, verify_form
from app.storage.database import Database, open_database

# a demo project that has reached each project form's stage
PROJECT_FOR = {"approval": "QS-2026-0001", "review-opinion": "QS-2026-0001", "contract-filing": "QS-2026-0001",
               "change": "QS-2026-0001", "acceptance": "QS-2025-0001", "rectification": "QS-2026-0004",
               "suspension": "QS-2026-0005", "evaluation": "QS-2025-0001"}


# where the printed title differs from the menu's name of the form
PRINTED_TITLE = {"change": "项目变更（调整）申请表", "rectification": "限期整改的通知", "annual-plan": "年度计划",
                 "suspension": "暂停拨付"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Database:
    home = tmp_path_factory.mktemp("demo_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOVDATA_HOME", str(home))
        shutil.copyfile(demo_template, home / "demo.sqlite3")  # the session's demo database, this module's copy
        db = open_database(home / "demo.sqlite3")
        yield db
        db.dispose()


def _print(db: Database, kind: str, **kw: Any) -> Any:
    with db.uow(SETUP_ACTOR) as uow:
        r = build_form(uow, kind, **kw)
        uow.commit()
    return r


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_prints_from_the_demo_database(demo: Database, kind: str) -> None:
    kw = {"project_code": PROJECT_FOR[kind]} if kind in PROJECT_FOR else {"year": 2026}
    r = _print(demo, kind, **kw)
    reader = PdfReader(io.BytesIO(r.pdf))
    assert len(reader.pages) >= 1
    text = "".join(p.extract_text() for p in reader.pages)
    flat = re.sub(r"\s+", "", text)
    assert r.serial in text
    assert re.fullmatch(r"BD\d{4}\d{6}", r.serial)
    assert re.sub(r"\s+", "", PRINTED_TITLE.get(kind, KINDS[kind])) in flat  # the form asked for, not another
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        if kind in PROJECT_FOR:  # the demo project's own record is what is printed
            project = uow.session.scalar(select(Project).where(Project.code == PROJECT_FOR[kind]))
            assert project.code in flat and re.sub(r"\s+", "", project.name) in flat
        else:
            assert "2026" in flat
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        row = uow.session.scalar(select(PrintedForm).where(PrintedForm.serial == r.serial))
        assert row is not None and row.kind == kind and row.digest == r.digest
        assert verify_form(uow, r.serial, r.digest).status == "unchanged"


def test_print_is_in_the_project_history_and_serials_are_unique(demo: Database) -> None:
    a = _print(demo, "approval", project_code="QS-2026-0001")
    b = _print(demo, "approval", project_code="QS-2026-0001")
    assert a.serial != b.serial and a.digest == b.digest  # same record, same content digest
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        rows = uow.session.scalars(select(AuditRecord).where(
            AuditRecord.action == "print", AuditRecord.object_id == "QS-2026-0001")).all()
        assert any(a.serial in (r.detail or "") for r in rows)


def test_no_approval_form_before_a_review_opinion(demo: Database) -> None:
    with demo.uow(SETUP_ACTOR) as uow, pytest.raises(RuleViolation, match="尚未出具技术审核意见"):
        build_form(uow, "approval", project_code="QS-2026-0011")  # submitted, not reviewed


def test_verify_tells_a_changed_record_and_a_wrong_digest(demo: Database) -> None:
    r = _print(demo, "approval", project_code="QS-2026-0002")
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        assert verify_form(uow, r.serial, "0" * 64).status == "mismatch"
        assert verify_form(uow, "BD2099999999", r.digest).status == "unknown"
        assert verify_form(uow, r.serial, "0" * 64).exit_code == verify_form(uow, "BD20999", r.digest).exit_code == 5
    with demo.uow(SETUP_ACTOR) as uow:
        old = uow.session.scalar(select(Project.total_fen).where(Project.code == "QS-2026-0002"))
        uow.session.execute(update(Project).where(Project.code == "QS-2026-0002").values(total_fen=old + 100))
        uow.commit()
    try:
        with demo.uow(SETUP_ACTOR, write=False) as uow:
            v = verify_form(uow, r.serial, r.digest)
        assert v.status == "changed" and v.changed == ("总投资",)  # named in Chinese
        assert "已变更：总投资" in v.message and v.exit_code == 4
    finally:
        with demo.uow(SETUP_ACTOR) as uow:
            uow.session.execute(update(Project).where(Project.code == "QS-2026-0002").values(total_fen=old))
            uow.commit()


def test_cli_report_and_verify(demo: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVDATA_USER", "reviewer")  # the demo's accounts (issue 6) when present
    monkeypatch.setenv("GOVDATA_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "plan.pdf"
    rc = main(["--db", demo.url, "report", "annual-plan", "--year", "2026", "--out", str(out)])
    cap = capsys.readouterr()
    printed = cap.out
    assert rc == 0, cap.err
    assert out.read_bytes().startswith(b"%PDF")
    serial = re.search(r"BD\d+", printed).group(0)
    digest = re.search(r"[0-9a-f]{64}", printed).group(0)
    assert main(["--db", demo.url, "verify-form", serial, digest]) == 0
    assert "一致" in capsys.readouterr().out
    assert main(["--db", demo.url, "verify-form", serial, "f" * 64]) == 5  # not what was printed
    rc = main(["--db", demo.url, "report", "approval", "--project", "QS-2026-0011", "--out", str(tmp_path / "x.pdf")])
    err = capsys.readouterr().err
    assert rc == 1 and "尚未出具技术审核意见" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_an_approval_form_stays_verified_when_its_project_is_budgeted(demo: Database) -> None:
    """The digest covers what is printed: the project's state is not printed, so budgeting changes nothing."""
    from app.services.lifecycle import advance

    r = _print(demo, "approval", project_code="QS-2026-0008")  # approved
    advance(demo, SETUP_ACTOR, "QS-2026-0008", "budget", amount="500000", source="county")
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        assert uow.session.scalar(select(Project.status).where(Project.code == "QS-2026-0008")) == "budgeted"
        v = verify_form(uow, r.serial, r.digest)
    assert v.status == "unchanged", v.message


def test_verify_form_takes_the_scanned_qr_text_and_a_grouped_digest(demo: Database, capsys: pytest.CaptureFixture[str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVDATA_USER", "reviewer")
    monkeypatch.setenv("GOVDATA_PASSWORD", DEMO_PASSWORD)
    r = _print(demo, "review-opinion", project_code="QS-2026-0001")
    grouped = " ".join(r.digest[i:i + 4] for i in range(0, 64, 4)).upper()
    assert main(["--db", demo.url, "verify-form", f"GOVDATA-FORM|{r.serial}|{r.digest}"]) == 0
    assert main(["--db", demo.url, "verify-form", r.serial, *grouped.split()]) == 0
    assert "一致" in capsys.readouterr().out
    assert main(["--db", demo.url, "verify-form", r.serial, "0" * 64]) == 5  # forged or mistyped
    assert "伪造" in capsys.readouterr().out
    assert main(["--db", demo.url, "verify-form", "BD2099000001", r.digest]) == 5
    assert main(["--db", demo.url, "verify-form", "not a qr text"]) == 1
    assert "GOVDATA-FORM" in capsys.readouterr().err
    with demo.uow(SETUP_ACTOR) as uow:
        old = uow.session.scalar(select(Project.name).where(Project.code == "QS-2026-0001"))
        uow.session.execute(update(Project).where(Project.code == "QS-2026-0001").values(name=old + "（调整）"))
        uow.commit()
    try:
        assert main(["--db", demo.url, "verify-form", f"GOVDATA-FORM|{r.serial}|{r.digest}"]) == 4  # changed
        out = capsys.readouterr().out
        assert "打印后记录已变更" in out and "项目名称" in out
    finally:
        with demo.uow(SETUP_ACTOR) as uow:
            uow.session.execute(update(Project).where(Project.code == "QS-2026-0001").values(name=old))
            uow.commit()


def test_a_print_from_an_older_version_is_not_called_changed(demo: Database) -> None:
    with demo.uow(SETUP_ACTOR) as uow:
        uow.session.add(PrintedForm(serial="BD2026990001", kind="approval", digest="ab" * 32,
                                    content='{"kind":"approval","data":{},"source":{"project":"QS-2026-0001"}}'))
        uow.commit()
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        v = verify_form(uow, "BD2026990001", "ab" * 32)
    assert v.status == "legacy" and v.exit_code == 4 and "旧版本" in v.message


def test_each_contract_prints_its_own_filing_form(demo: Database, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.forms import list_contracts

    with demo.uow(SETUP_ACTOR, write=False) as uow:
        choices = list_contracts(uow, "QS-2026-0001")
    assert len(choices) >= 2
    choices = choices[:2]
    texts = []
    for c in choices:
        r = _print(demo, "contract-filing", project_code="QS-2026-0001", choice=c.key)
        texts.append("".join(p.extract_text() for p in PdfReader(io.BytesIO(r.pdf)).pages))
        assert c.key in texts[-1]
    assert choices[0].key not in texts[1] and choices[1].key not in texts[0]
    monkeypatch.setenv("GOVDATA_USER", "reviewer")
    monkeypatch.setenv("GOVDATA_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "c.pdf"
    assert main(["--db", demo.url, "report", "contract-filing", "--project", "QS-2026-0001", "--contract",
                 choices[1].key, "--out", str(out)]) == 0
    assert choices[1].key in "".join(p.extract_text() for p in PdfReader(out).pages)
    assert main(["--db", demo.url, "report", "contract-filing", "--project", "QS-2026-0001", "--contract",
                 "NO-SUCH", "--out", str(tmp_path / "x.pdf")]) == 1


def test_each_publicity_notice_of_a_year_can_be_printed(demo: Database, capsys: pytest.CaptureFixture[str],
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.forms import list_publicities

    with demo.uow(SETUP_ACTOR, write=False) as uow:
        notices = list_publicities(uow, 2026)
    assert len(notices) >= 2
    older = notices[-1]
    r = _print(demo, "publicity", year=2026, choice=older.key)
    text = re.sub(r"\s", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.pdf)).pages))
    assert older.key in text and notices[0].key not in text
    monkeypatch.setenv("GOVDATA_USER", "reviewer")
    monkeypatch.setenv("GOVDATA_PASSWORD", DEMO_PASSWORD)
    assert main(["--db", demo.url, "report", "publicity", "--year", "2026", "--list"]) == 0
    listed = capsys.readouterr().out
    assert all(n.key in listed for n in notices)
    assert main(["--db", demo.url, "report", "publicity", "--year", "2026", "--notice", older.key,
                 "--out", str(tmp_path / "p.pdf")]) == 0


def test_the_layout_holds_no_transaction_and_a_cancel_voids_the_print(demo: Database) -> None:
    """While a ledger is laid out another writer commits at once; a cancelled print leaves no printed record."""
    from app.reports import PrintCancelled
    from app.services.forms import print_form

    wrote = []

    def progress(done: int, total: int) -> None:
        if not wrote:
            with demo.uow(SETUP_ACTOR) as uow:  # BEGIN IMMEDIATE: would wait (and fail) behind a write lock
                uow.audit("test.write", "form", "during-layout", {"message": "written while the ledger is laid out"})
                uow.commit()
            wrote.append(done)

    r = print_form(demo, SETUP_ACTOR, "ledger", year=2026, progress=progress)
    assert wrote and r.pdf.startswith(b"%PDF")
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        assert verify_form(uow, r.serial, r.digest).ok
    with pytest.raises(PrintCancelled):
        print_form(demo, SETUP_ACTOR, "ledger", year=2026, cancelled=lambda: True)
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        void = uow.session.scalars(select(AuditRecord).where(AuditRecord.action == "print.void")).all()
        assert void
        serial = void[-1].object_id
        assert uow.session.scalar(select(PrintedForm).where(PrintedForm.serial == serial)) is None
        assert verify_form(uow, serial, r.digest).status == "unknown"


def test_a_passed_joint_acceptance_prints_its_document_number(demo: Database) -> None:
    r = _print(demo, "acceptance", project_code="QS-2025-0001")  # accepted in the demo
    text = re.sub(r"\s", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.pdf)).pages))
    assert re.search(r"文号：沁审管发〔2025〕\d+号", text), text[:200]
    assert "待编号" not in text and "未编号" not in text


def test_the_suspension_notice_follows_its_rectification_order(demo: Database) -> None:
    r = _print(demo, "suspension", project_code="QS-2026-0005")
    text = re.sub(r"\s", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.pdf)).pages))
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        from app.models import Rectification

        order_no = uow.session.scalar(select(Rectification.doc_no).join(Project, Rectification.project_id == Project.id)
                                      .where(Project.code == "QS-2026-0005").order_by(Rectification.id.desc()))
    assert order_no in text and "第二十二条" in text and "暂停拨付该项目建设和运维资金" in text
    assert "抄送：" in text and text.count("。") >= 4


def _flat(pdf: bytes) -> str:
    return re.sub(r"\s", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def test_the_publicity_prints_each_budget_it_publicised(tmp_path: Path, demo_template: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """第十一条: the O&M budgets publicised in January 2026 print as 2026年度运维资金 with their real amounts; a project
    of 2026 budgeted for 2027 prints in the 2027 notice with its budget, never 0.00 元."""
    monkeypatch.setenv("GOVDATA_HOME", str(tmp_path))  # a copy of its own: the module's copy is advanced by others
    shutil.copyfile(demo_template, tmp_path / "demo.sqlite3")
    demo = open_database(tmp_path / "demo.sqlite3")
    try:
        _publicity_lines(demo)
    finally:
        demo.dispose()


def _publicity_lines(demo: Database) -> None:
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        om = uow.session.execute(select(Budget.publicity_id, Budget.amount_fen, Project.code).join(
            Project, Budget.project_id == Project.id).where(Budget.kind == "om", Budget.publicity_id.is_not(None))
            .order_by(Project.code)).all()
        notice = uow.session.get(Publicity, om[0][0])
        key, year, nid = notice.doc_no, notice.year, notice.id
    assert om
    text = _flat(_print(demo, "publicity", year=year, choice=key).pdf)
    assert text.count(f"{year}年度运维资金") == len([b for b in om if b[0] == nid])
    for pid, amount, code in om:
        if pid == nid:
            assert code in text and format_yuan(amount) in text
    assert "0.00元" not in text.replace(",000.00元", "")
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        p = uow.session.scalar(select(Project).where(Project.code == "QS-2026-0008"))
        assert p.status == "approved" and p.year == 2026
        county = p.county_fen
    lifecycle.advance(demo, SETUP_ACTOR, "QS-2026-0008", "budget", amount=county, year=2027, source="county",
                      doc_no="沁财预〔2027〕3号", on=dt.date(2026, 11, 25))
    lifecycle.advance(demo, SETUP_ACTOR, "QS-2026-0008", "publicize", start_on=dt.date(2026, 11, 26))
    with demo.uow(SETUP_ACTOR, write=False) as uow:
        choices = list_publicities(uow, 2027)
    text = _flat(_print(demo, "publicity", year=2027, choice=choices[0].key).pdf)
    assert "QS-2026-0008" in text and "2027年度建设资金（县级财政资金）" in text
    assert f"{format_yuan(county)}合计{format_yuan(county)}" in text

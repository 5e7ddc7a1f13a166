"""Excel import into the register: all or nothing, idempotent, audited; the ledger and template round trips."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from excel_sheets import estimate_sheet, messy_summary, sheet_from_rows, simple_rows, wps_xls_summary

from app.cli.main import main
from app.domain.actor import Actor
from app.errors import InputError, UnreadableError
from app.excel import read_summary, write_ledger, write_template
from app.models import AuditRecord, Department, EstimateItem, IssuedNumber, Project
from app.services import importcore
from app.services.audit import record_refusal
from app.services.imports import import_projects, refusal, run_estimate_import, run_import
from app.services.master import add_department
from app.services.projects import list_projects, project_history
from app.storage.database import Database, open_database


def _departments(db: Database, actor: Actor, *names: str, aliases: dict | None = None) -> None:
    with db.uow(actor) as uow:
        for n in names:
            add_department(uow, n, aliases=(aliases or {}).get(n, ()))
        uow.commit()


def _projects(db: Database, actor: Actor) -> list:
    with db.uow(actor, write=False) as uow:
        return sorted(list_projects(uow), key=lambda p: p.code)


def _count(db: Database, model: type, *where: object) -> int:
    with db.uow(write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where))


def _refusals(db: Database) -> list[dict]:
    with db.uow(write=False) as uow:
        return [json.loads(r.detail) for r in
                uow.session.scalars(select(AuditRecord).where(AuditRecord.outcome == "refused"))]


def test_messy_sheet_imports_then_reimport_changes_nothing(db: Database, actor: Actor, tmp_path: Path) -> None:
    _departments(db, actor, "沁水县公安局", "沁水县财政局")
    path = messy_summary(tmp_path / "a.xlsx")
    report = run_import(db, actor, path)
    assert report.ok, report.errors
    assert [(o.row, o.code) for o in report.created] == [(6, "QS-2027-0001"), (7, "QS-2027-0002"),
                                                           (11, "QS-2027-0003")]
    got = {p.name: (p.department, p.year, p.total_fen, p.county_fen, p.upper_fen, p.other_fen, p.year_request_fen,
                    p.period_months, p.status) for p in _projects(db, actor)}
    assert got == {
        "智慧公安 平台": ("沁水县公安局", 2027, 123_450_000, 100_450_000, 23_000_000, 0, 50_000_000, 12, "draft"),
        "视频专网扩容": ("沁水县公安局", 2027, 80_000_000, 80_000_000, 0, 0, 80_000_000, 6, "draft"),
        "政务云运维": ("沁水县财政局", 2027, 1_000_500_000, 1_000_500_000, 0, 0, 1_000_500_000, 12, "draft"),
    }
    again = run_import(db, actor, path)
    assert again.ok and not again.created and not again.updated and len(again.unchanged) == 3
    assert _count(db, Project) == 3


def test_changed_sheet_updates_with_history(db: Database, actor: Actor, tmp_path: Path) -> None:
    _departments(db, actor, "沁水县公安局", "沁水县财政局")
    path = messy_summary(tmp_path / "a.xlsx")
    run_import(db, actor, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["F7"], ws["G7"], ws["F8"], ws["G8"], ws["F13"], ws["G13"] = 90, 90, 213.45, 190.45, 1213.95, 1190.95
    wb.save(path)
    report = run_import(db, actor, path)
    assert report.ok, report.errors
    assert [(o.row, o.changes) for o in report.updated] == [
        (7, {"total_fen": [80_000_000, 90_000_000], "county_fen": [80_000_000, 90_000_000]})]
    assert len(report.unchanged) == 2
    code = report.updated[0].code
    with db.uow(actor, write=False) as uow:
        history = project_history(uow, code)
    assert history[-1].action == "project.update"
    assert history[-1].detail["before"]["total_fen"] == 80_000_000


def test_one_error_writes_nothing_and_is_audited(db: Database, actor: Actor, tmp_path: Path) -> None:
    _departments(db, actor, "沁水县公安局", "沁水县财政局")
    path = messy_summary(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["D11"] = "区块链"  # the last project's category is not in 第三条
    wb.save(path)
    report = run_import(db, actor, path)
    assert not report.ok and [(e.row, e.column) for e in report.errors] == [(11, "项目类别")]
    assert _count(db, Project) == 0
    # the service wrote nothing, not even the refusal: the boundary (command line, window) records it
    assert _count(db, AuditRecord, AuditRecord.outcome == "refused") == 0
    assert record_refusal(db, actor, refusal(report))
    details = _refusals(db)
    assert len(details) == 1 and details[0]["error_count"] == 1 and details[0]["sha256"]


def test_unknown_department_is_an_error_unless_adding_is_allowed(db: Database, actor: Actor,
                                                                   tmp_path: Path) -> None:
    _departments(db, actor, "沁水县公安局")
    path = messy_summary(tmp_path / "a.xlsx")
    report = run_import(db, actor, path)
    assert [(e.row, e.column) for e in report.errors] == [(11, "申报单位")]
    assert "“财政局”不在单位名录中" in report.errors[0].message
    assert _count(db, Project) == 0
    dry = run_import(db, actor, path, dry_run=True, add_departments=True)
    assert dry.ok and len(dry.created) == 3 and dry.added_departments == ["财政局"]
    assert _count(db, Project) == 0 and _count(db, Department) == 1
    report = run_import(db, actor, path, add_departments=True)
    assert report.ok and report.added_departments == ["财政局"] and _count(db, Project) == 3


def test_department_alias_matches(db: Database, actor: Actor, tmp_path: Path) -> None:
    _departments(db, actor, "沁水县公安局", "沁水县财政局局机关", aliases={"沁水县财政局局机关": ["财政局"]})
    report = run_import(db, actor, messy_summary(tmp_path / "a.xlsx"))
    assert report.ok, report.errors
    assert {p.department for p in _projects(db, actor)} == {"沁水县公安局", "沁水县财政局局机关"}


def test_hostile_file_is_refused_with_one_audit_record(db: Database, actor: Actor, tmp_path: Path) -> None:
    p = tmp_path / "a.xlsx"
    p.write_text("项目名称,总投资\n", encoding="utf-8")
    with pytest.raises(UnreadableError) as caught:
        run_import(db, actor, p)
    assert _count(db, Project) == 0 and not _refusals(db)
    assert record_refusal(db, actor, caught.value)  # what the boundary does
    details = _refusals(db)
    assert len(details) == 1 and "CSV" in details[0]["message"]


def test_wps_xls_imports_amount_by_amount(db: Database, actor: Actor, tmp_path: Path) -> None:
    _departments(db, actor, "沁水县公安局")
    xls = wps_xls_summary(tmp_path / "wps.xls")
    report = run_import(db, actor, xls)
    assert report.ok, report.errors
    assert report.sheet == "预算申报汇总表" and [o.row for o in report.created] == [6, 7, 10]
    got = {p.name: (p.department, p.year, p.category, p.nature, p.total_fen, p.county_fen, p.upper_fen,
                    p.other_fen, p.year_request_fen, p.period_months) for p in _projects(db, actor)}
    assert got == {
        "智慧公安平台": ("沁水县公安局", 2027, "信息应用系统开发", "新建", 123_450_000, 100_450_000, 23_000_000, 0,
                        50_000_000, 12),
        "视频专网扩容": ("沁水县公安局", 2027, "信息网络及软硬件支撑系统", "扩建", 1_080_123_456, 1_080_123_456, 0, 0,
                        80_000_000, 6),
        "政务云运维": ("沁水县公安局", 2027, "信息网络及软硬件支撑系统", "运行维护", 10_000, 0, 10_000, 0, 10_000, 12),
    }
    renamed = tmp_path / "wps.xlsx"  # the same file under an .xlsx name: read as .xls, nothing new
    renamed.write_bytes(xls.read_bytes())
    again = run_import(db, actor, renamed)
    assert again.ok and len(again.unchanged) == 3 and not again.created and not again.updated


def test_ledger_round_trip(db: Database, actor: Actor, tmp_path: Path) -> None:
    _departments(db, actor, "沁水县公安局", "沁水县财政局")
    run_import(db, actor, messy_summary(tmp_path / "a.xlsx"))
    before = _projects(db, actor)
    ledger = tmp_path / "ledger.xlsx"
    write_ledger(ledger, before)
    report = run_import(db, actor, ledger)
    assert report.ok and len(report.unchanged) == 3 and not report.created and not report.updated
    # into an empty register: the same projects, amount by amount
    sqlite_db = open_database(tmp_path / "other.sqlite3")
    _departments(sqlite_db, actor, "沁水县公安局", "沁水县财政局")
    report = run_import(sqlite_db, actor, ledger)
    assert report.ok, report.errors
    keys = ("name", "department", "year", "category", "nature", "total_fen", "county_fen", "upper_fen", "other_fen",
            "year_request_fen", "period_months", "cobuilt", "content", "note")
    after = _projects(sqlite_db, actor)
    sqlite_db.dispose()
    assert [[getattr(p, k) for k in keys] for p in after] == [[getattr(p, k) for k in keys] for p in before]


def test_ledger_round_trip_keeps_free_text_exactly(db: Database, actor: Actor, tmp_path: Path) -> None:
    """Stored carriage returns, line breaks and full-width punctuation come back as stored: export → import
    reports every project unchanged, and an empty register gets the same text. (A control character such as BEL
    is refused by the input rules before it is stored: app.domain.inputs.)"""
    from app.services.projects import update_project

    _departments(db, actor, "沁水县公安局", "沁水县财政局")
    run_import(db, actor, messy_summary(tmp_path / "a.xlsx"))
    texts = {"QS-2027-0001": ("一期：采集\r二期：共享", "备注\r\n第二行"),
             "QS-2027-0002": ("建设内容（一期），含  两个空格\n第二行", "字面 _x000D_ 与\t制表符"),
             "QS-2027-0003": ("=SUM(A1)\r", "@备注")}
    with db.uow(actor) as uow:
        for code, (content, note) in texts.items():
            update_project(uow, code, {"content": content.strip(), "note": note})
        uow.commit()
    with db.uow(actor) as uow, pytest.raises(InputError, match="备注含有控制字符"):
        update_project(uow, "QS-2027-0002", {"note": "控制符\x07"})
    ledger = tmp_path / "ledger.xlsx"
    write_ledger(ledger, _projects(db, actor))
    report = run_import(db, actor, ledger)
    assert report.ok and len(report.unchanged) == 3 and not report.updated, report.updated
    other = open_database(tmp_path / "other.sqlite3")
    _departments(other, actor, "沁水县公安局", "沁水县财政局")
    assert run_import(other, actor, ledger).ok
    got = {p.name: (p.content, p.note) for p in _projects(other, actor)}
    other.dispose()
    want = {p.name: (p.content, p.note) for p in _projects(db, actor)}
    assert got == want and want["智慧公安 平台"] == ("一期：采集\r二期：共享", "备注\r\n第二行")


def test_filled_template_imports_without_questions(db: Database, actor: Actor, tmp_path: Path) -> None:
    _departments(db, actor, "沁水县公安局", "沁水县财政局")
    tpl = tmp_path / "tpl.xlsx"
    write_template(tpl, ["沁水县公安局", "沁水县财政局"], 2028)
    wb = openpyxl.load_workbook(tpl)
    ws = wb["项目申报表"]
    rows = [[1, None, "雪亮工程二期", "沁水县公安局", None, "信息网络及软硬件支撑系统", "扩建", 300.5, 200.5, 100, 0,
               150, 12, "张三", "13800000000", "否", 0, 0, "新增点位", None],
            [2, None, "+HYPERLINK(\"x\")", "沁水县财政局", 2028, "数据采集", "新建", 1.234567, 1.234567, None, None,
               None, None, None, None, "是", 0.234567, 1, None, None]]
    for r, values in enumerate(rows, 5):  # a clerk types into the prepared rows under the header
        for c, v in enumerate(values, 1):
            ws.cell(r, c, v)
    wb.save(tpl)
    report = run_import(db, actor, tpl)
    assert report.ok, report.errors
    got = sorted((p.name, p.year, p.total_fen, p.county_fen, p.upper_fen, p.year_request_fen, p.cobuilt,
                  p.city_share_fen) for p in _projects(db, actor))
    assert got == [("+HYPERLINK(\"x\")", 2028, 1_234_567, 1_234_567, 0, 0, True, 234_567),
                   ("雪亮工程二期", 2028, 300_500_000, 200_500_000, 100_000_000, 150_000_000, False, 0)]


def test_import_projects_api_with_a_read_result(db: Database, actor: Actor, tmp_path: Path) -> None:
    _departments(db, actor, "沁水县公安局", "沁水县财政局")
    result = read_summary(sheet_from_rows(tmp_path / "s.xlsx", simple_rows()))
    seen = []
    with db.uow(actor) as uow:
        report = import_projects(uow, result, progress=lambda d, t: seen.append((d, t)))
        uow.commit()
    assert report.ok and len(report.created) == 2 and seen[-1] == (2, 2)
    assert report.as_json()["totals"]["total_yuan"] == "512345.67"


def test_estimate_import_writes_items_with_domestic_flag(db: Database, actor: Actor, tmp_path: Path) -> None:
    _departments(db, actor, "沁水县公安局", "沁水县财政局")
    run_import(db, actor, messy_summary(tmp_path / "a.xlsx"))
    report = run_estimate_import(db, actor, estimate_sheet(tmp_path / "e.xlsx"), "QS-2027-0001")
    assert report.ok, report.errors
    with db.uow(write=False) as uow:
        items = uow.session.scalars(select(EstimateItem).order_by(EstimateItem.seq)).all()
        got = [(i.section, i.name, i.amount_fen, i.domestic) for i in items]
    assert got == [("硬件设备", "服务器", 17_000_000, True), ("硬件设备", "交换机", 3_600_150, False),
                   ("软件开发", "共享交换平台开发", 12_000_000, True), ("软件开发", "数据库", 3_000_000, False),
                   ("其他费用", "监理费", 800_000, False)]
    bad = run_estimate_import(db, actor, estimate_sheet(tmp_path / "b.xlsx", bad_total=True), "QS-2027-0001")
    assert not bad.ok and _count(db, EstimateItem) == 5  # the old estimate stays



def test_export_is_audited_with_what_how_many_and_the_file_name(db: Database, actor: Actor, tmp_path: Path) -> None:
    from app.services.imports import export_ledger

    _departments(db, actor, "沁水县公安局", "沁水县财政局")
    run_import(db, actor, messy_summary(tmp_path / "a.xlsx"))
    out = tmp_path / "台账.xlsx"
    assert export_ledger(db, actor, out, year=2027, status="draft") == 3
    assert export_ledger(db, actor, tmp_path / "none.xlsx", year=2030) == 0
    with db.uow(write=False) as uow:
        records = uow.session.scalars(select(AuditRecord).where(AuditRecord.action == "project.export")
                                      .order_by(AuditRecord.id)).all()
        got = [(r.object_id, r.outcome, json.loads(r.detail)) for r in records]
    assert got == [("台账.xlsx", "ok", {"file": "台账.xlsx", "rows": 3, "year": 2027, "status": "draft"}),
                   ("none.xlsx", "ok", {"file": "none.xlsx", "rows": 0, "year": 2030, "status": None})]
    assert openpyxl.load_workbook(out).active["A1"].value == "沁水县2027年度政务大数据项目台账"


# ---------------------------------------------------------------- command line


def test_cli_exit_codes_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dbfile = str(tmp_path / "cli.sqlite3")
    assert main(["--db", dbfile, "init"]) == 0
    assert main(["--db", dbfile, "departments", "add", "沁水县公安局"]) == 0
    capsys.readouterr()
    sheet = messy_summary(tmp_path / "a.xlsx")
    assert main(["--db", dbfile, "import-projects", str(sheet), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["created"] == 0
    assert out["errors"][0] == {"sheet": "汇总表", "row": 11, "column": "申报单位", "letter": "C",
                                "kind": "unknown-department", "message": out["errors"][0]["message"]}
    assert main(["--db", dbfile, "import-projects", str(sheet), "--add-departments", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["ok"], out["created"], out["updated"], out["unchanged"]) == (True, 3, 0, 0)
    assert {"row": 13, "kind": "total", "reason": "合计行"} in out["skipped_rows"]
    assert out["totals"]["total_yuan"] == "12039500.00"
    csv = tmp_path / "x.xlsx"
    csv.write_text("a,b\n", encoding="utf-8")
    assert main(["--db", dbfile, "import-projects", str(csv), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["ok"] is False
    assert main(["--db", dbfile, "import-projects", str(csv)]) == 2
    assert "CSV" in capsys.readouterr().err
    assert main(["--db", dbfile, "export-projects", str(tmp_path / "l.xlsx"), "--year", "2027"]) == 0
    assert "已导出 3 个项目" in capsys.readouterr().out
    cli_db = open_database(dbfile)
    with cli_db.uow(write=False) as uow:
        exported = [json.loads(d) for d in uow.session.scalars(
            select(AuditRecord.detail).where(AuditRecord.action == "project.export"))]
    cli_db.dispose()
    assert exported == [{"file": "l.xlsx", "rows": 3, "year": 2027, "status": None}]
    assert main(["--db", dbfile, "import-projects", str(tmp_path / "l.xlsx"), "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 3
    assert main(["--db", dbfile, "export-template", str(tmp_path / "t.xlsx"), "--year", "2028"]) == 0
    capsys.readouterr()
    assert main(["--db", dbfile, "import-estimate", str(estimate_sheet(tmp_path / "e.xlsx")), "--project",
                 "QS-2027-0001", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["ok"], out["lines"], out["totals"]) == (True, 5, {"total_yuan": "364001.50",
                                                               "domestic_yuan": "290000.00"})


def _cells(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)


@pytest.mark.parametrize(("role", "filters"), [("reviewer", {}), ("leader", {}), ("clerk", {}),
                                                ("reviewer", {"year": 2026}), ("leader", {"status": "draft"})])
def test_export_streams_the_same_ledger_as_the_register_lists(demo_db: Database, tmp_path: Path, role: str,
                                                              filters: dict) -> None:
    """The export reads the tables with a plain SELECT: cell for cell the ledger written from list_projects' views,
    for each role (the clerk sees its own department only, the leader sees contacts masked), filters and the
    window's own order of rows."""
    from app.services.imports import export_ledger

    with demo_db.uow(write=False) as uow:
        dept = uow.session.scalar(select(Project.department_id).limit(1))
    who = Actor(role, role, department_id=dept if role == "clerk" else None)
    with demo_db.uow(who, write=False) as uow:
        views = list_projects(uow, **filters)
    assert views and any(v.responsible_phone for v in views)
    write_ledger(tmp_path / "views.xlsx", views, title="沁水县" + (f"{filters['year']}年度" if "year" in filters else "")
                 + "政务大数据项目台账")
    assert export_ledger(demo_db, who, tmp_path / "export.xlsx", **filters) == len(views)
    assert _cells(tmp_path / "export.xlsx") == _cells(tmp_path / "views.xlsx")
    if role == "leader":
        assert all("****" in (v.responsible_phone or "****") for v in views)
    shown = [v.code for v in reversed(views)][::2]
    assert export_ledger(demo_db, who, tmp_path / "shown.xlsx", codes=[*shown, "QS-1999-0001"], **filters) == len(shown)
    write_ledger(tmp_path / "shown_views.xlsx", [next(v for v in views if v.code == c) for c in shown],
                 title="沁水县" + (f"{filters['year']}年度" if "year" in filters else "") + "政务大数据项目台账")
    assert _cells(tmp_path / "shown.xlsx") == _cells(tmp_path / "shown_views.xlsx")


def test_codes_issued_in_batches_are_the_codes_issued_at_once(db: Database, actor: Actor, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Project codes are issued a batch at a time (memory): consecutive in the sheet's order, each recorded once as
    issued, exactly as one batch would give them."""
    _departments(db, actor, "沁水县公安局", "沁水县财政局")
    monkeypatch.setattr(importcore, "NUMBERS_AT_ONCE", 2)
    report = run_import(db, actor, messy_summary(tmp_path / "a.xlsx"))
    assert [(o.row, o.code) for o in report.created] == [(6, "QS-2027-0001"), (7, "QS-2027-0002"),
                                                           (11, "QS-2027-0003")]
    with db.uow(write=False) as uow:
        issued = uow.session.execute(select(IssuedNumber.seq, IssuedNumber.number, IssuedNumber.purpose)
                                     .where(IssuedNumber.key == "project").order_by(IssuedNumber.seq)).all()
    assert [tuple(i) for i in issued] == [(n, f"QS-2027-000{n}", "Excel 导入：a.xlsx") for n in (1, 2, 3)]

"""Every workbook of the corpus (tests/fixtures/excel_corpus) imports exactly as expected.json says, or is refused
naming the same sheet, row and column, all errors in one pass. Dry run first (nothing written, the reading shown),
then the real import into a database that has the listed departments and aliases."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.actor import Actor
from app.excel import workbook
from app.excel.summary import read_summary
from app.models import Project
from app.services.imports import ImportReport, run_import
from app.services.master import add_department
from app.services.projects import list_projects
from app.storage.database import Database

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "excel_corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
YEAR = EXPECTED["year"]
FIGURES = ("total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen")
CELL_KINDS = {"unit-contradiction", "period-unreadable", "unknown-department", "unknown-category", "unknown-nature",
              "year-request-exceeds-total"}


def setup_departments(db: Database, actor: Actor, expected: dict = EXPECTED) -> None:
    with db.uow(actor) as uow:
        for name, aliases in expected["departments"].items():
            add_department(uow, name, kind=expected["department_kinds"].get(name, "县直部门"), aliases=aliases)
        uow.commit()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def count_projects(db: Database) -> int:
    with db.uow(write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Project)) or 0)


def error_matches(want: dict, got: Any) -> bool:
    """An actual CellError names the expected cell: same sheet and row; for the cell kinds also the column (by letter
    or header); a missing column names the missing header; an ambiguous workbook lists the candidate sheets."""
    if want["kind"] == "ambiguous-sheet":
        return all(name in got.message for name in want["sheets"])
    if got.sheet != want["sheet"] or got.row != want["row"]:
        return False
    if want["kind"] == "missing-required-column":
        return want["header"] in got.message
    if want["kind"] == "sources-mismatch":  # one equation of the row's 总投资 and its sources: the row is named
        return got.kind in ("sources-mismatch", "unit-contradiction")
    if want["kind"] in CELL_KINDS or want["column"]:
        return want["column"] == got.letter or (got.column is not None and want["header"] in got.column)
    return True


def check_refused(report: ImportReport, want: dict, label: str) -> None:
    assert not report.ok, f"{label}: imported although it must be refused"
    assert not report.created and not report.updated, label
    missing = [w for w in want["errors"] if not any(error_matches(w, e) for e in report.errors)]
    assert not missing, f"{label}: errors not reported {missing}; got {[e.as_dict() for e in report.errors]}"


def check_reading(report: ImportReport, want: dict, label: str) -> None:
    assert report.ok, f"{label}: refused: {[e.as_dict() for e in report.errors]}"
    assert report.sheet == want["sheet"], label
    got_rows = sorted(o.row for o in report.created)
    assert got_rows == sorted(p["row"] for p in want["projects"]), label
    skipped = {(s.row, s.kind) for s in report.skipped}
    for s in want["skipped"]:
        assert (s["row"], s["why"]) in skipped, f"{label}: row {s['row']} not skipped as {s['why']}: {skipped}"
    warned = {(w.row, w.kind) for w in report.warnings}
    for w in want["warnings"]:
        assert (w["row"], w["kind"]) in warned, f"{label}: no warning {w}: {warned}"
    text = " ".join(w.message for w in report.warnings)
    assert all(word in text for word in want["warnings_contain"]), label
    unrecognised = {(c.header, c.letter) for c in report.unrecognised}
    for u in want["unrecognised_columns"]:
        assert (u["header"], u["letter"]) in unrecognised, f"{label}: {u} not reported: {unrecognised}"


def check_stored(db: Database, actor: Actor, want: dict, label: str) -> None:
    with db.uow(actor, write=False) as uow:
        stored = {squeeze(p.name): p for p in list_projects(uow)}
    assert len(stored) == len(want["projects"]), label
    for p in want["projects"]:
        v = stored[p["name"]]
        where = f"{label} row {p['row']}"
        assert (v.department, v.category, v.nature, v.year) == (p["department"], p["category"], p["nature"],
                                                                YEAR), where
        assert [getattr(v, k) for k in FIGURES] == [p[k] for k in FIGURES], where
        assert v.period_months == p["period_months"] and v.cobuilt == p["cobuilt"], where
        assert (v.city_share_fen, v.county_share_fen) == (p["city_share_fen"] or 0, p["county_share_fen"] or 0), where


@pytest.mark.parametrize("name", sorted(EXPECTED["workbooks"]))
def test_corpus_workbook(sqlite_db: Database, actor: Actor, name: str) -> None:
    want = EXPECTED["workbooks"][name]
    setup_departments(sqlite_db, actor)
    path = CORPUS / name
    dry = run_import(sqlite_db, actor, path, year=YEAR, dry_run=True)
    assert count_projects(sqlite_db) == 0
    if want["outcome"] == "refused":
        check_refused(dry, want, f"{name} (dry run)")
        check_refused(run_import(sqlite_db, actor, path, year=YEAR), want, name)
        assert count_projects(sqlite_db) == 0
        return
    check_reading(dry, want, f"{name} (dry run)")
    report = run_import(sqlite_db, actor, path, year=YEAR)
    check_reading(report, want, name)
    check_stored(sqlite_db, actor, want, name)
    again = run_import(sqlite_db, actor, path, year=YEAR)  # idempotent
    assert again.ok and not again.created and not again.updated and len(again.unchanged) == len(want["projects"])


@pytest.mark.parametrize("name", sorted(EXPECTED["workbooks"]))
def test_corpus_streamed_reading_is_the_whole_reading(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """A sheet is streamed past its first rows (app.excel.workbook.HEAD_ROWS): with only one row kept as a list, every
    workbook reads exactly as with all its rows in memory: rows, skipped rows, errors, warnings, columns, units."""
    whole = read_summary(CORPUS / name, year=YEAR)
    monkeypatch.setattr(workbook, "HEAD_ROWS", 1)
    streamed = read_summary(CORPUS / name, year=YEAR)
    assert streamed == whole

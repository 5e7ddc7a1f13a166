"""Property: every import of a random department sheet (assembled from tests/unit/corpus_parts.py: title and note
lines, units in notes, headers and cells, one or two header rows, groups, subtotals, merges, hidden rows and columns,
column order, trailing formatted rows, example rows, extra sheets; .xlsx, .xls and .ods) is exactly the expected
projects, or a refusal naming (at least) the expected cells — never a stored figure that differs from the sheet."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from app.domain.actor import Actor
from app.excel import read_summary
from app.services.imports import run_import
from app.services.projects import list_projects
from app.storage.database import Database
from tests.fixtures.excel_corpus.make_corpus import DEPARTMENTS
from tests.fixtures.excel_corpus.sheetmodel import write_book
from tests.integration.test_excel_corpus import error_matches, setup_departments
from tests.unit.corpus_parts import random_workbook

FORMATS = (".xlsx", ".xls", ".ods")
FIGURES = ("total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


CANONICAL = {squeeze(alias): name for name, aliases in DEPARTMENTS.items() for alias in (name, *aliases)}


def draw(seed: int, tmp_path: Path) -> tuple[Path, dict]:
    fmt = FORMATS[seed % 3]
    drawn = random_workbook(random.Random(seed), fmt)
    path = tmp_path / f"random_{seed}{fmt}"
    write_book(path, drawn.sheets)
    return path, drawn.expected


def check_reading(seed: int, path: Path, want: dict) -> None:
    r = read_summary(path, year=2027)
    label = f"seed {seed} ({path.suffix})"
    if want["outcome"] == "refused":
        reader_kinds = [e for e in want["errors"] if e["kind"] != "unknown-department"]
        if r.ok:  # only a department the register does not know can be left to the service
            assert not reader_kinds, f"{label}: read although {reader_kinds}"
            assert any(squeeze(d) not in CANONICAL for _row, d in r.departments_seen), label
            return
        missing = [w for w in reader_kinds if not any(error_matches(w, e) for e in r.errors)]
        assert not missing, f"{label}: not named {missing}; got {[e.as_dict() for e in r.errors]}"
        return
    assert r.ok, f"{label}: refused {[e.as_dict() for e in r.errors]}"
    assert r.sheet == want["sheet"], label
    got = {x.row: x for x in r.rows}
    assert sorted(got) == sorted(p["row"] for p in want["projects"]), label
    for p in want["projects"]:
        x = got[p["row"]]
        where = f"{label} row {p['row']}"
        assert squeeze(x.name) == p["name"] and CANONICAL[squeeze(x.department)] == p["department"], where
        assert (x.category, x.nature, x.year) == (p["category"], p["nature"], 2027), where
        assert [getattr(x, k) for k in FIGURES] == [p[k] for k in FIGURES], where
        assert (x.period_months, x.cobuilt) == (p["period_months"], p["cobuilt"]), where
        assert (x.city_share_fen, x.county_share_fen) == (p["city_share_fen"] or 0, p["county_share_fen"] or 0), where
    skipped = {(s.row, s.kind) for s in r.skipped}
    assert all((s["row"], s["why"]) in skipped for s in want["skipped"]), (label, want["skipped"], skipped)
    warned = {(w.row, w.kind) for w in r.warnings}
    assert all((w["row"], w["kind"]) in warned for w in want["warnings"]), (label, want["warnings"], warned)
    unrecognised = {(c.header, c.letter) for c in r.unrecognised}
    assert all((u["header"], u["letter"]) in unrecognised for u in want["unrecognised_columns"]), label


@pytest.mark.parametrize("block", range(6))
def test_random_sheets_are_read_exactly_or_refused_naming_the_cell(tmp_path: Path, block: int) -> None:
    for seed in range(block * 25, block * 25 + 25):
        path, want = draw(seed, tmp_path)
        check_reading(seed, path, want)


@pytest.mark.slow
@pytest.mark.parametrize("block", range(20))
def test_many_more_random_sheets(tmp_path: Path, block: int) -> None:
    for seed in range(10_000 + block * 100, 10_000 + block * 100 + 100):
        path, want = draw(seed, tmp_path)
        check_reading(seed, path, want)


@pytest.mark.parametrize("seed", range(1000, 1012))
def test_random_sheets_through_the_import(sqlite_db: Database, actor: Actor, tmp_path: Path, seed: int) -> None:
    """Through the service into a database: what is stored is exactly the sheet, or nothing is."""
    setup_departments(sqlite_db, actor)
    path, want = draw(seed, tmp_path)
    report = run_import(sqlite_db, actor, path, year=2027)
    with sqlite_db.uow(actor, write=False) as uow:
        stored = {squeeze(p.name): p for p in list_projects(uow)}
    if want["outcome"] == "refused":
        assert not report.ok and not stored
        missing = [w for w in want["errors"] if not any(error_matches(w, e) for e in report.errors)]
        assert not missing, (missing, [e.as_dict() for e in report.errors])
        return
    assert report.ok, [e.as_dict() for e in report.errors]
    assert len(stored) == len(want["projects"])
    for p in want["projects"]:
        v = stored[p["name"]]
        assert v.department == p["department"] and [getattr(v, k) for k in FIGURES] == [p[k] for k in FIGURES]
        assert (v.period_months, v.cobuilt) == (p["period_months"], p["cobuilt"])

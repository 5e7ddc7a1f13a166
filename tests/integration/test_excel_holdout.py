"""The holdout set (tests/fixtures/excel_holdout, written by make_holdout.py after the importer, styled unlike the
corpus): every workbook imports exactly as its expected.json says, or is refused naming the same sheet, row and
column; never a stored figure that differs from the sheet. The same checks as the corpus (test_excel_corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.actor import Actor
from app.services.imports import run_import
from app.storage.database import Database
from tests.fixtures.excel_holdout import make_holdout
from tests.integration.test_excel_corpus import (
    check_reading,
    check_refused,
    check_stored,
    count_projects,
    setup_departments,
)

HOLDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "excel_holdout"
EXPECTED = json.loads((HOLDOUT / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED["workbooks"]))
def test_holdout_workbook(sqlite_db: Database, actor: Actor, name: str) -> None:
    want = EXPECTED["workbooks"][name]
    setup_departments(sqlite_db, actor, EXPECTED)
    path = HOLDOUT / name
    if want["outcome"] == "refused":
        check_refused(run_import(sqlite_db, actor, path, year=EXPECTED["year"]), want, name)
        assert count_projects(sqlite_db) == 0
        return
    report = run_import(sqlite_db, actor, path, year=EXPECTED["year"])
    check_reading(report, want, name)
    check_stored(sqlite_db, actor, {**want, "year": EXPECTED["year"]}, name)


def test_holdout_files_are_what_the_script_writes(tmp_path: Path) -> None:
    assert make_holdout.main(["--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in HOLDOUT.iterdir() if p.suffix in (".xlsx", ".xls", ".ods", ".json"))
    assert written == committed and len(written) >= 13
    stale = [n for n in written if (tmp_path / n).read_bytes() != (HOLDOUT / n).read_bytes()]
    assert stale == [], f"run make_holdout.py again: {stale}"

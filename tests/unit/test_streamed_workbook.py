"""An export that does not finish leaves nothing behind (issue 14's output guard): refused at its output, or failing
midway, a streamed (write-only) workbook's sheets are closed and their temporary files removed at once — no
half-written sheet in the temporary folder, no stream closed later by the garbage collector onto a closed file
(the "I/O operation on closed file" warnings from openpyxl's WriteOnlyWorksheet)."""

from __future__ import annotations

import gc
import os
import sys
from types import SimpleNamespace

import pytest
from openpyxl.worksheet import _writer as sheet_writer

from app.excel.tables import TableColumn, write_table
from app.excel.writers import LEDGER_ATTRS, write_ledger_rows
from app.services.audit import write_sheet
from app.storage.fileio import ProtectedOutput, protect


@pytest.fixture
def unraisable(monkeypatch):
    """What the interpreter could not raise (a generator closed by the garbage collector), caught here."""
    seen: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(f"{u.exc_type.__name__}: {u.exc_value}"))
    return seen


def _left_behind() -> list[str]:
    return [p for p in sheet_writer.ALL_TEMP_FILES if os.path.exists(p)]


def _ledger_rows(n: int):
    for i in range(n):
        yield tuple(f"QS-2026-{i:04d}" if a == "code" else 0 if a.endswith("_fen") else "" for a in LEDGER_ATTRS)


class Stop(Exception):
    pass


def test_a_refused_output_builds_nothing(tmp_path, unraisable):
    held = tmp_path / "held.xlsx"
    held.write_bytes(b"the program's")
    protect(held, "程序正在使用的文件")
    before = _left_behind()
    rows = [SimpleNamespace(name=f"记录{i}") for i in range(50)]
    for write in (lambda: write_table(held, "表", "标题", "副标题", [TableColumn("name", "名称", "text", 10)], rows),
                  lambda: write_sheet(held, "审计记录", ["名称"], [[r.name] for r in rows]),
                  lambda: write_ledger_rows(held, _ledger_rows(50))):
        with pytest.raises(ProtectedOutput):
            write()
    gc.collect()
    assert unraisable == [] and _left_behind() == before and held.read_bytes() == b"the program's"


def test_an_export_failing_midway_is_discarded(tmp_path, unraisable):
    before = _left_behind()

    def progress(done: int, total: int) -> None:
        raise Stop  # cancelled after the first 500 rows were streamed into the sheet

    with pytest.raises(Stop):
        write_ledger_rows(tmp_path / "台账.xlsx", _ledger_rows(1200), progress=progress, total=1200)

    def rows():
        yield SimpleNamespace(name="第一条")
        raise Stop  # the database cursor failed

    with pytest.raises(Stop):
        write_table(tmp_path / "登记表.xlsx", "表", "标题", "副标题", [TableColumn("name", "名称", "text", 10)], rows())
    gc.collect()
    assert unraisable == [] and _left_behind() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no output, no temporary file beside it

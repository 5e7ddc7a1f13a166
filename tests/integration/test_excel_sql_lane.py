"""The command line's import and export on a local file write with sqlite3 alone (app.services.importsql over
app.storage.writer): the same rows, codes, issued numbers and audit records as the unit of work's way
(app.services.imports), the chain unbroken however the two take turns, and nothing written where the SQL way cannot
do a step (rows that update projects): the full way does it instead."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import inspect

from app.domain.actor import SETUP_ACTOR, Actor
from app.models import Project
from app.services import importcore
from app.services.audit import verify_trail
from app.services.importcore import INSERT_COLUMNS, NEW_PROJECT, read_for_import
from app.services.imports import export_ledger, run_import
from app.services.importsql import SqlStore, issue_numbers_sql, run_import_sql
from app.services.ledgerexport import export_ledger_sql
from app.services.master import add_department, department_matcher, set_setting
from app.services.numbering import issue_numbers
from app.storage import chain
from app.storage.database import open_database
from app.storage.guard import InstanceLocked
from app.storage.writer import open_writer
from tests.integration.test_excel_corpus import CORPUS, EXPECTED, YEAR, setup_departments
from tests.integration.test_excel_property import draw

ROOT = Path(__file__).resolve().parents[2]
TIMES = ("created_at", "updated_at")


def _fresh(path: Path, actor: Actor = SETUP_ACTOR) -> Path:
    db = open_database(path)
    setup_departments(db, actor)
    db.dispose()
    return path


def _tables(path: Path) -> dict[str, list]:
    """What the import writes, as stored: every column of the projects (times left out), the numbers and their
    sequences, and the audit records (times and MACs left out: the chain is verified on its own)."""
    con = sqlite3.connect(path)
    try:
        every = [r[1] for r in con.execute("PRAGMA table_info(projects)")]
        cols = [c for c in every if c not in TIMES]
        kinds = ", ".join(f'typeof("{c}")' for c in every)
        times = con.execute(f"SELECT {', '.join(TIMES)} FROM projects").fetchall()
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", t) for row in times for t in row)
        return {
            "projects": con.execute(f"SELECT {', '.join(cols)} FROM projects ORDER BY id").fetchall(),
            "stored as": con.execute(f"SELECT DISTINCT {kinds} FROM projects").fetchall(),  # times and flags too
            "issued": con.execute("SELECT key, year, seq, number, purpose FROM issued_numbers ORDER BY id").fetchall(),
            "sequences": con.execute("SELECT key, year, last_value FROM number_sequences ORDER BY id").fetchall(),
            "audit": con.execute('SELECT id, "user", role, host, action, object_type, object_id, outcome, detail '
                                 "FROM audit_log ORDER BY id").fetchall(),
            "anchor": con.execute("SELECT id, count, last_id FROM audit_anchor ORDER BY id").fetchall(),
        }
    finally:
        con.close()


def _chain_ok(path: Path) -> None:
    db = open_database(path)
    try:
        with db.uow(SETUP_ACTOR) as uow:
            report, _archive = verify_trail(uow)
        assert report.ok, report.problems
    finally:
        db.dispose()


def _both(tmp_path: Path, source: Path | None = None, **kw: object) -> tuple[importcore.ImportReport,
                                                                              importcore.ImportReport]:
    """The same sheet imported the SQL way into one copy of a database and the unit of work's way into another."""
    base = _fresh(tmp_path / "base.sqlite3") if source is None else source
    a, b = tmp_path / "sql.sqlite3", tmp_path / "orm.sqlite3"
    shutil.copyfile(base, a)
    shutil.copyfile(base, b)
    result = read_for_import(kw.pop("path"), year=kw.pop("year", YEAR))  # type: ignore[arg-type]
    writer = open_writer(a)
    assert writer is not None
    try:
        sql = run_import_sql(writer, SETUP_ACTOR, result, **kw)  # type: ignore[arg-type]
    finally:
        writer.close()
    db = open_database(b)
    try:
        orm = run_import(db, SETUP_ACTOR, read_for_import(result.path, year=YEAR), **kw)  # type: ignore[arg-type]
    finally:
        db.dispose()
    assert sql is not None
    return sql, orm


@pytest.mark.parametrize("name", sorted(EXPECTED["workbooks"]))
def test_corpus_writes_the_same_on_both_ways(tmp_path: Path, name: str) -> None:
    sql, orm = _both(tmp_path, path=CORPUS / name)
    assert sql.as_json() == orm.as_json()
    assert _tables(tmp_path / "sql.sqlite3") == _tables(tmp_path / "orm.sqlite3")
    _chain_ok(tmp_path / "sql.sqlite3")


@pytest.mark.parametrize("seed", range(2000, 2012))
def test_random_sheets_write_the_same_on_both_ways(tmp_path: Path, seed: int) -> None:
    path, _want = draw(seed, tmp_path)
    sql, orm = _both(tmp_path, path=path)
    assert sql.as_json() == orm.as_json()
    assert _tables(tmp_path / "sql.sqlite3") == _tables(tmp_path / "orm.sqlite3")


def test_dry_run_writes_nothing_and_reads_the_same(tmp_path: Path) -> None:
    name = next(n for n, w in sorted(EXPECTED["workbooks"].items()) if w["outcome"] != "refused")
    base = _fresh(tmp_path / "base.sqlite3")
    before = _tables(base)
    sql, orm = _both(tmp_path, base, path=CORPUS / name, dry_run=True)
    assert sql.ok and sql.as_json() == orm.as_json() and sql.created
    assert _tables(tmp_path / "sql.sqlite3") == before == _tables(tmp_path / "orm.sqlite3")


def test_rows_that_change_projects_go_the_full_way(tmp_path: Path) -> None:
    """A second import whose rows differ from the stored projects needs update_project (history, 第十七条): the SQL
    way writes nothing and says so; unchanged rows it reports itself."""
    name = next(n for n, w in sorted(EXPECTED["workbooks"].items()) if w["outcome"] != "refused")
    db_path = _fresh(tmp_path / "a.sqlite3")
    first = read_for_import(CORPUS / name, year=YEAR)
    writer = open_writer(db_path)
    assert writer is not None
    try:
        assert run_import_sql(writer, SETUP_ACTOR, first).ok
        before = _tables(db_path)
        again = run_import_sql(writer, SETUP_ACTOR, read_for_import(CORPUS / name, year=YEAR))
        assert again is not None and again.ok and not again.created and len(again.unchanged) == len(first.rows)
        assert _tables(db_path) == before  # an import of nothing new writes nothing, not even a record
        changed = read_for_import(CORPUS / name, year=YEAR)
        row = changed.rows[0]
        changed.rows[0] = type(row)(**{**{f: getattr(row, f) for f in row.__slots__}, "note": "改过的备注"})
        assert run_import_sql(writer, SETUP_ACTOR, changed) is None
        assert _tables(db_path) == before
    finally:
        writer.close()
    db = open_database(db_path)
    try:
        report = run_import(db, SETUP_ACTOR, changed)
    finally:
        db.dispose()
    assert report.ok and [o.row for o in report.updated] == [row.row]
    _chain_ok(db_path)


def test_new_departments_go_the_full_way(tmp_path: Path) -> None:
    db_path = tmp_path / "empty.sqlite3"
    open_database(db_path).dispose()  # no departments at all
    name = next(n for n, w in sorted(EXPECTED["workbooks"].items()) if w["outcome"] != "refused")
    writer = open_writer(db_path)
    assert writer is not None
    try:
        assert run_import_sql(writer, SETUP_ACTOR, read_for_import(CORPUS / name, year=YEAR),
                              add_departments=True) is None
        refused = run_import_sql(writer, SETUP_ACTOR, read_for_import(CORPUS / name, year=YEAR))
        assert refused is not None and {e.kind for e in refused.errors} == {"unknown-department"}
    finally:
        writer.close()


def _append_sql(db_path: Path, action: str, turn: int) -> bool:
    """One record the SQL way; False when chain.sql_chain_state leaves it to auditchain's way (nothing written)."""
    writer = open_writer(db_path)
    assert writer is not None
    try:
        with writer.transaction() as con:
            state = chain.sql_chain_state(con)
            if state is None:
                return False
            chain.append_sql(con, state, SETUP_ACTOR, action, "test", turn, {"turn": turn, "名": "值"})
        return True
    finally:
        writer.close()


def _append_orm(db_path: Path, action: str, turn: int) -> None:
    db = open_database(db_path)
    try:
        with db.uow(SETUP_ACTOR) as uow:
            uow.audit(action, "test", turn, {"turn": turn})
            uow.commit()
    finally:
        db.dispose()


def test_the_chain_holds_whichever_way_appends(tmp_path: Path) -> None:
    db_path = tmp_path / "c.sqlite3"
    open_database(db_path).dispose()
    assert not _append_sql(db_path, "test.sql", 0)  # no key yet: auditchain makes it (in this PC's key store)
    for turn in range(4):
        if turn % 2 == 0:
            _append_orm(db_path, "test.orm", turn)
        else:
            assert _append_sql(db_path, "test.sql", turn)
    _chain_ok(db_path)
    assert [r[4] for r in _tables(db_path)["audit"]] == ["test.orm", "test.sql", "test.orm", "test.sql"]


def test_a_damaged_trail_goes_the_full_way_and_is_recorded(tmp_path: Path) -> None:
    """The SQL way never signs over a damaged anchor: it leaves the append to auditchain, which writes the
    chain-break record first; and a PC without the key writes nothing the SQL way."""
    db_path = _fresh(tmp_path / "d.sqlite3")
    assert _append_sql(db_path, "test.sql", 1)
    con = sqlite3.connect(db_path)
    with con:
        con.execute("UPDATE audit_anchor SET mac = ? WHERE id = 1", ("0" * 64,))  # a forged anchor
    con.close()
    assert not _append_sql(db_path, "test.sql", 2)
    _append_orm(db_path, "test.orm", 2)
    actions = [r[4] for r in _tables(db_path)["audit"]]
    assert actions[-2:] == [chain.BREAK_ACTION, "test.orm"]
    key_files = list(Path(os.environ["GOVDATA_KEYSTORE"]).glob("*"))
    assert key_files
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    for f in key_files:
        f.rename(hidden / f.name)
    chain.KEY_CACHE.clear()
    try:
        before = _tables(db_path)["audit"]
        assert not _append_sql(db_path, "test.sql", 3)
        assert _tables(db_path)["audit"] == before
    finally:
        for f in hidden.iterdir():
            f.rename(Path(os.environ["GOVDATA_KEYSTORE"]) / f.name)


def test_codes_are_the_numbering_services_codes(tmp_path: Path) -> None:
    """issue_numbers_sql draws from the sequences numbering.issue_numbers draws from, formats and records alike,
    shared patterns included (approvals and rectification notices share 沁审管发〔年〕N号)."""
    base = _fresh(tmp_path / "base.sqlite3")
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    shutil.copyfile(base, a)
    shutil.copyfile(base, b)
    steps = [("project", 2027, 3), ("approval", 2027, 2), ("rectification", 2027, 1), ("project", 2028, 2),
             ("project", 2027, 1), ("approval", 2027, 0)]
    writer = open_writer(a)
    assert writer is not None
    with writer.transaction() as con:
        got_sql = [issue_numbers_sql(con, key, year, n, f"测试 {key}") for key, year, n in steps]
    writer.close()
    db = open_database(b)
    with db.uow(SETUP_ACTOR) as uow:
        got_orm = [issue_numbers(uow, key, year, n, f"测试 {key}") for key, year, n in steps]
        uow.commit()
    db.dispose()
    assert got_sql == got_orm and got_sql[0] == ["QS-2027-0001", "QS-2027-0002", "QS-2027-0003"]
    assert _tables(a) == _tables(b)


def test_settings_change_the_codes_on_both_ways(tmp_path: Path) -> None:
    base = _fresh(tmp_path / "base.sqlite3")
    db = open_database(base)
    with db.uow(SETUP_ACTOR) as uow:
        set_setting(uow, "pattern.project", "XM{year}-{seq:05d}")
        uow.commit()
    db.dispose()
    name = next(n for n, w in sorted(EXPECTED["workbooks"].items()) if w["outcome"] != "refused")
    sql, orm = _both(tmp_path, base, path=CORPUS / name)
    assert [o.code for o in sql.created] == [o.code for o in orm.created] and sql.created[0].code == "XM2027-00001"


def test_the_sql_insert_writes_every_column_the_model_fills() -> None:
    """A column the model gives a default (or requires) that the SQL insert left out would be NULL there."""
    written = set(INSERT_COLUMNS) | set(NEW_PROJECT) | set(TIMES)
    for column in Project.__table__.columns:
        if column.primary_key:
            continue
        if column.default is not None or column.server_default is not None or not column.nullable:
            assert column.name in written, column.name


def test_a_database_to_upgrade_or_of_postgresql_is_not_the_writers(tmp_path: Path) -> None:
    path = _fresh(tmp_path / "old.sqlite3")
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    con.close()
    assert open_writer(path) is None  # open_database backs it up and upgrades it
    assert open_writer("postgresql+psycopg://u:p@localhost/x") is None
    assert open_writer(tmp_path / "missing.sqlite3") is None and not (tmp_path / "missing.sqlite3").exists()


def test_the_writer_takes_the_instance_lock(tmp_path: Path) -> None:
    path = _fresh(tmp_path / "l.sqlite3")
    code = ("import sys, time; from app.storage.writer import open_writer; w = open_writer(sys.argv[1]); "
            "print('open', flush=True); time.sleep(30)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(InstanceLocked):
            open_writer(path)
    finally:
        holder.kill()
        holder.wait()


def test_the_command_line_import_and_export_load_no_sqlalchemy(tmp_path: Path) -> None:
    """The whole `govdata import-projects` and `export-projects` of a local file, as processes of their own."""
    path = _fresh(tmp_path / "cli.sqlite3")
    name = next(n for n, w in sorted(EXPECTED["workbooks"].items()) if w["outcome"] != "refused")
    out = tmp_path / "台账.xlsx"
    code = ("import sys; from app.cli.main import main; rc = main(sys.argv[1:]); "
            "print(rc, sorted({m.split('.')[0] for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))} | "
            "{m for m in sys.modules if m.startswith('app.models')}))")
    for args in (["import-projects", str(CORPUS / name), "--year", str(YEAR)], ["export-projects", str(out)]):
        done = subprocess.run([sys.executable, "-c", code, "--db", str(path), *args], capture_output=True, text=True,
                              cwd=ROOT, env={**_env(tmp_path)})
        assert done.stdout.strip().splitlines()[-1] == "0 []", (done.stdout, done.stderr)
    assert len(CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()) > 5
    _chain_ok(path)
    actions = [r[4] for r in _tables(path)["audit"]]
    assert actions[-2:] == ["project.import", "project.export"]


def _env(tmp_path: Path) -> dict:
    return {**os.environ, "GOVDATA_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}


def test_export_writes_the_same_ledger_and_record_on_both_ways(demo_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    shutil.copyfile(demo_copy, other)
    who = Actor("leader", "leader")  # contacts masked
    (tmp_path / "sql").mkdir()
    (tmp_path / "orm").mkdir()
    writer = open_writer(demo_copy)
    assert writer is not None
    try:
        n_sql, recorded = export_ledger_sql(writer, who, tmp_path / "sql" / "台账.xlsx", year=2026)
        assert recorded
    finally:
        writer.close()
    db = open_database(other)
    try:
        n_orm = export_ledger(db, who, tmp_path / "orm" / "台账.xlsx", year=2026)
    finally:
        db.dispose()
    assert n_sql == n_orm > 0

    def cells(p: Path) -> list:
        return CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python(skip_empty_area=False)

    assert cells(tmp_path / "sql" / "台账.xlsx") == cells(tmp_path / "orm" / "台账.xlsx")
    last_sql, last_orm = _tables(demo_copy)["audit"][-1], _tables(other)["audit"][-1]
    assert last_sql[4:] == last_orm[4:] and json.loads(last_sql[8])["rows"] == n_sql
    _chain_ok(demo_copy)


def test_sql_store_matches_departments_as_the_master_data_does(tmp_path: Path) -> None:
    """Names with and without the county's name, spaces and full-width forms, and aliases."""
    path = tmp_path / "d.sqlite3"
    db = open_database(path)
    with db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "沁水县公安局", aliases=["县公安"])
        add_department(uow, "沁水县行政审批服务管理局")
        uow.commit()
    with db.uow(SETUP_ACTOR, write=False) as uow:
        orm = department_matcher(uow)
        names = ["沁水县公安局", "公安局", "县公安", "沁水县 公安局", "沁水县（公安局）", "行政审批服务管理局", "县行政审批服务管理局",
                 "教育局", "", "沁水县"]
        want = {n: (v.id if (v := orm(n)) else None) for n in names}
    db.dispose()
    writer = open_writer(path)
    assert writer is not None
    try:
        sql = SqlStore(writer.con, SETUP_ACTOR, None).department_of()
        assert {n: sql(n) for n in names} == want and want["县公安"] is not None
    finally:
        writer.close()


def test_insert_columns_are_the_tables(tmp_path: Path) -> None:
    """Every column the SQL insert names exists in the migrated table (a renamed column fails here, not at a user)."""
    db = open_database(tmp_path / "t.sqlite3")
    try:
        names = {c["name"] for c in inspect(db.engine).get_columns("projects")}
    finally:
        db.dispose()
    assert set(INSERT_COLUMNS) | set(NEW_PROJECT) | set(TIMES) <= names


def test_the_key_file_is_read_first_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """chain.held_key tries the key file before the keyring (which costs a command 0.2 s to load), and takes only a
    key whose check value is the database's: a wrong key file falls through to the keyring."""
    from app.storage import keystore

    right, wrong = bytes(range(32)), bytes(32)
    check = chain.check_value(right)
    asked: list[str] = []
    monkeypatch.setattr(keystore, "get_key", lambda name: asked.append(name) or right.hex())
    monkeypatch.setattr(keystore, "get_key_file", lambda name: right.hex())
    chain.KEY_CACHE.clear()
    assert chain.held_key("k1", check) == right and asked == []
    monkeypatch.setattr(keystore, "get_key_file", lambda name: wrong.hex())
    chain.KEY_CACHE.clear()
    assert chain.held_key("k2", check) == right and asked == ["audit-key-k2"]
    monkeypatch.setattr(keystore, "get_key", lambda name: wrong.hex())
    chain.KEY_CACHE.clear()
    assert chain.held_key("k3", check) is None
    chain.KEY_CACHE.clear()

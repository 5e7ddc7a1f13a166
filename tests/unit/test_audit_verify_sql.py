"""`govdata verify` on a local file with sqlite3 alone (app.services.auditsql, app.storage.chain.verify_sql): the same
report as auditchain.verify for an untouched trail and after every tampering, the same record of the verification,
a damaged trail still recorded the full way (its chain-break record first), and no SQLAlchemy loaded."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR, Actor
from app.services import audit
from app.storage import auditchain, auditkey
from app.storage.chain import BREAK_ACTION, GENESIS, verify_sql
from app.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]
ACTOR = Actor("zhangsan", "reviewer", 1, "张三")


@pytest.fixture
def trail(tmp_path: Path) -> Path:
    path = tmp_path / "v.sqlite3"
    db = open_database(path)
    for batch in range(2):  # two transactions, as a day's work leaves them
        with db.uow(ACTOR) as uow:
            for i in range(6):
                uow.audit("project.update", "project", f"QS-2027-{batch}{i:03d}",
                          {"before": {"name": "旧名称"}, "after": {"name": f"新名称{i}"}})
            uow.commit()
    db.dispose()
    return path


def _tamper(path: Path, *sql: str) -> None:
    """What someone with the file and a SQLite tool could do: drop the triggers, then edit."""
    con = sqlite3.connect(path)
    for t in ("audit_log_no_update", "audit_log_no_delete", "audit_anchor_no_delete", "audit_anchor_no_shrink"):
        con.execute(f"DROP TRIGGER IF EXISTS {t}")
    for s in sql:
        con.execute(s)
    con.commit()
    con.close()


def _orm_report(path: Path) -> auditchain.ChainReport:
    db = open_database(path)
    try:
        with db.uow(ACTOR, write=False) as uow:
            return auditchain.verify(uow.session)
    finally:
        db.dispose()


def _sql_report(path: Path) -> auditchain.ChainReport | None:
    con = sqlite3.connect(path)
    try:
        con.execute("BEGIN")
        return verify_sql(con)
    finally:
        con.close()


def _records(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute('SELECT id, "user", role, action, object_type, object_id, outcome, detail '
                           "FROM audit_log ORDER BY id").fetchall()
    finally:
        con.close()


TAMPERS = {
    "untouched": [],
    "a record's user changed": ["UPDATE audit_log SET user = 'lisi' WHERE id = 4"],
    "a record's detail changed": ["UPDATE audit_log SET detail = replace(detail, '新名称2', '新名称9') WHERE id = 3"],
    "a record's time changed": ["UPDATE audit_log SET at = '2020-01-01 00:00:00.000000' WHERE id = 5"],
    "a record deleted": ["DELETE FROM audit_log WHERE id = 4"],
    "two records swapped": ["UPDATE audit_log SET id = 100 WHERE id = 4", "UPDATE audit_log SET id = 4 WHERE id = 5",
                            "UPDATE audit_log SET id = 5 WHERE id = 100"],
    "the tail cut": ["DELETE FROM audit_log WHERE id >= 9"],
    "the tail cut and the anchor rewound": ["DELETE FROM audit_log WHERE id >= 9",
                                            "UPDATE audit_anchor SET count = 8, last_id = 8 WHERE id = 1"],
    "a replayed record appended": [
        "INSERT INTO audit_log (id, at, user, action, outcome, prev_mac, mac) "
        "SELECT 13, at, user, action, outcome, mac, mac FROM audit_log WHERE id = 12"],
    "the anchor reset": ["UPDATE audit_anchor SET count = 0, last_id = 0, head_mac = NULL, mac = NULL WHERE id = 1"],
    "the anchor's MAC zeroed": ["UPDATE audit_anchor SET mac = '" + "0" * 64 + "' WHERE id = 1"],
    "the anchor deleted": ["DELETE FROM audit_anchor WHERE id = 1"],
    "the trail emptied": ["DELETE FROM audit_log"],
    "the trail and the anchor emptied": ["DELETE FROM audit_log", "DELETE FROM audit_anchor"],
    "the key records deleted": ["DELETE FROM audit_keys"],
    "the key's check value changed": ['UPDATE audit_keys SET "check" = \'' + "1" * 64 + "'"],
    "a MAC removed": ["UPDATE audit_log SET mac = NULL WHERE id = 7"],
    "a record re-chained from GENESIS": [f"UPDATE audit_log SET prev_mac = '{GENESIS}' WHERE id = 6"],
}


# the database alone cannot tell an emptied trail from a new one: the next write's check records it (a chain-break
# record: test_audit_key.py) and the auditor's external anchor names it (`verify --anchor`)
LOOKS_SOUND = {"untouched", "the trail and the anchor emptied"}


@pytest.mark.parametrize("kind", TAMPERS)
def test_the_same_report_as_auditchain(trail: Path, kind: str) -> None:
    _tamper(trail, *TAMPERS[kind])
    auditkey.forget_cached()  # as a new process: this PC's key is read again and checked against the database
    orm = _orm_report(trail)
    auditkey.forget_cached()
    sql = _sql_report(trail)
    assert sql is not None
    assert dataclasses.asdict(sql) == dataclasses.asdict(orm)
    assert sql.ok == (kind in LOOKS_SOUND), sql.problems


def test_the_same_report_with_chain_break_records(trail: Path) -> None:
    _tamper(trail, "UPDATE audit_anchor SET mac = NULL WHERE id = 1")
    db = open_database(trail)
    with db.uow(ACTOR) as uow:  # the program finds the damage before signing: a chain-break record first
        uow.audit("project.update", "project", "QS-2027-9999")
        uow.commit()
    db.dispose()
    orm, sql = _orm_report(trail), _sql_report(trail)
    assert sql is not None and orm.breaks and dataclasses.asdict(sql) == dataclasses.asdict(orm)


def test_a_legacy_key_row_is_left_to_auditchain(trail: Path) -> None:
    _tamper(trail, "INSERT INTO audit_anchor (id, count, last_id, head_mac, mac, updated_at) "
                   "VALUES (0, 0, 0, 'ab', NULL, '2026-01-01')")
    assert _sql_report(trail) is None


def test_the_command_loads_no_sqlalchemy_and_records_as_the_full_way(trail: Path, tmp_path: Path) -> None:
    twin = tmp_path / "twin.sqlite3"
    shutil.copy(trail, twin)
    code = textwrap.dedent(f"""
        import sys
        from app.cli.main import main
        code = main(["--db", {str(trail)!r}, "verify", "--json"])
        print(code)
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "alembic") or m.startswith("app.models")))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    *report, exit_code, modules = out.splitlines()
    assert (exit_code, modules) == ("0", "[]")
    assert json.loads("\n".join(report))["checked"] == 12
    db = open_database(twin)  # the same verification the full way (the window's)
    audit.verify_and_record(db, SETUP_ACTOR)
    db.dispose()
    fast, full = _records(trail), _records(twin)
    assert len(fast) == len(full) == 13
    assert fast[-1][1:] == full[-1][1:]
    assert fast[-1][3] == "audit.verify" and json.loads(fast[-1][7]) == {"anchor": None, "checked": 12,
                                                                           "first_broken": None, "ok": True}
    after = _orm_report(trail)  # the record it appended continues the chain and moved the anchor
    assert after.ok and after.checked == 13, after.problems


def test_a_changed_record_is_reported_and_the_verification_recorded(trail: Path, capsys) -> None:
    _tamper(trail, "UPDATE audit_log SET object_id = 'QS-2027-0999' WHERE id = 3")
    before = _orm_report(trail)
    assert main(["--db", str(trail), "verify", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["first_broken"] == 3 and out["problems"] == before.problems
    last = _records(trail)[-1]
    assert last[3:7] == ("audit.verify", "audit_log", None, "failed") and json.loads(last[7])["first_broken"] == 3
    after = _orm_report(trail)  # the record chained on: the trail names the same damage, nothing more
    assert after.problems == before.problems and after.checked == before.checked + 1


def test_a_damaged_anchor_is_recorded_the_full_way_with_its_chain_break_record(trail: Path, capsys) -> None:
    _tamper(trail, "DELETE FROM audit_log WHERE id >= 11", "UPDATE audit_anchor SET count = 10, last_id = 10 WHERE id = 1")
    assert main(["--db", str(trail), "verify"]) == 1
    assert "审计记录异常" in capsys.readouterr().out
    actions = [r[3] for r in _records(trail)]
    assert actions[-2:] == [BREAK_ACTION, "audit.verify"]  # what the program found, then the verification
    assert main(["--db", str(trail), "verify", "--json"]) == 1  # and it stays named
    out = json.loads(capsys.readouterr().out)
    assert out["breaks"] == [11] and any("程序写入前发现审计链已被破坏" in p for p in out["problems"])

"""Kill a writer at random moments, many times: the database always passes PRAGMA integrity_check, holds
whole imports only (an Excel import is all or nothing), every business row has its audit record, and the audit
chain verifies after every kill. On SQLite the writer also makes backups and restores them; a quarter of the kills
aim at a restore, and a restore killed in its middle leaves its record (in the old database, which is still the
live one or kept beside the backups). On SQLite and, with GOVDATA_TEST_PG_URL, PostgreSQL.

CRASH_KILLS sets the number of kills (at least 100 here; issue 14 asks for a run of at least 500:
`CRASH_KILLS=500 python -m pytest -m slow tests/integration/test_crash.py -s` prints the figures)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app.cli import main as cli
from app.domain.actor import SETUP_ACTOR
from app.storage import backup
from app.storage.database import open_database

ROOT = Path(__file__).parents[2]
WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = max(100, int(os.environ.get("CRASH_KILLS", "100")))
BATCH = 20


PG_URL = os.environ.get("GOVDATA_TEST_PG_URL")
IMPORTED = ("NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action='project.import' AND a.outcome='ok' "
            "AND a.detail LIKE '%\"' || p.code || '\"%')")


def _state(target: str) -> dict:
    """What the database holds after a kill: integrity (SQLite), batch sizes, unaudited rows, numbers."""
    integrity = ["ok"]
    if "://" not in target:
        conn = sqlite3.connect(target)
        try:
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    engine = create_engine(target if "://" in target else f"sqlite:///{target}")
    try:
        with engine.connect() as c:
            q = lambda sql: c.execute(text(sql)).fetchall()  # noqa: E731
            batches = q("SELECT note, count(*) FROM projects GROUP BY note")
            unaudited = q(f"SELECT count(*) FROM projects p WHERE {IMPORTED}")[0][0]
            edits_unaudited = q(
                "SELECT count(*) FROM projects p WHERE p.version - 1 != (SELECT count(*) FROM audit_log a "
                "WHERE a.action='project.update' AND a.object_id=p.code)")[0][0]
            numbers = q("SELECT count(*), count(DISTINCT number) FROM issued_numbers")[0]
            projects = q("SELECT count(*) FROM projects")[0][0]
    finally:
        engine.dispose()
    return {"integrity": integrity, "batches": batches, "unaudited": unaudited, "edits_unaudited": edits_unaudited,
            "numbers": tuple(numbers), "projects": projects}


def _chain_ok(target: str) -> bool:
    """The audit chain verifies (with the key from the keystore, as `govdata verify`), read without any guard."""
    from app.storage.auditchain import verify
    from app.storage.database import Database

    db = Database(target if "://" in target else f"sqlite:///{target}")
    try:
        with db.uow(SETUP_ACTOR, write=False) as uow:
            return verify(uow.session).ok
    finally:
        db.dispose()


def _recorded(target: str, nonce: str) -> bool:
    """The restore's start is on record: in the live database (the kill came before the copy finished), or in
    the replaced one kept beside the backups (after)."""
    candidates = [Path(target)] + [p for p in backup.backups_dir().iterdir()
                                   if "restore" in p.name and p.name.endswith(".sqlite3")]
    for path in candidates:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("SELECT 1 FROM audit_log WHERE action = 'database.restore_started' AND detail LIKE ?",
                            (f"%{nonce}%",)).fetchone():
                return True
        finally:
            conn.close()
    return False


def _aim_at_a_restore(proc: subprocess.Popen, rng: random.Random) -> str | None:
    """Wait for the writer to start a restore and kill it within its copy; the restore's nonce (None: the writer
    ended first)."""
    for line in proc.stdout:
        if line.startswith("restore started"):
            time.sleep(rng.uniform(0.0, 0.08))
            return line.split()[-1]
    return None


def run_kills(target: str, workdir: Path, kills: int, rng: random.Random) -> dict:
    stats = {"kills": 0, "failed_integrity": 0, "partial_batches": 0, "unaudited_rows": 0, "broken_chains": 0,
             "restores_killed": 0, "restores_killed_unrecorded": 0}
    sqlite = "://" not in target
    for i in range(kills):
        proc = subprocess.Popen([sys.executable, str(WRITER), target, str(BATCH), str(workdir)], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        nonce = None
        if sqlite and i % 4 == 3:
            nonce = _aim_at_a_restore(proc, rng)
        else:
            time.sleep(rng.uniform(0.0, 0.35))
        os.kill(proc.pid, signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait()
        stats["kills"] += 1
        s = _state(target)
        if s["integrity"] != ["ok"]:
            stats["failed_integrity"] += 1
        stats["partial_batches"] += sum(1 for _note, n in s["batches"] if n != BATCH)
        stats["unaudited_rows"] += s["unaudited"] + s["edits_unaudited"]
        assert s["numbers"][0] == s["numbers"][1] == s["projects"]  # no number issued twice or lost
        if not _chain_ok(target):
            stats["broken_chains"] += 1
        if nonce is not None and "restored" not in rest:
            stats["restores_killed"] += 1
            if not _recorded(target, nonce):
                stats["restores_killed_unrecorded"] += 1
        if stats["kills"] % 50 == 0:  # a long run's figures as it goes (with -s)
            print(f"\ncrash test: {stats}", flush=True)
    return stats


def _reset_pg(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.mark.slow  # 130–270 s: run by .ci/run (pytest -m slow)
@pytest.mark.parametrize("backend", ["sqlite"] + (["postgresql"] if PG_URL else []))
def test_killed_writer_never_leaves_damage(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        target = str(tmp_path / "govdata.sqlite3")
    else:
        _reset_pg(PG_URL)
        target = PG_URL
    assert cli.main(["--db", target, "init", "--county", "沁水县"]) == 0
    assert cli.main(["--db", target, "departments", "add", "县教育局"]) == 0
    stats = run_kills(target, tmp_path, KILLS, random.Random(20261125))
    final = _state(target)
    print(f"\ncrash test ({backend}): {stats}; projects {final['projects']}")
    assert stats == {**stats, "failed_integrity": 0, "partial_batches": 0, "unaudited_rows": 0, "broken_chains": 0,
                     "restores_killed_unrecorded": 0}
    if backend == "sqlite":
        assert stats["restores_killed"] > 0  # the kills did reach restores in their middle
    assert stats["kills"] >= 100
    assert final["projects"] >= BATCH  # the writer did get work done between kills
    if backend == "sqlite":  # every backup that reached its final name is whole
        finals = [p for p in backup.backups_dir().iterdir() if p.name.endswith(".sqlite3")]
        finals.append(Path(target).with_name("manual-backup.sqlite3"))
        for f in finals:
            if f.exists():
                assert backup.inspect_file(f).ok, f
    # and the audit chain survived every kill
    from app.storage.auditchain import verify

    db = open_database(target)
    with db.uow(SETUP_ACTOR, write=False) as uow:
        report = verify(uow.session)
    db.dispose()
    assert report.ok, report.summary()

"""Kill a writer at random moments, many times: the database always passes PRAGMA integrity_check, holds
whole batches only (an import is all or nothing), and every business row has its audit record.

CRASH_KILLS sets the number of kills (at least 100 here; the benchmark run uses more)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from app import backup
from app.cli import main as cli
from app.db import SETUP_ACTOR, open_database

ROOT = Path(__file__).parents[2]
WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = max(100, int(os.environ.get("CRASH_KILLS", "100")))
BATCH = 20


def _state(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        batches = conn.execute("SELECT note, count(*) FROM projects GROUP BY note").fetchall()
        unaudited = conn.execute(
            "SELECT count(*) FROM projects p WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
            "WHERE a.action='project.register' AND a.object_id=p.code)").fetchone()[0]
        edits_unaudited = conn.execute(
            "SELECT count(*) FROM projects p WHERE p.version - 1 != (SELECT count(*) FROM audit_log a "
            "WHERE a.action='project.update' AND a.object_id=p.code)").fetchone()[0]
        numbers = conn.execute("SELECT count(*), count(DISTINCT number) FROM issued_numbers").fetchone()
        projects = conn.execute("SELECT count(*) FROM projects").fetchone()[0]
    finally:
        conn.close()
    return {"integrity": integrity, "batches": batches, "unaudited": unaudited, "edits_unaudited": edits_unaudited,
            "numbers": numbers, "projects": projects}


def run_kills(path: Path, kills: int, rng: random.Random) -> dict:
    stats = {"kills": 0, "failed_integrity": 0, "partial_batches": 0, "unaudited_rows": 0}
    for _ in range(kills):
        proc = subprocess.Popen([sys.executable, str(WRITER), str(path), str(BATCH)], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.35))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        stats["kills"] += 1
        s = _state(path)
        if s["integrity"] != ["ok"]:
            stats["failed_integrity"] += 1
        stats["partial_batches"] += sum(1 for _note, n in s["batches"] if n != BATCH)
        stats["unaudited_rows"] += s["unaudited"] + s["edits_unaudited"]
        assert s["numbers"][0] == s["numbers"][1] == s["projects"]  # no number issued twice or lost
    return stats


def test_killed_writer_never_leaves_damage(tmp_path: Path) -> None:
    path = tmp_path / "govdata.sqlite3"
    assert cli.main(["--db", str(path), "init", "--county", "沁水县"]) == 0
    assert cli.main(["--db", str(path), "departments", "add", "县教育局"]) == 0
    stats = run_kills(path, KILLS, random.Random(20261125))
    print(f"\ncrash test: {stats}; projects {_state(path)['projects']}")
    assert stats == {**stats, "failed_integrity": 0, "partial_batches": 0, "unaudited_rows": 0}
    assert stats["kills"] >= 100
    assert _state(path)["projects"] >= BATCH  # the writer did get work done between kills
    # every backup that reached its final name is whole
    finals = [p for p in backup.backups_dir().iterdir() if p.name.endswith(".sqlite3")]
    finals.append(path.with_name("manual-backup.sqlite3"))
    for f in finals:
        if f.exists():
            assert backup.inspect_file(f).ok, f
    # and the audit chain survived every kill
    from app.services.audit import verify

    db = open_database(path)
    with db.uow(SETUP_ACTOR, write=False) as uow:
        report = verify(uow.session)
    db.dispose()
    assert report.ok, report.summary()

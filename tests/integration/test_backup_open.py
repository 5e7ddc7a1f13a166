"""The checks wired into open_database: lock, quick check with the offered backup, daily and upgrade backups."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import DatabaseError
from app.storage import backup
from app.storage import guard as storage_guard
from app.storage.database import open_database

ROOT = Path(__file__).parents[2]


def _scribbled(raw: bytes, seed: int) -> bytes:
    """400 random bytes every third page from the fourth on, drawn from `seed` (the same damage every run)."""
    rng = random.Random(seed)
    out = bytearray(raw)
    for i in range(3 * 4096 + 50, len(out), 4096 * 3):
        out[i:i + 400] = rng.randbytes(400)
    return bytes(out)


def _report_is_undecodable(raw: bytes, scratch: Path) -> bool:
    """Whether SQLite's own quick_check report on this file quotes bytes that are not UTF-8 (Python's sqlite3
    then raises UnicodeDecodeError instead of returning the report)."""
    scratch.write_bytes(raw)
    conn = sqlite3.connect(scratch.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA quick_check").fetchall()
    except UnicodeDecodeError:
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
    return False


def _undecodable_seed(path: Path, scratch: Path) -> int:
    """The first seed whose damage makes SQLite's report undecodable (about 1 in 25–200 seeds; 22 when this was
    written). Searched, not hard-coded, so a schema change that moves pages cannot silently lose the case."""
    raw = path.read_bytes()
    for seed in range(5000):
        if _report_is_undecodable(_scribbled(raw, seed), scratch):
            return seed
    raise AssertionError("no seed below 5000 gives an undecodable quick_check report")


def _make(path: Path) -> None:
    db = open_database(path)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO departments (name, kind, active, version) VALUES ('县公安局', '县直部门', 1, 1)")
        for i in range(400):
            conn.exec_driver_sql(
                "INSERT INTO settings (key, value) VALUES (?, ?)", (f"k{i}", "值" * 200))
    db.dispose()


def test_reopen_makes_one_daily_backup_and_releases_lock(tmp_path: Path) -> None:
    path = tmp_path / "govdata.sqlite3"
    db = open_database(path)
    assert storage_guard.lock_path_for(path).exists()
    db.dispose()
    assert not storage_guard.lock_path_for(path).exists()
    assert backup.list_backups("govdata") == []  # a new database has nothing to back up
    _make(path)
    [daily] = backup.list_backups("govdata")
    assert daily.kind == "daily"
    open_database(path).dispose()
    assert len(backup.list_backups("govdata")) == 1  # once a day


@pytest.mark.parametrize("damage", ["seed 20261125", "undecodable report"])
def test_damaged_database_stops_before_writing_and_names_backup(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "govdata.sqlite3"
    open_database(path).dispose()
    _make(path)  # the second start leaves a daily backup, taken before _make wrote
    backup.automatic_backup(path, "daily")
    good, _older = backup.list_backups("govdata")
    seed = 20261125 if damage.startswith("seed") else _undecodable_seed(path, tmp_path / "scratch.sqlite3")
    path.write_bytes(_scribbled(path.read_bytes(), seed))
    before = path.read_bytes()
    assert _report_is_undecodable(before, tmp_path / "scratch.sqlite3") == (damage == "undecodable report")
    with pytest.raises(storage_guard.DamagedDatabase) as info:
        open_database(path)
    assert info.value.backup == good.path and "restore" in info.value.message
    assert path.read_bytes() == before
    wal = Path(str(path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # nothing was written
    assert not storage_guard.lock_path_for(path).exists()
    _check, kept = backup.restore(good.path, path)
    assert kept.name.endswith("-damaged.sqlite3") and kept.read_bytes() == before  # the damaged file is kept
    db = open_database(path)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM departments").scalar() == "县公安局"
    db.dispose()


def test_open_refused_while_another_process_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "govdata.sqlite3"
    open_database(path).dispose()
    code = ("import sys, time\nfrom app.storage.database import open_database\n"
            "db = open_database(sys.argv[1])\nprint('open', flush=True)\ntime.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseError) as info:
            open_database(path)
        assert str(proc.pid) in info.value.message
        good = backup.backup_to(path, tmp_path / "good.sqlite3")  # backing up a database in use is fine
        with pytest.raises(DatabaseError):
            backup.restore(good, path)  # replacing it under the other instance is not
    finally:
        proc.kill()
        proc.wait()
    open_database(path).dispose()


def test_network_share_refused_before_anything_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_guard, "network_location", lambda p: "cifs 网络文件系统")
    path = tmp_path / "share" / "govdata.sqlite3"
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert "PostgreSQL" in info.value.message
    assert not path.exists()

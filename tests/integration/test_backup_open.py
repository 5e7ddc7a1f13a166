"""The checks wired into open_database: lock, quick check with the offered backup, daily and upgrade backups."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import DatabaseError
from app.storage import backup
from app.storage import guard as storage_guard
from app.storage.database import open_database

ROOT = Path(__file__).parents[2]


def _scribble(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    for i in range(3 * 4096 + 50, len(raw), 4096 * 3):
        raw[i:i + 400] = os.urandom(400)
    path.write_bytes(bytes(raw))


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


def test_damaged_database_stops_before_writing_and_names_backup(tmp_path: Path) -> None:
    path = tmp_path / "govdata.sqlite3"
    open_database(path).dispose()
    _make(path)  # the second start leaves a daily backup, taken before _make wrote
    backup.automatic_backup(path, "daily")
    good, _older = backup.list_backups("govdata")
    _scribble(path)
    before = path.read_bytes()
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

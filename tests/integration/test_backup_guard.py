"""Network-share refusal, the single-writer instance lock, the quick integrity check."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import DatabaseError
from app.storage import guard as sg

ROOT = Path(__file__).parents[2]
MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
server:/export /mnt/share nfs4 rw,vers=4.2 0 0
//fs01/科室 /media/office\\040docs cifs rw 0 0
/dev/sdb1 /mnt/share/local ext4 rw 0 0
"""


@pytest.mark.parametrize(("path", "expected"), [
    ("/home/u/govdata.sqlite3", None),
    ("/mnt/share/govdata.sqlite3", "nfs4"),
    ("/mnt/shared/govdata.sqlite3", None),  # a prefix of the name is not the mount
    ("/media/office docs/db.sqlite3", "cifs"),
    ("/mnt/share/local/db.sqlite3", None),  # the longest mount point wins
])
def test_linux_network_filesystems(path: str, expected: str | None) -> None:
    why = sg.network_location(path, platform="linux", mounts_text=MOUNTS)
    assert (why is None) if expected is None else (expected in why)


def test_unc_paths_and_windows_mapped_drives(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "UNC" in sg.network_location(r"\\fileserver\审批局\govdata.sqlite3", platform="win32")
    assert "UNC" in sg.network_location("//fileserver/share/govdata.sqlite3", platform="linux", mounts_text="")
    monkeypatch.setattr(sg, "_windows_drive_is_remote", lambda p: p.upper().startswith("Z:"))
    assert "Z:" in sg.network_location("Z:\\data\\govdata.sqlite3", platform="win32")
    assert sg.network_location("C:\\data\\govdata.sqlite3", platform="win32") is None


def test_refusal_names_the_shared_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sg, "network_location", lambda p: "nfs4 网络文件系统")
    with pytest.raises(DatabaseError) as info:
        sg.refuse_network_share("/mnt/share/govdata.sqlite3")
    assert "PostgreSQL" in info.value.message and "未打开也未改动" in info.value.message


def _holder(db: Path) -> subprocess.Popen:
    code = ("import sys, time\nfrom app.storage.guard import acquire_instance_lock\n"
            "acquire_instance_lock(sys.argv[1])\nprint('held', flush=True)\ntime.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_instance_refused_until_first_dies(tmp_path: Path) -> None:
    db = tmp_path / "govdata.sqlite3"
    proc = _holder(db)
    try:
        with pytest.raises(sg.InstanceLocked) as info:
            sg.acquire_instance_lock(db)
        assert info.value.holder["pid"] == proc.pid and str(proc.pid) in info.value.message
        assert not info.value.stale
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # a crash: the lock file stays behind
        proc.wait()
    assert sg.lock_path_for(db).exists()
    lock = sg.acquire_instance_lock(db)  # the OS released the dead process's lock
    try:
        assert lock.previous["pid"] == proc.pid
        again = sg.acquire_instance_lock(db)  # re-entrant within one process
        again.release()
        assert json.loads(sg.lock_path_for(db).read_text())["pid"] == os.getpid()
    finally:
        lock.release()
    assert not sg.lock_path_for(db).exists()


def test_lock_left_by_another_host_needs_the_administrator(tmp_path: Path) -> None:
    db = tmp_path / "govdata.sqlite3"
    stale = {"host": "OTHER-PC", "pid": 4242, "user": "li", "started": "2026-11-20T09:00:00"}
    sg.lock_path_for(db).write_text(json.dumps(stale) + "\n")
    with pytest.raises(sg.InstanceLocked) as info:
        sg.acquire_instance_lock(db)
    assert info.value.stale and "OTHER-PC" in info.value.message and "unlock-db" in info.value.message
    lock = sg.acquire_instance_lock(db, break_foreign=True)
    assert lock.previous == stale
    lock.release()


def test_quick_check_finds_damage(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "d.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.execute("CREATE INDEX ix ON t (v)")
    conn.executemany("INSERT INTO t (v) VALUES (?)", [(f"row {i} " * 20,) for i in range(3000)])
    conn.commit()
    conn.close()
    assert sg.quick_check(path) == []
    raw = bytearray(path.read_bytes())
    rng = random.Random(20261125)  # the same damage every run
    for i in range(3 * 4096 + 50, len(raw), 4096 * 7):
        raw[i:i + 300] = rng.randbytes(300)
    path.write_bytes(bytes(raw))
    assert sg.quick_check(path) != []
    assert sg.quick_check(tmp_path / "missing.sqlite3") != []

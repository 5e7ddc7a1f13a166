"""Temporary files: removed after use, at exit, and (after a crash) at the next start; a live process's are kept."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from app.storage import tempfiles
from app.storage.paths import data_dir

CHILD = textwrap.dedent("""
    import os, sys
    from app.storage import tempfiles
    with tempfiles.temp_path(suffix=".plain") as p:
        p.write_bytes(b"decrypted secret")
        print(p, flush=True)
        if sys.argv[1] == "crash":
            os._exit(9)  # killed: no finally, no atexit
        if sys.argv[1] == "wait":
            sys.stdin.readline()
""")


def child(mode: str, **kw):
    env = dict(os.environ, GOVDATA_HOME=str(data_dir()))
    return subprocess.Popen([sys.executable, "-c", CHILD, mode], env=env, stdout=subprocess.PIPE, text=True,
                            stdin=subprocess.PIPE, **kw)


@pytest.fixture(autouse=True)
def _own_session():
    yield
    tempfiles.cleanup_own()


def test_temp_path_is_removed_after_the_block_even_on_error():
    with pytest.raises(RuntimeError), tempfiles.temp_path(suffix=".plain") as p:
        assert p.parent.parent == data_dir() / "tmp" and p.exists()
        p.write_bytes(b"secret")
        raise RuntimeError
    assert not p.exists()


def test_normal_exit_leaves_nothing():
    proc = child("exit")
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert out.strip().endswith(".plain")
    assert list(tempfiles.root().iterdir()) == []


def test_crash_leftovers_are_removed_at_the_next_start_and_live_ones_kept(tmp_path):
    from app.storage.database import open_database

    crashed = child("crash")
    left = crashed.stdout.readline().strip()
    crashed.wait(timeout=30)
    assert crashed.returncode == 9 and os.path.exists(left)
    live = child("wait")
    busy = live.stdout.readline().strip()
    (tempfiles.root() / "loose.part").write_bytes(b"x")
    try:
        db = open_database(tmp_path / "t.sqlite3")  # the start of the next run
        db.dispose()
        assert not os.path.exists(left)
        assert not (tempfiles.root() / "loose.part").exists()
        assert os.path.exists(busy)  # its process still runs
    finally:
        live.communicate("\n", timeout=30)
    assert not os.path.exists(busy)
    assert tempfiles.cleanup_stale() == 0


def test_encrypted_backup_and_its_check_leave_no_plain_copy(tmp_path):
    from app.storage import backup
    from app.storage.database import open_database

    db = open_database(tmp_path / "t.sqlite3")
    db.dispose()
    out = tmp_path / "b.sqlite3.sm4"
    backup.backup_to(tmp_path / "t.sqlite3", out, passphrase="口令 Secret#1")
    assert backup.inspect_file(out, passphrase="口令 Secret#1").ok
    session = tempfiles.session_dir()
    assert [p.name for p in session.iterdir()] == [tempfiles.LOCK_NAME]
    assert not [p for p in tmp_path.iterdir() if "plain" in p.name]


def test_old_half_written_files_are_removed_at_start(tmp_path):
    import os
    import time

    from app.storage import tempfiles
    from app.storage.paths import data_dir

    backups = data_dir() / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    old = backups / ".govdata-2026-11-25.sqlite3.abc123.part"
    fresh = backups / ".govdata-2026-11-26.sqlite3.def456.part"
    keep = backups / "govdata-2026-11-25.sqlite3"
    for p in (old, fresh, keep):
        p.write_bytes(b"x")
    past = time.time() - 2 * tempfiles.PARTIAL_MAX_AGE_S
    os.utime(old, (past, past))
    tempfiles.cleanup_stale()
    assert not old.exists() and fresh.exists() and keep.exists()

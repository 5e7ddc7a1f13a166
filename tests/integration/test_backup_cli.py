"""govdata backup / restore / check / unlock-db from the command line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.cli import main as cli
from app.storage import backup, crypto
from app.storage.guard import lock_path_for


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    if "app.cli.maintenance" not in cli.COMMAND_MODULES:
        monkeypatch.setattr(cli, "COMMAND_MODULES", [*cli.COMMAND_MODULES, "app.cli.maintenance"])


def _run(*argv: str) -> int:
    return cli.main(list(argv))


def _dbfile(tmp_path: Path) -> Path:
    path = tmp_path / "govdata.sqlite3"
    assert _run("--db", str(path), "init", "--county", "沁水县") == 0
    assert _run("--db", str(path), "departments", "add", "县教育局") == 0
    return path


def _audit_actions(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT action FROM audit_log ORDER BY id")]
    finally:
        conn.close()


def test_backup_restore_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = _dbfile(tmp_path)
    out = tmp_path / "备份" / "b.sqlite3"
    assert _run("--db", str(path), "backup", str(out)) == 0
    assert "已备份到" in capsys.readouterr().out
    assert backup.inspect_file(out).ok
    assert "database.backup" in _audit_actions(path)
    assert _run("--db", str(path), "departments", "add", "县公安局") == 0
    assert _run("--db", str(path), "restore", str(out)) == 0
    text = capsys.readouterr().out
    assert "被替换的数据库已保留" in text
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM departments")}
    conn.close()
    assert "县公安局" not in names and any("教育" in n for n in names)
    assert _audit_actions(path)[-1] == "database.restore"
    assert _run("--db", str(path), "check") == 0
    assert _run("--db", str(path), "check", "--full") == 0


def test_confidential_backup_from_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _dbfile(tmp_path)
    monkeypatch.setenv("GOVDATA_BACKUP_PASSPHRASE", "县局备份口令2026-数据")
    out = tmp_path / "c.sm4"
    assert _run("--db", str(path), "backup", str(out), "--confidential") == 0
    assert out.read_bytes().startswith(crypto.MAGIC)
    target = tmp_path / "elsewhere.sqlite3"
    assert _run("--db", str(target), "restore", str(out)) == 0
    monkeypatch.setenv("GOVDATA_BACKUP_PASSPHRASE", "wrong-passphrase")
    assert _run("--db", str(tmp_path / "third.sqlite3"), "restore", str(out)) == 2
    assert not (tmp_path / "third.sqlite3").exists()


def test_restore_refusal_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = _dbfile(tmp_path)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    before = path.read_bytes()
    assert _run("--db", str(path), "restore", str(junk)) == 2
    assert "错误" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert _run("--db", str(tmp_path / "none.sqlite3"), "backup", str(tmp_path / "x")) == 2


def test_check_reports_damage(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = _dbfile(tmp_path)
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?)", [(f"k{i}", "x" * 500) for i in range(300)])
    conn.commit()
    conn.close()
    raw = bytearray(path.read_bytes())
    for i in range(2 * 4096 + 30, len(raw), 4096 * 2):
        raw[i:i + 300] = b"\x07" * 300
    path.write_bytes(bytes(raw))
    assert _run("--db", str(path), "check") == 2
    assert "未通过" in capsys.readouterr().out


def test_unlock_db_records_the_break(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = _dbfile(tmp_path)
    stale = {"host": "OTHER-PC", "pid": 99, "user": "li", "started": "2026-11-20T09:00:00"}
    lock_path_for(path.resolve()).write_text(json.dumps(stale) + "\n")
    assert _run("--db", str(path), "departments", "list") == 2
    assert "unlock-db" in capsys.readouterr().err
    assert _run("--db", str(path), "unlock-db") == 0
    assert _audit_actions(path)[-1] == "database.unlock"
    assert _run("--db", str(path), "departments", "list") == 0


@pytest.mark.parametrize("passphrase", ["x", "短口令", "x" * 11, "备份口令备份口令备份口"])
def test_a_short_backup_passphrase_from_the_environment_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture,
                                                                  passphrase: str) -> None:
    """Items 6 and 14 of issue 14: at least 12 characters, from the terminal or from GOVDATA_BACKUP_PASSPHRASE."""
    path = _dbfile(tmp_path)
    monkeypatch.setenv("GOVDATA_BACKUP_PASSPHRASE", passphrase)
    out = tmp_path / "c.sm4"
    assert _run("--db", str(path), "backup", str(out), "--confidential") == 1
    err = capsys.readouterr().err
    assert "至少 12 个字符" in err and "GOVDATA_BACKUP_PASSPHRASE" in err, err
    assert not out.exists() and not backup.digest_path(out).exists()
    assert "database.backup" not in _audit_actions(path)
    monkeypatch.setenv("GOVDATA_BACKUP_PASSPHRASE", passphrase + "x" * (12 - len(passphrase)))  # 12: accepted
    assert _run("--db", str(path), "backup", str(out), "--confidential") == 0
    assert out.read_bytes().startswith(crypto.MAGIC)


def test_a_restore_killed_in_its_copy_leaves_its_record(tmp_path: Path) -> None:
    """A real kill -9 in the middle of `govdata restore` (the copy into the live file): the old database is whole,
    still the live one, and holds the record of the restore's start (written before anything was replaced)."""
    import os
    import signal
    import subprocess
    import sys

    path = _dbfile(tmp_path)
    out = tmp_path / "b.sqlite3"
    assert _run("--db", str(path), "backup", str(out)) == 0
    assert _run("--db", str(path), "departments", "add", "县公安局") == 0  # after the backup: the old database's own
    dying = ("import os, signal, sys\nfrom app.storage import backup\nreal = backup._copy\n"
             "def copy(src, dst, progress=None):\n"
             f"    if dst.execute('PRAGMA database_list').fetchone()[2] != {str(path)!r}:\n"
             "        return real(src, dst, progress)  # the copy kept of the replaced database\n"
             "    dst.execute('BEGIN IMMEDIATE')\n"
             "    dst.execute('DELETE FROM departments')  # half-way through replacing the pages\n"
             "    os.kill(os.getpid(), signal.SIGKILL)\n"
             "backup._copy = copy\n"
             "from app.cli.main import main\nsys.exit(main(sys.argv[1:]))\n")
    proc = subprocess.run([sys.executable, "-c", dying, "--db", str(path), "restore", str(out)],
                          cwd=Path(__file__).parents[2], env=dict(os.environ), capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = {r[0] for r in conn.execute("SELECT name FROM departments")}
    finally:
        conn.close()
    assert "县公安局" in names  # the half-done copy was rolled back: the old database is the live one
    assert _audit_actions(path)[-1] == "database.restore_started"
    assert _run("--db", str(path), "verify") == 0  # and its trail verifies

"""Backups carry an SM3 digest checked before restore; `backup` runs the start-up checks and never opens a foreign
-wal; a restore is recorded before it starts; `check` names what it finds; a refused command leaves no file
(issue 14 items 3 and 8)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.cli.main import main
from app.storage import backup


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "-"


def files(folder: Path) -> dict[str, str]:
    return {p.name: digest(p) for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def dbfile(tmp_path, capsys) -> Path:
    path = tmp_path / "live.sqlite3"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    assert run(capsys, "--db", str(path), "departments", "add", "沁水县公安局", "县教育局甲乙丙")[0] == 0
    return path


def test_a_flipped_bit_is_caught_before_restore(dbfile, tmp_path, capsys):
    out = tmp_path / "b.sqlite3"
    code, stdout, err = run(capsys, "--db", str(dbfile), "backup", str(out))
    assert code == 0 and "SM3" in stdout, err
    assert backup.check_digest(out) is None
    data = bytearray(out.read_bytes())
    at = data.find("甲乙丙".encode())
    data[at] ^= 0x01  # one bit of a department's name: SQLite's own check cannot see it
    out.write_bytes(bytes(data))
    before = digest(dbfile)
    code, _, err = run(capsys, "--db", str(dbfile), "restore", str(out))
    assert code == 2 and "SM3 摘要" in err and "未被改动" in err, err
    assert digest(dbfile) == before


def test_a_backup_without_its_digest_needs_unverified(dbfile, tmp_path, capsys):
    out = tmp_path / "b.sqlite3"
    assert run(capsys, "--db", str(dbfile), "backup", str(out))[0] == 0
    backup.digest_path(out).unlink()
    code, _, err = run(capsys, "--db", str(dbfile), "restore", str(out))
    assert code == 2 and "缺少摘要文件" in err and "--unverified" in err
    code, _, err = run(capsys, "--db", str(dbfile), "restore", str(out), "--unverified")
    assert code == 0, err
    conn = sqlite3.connect(dbfile)
    actions = [r[0] for r in conn.execute("SELECT action FROM audit_log ORDER BY id")]
    conn.close()
    assert actions[-1] == "database.restore"


def test_backup_of_a_damaged_database_writes_nothing(dbfile, tmp_path, capsys):
    size = dbfile.stat().st_size
    with open(dbfile, "r+b") as f:  # the middle of the file: b-tree pages of the tables
        f.seek(size // 3)
        f.write(b"\xff" * (size // 3))
    before = files(tmp_path)
    code, _, err = run(capsys, "--db", str(dbfile), "backup", str(tmp_path / "b.sqlite3"))
    assert code == 2 and "完整性检查" in err, err
    assert files(tmp_path) == before  # no audit row written into it, no corrupt backup made


def test_backup_of_a_newer_schema_is_refused(dbfile, tmp_path, capsys):
    conn = sqlite3.connect(dbfile)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = files(tmp_path)
    code, _, err = run(capsys, "--db", str(dbfile), "backup", str(tmp_path / "b.sqlite3"))
    assert code == 2 and "更新版本" in err
    assert files(tmp_path) == before


def _foreign_wal(dbfile: Path, tmp_path: Path, capsys) -> None:
    """Another database's -wal (with changes to its own audit key row) put beside this one."""
    other = tmp_path / "other" / "o.sqlite3"
    other.parent.mkdir()
    assert run(capsys, "--db", str(other), "init")[0] == 0
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE audit_keys SET wrapped = 'x'")
    conn.execute("INSERT INTO departments (name, kind, active) VALUES ('外来单位', '县直部门', 1)")
    shutil.copyfile(f"{other}-wal", f"{dbfile}-wal")
    conn.close()


def test_backup_never_opens_a_foreign_wal(dbfile, tmp_path, capsys):
    _foreign_wal(dbfile, tmp_path, capsys)
    before = files(tmp_path)
    code, _, err = run(capsys, "--db", str(dbfile), "backup", str(tmp_path / "b.sqlite3"))
    assert code == 2 and ("日志文件" in err or "完整性检查" in err), err
    assert files(tmp_path) == before  # neither the database nor the -wal touched
    code, out, _ = run(capsys, "--db", str(dbfile), "check")
    assert code == 2 and "未通过" in out
    code, _, err = run(capsys, "--db", str(dbfile), "projects")
    assert code == 2 and files(tmp_path) == before


def test_a_wal_of_another_database_is_named_as_such(dbfile, tmp_path, capsys):
    """A -wal from a different database altogether (other tables on the same pages): the file itself is sound,
    read through that -wal it is damaged; check, backup and every command name the -wal, not a damaged file."""
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE junk (x)")
    conn.executemany("INSERT INTO junk VALUES (?)", [("x" * 500,)] * 200)
    conn.commit()
    shutil.copyfile(f"{other}-wal", f"{dbfile}-wal")
    conn.close()
    before = files(tmp_path)
    code, out, _ = run(capsys, "--db", str(dbfile), "check")
    assert code == 2 and "日志文件" in out and "不符" in out, out
    code, _, err = run(capsys, "--db", str(dbfile), "backup", str(tmp_path / "b.sqlite3"))
    assert code == 2 and "日志文件" in err, err
    code, _, err = run(capsys, "--db", str(dbfile), "departments", "list")
    assert code == 2 and "日志文件" in err, err
    assert files(tmp_path) == before  # neither the database nor the -wal touched, no -shm left


def test_check_names_a_foreign_file_a_newer_schema_and_an_empty_one(dbfile, tmp_path, capsys):
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "--db", str(foreign), "check")
    assert code == 2 and "不是本程序的数据库" in out
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    code, out, _ = run(capsys, "--db", str(empty), "check")
    assert code == 2 and "不是本程序的数据库" in out, out
    conn = sqlite3.connect(dbfile)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "--db", str(dbfile), "check")
    assert code == 2 and "更新版本" in out


def test_a_restore_is_recorded_before_it_starts(dbfile, tmp_path, capsys, monkeypatch):
    out = tmp_path / "b.sqlite3"
    assert run(capsys, "--db", str(dbfile), "backup", str(out))[0] == 0

    def killed(*_a, **_k):
        raise KeyboardInterrupt  # the process dies in the middle of the copy

    monkeypatch.setattr(backup, "_copy", killed)
    assert main(["--db", str(dbfile), "restore", str(out)]) == 1  # 已取消
    conn = sqlite3.connect(dbfile)
    actions = [r[0] for r in conn.execute("SELECT action FROM audit_log ORDER BY id")]
    conn.close()
    assert "database.restore_started" in actions


def test_restore_over_a_damaged_database_still_needs_a_sign_in(dbfile, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GOVDATA_NEW_PASSWORD", "Kx7-quiet-lantern-42")
    assert run(capsys, "--db", str(dbfile), "user", "add", "admin", "--role", "sysadmin")[0] == 0
    conn = sqlite3.connect(dbfile)
    conn.execute("UPDATE users SET must_change_password = 0")  # the first-sign-in change is another test's
    conn.commit()
    conn.close()
    out = tmp_path / "b.sqlite3"
    monkeypatch.setenv("GOVDATA_PASSWORD", "Kx7-quiet-lantern-42")
    monkeypatch.setenv("GOVDATA_USER", "admin")
    assert run(capsys, "--db", str(dbfile), "backup", str(out))[0] == 0
    assert run(capsys, "--db", str(dbfile), "logout", "--all")[0] == 0  # the backup's sign-in is kept for the sitting
    with open(dbfile, "r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xff" * 4096)
    monkeypatch.delenv("GOVDATA_USER")
    code, _, err = run(capsys, "--db", str(dbfile), "restore", str(out))
    assert code == 1 and "登录" in err, err
    monkeypatch.setenv("GOVDATA_USER", "admin")
    monkeypatch.setenv("GOVDATA_PASSWORD", "wrong-password-123")
    code, _, err = run(capsys, "--db", str(dbfile), "restore", str(out))
    assert code == 1 and "用户名或口令不正确" in err, err
    monkeypatch.setenv("GOVDATA_PASSWORD", "Kx7-quiet-lantern-42")
    code, _, err = run(capsys, "--db", str(dbfile), "restore", str(out))
    assert code == 0, err


@pytest.mark.parametrize("case", ["missing folder", "0-byte file", "missing file"])
def test_a_refused_command_creates_and_changes_no_file(tmp_path, capsys, case):
    target = {"missing folder": tmp_path / "nope" / "x.sqlite3", "0-byte file": tmp_path / "zero.sqlite3",
              "missing file": tmp_path / "absent.sqlite3"}[case]
    if case == "0-byte file":
        target.write_bytes(b"")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for args in (["projects"], ["departments", "list"], ["verify"], ["export-projects", str(tmp_path / "o.xlsx")]):
        code, _, err = run(capsys, "--db", str(target), *args)
        assert code == 2 and "govdata init" in err, (args, err)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    if case == "0-byte file":
        assert target.stat().st_size == 0

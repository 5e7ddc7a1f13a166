"""The audit key out of the database (issue 14 item 2): in the OS keyring or the documented key file, never in the
database or a backup; a damaged trail is never signed over as sound, is named by verify, and does not stop work;
external anchors; a PC without the key reads but does not write."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import select

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.models import AuditKey
from app.storage import auditchain, auditkey, keystore
from app.storage.database import open_database


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def _key_hex(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    key_id = conn.execute("SELECT key_id FROM audit_keys WHERE retired_at IS NULL").fetchone()[0]
    conn.close()
    return keystore.get_key(keystore.AUDIT_KEY.format(key_id=key_id)) or ""


@pytest.fixture
def dbfile(tmp_path, capsys) -> Path:
    path = tmp_path / "k.sqlite3"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    assert run(capsys, "--db", str(path), "departments", "add", "沁水县公安局", "沁水县教育局")[0] == 0
    return path


def _tamper(path: Path, *sql: str) -> None:
    con = sqlite3.connect(path)
    for t in ("audit_log_no_update", "audit_log_no_delete", "audit_anchor_no_delete", "audit_anchor_no_shrink"):
        con.execute(f"DROP TRIGGER IF EXISTS {t}")
    for s in sql:
        con.execute(s)
    con.commit()
    con.close()


def test_the_key_is_in_neither_the_database_nor_a_backup(dbfile, tmp_path, capsys):
    key = _key_hex(dbfile)
    assert len(key) == 64
    assert run(capsys, "--db", str(dbfile), "backup", str(tmp_path / "b.sqlite3"))[0] == 0
    files = [dbfile, tmp_path / "b.sqlite3", *Path(os.environ["GOVDATA_HOME"]).rglob("*.sqlite3")]
    for f in files:
        data = f.read_bytes()
        assert key.encode() not in data and bytes.fromhex(key) not in data, f
    conn = sqlite3.connect(dbfile)
    assert conn.execute("SELECT count(*) FROM audit_anchor WHERE id = 0").fetchone()[0] == 0
    conn.close()


def test_key_file_readable_only_by_the_user(dbfile):
    folder = Path(os.environ[keystore.KEYSTORE_ENV])
    files = list(folder.glob("audit-key-*.key"))
    assert files
    if sys.platform != "win32":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)


def test_os_keyring_used_when_there_is_one(tmp_path, monkeypatch):
    class Memory(keyring.backend.KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.items = {}

        def get_password(self, service, username):
            return self.items.get((service, username))

        def set_password(self, service, username, password):
            self.items[(service, username)] = password

        def delete_password(self, service, username):
            self.items.pop((service, username), None)

    old = keyring.get_keyring()
    mem = Memory()
    keyring.set_keyring(mem)
    monkeypatch.delenv(keystore.KEYSTORE_ENV)
    try:
        db = open_database(tmp_path / "r.sqlite3")
        with db.uow(SETUP_ACTOR) as uow:
            uow.audit("test.one")
            uow.commit()
        db.dispose()
        [(service, name)] = mem.items
        assert service == "govdata" and name.startswith("audit-key-")
        assert not (Path(os.environ["GOVDATA_HOME"]) / "keys").exists()  # no file beside a real keyring
    finally:
        keyring.set_keyring(old)
        auditkey.forget_cached()


def test_no_keyring_falls_back_to_a_key_file_in_the_data_folder(tmp_path, monkeypatch):
    old = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv(keystore.KEYSTORE_ENV)
    try:
        db = open_database(tmp_path / "f.sqlite3")
        with db.uow(SETUP_ACTOR) as uow:
            uow.audit("test.one")
            uow.commit()
        db.dispose()
        files = list((Path(os.environ["GOVDATA_HOME"]) / "keys").glob("audit-key-*.key"))
        assert len(files) == 1
        assert "本机密钥文件夹" in keystore.key_location()
    finally:
        keyring.set_keyring(old)
        auditkey.forget_cached()


def _revision_before_audit_keys() -> str:
    import re

    from app.storage.schema import MIGRATIONS_DIR

    [path] = (MIGRATIONS_DIR / "versions").glob("*_audit_keys.py")
    return re.search(r'^down_revision = "([^"]+)"', path.read_text(encoding="utf-8"), re.M).group(1)


def test_a_legacy_database_has_its_key_moved_out_on_upgrade(dbfile, capsys):
    """A database of 0.3 kept the key in audit_anchor row 0: after the upgrade it is in the keystore, the row is
    cleared, the trail still verifies and the file no longer holds the key."""
    key = _key_hex(dbfile)
    conn = sqlite3.connect(dbfile)
    key_id = conn.execute("SELECT key_id FROM audit_keys").fetchone()[0]
    conn.execute("INSERT INTO audit_anchor (id, count, last_id, head_mac, mac, updated_at) "
                 "VALUES (0, 0, 0, ?, NULL, '2026-01-01')", (key,))
    conn.execute("DROP TABLE audit_keys")
    conn.execute("UPDATE alembic_version SET version_num = ?", (_revision_before_audit_keys(),))
    conn.commit()
    conn.close()
    keystore.delete_key(keystore.AUDIT_KEY.format(key_id=key_id))
    auditkey.forget_cached()
    code, out, err = run(capsys, "--db", str(dbfile), "verify")
    assert code == 0, out + err
    data = dbfile.read_bytes()
    assert key.encode() not in data
    assert _key_hex(dbfile) == key
    assert run(capsys, "--db", str(dbfile), "departments", "add", "县财政局")[0] == 0
    assert run(capsys, "--db", str(dbfile), "verify")[0] == 0


TAMPERS = {
    "reset anchor": ["UPDATE audit_anchor SET count = 0, last_id = 0, head_mac = NULL, mac = NULL WHERE id = 1"],
    "zeroed anchor MAC": ["UPDATE audit_anchor SET mac = '" + "0" * 64 + "' WHERE id = 1"],
    "tail deleted, anchor reset to it": [
        "DELETE FROM audit_log WHERE id >= (SELECT max(id) FROM audit_log)",
        "UPDATE audit_anchor SET count = count - 1, last_id = last_id - 1, "
        "head_mac = (SELECT mac FROM audit_log ORDER BY id DESC LIMIT 1) WHERE id = 1"],
    "row inserted at last_id+1": [
        "INSERT INTO audit_log (id, at, user, action, outcome, prev_mac, mac) "
        "SELECT id + 1, at, user, action, outcome, mac, mac FROM audit_log ORDER BY id DESC LIMIT 1"],
    "anchor row deleted": ["DELETE FROM audit_anchor WHERE id = 1"],
    "trail emptied": ["DELETE FROM audit_log"],
    "trail and anchor emptied": ["DELETE FROM audit_log", "DELETE FROM audit_anchor"],
    "audit_log dropped": ["DROP TABLE audit_log"],
    "audit_anchor dropped": ["DROP TABLE audit_anchor"],
}


@pytest.mark.parametrize("kind", TAMPERS)
def test_a_damaged_trail_is_named_and_work_goes_on(dbfile, capsys, kind):
    _tamper(dbfile, *TAMPERS[kind])
    code, _, err = run(capsys, "--db", str(dbfile), "departments", "add", "县财政局")  # sign-in, write, record
    assert code == 0, err
    code, _, err = run(capsys, "--db", str(dbfile), "projects")
    assert code == 0, err
    code, out, err = run(capsys, "--db", str(dbfile), "verify", "--json")
    assert code == 1, out + err
    report = json.loads(out)
    assert report["breaks"], report  # the program wrote down what it found before signing anything
    assert any("程序写入前发现审计链已被破坏" in p for p in report["problems"])
    # and it stays named: more work does not wash it out
    assert run(capsys, "--db", str(dbfile), "departments", "add", "县民政局")[0] == 0
    assert run(capsys, "--db", str(dbfile), "verify")[0] == 1


def test_the_program_never_signs_over_a_reset_anchor(dbfile, capsys):
    """The report's case: every command signed in first and re-signed the reset anchor, so verify passed."""
    _tamper(dbfile, "DELETE FROM audit_log WHERE id > 1",
            "UPDATE audit_anchor SET count = 1, last_id = 1, head_mac = (SELECT mac FROM audit_log WHERE id = 1), "
            "mac = NULL WHERE id = 1")
    for _ in range(3):
        assert run(capsys, "--db", str(dbfile), "departments", "list")[0] == 0
        assert run(capsys, "--db", str(dbfile), "verify")[0] == 1


def test_untouched_trail_raises_no_alarm(dbfile, capsys):
    for i in range(3):
        assert run(capsys, "--db", str(dbfile), "departments", "add", f"单位{i}")[0] == 0
    code, out, _ = run(capsys, "--db", str(dbfile), "verify", "--json")
    assert code == 0 and json.loads(out)["breaks"] == []


def test_a_pc_without_the_key_reads_but_does_not_write(dbfile, capsys, monkeypatch):
    code, _, err = run(capsys, "--db", str(dbfile), "security", "key", "status")
    assert code == 0
    monkeypatch.setenv("GOVDATA_AUDIT_PASSPHRASE", "短口令")
    code, _, err = run(capsys, "--db", str(dbfile), "security", "key", "wrap")
    assert code == 1 and "至少 12 个字符" in err
    monkeypatch.setenv("GOVDATA_AUDIT_PASSPHRASE", "县局审计密钥口令-2027")
    assert run(capsys, "--db", str(dbfile), "security", "key", "wrap")[0] == 0
    # another PC: an empty key folder
    monkeypatch.setenv(keystore.KEYSTORE_ENV, str(dbfile.parent / "other-pc-keys"))
    auditkey.forget_cached()
    assert run(capsys, "--db", str(dbfile), "departments", "list")[0] == 0
    code, _, err = run(capsys, "--db", str(dbfile), "departments", "add", "县财政局")
    assert code == 2 and "本机没有这个数据库的审计密钥" in err and "security key unlock" in err
    monkeypatch.setenv("GOVDATA_AUDIT_PASSPHRASE", "不是这个口令-0000")
    code, _, err = run(capsys, "--db", str(dbfile), "security", "key", "unlock")
    assert code != 0 and "口令不正确" in err
    monkeypatch.setenv("GOVDATA_AUDIT_PASSPHRASE", "县局审计密钥口令-2027")
    code, out, err = run(capsys, "--db", str(dbfile), "security", "key", "unlock")
    assert code == 0, err
    assert run(capsys, "--db", str(dbfile), "departments", "add", "县财政局")[0] == 0
    assert run(capsys, "--db", str(dbfile), "verify")[0] == 0


def test_a_lost_key_is_replaced_and_the_old_records_are_named(dbfile, capsys, monkeypatch):
    monkeypatch.setenv(keystore.KEYSTORE_ENV, str(dbfile.parent / "new-pc-keys"))
    auditkey.forget_cached()
    code, _, err = run(capsys, "--db", str(dbfile), "security", "key", "new")
    assert code == 0, err
    assert run(capsys, "--db", str(dbfile), "departments", "add", "县财政局")[0] == 0
    code, out, _ = run(capsys, "--db", str(dbfile), "verify", "--json")
    report = json.loads(out)
    assert code == 1 and any("无法核验" in p for p in report["problems"]) and not report["breaks"], report
    db = open_database(dbfile)
    with db.uow(write=False) as uow:
        rows = [(r.retired_at, r.first_id) for r in uow.session.scalars(select(AuditKey).order_by(AuditKey.id))]
    db.dispose()
    assert len(rows) == 2 and rows[0][0] is not None and rows[1][1] > 1
    code, _, err = run(capsys, "--db", str(dbfile), "security", "key", "new")
    assert code == 1 and "无需更换" in err


def test_external_anchor_catches_what_the_database_alone_cannot(dbfile, tmp_path, capsys):
    head = tmp_path / "head.json"
    code, out, err = run(capsys, "--db", str(dbfile), "audit", "head", "--out", str(head))
    assert code == 0 and "记录数" in out and "摘要" in out, err
    assert run(capsys, "--db", str(dbfile), "departments", "add", "县财政局")[0] == 0
    code, out, _ = run(capsys, "--db", str(dbfile), "verify", "--anchor", str(head))
    assert code == 0 and "外部锚点核对一致" in out
    # everything audit-related emptied: the database alone now looks new
    _tamper(dbfile, "DELETE FROM audit_log", "DELETE FROM audit_anchor", "DELETE FROM audit_keys")
    code, out, _ = run(capsys, "--db", str(dbfile), "verify", "--anchor", str(head))
    assert code == 1 and "外部锚点" in out


def test_archive_carries_the_head(dbfile, tmp_path, capsys):
    out_file = tmp_path / "a.json"
    code, out, err = run(capsys, "--db", str(dbfile), "audit", "archive", str(out_file), "--before", "2100-01-01")
    assert code == 0 and "审计链头" in out, err
    body = json.loads(out_file.read_text(encoding="utf-8"))["body"]
    assert body["head"]["count"] >= body["count"] and body["head"]["format"] == auditchain.HEAD_FORMAT
    assert run(capsys, "--db", str(dbfile), "verify", "--archive", str(out_file))[0] == 0

"""PRAGMA secure_delete=ON: a deleted secret's bytes are gone from the database file (and its WAL)."""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

from sqlalchemy import delete

from app.models import Setting
from app.storage.database import open_database


def file_bytes(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_deleted_secret_is_overwritten_in_the_file(tmp_path):
    path = tmp_path / "s.sqlite3"
    secret = ("口令" + secrets.token_hex(24)).encode()  # unique bytes, found nowhere else
    db = open_database(path)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    with db.uow() as uow:
        uow.session.add(Setting(key="test.secret", value=secret.decode()))
        uow.commit()
    assert secret in file_bytes(path)  # the test can see the secret when it is there
    with db.uow() as uow:
        uow.session.execute(delete(Setting).where(Setting.key == "test.secret"))
        uow.commit()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    assert secret not in file_bytes(path)


def test_without_secure_delete_the_bytes_would_linger(tmp_path):
    """The control: the same delete with secure_delete off leaves the secret readable in the file."""
    path = tmp_path / "plain.sqlite3"
    secret = secrets.token_hex(24).encode()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA secure_delete=OFF")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO settings VALUES ('pad', ?)", ("x" * 200,))
    conn.execute("INSERT INTO settings VALUES ('test.secret', ?)", (secret.decode(),))
    conn.execute("DELETE FROM settings WHERE key = 'test.secret'")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert secret in file_bytes(path)

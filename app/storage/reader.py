"""Reading a local SQLite database with the standard library alone: the start of a command that only reads.

SQLAlchemy and the ORM take longer to import than such a command takes to answer, so a read command of the command
line (the register, a project, the departments, the audit chain's verification) reads through `open_reader`:

    reader = open_reader(args.db)        # None: open it with storage.database.open_database instead
    for row in reader.execute("SELECT ...", (...,)): ...

It keeps open_database's start-up order and guards: clean up what crashed runs left in the temporary folder →
refuse a network share, and a lock file left by another PC → a -wal from another database → quick integrity check (a damaged file stops here, naming the newest good backup) → refuse a
newer or foreign schema → the first backup of the day. It takes no instance lock: that lock keeps a second *writer*
out, and SQLite's WAL lets readers read while one process writes (a reader neither blocks the writer nor waits for
it). The file is opened read-only (URI mode=ro), so nothing can be written through it, and a database on read-only
media can be read. Where that does not apply it returns None and the caller opens the database in full: not a local
SQLite file (PostgreSQL), no file yet, a schema to upgrade.

`RawReader` gives the same `execute` over an opened storage.database.Database (PostgreSQL included), for the code
that reads with SQL text and should not care which it got.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.errors import DatabaseError
from app.storage import backup, guard, tempfiles
from app.storage.paths import data_dir
from app.storage.readonly import Reader, Rows, SqlReader, connect_reader, sqlite_url
from app.storage.schema import sqlite_versions, state_of

__all__ = ["RawReader", "Reader", "Rows", "SqlReader", "connect_reader", "local_sqlite_path", "open_reader",
           "sqlite_url"]

DEFAULT_DB_NAME = "govdata.sqlite3"  # as storage.database.DEFAULT_DB_NAME


def local_sqlite_path(db: str | os.PathLike[str] | None = None) -> Path | None:
    """The SQLite file that storage.database.resolve_url would open (`--db`, else GOVDATA_DB, else the default), or
    None when it is not a plain local file path (PostgreSQL, an SQLite URL with options)."""
    value = str(db) if db else os.environ.get("GOVDATA_DB") or ""
    if not value:
        return (data_dir() / DEFAULT_DB_NAME).resolve()
    if "://" in value:
        prefix = "sqlite:///"
        if not value.startswith(prefix) or "?" in value or value[len(prefix):] in ("", ":memory:"):
            return None
        return Path(value[len(prefix):])
    return Path(value).expanduser().resolve()


def open_reader(db: str | os.PathLike[str] | None = None) -> Reader | None:
    """Open the database for reading only, after the same guards as open_database (no instance lock: see above).

    None when the full open is needed instead (not a local SQLite file, no database yet, an upgrade to run).
    Raises what open_database raises for a network share, a damaged file, a newer or a foreign schema.
    """
    tempfiles.cleanup_stale()  # what a crashed run left in the temporary folder
    path = local_sqlite_path(db)
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return None
    guard.refuse_network_share(path)
    guard.refuse_foreign_lock(path)  # instead of the instance lock, which keeps out a second writer, not readers
    backup.check_before_use(path)  # a foreign -wal, the quick check, a newer or foreign schema: as open_database
    con = connect_reader(path)
    try:
        state = state_of(*sqlite_versions(con))
    except sqlite3.DatabaseError as exc:
        con.close()
        raise DatabaseError(f"无法打开数据库：{exc}") from None
    if state != "current":  # empty or behind: open_database creates or upgrades it (and says so)
        con.close()
        return None
    backup.daily_backup_if_due(path)
    return Reader(path, con)


class RawReader:
    """`execute` with `?` placeholders over an opened storage.database.Database (a driver connection of its own from
    the pool), or over a unit of work's own connection (`RawReader.of(uow)`, on the worker: its transaction)."""

    def __init__(self, db: Any, conn: Any = None) -> None:
        self.url = db.url
        self.is_sqlite = db.is_sqlite
        self._own = conn is None
        self._conn = db.engine.raw_connection() if conn is None else conn
        self._qmark = self.is_sqlite  # psycopg takes %s

    @classmethod
    def of(cls, uow: Any) -> RawReader:
        return cls(uow.db, uow.session.connection().connection.driver_connection)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        cur = self._conn.cursor()
        cur.execute(sql if self._qmark else sql.replace("%", "%%").replace("?", "%s"), tuple(params))
        return cur

    def close(self) -> None:
        if self._own:
            self._conn.rollback()
            self._conn.close()

"""Writing a local SQLite database with the standard library alone: one command's write transaction without SQLAlchemy.

SQLAlchemy and the ORM take longer to import than a bulk import of 10,000 rows takes to check and store, so the
command line's Excel import and ledger export open the database through `open_writer`:

    writer = open_writer(target)          # None: open it with storage.database.open_database instead
    with writer.transaction() as con:     # BEGIN IMMEDIATE; COMMIT on leaving, ROLLBACK on an exception
        con.execute("INSERT ...", (...,))
    writer.close()                        # releases the instance lock

It keeps open_database's start-up order and guards: clean up what crashed runs left in the temporary folder → protect
the file from being written over by an export → refuse a network share, take the instance lock (one writing process
per file) → a -wal from another database → quick integrity check (a damaged file stops here, naming the newest good
backup) → refuse a newer or foreign schema → the first backup of the day; and the same
connection settings (`configure_connection`: WAL, foreign keys, secure delete, full sync, the busy timeout), which
storage.database applies to its own connections too. Where that does not apply it returns None and the caller opens
the database in full: not a local SQLite file (PostgreSQL), no file yet, a schema to upgrade (open_database backs up
and upgrades it), audit tables to recreate or a legacy audit key to move. The writer also reads (`execute` outside
a transaction: its own snapshot), as a SqlReader.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.errors import DatabaseError
from app.storage import backup, dberrors, fileio, guard, tempfiles
from app.storage.reader import local_sqlite_path, sqlite_url
from app.storage.readonly import read_only_file
from app.storage.schema import sqlite_versions, state_of

BUSY_TIMEOUT_MS = 15_000  # as storage.database's, storage.readonly's and storage.dberrors.BUSY_SECONDS


def configure_connection(con: Any, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """The settings of every connection that writes: the caller begins its transactions itself (BEGIN IMMEDIATE for
    a write), WAL so readers go on, foreign keys, deleted content overwritten, a full sync (office PCs are switched
    off at the wall). Raises DatabaseError when WAL cannot be had (read-only or network location)."""
    con.isolation_level = None
    cur = con.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA secure_delete=ON")
        mode = cur.execute("PRAGMA journal_mode=WAL").fetchone()
        if mode and str(mode[0]).lower() not in ("wal", "memory"):
            raise DatabaseError("数据库无法启用 WAL 日志模式（可能位于只读或网络位置）")
        cur.execute("PRAGMA synchronous=FULL")
    finally:
        cur.close()


class Writer:
    """A local SQLite file opened for writing with sqlite3 (see the module's docstring); a SqlReader as well."""

    is_sqlite = True

    def __init__(self, path: Path, con: sqlite3.Connection, release: Any) -> None:
        self.path = path
        self.url = sqlite_url(path)
        self.con = con
        self._release = release
        self.in_transaction = False
        self.not_recorded: list[str] = []  # why the record of a read could not be written (dberrors.not_recorded)

    @property
    def display_name(self) -> str:
        return f"本机数据库 {self.path}"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.con.execute(sql, tuple(params))
        except sqlite3.DatabaseError as exc:  # busy, damaged, read-only: the one boundary's message (as readonly's)
            known = dberrors.user_error(exc)
            if known is None:
                raise  # not the database's state but the query's: a bug, logged as one
            raise known from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: the write lock up front, as storage.database's write units of
        work take it): committed when the block ends, rolled back when it raises."""
        if self.in_transaction:
            raise RuntimeError("a writer's transactions do not nest")
        self.con.execute("BEGIN IMMEDIATE")
        self.in_transaction = True
        try:
            yield self.con
        except BaseException:
            self.con.rollback()
            raise
        else:
            self.con.commit()
        finally:
            self.in_transaction = False

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None  # type: ignore[assignment]
        if self._release is not None:
            self._release()
            self._release = None


def open_writer(db: str | os.PathLike[str] | None = None) -> Writer | None:
    """Open the database for one command's writes, after the same guards as open_database, instance lock included.

    None when the full open is needed instead (not a local SQLite file, no database yet, an upgrade to run).
    Raises what open_database raises for a network share, a locked, damaged, newer or foreign database.
    """
    tempfiles.cleanup_stale()  # what a crashed run left in the temporary folder (decrypted copies, scratch files)
    path = local_sqlite_path(db)
    if path is None or not path.is_file() or path.stat().st_size == 0 or read_only_file(path):
        return None  # a read-only file: open_database opens it read-only (reads go on, a write says why not)
    fileio.protect(path, "数据库", database=True)  # no export, PDF or backup may be written over it or its -wal
    guard.refuse_network_share(path)
    lock = guard.acquire_instance_lock(path)
    try:
        backup.check_before_use(path)  # a foreign -wal, the quick check, a newer or foreign schema
        con = sqlite3.connect(path, check_same_thread=False)
        try:
            state = state_of(*sqlite_versions(con))
            # behind: open_database backs up and upgrades it; audit tables dropped behind the program's back or a
            # key still in the legacy row: open_database repairs or moves them (and says so)
            if state != "current" or not _audit_tables_in_place(con):
                con.close()
                lock.release()
                return None
            configure_connection(con)
        except sqlite3.DatabaseError as exc:
            con.close()
            raise DatabaseError(f"无法打开数据库：{exc}") from None
        except BaseException:
            con.close()
            raise
    except BaseException:
        lock.release()
        raise
    backup.daily_backup_if_due(path)
    return Writer(path, con, lock.release)


def _audit_tables_in_place(con: sqlite3.Connection) -> bool:
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
                                       "('audit_log', 'audit_anchor', 'audit_keys')")}
    if len(names) < 3:
        return False
    legacy = con.execute("SELECT head_mac FROM audit_anchor WHERE id = 0").fetchone()
    return legacy is None or not legacy[0]

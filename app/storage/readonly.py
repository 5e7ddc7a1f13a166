"""A read-only SQLite connection and the small reading interface over it, with the standard library alone: what the
window's register reads its first rows with before anything else is loaded (app.storage.reader adds the guards a
command runs first)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from app.storage import dberrors

BUSY_TIMEOUT_MS = 15_000


class Rows(Protocol):
    """A DB-API cursor after execute: iterate it, or take one row."""

    def __iter__(self) -> Iterator[Any]: ...

    def fetchone(self) -> Any: ...


class SqlReader(Protocol):
    """What reading code needs: SQL text with `?` placeholders in, rows (tuples) out."""

    url: str
    is_sqlite: bool

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows: ...


def read_only_file(path: Path) -> bool:
    """A database file this user may read but not write, or in a folder this user may not write (where SQLite
    cannot make its -wal, -shm or the instance lock): opened read-only, without the instance lock."""
    return path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def connect_ro(path: str | os.PathLike[str], *, check_same_thread: bool = True) -> sqlite3.Connection:
    """A read-only connection (URI mode=ro): nothing can be written through it, a damaged file is not replayed into.

    A WAL database needs its -shm file, which a read-only connection creates beside the file; in a folder this user
    may not write (read-only media, another user's folder), when no -wal or -shm file is there (every connection
    closed cleanly, so the main file holds everything), it is opened as immutable instead.
    """
    p = Path(path).resolve()
    uri = p.as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=check_same_thread)
    side = [p.with_name(p.name + s) for s in ("-wal", "-shm")]
    if os.access(p.parent, os.W_OK) or any(f.exists() for f in side):
        return conn  # the usual case: whatever is wrong with the file, the caller's own query meets it
    try:
        conn.execute("PRAGMA schema_version").fetchone()
        return conn
    except sqlite3.OperationalError:  # the -shm file cannot be made here: read the main file as it is
        conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        return conn  # damaged or not a database: the caller's own query meets it
    return sqlite3.connect(uri + "&immutable=1", uri=True, check_same_thread=check_same_thread)


def connect_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection (connect_ro) usable from any one thread at a time, waiting when busy."""
    con = connect_ro(path, check_same_thread=False)
    con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return con


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class Reader:
    """A read-only connection to a local SQLite database (SqlReader)."""

    is_sqlite = True

    def __init__(self, path: Path, con: sqlite3.Connection) -> None:
        self.path = path
        self.url = sqlite_url(path)
        self.con = con

    @property
    def display_name(self) -> str:
        return f"本机数据库 {self.path}"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.con.execute(sql, tuple(params))
        except sqlite3.DatabaseError as exc:  # busy, damaged, unreadable: the one boundary's message
            known = dberrors.user_error(exc)
            if known is None:
                raise  # not the database's state but the query's: a bug, logged as one
            raise known from exc

    def close(self) -> None:
        self.con.close()

"""Engine, sessions, the unit of work, and the start-up order of a database.

SQLite on the PC by default (WAL, foreign keys, secure delete, full sync); PostgreSQL when several offices
share one database. Services take a UnitOfWork and commit explicitly; leaving without commit rolls back.
`open_database` states the start-up order in plain code: clean up temporary files, guard the file, name a backup
when it is damaged, check the schema, back up before an upgrade, upgrade, then the first backup of the day.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Table, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.actor import SETUP_ACTOR, Actor
from app.errors import DatabaseError
from app.models import AuditAnchor, AuditRecord
from app.storage import auditchain, auditkey, backup, dberrors, fileio, guard, readonly, tempfiles
from app.storage.paths import data_dir
from app.storage.schema import schema_state, upgrade
from app.storage.writer import configure_connection

DEFAULT_DB_NAME = "govdata.sqlite3"
BUSY_TIMEOUT_MS = 15_000  # as storage.readonly's and storage.dberrors.BUSY_SECONDS


def default_db_path() -> Path:
    return data_dir() / DEFAULT_DB_NAME


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """`--db` (a path or an SQLAlchemy URL), else GOVDATA_DB, else the SQLite file in the user's data folder."""
    value = str(db) if db else os.environ.get("GOVDATA_DB") or ""
    if not value:
        return f"sqlite:///{default_db_path()}"
    if "://" in value:
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            raise DatabaseError(f"数据库地址无法识别：{_safe(value)}") from None
        if backend not in ("sqlite", "postgresql"):
            raise DatabaseError(f"不支持的数据库类型“{backend}”：{_safe(value)}。本程序使用本机 SQLite 文件，"
                                "或共享的 PostgreSQL（postgresql+psycopg://用户名@服务器/govdata）。")
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _safe(url: str) -> str:
    """A URL for a message: its password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    # SQLAlchemy's "begin" event emits BEGIN itself, so write transactions can take the lock up front; the settings
    # are the ones the command line's sqlite3 writer uses too (app.storage.writer)
    configure_connection(dbapi_conn, BUSY_TIMEOUT_MS)  # then "database is locked": storage.dberrors says so


def _sqlite_on_connect_ro(dbapi_conn: Any, _record: Any) -> None:
    """A read-only file (read-only media, another user's folder, chmod 444): read through storage.readonly's
    connection; the journal mode stays as the file has it. A write meets "attempt to write a readonly database"."""
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, read_only: bool = False, **kwargs: Any) -> Engine:
    if is_sqlite(url):
        path = sqlite_path(url)
        if read_only and path is not None:
            ro_path = path
            engine = create_engine(url, creator=lambda: readonly.connect_ro(ro_path, check_same_thread=False),
                                   **kwargs)
            event.listen(engine, "connect", _sqlite_on_connect_ro)
            event.listen(engine, "begin", _sqlite_on_begin)
            return engine
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


class Database:
    """One database: its URL, engine and session factory."""

    def __init__(self, url: str, engine: Engine | None = None, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only  # a file this user cannot write: reads go on, a write says why it cannot
        self.not_recorded: list[str] = []  # why the record of a read could not be written (see `recording`)
        self.engine = engine or make_engine(url, read_only=read_only)
        self._write_engine = (
            self.engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(url) else self.engine
        )
        self._read_factory = sessionmaker(self.engine, expire_on_commit=False)
        self._write_factory = sessionmaker(self._write_engine, expire_on_commit=False)
        self.closers: list[Any] = []  # run by dispose (e.g. releasing the instance lock)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @property
    def display_name(self) -> str:
        u = make_url(self.url)
        if u.get_backend_name() == "sqlite":
            return f"本机数据库 {u.database}"
        return f"共享数据库 {u.host or ''}:{u.port or ''}/{u.database or ''}"

    def uow(self, actor: Actor = SETUP_ACTOR, write: bool = True) -> UnitOfWork:
        factory = self._write_factory if write else self._read_factory
        return UnitOfWork(self, factory(), actor)

    @contextlib.contextmanager
    def recording(self, actor: Actor) -> Iterator[UnitOfWork]:
        """The short write that records a read (an export, a verification) after the read is done. On a database
        that cannot be written now — read-only, busy past the timeout, a full disk — the read stands: the reason
        goes to `not_recorded`, for the face to say why nothing was recorded. Any other failure is raised."""
        try:
            with self.uow(actor) as uow:
                yield uow
        except Exception as exc:
            why = dberrors.not_recorded(exc)
            if why is None:
                raise
            self.not_recorded.append(why)

    def dispose(self) -> None:
        self.engine.dispose()
        while self.closers:
            self.closers.pop()()


class UnitOfWork:
    """A transaction with its actor. `with db.uow(actor) as uow: ...; uow.commit()`."""

    def __init__(self, db: Database, session: Session, actor: Actor) -> None:
        self.db = db
        self.session = session
        self.actor = actor
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._committed:
            self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()
        self._committed = True

    def rollback(self) -> None:
        self.session.rollback()

    def audit(self, action: str, object_type: str | None = None, object_id: object = None,
              detail: dict | None = None, outcome: str = "ok") -> None:
        """Append one audit record in this transaction (the business change and its record commit together)."""
        auditchain.append(self.session, self.actor, action, object_type, object_id, detail, outcome)


def _guard_file(path: Path, read_only: bool = False) -> list[Any]:
    """Before anything connects to a SQLite file: refuse a network share, take the instance lock, stop on a failed
    quick check (naming the newest good backup) and on a newer or foreign schema. Returns what to release.
    A file this user cannot write takes no instance lock (that lock keeps a second writer out; this is none, and
    its folder may not take the lock file)."""
    fileio.protect(path, "数据库", database=True)  # no export, PDF or backup may be written over it or its -wal
    guard.refuse_network_share(path)
    if read_only:
        guard.refuse_foreign_lock(path)
        backup.check_before_use(path)
        return []
    lock = guard.acquire_instance_lock(path)
    try:
        backup.check_before_use(path)  # a foreign -wal, the quick check, a newer or foreign schema
    except BaseException:
        lock.release()
        raise
    return [lock.release]


def open_database(db: str | os.PathLike[str] | None = None, create: bool = True) -> Database:
    """Open (and create or upgrade) the database. Refuses a newer or foreign schema, never touches it."""
    tempfiles.cleanup_stale()  # what a crashed run left in the temporary folder (decrypted copies, scratch files)
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None and not create and (not path.exists() or path.stat().st_size == 0):
        # refused before anything connects: no empty file, lock, -wal or folder is left behind
        raise DatabaseError(f"数据库尚未初始化：本机数据库 {path}。请先运行 govdata init。")
    read_only = path is not None and readonly.read_only_file(path)
    closers = _guard_file(path, read_only) if path is not None else []
    database = Database(url, read_only=read_only)
    database.closers.extend(closers)
    try:
        state = schema_state(database.engine)
        if state == "newer":
            raise DatabaseError("该数据库由更新版本的程序创建，本程序无法打开；请升级程序后再试。数据库未被改动。")
        if state == "foreign":
            raise DatabaseError("该文件不是本程序的数据库，未作任何改动。")
        if state == "empty" and not create:
            raise DatabaseError(f"数据库尚未初始化：{database.display_name}。请先运行 govdata init。")
        if read_only and state in ("empty", "behind"):
            raise DatabaseError(f"{dberrors.message('read_only')}（{database.display_name} 需要"
                                f"{'初始化' if state == 'empty' else '升级到本程序的版本'}，只读时无法进行）")
    except BaseException:
        database.dispose()
        raise
    if state == "behind" and path is not None and path.exists():
        backup.automatic_backup(path, "upgrade")
    if state in ("empty", "behind"):
        upgrade(database.engine)
    if state != "empty" and not read_only:
        _restore_audit_tables(database)  # dropped with a SQLite tool: recreated, and the next record says so
        _move_legacy_key(database)  # before the day's backup, so no new backup carries it
    if path is not None and state != "empty":
        backup.daily_backup_if_due(path)
    return database


def _restore_audit_tables(database: Database) -> None:
    """audit_log or audit_anchor dropped behind the program's back: recreate them empty with their append-only
    triggers, so work goes on; the first record written then is a chain-break record naming the loss."""
    names = set(inspect(database.engine).get_table_names())
    missing = [t for t in (cast(Table, AuditRecord.__table__), cast(Table, AuditAnchor.__table__)) if t.name not in names]
    if not missing:
        return
    try:
        with database.engine.begin() as conn:
            for table in missing:
                table.create(conn)
                for sql in auditchain.protection_sql(conn.dialect.name, table.name):
                    conn.exec_driver_sql(sql)
    except OperationalError:
        return  # a read-only file: nothing is written; verify reports the missing table


def _move_legacy_key(database: Database) -> None:
    """A database made before the key left it (audit_anchor row 0): the key goes to this PC's keyring and the row
    is cleared (app.storage.auditkey). A file that cannot be written keeps it until a writable open."""
    with database.uow(write=False) as uow:
        row = uow.session.get(AuditAnchor, auditkey.LEGACY_KEY_ROW)
        if row is None or not row.head_mac:
            return
    try:
        with database.uow() as uow:
            if auditkey.migrate_legacy_key(uow.session):
                uow.commit()
                if database.is_sqlite:
                    with database.engine.connect() as conn:  # the cleared page out of the -wal too
                        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except OperationalError:
        return  # read-only file, or busy: verify still reads the old key in place; the next writable open moves it

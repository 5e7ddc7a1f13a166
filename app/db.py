"""Engine, sessions, the unit of work, and the schema upgrade at start.

SQLite on the PC by default (WAL, foreign keys, secure delete, full sync); PostgreSQL when several offices
share one database. Services take a UnitOfWork and commit explicitly; leaving without commit rolls back.
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DatabaseError
from app.paths import data_dir

DEFAULT_DB_NAME = "govdata.sqlite3"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def default_db_path() -> Path:
    return data_dir() / DEFAULT_DB_NAME


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """`--db` (a path or an SQLAlchemy URL), else GOVDATA_DB, else the SQLite file in the user's data folder."""
    value = str(db) if db else os.environ.get("GOVDATA_DB") or ""
    if not value:
        return f"sqlite:///{default_db_path()}"
    if "://" in value:
        try:
            make_url(value)
        except ArgumentError:
            raise DatabaseError(f"数据库地址无法识别：{value}") from None
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself, so write transactions can take the lock up front.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=15000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA secure_delete=ON")
    mode = cur.execute("PRAGMA journal_mode=WAL").fetchone()
    if mode and str(mode[0]).lower() not in ("wal", "memory"):
        cur.close()
        raise DatabaseError("数据库无法启用 WAL 日志模式（可能位于只读或网络位置）")
    cur.execute("PRAGMA synchronous=FULL")  # office PCs are switched off at the wall
    cur.close()


def _sqlite_on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, **kwargs: Any) -> Engine:
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


@dataclass(frozen=True)
class Actor:
    """Who acts: the signed-in account (or the setup account before the first account exists)."""

    username: str
    role: str
    department_id: int | None = None
    display_name: str | None = None
    roles: tuple[str, ...] = ()

    @property
    def all_roles(self) -> tuple[str, ...]:
        return self.roles or (self.role,)


SETUP_ACTOR = Actor("setup", "setup", display_name="初始化账户")
SYSTEM_ACTOR = Actor("system", "system", display_name="系统")
HOST = socket.gethostname()


class Database:
    """One database: its URL, engine and session factory."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
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
        from app.services.audit import append

        append(self.session, self.actor, action, object_type, object_id, detail, outcome)


# ---------------------------------------------------------------- schema

def _alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


@cache
def _revision_graph() -> dict[str, str | None]:
    """revision → down_revision, read from the migration files' text (no Alembic import on the start path)."""
    graph: dict[str, str | None] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev = re.search(r"^revision\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]", text, re.M)
        down = re.search(r"^down_revision\s*(?::[^=]+)?=\s*(None|['\"]([^'\"]+)['\"])", text, re.M)
        if rev:
            graph[rev.group(1)] = down.group(2) if down else None
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    parents = {d for d in graph.values() if d}
    heads = [r for r in graph if r not in parents]
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {heads}")
    return heads[0]


def known_revisions() -> set[str]:
    return set(_revision_graph())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    return rows[0][0] if len(rows) == 1 else None


def schema_state(engine: Engine) -> str:
    """'empty', 'current', 'behind', 'newer' (made by a newer program) or 'foreign' (not this program's)."""
    try:
        names = set(inspect(engine).get_table_names())
    except OperationalError as exc:
        raise DatabaseError(f"无法打开数据库：{exc.orig}") from None
    if not names:
        return "empty"
    if "alembic_version" not in names:
        return "foreign"
    rev = current_revision(engine)
    if rev == head_revision():
        return "current"
    if rev in known_revisions():
        return "behind"
    return "newer"


def upgrade(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")


BEFORE_UPGRADE_HOOKS: list[Any] = []  # callables(db) run before a schema upgrade (e.g. a backup)


def open_database(db: str | os.PathLike[str] | None = None, create: bool = True) -> Database:
    """Open (and create or upgrade) the database. Refuses a newer or foreign schema, never touches it."""
    from app import storage_guard, tempfiles  # network share, instance lock, quick integrity check; backups

    tempfiles.cleanup_stale()  # what a crashed run left in the temporary folder (decrypted copies, scratch files)
    url = resolve_url(db)
    closers = storage_guard.before_open(url)
    database = Database(url)
    database.closers.extend(closers)
    state = schema_state(database.engine)
    if state == "newer":
        database.dispose()
        raise DatabaseError("该数据库由更新版本的程序创建，本程序无法打开；请升级程序后再试。数据库未被改动。")
    if state == "foreign":
        database.dispose()
        raise DatabaseError("该文件不是本程序的数据库，未作任何改动。")
    if state == "empty" and not create:
        database.dispose()
        raise DatabaseError(f"数据库尚未初始化：{database.display_name}。请先运行 govdata init。")
    if state in ("empty", "behind"):
        if state == "behind":
            for hook in BEFORE_UPGRADE_HOOKS:
                hook(database)
        upgrade(database.engine)
    storage_guard.after_open(database, state)
    return database

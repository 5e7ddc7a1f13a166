"""Schema versions: the Alembic revision graph shipped in the package, the version a database holds, and the
upgrade. The graph is read from the migration files' text, so Alembic is only imported when an upgrade runs; the
check at start reads the version row only (`state_of`), and neither it nor the graph needs SQLAlchemy, so the
commands that only read (app.storage.reader) load neither."""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config  # Alembic only when an upgrade runs (cold start)

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


def state_of(revisions: list[str] | None, has_tables: bool) -> str:
    """'empty', 'current', 'behind', 'newer' (made by a newer program) or 'foreign' (not this program's), from the
    version rows (None: no version table) and whether the database holds any table at all."""
    if revisions is None:
        return "foreign" if has_tables else "empty"
    if len(revisions) == 1 and revisions[0] == head_revision():
        return "current"
    if len(revisions) == 1 and revisions[0] in known_revisions():
        return "behind"
    return "newer"  # an unknown version, or not exactly one version row


def sqlite_versions(con: sqlite3.Connection) -> tuple[list[str] | None, bool]:
    """The version rows of an SQLite database (None: no version table) and whether it holds any table."""
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        return None, bool(tables)
    return [r[0] for r in con.execute("SELECT version_num FROM alembic_version")], True


def schema_state(engine: Engine) -> str:
    """The state of the database behind `engine` (see `state_of`): the version row is read; the list of tables only
    when there is no version table (an empty database, or not this program's)."""
    from sqlalchemy.exc import DBAPIError  # only with an engine: schema.py is on the path of the reads too

    try:
        with engine.connect() as conn:
            try:
                return state_of([r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")], True)
            except DBAPIError:
                conn.rollback()
                if engine.dialect.has_table(conn, "alembic_version"):
                    raise  # the table is there but cannot be read: not "no version"
                return state_of(None, bool(engine.dialect.get_table_names(conn)))
    except DBAPIError as exc:
        raise DatabaseError(f"无法打开数据库：{exc.orig}") from None


def upgrade(engine: Engine) -> None:
    from alembic import command  # Alembic only when an upgrade runs (cold start)

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")



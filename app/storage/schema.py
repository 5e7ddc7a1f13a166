"""Schema versions: the Alembic revision graph shipped in the package, the version a database holds, and the
upgrade. The graph is read from the migration files' text, so Alembic is only imported when an upgrade runs."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import OperationalError

from app.errors import DatabaseError

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
    from alembic import command  # Alembic only when an upgrade runs (cold start)

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")



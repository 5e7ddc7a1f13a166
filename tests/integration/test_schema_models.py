"""The migrations build exactly the tables the models declare (a column added to a model without its migration,
or the other way round, fails here)."""

from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.domain.actor import SETUP_ACTOR
from app.models import Base
from app.services.quickread import _LIST_SELECT
from app.services.registerpages import ORDER, register_where
from app.storage.database import open_database


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_a_filter_by_year_searches_an_index(tmp_path):
    """`govdata projects --year` and the register's year filter find their rows by an index on year (ix_projects_year
    is gone since 0007: the indexes that year leads serve them)."""
    path = tmp_path / "q.sqlite3"
    open_database(path).dispose()
    where, params = register_where(SETUP_ACTOR, year=2027)
    con = sqlite3.connect(path)
    for sql in (_LIST_SELECT + where + ORDER, "SELECT p.id FROM projects p" + where + ORDER):
        plan = [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + sql, params)]
        assert any(step.startswith("SEARCH p USING") and "(year=?)" in step for step in plan), plan
        assert not any("TEMP B-TREE" in step for step in plan), plan  # nor sorted afterwards
    con.close()

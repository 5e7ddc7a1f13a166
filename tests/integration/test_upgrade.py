"""Databases from every released schema open in this version: backed up first, migrated, nothing lost.
A database from a newer version is refused and left byte for byte as it was."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select

from app.errors import DatabaseError
from app.storage import backup
from app.storage.database import open_database
from app.storage.schema import head_revision

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures").glob("schema_*.sql"))
PG_URL = os.environ.get("GOVDATA_TEST_PG_URL")


def _load(sql: Path, path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(sql.read_text(encoding="utf-8"))
    conn.close()
    return path


def _rows(url: str, skip: set[str] = frozenset({"alembic_version"})) -> dict[str, list[tuple]]:
    """Every table's rows (old columns only matter to the caller), ordered, as plain tuples."""
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for t in meta.sorted_tables:
            if t.name in skip:
                continue
            cols = sorted(c.name for c in t.columns)
            out[t.name] = [dict(r._mapping) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            out[t.name] = [tuple((c, r[c]) for c in cols) for r in out[t.name]]
    engine.dispose()
    return out


def _same_old_columns(before: dict, after: dict) -> None:
    for table, rows in before.items():
        assert table in after, f"table {table} lost"
        assert len(after[table]) == len(rows), table
        for old, new in zip(rows, after[table], strict=True):
            new_d = dict(new)
            for col, value in old:
                assert new_d[col] == value, (table, col)


def test_fixtures_exist() -> None:
    assert [p.name for p in FIXTURES][:1] == ["schema_0001.sql"]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_released_schema_upgrades_without_loss(fixture: Path, tmp_path: Path) -> None:
    path = _load(fixture, tmp_path / "govdata.sqlite3")
    old_rev = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()[0]
    before = _rows(f"sqlite:///{path}")
    assert before["projects"] and before["audit_log"]
    db = open_database(path)
    db.dispose()
    after = _rows(f"sqlite:///{path}")
    _same_old_columns(before, after)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT total_fen FROM projects WHERE code='QS-2026-001'").fetchone()[0] == 318404000
    conn.close()
    if old_rev != head_revision():
        [kept] = [b for b in backup.list_backups("govdata") if b.kind == "upgrade"]
        check = backup.inspect_file(kept.path)
        assert check.ok and check.state == "behind" and check.revision == old_rev
        _same_old_columns(before, _rows(f"sqlite:///{kept.path}"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = _load(FIXTURES[0], tmp_path / "govdata.sqlite3")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='0999_from_the_future'")
    conn.commit()
    conn.close()
    digest = _digest(path)
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert "更新版本" in info.value.message and "未被改动" in info.value.message
    assert _digest(path) == digest
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    assert backup.list_backups("govdata") == []


def test_foreign_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "collection.anki2"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, flds TEXT)")
    conn.commit()
    conn.close()
    digest = _digest(path)
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert "不是本程序的数据库" in info.value.message
    assert _digest(path) == digest


@pytest.mark.skipif(not PG_URL, reason="GOVDATA_TEST_PG_URL not set")
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_released_schema_upgrades_on_postgresql(fixture: Path, tmp_path: Path) -> None:
    """The same released data, put into a PostgreSQL schema of that revision, upgrades without loss."""
    from alembic import command

    from app.storage.schema import _alembic_config
    from tests.conftest import _reset_pg

    lite = _load(fixture, tmp_path / "f.sqlite3")
    old_rev = sqlite3.connect(lite).execute("SELECT version_num FROM alembic_version").fetchone()[0]
    _reset_pg(PG_URL)
    pg = create_engine(PG_URL)
    with pg.begin() as conn:
        command.upgrade(_alembic_config(conn), old_rev)
    src = create_engine(f"sqlite:///{lite}")
    meta = MetaData()
    meta.reflect(pg)
    with src.connect() as s, pg.begin() as d:
        for t in meta.sorted_tables:
            if t.name == "alembic_version":
                continue
            rows = [dict(r._mapping) for r in s.execute(select(t))]
            if rows:
                d.execute(t.insert(), rows)
        for t in meta.sorted_tables:  # serial sequences follow the copied ids
            pk = list(t.primary_key.columns)
            if len(pk) == 1 and pk[0].autoincrement is not False and str(pk[0].type).upper() in ("INTEGER", "BIGINT"):
                d.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{t.name}', '{pk[0].name}'), "
                    f"COALESCE((SELECT max({pk[0].name}) FROM {t.name}), 1))")
    src.dispose()
    pg.dispose()
    before = _rows(PG_URL)
    open_database(PG_URL).dispose()
    _same_old_columns(before, _rows(PG_URL))
    pg = create_engine(PG_URL)
    with pg.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
    pg.dispose()

"""Shared fixtures. The offscreen Qt platform is set before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app.db import SETUP_ACTOR, Actor, Database, open_database  # noqa: E402

PG_URL = os.environ.get("GOVDATA_TEST_PG_URL")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data folder; nothing touches the real user's database or keyring."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GOVDATA_HOME", str(home))
    monkeypatch.delenv("GOVDATA_DB", raising=False)
    monkeypatch.delenv("GOVDATA_USER", raising=False)
    monkeypatch.delenv("GOVDATA_PASSWORD", raising=False)
    return home


def _reset_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG_URL else []))
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A fresh, migrated database: SQLite always, PostgreSQL too when GOVDATA_TEST_PG_URL is set."""
    if request.param == "sqlite":
        database = open_database(tmp_path / "test.sqlite3")
    else:
        _reset_pg(PG_URL)
        database = open_database(PG_URL)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "test.sqlite3")
    yield database
    database.dispose()


@pytest.fixture
def actor() -> Actor:
    return SETUP_ACTOR


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 25)

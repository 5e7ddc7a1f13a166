"""The register's first screenful read with sqlite3 matches list_projects: same codes, order, amounts, scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.actor import Actor
from app.services import auth
from app.services.permissions import ROLE_PERMISSIONS
from app.services.projects import list_projects
from app.services.quickread import READ_ALL_ROLES, READ_OWN_ROLES, first_projects
from app.storage.database import open_database

FIELDS = ("code", "name", "department_id", "department", "category", "nature", "year", "status", "status_label",
          "total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen", "approved_fen")


@pytest.fixture
def demo(demo_copy: Path):
    db = open_database(demo_copy)  # the session's demonstration database, this test's own copy
    yield db, demo_copy
    db.dispose()


def orm_rows(db, username: str) -> list:
    with db.uow(Actor("setup", "setup"), write=False) as uow:
        actor = auth.actor_of(auth._get(uow, username))
    with db.uow(actor, write=False) as uow:
        return list_projects(uow)


def test_first_rows_are_list_projects_rows(demo) -> None:
    db, path = demo
    for username in ("reviewer", "clerk", "leader"):
        full = orm_rows(db, username)
        assert full, username
        quick = first_projects(path, username, limit=7)
        assert [q.code for q in quick] == [p.code for p in full[:7]], username
        for q, p in zip(quick, full):
            assert {f: getattr(q, f) for f in FIELDS} == {f: getattr(p, f) for f in FIELDS}
        everything = first_projects(path, username, limit=10_000)
        assert [q.code for q in everything] == [p.code for p in full]
    assert len(orm_rows(db, "clerk")) < len(orm_rows(db, "reviewer"))  # the scope is really narrower
    assert not hasattr(first_projects(path, "reviewer")[0], "responsible_person")  # no personal data


def test_no_fast_path_when_it_does_not_apply(demo, tmp_path: Path) -> None:
    db, path = demo
    assert first_projects(path, "nobody") is None
    assert first_projects(path, "admin") is None  # sysadmin: a role that reads no projects
    with db.uow(Actor("setup", "setup")) as uow:
        auth.lock_user(uow, "reviewer")
        uow.commit()
    assert first_projects(path, "reviewer") is None
    missing = tmp_path / "none.sqlite3"
    assert first_projects(missing, "reviewer") is None
    assert not missing.exists()  # read-only: nothing created
    broken = tmp_path / "old.sqlite3"
    broken.write_bytes(b"")  # an empty file: no tables
    assert first_projects(broken, "reviewer") is None


def test_roles_match_the_permission_table() -> None:
    assert READ_ALL_ROLES == {r for r, p in ROLE_PERMISSIONS.items() if "project.read_all" in p}
    assert READ_OWN_ROLES == {r for r, p in ROLE_PERMISSIONS.items()
                              if "project.read" in p and "project.read_all" not in p}

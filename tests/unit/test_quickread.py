"""The register's first screenful read with sqlite3 matches list_projects: same codes, order, amounts, scope."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from app.domain.actor import Actor
from app.errors import InputError, NotFoundError, PermissionDenied
from app.services import auth
from app.services.projects import list_projects
from app.services.registerpages import SEARCHED, RegisterIndex, pager_for, register_index
from app.storage.database import open_database

FIELDS = ("code", "name", "department_id", "department", "category", "nature", "year", "status", "status_label",
          "total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen", "approved_fen",
          "responsible_person")


@pytest.fixture
def demo(demo_copy: Path):
    db = open_database(demo_copy)  # the session's demonstration database, this test's own copy
    yield db, demo_copy
    db.dispose()


def auth_actor(db, username: str) -> Actor:
    with db.uow(Actor("setup", "setup"), write=False) as uow:
        return auth.actor_of(auth._get(uow, username))


def orm_rows(db, username: str) -> list:
    with db.uow(Actor("setup", "setup"), write=False) as uow:
        actor = auth.actor_of(auth._get(uow, username))
    with db.uow(actor, write=False) as uow:
        return list_projects(uow)


def test_the_registers_ids_pages_and_index_are_list_projects(demo) -> None:
    db, path = demo
    for username in ("reviewer", "clerk", "leader"):
        full = orm_rows(db, username)
        assert full, username
        pager = pager_for(path, username)
        assert pager is not None
        try:
            assert pager.ids() == [p.id for p in full], username  # same projects, same order
            assert pager.count() == len(full)
            assert pager.ids(offset=5, limit=7) + pager.ids(offset=12) == [p.id for p in full[5:]]
            page = pager.rows([p.id for p in full[3:10]] + [10_000_000])
            assert set(page) == {p.id for p in full[3:10]}  # by id; an unknown id left out
            for p in full[3:10]:
                assert {f: page[p.id][f] for f in FIELDS} == {f: getattr(p, f) for f in FIELDS}
            index = register_index(pager.sql, pager.actor)
            assert index.ids == [p.id for p in full]
            for f in FIELDS:
                assert index.columns[f] == [getattr(p, f) for p in full], (username, f)
            assert index.search[0] == " ".join(str(getattr(full[0], k) or "") for k in SEARCHED).lower()
        finally:
            pager.close()
    assert len(orm_rows(db, "clerk")) < len(orm_rows(db, "reviewer"))  # the scope is really narrower


def test_a_clerk_sees_personal_data_of_their_own_department_only(demo) -> None:
    from app.services.projects import update_project

    db, path = demo
    clerk = auth_actor(db, "clerk")
    with db.uow(Actor("setup", "setup")) as uow:
        own = next(p for p in list_projects(uow) if p.department_id == clerk.department_id)
        update_project(uow, own.code, {"responsible_person": "王立新 13935601234"})
        uow.commit()
    for username, expected in (("clerk", "王立新 13935601234"), ("leader", "王立新 139****1234"),
                               ("reviewer", "王立新 13935601234")):
        pager = pager_for(path, username)
        try:
            assert pager.rows([own.id])[own.id]["responsible_person"] == expected, username
            index = register_index(pager.sql, pager.actor)
            assert index.columns["responsible_person"][index.ids.index(own.id)] == expected
            assert "139****1234" in index.search[index.ids.index(own.id)] or username != "leader"
        finally:
            pager.close()


def test_no_pager_when_it_does_not_apply(demo, tmp_path: Path) -> None:
    db, path = demo
    assert pager_for(path, "nobody") is None
    assert pager_for(path, "admin") is None  # sysadmin: a role that reads no projects
    with db.uow(Actor("setup", "setup")) as uow:
        auth.lock_user(uow, "reviewer")
        uow.commit()
    assert pager_for(path, "reviewer") is None
    missing = tmp_path / "none.sqlite3"
    assert pager_for(missing, "reviewer") is None
    assert not missing.exists()  # read-only: nothing created
    broken = tmp_path / "old.sqlite3"
    broken.write_bytes(b"")  # an empty file: no tables
    assert pager_for(broken, "reviewer") is None


# ---------------------------------------------------------------- the read commands' SQL (no ORM) = the services'

def _reader(path: Path):
    from app.storage.reader import open_reader

    reader = open_reader(path)
    assert reader is not None
    return reader


def _actor(db, username: str) -> Actor:
    with db.uow(Actor("setup", "setup"), write=False) as uow:
        return auth.actor_of(auth._get(uow, username))


def test_projects_json_is_to_json_of_list_projects(demo) -> None:
    from app.services import quickread
    from app.services.master import get_department
    from app.services.projects import to_json, update_project

    db, path = demo
    with db.uow(Actor("setup", "setup")) as uow:  # personal data in the responsible person's field
        code = list_projects(uow)[3].code
        update_project(uow, code, {"responsible_person": "王立新 13935601234"})
        uow.commit()
    reader = _reader(path)
    try:
        for username in ("reviewer", "clerk", "leader", "finance"):
            actor = _actor(db, username)
            with db.uow(actor, write=False) as uow:
                dept = get_department(uow, "沁水县教育局").id
                for filters in ({}, {"year": 2026}, {"status": "under_construction"}, {"search": "数据"},
                                {"department_id": dept}, {"search": "QS-2026", "year": 2026}):
                    expected = [to_json(v) for v in list_projects(uow, **filters)]
                    got = list(quickread.iter_project_json(reader, actor, **filters))
                    assert got == expected, (username, filters)
                    direct, via_dicts = io.StringIO(), io.StringIO()
                    assert quickread.write_project_json(direct, reader, actor, **filters) == len(expected)
                    quickread.write_json_list(via_dicts, iter(expected))
                    assert direct.getvalue() == via_dicts.getvalue(), (username, filters)
                    lines = [(c, y, s, t, d, n) for c, y, s, t, d, n in quickread.iter_project_lines(reader, actor,
                                                                                                  **filters)]
                    assert lines == [(v.code, v.year, v.status_label, v.total_fen, v.department, v.name)
                                     for v in list_projects(uow, **filters)]
        masked = [p for p in quickread.iter_project_json(reader, _actor(db, "leader")) if p["code"] == code]
        assert masked[0]["responsible_person"] == "王立新 139****1234"  # the leader may not read personal data
        shown = [p for p in quickread.iter_project_json(reader, _actor(db, "reviewer")) if p["code"] == code]
        assert shown[0]["responsible_person"] == "王立新 13935601234"
        with pytest.raises(InputError):
            list(quickread.iter_project_json(reader, _actor(db, "leader"), status="nonsense"))
        with pytest.raises(PermissionDenied):
            list(quickread.iter_project_json(reader, _actor(db, "admin")))
    finally:
        reader.close()


def test_json_list_is_print_json(capsys) -> None:
    import io

    from app.cli.context import print_json
    from app.services.quickread import write_json_list

    for items in ([], [{"a": "中文\"引号\\", "b": None, "c": True, "d": False, "e": 12, "f": "0.00"}],
                  [{"x": 1}, {"x": "\n\t\u2028", "z": -3}, {"x": None}]):
        out = io.StringIO()
        assert write_json_list(out, iter(items)) == len(items)
        print_json(items)
        assert out.getvalue() == capsys.readouterr().out


def test_departments_as_the_master_service(demo) -> None:
    from app.services import master, quickread

    db, path = demo
    with db.uow(Actor("setup", "setup")) as uow:
        master.add_alias(uow, master.get_department(uow, "沁水县教育局").id, "县教体局")
        uow.commit()
    reader = _reader(path)
    try:
        for username in ("reviewer", "leader", "admin"):
            actor = _actor(db, username)
            with db.uow(actor, write=False) as uow:
                expected = master.list_departments(uow)
                assert [tuple(vars(d).values()) for d in quickread.list_departments(reader, actor)] == [
                    tuple(vars(d).values()) for d in expected]
                for name in ("沁水县教育局", "县教育局", "教育局", "县教体局", str(expected[2].id), "  沁水县 教育局 "):
                    assert quickread.department_id(reader, name) == master.get_department(uow, name).id
        with pytest.raises(NotFoundError):
            quickread.department_id(reader, "没有这个局")
    finally:
        reader.close()


def test_the_index_orders_are_the_tables_sort() -> None:
    """RegisterIndex.order: stable, empty values last ascending and first descending, as sorted() with the table's
    keys would give (ties keep list_projects' order in both directions)."""
    rng = random.Random(7)
    values = [rng.choice([None, 5, 3, 3, 9, 0]) for _ in range(300)]
    texts = [rng.choice(["乙", "甲", "甲", "丙", "a"]) for _ in range(300)]
    index = RegisterIndex(list(range(300)), {"approved_fen": values, "name": texts}, [""] * 300)
    index.prepare_orders(["approved_fen"])
    assert ("approved_fen", False) in index.orders and ("name", False) not in index.orders

    def key(col):
        return lambda p: (1, "") if col[p] is None else (0, col[p])

    for col, name in ((values, "approved_fen"), (texts, "name")):
        for desc in (False, True):
            assert index.order(name, desc) == sorted(range(300), key=key(col), reverse=desc)
    assert index.order("approved_fen", False)[-1] == max(p for p, v in enumerate(values) if v is None)
    assert values[index.order("approved_fen", True)[0]] is None

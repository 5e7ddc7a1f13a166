"""Departments matched as people write them; settings; the county's name is a setting, not a literal."""

import pytest

from app.errors import InputError
from app.services.master import add_alias, add_department, county_settings, find_department, get_department
from app.services.setup import initialise


@pytest.fixture
def uow(db, actor):
    with db.uow(actor) as u:
        initialise(u)
        add_department(u, "沁水县公安局")
        add_department(u, "沁水县卫生健康和体育局", aliases=["县卫体局"])
        yield u


@pytest.mark.parametrize("written, name", [
    ("沁水县公安局", "沁水县公安局"), ("县公安局", "沁水县公安局"), ("公安局", "沁水县公安局"),
    (" 沁水县 公安局 ", "沁水县公安局"), ("沁水县公安局　", "沁水县公安局"), ("县卫体局", "沁水县卫生健康和体育局"),
    ("沁水县卫体局", "沁水县卫生健康和体育局"), ("卫体局", "沁水县卫生健康和体育局")])
def test_department_found_however_written(uow, written, name):
    found = find_department(uow, written)
    assert found is not None and found.name == name  # the right one, not merely one
    assert found.id == get_department(uow, name).id


def test_unknown_department_is_none_and_named(uow):
    assert find_department(uow, "县气象局") is None
    with pytest.raises(Exception, match="县气象局"):
        get_department(uow, "县气象局")


def test_duplicate_and_taken_alias_refused(uow):
    with pytest.raises(InputError, match="已存在"):
        add_department(uow, "县公安局")
    dept = get_department(uow, "县公安局")
    with pytest.raises(InputError, match="已被单位"):
        add_alias(uow, dept.id, "县卫体局")


def test_county_name_is_a_setting(db, actor):
    with db.uow(actor) as u:
        initialise(u, "阳城县")
        s = county_settings(u)
        assert s.county == "阳城县" and s.government == "阳城县人民政府"
        assert s.bureau.startswith("阳城县行政审批服务管理局")
        add_department(u, "阳城县公安局")
        assert find_department(u, "县公安局").name == "阳城县公安局"

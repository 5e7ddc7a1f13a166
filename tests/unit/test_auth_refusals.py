"""Every refused action leaves exactly one audit record, whichever layer refused it (services, guard, lifecycle)."""

from __future__ import annotations

import pytest

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.errors import PermissionDenied
from app.services import audit, auth
from app.services.projects import ProjectInput, register_project
from app.storage import auditchain
from app.storage.database import open_database

PW = "Qinshui#2027"


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch):
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)


@pytest.fixture
def dbfile(tmp_path):
    """Two departments, the demo accounts (clerk of 县教育局) and one project of 县公安局."""
    from app.services.master import add_department

    path = tmp_path / "refusals.sqlite3"
    db = open_database(path)
    with db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "沁水县公安局", aliases=["县公安局"])
        add_department(uow, "沁水县教育局", aliases=["县教育局"])
        auth.create_demo_accounts(uow, PW, clerk_department="县教育局")
        code = register_project(uow, ProjectInput(name="雪亮工程", department="县公安局", category="信息应用系统开发",
                                                  nature="新建", year=2027, total_fen=100_000, county_fen=100_000)).code
        uow.commit()
    db.dispose()
    return path, code


def refused(path) -> list[audit.AuditEntry]:
    db = open_database(path)
    try:
        with db.uow(SETUP_ACTOR, write=False) as uow:
            assert auditchain.verify(uow.session).ok
            return audit.search(uow.session, outcome="refused", newest_first=False)
    finally:
        db.dispose()


def cli(path, monkeypatch, user, *argv):
    monkeypatch.setenv("GOVDATA_USER", user)
    monkeypatch.setenv("GOVDATA_PASSWORD", PW)
    return main(["--db", str(path), *argv])


def test_clerk_refused_on_another_departments_project_leaves_one_record(dbfile, monkeypatch, capsys):
    dbfile, code = dbfile
    assert refused(dbfile) == []
    assert cli(dbfile, monkeypatch, "clerk", "show", code) == 1
    assert "无权操作其他单位的项目" in capsys.readouterr().err
    [r] = refused(dbfile)
    assert (r.user, r.role, r.action, r.object_type, r.object_id) == ("clerk", "clerk", "project.read", "project", code)
    assert "无权操作其他单位的项目" in r.detail


def test_lifecycle_and_guard_refusals_are_not_recorded_twice(dbfile, monkeypatch, capsys):
    dbfile, code = dbfile
    assert cli(dbfile, monkeypatch, "clerk", "advance", code, "submit") == 1  # lifecycle.advance records it
    assert cli(dbfile, monkeypatch, "leader", "security", "status") == 1  # auth.guard records it
    assert cli(dbfile, monkeypatch, "finance", "departments", "add", "新单位") == 1  # require: the CLI records it
    err = capsys.readouterr().err
    assert err.count("错误：无权") == 3
    got = [(r.user, r.action, r.object_id) for r in refused(dbfile)]
    assert got == [("clerk", "lifecycle.submit", code), ("leader", "security.monitoring", None),
                   ("finance", "master.edit", None)]


def test_allowed_actions_and_input_errors_leave_no_refusal(dbfile, monkeypatch, capsys):
    dbfile, code = dbfile
    assert cli(dbfile, monkeypatch, "reviewer", "show", code) == 0
    assert cli(dbfile, monkeypatch, "reviewer", "show", "NO-SUCH") == 1
    capsys.readouterr()
    assert refused(dbfile) == []


def test_record_denied_writes_once_and_names_the_permission(dbfile):
    from app.services.permissions import require

    dbfile, _code = dbfile
    db = open_database(dbfile)
    leader = auth.sign_in(db, "leader", PW).actor
    with pytest.raises(PermissionDenied) as info:
        require(leader, "approve")
    assert audit.record_refusal(db, leader, info.value, "project", "X1") is True
    assert audit.record_refusal(db, leader, info.value, "project", "X1") is False  # already recorded
    assert audit.record_refusal(db, leader, ValueError("x")) is False
    db.dispose()
    [r] = refused(dbfile)
    assert (r.action, r.object_id, r.outcome_label) == ("approve", "X1", "拒绝")


def test_a_refusal_without_a_permission_names_the_command(dbfile, monkeypatch, capsys):
    dbfile, _code = dbfile
    assert cli(dbfile, monkeypatch, "security", "user", "roles", "security", "--role", "auditor") == 1
    assert "不能修改自己的角色" in capsys.readouterr().err
    [r] = refused(dbfile)
    assert (r.user, r.action, r.object_id) == ("security", "command.user", None) and "不能修改自己的角色" in r.detail

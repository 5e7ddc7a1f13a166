"""Command-line sign-in and each role's commands: the command line obeys the same rules as the services."""

from __future__ import annotations

import pytest

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.services import audit, auth
from app.storage import auditchain
from app.storage.database import open_database

PW = "Qinshui#2027"


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch):
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)


@pytest.fixture
def dbfile(tmp_path):
    path = tmp_path / "cli.sqlite3"
    assert main(["--db", str(path), "init"]) == 0
    return path


def run(dbfile, monkeypatch, *argv, user=None, password=PW, new=None):
    for name, value in (("GOVDATA_USER", user), ("GOVDATA_PASSWORD", password), ("GOVDATA_NEW_PASSWORD", new)):
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)
    return main(["--db", str(dbfile), *argv])


def test_first_administrator_then_sign_in_and_forced_change(dbfile, monkeypatch, capsys):
    # no accounts yet: the setup account creates the first administrators
    assert run(dbfile, monkeypatch, "user", "add", "admin1", "--role", "sysadmin", new=PW) == 0
    assert run(dbfile, monkeypatch, "departments", "list") == 1
    assert "请先登录" in capsys.readouterr().err
    assert run(dbfile, monkeypatch, "user", "list", user="admin1", password="wrong") == 1
    assert "用户名或口令不正确" in capsys.readouterr().err
    assert run(dbfile, monkeypatch, "user", "list", user="admin1") == 1
    assert "须先修改口令" in capsys.readouterr().err
    assert run(dbfile, monkeypatch, "user", "passwd", user="admin1", new="Changed#2027") == 0
    assert run(dbfile, monkeypatch, "user", "add", "sec1", "--role", "secadmin", user="admin1",
               password="Changed#2027", new=PW) == 0
    assert run(dbfile, monkeypatch, "--user", "admin1", "user", "list", password="Changed#2027") == 0
    out = capsys.readouterr().out
    assert "sec1" in out and "安全管理员" in out
    db = open_database(dbfile)
    with db.uow(SETUP_ACTOR, write=False) as uow:
        actions = [(e.user, e.action, e.outcome) for e in audit.search(uow.session, newest_first=False)]
        assert auditchain.verify(uow.session).ok
    db.dispose()
    assert ("admin1", "sign_in", "failed") in actions and ("admin1", "user.password", "ok") in actions
    assert ("setup", "user.add", "ok") in actions and ("admin1", "user.add", "ok") in actions


COMMANDS = {
    "projects": ["projects"],
    "dept-add": ["departments", "add", "{u}的新单位"],
    "user-add": ["user", "add", "x{u}", "--role", "leader"],
    "unlock": ["user", "unlock", "clerk"],
    "verify": ["verify"],
    "audit-export": ["audit", "export", "{tmp}/{u}.xlsx"],
    "status": ["security", "status"],
}
MAY = {
    "admin": {"dept-add", "user-add", "status"},
    "security": {"unlock", "status"},
    "auditor": {"verify", "audit-export", "status"},
    "reviewer": {"projects", "dept-add"},
    "finance": {"projects"},
    "clerk": {"projects"},
    "leader": {"projects"},
}


def test_each_role_can_do_exactly_what_it_may_on_the_command_line(dbfile, tmp_path, monkeypatch, capsys):
    db = open_database(dbfile)
    with db.uow(SETUP_ACTOR) as uow:
        from app.services.master import add_department

        add_department(uow, "县教育局")
        auth.create_demo_accounts(uow, PW)
        uow.commit()
    db.dispose()
    got = {}
    for user in MAY:
        got[user] = set()
        for name, argv in COMMANDS.items():
            argv = [a.format(u=user, tmp=tmp_path) for a in argv]
            code = run(dbfile, monkeypatch, *argv, user=user, new=PW)
            err = capsys.readouterr().err
            assert code in (0, 1), (user, name, err)
            if code == 0:
                got[user].add(name)
            else:
                assert "无权" in err, (user, name, err)
    assert got == MAY

"""Sign in once at a terminal: the token's binding (database, account), expiry (idle minutes, a working day, a clock
set back), the account's state at each use, `govdata logout`, and that a signed-in read needs no password hash and
writes nothing to the database."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.services import audit, auth, signin_token
from app.services.master import add_department, set_setting
from app.storage.database import open_database
from app.storage.paths import data_dir

PW = "Qinshui#2027"


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch):
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)


@pytest.fixture
def dbfile(tmp_path):
    path = tmp_path / "cli.sqlite3"
    db = open_database(path)
    with db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县教育局")
        auth.create_demo_accounts(uow, PW)
        uow.commit()
    db.dispose()
    return path


class Clock:
    def __init__(self, monkeypatch) -> None:
        self.now = 1_800_000_000.0
        monkeypatch.setattr(signin_token, "clock", lambda: self.now)

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def run(dbfile, *argv, user=None, password=None, monkeypatch=None):
    for name, value in (("GOVDATA_USER", user), ("GOVDATA_PASSWORD", password)):
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)
    return main(["--db", str(dbfile), *argv])


def audit_actions(dbfile) -> list[tuple[str, str, str]]:
    db = open_database(dbfile)
    try:
        with db.uow(SETUP_ACTOR, write=False) as uow:
            return [(e.user, e.action, e.outcome) for e in audit.search(uow.session, newest_first=False, limit=None)]
    finally:
        db.dispose()


def no_password_checks(monkeypatch) -> list:
    calls: list = []

    def refuse(*a, **k):
        calls.append(a)
        raise AssertionError("a password was hashed")

    monkeypatch.setattr(auth, "verify_password", refuse)
    return calls


def test_sign_in_once_then_no_password_no_hash_no_write(dbfile, monkeypatch, capsys, clock):
    assert run(dbfile, "departments", "list", monkeypatch=monkeypatch) == 1
    assert "请先登录" in capsys.readouterr().err
    assert run(dbfile, "--user", "reviewer", "login", password=PW, monkeypatch=monkeypatch) == 0
    assert "已登录" in capsys.readouterr().out
    before = audit_actions(dbfile)
    assert before[-1] == ("reviewer", "sign_in", "ok")
    no_password_checks(monkeypatch)
    clock.advance(5)
    assert run(dbfile, "departments", "list", "--json", monkeypatch=monkeypatch) == 0  # no name, no password
    assert json.loads(capsys.readouterr().out)[0]["name"] == "县教育局"
    clock.advance(10)
    assert run(dbfile, "--user", "reviewer", "projects", "--json", monkeypatch=monkeypatch) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert audit_actions(dbfile) == before  # a signed-in read wrote nothing


def test_the_token_file_is_the_users_alone(dbfile, monkeypatch, clock):
    assert run(dbfile, "--user", "leader", "login", password=PW, monkeypatch=monkeypatch) == 0
    [path] = list((data_dir() / "signin").glob("*.json"))
    text = path.read_text(encoding="utf-8")
    assert PW not in text and "pbkdf2" not in text  # neither the password nor its hash
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE((path.parent / signin_token.KEY_FILE).stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX ownership")
def test_a_folder_others_may_write_or_own_keeps_no_token(dbfile, monkeypatch, capsys, clock):
    assert run(dbfile, "--user", "leader", "login", password=PW, monkeypatch=monkeypatch) == 0
    folder = data_dir() / "signin"
    os.chmod(folder, 0o777)  # a data folder in a shared place, or loosened by someone
    assert not signin_token.private(folder)
    assert run(dbfile, "--user", "leader", "projects", monkeypatch=monkeypatch) == 1  # the token is not believed
    assert "需要口令" in capsys.readouterr().err  # asked for the password again
    os.chmod(folder, 0o700)
    if os.geteuid() == 0:
        os.chown(folder, 65534, -1)  # owned by another user
        assert not signin_token.private(folder)
        assert run(dbfile, "--user", "leader", "login", password=PW, monkeypatch=monkeypatch) == 0
        assert "未保存登录凭据" in capsys.readouterr().out  # signed in, but nothing kept there
        os.chown(folder, 0, -1)
    moved = folder.with_name("elsewhere")
    folder.rename(moved)
    folder.symlink_to(moved, target_is_directory=True)  # a link to another place
    assert not signin_token.private(folder)
    assert run(dbfile, "--user", "leader", "projects", monkeypatch=monkeypatch) == 1


def test_another_secret_makes_every_token_worthless(dbfile, monkeypatch, capsys, clock):
    assert run(dbfile, "--user", "leader", "login", password=PW, monkeypatch=monkeypatch) == 0
    [path] = list((data_dir() / "signin").glob("*.json"))
    kept = path.read_bytes()
    assert run(dbfile, "logout", "--all", monkeypatch=monkeypatch) == 0  # the tokens and the secret go
    path.write_bytes(kept)  # a copy of the token put back
    assert run(dbfile, "--user", "leader", "projects", monkeypatch=monkeypatch) == 1
    assert not path.exists()


def test_idle_minutes_from_the_settings_end_it(dbfile, monkeypatch, capsys, clock):
    db = open_database(dbfile)
    with db.uow(SETUP_ACTOR) as uow:
        set_setting(uow, "security.idle_lock_minutes", "10")
        uow.commit()
    db.dispose()
    assert run(dbfile, "--user", "finance", "login", password=PW, monkeypatch=monkeypatch) == 0
    for _ in range(5):  # each use moves the idle time on: 45 minutes of work in all
        clock.advance(9)
        assert run(dbfile, "--user", "finance", "projects", monkeypatch=monkeypatch) == 0
    clock.advance(11)
    capsys.readouterr()
    assert run(dbfile, "--user", "finance", "projects", monkeypatch=monkeypatch) == 1
    assert "口令" in capsys.readouterr().err  # asked for the password again (none given)
    assert not list((data_dir() / "signin").glob("*.json"))  # the expired token is gone


def test_a_working_day_at_most_and_no_clock_set_back(dbfile, monkeypatch, capsys, clock):
    assert run(dbfile, "--user", "leader", "login", password=PW, monkeypatch=monkeypatch) == 0
    for _ in range(signin_token.MAX_AGE_S // 600):
        clock.advance(10)
        assert run(dbfile, "--user", "leader", "projects", monkeypatch=monkeypatch) == 0
    clock.advance(10)
    assert run(dbfile, "--user", "leader", "projects", monkeypatch=monkeypatch) == 1  # past the working day
    assert run(dbfile, "--user", "leader", "login", password=PW, monkeypatch=monkeypatch) == 0
    clock.advance(-30)  # the clock set back half an hour: the idle time is unknown
    assert run(dbfile, "--user", "leader", "projects", monkeypatch=monkeypatch) == 1


def test_bound_to_the_account_and_its_current_state(dbfile, monkeypatch, capsys, clock):
    assert run(dbfile, "--user", "clerk", "login", password=PW, monkeypatch=monkeypatch) == 0
    [path] = list((data_dir() / "signin").glob("*.json"))
    token = json.loads(path.read_text(encoding="utf-8"))
    # the same token made out to another account: refused (its MAC covers the account), and removed
    forged = dict(token, user="reviewer")
    other = signin_token.token_path(f"sqlite:///{dbfile.resolve()}", "reviewer")
    other.write_text(json.dumps(forged), encoding="utf-8")
    assert run(dbfile, "--user", "reviewer", "projects", monkeypatch=monkeypatch) == 1
    assert not other.exists()
    assert run(dbfile, "--user", "clerk", "projects", monkeypatch=monkeypatch) == 0

    db = open_database(dbfile)
    with db.uow(SETUP_ACTOR) as uow:
        auth.set_roles(uow, "clerk", ["leader"])  # a role change applies at the next command
        uow.commit()
    db.dispose()
    capsys.readouterr()
    assert run(dbfile, "--user", "clerk", "user", "list", monkeypatch=monkeypatch) == 1
    assert "领导" in capsys.readouterr().err  # refused as a leader, not as a clerk: the roles are read each time

    for change in (lambda uow: auth.lock_user(uow, "clerk"),
                   lambda uow: auth.set_active(uow, "clerk", False),
                   lambda uow: auth.reset_password(uow, "clerk", "Another#2027x")):
        assert run(dbfile, "--user", "clerk", "login", password=PW, monkeypatch=monkeypatch) == 0
        db = open_database(dbfile)
        with db.uow(SETUP_ACTOR) as uow:
            change(uow)
            uow.commit()
        db.dispose()
        assert run(dbfile, "--user", "clerk", "projects", monkeypatch=monkeypatch) == 1
        assert not path.exists()
        db = open_database(dbfile)
        with db.uow(SETUP_ACTOR) as uow:  # back as it was, for the next change
            auth.unlock_user(uow, "clerk")
            auth.set_active(uow, "clerk", True)
            u = auth._get(uow, "clerk")
            u.password_hash, u.must_change_password = auth.hash_password(PW), False
            uow.commit()
        db.dispose()


def test_bound_to_the_database(dbfile, tmp_path, monkeypatch, capsys, clock):
    assert run(dbfile, "--user", "reviewer", "login", password=PW, monkeypatch=monkeypatch) == 0
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(dbfile, copy)
    assert run(copy, "--user", "reviewer", "projects", monkeypatch=monkeypatch) == 1  # another file: not signed in
    # another database put where the first one was: same path, another identity
    moved = tmp_path / "moved.sqlite3"
    dbfile.rename(moved)
    other = open_database(dbfile)
    with other.uow(SETUP_ACTOR) as uow:
        auth.create_demo_accounts(uow, PW)
        uow.commit()
    other.dispose()
    capsys.readouterr()
    assert run(dbfile, "--user", "reviewer", "projects", monkeypatch=monkeypatch) == 1
    assert "口令" in capsys.readouterr().err


def test_logout_removes_it_and_is_recorded(dbfile, tmp_path, monkeypatch, capsys, clock):
    assert run(dbfile, "--user", "leader", "login", password=PW, monkeypatch=monkeypatch) == 0
    assert run(dbfile, "--user", "finance", "login", password=PW, monkeypatch=monkeypatch) == 0
    capsys.readouterr()
    assert run(dbfile, "projects", monkeypatch=monkeypatch) == 1  # two kept for this database: say who
    assert run(dbfile, "--user", "leader", "logout", monkeypatch=monkeypatch) == 0
    assert run(dbfile, "--user", "leader", "projects", monkeypatch=monkeypatch) == 1
    assert run(dbfile, "projects", monkeypatch=monkeypatch) == 0  # the one left: finance
    assert run(dbfile, "logout", monkeypatch=monkeypatch) == 0
    assert "已退出登录" in capsys.readouterr().out
    assert run(dbfile, "projects", monkeypatch=monkeypatch) == 1
    actions = audit_actions(dbfile)
    assert ("leader", "sign_out", "ok") in actions and ("finance", "sign_out", "ok") in actions
    assert not list((data_dir() / "signin").glob("*.json"))
    assert run(dbfile, "logout", monkeypatch=monkeypatch) == 0
    assert "没有保存的登录凭据" in capsys.readouterr().out


def test_no_token_while_the_password_must_change(dbfile, monkeypatch, capsys, clock):
    db = open_database(dbfile)
    with db.uow(SETUP_ACTOR) as uow:
        auth.reset_password(uow, "leader", "Reset#2027xy")  # the holder must change it at the next sign-in
        uow.commit()
    db.dispose()
    assert run(dbfile, "--user", "leader", "projects", password="Reset#2027xy", monkeypatch=monkeypatch) == 1
    assert "须先修改口令" in capsys.readouterr().err
    assert not list((data_dir() / "signin").glob("*.json"))


def test_the_idle_default_is_the_policys() -> None:
    assert signin_token.IDLE_DEFAULT == auth.POLICY_DEFAULTS[signin_token.IDLE_KEY]
    assert signin_token.MAX_AGE_DEFAULT == auth.POLICY_DEFAULTS[signin_token.MAX_AGE_KEY]


def test_a_shared_databases_password_is_not_kept() -> None:
    url = "postgresql+psycopg://govdata:S3cret@10.1.2.3:5432/govdata"
    assert signin_token.database_key(url) == "postgresql+psycopg://govdata@10.1.2.3:5432/govdata"
    assert "S3cret" not in signin_token.token_path(url, "reviewer").name


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_command_on_a_read_only_database(dbfile, tmp_path, monkeypatch, capsys, clock):
    """The database file and its folder read-only for the user who reads (read-only media, another's folder)."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="govdata-ro-"))  # outside pytest's private folder: another user may enter
    try:
        os.chmod(base, 0o755)
        folder, home = base / "db", base / "home"
        folder.mkdir()
        home.mkdir()
        db_path = folder / "ro.sqlite3"
        shutil.copy(dbfile, db_path)
        monkeypatch.setenv("GOVDATA_HOME", str(home))
        user = 65534 if os.geteuid() == 0 else None  # root reads whatever the permissions say: read as nobody
        if user is not None:
            for p in (folder, home, db_path):
                os.chown(p, user, -1)
        assert run(db_path, "--user", "reviewer", "login", password=PW, monkeypatch=monkeypatch, ) == 0
        if user is not None:
            for p in home.rglob("*"):
                os.chown(p, user, -1)
        before = db_path.read_bytes()
        os.chmod(db_path, 0o444)
        os.chmod(folder, 0o555)
        code, out = _as_user(user, lambda: main(["--db", str(db_path), "--user", "reviewer", "projects", "--json"]))
        assert code == 0, out
        assert json.loads(out) == []
        code, out = _as_user(user, lambda: main(["--db", str(db_path), "--user", "reviewer", "departments", "list"]))
        assert code == 0 and "县教育局" in out, out
        assert db_path.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["ro.sqlite3"]
    finally:
        for p in (base / "db",):
            if p.exists():
                os.chmod(p, 0o755)
        shutil.rmtree(base, ignore_errors=True)


def _as_user(uid, fn):
    """Run fn in a child process as `uid` (None: as this user); its exit code and what it printed."""
    from app.storage import crypto

    crypto.provider()  # load OpenSSL before the fork: the child may not read the interpreter's own folder
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        sys.stdout = sys.stderr = open(w, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - the child's own
        try:
            if uid is not None:
                os.setuid(uid)
            code = fn()
        except BaseException as exc:  # noqa: BLE001 - reported through the pipe
            os.write(w, repr(exc).encode())
            code = 99
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 65536):
        chunks.append(chunk)
    os.close(r)
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8", "replace")

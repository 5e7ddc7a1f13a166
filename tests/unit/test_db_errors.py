"""The one database error boundary (app.storage.dberrors): locked, busy, read-only, disk full, I/O error, corrupt,
not a database — raised by SQLite itself or injected into the driver in the middle of a command — become the
user's Chinese message and exit 2, never "internal error" (exit 3); a stale versioned row becomes a conflict.
A busy database (another program holding the write lock past the busy timeout) refuses the writing commands with
exit 2 while the reading ones read."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlalchemy.orm.exc import StaleDataError

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.errors import ConflictError, DatabaseError
from app.models import Department
from app.services import auth
from app.services.master import add_department
from app.storage import database as storage_database
from app.storage import dberrors, readonly
from app.storage.database import open_database

PW = "Qinshui#2027"

# (SQLite's own message, its primary result code, the kind, words the user's message must carry)
SQLITE_FAILURES = [
    ("database is locked", 5, "busy", "占用"),
    ("database table is locked", 6, "busy", "占用"),
    ("attempt to write a readonly database", 8, "read_only", "只读"),
    ("database or disk is full", 13, "disk_full", "磁盘空间已满"),
    ("disk I/O error", 10, "io_error", "读写数据库文件时出错"),
    ("database disk image is malformed", 11, "corrupt", "已损坏"),
    ("file is not a database", 26, "not_a_database", "不是本程序的数据库"),
    ("unable to open database file", 14, "cant_open", "无法打开数据库文件"),
]


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch):
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)


@pytest.fixture
def dbfile(tmp_path) -> Path:
    path = tmp_path / "errors.sqlite3"
    db = open_database(path)
    with db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县教育局")
        auth.create_demo_accounts(uow, PW, admin_password="Kx7-quiet-lantern-42")
        uow.commit()
    db.dispose()
    return path


def run(capsys, dbfile: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(dbfile), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def coded(message: str, code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]  # as SQLite sets it
    return exc


# ---------------------------------------------------------------- the classification itself

@pytest.mark.parametrize(("text", "code", "kind", "words"), SQLITE_FAILURES)
def test_each_sqlite_failure_is_known_by_its_code_and_by_its_text(text, code, kind, words):
    for exc in (sqlite3.OperationalError(text), coded("（本地化的消息）", code), coded(text, code | 0x0100)):
        assert dberrors.classify(exc) == kind, exc
        wrapped = SAOperationalError("INSERT INTO x VALUES (?)", (1,), exc)  # as SQLAlchemy raises it
        user = dberrors.user_error(wrapped)
        assert isinstance(user, DatabaseError) and user.exit_code == 2
        assert words in user.message and "未保存" in user.message or kind == "not_a_database"
        assert user.__cause__ is wrapped


def test_real_sqlite_errors_are_known(tmp_path):
    path = tmp_path / "x.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0.05)
    with pytest.raises(sqlite3.OperationalError) as busy:
        other.execute("BEGIN IMMEDIATE")
    holder.execute("ROLLBACK")
    ro = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as read_only:
        ro.execute("INSERT INTO t VALUES (1)")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database " * 1000)
    with pytest.raises(sqlite3.DatabaseError) as notadb:
        sqlite3.connect(junk).execute("SELECT * FROM sqlite_master")
    assert [dberrors.classify(e.value) for e in (busy, read_only, notadb)] == ["busy", "read_only", "not_a_database"]
    for c in (holder, other, ro):
        c.close()


def test_a_bug_stays_a_bug():
    assert dberrors.user_error(sqlite3.OperationalError("no such column: nmae")) is None
    assert dberrors.user_error(ValueError("database is locked")) is None  # words alone are not a database error
    try:
        try:
            raise sqlite3.OperationalError("database is locked")
        except sqlite3.OperationalError:
            raise KeyError("a bug in an except clause") from None
    except KeyError as bug:
        assert dberrors.user_error(bug) is None


def test_postgresql_states_are_known():
    def pg_error(name: str, sqlstate: str | None) -> Exception:
        cls = type(name, (Exception,), {"__module__": "psycopg.errors"})
        exc = cls("server said no")
        exc.sqlstate = sqlstate  # type: ignore[attr-defined]
        return exc

    cases = {("SerializationFailure", "40001"): "server_busy", ("LockNotAvailable", "55P03"): "server_busy",
             ("DeadlockDetected", "40P01"): "server_busy", ("DiskFull", "53100"): "server_full",
             ("ReadOnlySqlTransaction", "25006"): "read_only", ("AdminShutdown", "57P01"): "connection",
             ("OperationalError", None): "connection", ("DataCorrupted", "XX001"): "corrupt"}
    for (name, state), kind in cases.items():
        assert dberrors.classify(SAOperationalError("SELECT 1", (), pg_error(name, state))) == kind
    assert dberrors.classify(pg_error("UndefinedColumn", "42703")) is None  # a bug in the SQL


def test_a_stale_versioned_row_is_a_conflict(tmp_path):
    db = open_database(tmp_path / "stale.sqlite3")
    try:
        with db.uow(SETUP_ACTOR) as uow:
            add_department(uow, "县教育局")
            uow.commit()
        with db.uow(SETUP_ACTOR, write=False) as mine:
            dept = mine.session.scalar(select(Department))
            mine.session.commit()  # read, as a form loads a record; the object stays (expire_on_commit=False)
            with db.engine.begin() as theirs:  # someone else saves the same row meanwhile
                theirs.exec_driver_sql("UPDATE departments SET name = '县教体局', version = version + 1")
            dept.name = "县教育和体育局"
            with pytest.raises(StaleDataError) as stale:
                mine.commit()
        conflict = dberrors.user_error(stale.value)
        assert isinstance(conflict, ConflictError) and "已被其他用户修改" in conflict.message
    finally:
        db.dispose()


# ---------------------------------------------------------------- injected into a command, in mid-session

class Inject:
    """Make the driver fail as SQLite would, from the first statement matching `when` on."""

    def __init__(self, message: str, code: int, when: str) -> None:
        self.exc, self.when, self.hits = coded(message, code), when, 0

    def __call__(self, conn, cursor, statement, params, context, executemany) -> None:
        if statement.lstrip().upper().startswith(self.when):
            self.hits += 1
            raise self.exc


@pytest.fixture
def inject():
    hooks: list[Inject] = []

    def add(message: str, code: int, when: str = "INSERT") -> Inject:
        hook = Inject(message, code, when)
        event.listen(Engine, "before_cursor_execute", hook)
        hooks.append(hook)
        return hook

    yield add
    for hook in hooks:
        if event.contains(Engine, "before_cursor_execute", hook):
            event.remove(Engine, "before_cursor_execute", hook)


@pytest.mark.parametrize(("text", "code", "kind", "words"), SQLITE_FAILURES)
def test_a_writing_command_meets_each_failure_with_exit_2(dbfile, capsys, monkeypatch, inject, text, code, kind,
                                                          words):
    monkeypatch.setenv("GOVDATA_USER", "admin")
    monkeypatch.setenv("GOVDATA_PASSWORD", "Kx7-quiet-lantern-42")
    assert run(capsys, dbfile, "login")[0] == 0  # signed in: the failure comes in the middle of the sitting
    hook = inject(text, code)
    code_, out, err = run(capsys, dbfile, "departments", "add", "县卫健委")
    assert hook.hits, "the failure was never met"
    assert code_ == 2, err
    assert words in err and "内部出错" not in err and "Traceback" not in err, err
    assert text not in err  # SQLite's English stays in the log, not in front of the user
    monkeypatch.undo()
    db = open_database(dbfile)
    try:
        with db.uow(SETUP_ACTOR, write=False) as uow:  # nothing half-written
            assert "县卫健委" not in set(uow.session.scalars(select(Department.name)))
    finally:
        db.dispose()


def test_a_failing_commit_in_mid_session_then_work_goes_on(dbfile, capsys, monkeypatch, inject):
    """An open database (the window's): one unit of work saves, then the disk fills up while the next one writes:
    the message, a rollback, and once there is room again the same work succeeds on the same engine."""
    db = open_database(dbfile)
    try:
        with db.uow(SETUP_ACTOR) as uow:
            add_department(uow, "县民政局")
            uow.commit()
        hook = inject("database or disk is full", 13)
        with pytest.raises(SAOperationalError) as full, db.uow(SETUP_ACTOR) as uow:
            add_department(uow, "县卫健委")
            uow.commit()
        assert hook.hits and dberrors.classify(full.value) == "disk_full"
        event.remove(Engine, "before_cursor_execute", hook)
        with db.uow(SETUP_ACTOR) as uow:
            add_department(uow, "县卫健委")
            uow.commit()
        with db.uow(SETUP_ACTOR, write=False) as uow:
            assert uow.session.scalars(select(Department.name).where(Department.name == "县卫健委")).all() == ["县卫健委"]
    finally:
        db.dispose()


def test_a_read_meeting_a_damaged_page_is_a_message(dbfile, capsys, monkeypatch):
    """The read path (sqlite3, no SQLAlchemy) through the same boundary."""
    monkeypatch.setenv("GOVDATA_USER", "reviewer")
    monkeypatch.setenv("GOVDATA_PASSWORD", PW)

    real = readonly.Reader.execute

    def damaged(self, sql, params=()):
        if "FROM departments" in sql:
            try:
                raise coded("database disk image is malformed", 11)
            except sqlite3.DatabaseError as exc:
                known = dberrors.user_error(exc)
                assert known is not None
                raise known from exc
        return real(self, sql, params)

    monkeypatch.setattr(readonly.Reader, "execute", damaged)
    code, _out, err = run(capsys, dbfile, "departments", "list")
    assert code == 2 and "已损坏" in err and "内部出错" not in err, err


def test_a_stale_row_in_a_command_is_a_conflict_message(dbfile, capsys, monkeypatch):
    """A command saves a versioned row that another session saved meanwhile (a real StaleDataError)."""
    monkeypatch.setenv("GOVDATA_USER", "admin")
    monkeypatch.setenv("GOVDATA_PASSWORD", "Kx7-quiet-lantern-42")

    def edited_meanwhile(uow, name, **_k):
        dept = uow.session.scalar(select(Department).where(Department.name == "县教育局"))
        uow.session.commit()  # read, as an editor loads it; the write comes later
        other = sqlite3.connect(dbfile)
        other.execute("UPDATE departments SET version = version + 1")
        other.commit()
        other.close()
        dept.name = name
        uow.session.flush()
        return dept

    monkeypatch.setattr("app.services.master.add_department", edited_meanwhile)
    code, _out, err = run(capsys, dbfile, "departments", "add", "县教体局")
    assert code == 1 and "已被其他用户修改" in err and "内部出错" not in err, err


# ---------------------------------------------------------------- another program holds the write lock

@pytest.fixture
def short_busy(monkeypatch):
    monkeypatch.setattr(storage_database, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(readonly, "BUSY_TIMEOUT_MS", 300)


def hold_write_lock(path: Path) -> tuple[sqlite3.Connection, threading.Event]:
    """Another program (the sqlite3 tool, a sync client) takes the write lock and keeps it."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE settings SET value = value WHERE key = 'none'")
    return holder, threading.Event()


@pytest.mark.parametrize("sign_in", ["token", "password"])
def test_busy_database_writing_commands_exit_2_reading_ones_read(dbfile, capsys, monkeypatch, short_busy, sign_in):
    monkeypatch.setenv("GOVDATA_USER", "admin")
    monkeypatch.setenv("GOVDATA_PASSWORD", "Kx7-quiet-lantern-42")
    if sign_in == "token":
        assert run(capsys, dbfile, "login")[0] == 0
    holder, _ = hold_write_lock(dbfile)
    try:
        for argv in (["departments", "add", "县卫健委"], ["departments", "alias", "县教育局", "教育局"]):
            code, _out, err = run(capsys, dbfile, *argv)
            assert code == 2, (argv, err)
            assert "占用" in err and "内部出错" not in err, err
        monkeypatch.setenv("GOVDATA_USER", "reviewer")
        monkeypatch.setenv("GOVDATA_PASSWORD", PW)
        for argv in (["departments", "list"], ["projects", "--json"]):
            code, out, err = run(capsys, dbfile, *argv)
            assert code == 0, (argv, err)
        assert "县教育局" in run(capsys, dbfile, "departments", "list")[1]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    monkeypatch.setenv("GOVDATA_USER", "admin")
    monkeypatch.setenv("GOVDATA_PASSWORD", "Kx7-quiet-lantern-42")
    assert run(capsys, dbfile, "departments", "add", "县卫健委")[0] == 0  # the lock gone, the same command works

"""A database this user may read but not write — the file chmod 444 in a read-only folder (read-only media, another
user's folder): the commands that read still read (the full open through SQLAlchemy too: `show`, an export, the
verification), say why nothing was recorded, and leave no file beside the database; a writing command says the
database is read-only (exit 2), never "internal error". Also: the verification while another program holds the write
lock reads and says it was not recorded."""

from __future__ import annotations

import codecs
import datetime as dt
import importlib
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.services import auth
from app.services.master import add_department
from app.services.projects import ProjectInput, register_project
from app.storage import database as storage_database
from app.storage import readonly
from app.storage.database import open_database

PW = "Qinshui#2027"
ADMIN_PW = "Kx7-quiet-lantern-42"
NOBODY = 65534

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch):
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)


@pytest.fixture
def dbfile(tmp_path) -> tuple[Path, str]:
    path = tmp_path / "ro.sqlite3"
    db = open_database(path)
    with db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县教育局")
        auth.create_demo_accounts(uow, PW, admin_password=ADMIN_PW)
        code = register_project(uow, ProjectInput(name="智慧校园", department="县教育局", category="数据采集",
                                                  nature="新建", year=2026, total_fen=100_000,
                                                  county_fen=100_000)).code
        uow.commit()
    db.dispose()
    return path, code


def _as_user(uid, fn):
    """Run fn in a child process as `uid` (None: as this user); its exit code and what it printed."""
    from app.storage import crypto

    crypto.provider()  # load OpenSSL before the fork: the child may not read the interpreter's own folder
    dt.datetime.strptime("2026", "%Y")  # and what loads on first use: strptime (the backups' names), the codecs
    for name in ("ascii", "utf-8", "latin-1", "utf-16-le", "utf-16-be", "utf-16", "utf-32", "gb18030", "gbk",
                 "cp1252", "cp437"):
        codecs.lookup(name)
    for module in ("app.services.imports", "app.services.audit", "app.services.forms", "openpyxl"):
        importlib.import_module(module)  # what the commands load, read from the interpreter's folder beforehand
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        sys.stdout = sys.stderr = open(w, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - the child's own
        try:
            if uid is not None:
                os.setgid(uid)
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


def test_read_only_file_and_folder(dbfile, monkeypatch, _audit_keys):
    source, code = dbfile
    base = Path(tempfile.mkdtemp(prefix="govdata-ro-"))  # outside pytest's private folder: another user may enter
    folder, home, keys = base / "db", base / "home", base / "keys"
    try:
        os.chmod(base, 0o755)
        folder.mkdir()
        home.mkdir()
        shutil.copytree(_audit_keys, keys)  # this user's own keystore (the audit key, for the verification)
        path = folder / "ro.sqlite3"
        shutil.copy(source, path)
        monkeypatch.setenv("GOVDATA_HOME", str(home))
        monkeypatch.setenv("GOVDATA_KEYSTORE", str(keys))
        user = NOBODY if os.geteuid() == 0 else None  # root writes whatever the permissions say: act as nobody
        if user is not None:
            for p in (folder, home, path, keys, *keys.rglob("*")):
                os.chown(p, user, user)
        os.chmod(path, 0o444)
        os.chmod(folder, 0o555)
        before = path.read_bytes()

        def cli(name: str, password: str, *argv: str) -> tuple[int, str]:
            monkeypatch.setenv("GOVDATA_USER", name)
            monkeypatch.setenv("GOVDATA_PASSWORD", password)
            return _as_user(user, lambda: main(["--db", str(path), *argv]))

        for argv in (["projects"], ["departments", "list"], ["show", code], ["history", code]):
            got, out = cli("reviewer", PW, *argv)
            assert got == 0 and "内部出错" not in out, (argv, out)
        got, out = cli("reviewer", PW, "export-projects", str(home / "台账.xlsx"))
        assert got == 0 and (home / "台账.xlsx").is_file(), out
        assert "只读" in out and "未记入审计日志" in out, out  # says why nothing was recorded
        got, out = cli("auditor", ADMIN_PW, "verify")
        assert got == 0 and "未能记入审计日志" in out and "只读" in out, out
        got, out = cli("reviewer", PW, "register", "--name", "新项目", "--department", "县教育局", "--category",
                       "数据采集", "--nature", "新建", "--year", "2026", "--total", "100")
        assert got == 2 and "只读" in out and "内部出错" not in out, out
        got, out = cli("admin", ADMIN_PW, "departments", "add", "县卫健委")
        assert got == 2 and "只读" in out, out
        assert path.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["ro.sqlite3"]  # no -wal, -shm or lock left beside it
    finally:
        if folder.exists():
            os.chmod(folder, 0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_the_verification_while_another_program_holds_the_write_lock(dbfile, monkeypatch, capsys):
    path, _code = dbfile
    monkeypatch.setattr(storage_database, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(readonly, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setenv("GOVDATA_USER", "auditor")
    monkeypatch.setenv("GOVDATA_PASSWORD", ADMIN_PW)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert main(["--db", str(path), "verify"]) == 0
        out, err = capsys.readouterr()
        assert "未能记入审计日志" in err and "占用" in err, (out, err)
        monkeypatch.setenv("GOVDATA_USER", "reviewer")
        monkeypatch.setenv("GOVDATA_PASSWORD", PW)
        assert main(["--db", str(path), "export-projects", str(path.with_name("x.xlsx"))]) == 0
        assert "未记入审计日志" in capsys.readouterr().err
    finally:
        holder.execute("ROLLBACK")
        holder.close()

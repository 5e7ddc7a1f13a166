"""Reading without SQLAlchemy (app.storage.reader): open_database's guards in its order, no instance lock, so a
second process reads while one holds the database and writes; nothing is created or written."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.errors import DatabaseError
from app.services.master import add_department
from app.storage import guard
from app.storage.database import open_database
from app.storage.reader import open_reader

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    path = tmp_path / "r.sqlite3"
    db = open_database(path)
    with db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县教育局")
        uow.commit()
    db.dispose()
    return path


def test_reads_and_imports_no_sqlalchemy(dbfile: Path) -> None:
    code = textwrap.dedent(f"""
        import sys
        from app.storage.reader import open_reader
        from app.services import quickread
        from app.domain.actor import SETUP_ACTOR
        r = open_reader({str(dbfile)!r})
        print([d.name for d in quickread.list_departments(r, SETUP_ACTOR)])
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "alembic", "reportlab", "openpyxl")
                     or m.startswith("app.models")))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.splitlines() == ["['县教育局']", "[]"]


def test_not_for_a_missing_file_nor_an_old_schema(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    assert open_reader(missing) is None
    assert not missing.exists()  # nothing created
    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)
    conn.executescript((FIXTURES / "schema_0001.sql").read_text(encoding="utf-8"))
    conn.close()
    before = old.read_bytes()
    assert open_reader(old) is None  # an upgrade is due: open_database does it (and backs up first)
    assert old.read_bytes() == before
    assert open_reader("postgresql+psycopg://u@h/db") is None


def test_the_same_refusals_as_open_database(tmp_path: Path, dbfile: Path) -> None:
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="不是本程序的数据库"):
        open_reader(foreign)
    conn = sqlite3.connect(dbfile)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="更新版本"):
        open_reader(dbfile)


def test_a_lock_left_by_another_pc_is_refused(dbfile: Path) -> None:
    guard.lock_path_for(dbfile.resolve()).write_text('{"host": "OTHER-PC", "pid": 7}\n')
    with pytest.raises(guard.InstanceLocked, match="另一台电脑"):
        open_reader(dbfile)


def test_a_second_process_reads_while_one_holds_the_database_and_writes(dbfile: Path, capsys) -> None:
    holder = textwrap.dedent(f"""
        import sys, time
        from app.storage.database import open_database
        from app.domain.actor import SETUP_ACTOR
        from app.services.master import add_department
        db = open_database({str(dbfile)!r})          # the instance lock, as the window holds it
        uow = db.uow(SETUP_ACTOR)
        add_department(uow, "县卫健委")              # a write transaction left open
        uow.session.flush()
        print("holding", flush=True)
        sys.stdin.readline()
        uow.commit()
        print("committed", flush=True)
        sys.stdin.readline()
    """)
    proc = subprocess.Popen([sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "holding"
        assert main(["--db", str(dbfile), "departments", "list"]) == 0  # a read: not refused, not kept waiting
        out = capsys.readouterr().out
        assert "县教育局" in out and "县卫健委" not in out  # what was committed, nothing half-written
        assert main(["--db", str(dbfile), "departments", "add", "县文旅局"]) == 2  # a second writer: refused
        assert "另一个程序实例" in capsys.readouterr().err
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "committed"
        assert main(["--db", str(dbfile), "departments", "list"]) == 0
        assert "县卫健委" in capsys.readouterr().out
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)

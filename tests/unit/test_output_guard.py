"""No command writes over the database, its -wal/-shm, its lock file, or any other file the program holds (issue 14
item 1): every output goes through app.storage.fileio.guard_output, which compares resolved paths and inodes."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.storage import fileio
from app.storage.database import open_database
from app.storage.guard import quick_check


def _wal_is_sqlite_or_absent(db: Path) -> bool:
    wal = Path(f"{db}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return True
    return wal.read_bytes()[:4] in (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    from app.services.attachments import add_attachment
    from tests.conftest import Walker

    folder = tmp_path_factory.mktemp("outputs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOVDATA_HOME", str(folder / "home"))
        db = open_database(folder / "template.sqlite3")
        try:
            walker = Walker(db, SETUP_ACTOR)
            code = walker.to("approved")
            with db.uow(SETUP_ACTOR) as uow:
                att = add_attachment(uow, code, "方案.pdf", b"%PDF-1.4 test")
                uow.commit()
        finally:
            db.dispose()
    return folder / "template.sqlite3", code, str(att.id)


COMMANDS = {
    "export-projects": lambda t, code, att: ["export-projects", t],
    "export-template": lambda t, code, att: ["export-template", t],
    "report --out": lambda t, code, att: ["report", "ledger", "--year", "2026", "--out", t],
    "audit export": lambda t, code, att: ["audit", "export", t],
    "audit archive": lambda t, code, att: ["audit", "archive", t, "--before", "2100-01-01"],
    "security status --export": lambda t, code, att: ["security", "status", "--export", t],
    "security incidents --export": lambda t, code, att: ["security", "incidents", "--export", t],
    "security drills --export": lambda t, code, att: ["security", "drills", "--export", t],
    "attachments --get --out": lambda t, code, att: ["attachments", code, "--get", att, "--out", t],
    "backup": lambda t, code, att: ["backup", t],
}


def _target(db: Path, kind: str) -> str:
    if kind == "database":
        return str(db)
    if kind in ("-wal", "-shm", ".lock"):
        return f"{db}{kind}"
    if kind == "hard link":
        link = db.with_name("link.sqlite3")
        os.link(db, link)
        return str(link)
    if kind == "symbolic link":
        link = db.with_name("symlink.xlsx")
        link.symlink_to(db)
        return str(link)
    if kind == "dot-dot":
        return str(db.parent / "sub" / ".." / db.name)
    raise AssertionError(kind)


CASES = [(c, k) for c in COMMANDS for k in ("database", "-wal", "hard link")] + [
    ("audit export", k) for k in ("-shm", ".lock", "symbolic link", "dot-dot")] + [
    ("backup", k) for k in ("-shm", ".lock", "symbolic link")]


@pytest.mark.parametrize("command, kind", CASES, ids=[f"{c} onto {k}" for c, k in CASES])
def test_no_output_over_the_database(template, tmp_path, capsys, command, kind):
    if kind in ("hard link", "symbolic link") and os.name == "nt":
        pytest.skip("links need privileges on Windows")
    source, code, att = template
    db = tmp_path / "live.sqlite3"
    shutil.copyfile(source, db)
    (tmp_path / "sub").mkdir()
    target = _target(db, kind)
    before = sqlite3.connect(db).execute("SELECT count(*), group_concat(name) FROM projects").fetchone()
    rc = main(["--db", str(db), *COMMANDS[command](target, code, att)])
    err = capsys.readouterr().err
    assert rc == 1, err
    assert "不能把输出写到" in err and "没有写入任何内容" in err, err
    assert quick_check(db) == [] and _wal_is_sqlite_or_absent(db)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*), group_concat(name) FROM projects").fetchone() == before
    conn.close()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(fileio.TEMP_SUFFIX)]


def test_output_beside_the_database_is_written(template, tmp_path, capsys):
    source, code, att = template
    db = tmp_path / "live.sqlite3"
    shutil.copyfile(source, db)
    assert main(["--db", str(db), "export-projects", str(tmp_path / "台账.xlsx")]) == 0
    assert (tmp_path / "台账.xlsx").stat().st_size > 0


def test_guard_compares_inodes_and_refuses_devices(tmp_path):
    held = tmp_path / "held.sqlite3"
    held.write_bytes(b"x")
    fileio.protect(held, "数据库", database=True)
    other_name = tmp_path / "other-name.sqlite3"
    os.link(held, other_name)
    for path in (held, other_name, Path(f"{held}-wal"), Path(f"{held}-journal")):
        with pytest.raises(fileio.ProtectedOutput):
            fileio.write_bytes(path, b"overwritten")
    assert held.read_bytes() == b"x" and not Path(f"{held}-wal").exists()
    with pytest.raises(fileio.ProtectedOutput, match="文件夹"):
        fileio.guard_output(tmp_path)
    if Path("/dev/null").exists():
        with pytest.raises(fileio.ProtectedOutput, match="不是普通文件"):
            fileio.write_bytes("/dev/null", b"")
    assert fileio.write_bytes(tmp_path / "free.txt", b"ok").read_bytes() == b"ok"

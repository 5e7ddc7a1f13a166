"""Backups with the online backup API, Anki-style rotation, checked restore, encrypted backups."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from app.errors import DatabaseError, UnreadableError
from app.models import Department, Project
from app.storage import backup, crypto
from app.storage.backup import BackupFile, inspect_file, to_prune
from app.storage.database import open_database
from app.storage.fileio import ProtectedOutput
from app.storage.guard import quick_check


def _fill(path: Path, n: int, prefix: str = "P") -> None:
    db = open_database(path)
    with db.uow() as uow:
        dept = uow.session.query(Department).filter_by(name="县教育局").one_or_none()
        if dept is None:
            dept = Department(name="县教育局")
            uow.session.add(dept)
            uow.session.flush()
        for i in range(n):
            uow.session.add(Project(code=f"{prefix}{i:05d}", name=f"项目{prefix}{i}", department_id=dept.id,
                                    category="数据采集", nature="新建", year=2026, total_fen=100 * i))
        uow.commit()
    db.dispose()


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM projects").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    path = tmp_path / "govdata.sqlite3"
    _fill(path, 30)
    return path


def test_backup_is_a_checked_single_file(dbfile: Path, tmp_path: Path) -> None:
    out = backup.backup_to(dbfile, tmp_path / "out" / "copy.sqlite3")
    assert _count(out) == 30
    assert not Path(str(out) + "-wal").exists()
    check = inspect_file(out)
    assert check.ok and check.state == "current" and check.projects == 30
    for target in (dbfile, Path(f"{dbfile}-wal"), Path(f"{dbfile}-shm"), Path(f"{dbfile}.lock")):
        with pytest.raises(ProtectedOutput):
            backup.backup_to(dbfile, target)


def test_backup_sees_only_committed_rows(dbfile: Path, tmp_path: Path) -> None:
    writer = sqlite3.connect(dbfile, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM projects")
    out = backup.backup_to(dbfile, tmp_path / "mid.sqlite3")  # a writer holds the lock: backup still works
    writer.execute("ROLLBACK")
    writer.close()
    assert _count(out) == 30


def test_confidential_backup_is_encrypted(dbfile: Path, tmp_path: Path) -> None:
    out = backup.backup_to(dbfile, tmp_path / "c.sqlite3.sm4", passphrase="口令-2026")
    data = out.read_bytes()
    assert data.startswith(crypto.MAGIC) and b"SQLite format 3" not in data and "县教育局".encode() not in data
    assert not [p for p in dbfile.parent.iterdir() if "plain" in p.name]
    assert "已加密" in inspect_file(out).problems[0]
    assert "密钥或口令不正确" in inspect_file(out, passphrase="wrong").problems[0]
    ok = inspect_file(out, passphrase="口令-2026")
    assert ok.ok and ok.projects == 30
    target = tmp_path / "restored.sqlite3"
    backup.restore(out, target, passphrase="口令-2026")
    assert _count(target) == 30


def _fake(ts: str, kind: str = "daily") -> BackupFile:
    when = dt.datetime.strptime(ts, "%Y-%m-%d %H:%M")
    return BackupFile(Path(f"x-{when:%Y%m%d-%H%M%S}-{kind}.sqlite3"), "x", when, kind, False)


def test_rotation_keeps_12_daily_10_weekly_9_monthly() -> None:
    today = dt.date(2026, 11, 25)
    items = []
    for back in range(800):  # two backups a day for more than two years
        day = today - dt.timedelta(days=back)
        items += [_fake(f"{day} 08:00"), _fake(f"{day} 17:00")]
    items.append(_fake("2024-01-02 09:00", "upgrade"))
    drop = {b.path for b in to_prune(items, today)}
    kept = [b for b in items if b.path not in drop]
    kept_daily = sorted((b for b in kept if b.kind == "daily"), key=lambda b: b.taken_at, reverse=True)
    assert [b.kind for b in kept if b.kind != "daily"] == ["upgrade"]
    assert len(kept_daily) == 2 + 12 + 10 + 9  # today's two, then one per day, week, month
    older = kept_daily[2:]
    assert len({b.taken_at.date() for b in older}) == 31
    assert all(b.taken_at.hour == 17 for b in older)  # the newest of each day is the one kept
    assert [b.taken_at.date() for b in older[:12]] == [today - dt.timedelta(days=i) for i in range(1, 13)]
    weeks = [b.taken_at.date().isocalendar()[:2] for b in older[12:22]]
    assert len(set(weeks)) == 10
    months = [(b.taken_at.year, b.taken_at.month) for b in older[22:]]
    assert len(set(months)) == 9
    assert months[0] not in {(b.taken_at.year, b.taken_at.month) for b in older[:22]}
    # few backups: only the older one of a past day goes
    assert {b.path.name[11:17] for b in to_prune(items[:10], today)} == {"080000"}


def test_daily_backup_once_a_day_and_pruned(dbfile: Path) -> None:
    now = dt.datetime(2026, 11, 25, 8, 30)
    first = backup.daily_backup_if_due(dbfile, now=now)
    assert first is not None and first.parent == backup.backups_dir() and inspect_file(first).ok
    assert backup.daily_backup_if_due(dbfile, now=now + dt.timedelta(hours=3)) is None
    for d in range(1, 40):
        backup.daily_backup_if_due(dbfile, now=now + dt.timedelta(days=d))
    kept = backup.list_backups("govdata")
    assert len(kept) < 40 and kept[0].taken_at.date() == dt.date(2027, 1, 3)


def test_restore_replaces_and_keeps_the_replaced_database(dbfile: Path, tmp_path: Path) -> None:
    good = backup.backup_to(dbfile, tmp_path / "good.sqlite3")
    _fill(dbfile, 5, prefix="NEW")  # changes after the backup
    assert _count(dbfile) == 35
    check, kept = backup.restore(good, dbfile)
    assert check.projects == 30 and _count(dbfile) == 30
    assert kept is not None and kept.name.endswith("-restore.sqlite3") and _count(kept) == 35
    assert quick_check(dbfile) == []
    db = open_database(dbfile)  # opens normally afterwards
    db.dispose()
    new_target = tmp_path / "new" / "other.sqlite3"
    check, kept = backup.restore(good, new_target)
    assert kept is None and _count(new_target) == 30


def _must_refuse(src: Path, target: Path, words: str) -> None:
    before = target.read_bytes()
    with pytest.raises((DatabaseError, UnreadableError)) as info:
        backup.restore(src, target)
    assert words in info.value.message
    assert target.read_bytes() == before  # nothing replaced
    assert backup.list_backups("govdata") == []


def test_restore_refuses_foreign_newer_and_damaged_files(dbfile: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE cards (id INTEGER)")
    conn.commit()
    conn.close()
    _must_refuse(foreign, dbfile, "不是本程序的数据库")

    newer = backup.backup_to(dbfile, tmp_path / "newer.sqlite3")
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.commit()
    conn.close()
    _must_refuse(newer, dbfile, "更新版本")

    damaged = backup.backup_to(dbfile, tmp_path / "damaged.sqlite3")
    raw = bytearray(damaged.read_bytes())
    page = 4096
    for i in range(2 * page + 100, len(raw) - page, page):  # scribble over the middle of every page
        raw[i:i + 200] = b"\xff" * 200
    damaged.write_bytes(bytes(raw))
    assert quick_check(damaged)
    _must_refuse(damaged, dbfile, "")

    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    _must_refuse(text, dbfile, "不是数据库备份文件")


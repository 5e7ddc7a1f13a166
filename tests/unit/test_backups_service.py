"""app.services.backups: the one backup service of `govdata backup` and the window — guarded output (never the
database, its -wal/-shm, nor a file the program holds), the digest beside it, audited, the system administrator's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.actor import Actor
from app.domain.vocabulary import action_label
from app.errors import InputError, PermissionDenied
from app.models import AuditRecord
from app.services.backups import backup_database, suggested_name
from app.storage.crypto import sm3_file
from app.storage.fileio import ProtectedOutput, protect

ADMIN = Actor("xitong", "sysadmin", display_name="系统管理员甲")


def _file(db) -> Path:
    return Path(db.url.removeprefix("sqlite:///"))


def _audited(db) -> int:
    with db.uow(ADMIN, write=False) as uow:
        return len(uow.session.scalars(select(AuditRecord).where(AuditRecord.action == "database.backup")).all())


def test_a_backup_with_its_digest_and_audit_record(sqlite_db, tmp_path):
    done = backup_database(sqlite_db, ADMIN, tmp_path)  # a folder: the suggested name in it
    assert done.path.parent == tmp_path and done.path.name.endswith("-manual.sqlite3")
    assert done.path.name[:5] == suggested_name(sqlite_db)[:5] == "test-"
    assert done.digest == sm3_file(done.path) and done.digest_file.read_text(encoding="utf-8").startswith(done.digest)
    with sqlite3.connect(done.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert _audited(sqlite_db) == 1


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_never_over_the_database_or_its_companions(sqlite_db, suffix):
    target = Path(f"{_file(sqlite_db)}{suffix}")
    before = sm3_file(_file(sqlite_db))
    with pytest.raises(ProtectedOutput, match="不能把输出写到数据库"):
        backup_database(sqlite_db, ADMIN, target)
    assert sm3_file(_file(sqlite_db)) == before and _audited(sqlite_db) == 0


def test_never_over_a_file_the_program_holds(sqlite_db, tmp_path):
    held = tmp_path / "audit.key"
    held.write_bytes(b"key")
    protect(held, "审计密钥文件")
    with pytest.raises(ProtectedOutput, match="审计密钥文件"):
        backup_database(sqlite_db, ADMIN, held)
    assert held.read_bytes() == b"key"


def test_only_whoever_may_back_up(sqlite_db, tmp_path):
    with pytest.raises(PermissionDenied, match="由系统管理员办理"):
        backup_database(sqlite_db, Actor("shenhe", "reviewer"), tmp_path / "x.sqlite3")
    assert not (tmp_path / "x.sqlite3").exists()


def test_a_short_passphrase_is_refused_before_anything_is_written(sqlite_db, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InputError, match="至少 12 个字符"):
        backup_database(sqlite_db, ADMIN, out / "x.sqlite3.sm4", passphrase="short")
    assert not list(out.iterdir())


def test_the_maintenance_acts_read_in_chinese_in_the_audit_list():
    """The command line records them through a helper the vocabulary scan cannot follow: named here."""
    assert [action_label(a) for a in ("database.backup", "database.restore_started", "database.restore",
                                      "database.unlock")] == ["备份数据库", "开始恢复数据库", "恢复数据库", "解除数据库锁"]

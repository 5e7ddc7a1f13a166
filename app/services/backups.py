"""Backing up the database file: one service for `govdata backup` and the window's 备份数据库.

The online backup reads a consistent snapshot while the program keeps working (app.storage.backup); the output is
guarded as every output is (never the database, its -wal/-shm or lock, nor a file the program holds), written to a
temporary file and renamed, with its SM3 digest beside it (`<file>.sm3`, checked before any restore).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.domain.actor import Actor
from app.errors import InputError
from app.services.permissions import require
from app.storage import backup, guard
from app.storage.crypto import MIN_PASSPHRASE
from app.storage.database import Database, sqlite_path
from app.storage.fileio import guard_output, protect


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int  # bytes
    digest: str  # SM3 of the backup file, as written beside it
    digest_file: Path
    encrypted: bool

    @property
    def size_text(self) -> str:
        return f"{self.size / 1_048_576:.1f} MB"


def database_file(db: Database) -> Path:
    """The database's file; a shared (PostgreSQL) database is backed up on its server."""
    path = sqlite_path(db.url)
    if path is None:
        raise InputError("共享数据库（PostgreSQL）的备份与恢复由数据库管理员在服务器上进行（pg_dump / pg_restore）；"
                         "本功能只用于本机数据库文件。")
    return path


def suggested_name(db: Database, encrypted: bool = False, when: dt.datetime | None = None) -> str:
    """The file name a backup is offered under: the database's name, the time, 'manual' (and .sm4 when encrypted)."""
    return backup.backup_name(database_file(db), "manual", when, encrypted=encrypted)


def backup_database(db: Database, actor: Actor, out: str | Path, *, passphrase: str | None = None,
                    progress: Callable[[int, int], None] | None = None, checked: bool = False) -> BackupResult:
    """Back up the open database into the file `out` (a folder: a file named by suggested_name in it), SM4-encrypted
    when a passphrase is given; audited. `checked`: the caller ran the start-up checks already (the command line
    runs them before it signs in). Raises before anything is written when the output is refused."""
    path = database_file(db)
    require(actor, "backup", action="database.backup", object_id=path.name)
    target = Path(out).expanduser()
    if target.is_dir():
        target = target / backup.backup_name(path, "manual", encrypted=passphrase is not None)
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise InputError(f"备份口令至少 {MIN_PASSPHRASE} 个字符，未备份。")
    protect(path, "数据库", database=True)
    guard_output(target)  # before anything else: never the database, its -wal/-shm or lock, nor a held file
    guard_output(backup.digest_path(target))
    if not checked:  # a foreign -wal, the quick integrity check, a newer schema; a network share
        guard.refuse_network_share(path)
        backup.check_before_use(path)
    backup.backup_to(path, target, passphrase=passphrase, progress=progress)
    side = backup.digest_path(target)
    digest = side.read_text(encoding="utf-8").split()[0]
    with db.uow(actor) as uow:
        uow.audit("database.backup", "database", path.name, {"file": str(target), "confidential": passphrase is not None,
                                                            "sm3": digest})
        uow.commit()
    return BackupResult(target, target.stat().st_size, digest, side, passphrase is not None)

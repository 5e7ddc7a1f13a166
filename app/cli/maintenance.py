"""Maintenance commands: backup, restore, check, unlock-db.

A command module: each handler imports its services when it runs, so one command loads only what it uses
(`govdata --help` loads neither the ORM nor openpyxl nor ReportLab)."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import Any

from app.errors import DatabaseError, InputError, PermissionDenied, UnreadableError

PASSPHRASE_ENV = "GOVDATA_BACKUP_PASSPHRASE"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help="备份数据库到文件（在线备份，程序运行中也可执行）")
    p.add_argument("out", metavar="OUT", help="备份文件路径")
    p.add_argument("--confidential", action="store_true",
                   help=f"涉密备份：用 SM4 加密（口令取自环境变量 {PASSPHRASE_ENV} 或提示输入）")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="从备份恢复数据库（先检查备份文件，被替换的数据库另行保留）")
    p.add_argument("src", metavar="IN", help="备份文件")
    p.add_argument("--unverified", action="store_true",
                   help="备份旁没有 SM3 摘要文件（.sm3）时仍然恢复（确认备份可信时使用；记入审计日志）")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("check", help="检查数据库完整性")
    p.add_argument("--full", action="store_true", help="完整检查（PRAGMA integrity_check，较慢）")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("unlock-db", help="解除其他电脑遗留的数据库锁（仅系统管理员；记入审计日志）")
    p.set_defaults(handler=cmd_unlock)


def _sqlite_target(args: argparse.Namespace) -> Path:
    from app.storage.database import resolve_url, sqlite_path

    url = resolve_url(args.db)
    path = sqlite_path(url)
    if path is None:
        raise InputError("共享数据库（PostgreSQL）的备份与恢复由数据库管理员在服务器上进行（pg_dump / pg_restore）；"
                         "本命令只用于本机数据库文件。")
    return path


MIN_PASSPHRASE = 12  # app.storage.crypto.MIN_PASSPHRASE


def _passphrase(confirm: bool) -> str:
    """The backup passphrase, from GOVDATA_BACKUP_PASSPHRASE or the terminal; a new one (confirm) needs 12
    characters, wherever it comes from."""
    value = os.environ.get(PASSPHRASE_ENV)
    if not value:
        value = getpass.getpass("备份口令：")
        if confirm and getpass.getpass("再次输入备份口令：") != value:
            raise InputError("两次输入的口令不一致，未备份。")
    if confirm and len(value) < MIN_PASSPHRASE:
        raise InputError(f"备份口令至少 {MIN_PASSPHRASE} 个字符" + (f"（取自环境变量 {PASSPHRASE_ENV}）"
                                                               if os.environ.get(PASSPHRASE_ENV) else "") + "，未备份。")
    return value


def _may_backup(actor: Any) -> None:
    from app.services.permissions import require

    require(actor, "backup")


def _audit(db: Any, actor: Any, action: str, object_id: str, detail: dict) -> None:
    with db.uow(actor) as uow:
        uow.audit(action, "database", object_id, detail)
        uow.commit()


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1_048_576:.1f} MB"


def cmd_backup(args: argparse.Namespace, ctx: Any) -> int:
    from app.storage import backup, guard
    from app.storage.database import Database, resolve_url

    path = _sqlite_target(args)
    if not path.is_file():
        raise DatabaseError(f"找不到数据库文件：{path}")
    out = Path(args.out).expanduser()
    if out.is_dir():
        out = out / backup.backup_name(path, "manual", encrypted=args.confidential)
    from app.storage.fileio import guard_output, protect

    protect(path, "数据库", database=True)
    guard_output(out)  # before anything else: never the database, its -wal/-shm or lock
    # the start-up checks of every command, read-only and without the instance lock (the online backup reads a
    # consistent snapshot while the window keeps working): a foreign -wal, the quick check, a newer schema
    guard.refuse_network_share(path)
    backup.check_before_use(path)
    db = Database(resolve_url(args.db))
    try:
        from app.cli.context import resolve_actor
        from app.services.backups import backup_database

        actor = resolve_actor(args, db)
        _may_backup(actor)  # before the passphrase is asked for
        passphrase = _passphrase(confirm=True) if args.confidential else None
        done = backup_database(db, actor, out, passphrase=passphrase, checked=True)  # the window's service too
    finally:
        db.dispose()
    print(f"已备份到 {done.path}（{done.size_text}{'，已 SM4 加密' if done.encrypted else ''}），"
          f"SM3 摘要 {done.digest[:16]}… 保存在 {done.digest_file.name}（恢复前核对）")
    return 0


def _sql_errors() -> tuple[type[BaseException], ...]:
    """The driver errors a damaged file raises while its accounts are read (SQLAlchemy: only when restoring)."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    return (sqlite3.Error, SQLAlchemyError)


def _restore_actor(args: argparse.Namespace, ctx: Any, target: Path, src: Path, passphrase: str | None) -> Any:
    """Who restores: signed in against the database being replaced; when it is too damaged to open, against its
    accounts read as they are, and failing that against the backup's own accounts. Never nobody."""
    from app.cli.context import resolve_actor
    from app.storage.database import Database, resolve_url
    from app.storage.guard import DamagedDatabase

    if not target.exists() or target.stat().st_size == 0:
        return _backup_actor(args, src, passphrase)  # a new file: the accounts are the backup's
    try:
        return ctx.actor
    except DamagedDatabase:
        pass
    finally:
        ctx.close()
        ctx._db = None
    args.read_only = True  # sign in without writing into the damaged file
    raw = Database(resolve_url(args.db))
    try:
        return resolve_actor(args, raw)
    except (DatabaseError, UnreadableError, *_sql_errors()):  # type: ignore[misc]  # a tuple made at run time
        pass
    finally:
        raw.dispose()
    return _backup_actor(args, src, passphrase)


def _backup_actor(args: argparse.Namespace, src: Path, passphrase: str | None) -> Any:
    import shutil

    from app.cli.context import resolve_actor
    from app.storage import crypto
    from app.storage.database import Database
    from app.storage.tempfiles import temp_path

    args.read_only = True
    with temp_path(suffix=".restore-signin") as copy:
        if passphrase is not None:
            crypto.decrypt_file(src, copy, passphrase)
        else:
            shutil.copyfile(src, copy)
        db = Database(f"sqlite:///{copy}")
        try:
            return resolve_actor(args, db)
        finally:
            db.dispose()


def cmd_restore(args: argparse.Namespace, ctx: Any) -> int:
    from app.storage import backup
    from app.storage.crypto import MAGIC
    from app.storage.database import Database, open_database, resolve_url

    target = _sqlite_target(args)
    src = Path(args.src).expanduser()
    passphrase = None
    if src.is_file():
        with open(src, "rb") as f:
            if f.read(len(MAGIC)) == MAGIC:
                passphrase = _passphrase(confirm=False)
    actor = _restore_actor(args, ctx, target, src, passphrase)
    _may_backup(actor)

    def started(check: Any) -> None:
        """Recorded in the database about to be replaced, before anything changes: a restore killed half-way
        leaves the old database with this record (SQLite rolls the unfinished copy back)."""
        if not target.exists() or target.stat().st_size == 0:
            return
        old = Database(resolve_url(args.db))
        try:
            _audit(old, actor, "database.restore_started", target.name,
                   {"from": str(src), "revision": check.revision, "unverified": args.unverified})
        except (DatabaseError, *_sql_errors()):  # type: ignore[misc]  # a tuple made at run time
            pass  # too damaged to write: the restored database records the restore
        finally:
            old.dispose()

    check, kept = backup.restore(src, target, passphrase=passphrase, unverified=args.unverified, before=started)
    db = open_database(target)  # upgrades an older backup (after backing it up) and checks it again
    try:
        _audit(db, actor, "database.restore", target.name,
               {"from": str(src), "revision": check.revision, "replaced_kept_at": str(kept) if kept else None,
                "unverified": args.unverified})
    finally:
        db.dispose()
    print(f"已从 {src} 恢复到 {target}（项目 {check.projects} 个，数据库版本 {check.revision}）。")
    if kept:
        print(f"被替换的数据库已保留：{kept}")
    return 0


def cmd_check(args: argparse.Namespace, ctx: Any) -> int:
    from app.storage.backup import list_backups
    from app.storage.database import resolve_url, sqlite_path
    from app.storage.guard import quick_check
    from app.storage.schema import schema_state

    url = resolve_url(args.db)
    path = sqlite_path(url)
    if path is None:
        from app.storage.database import Database

        db = Database(url)
        try:
            state = schema_state(db.engine)
        finally:
            db.dispose()
        print(f"共享数据库连接正常，结构状态：{state}")
        return 0 if state in ("current", "behind") else 2
    if not path.exists():
        raise DatabaseError(f"找不到数据库文件：{path}")
    from app.storage.guard import refuse_newer_or_foreign, wal_mismatch

    why = wal_mismatch(path)
    if why:
        print(f"数据库 {path} 未通过检查：旁边的日志文件与它不匹配：{why}（可能是从别处复制来的）。"
              f"请把 {path.name}-wal 和 {path.name}-shm 移到别处后重试；程序没有改动任何文件。")
        return 2
    problems = quick_check(path, full=args.full)
    if problems:
        print(f"数据库 {path} 未通过{'完整' if args.full else '快速'}检查：")
        for p in problems[:20]:
            print(f"  {p}")
        backups = list_backups(path.stem)
        if backups:
            print(f"最近的备份：{backups[0].path}（恢复：govdata --db \"{path}\" restore \"{backups[0].path}\"）")
        return 2
    try:
        refuse_newer_or_foreign(path, allow_empty=False)
    except DatabaseError as exc:
        print(f"数据库 {path} 的结构完好，但不能使用：{exc.message}")
        return 2
    backups = list_backups(path.stem)
    print(f"数据库 {path} 通过{'完整' if args.full else '快速'}检查（{_size(path)}）。")
    print(f"自动备份 {len(backups)} 份" + (f"，最近一份 {backups[0].taken_at:%Y-%m-%d %H:%M}" if backups else ""))
    return 0


def cmd_unlock(args: argparse.Namespace, ctx: Any) -> int:
    from app.cli.context import resolve_actor
    from app.storage.database import Database, resolve_url
    from app.storage.guard import _read_holder, acquire_instance_lock, lock_path_for

    path = _sqlite_target(args)
    holder = _read_holder(lock_path_for(path.resolve()))
    if not holder:
        print("数据库没有遗留的锁。")
        return 0
    db = Database(resolve_url(args.db))  # not open_database: that is what the lock refuses
    try:
        actor = resolve_actor(args, db)
        if not ({"sysadmin", "setup"} & set(actor.all_roles)):
            raise PermissionDenied("只有系统管理员可以解除数据库锁。")
        lock = acquire_instance_lock(path, break_foreign=True)  # a live lock on this PC is still refused
        try:
            _audit(db, actor, "database.unlock", path.name, {"previous_holder": holder})
        finally:
            lock.release()
    finally:
        db.dispose()
    print(f"已解除数据库锁（原持有者：主机 {holder.get('host')}，进程 {holder.get('pid')}），已记入审计日志。")
    return 0

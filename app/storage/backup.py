"""Backups of the SQLite database, their rotation, and restore.

- Copies are made with SQLite's online backup API (never a file copy of a live database), into a
  temporary file renamed into place (app.storage.fileio), and are single self-contained files (journal mode DELETE).
- Automatic backups go to data_dir()/backups as `<db name>-<YYYYmmdd-HHMMSS>-<kind>.sqlite3`: `daily`
  at the first start of each day, `upgrade` before every schema upgrade, `restore` (the database a restore
  replaced). Daily ones are thinned like Anki's: all of today, then one a day for 12 days, one a week for
  10 weeks, one a month for 9 months. Upgrade and restore backups are kept.
- A confidential backup is encrypted with SM4-GCM under a passphrase (app.storage.crypto), `.sqlite3.sm4`.
- A restore checks the file (integrity, that it is this program's database, its schema version) in memory
  before anything is replaced, keeps the database it replaces, and writes into the target with the backup
  API, so a crash half-way leaves the old database (SQLite rolls the unfinished copy back).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.errors import DatabaseError, UnreadableError
from app.storage import crypto, guard
from app.storage.fileio import atomic_path, guard_output, protect, write_text
from app.storage.guard import DamagedDatabase, acquire_instance_lock, refuse_network_share
from app.storage.paths import data_dir
from app.storage.readonly import connect_ro
from app.storage.schema import head_revision, known_revisions
from app.storage.tempfiles import temp_path

DAILY, WEEKLY, MONTHLY = 12, 10, 9
ENCRYPTED_SUFFIX = ".sm4"
# tables without which a file is not this program's database
CORE_TABLES = {"alembic_version", "projects", "departments", "audit_log", "settings", "users"}
_NAME = re.compile(r"^(?P<stem>.+)-(?P<ts>\d{8}-\d{6})-(?P<kind>[a-z]+)\.sqlite3(?P<enc>\.sm4)?$")
PAGES_PER_STEP = 1024  # copy in steps so a writer elsewhere is not blocked for the whole copy


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class BackupFile:
    path: Path
    stem: str
    taken_at: dt.datetime
    kind: str
    encrypted: bool


@dataclass(frozen=True)
class FileCheck:
    """What `inspect_file` found. `problems` is empty for a file that may be restored."""

    path: Path
    revision: str | None
    state: str  # current behind newer foreign damaged
    problems: tuple[str, ...]
    projects: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_name(path: Path) -> BackupFile | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    ts = m["ts"]  # YYYYmmdd-HHMMSS, as strptime reads it (strptime costs every command its _strptime and calendar)
    try:
        taken = dt.datetime(int(ts[0:4]), int(ts[4:6]), int(ts[6:8]), int(ts[9:11]), int(ts[11:13]), int(ts[13:15]))
    except ValueError:
        return None
    return BackupFile(path, m["stem"], taken, m["kind"], bool(m["enc"]))


def list_backups(stem: str | None = None, folder: Path | None = None) -> list[BackupFile]:
    """Backups in the folder, newest first (optionally only those of one database name)."""
    folder = folder or backups_dir()
    found = [b for p in folder.iterdir() if (b := parse_name(p)) and (stem is None or b.stem == stem)]
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


# ------------------------------------------------------------------ copying

def _source(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise UnreadableError(f"找不到数据库文件：{path}")
    return connect_ro(path)  # read-only; on read-only media or in another user's folder too


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection,
          progress: Callable[[int, int], None] | None = None) -> None:
    def step(_status: int, remaining: int, total: int) -> None:
        if progress:
            progress(total - remaining, total)

    src.backup(dst, pages=PAGES_PER_STEP, progress=step)


def _write_copy(src: sqlite3.Connection, out: Path, progress: Callable[[int, int], None] | None = None) -> str:
    """Copy `src` into a new self-contained file at `out` (atomically). Returns the copy's SM3 digest."""
    with atomic_path(out) as tmp:
        dst = sqlite3.connect(tmp)
        try:
            _copy(src, dst, progress)
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        finally:
            dst.close()
        digest = crypto.sm3_file(tmp)
    return digest


# ------------------------------------------------------------------ the digest beside each backup

DIGEST_SUFFIX = ".sm3"


def digest_path(path: Path) -> Path:
    return path.with_name(path.name + DIGEST_SUFFIX)


def write_digest(path: Path, digest: str | None = None) -> str:
    """`<backup>.sm3`: the SM3 digest of the backup's bytes, as `sm3sum` writes it; checked before any restore."""
    digest = digest or crypto.sm3_file(path)
    write_text(digest_path(path), f"{digest}  {path.name}\n")
    return digest


def check_digest(path: Path) -> str | None:
    """None when the backup matches its digest; else what is wrong (no digest file, or a different digest)."""
    side = digest_path(path)
    try:
        recorded = side.read_text(encoding="utf-8").split()[0].lower()
    except (OSError, UnicodeDecodeError, IndexError):
        return f"缺少摘要文件 {side.name}，无法确认备份在备份之后未被改动"
    if not crypto.constant_time_equal(recorded, crypto.sm3_file(path)):
        return f"备份文件与其 SM3 摘要（{side.name}）不符：备份之后文件被改动或已损坏"
    return None


def backup_to(db_path: str | os.PathLike[str], out: str | os.PathLike[str], *, passphrase: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> Path:
    """Back up the live database at `db_path` into the file `out`; encrypted with SM4 when `passphrase` is given."""
    db_path, out = Path(db_path), Path(out)
    protect(db_path, "数据库", database=True)
    guard_output(out)  # not the database, its -wal/-shm or lock, nor any file the program holds
    try:
        src = _source(db_path)
        try:
            if passphrase is None:
                write_digest(out, _write_copy(src, out, progress))
                return out

            # the plain copy lives only in the program's temporary folder (removed at once, or at the next start)
            with temp_path(suffix=".backup-plain") as plain:
                _write_copy(src, plain, progress)
                crypto.encrypt_file(plain, out, passphrase)
            write_digest(out)
            return out
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"备份失败：{exc}。数据库未被改动。") from None
    except UnicodeDecodeError:  # SQLite's message quotes damaged bytes
        raise DatabaseError("备份失败：数据库文件已损坏。数据库未被改动。") from None


def backup_name(db_path: Path, kind: str, when: dt.datetime | None = None, encrypted: bool = False) -> str:
    when = when or dt.datetime.now()
    return f"{db_path.stem}-{when:%Y%m%d-%H%M%S}-{kind}.sqlite3" + (ENCRYPTED_SUFFIX if encrypted else "")


def automatic_backup(db_path: str | os.PathLike[str], kind: str, *, when: dt.datetime | None = None) -> Path:
    """A backup into data_dir()/backups (then the daily ones are thinned)."""
    db_path = Path(db_path)
    when = when or dt.datetime.now()
    folder = backups_dir()
    out = folder / backup_name(db_path, kind, when)
    while out.exists():  # two in the same second
        when += dt.timedelta(seconds=1)
        out = folder / backup_name(db_path, kind, when)
    backup_to(db_path, out)
    prune(db_path.stem, today=when.date(), folder=folder)
    return out


def daily_backup_if_due(db_path: str | os.PathLike[str], *, now: dt.datetime | None = None) -> Path | None:
    """At the first start of a day: back up the database unless a backup of today exists already."""
    db_path = Path(db_path)
    now = now or dt.datetime.now()
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    if any(b.taken_at.date() == now.date() for b in list_backups(db_path.stem)):
        return None
    return automatic_backup(db_path, "daily", when=now)


# ------------------------------------------------------------------ rotation

def to_prune(backups: list[BackupFile], today: dt.date, daily: int = DAILY, weekly: int = WEEKLY,
             monthly: int = MONTHLY) -> list[BackupFile]:
    """The daily backups that the rotation drops (Anki's scheme). Other kinds are never dropped here.

    Newest first: every backup of today is kept; then the newest of each day until `daily` days are kept;
    then the newest of each ISO week not yet covered, until `weekly` weeks; then of each month, `monthly`.
    """
    dailies = sorted((b for b in backups if b.kind == "daily"), key=lambda b: b.taken_at, reverse=True)
    drop: list[BackupFile] = []
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    months: set[tuple[int, int]] = set()
    n_day = n_week = n_month = 0
    for b in dailies:
        d = b.taken_at.date()
        week, month = d.isocalendar()[:2], (d.year, d.month)
        if d >= today:
            keep = True
        elif n_day < daily:
            keep = d not in days
            n_day += keep
        elif n_week < weekly:
            keep = week not in weeks
            n_week += keep
        elif n_month < monthly:
            keep = month not in months
            n_month += keep
        else:
            keep = False
        if keep:
            days.add(d)
            weeks.add(week)
            months.add(month)
        else:
            drop.append(b)
    return drop


def prune(stem: str, today: dt.date | None = None, folder: Path | None = None) -> list[Path]:
    gone = []
    for b in to_prune(list_backups(stem, folder), today or dt.date.today()):
        try:
            b.path.unlink()
            gone.append(b.path)
        except OSError:
            continue  # a backup open elsewhere is dropped next time
        try:
            digest_path(b.path).unlink()
        except OSError:
            pass
    return gone


# ------------------------------------------------------------------ checking and restoring

def _load(path: Path, passphrase: str | None) -> sqlite3.Connection:
    """The file's database in memory (decrypted if needed); the file itself is only read."""
    if not path.is_file():
        raise UnreadableError(f"找不到备份文件：{path}")
    with open(path, "rb") as f:
        head = f.read(16)

    if head.startswith(crypto.MAGIC):
        if passphrase is None:
            raise UnreadableError(f"备份文件 {path.name} 已加密（涉密备份），请提供解密口令。")

        with temp_path(suffix=".restore-plain") as plain:  # removed after, or at the next start after a crash
            crypto.decrypt_file(path, plain, passphrase)
            return _load(plain, None)
    if not head.startswith(b"SQLite format 3\x00"):
        raise UnreadableError(f"文件 {path.name} 不是数据库备份文件（也不是本程序加密的备份）。")
    mem = sqlite3.connect(":memory:")
    try:
        src = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            src.backup(mem)
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        mem.close()
        raise UnreadableError(f"备份文件 {path.name} 无法读取（已损坏）：{exc}") from None
    return mem


def _check_conn(conn: sqlite3.Connection, path: Path) -> FileCheck:
    conn.text_factory = lambda raw: raw.decode("utf-8", errors="replace")  # damaged bytes quoted in a report

    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    except UnicodeDecodeError:
        rows = ["完整性检查的报告含有无法识别的字节（文件已损坏）"]
    if rows != ["ok"]:
        return FileCheck(path, None, "damaged", ("完整性检查未通过：" + "；".join(rows[:5]),))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = CORE_TABLES - tables
    if missing:
        return FileCheck(path, None, "foreign", (f"不是本程序的数据库（缺少数据表：{'、'.join(sorted(missing))}）",))
    revs = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
    rev = revs[0] if len(revs) == 1 else None
    projects = conn.execute("SELECT count(*) FROM projects").fetchone()[0]
    if rev == head_revision():
        return FileCheck(path, rev, "current", (), projects)
    if rev in known_revisions():
        return FileCheck(path, rev, "behind", (), projects)
    return FileCheck(path, rev, "newer",
                     (f"该备份由更新版本的程序创建（数据库版本 {rev}），本程序无法使用，请先升级程序。",), projects)


def inspect_file(path: str | os.PathLike[str], passphrase: str | None = None, *,
                 digest: bool = False) -> FileCheck:
    """Check a backup (or database) file without changing it; with `digest`, also against its SM3 digest file."""
    path = Path(path)
    if digest and path.is_file():
        wrong = check_digest(path)
        if wrong:
            return FileCheck(path, None, "damaged", (wrong,))
    try:
        conn = _load(path, passphrase)
    except UnreadableError as exc:
        return FileCheck(path, None, "damaged", (exc.message,))
    try:
        return _check_conn(conn, path)
    finally:
        conn.close()


def newest_good_backup(stem: str, folder: Path | None = None) -> BackupFile | None:
    """The newest unencrypted backup of that database that passes the full check."""
    for b in list_backups(stem, folder):
        if not b.encrypted and (not digest_path(b.path).exists() or check_digest(b.path) is None) \
                and inspect_file(b.path).ok:
            return b
    return None


def restore(src: str | os.PathLike[str], target: str | os.PathLike[str], *, passphrase: str | None = None,
            progress: Callable[[int, int], None] | None = None, unverified: bool = False,
            before: Callable[[FileCheck], None] | None = None) -> tuple[FileCheck, Path | None]:
    """Replace the database at `target` (may be a new file) by the backup `src`.

    Refuses (nothing changed) a backup whose SM3 digest file is missing (unless `unverified`) or does not match, a
    damaged, foreign or newer-schema file, and a target another instance holds. `before(check)` runs once the
    backup passed and before anything is replaced (the command line records the restore there, so a restore killed
    half-way is still in the audit trail). Returns the check of the backup and the backup of the replaced database.
    """

    src, target = Path(src), Path(target)
    protect(target, "数据库", database=True)
    refuse_network_share(target)
    mem = _load(src, passphrase)
    try:
        check = _check_conn(mem, src)
        if not check.ok:
            raise DatabaseError(f"备份文件 {src.name} 不能恢复：{'；'.join(check.problems)}。现有数据库未被改动。")
        wrong = check_digest(src)  # a flipped bit that SQLite's own check cannot see
        if wrong and (not unverified or digest_path(src).exists()):
            raise DatabaseError(f"备份文件 {src.name} 不能恢复：{wrong}。现有数据库未被改动。"
                                + ("" if digest_path(src).exists() else
                                   "若确认这份备份可信，可加 --unverified 恢复（记入审计日志）。"))
        lock = acquire_instance_lock(target)
        try:
            if before is not None:
                before(check)
            kept = None
            if target.exists() and target.stat().st_size > 0:
                kept = _keep_replaced(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("-wal", "-shm"):  # a journal left beside the old file must never meet the restored one
                with contextlib.suppress(OSError):
                    Path(f"{target}{suffix}").unlink()
            dst = sqlite3.connect(target, timeout=15)
            try:
                # the backup API writes into the live file inside one transaction: all or nothing
                _copy(mem, dst, progress)
                dst.execute("PRAGMA journal_mode=WAL")
            except sqlite3.DatabaseError as exc:
                raise DatabaseError(f"恢复失败：{exc}。原数据库已保留在 {kept}。") from None
            finally:
                dst.close()
        finally:
            lock.release()
        return check, kept
    finally:
        mem.close()


def _keep_replaced(target: Path) -> Path:
    """Keep the database a restore replaces: a backup copy, or (if it is too damaged to copy) the file itself."""
    try:
        return automatic_backup(target, "restore")
    except DatabaseError:
        out = backups_dir() / backup_name(target, "damaged")
        for suffix in ("-wal", "-shm"):  # its journal belongs to it; never let it meet the restored file
            side = Path(str(target) + suffix)
            if side.exists():
                shutil.move(side, Path(str(out) + suffix))
        shutil.move(target, out)
        return out


def _when(t: dt.datetime) -> str:
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"


def check_before_use(path: Path) -> None:
    """The checks of the start-up order that only read (no lock): a foreign -wal, the quick integrity check
    (naming the newest good backup), a newer or foreign schema. Used by open_database and by `backup`."""
    if not path.exists() or path.stat().st_size == 0:
        return
    guard.refuse_foreign_wal(path)
    problems = guard.quick_check(path)
    if problems:
        raise damaged_error(path, problems)
    guard.refuse_newer_or_foreign(path)


def damaged_error(path: Path, problems: list[str]) -> DamagedDatabase:
    """The error for a database that failed its integrity check, naming the newest good backup to restore."""
    good = newest_good_backup(path.stem)
    if good is None:
        offer = "没有找到可用的完好备份，请联系系统管理员。"
    else:
        offer = (f"最近的完好备份是 {good.path}（{_when(good.taken_at)}），"
                 f"可执行：govdata --db \"{path}\" restore \"{good.path}\"")
    return DamagedDatabase(
        f"数据库文件 {path} 未通过完整性检查（{'；'.join(problems[:3])}）。为免损坏扩大，程序已停止，"
        f"没有写入任何内容。{offer}",
        good.path if good else None,
    )

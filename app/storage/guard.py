"""Checks before a SQLite database file is opened for writing.

- SQLite's locking is unreliable on network filesystems and WAL does not work over them at all
  (https://www.sqlite.org/useovernet.html): a database on a UNC path, a mapped network drive or an
  NFS/CIFS/SMB mount is refused, naming the shared PostgreSQL mode as the way for several PCs.
- One writing instance per database file: an OS lock on `<db>.lock` next to the database, with the
  holder's host and process id written in it. The OS drops the lock when the process dies (crash, power
  cut), so a left-over file from this PC is not a live lock. A lock file left by *another* host cannot be
  proven stale (the file may sit on storage we failed to recognise as shared); only the system
  administrator breaks it (`govdata unlock-db`), and that is written to the audit log.
- A quick integrity check (PRAGMA quick_check) before anything writes; a damaged file stops the start
  and names the newest good backup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import sqlite3
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from app.errors import DatabaseError
from app.storage.oslock import try_lock
from app.storage.schema import known_revisions

NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "ceph", "glusterfs", "lustre",
    "9p", "davfs", "fuse.sshfs", "fuse.glusterfs", "fuse.cephfs", "fuse.davfs2", "fuse.rclone", "gpfs", "beegfs",
}
SHARED_MODE_HINT = (
    "多台电脑共用数据时，请改用共享数据库模式（PostgreSQL，或兼容的 openGauss、人大金仓），"
    "例如：govdata --db postgresql+psycopg://用户名@服务器/govdata …；单机使用请将数据库放在本机磁盘上。"
)


class DamagedDatabase(DatabaseError):
    """The quick integrity check failed. `backup` is the newest backup that passes the check (or None)."""

    def __init__(self, message: str, backup: Path | None = None) -> None:
        super().__init__(message)
        self.backup = backup


class InstanceLocked(DatabaseError):
    """Another instance holds the database, or a stale lock from another host awaits the administrator."""

    def __init__(self, message: str, holder: dict | None = None, stale: bool = False) -> None:
        super().__init__(message)
        self.holder = holder or {}
        self.stale = stale


# ------------------------------------------------------------------ network shares

def _unescape_mount(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as octal
    for code, ch in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, ch)
    return field


def linux_fs_type(path: Path, mounts_text: str | None = None) -> str | None:
    """The filesystem type of the mount that holds `path`, from /proc/mounts (longest mount point wins)."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(path)
    best, best_type = "", None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mnt, fstype = _unescape_mount(parts[1]), parts[2]
        prefix = mnt.rstrip("/") + "/"
        if (target == mnt or target.startswith(prefix) or mnt == "/") and len(mnt) >= len(best):
            best, best_type = mnt, fstype
    return best_type


def _windows_drive_is_remote(drive: str) -> bool:
    import ctypes  # Windows only

    DRIVE_REMOTE = 4
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE  # type: ignore[attr-defined]


def network_location(path: str | os.PathLike[str], *, platform: str | None = None,
                     mounts_text: str | None = None) -> str | None:
    """Why `path` is on a network share ('UNC 路径', '网络驱动器 Z:', 'nfs4 网络文件系统'), or None if local."""
    platform = platform or sys.platform
    raw = str(path)
    if raw.startswith(("\\\\", "//")) and not raw.startswith(("\\\\?\\", "\\\\.\\", "//?/", "//./")):
        return "UNC 网络路径"
    if raw.upper().startswith(("\\\\?\\UNC\\",)):
        return "UNC 网络路径"
    if platform == "win32":
        import ntpath  # Windows paths only

        drive = ntpath.splitdrive(raw)[0] or ntpath.splitdrive(os.path.abspath(raw))[0]
        try:
            if drive and _windows_drive_is_remote(drive):
                return f"映射的网络驱动器 {drive}"
        except (OSError, AttributeError):
            return None
        return None
    if platform.startswith("linux"):
        p = Path(raw)
        try:
            p = p.resolve()
        except OSError:
            pass
        fstype = linux_fs_type(p, mounts_text)
        if fstype and (fstype in NETWORK_FS or fstype.split(".")[0] in NETWORK_FS):
            return f"{fstype} 网络文件系统"
    return None


def refuse_network_share(path: str | os.PathLike[str]) -> None:
    why = network_location(path)
    if why:
        raise DatabaseError(
            f"本机数据库不能放在网络共享位置（{why}：{path}）。SQLite 在网络文件系统上无法可靠加锁，"
            f"会造成数据损坏，程序未打开也未改动该文件。{SHARED_MODE_HINT}"
        )


# ------------------------------------------------------------------ instance lock

def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _read_holder(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            return json.loads(f.readline() or "{}")
    except (OSError, ValueError):
        return {}


@dataclass
class InstanceLock:
    db_path: Path
    fd: int
    previous: dict  # what the file said before we took it: a crashed run of this host leaves it behind
    count: int = 1

    @property
    def path(self) -> Path:
        return lock_path_for(self.db_path)

    def release(self) -> None:
        self.count -= 1
        if self.count > 0:
            return
        _HELD.pop(str(self.db_path), None)
        try:
            os.ftruncate(self.fd, 0)
        except OSError:
            pass
        try:
            os.close(self.fd)  # closing drops the OS lock
        except OSError:
            pass
        try:
            self.path.unlink()
        except OSError:
            pass


_HELD: dict[str, InstanceLock] = {}


def _os_user() -> str:
    try:
        return os.environ.get("USERNAME") or os.environ.get("USER") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name to be had (a service account): leave it out
        return ""


def holder_words(holder: dict) -> str:
    """Who holds the lock, as a person reads it: 主机 PC-7、进程 4242、用户 wang、自3月5日 14:03起 (what is
    unknown is left out, never shown empty; the time as a clock shows it, not ISO)."""
    parts = [f"主机 {holder['host']}" if holder.get("host") else "", f"进程 {holder['pid']}" if holder.get("pid") else "",
             f"用户 {holder['user']}" if holder.get("user") else ""]
    started = holder.get("started")
    if started:
        try:
            t = dt.datetime.fromisoformat(str(started))
            parts.append(f"自{t.month}月{t.day}日 {t.hour:02d}:{t.minute:02d}起")
        except ValueError:
            pass
    return "、".join(p for p in parts if p) or "未知的程序"


def acquire_instance_lock(db_path: str | os.PathLike[str], *, break_foreign: bool = False) -> InstanceLock:
    """Take the single-writer lock of a database file (re-entrant within this process).

    Refuses (InstanceLocked) when another live process holds it, or when the file names another host and
    `break_foreign` is not set (only `govdata unlock-db`, run by the system administrator, sets it).
    """
    db_path = Path(db_path).resolve()
    held = _HELD.get(str(db_path))
    if held is not None:
        held.count += 1
        return held
    path = lock_path_for(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    previous = _read_holder(path)
    if not try_lock(fd):
        os.close(fd)
        holder = _read_holder(path) or previous
        who = holder_words(holder)
        raise InstanceLocked(
            f"数据库正被另一个程序实例使用（{who}），"
            "为防止两处同时写入，本次未打开。请先关闭那个程序；多人同时使用请改用共享数据库模式（PostgreSQL）。",
            holder,
        )
    if previous and previous.get("host") not in (None, socket.gethostname()) and not break_foreign:
        os.close(fd)
        raise _foreign_lock(previous)
    me = {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "user": _os_user(),
        "started": dt.datetime.now().isoformat(timespec="seconds"),
    }
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, (json.dumps(me, ensure_ascii=False) + "\n").encode("utf-8"))
    os.fsync(fd)
    lock = InstanceLock(db_path, fd, previous)
    _HELD[str(db_path)] = lock
    return lock


def _foreign_lock(holder: dict) -> InstanceLocked:
    return InstanceLocked(
        f"数据库被另一台电脑（{holder_words(holder)}）"
        "锁定，且该锁无法确认已失效。请确认那台电脑上的程序已关闭，再由系统管理员执行 govdata unlock-db 解除"
        "（解除操作记入审计日志）。",
        holder,
        stale=True,
    )


def refuse_foreign_lock(db_path: str | os.PathLike[str]) -> None:
    """For a reader, which takes no instance lock (readers and the one writer share a local file through WAL): still
    refuse a file whose lock names another host, live or not, as acquire_instance_lock does (the file may be on
    storage shared with that PC that was not recognised as a network share)."""
    holder = _read_holder(lock_path_for(Path(db_path).resolve()))
    if holder and holder.get("host") not in (None, socket.gethostname()):
        raise _foreign_lock(holder)


def release_all() -> None:
    for lock in list(_HELD.values()):
        lock.count = 1
        lock.release()


# ------------------------------------------------------------------ integrity

def ro_uri(path: str | os.PathLike[str]) -> str:
    """A read-only URI for the start-up checks that leaves no file behind: with no -wal beside the file, `immutable`
    (SQLite then creates no -wal or -shm; a WAL database without its -wal has no open writer); with one, `mode=ro` so
    that its committed pages are read too. Long reads beside a writer use storage.readonly.connect_ro instead."""
    p = Path(path).resolve()
    return p.as_uri() + ("?mode=ro" if Path(f"{p}-wal").exists() else "?immutable=1")


def quick_check(path: str | os.PathLike[str], full: bool = False) -> list[str]:
    """Problems reported by PRAGMA quick_check (or integrity_check); [] when the file is sound.

    Opens the file read-only, so a damaged database is not written to (no WAL replay into it).
    """
    if not Path(path).is_file():
        return [f"找不到数据库文件：{path}"]  # an immutable read would take a missing file for an empty database
    try:
        conn = sqlite3.connect(ro_uri(path), uri=True)
    except sqlite3.DatabaseError as exc:
        return [f"无法打开：{exc}"]
    # SQLite's report may quote damaged bytes that are not UTF-8, in its rows or in its error message
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    except UnicodeDecodeError:
        return ["文件内容已损坏（SQLite 的检查报告中含有被破坏的字节）"]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


# ------------------------------------------------------------------ the -wal beside the file

WAL_MAGIC = (0x377F0682, 0x377F0683)


_DAMAGED = "\x00damaged"  # _key_id: what is read through `uri` is damaged or has no key table at all


def _key_id(uri: str) -> str | None:
    """The database's audit key id (its identity), read through `uri`; None when it has none or cannot be read,
    _DAMAGED when what is read there is not a sound database."""
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return None
    conn.text_factory = _lenient_text
    try:
        row = conn.execute("SELECT key_id FROM audit_keys ORDER BY id LIMIT 1").fetchone()
    except sqlite3.OperationalError as exc:  # no audit_keys table: not this program's database seen there
        return _DAMAGED if "malformed" in str(exc) or "no such table" in str(exc) else None
    except sqlite3.DatabaseError:
        return _DAMAGED
    finally:
        conn.close()
    return str(row[0]) if row else None


def wal_mismatch(path: str | os.PathLike[str]) -> str | None:
    """Why the -wal beside a database file does not belong to it (copied from another database, or left beside a
    file that was replaced), or None. SQLite itself would merge any valid WAL into the file at the next open.

    Read-only: the file is read once ignoring the WAL (immutable) and once through it (read-only, which cannot
    checkpoint); a different page size, or a different database identity (its audit key id) through the WAL,
    is a mismatch."""
    db = Path(path).resolve()
    wal = Path(f"{db}-wal")
    try:
        if not wal.is_file() or wal.stat().st_size < 32 or not db.is_file():
            return None
        with open(wal, "rb") as f:
            head = f.read(32)
        with open(db, "rb") as f:
            db_head = f.read(100)
    except OSError:
        return None
    magic, _version, wal_page = struct.unpack(">III", head[:12])
    if magic not in WAL_MAGIC:
        return None  # not a valid WAL: SQLite ignores it and starts a new one
    if len(db_head) < 100 or not db_head.startswith(b"SQLite format 3\x00"):
        return None  # not a database at all: the quick check says so
    db_page = struct.unpack(">H", db_head[16:18])[0]
    db_page = 65536 if db_page == 1 else db_page
    if wal_page != db_page:
        return f"日志文件 {wal.name} 的页大小（{wal_page}）与数据库（{db_page}）不同"
    shm = Path(f"{db}-shm")
    had_shm = shm.exists()
    bare = _key_id(db.as_uri() + "?immutable=1")
    through = _key_id(db.as_uri() + "?mode=ro")
    if not had_shm:  # the index our read-only look built: the files are left as they were found
        with contextlib.suppress(OSError):
            shm.unlink()
    if bare and bare != _DAMAGED and through == _DAMAGED:
        return f"日志文件 {wal.name} 与本文件不符：文件本身完好，经由该日志读取时却是损坏的或另一个数据库"
    # the main file without the table (a new database whose tables are still only in its -wal) is not another one
    if bare not in (None, _DAMAGED) and through not in (None, _DAMAGED) and bare != through:
        return f"日志文件 {wal.name} 属于另一个数据库（其中的数据库编号与本文件不同）"
    return None


def refuse_foreign_wal(path: Path) -> None:
    why = wal_mismatch(path)
    if why:
        raise DatabaseError(
            f"数据库 {path} 旁边的日志文件与它不匹配：{why}，可能是从别处复制来的，或数据库文件被替换过。"
            f"若打开，SQLite 会把它并入数据库而损坏数据，所以程序没有打开，也没有改动任何文件。"
            f"请把 {path.name}-wal 和 {path.name}-shm 移到别处（不要删除，先请管理员查看）后重试。")


def refuse_newer_or_foreign(path: Path, allow_empty: bool = True) -> None:
    """Read the schema version read-only, before the engine connects (which switches the file to WAL)."""
    try:
        conn = sqlite3.connect(ro_uri(path), uri=True)
        conn.text_factory = _lenient_text
    except sqlite3.Error as exc:
        raise DatabaseError(f"无法打开数据库 {path}：{exc}") from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revs = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")] if (
            "alembic_version" in tables) else None
    finally:
        conn.close()
    if not tables:
        if allow_empty:
            return
        raise DatabaseError(f"文件 {path} 是空的 SQLite 数据库，不是本程序的数据库（可用 govdata init 初始化）。")
    if revs is None:
        raise DatabaseError(f"文件 {path} 是 SQLite 数据库，但不是本程序的数据库（没有版本表），未作任何改动。")
    if any(r not in known_revisions() for r in revs):
        raise DatabaseError(f"该数据库由更新版本的程序创建（数据库版本 {'、'.join(revs)}），本程序无法打开；"
                            "请升级程序后再试。数据库未被改动。")

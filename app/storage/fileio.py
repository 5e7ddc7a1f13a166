"""Writing files so that a failure half-way never leaves a truncated file in place of a good one.

Every file the program writes (exports, backups, PDFs, settings) goes through here: the bytes go to a
temporary file in the same folder, are flushed and fsynced, and the temporary file is renamed over the
target with os.replace (atomic on the same filesystem, Windows included). On any error the temporary file
is removed and the old target, if any, is left exactly as it was.

    with atomic_write(path, "w", encoding="utf-8") as f:   # a file object
        f.write(text)
    with atomic_path(path) as tmp:                          # a path, for libraries that open it themselves
        workbook.save(tmp)
    write_bytes(path, data); write_text(path, text)
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from app.errors import GovDataError, UnreadableError

TEMP_SUFFIX = ".part"


class FileWriteError(GovDataError):
    """A file could not be written (disk full, no permission, file open in another program)."""


class ProtectedOutput(GovDataError):
    """An output path that is the database, its -wal/-shm/-journal, its lock, or another file the program holds."""


# ------------------------------------------------------------------ the one guard of every output path
#
# What the program holds must never be the target of an export, a PDF, an archive or a backup: the auditor, who
# may write nothing, could otherwise wipe the database with `audit export <the database>`. Paths are compared
# after resolving symbolic links and '..', case-folded where the filesystem folds case, and by (device, inode),
# so a hard link or another spelling of the same file is caught too. A SQLite database is protected with its side
# files whether they exist yet or not (a -wal written by us would be replayed into the database by SQLite).

DATABASE_SIDE_FILES = ("-wal", "-shm", "-journal", ".lock")
_PROTECTED: dict[str, str] = {}  # normalised resolved path -> what it is (for the message)


def _norm(path: Path) -> str:
    try:
        resolved = path.resolve()
    except OSError:
        resolved = path.absolute()
    return os.path.normcase(str(resolved))


def protect(path: str | os.PathLike[str], what: str = "程序正在使用的文件", *, database: bool = False) -> None:
    """Declare a file the program holds (a database: with its side files); no output may be written over it."""
    p = Path(path)
    _PROTECTED[_norm(p)] = what
    if database:
        for suffix in DATABASE_SIDE_FILES:
            side = p.with_name(p.name + suffix)
            _PROTECTED[_norm(side)] = f"{what}的{'锁文件' if suffix == '.lock' else '日志文件 ' + suffix}"


def protected_paths() -> list[str]:
    return list(_PROTECTED)


def _file_id(p: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(p)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino) if st.st_ino else None


def guard_output(path: str | os.PathLike[str]) -> Path:
    """Refuse (ProtectedOutput) an output path that is, or is the same file as, anything the program holds, or
    that is not a regular file (a folder, a device, a pipe). Returns the path. Nothing is created or changed."""
    target = Path(path)
    where = _norm(target)
    what = _PROTECTED.get(where)
    if what is None:
        ident = _file_id(target)
        if ident is not None:
            for held, held_what in _PROTECTED.items():
                if _file_id(held) == ident:
                    what = held_what
                    break
    if what is not None:
        raise ProtectedOutput(f"不能把输出写到{what}上：{target}。请另选一个文件名；没有写入任何内容。")
    try:
        st = os.stat(target)
    except (OSError, ValueError):
        return target
    if stat.S_ISDIR(st.st_mode):
        raise ProtectedOutput(f"输出位置是一个文件夹：{target}。请给出文件名；没有写入任何内容。")
    if not stat.S_ISREG(st.st_mode):
        raise ProtectedOutput(f"输出位置不是普通文件（设备或管道）：{target}。没有写入任何内容。")
    return target


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles for this."""
    if sys.platform == "win32":
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _replace(src: Path, dst: Path) -> None:
    # On Windows an antivirus scanner or an open Excel window can hold the target for a moment.
    for attempt in range(10):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if sys.platform != "win32" or attempt == 9:
                raise
            time.sleep(0.1 * (attempt + 1))


def _user_error(path: Path, exc: OSError) -> FileWriteError:
    if exc.errno == errno.ENOSPC:
        why = "磁盘空间不足"
    elif isinstance(exc, PermissionError):
        why = "没有写入权限，或文件正被其他程序（如 Excel、WPS）打开"
    elif exc.errno == errno.EROFS:
        why = "位置只读"
    else:
        why = exc.strerror or str(exc)
    return FileWriteError(f"无法写入文件 {path}：{why}。原有文件（如有）未被改动。")


def _new_temp(path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise _user_error(path, exc) from None
    os.close(fd)
    return Path(name)


def _finish(tmp: Path, path: Path) -> None:
    guard_output(path)  # again just before the rename: the database may have been opened at that path meanwhile
    if path.exists():
        with suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o7777)  # keep the replaced file's permissions
    _replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_file(p: Path) -> None:
    fd = os.open(p, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block ends normally, fsync it and rename it into place.

    For libraries that write to a file name themselves (openpyxl, ReportLab, sqlite3 backup). The block
    may also leave the temporary file untouched or empty; whatever it holds becomes the target.
    """
    target = guard_output(path)
    tmp = _new_temp(target)
    try:
        yield tmp
        _fsync_file(tmp)
        _finish(tmp, target)
    except OSError as exc:
        with suppress(OSError):
            tmp.unlink()
        raise _user_error(target, exc) from None
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


@contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb", encoding: str | None = None,
                 newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside `path` for writing; rename it into place when the block ends normally."""
    if not mode.startswith("w") or "+" in mode:
        raise ValueError(f"atomic_write only writes whole files, not mode {mode!r}")
    if "b" not in mode and encoding is None:
        encoding = "utf-8"
    with atomic_path(path) as tmp, open(tmp, mode, encoding=encoding, newline=newline) as f:
        yield f
        f.flush()
        os.fsync(f.fileno())


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    with atomic_write(path, "wb") as f:
        f.write(data)
    return Path(path)


def write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    with atomic_write(path, "w", encoding=encoding, newline="") as f:
        f.write(text)
    return Path(path)


def read_limited(path: str | os.PathLike[str], limit: int, what: str = "文件") -> bytes:
    """A regular file's bytes, at most `limit`: read in chunks and refused as soon as it grows past the limit, so
    /dev/zero, a FIFO or a file still being written never fills the memory (its stat size may be 0)."""
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise UnreadableError(f"文件不存在：{p}") from None
    except IsADirectoryError:
        raise UnreadableError(f"这是一个文件夹，不是文件：{p}") from None
    except PermissionError:
        raise UnreadableError(f"没有权限读取文件：{p}") from None
    except OSError as exc:
        raise UnreadableError(f"无法读取文件“{p.name}”：{exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "文件夹" if stat.S_ISDIR(st.st_mode) else "设备或管道"
            raise UnreadableError(f"“{p}”是{kind}，不是普通文件，不能作为{what}读取")
        if st.st_size > limit:
            raise UnreadableError(f"{what}“{p.name}”过大（{st.st_size // 1048576} MB，上限 {limit // 1048576} MB）")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise UnreadableError(f"{what}“{p.name}”过大（上限 {limit // 1048576} MB）")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableError(f"无法读取文件“{p.name}”：{exc.strerror or exc}") from None
    finally:
        os.close(fd)

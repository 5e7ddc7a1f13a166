"""Temporary files (a decrypted backup being checked or restored, the plain copy being encrypted, import and print
scratch files): all in one folder, data_dir()/tmp, removed when done, when the program closes, and at the next start.

    with temp_path(suffix=".plain") as tmp:   # an empty file in this process's folder, removed after the block
        ...

Each process works in its own subfolder `<pid>-<random>` that holds an OS-locked `.lock` file. The folder goes
when the process exits normally (atexit); `cleanup_stale()`, called when a database is opened, removes every
subfolder whose lock is free, i.e. whose process ended (even by a crash or a power cut), and any loose file.
A folder of a process that is still running is never touched.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from app.storage.fileio import TEMP_SUFFIX
from app.storage.oslock import try_lock
from app.storage.paths import data_dir

LOCK_NAME = ".lock"
YOUNG_SECONDS = 60  # a folder without its lock file yet may be being created by another process right now

_session: Path | None = None
_lock_fd: int | None = None


def root() -> Path:
    return data_dir() / "tmp"


def session_dir() -> Path:
    """This process's own folder (created and locked on first use)."""
    global _session, _lock_fd
    if _session is not None and _session.parent == root() and _session.is_dir():
        return _session
    cleanup_own()
    folder = root() / f"{os.getpid()}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True, mode=0o700)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try_lock(fd)
    _session, _lock_fd = folder, fd
    return folder


@contextmanager
def temp_path(suffix: str = "", prefix: str = "") -> Iterator[Path]:
    """Yield the path of a new empty file in this process's folder; the file is removed when the block ends."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=session_dir())
    os.close(fd)
    path = Path(name)
    try:
        yield path
    finally:
        with suppress(OSError):
            path.unlink(missing_ok=True)


def cleanup_own() -> None:
    """Remove this process's folder (at exit, or when the data folder changed)."""
    global _session, _lock_fd
    if _lock_fd is not None:
        with suppress(OSError):
            os.close(_lock_fd)
    if _session is not None:
        shutil.rmtree(_session, ignore_errors=True)
    _session, _lock_fd = None, None


atexit.register(cleanup_own)


def _is_stale(folder: Path) -> bool:
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDWR)
    except FileNotFoundError:
        try:
            return time.time() - folder.stat().st_mtime > YOUNG_SECONDS
        except OSError:
            return False
    except OSError:
        return False
    try:
        return try_lock(fd)  # we got the lock: its process has ended
    finally:
        os.close(fd)


PARTIAL_MAX_AGE_S = 3600


def cleanup_partial_writes(folder: Path | None = None, max_age_s: float = PARTIAL_MAX_AGE_S) -> int:
    """Remove half-written files (`.<name>.*.part`, see app.storage.fileio) that a killed write left in the data folder
    (backups, exports kept there); only old ones, so a write in progress elsewhere is never touched."""
    folder = folder or data_dir()
    now, removed = time.time(), 0
    for p in folder.rglob(f".*{TEMP_SUFFIX}"):
        with suppress(OSError):
            if p.is_file() and now - p.stat().st_mtime > max_age_s:
                p.unlink()
                removed += 1
    return removed


def cleanup_stale() -> int:
    """Remove what ended processes left in data_dir()/tmp, and old half-written files in the data folder.
    Returns the number of files removed."""
    base = root()
    removed = cleanup_partial_writes()
    if not base.is_dir():
        return removed
    for entry in base.iterdir():
        if entry == _session:
            continue
        if entry.is_dir():
            if not _is_stale(entry):
                continue
            removed += sum(1 for p in entry.rglob("*") if p.is_file() and p.name != LOCK_NAME)
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with suppress(OSError):
                entry.unlink()
                removed += 1
    return removed

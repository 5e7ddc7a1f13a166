"""One OS advisory lock helper: an exclusive, non-blocking lock on an open file that the OS drops when the
process dies (a crash or a power cut never leaves a live lock behind). Used by the database's instance lock and
by each process's temporary folder."""

from __future__ import annotations

import os
import sys

_LOCK_BYTE = 1 << 20  # Windows locks a byte range; lock one far beyond the text so others can read it


def try_lock(fd: int) -> bool:
    """Take an exclusive lock on `fd` without waiting; False when another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt  # Windows only

            os.lseek(fd, _LOCK_BYTE, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl  # POSIX only

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False

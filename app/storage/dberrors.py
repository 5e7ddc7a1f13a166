"""The one database error boundary: what the database driver raises becomes the user's Chinese message.

After qutebrowser's misc/sql.py: a driver error is either *known* — something about the database or the machine
that the user (or the administrator) can act on, which becomes a DatabaseError (exit 2 on the command line, a
message in the window, which lives on) — or a bug, which stays what it is (logged, "internal error"). Known:

- locked / busy: another program holds the write lock longer than the busy timeout (SQLite), a lock or
  serialisation failure or a deadlock (PostgreSQL);
- read-only: the file, its folder or the medium cannot be written, or the server is in read-only mode;
- disk full, I/O error (a pulled USB stick, a failing disk), a file that cannot be opened;
- corrupt, not a database;
- the shared database's connection lost or refused.

`StaleDataError` (SQLAlchemy's optimistic locking: someone saved the same versioned row meanwhile) becomes a
ConflictError, wherever versioned rows are written.

`user_error(exc)` is asked at each face's edge — `app/cli/main.py` for a command, the window's TaskManager and its
exception hook — and also in the middle of a session (a disk fills up while the window is open: the same message).
It imports neither SQLAlchemy nor a PostgreSQL driver: it reads what the exception carries (SQLAlchemy's `.orig`,
sqlite3's error code, psycopg's SQLSTATE), so the command line's start stays light.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from app.errors import ConflictError, DatabaseError, GovDataError

NOT_SAVED = "本次操作未保存，已保存的数据不受影响。"

BUSY = ("数据库正被其他程序占用（写入锁 {seconds} 秒内未释放），" + NOT_SAVED
        + "请关闭正在使用该数据库的其他程序（或等它完成）后重试；只查看数据的命令不受影响。")
READ_ONLY = ("数据库是只读的（文件、所在文件夹或存储介质不允许写入），" + NOT_SAVED
             + "如需修改数据，请让系统管理员恢复写入权限，或把数据库复制到本机可写的位置。")
DISK_FULL = "磁盘空间已满，无法写入数据库，" + NOT_SAVED + "请清理磁盘空间后重试。"
IO_ERROR = ("读写数据库文件时出错（磁盘故障，或存储介质已拔出、文件被移走），" + NOT_SAVED
            + "请检查磁盘后重试，并运行 govdata check 检查数据库。")
CANT_OPEN = "无法打开数据库文件（文件或文件夹不存在、无权访问或已被移走），" + NOT_SAVED
CORRUPT = ("数据库文件已损坏，" + NOT_SAVED + "请运行 govdata check 查看详情，并用最近的备份恢复"
           "（govdata restore 备份文件）。")
NOT_A_DATABASE = "该文件不是本程序的数据库（或已被加密、严重损坏），未作任何改动。"
CONNECTION = ("与共享数据库的连接中断或被拒绝，" + NOT_SAVED + "请检查网络与数据库服务器后重试。")
SERVER_BUSY = ("共享数据库中的同一记录正被其他用户修改（锁等待或事务冲突），" + NOT_SAVED + "请稍后重试。")
SERVER_FULL = "共享数据库服务器的磁盘空间或资源不足，" + NOT_SAVED + "请联系数据库管理员。"
CONFLICT = "该记录已被其他用户修改（在您读取之后），您的修改没有覆盖它，" + NOT_SAVED + "请刷新后重新修改。"

BUSY_SECONDS = 15  # the busy timeout of every SQLite connection (storage.database, storage.readonly)

# SQLite's primary result codes (https://www.sqlite.org/rescode.html); extended codes keep them in their low byte
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_PROTOCOL = 10, 11, 13, 14, 15
SQLITE_NOTADB = 26

MESSAGES = {"busy": BUSY, "server_busy": SERVER_BUSY, "read_only": READ_ONLY, "disk_full": DISK_FULL,
            "server_full": SERVER_FULL, "io_error": IO_ERROR, "cant_open": CANT_OPEN, "corrupt": CORRUPT,
            "not_a_database": NOT_A_DATABASE, "connection": CONNECTION, "conflict": CONFLICT}
_BY_CODE = {
    SQLITE_BUSY: "busy", SQLITE_LOCKED: "busy", SQLITE_PROTOCOL: "busy",
    SQLITE_READONLY: "read_only", SQLITE_PERM: "read_only",
    SQLITE_IOERR: "io_error", SQLITE_FULL: "disk_full", SQLITE_CANTOPEN: "cant_open",
    SQLITE_CORRUPT: "corrupt", SQLITE_NOTADB: "not_a_database",
}
# the same by SQLite's own message, for an error that carries no code (raised by hand, or by an older driver)
_BY_TEXT = (
    ("database is locked", "busy"), ("database table is locked", "busy"), ("database schema is locked", "busy"),
    ("database is busy", "busy"), ("locking protocol", "busy"),
    ("readonly database", "read_only"), ("read-only database", "read_only"),
    ("database or disk is full", "disk_full"), ("disk i/o error", "io_error"),
    ("unable to open database file", "cant_open"),
    ("database disk image is malformed", "corrupt"), ("malformed", "corrupt"),
    ("file is not a database", "not_a_database"), ("file is encrypted or is not a database", "not_a_database"),
)
# PostgreSQL's SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html)
_PG_CODES = {
    "40001": "server_busy", "40P01": "server_busy", "55P03": "server_busy", "57014": "server_busy",
    "25006": "read_only", "53100": "server_full", "58030": "io_error", "XX001": "corrupt", "XX002": "corrupt",
}
_PG_CLASSES = {"08": "connection", "28": "connection", "53": "server_full", "57": "connection"}


# why the record of a read (an export, a verification) could not be written, while the read itself stands
NOT_RECORDED = {
    "read_only": "数据库是只读的（文件、所在文件夹或存储介质不允许写入），本次操作未记入审计日志",
    "busy": f"数据库正被其他程序占用（写入锁 {BUSY_SECONDS} 秒内未释放），本次操作未记入审计日志",
    "server_busy": "共享数据库正忙（锁等待或事务冲突），本次操作未记入审计日志",
    "disk_full": "磁盘空间已满，本次操作未记入审计日志",
    "server_full": "共享数据库服务器的磁盘空间或资源不足，本次操作未记入审计日志",
}


class DatabaseUnavailable(DatabaseError):
    """A known database failure (busy, read-only, full, I/O, corrupt, not a database, connection): `kind` names
    it for code that acts on it (e.g. a read command saying why nothing was recorded)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, the driver error SQLAlchemy wraps (`.orig`), and what it was raised from (`raise … from`;
    not an error merely raised while another was handled: a bug in an except clause stays a bug)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        orig = getattr(e, "orig", None)
        todo.extend([orig if isinstance(orig, BaseException) else None, e.__cause__])


def _is_stale(exc: BaseException) -> bool:
    return type(exc).__name__ == "StaleDataError" and type(exc).__module__.startswith("sqlalchemy")


def _sqlite_kind(exc: BaseException) -> str | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _BY_CODE:
        return _BY_CODE[code & 0xFF]
    text = str(exc).lower()
    return next((kind for needle, kind in _BY_TEXT if needle in text), None)


def _pg_kind(exc: BaseException) -> str | None:
    """psycopg 3 (`sqlstate`) and psycopg2 (`pgcode`); a connection failure carries no SQLSTATE."""
    state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if isinstance(state, str) and state:
        return _PG_CODES.get(state) or _PG_CLASSES.get(state[:2])
    if type(exc).__name__ == "OperationalError" and type(exc).__module__.startswith(("psycopg", "psycopg2")):
        return "connection"
    return None


def classify(exc: BaseException) -> str | None:
    """The kind of a known database failure ('busy', 'read_only', 'disk_full', 'io_error', 'corrupt',
    'not_a_database', 'connection', 'conflict', …: the keys of MESSAGES), or None."""
    if isinstance(exc, DatabaseUnavailable):
        return exc.kind
    for e in _chain(exc):
        if _is_stale(e):
            return "conflict"
        sqlite3 = sys.modules.get("sqlite3")  # not imported: no SQLite error can exist (and the start stays light)
        found = _sqlite_kind(e) if sqlite3 is not None and isinstance(e, sqlite3.Error) else _pg_kind(e)
        if found is not None:
            return found
    return None


def not_recorded(exc: BaseException) -> str | None:
    """Why the record of a read could not be written, when `exc` is a database that cannot be written now
    (read-only, busy past the timeout, a full disk): the read stands and the face says so. None otherwise."""
    kind = classify(exc)
    return NOT_RECORDED.get(kind) if kind else None


def message(kind: str) -> str:
    return MESSAGES[kind].format(seconds=BUSY_SECONDS)


def user_error(exc: BaseException) -> GovDataError | None:
    """The user's error for `exc`: itself when it already is one, the translation of a known database failure
    (in the middle of a session too), or None (a bug: the caller logs it and apologises)."""
    if isinstance(exc, GovDataError):
        return exc
    kind = classify(exc)
    if kind is None:
        return None
    error: GovDataError = ConflictError(message(kind)) if kind == "conflict" else DatabaseUnavailable(message(kind), kind)
    error.__cause__ = exc
    return error

"""Sign in once at a terminal, not at every command: a short-lived sign-in token in the user's data folder.

After a real sign-in (user name and password, app.services.auth.sign_in: hashed, recorded, lockout counted) the
command line keeps a token, so the next commands of the same person on the same database need no password and pay
no password hashing. A token:

- lives in `<data folder>/signin/` (folder 0700, file 0600: readable by this user only; on Windows the data folder
  is in the user's own profile, %LOCALAPPDATA%, which other users cannot read); a folder that is a link, is owned
  by another user or may be written by others (a data folder set to a shared place) keeps and believes no token;
- is bound to the database (its URL, without any password, and its identity: a digest of its first audit record,
  which the append-only trail keeps and a different database at the same path does not have) and to the account
  (its id and a digest of its current password hash: a password change or reset ends every token of the account);
- carries an HMAC-SM3 under a key derived from a secret of this user's own (`<data folder>/signin/.key`, 0600) and
  the database's identity, so it cannot be made or changed without reading this user's folder;
- expires after `security.idle_lock_minutes` without a command (as the window locks itself), and in any case
  MAX_AGE_S after the sign-in; a clock set back refuses it;
- is refused, and removed, when the account is disabled, locked, must change its password or its password is too
  old: each use reads the account's current row (its roles too, so a role change applies at once);
- is removed by `govdata logout`.

Checking a token reads the database and writes nothing there (a command that only reads needs no write): only the
token file's time of last use is rewritten, in the user's own folder. The window does not use tokens.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from app.domain.actor import Actor
from app.services.quickread import UserRow, settings, user_row
from app.storage import crypto
from app.storage.paths import data_dir
from app.storage.readonly import SqlReader

VERSION = 1
MAX_AGE_S = 8 * 3600  # a working day: then the password again, however busy
CLOCK_SKEW_S = 120
# as app.services.auth.POLICY_DEFAULTS (which imports the ORM; a unit test keeps the two in step)
IDLE_KEY, IDLE_DEFAULT = "security.idle_lock_minutes", 15
MAX_AGE_KEY, MAX_AGE_DEFAULT = "security.password_max_age_days", 90
FOLDER = "signin"
KEY_FILE = ".key"
clock = time.time  # seconds since the epoch (tests move it)


@dataclass(frozen=True)
class Resumed:
    actor: Actor
    idle_minutes: int


def folder() -> Path:
    path = data_dir() / FOLDER
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if sys.platform != "win32" and private(path):
        os.chmod(path, 0o700)
    return path


def private(path: Path) -> bool:
    """The sign-in folder is this user's own: a real folder (not a link to elsewhere) owned by this user, which
    nobody else may write (POSIX; on Windows the profile's folder is the user's). Otherwise no token is kept or
    believed there: whoever owns or may write that folder could read the secret or plant a key of their own."""
    if sys.platform == "win32":
        return True
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o022


def database_key(url: str) -> str:
    """The database's URL as the token names it: no password (a shared database's URL may carry one)."""
    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        netloc = f"{parts.username}@{host}" if parts.username else host
        parts = parts._replace(netloc=netloc)
        return urlunsplit(parts)
    return url


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def token_path(url: str, username: str) -> Path:
    return folder() / f"{_digest(database_key(url))}-{_digest(username)}.json"


def _identity(sql: SqlReader) -> str | None:
    """The database's identity: a digest of its first audit record (id and MAC). The trail is append-only, so it
    stays while the database lives (a backup restored is the same database); another database put at the same path
    has another. None before the first record."""
    row = sql.execute("SELECT id, mac FROM audit_log ORDER BY id LIMIT 1").fetchone()
    if row is None or not row[1]:
        return None
    return crypto.sm3_hex(f"govdata database identity v1|{row[0]}|{row[1]}".encode())[:32]


def _user_key() -> bytes:
    """This user's secret for tokens: 32 random bytes in the sign-in folder (0600), made on first use. A token is
    made or changed only by whoever can read this user's own folder, which holds the tokens themselves."""
    path = folder() / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32))
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except ValueError:
        key = b""
    if len(key) != 32:  # half-written by a process that died: start again (every token becomes invalid)
        path.unlink(missing_ok=True)
        return _user_key()
    return key


def _keys(identity: str) -> bytes:
    """The tokens' MAC key for this database: this user's secret and the database's identity."""
    return crypto.hmac_sm3(_user_key(), f"govdata sign-in token v1|{identity}".encode())


def _mac(key: bytes, token: dict[str, Any], user: UserRow) -> str:
    bound = [token["v"], token["db"], token["db_id"], token["user"], user.id, token["issued"], token["used"],
             token["nonce"], crypto.sm3_hex((user.password_hash or "").encode("utf-8"))]
    return crypto.hmac_sm3(key, json.dumps(bound, ensure_ascii=False).encode("utf-8")).hex()


def _write(path: Path, token: dict[str, Any]) -> None:
    """Replace the file through a temporary one in the same folder (0600 from mkstemp); no fsync: a token lost
    to a power cut only means the password is asked again."""
    fd, tmp = tempfile.mkstemp(prefix=".token.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(token, f)
        if sys.platform != "win32":
            os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _usable(user: UserRow | None, sql: SqlReader, now: float) -> bool:
    """The account may sign in without a password check: active, not locked, no password change due."""
    if user is None or not user.active or user.must_change_password or not user.password_hash:
        return False
    utc_now = _utc(now)
    if user.locked_until is not None and user.locked_until > utc_now:
        return False
    max_age = _int_setting(sql, MAX_AGE_KEY, MAX_AGE_DEFAULT)
    if max_age and user.password_changed_at is not None:
        if (utc_now - user.password_changed_at).total_seconds() >= max_age * 86400:
            return False
    return True


def _utc(now: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(now, dt.UTC).replace(tzinfo=None)  # naive UTC, as the database keeps it


def _int_setting(sql: SqlReader, key: str, default: int) -> int:
    try:
        return max(0, int(settings(sql, (key,)).get(key, default)))
    except ValueError:
        return default


def issue(sql: SqlReader, username: str, now: float | None = None) -> Path | None:
    """After a real sign-in of `username`: keep a token for this database (replacing any). None when the account
    cannot hold one (it must change its password first, or the database has no audit key yet)."""
    now = clock() if now is None else now
    if not private(folder()):
        return None
    user = user_row(sql, username)
    identity = _identity(sql)
    if identity is None or not _usable(user, sql, now):
        return None
    assert user is not None
    key = _keys(identity)
    token: dict[str, Any] = {"v": VERSION, "db": database_key(sql.url), "db_id": identity, "user": username,
                             "issued": int(now), "used": int(now), "nonce": secrets.token_hex(16)}
    token["mac"] = _mac(key, token, user)
    path = token_path(sql.url, username)
    _write(path, token)
    return path


def resume(sql: SqlReader, username: str | None = None, now: float | None = None) -> Resumed | None:
    """The account of a valid token for this database (`username`'s, or when None the only one kept for it), its
    last use moved to now; None when there is none (an expired or invalid one is removed)."""
    now = clock() if now is None else now
    if not private(folder()):
        return None
    if username:
        paths = [token_path(sql.url, username)]
    else:
        paths = sorted(folder().glob(f"{_digest(database_key(sql.url))}-*.json"))
        if len(paths) != 1:
            return None
    path = paths[0]
    try:
        token = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        _remove(path)
        return None
    found = _check(sql, token, username, now)
    if found is None:
        _remove(path)
        return None
    user, key, idle = found
    token["used"] = int(now)
    token["mac"] = _mac(key, token, user)
    _write(path, token)
    return Resumed(user.actor(), idle)


def _check(sql: SqlReader, token: Any, username: str | None,
           now: float) -> tuple[UserRow, bytes, int] | None:
    if not isinstance(token, dict) or token.get("v") != VERSION:
        return None
    if not all(isinstance(token.get(k), t) for k, t in (("db", str), ("db_id", str), ("user", str), ("issued", int),
                                                         ("used", int), ("nonce", str), ("mac", str))):
        return None
    if token["db"] != database_key(sql.url) or (username and token["user"] != username):
        return None
    identity = _identity(sql)
    if identity is None:
        return None
    key = _keys(identity)
    user = user_row(sql, token["user"])
    if user is None or not crypto.constant_time_equal(identity, token["db_id"]):
        return None
    if not crypto.constant_time_equal(_mac(key, token, user), token["mac"]):
        return None
    idle = _int_setting(sql, IDLE_KEY, IDLE_DEFAULT)
    if token["used"] > now + CLOCK_SKEW_S or token["issued"] > now + CLOCK_SKEW_S:
        return None  # the clock was set back: the idle time cannot be known
    if now - token["issued"] > MAX_AGE_S or (idle and now - token["used"] > idle * 60):
        return None
    if not _usable(user, sql, now):
        return None
    return user, key, idle


def kept(url: str, username: str) -> bool:
    """Whether a token of `username` for this database is kept (in a folder that is this user's own)."""
    return private(folder()) and token_path(url, username).exists()


def _remove(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False


def remove(url: str, username: str | None = None) -> int:
    """`govdata logout`: remove this database's token of `username` (None: of every account). How many went."""
    if username:
        return int(_remove(token_path(url, username)))
    return sum(_remove(p) for p in folder().glob(f"{_digest(database_key(url))}-*.json"))


def remove_all() -> int:
    """`govdata logout --all`: every token of this user, whatever the database, and the secret they were made with
    (a copy of a token kept elsewhere is worthless from then on)."""
    removed = sum(_remove(p) for p in folder().glob("*.json"))
    _remove(folder() / KEY_FILE)
    return removed

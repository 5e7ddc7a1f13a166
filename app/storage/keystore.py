"""What the PC remembers (last user name, the shared database's password, the backup key) in the OS keyring.

Where the OS has no keyring backend, nothing is stored anywhere else (never a secret in plain text):
`get` returns None, `put` returns False, and `absence_notice()` gives the one-time message to show the user,
who is then asked each time. No keyring error ever reaches the user as a crash.

The audit chain's key is the one exception (`get_key` / `put_key`): every change is signed with it, so it cannot
be asked for each time. It lives in the OS keyring (Windows Credential Manager, the Secret Service of UOS/Kylin's
desktop) when there is one; otherwise — a PC with no desktop keyring (`keyring.backends.fail.Keyring`), or when
GOVDATA_KEYSTORE names a folder — in a key file in `<data folder>/keys` (or that folder), readable only by the OS
account that runs the program (0600 in a 0700 folder). What protects it there is the OS account alone: anyone who
can log in as that user, or as an administrator of the PC, can read it. Never in the database, never in a backup,
and never through keyrings.alt (plain base64). See README, "The audit key".
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from app.errors import DatabaseError
from app.storage import fileio
from app.storage.paths import data_dir

SERVICE = "govdata"
LAST_USER = "last-user"
DB_PASSWORD = "db-password:{url}"
BACKUP_KEY = "backup-key"
AUDIT_KEY = "audit-key-{key_id}"
KEYSTORE_ENV = "GOVDATA_KEYSTORE"  # a folder: keep keys there (tests; a PC whose policy forbids the OS keyring)

_noticed = False


def _warn(message: str, *args: object) -> None:
    """Log a keyring failure with its exception (a function-level import: logging costs every command's start
    ≈ 8 ms, and only these failures use it)."""
    import logging

    logging.getLogger(__name__).warning(message, *args, exc_info=True)


def _keyring():
    try:
        import keyring  # 0.2 s: only when a secret is asked for

        return keyring
    except Exception:
        _warn("keyring cannot be imported")
        return None


def available() -> bool:
    """True when a real OS keyring backend is in use (not the fail backend, not a plain-text one)."""
    kr = _keyring()
    if kr is None:
        return False
    try:
        backend = kr.get_keyring()
    except Exception:  # noqa: BLE001
        return False
    mod = type(backend).__module__
    if mod.startswith(("keyring.backends.fail", "keyrings.alt")):  # keyrings.alt: plain base64
        return False
    return not (type(backend).__name__ == "ChainerBackend" and not getattr(backend, "backends", None))


def get(name: str) -> str | None:
    if not available():
        return None
    try:
        return _keyring().get_password(SERVICE, name)
    except Exception:
        _warn("keyring read failed for %s", name)
        return None


def put(name: str, value: str) -> bool:
    """Store a secret; False (and nothing written anywhere) when there is no keyring."""
    if not available():
        return False
    try:
        _keyring().set_password(SERVICE, name, value)
        return True
    except Exception:
        _warn("keyring write failed for %s", name)
        return False


def delete(name: str) -> bool:
    if not available():
        return False
    try:
        _keyring().delete_password(SERVICE, name)
        return True
    except Exception:  # noqa: BLE001 - e.g. PasswordDeleteError when nothing was stored
        return False


def absence_notice() -> str | None:
    """The message to show once per run when there is no keyring; None when there is one or it was shown."""
    global _noticed
    if available() or _noticed:
        return None
    _noticed = True
    return "本机没有可用的系统密钥环，程序不会保存口令和密钥，需要时将每次询问。"


def reset_notice() -> None:
    global _noticed
    _noticed = False


# ---------------------------------------------------------------- keys that must be at hand (the audit key)

def key_folder() -> Path:
    """Where key files live when the OS keyring is not used: GOVDATA_KEYSTORE, else <data folder>/keys."""
    env = os.environ.get(KEYSTORE_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / "keys"


def _key_file(name: str) -> Path:
    safe = "".join(c for c in name if c.isalnum() or c in "-_")
    return key_folder() / f"{safe}.key"


def _use_keyring() -> bool:
    return not os.environ.get(KEYSTORE_ENV) and available()


def key_location() -> str:
    """Where `put_key` stores, in words for the user."""
    if _use_keyring():
        return "系统密钥环"
    return f"本机密钥文件夹 {key_folder()}（仅本机当前系统账户可读）"


def get_key(name: str) -> str | None:
    """A key by name: the OS keyring first (unless GOVDATA_KEYSTORE is set), then the key file."""
    if _use_keyring():
        value = get(name)
        if value:
            return value
    return get_key_file(name)


def get_key_file(name: str) -> str | None:
    """A key by name from its key file only (None when there is none): a caller that checks what it gets (the audit
    key's check value) asks here first and spares a command the keyring's 0.2 s load on a PC that keeps key files."""
    path = _key_file(name)
    try:
        value = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    fileio.protect(path, "审计密钥文件")
    return value or None


def put_key(name: str, value: str) -> str:
    """Store a key; returns where (key_location()). Raises KeyStoreError when it cannot be stored anywhere."""
    if _use_keyring() and put(name, value) and get(name) == value:
        return key_location()
    folder = key_folder()
    path = _key_file(name)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if sys.platform != "win32":
            os.chmod(folder, 0o700)
        fileio.write_text(path, value)  # mkstemp: created 0600
        if sys.platform != "win32":
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    except (OSError, fileio.FileWriteError) as exc:
        raise KeyStoreError(f"无法保存审计密钥（{folder}）：{exc}") from None
    fileio.protect(path, "审计密钥文件")
    return f"本机密钥文件 {path}（仅本机当前系统账户可读）"


def delete_key(name: str) -> None:
    if _use_keyring():
        delete(name)
    try:
        _key_file(name).unlink()
    except OSError:
        pass


class KeyStoreError(DatabaseError):
    """A key could not be stored (no keyring and the key folder is not writable)."""

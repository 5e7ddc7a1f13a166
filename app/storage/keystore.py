"""What the PC remembers (last user name, the shared database's password, the backup key) in the OS keyring.

Where the OS has no keyring backend, nothing is stored anywhere else (never a secret in plain text):
`get` returns None, `put` returns False, and `absence_notice()` gives the one-time message to show the user,
who is then asked each time. No keyring error ever reaches the user as a crash.
"""

from __future__ import annotations

import logging

SERVICE = "govdata"
LAST_USER = "last-user"
DB_PASSWORD = "db-password:{url}"
BACKUP_KEY = "backup-key"

log = logging.getLogger(__name__)
_noticed = False


def _keyring():
    try:
        import keyring  # 0.2 s: only when a secret is asked for

        return keyring
    except Exception:
        log.warning("keyring cannot be imported", exc_info=True)
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
        log.warning("keyring read failed for %s", name, exc_info=True)
        return None


def put(name: str, value: str) -> bool:
    """Store a secret; False (and nothing written anywhere) when there is no keyring."""
    if not available():
        return False
    try:
        _keyring().set_password(SERVICE, name, value)
        return True
    except Exception:
        log.warning("keyring write failed for %s", name, exc_info=True)
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

"""What this PC remembers for the window, in the OS keyring (app.storage.keystore: Windows Credential Manager, the
Secret Service on UOS/Kylin): the shared database's password and the last user name. Where the OS has no keyring,
nothing is stored anywhere: the password is asked at each start (the dialog says why, once) and the user name is
typed. A keyring that fails never stops the program.

All calls here may take a moment (keyring loads in 0.2 s, the Secret Service answers over D-Bus): the window makes
them on the worker thread.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit, urlunsplit

from app.storage import keystore


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password or None). SQLite paths have none."""
    if not url.startswith("postgresql"):
        return url, None
    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    user = parts.username or ""
    host = parts.hostname or ""
    netloc = f"{user}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), unquote(parts.password)


def with_password(url: str, password: str) -> str:
    head, tail = url.split("@", 1)
    return f"{head}:{quote(password, safe='')}@{tail}"


def needs_password(url: str | None) -> bool:
    """A shared database named without its password (the address kept in ui.ini never holds one)."""
    return bool(url) and str(url).startswith("postgresql") and "@" in str(url) and split_password(str(url))[1] is None


def _key(url: str) -> str:
    return keystore.DB_PASSWORD.format(url=split_password(url)[0])


def remembered_password(url: str) -> str | None:
    return keystore.get(_key(url))


def remember_password(url: str) -> bool:
    """After a successful connection: keep the password of `url` (which holds it) for the next start."""
    bare, password = split_password(url)
    return bool(password) and keystore.put(_key(bare), password or "")


def forget_password(url: str) -> bool:
    return keystore.delete(_key(url))


def fill_password(url: str | None) -> tuple[str | None, bool]:
    """(the URL to connect with, whether its password came from the keyring)."""
    if url is None or not needs_password(url):
        return url, False
    password = remembered_password(url)
    return (with_password(url, password), True) if password else (url, False)


def is_auth_failure(exc: BaseException) -> bool:
    """Did the server refuse the password (so a remembered one is wrong)?"""
    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen).lower()
        if "password authentication failed" in text or "no password supplied" in text or "口令" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def last_user() -> str | None:
    return keystore.get(keystore.LAST_USER)


def remember_user(username: str) -> bool:
    return keystore.put(keystore.LAST_USER, username)


def keyring_notice() -> str | None:
    """Once per run, when the PC has no keyring: why the password is asked each time."""
    return keystore.absence_notice()

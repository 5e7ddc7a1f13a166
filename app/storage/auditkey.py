"""The audit chain's key, out of the database.

The database holds only which key signs its trail (audit_keys: a random key id, a check value, and optionally the
key wrapped under the administrators' passphrase). The key itself is on each PC that writes: in the OS keyring, or
the documented key file (app.storage.keystore). So a copy of the database file, or of a backup, is not enough to
forge, re-chain or truncate and re-sign the trail.

- A new database gets its key at the first audit record (SQLite: this PC's keyring; PostgreSQL: the same, and the
  administrators wrap it with `govdata security key wrap` so that every other PC can `security key unlock` it).
- A database made before this (the key in audit_anchor row 0) has it moved to the keyring on upgrade, and the row
  cleared (`migrate_legacy_key`, run by open_database).
- A PC without the key may read but not write: AuditKeyMissing says how to unlock it. If the key is lost for good,
  `security key new` starts a new key; the records signed with the lost one are then reported as unverifiable.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import DatabaseError, InputError
from app.models import AuditAnchor, AuditKey, AuditRecord
from app.models.base import utcnow
from app.storage import crypto, keystore
from app.storage.chain import CHECK_LABEL, KEY_CACHE, LEGACY_KEY_ROW, check_value, held_key

_KEYS = KEY_CACHE  # key id -> key, for this process (app.storage.chain keeps it: its sqlite3 append reads it too)
__all__ = ["CHECK_LABEL", "LEGACY_KEY_ROW", "AuditKeyMissing", "KeyStatus", "check_value", "create_key", "current",
           "forget_cached", "key_of", "keys", "migrate_legacy_key", "missing_message", "replace_lost", "signing_key",
           "status", "unlock", "verification_keys", "wrap"]


class AuditKeyMissing(DatabaseError):
    """This PC does not hold the key that signs this database's audit trail."""


@dataclass(frozen=True)
class KeyStatus:
    key_id: str | None
    present: bool  # this PC holds it
    wrapped: bool  # the administrators' copy is in the database
    location: str  # where this PC keeps it (or would)
    legacy: bool  # still in audit_anchor row 0 (before migration)
    retired: int  # earlier keys replaced by `security key new`


def _name(key_id: str) -> str:
    return keystore.AUDIT_KEY.format(key_id=key_id)


def keys(session: Session) -> list[AuditKey]:
    """Every key the trail has had, oldest first (the last is the current one)."""
    return list(session.scalars(select(AuditKey).order_by(AuditKey.id)))


def current(session: Session) -> AuditKey | None:
    return session.scalar(select(AuditKey).where(AuditKey.retired_at.is_(None)).order_by(AuditKey.id.desc()))


def key_of(row: AuditKey) -> bytes | None:
    """This PC's copy of the key of `row` (None when this PC does not hold it, or holds a different one)."""
    return held_key(row.key_id, row.check)


def _store(key_id: str, key: bytes) -> str:
    where = keystore.put_key(_name(key_id), key.hex())
    _KEYS[key_id] = key
    return where


def _legacy_row(session: Session) -> AuditAnchor | None:
    row = session.get(AuditAnchor, LEGACY_KEY_ROW)
    return row if row is not None and row.head_mac else None


def migrate_legacy_key(session: Session) -> bool:
    """Move a key kept in audit_anchor row 0 (databases made before 0.4) to this PC's keyring and clear the row.
    The caller commits. True when a key was moved."""
    row = _legacy_row(session)
    if row is None:
        return False
    key = bytes.fromhex(row.head_mac or "")
    if current(session) is None:
        key_id = secrets.token_hex(16)
        _store(key_id, key)
        session.add(AuditKey(key_id=key_id, check=check_value(key), first_id=1, created_at=utcnow()))
    row.head_mac = None  # the anchor's triggers allow this: count and last_id do not move
    session.flush()
    return True


def _is_new(session: Session) -> bool:
    """A database with no trail yet: no record, no anchor, no earlier key."""
    return (session.scalar(select(AuditRecord.id).limit(1)) is None
            and session.get(AuditAnchor, 1) is None and session.scalar(select(AuditKey.id).limit(1)) is None)


def create_key(session: Session, first_id: int = 1) -> tuple[AuditKey, bytes]:
    """A new random key, stored on this PC first, then named in the database (the caller commits)."""
    key = secrets.token_bytes(32)
    key_id = secrets.token_hex(16)
    _store(key_id, key)
    row = AuditKey(key_id=key_id, check=check_value(key), first_id=first_id, created_at=utcnow())
    session.add(row)
    session.flush()
    return row, key


def missing_message(row: AuditKey) -> str:
    hint = ("请系统管理员或安全管理员在本机执行 govdata security key unlock，输入审计密钥口令"
            if row.wrapped else
            "该数据库的审计密钥尚未用管理员口令保护，只能在原来的电脑上使用；若原电脑已无法使用，"
            "请安全管理员执行 govdata security key new 启用新密钥（此前的记录将标为无法核验）")
    return (f"本机没有这个数据库的审计密钥（编号 {row.key_id[:8]}），不能写入（每项改动都要签入审计记录）；"
            f"查询不受影响。{hint}。")


def signing_key(session: Session) -> tuple[AuditKey, bytes, list[str], bool]:
    """The current key for appending, creating it for a new database. Returns (row, key, problems, created):
    problems name a trail whose key record was missing although records exist (an emptied or replaced key table).
    Raises AuditKeyMissing when this PC does not hold the key."""
    migrate_legacy_key(session)
    row = current(session)
    if row is not None:
        key = key_of(row)
        if key is None:
            raise AuditKeyMissing(missing_message(row))
        return row, key, [], False
    problems = [] if _is_new(session) else ["审计密钥记录缺失而审计记录或锚点仍在（密钥记录被删除），已启用新密钥"]
    next_id = (session.scalar(select(func.max(AuditRecord.id))) or 0) + 1
    row, key = create_key(session, first_id=next_id)
    return row, key, problems, True


def verification_keys(session: Session) -> list[tuple[AuditKey, bytes | None]]:
    """Each key with the first record it signs, and this PC's copy (None when not held), oldest first."""
    legacy = _legacy_row(session)
    rows = keys(session)
    if not rows and legacy is not None:  # a database made before 0.4, opened where it could not be migrated
        key = bytes.fromhex(legacy.head_mac or "")
        return [(AuditKey(key_id="legacy", check=check_value(key), first_id=1), key)]
    return [(r, key_of(r)) for r in rows]


def status(session: Session) -> KeyStatus:
    row = current(session)
    legacy = _legacy_row(session) is not None
    retired = sum(1 for r in keys(session) if r.retired_at is not None)
    if row is None:
        return KeyStatus(None, legacy, False, keystore.key_location(), legacy, retired)
    return KeyStatus(row.key_id, key_of(row) is not None, bool(row.wrapped), keystore.key_location(), legacy,
                     retired)


def _passphrase_ok(passphrase: str) -> str:
    if not isinstance(passphrase, str) or len(passphrase) < crypto.MIN_PASSPHRASE:
        raise InputError(f"审计密钥口令至少 {crypto.MIN_PASSPHRASE} 个字符。")
    return passphrase


def wrap(session: Session, passphrase: str) -> AuditKey:
    """Keep the current key in the database wrapped under the administrators' passphrase (the caller commits)."""
    _passphrase_ok(passphrase)
    row, key, _, _ = signing_key(session)
    row.wrapped = crypto.wrap_secret(key, passphrase, row.key_id.encode("ascii"))
    row.wrapped_at = utcnow()
    session.flush()
    return row


def unlock(session: Session, passphrase: str) -> tuple[AuditKey, str]:
    """Unwrap the database's key with the passphrase and keep it on this PC. Returns the row and where it is kept."""
    row = current(session)
    if row is None:
        raise InputError("该数据库还没有审计密钥，无需解锁（第一次写入时自动生成）。")
    if not row.wrapped:
        raise InputError("该数据库的审计密钥没有用管理员口令保护的副本，无法在本机解锁；"
                         "请在原来的电脑上执行 govdata security key wrap。")
    key = crypto.unwrap_secret(row.wrapped, passphrase, row.key_id.encode("ascii"))
    if not crypto.constant_time_equal(check_value(key), row.check):
        raise DatabaseError("解开的密钥与数据库记载的校验值不符（密钥副本被改动），未保存。")
    return row, _store(row.key_id, key)


def replace_lost(session: Session) -> tuple[AuditKey, AuditKey]:
    """Start a new key when the current one is lost for good (the caller records this and commits). Refused while
    this PC still holds the current key. Returns (old, new)."""
    old = current(session)
    if old is None:
        raise InputError("该数据库还没有审计密钥（第一次写入时自动生成）。")
    if key_of(old) is not None:
        raise InputError("本机持有当前的审计密钥，无需更换。")
    old.retired_at = utcnow()
    next_id = (session.scalar(select(func.max(AuditRecord.id))) or 0) + 1
    new, _key = create_key(session, first_id=next_id)
    return old, new


def forget_cached() -> None:
    """Drop the process's copies (tests; after `security key` changes on another PC)."""
    _KEYS.clear()

"""Accounts, password history, the audit anchor and printed-form records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamped, Versioned, utcnow


class User(Timestamped, Versioned, Base):
    """An account. `roles` is a comma-separated list of role keys (app.domain.vocabulary.ROLE_LABELS)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(64))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    roles: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(Text)  # scheme$params$salt$hash
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PasswordHistory(Base):
    __tablename__ = "password_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    password_hash: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditAnchor(Base):
    """The latest count and chain head of the audit trail, kept apart from audit_log (truncation detection)."""

    __tablename__ = "audit_anchor"
    id: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)
    head_mac: Mapped[str | None] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))  # MAC over (count, last_id, head_mac)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditKey(Base):
    """Which key signs the audit chain, never the key itself (that lives in the OS keyring of each PC, or the
    documented fallback: app.storage.keystore). `check` is HMAC-SM3(key, "govdata audit key check v1"), so a PC
    can tell its copy is the right one; `wrapped` is the key SM4-GCM-encrypted under the administrators'
    passphrase (PBKDF2-SM3), for another PC or a restored backup (`govdata security key unlock`)."""

    __tablename__ = "audit_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    check: Mapped[str] = mapped_column(String(64))
    wrapped: Mapped[str | None] = mapped_column(Text)
    wrapped_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    first_id: Mapped[int] = mapped_column(BigInteger, default=1)  # the first audit record this key signs
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # replaced by `security key new`


class PrintedForm(Base):
    """Every printed form: its serial, what it showed (JSON snapshot) and the SM3 digest in its QR code."""

    __tablename__ = "printed_forms"
    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    printed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    printed_by: Mapped[str | None] = mapped_column(String(64))

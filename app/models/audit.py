"""The audit trail: one row per action (who, when, where, what, outcome, before/after).

Rows are appended only. The chain columns (prev_mac, mac) make it tamper-evident (HMAC-SM3).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class AuditRecord(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user: Mapped[str] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(32))
    host: Mapped[str | None] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(16), default="ok")  # ok refused failed
    detail: Mapped[str | None] = mapped_column(Text)  # JSON: before/after values, message
    prev_mac: Mapped[str | None] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))

"""Appending audit records. Every change goes through `append`, in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.db import HOST, Actor
from app.models import AuditRecord


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def append(session: Session, actor: Actor, action: str, object_type: str | None = None,
           object_id: object = None, detail: dict | None = None, outcome: str = "ok") -> AuditRecord:
    record = AuditRecord(
        user=actor.username,
        role=actor.role,
        host=HOST,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        outcome=outcome,
        detail=json.dumps(_jsonable(detail), ensure_ascii=False, sort_keys=True) if detail else None,
    )
    session.add(record)
    session.flush()
    return record

"""The audit chain: append a record in the same transaction as the change, and verify the chain.

Each record holds the MAC of the one before (prev_mac) and an HMAC-SM3 over its own content and prev_mac
(mac); the anchor (audit_anchor row 1: count, last id, head MAC, and its own MAC) lives apart from the
table, so changing, deleting, inserting, swapping or re-chaining a record and truncating the end are all
detected. The chain's master key is kept in audit_anchor row 0, out of the settings (a certified crypto
module can keep it instead: see app.storage.crypto); whoever holds both the file and the key can forge, so the
trail proves integrity against edits made without the program, and the triggers stop the program's own.
Records are appended only: the database refuses UPDATE and DELETE on audit_log (migration 0002).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.domain.actor import Actor
from app.models import AuditAnchor, AuditRecord
from app.models.base import utcnow
from app.storage import crypto

HOST = socket.gethostname()
KEY_ROW_ID = 0
GENESIS = "0" * 64
ANCHOR_ID = 1
_CACHE = "govdata.audit_chain"

# the columns that the MAC covers, in order (prev_mac last); `mac` itself follows in row tuples
COLUMNS = ("id", "at", "user", "role", "host", "action", "object_type", "object_id", "outcome", "detail",
           "prev_mac")


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


# ---------------------------------------------------------------- pure chain functions

MacFn = Callable[[bytes], bytes]


def chain_macfn(master_key: bytes) -> MacFn:
    """The MAC function of the chain: HMAC-SM3 under a key derived from the stored master key."""
    return crypto.hmac_sm3_keyed(crypto.hmac_sm3(master_key, b"govdata audit chain v1"))


def canonical(fields: Sequence[Any]) -> bytes:
    """The exact bytes a record's MAC covers: id, time (microseconds), text fields, prev_mac."""
    at = fields[1]
    values = [fields[0], at.isoformat(sep=" ", timespec="microseconds") if at is not None else None,
              *fields[2:11]]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def record_mac(macfn: MacFn, fields: Sequence[Any]) -> str:
    return macfn(canonical(fields)).hex()


def anchor_mac(macfn: MacFn, count: int, last_id: int, head_mac: str | None) -> str:
    return macfn(f"anchor|{count}|{last_id}|{head_mac or GENESIS}".encode()).hex()


@dataclass(frozen=True)
class AnchorState:
    count: int
    last_id: int
    head_mac: str | None
    mac: str | None


@dataclass
class ChainReport:
    """The result of a verification. `first_broken` is the id of the first broken record (None when none)."""

    checked: int = 0
    first_broken: int | None = None
    problems: list[str] = field(default_factory=list)
    broken_ids: list[int] = field(default_factory=list)
    last_id: int = 0
    head_mac: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return f"审计记录完整：共 {self.checked} 条，校验链和锚点均正确。"
        first = f"第一条异常记录：#{self.first_broken}。" if self.first_broken is not None else ""
        return f"审计记录异常（共检查 {self.checked} 条）：{first}" + "；".join(self.problems[:5]) + (
            f"；另有 {len(self.problems) - 5} 处异常" if len(self.problems) > 5 else "")


def verify_rows(rows: Iterable[Sequence[Any]], macfn: MacFn, anchor: AnchorState | None,
                start_prev: str = GENESIS) -> ChainReport:
    """Check rows (COLUMNS + mac, in id order) against the chain and the anchor. Never stops at the first fault."""
    report = ChainReport()
    expected_prev = start_prev
    last_id = -1

    def broken(rid: int, why: str) -> None:
        if report.first_broken is None:
            report.first_broken = rid
        if not report.broken_ids or report.broken_ids[-1] != rid:
            report.broken_ids.append(rid)
        report.problems.append(f"记录 #{rid} {why}")

    for row in rows:
        rid, prev, mac = row[0], row[10], row[11]
        report.checked += 1
        if rid <= last_id:
            broken(rid, "编号顺序异常")
        last_id = rid
        if prev != expected_prev:
            broken(rid, "与前一条记录衔接不上（前面的记录被删除、插入、调换或改动）")
        if mac is None or not crypto.constant_time_equal(record_mac(macfn, row), mac):
            broken(rid, "内容与校验值不符（记录被改动或伪造）")
        expected_prev = mac or ""
    report.last_id = max(last_id, 0)
    report.head_mac = expected_prev
    if anchor is None:
        if report.checked:
            report.problems.append("审计锚点缺失（锚点被删除）")
        return report
    if anchor.mac is None or not crypto.constant_time_equal(
            anchor_mac(macfn, anchor.count, anchor.last_id, anchor.head_mac), anchor.mac):
        report.problems.append("审计锚点的校验值不符（锚点被改动）")
    count = report.checked
    if anchor.count > count:
        report.problems.append(f"末尾缺少 {anchor.count - count} 条记录（锚点记载 {anchor.count} 条，现存 {count} 条）")
    elif anchor.count < count:
        report.problems.append(f"比锚点记载多出 {count - anchor.count} 条记录（锚点记载 {anchor.count} 条）")
    if report.checked and (anchor.last_id != report.last_id or (anchor.head_mac or GENESIS) != report.head_mac):
        report.problems.append(f"链头与锚点不符（锚点记载最后一条为 #{anchor.last_id}，现为 #{report.last_id}）")
    return report


# ---------------------------------------------------------------- keys and the anchor

def chain_key(session: Session, create: bool = True) -> bytes | None:
    """The chain's master key: anchor row 0 (outside settings, so no settings screen shows or changes it)."""
    row = session.get(AuditAnchor, KEY_ROW_ID)
    if row is None:
        if not create:
            return None
        row = AuditAnchor(id=KEY_ROW_ID, count=0, last_id=0, head_mac=secrets.token_hex(32), mac=None,
                          updated_at=utcnow())
        session.add(row)
        session.flush()
    return bytes.fromhex(row.head_mac or "")


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_CACHE, None)


event.listen(Session, "after_commit", _forget)
event.listen(Session, "after_soft_rollback", _forget)


def _chain_state(session: Session) -> tuple[AuditAnchor, MacFn]:
    cached = session.info.get(_CACHE)
    if cached is not None:
        return cached
    key = chain_key(session)
    assert key is not None
    macfn = chain_macfn(key)
    # FOR UPDATE: on PostgreSQL concurrent writers take turns; on SQLite write transactions are IMMEDIATE.
    anchor = session.get(AuditAnchor, ANCHOR_ID, with_for_update=True, populate_existing=True)
    if anchor is None:
        anchor = AuditAnchor(id=ANCHOR_ID, count=0, last_id=0, head_mac=GENESIS,
                             mac=anchor_mac(macfn, 0, 0, GENESIS), updated_at=utcnow())
        session.add(anchor)
    session.info[_CACHE] = (anchor, macfn)
    return anchor, macfn


def append(session: Session, actor: Actor, action: str, object_type: str | None = None,
           object_id: object = None, detail: dict | None = None, outcome: str = "ok") -> AuditRecord:
    """Append one chained record and move the anchor, in the caller's transaction (no flush of its own)."""
    anchor, macfn = _chain_state(session)
    fields = [
        anchor.last_id + 1, utcnow(), actor.username, actor.role, HOST, action, object_type,
        None if object_id is None else str(object_id), outcome,
        json.dumps(_jsonable(detail), ensure_ascii=False, sort_keys=True) if detail else None,
        anchor.head_mac or GENESIS,
    ]
    mac = record_mac(macfn, fields)
    record = AuditRecord(**dict(zip(COLUMNS, fields, strict=True)), mac=mac)
    session.add(record)
    anchor.count += 1
    anchor.last_id = record.id
    anchor.head_mac = mac
    anchor.mac = anchor_mac(macfn, anchor.count, anchor.last_id, mac)
    anchor.updated_at = record.at
    return record


# ---------------------------------------------------------------- verify the database

def _anchor_state(session: Session) -> AnchorState | None:
    a = session.get(AuditAnchor, ANCHOR_ID, populate_existing=True)
    return None if a is None else AnchorState(a.count, a.last_id, a.head_mac, a.mac)


def row_columns() -> list[Any]:
    t = AuditRecord.__table__.c
    return [t[c] for c in COLUMNS] + [t.mac]


def verify(session: Session) -> ChainReport:
    """Verify the whole trail in the database against its chain and anchor."""
    key = chain_key(session, create=False)
    anchor = _anchor_state(session)
    if key is None:
        report = ChainReport()
        any_row = session.execute(select(AuditRecord.id).limit(1)).first()
        if any_row is not None or anchor is not None:
            report.problems.append("审计校验密钥缺失，无法核验（密钥被删除）")
        return report
    rows = session.execute(select(*row_columns()).order_by(AuditRecord.id).execution_options(yield_per=5000))
    return verify_rows(rows, chain_macfn(key), anchor)

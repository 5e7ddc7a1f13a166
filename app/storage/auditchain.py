"""The audit chain: append a record in the same transaction as the change, and verify the chain.

Each record holds the MAC of the one before (prev_mac) and an HMAC-SM3 over its own content and prev_mac
(mac); the anchor (audit_anchor row 1: count, last id, head MAC, and its own MAC) lives apart from the
table, so changing, deleting, inserting, swapping or re-chaining a record and truncating the end are all
detected. The chain's key is not in the database (app.storage.auditkey: the OS keyring of each PC), so the file
or a backup alone is not enough to forge; the triggers stop the program's own edits (migration 0002).

Before the chain grows, the anchor is checked (its MAC, and that it names the table's real last record): a reset
anchor, a deleted tail, an inserted row or an emptied table is never signed over as sound. The program goes on
(a damaged trail must not stop the office's work) and its first record is a chain-break record saying what it
found, which `verify` reports from then on. External anchors (the chain head the auditor keeps on paper or a stick,
`head()` / `check_head()`) catch what the database alone cannot: a trail emptied together with its key records.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.domain.actor import Actor
from app.models import AuditAnchor, AuditRecord
from app.models.base import utcnow
from app.storage import auditkey, crypto
from app.storage.chain import (  # the chain's pure parts, shared with the sqlite3 append and verify (app.storage.chain)
    ANCHOR_ID,
    BREAK_ACTION,
    COLUMNS,
    GENESIS,
    HOST,
    PROGRESS_STEP,
    SELECT_ROWS,
    AnchorState,
    ChainReport,
    MacFn,
    _jsonable,
    anchor_mac,
    anchor_problems,
    at_text,
    canonical,
    chain_macfn,
    detail_json,
    record_mac,
    verify_keyed,
    verify_rows,
)

# the pure parts live in app.storage.chain (no SQLAlchemy): named here too, where callers find them
__all__ = ["ANCHOR_ID", "BREAK_ACTION", "COLUMNS", "GENESIS", "HOST", "PROGRESS_STEP", "AnchorState", "ChainReport", "MacFn",
           "_jsonable", "anchor_mac", "append", "at_text", "canonical", "chain_key", "chain_macfn", "record_mac",
           "row_columns", "verify", "verify_rows"]
_CACHE = "govdata.audit_chain"


# ---------------------------------------------------------------- the anchor, checked before the chain grows

def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_CACHE, None)


event.listen(Session, "after_commit", _forget)
event.listen(Session, "after_soft_rollback", _forget)


@dataclass
class _ChainState:
    anchor: AuditAnchor
    macfn: MacFn
    problems: list[str]  # a damaged trail found before this transaction's first record: written as a break record
    found: dict


def _tail(session: Session) -> tuple[int, str | None] | None:
    row = session.execute(select(AuditRecord.id, AuditRecord.mac).order_by(AuditRecord.id.desc()).limit(1)).first()
    return None if row is None else (int(row[0]), row[1])


def _chain_state(session: Session) -> _ChainState:
    """The anchor, locked, and checked against its MAC and the table's real tail before anything is signed.

    A broken anchor is never signed again as if it were sound (a reset anchor, a deleted tail, an inserted row, an
    emptied table): the program goes on from the real tail, but the first record it writes is a chain-break record
    naming what it found, so `verify` reports the damage for good and the work of the day is not stopped."""
    cached = session.info.get(_CACHE)
    if cached is not None:
        return cached
    key_row, key, problems, created = auditkey.signing_key(session)
    macfn = chain_macfn(key)
    # FOR UPDATE: on PostgreSQL concurrent writers take turns; on SQLite write transactions are IMMEDIATE.
    anchor = session.get(AuditAnchor, ANCHOR_ID, with_for_update=True, populate_existing=True)
    tail = _tail(session)
    found: dict = {"tail_id": tail[0] if tail else None}
    if anchor is None:
        if tail is not None:
            problems.append(f"审计锚点缺失（锚点被删除），而审计记录现存至 #{tail[0]}")
        elif not created and not problems:
            problems.append("审计锚点和审计记录都不见了，而该数据库早已启用审计密钥（审计记录被清空）")
        anchor = AuditAnchor(id=ANCHOR_ID, count=0, last_id=0, head_mac=GENESIS, mac=None, updated_at=utcnow())
        session.add(anchor)
        found["anchor"] = None
    else:
        found["anchor"] = {"count": anchor.count, "last_id": anchor.last_id, "head_mac": anchor.head_mac}
        # after `security key new` the anchor was signed by the lost key until this key's first record
        signed_by_this_key = key_row.first_id <= 1 or key_row.first_id <= (anchor.last_id or 0)
        problems.extend(anchor_problems(macfn, anchor.count, anchor.last_id, anchor.head_mac, anchor.mac, tail,
                                        signed_by_this_key))
    if problems:
        # go on from the real tail; the anchor never moves backwards (its triggers), so ids stay unique
        count = int(session.scalar(select(func.count()).select_from(AuditRecord)) or 0)
        anchor.last_id = max(anchor.last_id or 0, tail[0] if tail else 0)
        anchor.count = max(anchor.count or 0, count)
        anchor.head_mac = (tail[1] or GENESIS) if tail else GENESIS
    state = _ChainState(anchor, macfn, problems, found)
    session.info[_CACHE] = state
    return state


def _append_one(session: Session, state: _ChainState, actor_name: str, role: str | None, action: str,
                object_type: str | None, object_id: object, detail: dict | None, outcome: str) -> AuditRecord:
    anchor, macfn = state.anchor, state.macfn
    fields = [
        anchor.last_id + 1, utcnow(), actor_name, role, HOST, action, object_type,
        None if object_id is None else str(object_id), outcome,
        detail_json(detail),
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


def append(session: Session, actor: Actor, action: str, object_type: str | None = None,
           object_id: object = None, detail: dict | None = None, outcome: str = "ok") -> AuditRecord:
    """Append one chained record and move the anchor, in the caller's transaction (no flush of its own)."""
    state = _chain_state(session)
    if state.problems:
        _append_one(session, state, "system", "system", BREAK_ACTION, "audit_log", None,
                    {"problems": list(state.problems), "found": state.found}, "failed")
        state.problems = []
    return _append_one(session, state, actor.username, actor.role, action, object_type, object_id, detail,
                       outcome)


# the append-only triggers of migration 0002, for a table recreated after it was dropped (database._restore_...)
_APPEND_ONLY = "audit_log is append-only"
_PROTECTION = {
    ("sqlite", "audit_log"): [
        f"CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
        f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END",
        f"CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
        f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"],
    ("sqlite", "audit_anchor"): [
        "CREATE TRIGGER IF NOT EXISTS audit_anchor_no_delete BEFORE DELETE ON audit_anchor "
        "BEGIN SELECT RAISE(ABORT, 'audit_anchor cannot be deleted'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_anchor_no_shrink BEFORE UPDATE ON audit_anchor "
        "WHEN NEW.count < OLD.count OR NEW.last_id < OLD.last_id "
        "BEGIN SELECT RAISE(ABORT, 'audit_anchor cannot move backwards'); END"],
    ("postgresql", "audit_log"): [
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION govdata_audit_append_only()",
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION govdata_audit_append_only()"],
    ("postgresql", "audit_anchor"): [
        "CREATE TRIGGER audit_anchor_forward BEFORE UPDATE OR DELETE ON audit_anchor "
        "FOR EACH ROW EXECUTE FUNCTION govdata_audit_anchor_forward()",
        "CREATE TRIGGER audit_anchor_no_truncate BEFORE TRUNCATE ON audit_anchor "
        "FOR EACH STATEMENT EXECUTE FUNCTION govdata_audit_append_only()"],
}


def protection_sql(dialect: str, table: str) -> list[str]:
    return list(_PROTECTION.get((dialect, table), []))


# ---------------------------------------------------------------- verify the database

def _anchor_state(session: Session) -> AnchorState | None:
    a = session.get(AuditAnchor, ANCHOR_ID, populate_existing=True)
    return None if a is None else AnchorState(a.count, a.last_id, a.head_mac, a.mac)


def row_columns() -> list[Any]:
    t = AuditRecord.__table__.c
    return [t[c] for c in COLUMNS] + [t.mac]


def chain_key(session: Session) -> bytes | None:
    """This PC's copy of the current key (None when it holds none): for signing archives and anchor files."""
    row = auditkey.current(session)
    return None if row is None else auditkey.key_of(row)


def verify(session: Session, progress: Callable[[int, int], None] | None = None) -> ChainReport:
    """Verify the whole trail in the database against its chain, its anchor and the chain-break records.
    `progress(done, total)` is called every PROGRESS_STEP records (it may raise to stop: nothing is reported)."""
    keys = auditkey.verification_keys(session)
    anchor = _anchor_state(session)
    if not keys:
        report = ChainReport()
        any_row = session.execute(select(AuditRecord.id).limit(1)).first()
        if any_row is not None or anchor is not None:
            report.problems.append("审计密钥记录缺失，无法核验（密钥记录被删除）")
        return report
    return verify_keyed([(row.first_id, key) for row, key in keys], _driver_rows(session), anchor, progress)


def _driver_rows(session: Session) -> Iterable[Sequence[Any]]:
    """Every record (COLUMNS + mac) in id order straight from the database driver's cursor, streamed (a server-side
    cursor on PostgreSQL): no per-row conversion by SQLAlchemy (the time stays SQLite's text, which at_text takes as
    it is), so verifying 1,000,000 records costs little more than computing their MACs."""
    conn = session.connection()
    driver = conn.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor(name="govdata_verify") if conn.dialect.name == "postgresql" else driver.cursor()
    try:
        cursor.execute(SELECT_ROWS)  # the same SQL as chain.verify_sql's
        while rows := cursor.fetchmany(5000):
            yield from rows
    finally:
        cursor.close()


# ---------------------------------------------------------------- external anchors (the chain head kept elsewhere)

HEAD_FORMAT = "govdata-audit-head"


def _head_payload(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def head(session: Session) -> dict:
    """The chain's head as the auditor keeps it outside the database (printed, or a file on a stick): the number
    of records, the last id, its digest (MAC), the time, and the key's id; signed when this PC holds the key."""
    a = _anchor_state(session)
    row = auditkey.current(session)
    body = {"format": HEAD_FORMAT, "version": 1, "key_id": row.key_id if row else None,
            "count": a.count if a else 0, "last_id": a.last_id if a else 0,
            "head_mac": (a.head_mac if a else None) or GENESIS,
            "at": utcnow().isoformat(sep=" ", timespec="seconds")}
    key = chain_key(session)
    signature = crypto.hmac_sm3(crypto.hmac_sm3(key, b"govdata audit head v1"), _head_payload(body)).hex() if key \
        else None
    return {"body": body, "signature": signature}


def check_head(session: Session, doc: Any) -> list[str]:
    """What is wrong with the database's trail against an external anchor (empty: the trail still holds every
    record the anchor saw, unchanged). Raises ValueError for a document that is not an anchor."""
    try:
        body = doc["body"]
        if body.get("format") != HEAD_FORMAT:
            raise KeyError("format")
        count, last_id, head_mac = int(body["count"]), int(body["last_id"]), str(body["head_mac"])
        key_id, at = body.get("key_id"), str(body.get("at") or "?")
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ValueError("not an anchor") from None
    problems: list[str] = []
    rows = {r.key_id: r for r in auditkey.keys(session)}
    if key_id and key_id not in rows:
        problems.append("外部锚点所属的审计密钥不在数据库中（数据库被替换，或审计记录连同密钥记录被重建）")
    key_row = rows.get(key_id) if key_id else None
    key = auditkey.key_of(key_row) if key_row is not None else None
    signature = doc.get("signature")
    if key is not None and not (isinstance(signature, str) and crypto.constant_time_equal(
            crypto.hmac_sm3(crypto.hmac_sm3(key, b"govdata audit head v1"), _head_payload(body)).hex(), signature)):
        problems.append("外部锚点文件的签名不符（文件被改动）")
    if last_id:
        mac = session.scalar(select(AuditRecord.mac).where(AuditRecord.id == last_id))
        if mac is None:
            problems.append(f"外部锚点（{at}）记载的第 #{last_id} 条记录在数据库中已不存在（审计记录被删除或清空）")
        elif not crypto.constant_time_equal(mac, head_mac):
            problems.append(f"外部锚点（{at}）记载的第 #{last_id} 条记录已被改动或替换")
        have = int(session.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.id <= last_id))
                   or 0)
        if have != count:
            problems.append(f"外部锚点（{at}）记载截至 #{last_id} 共 {count} 条记录，数据库中现有 {have} 条")
    a = _anchor_state(session)
    if a is None or a.count < count or a.last_id < last_id:
        problems.append(f"数据库的审计锚点落后于外部锚点（{at}：{count} 条，至 #{last_id}）：审计记录被截断、清空或重置")
    return problems

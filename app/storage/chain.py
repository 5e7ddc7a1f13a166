"""The audit chain's pure parts (what a record's MAC covers, the anchor's MAC, the anchor's checks, this PC's copy of
the key) and its append in SQL text, for a command that writes its one transaction with sqlite3 alone.

app.storage.auditchain appends through the ORM session of a unit of work, checks the anchor before the chain grows
(writing a chain-break record when it finds damage) and verifies; it takes these functions from here. A command of
the command line that writes with sqlite3 alone (app.storage.writer: the Excel import, the ledger export) appends
with `append_sql`, the same record and the same anchor move, after `sql_chain_state` found the trail sound by the
same checks (`anchor_problems`). Whatever is not the sound common case (no key yet, a key this PC does not hold, a
key still in the legacy row, a missing anchor, any damage found) is left to the full way: `sql_chain_state` returns
None, nothing is written, and the caller goes through auditchain, which raises or records what it found.
The verification is here too (`verify_rows`, over rows from either): auditchain.verify reads the keys, the anchor and
the rows through the ORM session's driver connection, `verify_sql` through a sqlite3 connection with the same SQL.
No SQLAlchemy here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.domain.actor import Actor
from app.storage import crypto, keystore

HOST = socket.gethostname()
GENESIS = "0" * 64
ANCHOR_ID = 1
LEGACY_KEY_ROW = 0  # audit_anchor row 0: where databases made before 0.4 kept the key (auditkey moves it)
BREAK_ACTION = "audit.chain_break"
CHECK_LABEL = b"govdata audit key check v1"

# the columns that the MAC covers, in order (prev_mac last); `mac` itself follows in row tuples
COLUMNS = ("id", "at", "user", "role", "host", "action", "object_type", "object_id", "outcome", "detail",
           "prev_mac")
_RECORD_COLUMNS = ", ".join(f'"{c}"' for c in (*COLUMNS, "mac"))  # "user" is a reserved word
SELECT_ROWS = f"SELECT {_RECORD_COLUMNS} FROM audit_log ORDER BY id"  # every record in id order, as verify reads them


def _jsonable(value: Any) -> Any:
    if value is None or value.__class__ in (str, int, float, bool):  # the usual case: as it is
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


MacFn = Callable[[bytes], bytes]


def chain_macfn(master_key: bytes) -> MacFn:
    """The MAC function of the chain: HMAC-SM3 under a key derived from the stored master key."""
    return crypto.hmac_sm3_keyed(crypto.hmac_sm3(master_key, b"govdata audit chain v1"))


_AT_TEXT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


def at_text(at: Any) -> str | None:
    """A record's time as its MAC covers it, '2027-03-05 08:00:00.000000': from a datetime, or from the text SQLite
    keeps (already that form when the program wrote it; any other text is read as an ISO time, else kept as is)."""
    if at is None:
        return None
    if isinstance(at, str):
        if _AT_TEXT.fullmatch(at):
            return at
        try:
            at = dt.datetime.fromisoformat(at)
        except ValueError:
            return at  # not a time: the record cannot match its MAC
    return at.isoformat(sep=" ", timespec="microseconds")


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # = json.dumps with these options


def canonical(fields: Sequence[Any]) -> bytes:
    """The exact bytes a record's MAC covers: id, time (microseconds), text fields, prev_mac."""
    values = [fields[0], at_text(fields[1]), *fields[2:11]]
    return _ENCODE(values).encode("utf-8")


def record_mac(macfn: MacFn, fields: Sequence[Any]) -> str:
    return macfn(canonical(fields)).hex()


def anchor_mac(macfn: MacFn, count: int, last_id: int, head_mac: str | None) -> str:
    return macfn(f"anchor|{count}|{last_id}|{head_mac or GENESIS}".encode()).hex()


def detail_json(detail: dict | None) -> str | None:
    """A record's detail as stored: JSON with sorted keys, Chinese as written."""
    return json.dumps(_jsonable(detail), ensure_ascii=False, sort_keys=True) if detail else None


def anchor_problems(macfn: MacFn, count: int, last_id: int, head_mac: str | None, mac: str | None,
                    tail: tuple[int, str | None] | None, signed_by_this_key: bool) -> list[str]:
    """What is wrong with an existing anchor before the chain grows: its MAC (when the current key signed it), and
    whether it names the table's real last record (`tail`: id and MAC of the last record, None for an empty table)."""
    problems: list[str] = []
    if signed_by_this_key and (mac is None or not crypto.constant_time_equal(
            anchor_mac(macfn, count, last_id, head_mac), mac)):
        problems.append("审计锚点的校验值不符（锚点被改动或重置）")
    if tail is None and (last_id or count):
        problems.append(f"审计记录被清空（锚点记载 {count} 条，现存 0 条）")
    elif tail is not None and (tail[0] != last_id or (tail[1] or "") != (head_mac or GENESIS)):
        problems.append(f"链尾与锚点不符（锚点记载最后一条为 #{last_id}，现为 #{tail[0]}"
                        + ("：锚点之后多出记录，或锚点被重置）" if tail[0] > last_id else "：末尾记录被删除或改动）"))
    return problems


# ---------------------------------------------------------------- verifying the chain

def _break_problems(detail: str | None) -> str:
    try:
        found = json.loads(detail or "{}").get("problems") or []
    except (ValueError, AttributeError):
        found = []
    return "；".join(str(p) for p in found) or "未注明"


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
    breaks: list[int] = field(default_factory=list)  # chain-break records the program wrote on finding damage
    unverifiable: bool = False  # this PC does not hold the current key
    not_recorded: str | None = None  # why the verification itself could not be recorded

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return f"审计记录完整：共 {self.checked} 条，校验链和锚点均正确。"
        first = f"第一条异常记录：#{self.first_broken}。" if self.first_broken is not None else ""
        return f"审计记录异常（共检查 {self.checked} 条）：{first}" + "；".join(self.problems[:5]) + (
            f"；另有 {len(self.problems) - 5} 处异常" if len(self.problems) > 5 else "")


def verify_rows(rows: Iterable[Sequence[Any]], macfn: MacFn | Sequence[tuple[int, MacFn | None]],
                anchor: AnchorState | None, start_prev: str = GENESIS) -> ChainReport:
    """Check rows (COLUMNS + mac, in id order) against the chain and the anchor. Never stops at the first fault.

    `macfn` is one MAC function, or the trail's keys as (first record id, MAC function or None when this PC does
    not hold that key), oldest first: a record is checked with the key in force at its id."""
    report = ChainReport()
    expected_prev = start_prev
    last_id = -1
    segments = [(0, macfn)] if callable(macfn) else list(macfn)
    seg = 0
    unverifiable: list[list[int]] = []

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
        while seg + 1 < len(segments) and rid >= segments[seg + 1][0]:
            seg += 1
        fn = segments[seg][1]
        if prev != expected_prev:
            broken(rid, "与前一条记录衔接不上（前面的记录被删除、插入、调换或改动）")
        if fn is None:
            if unverifiable and unverifiable[-1][1] == seg:
                unverifiable[-1][2] = rid
            else:
                unverifiable.append([rid, seg, rid])
        elif mac is None or not crypto.constant_time_equal(record_mac(fn, row), mac):
            broken(rid, "内容与校验值不符（记录被改动或伪造）")
        elif row[5] == BREAK_ACTION:
            found = _break_problems(row[9])
            report.breaks.append(rid)
            report.problems.append(f"记录 #{rid}：程序写入前发现审计链已被破坏（{found}）")
            if report.first_broken is None:
                report.first_broken = rid
        expected_prev = mac or ""
    for first, _seg, last in unverifiable:
        report.problems.append(f"记录 #{first}—#{last} 的审计密钥本机没有（或已丢失），无法核验")
    head_fn = segments[-1][1] if segments else None
    report.last_id = max(last_id, 0)
    report.head_mac = expected_prev
    if anchor is None:
        if report.checked:
            report.problems.append("审计锚点缺失（锚点被删除）")
        return report
    if head_fn is not None and (anchor.mac is None or not crypto.constant_time_equal(
            anchor_mac(head_fn, anchor.count, anchor.last_id, anchor.head_mac), anchor.mac)):
        report.problems.append("审计锚点的校验值不符（锚点被改动）")
    count = report.checked
    if anchor.count > count:
        report.problems.append(f"末尾缺少 {anchor.count - count} 条记录（锚点记载 {anchor.count} 条，现存 {count} 条）")
    elif anchor.count < count:
        report.problems.append(f"比锚点记载多出 {count - anchor.count} 条记录（锚点记载 {anchor.count} 条）")
    if report.checked and (anchor.last_id != report.last_id or (anchor.head_mac or GENESIS) != report.head_mac):
        report.problems.append(f"链头与锚点不符（锚点记载最后一条为 #{anchor.last_id}，现为 #{report.last_id}）")
    return report


PROGRESS_STEP = 10_000


def counted(rows: Iterable[Sequence[Any]], total: int, progress: Callable[[int, int], None]
            ) -> Iterator[Sequence[Any]]:
    """`rows` as they are, calling `progress(done, total)` at the start, every PROGRESS_STEP rows and at the end."""
    done = 0
    progress(0, total)
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_STEP == 0:
            progress(done, max(total, done))
    progress(done, max(total, done))


def verify_sql(con: Any, progress: Callable[[int, int], None] | None = None) -> ChainReport | None:
    """auditchain.verify through a sqlite3 connection, for a command that reads with sqlite3 alone: the same keys,
    anchor and rows read with the same SQL give the same report. The caller holds one read snapshot around it (BEGIN
    ... ROLLBACK). None when auditchain must verify instead: a key still in the legacy row (databases before 0.4)."""
    if con.execute("SELECT 1 FROM audit_anchor WHERE id = ? AND head_mac IS NOT NULL AND head_mac != ''",
                   (LEGACY_KEY_ROW,)).fetchone() is not None:
        return None
    key_rows = con.execute('SELECT key_id, "check", first_id FROM audit_keys ORDER BY id').fetchall()
    a = con.execute("SELECT count, last_id, head_mac, mac FROM audit_anchor WHERE id = ?", (ANCHOR_ID,)).fetchone()
    anchor = None if a is None else AnchorState(a[0], a[1], a[2], a[3])
    if not key_rows:
        report = ChainReport()
        if con.execute("SELECT id FROM audit_log LIMIT 1").fetchone() is not None or anchor is not None:
            report.problems.append("审计密钥记录缺失，无法核验（密钥记录被删除）")
        return report
    keys = [(first_id, held_key(key_id, check)) for key_id, check, first_id in key_rows]
    return verify_keyed(keys, sql_rows(con), anchor, progress)


def verify_keyed(keys: Sequence[tuple[int, bytes | None]], rows: Iterable[Sequence[Any]], anchor: AnchorState | None,
                 progress: Callable[[int, int], None] | None = None) -> ChainReport:
    """The trail's rows against the chain of each key segment (first id, key; None: a key this PC does not hold)
    and the anchor: the one verification of both ways in (the ORM's and sqlite3's), once the keys are read."""
    segments = [(first_id, None if key is None else chain_macfn(key)) for first_id, key in keys]
    if progress is not None:
        rows = counted(rows, anchor.count if anchor is not None else 0, progress)
    report = verify_rows(rows, segments, anchor)
    if keys[-1][1] is None:
        report.unverifiable = True
    return report


def sql_rows(con: Any) -> Iterator[Sequence[Any]]:
    """Every record (COLUMNS + mac) in id order from a driver connection's cursor, streamed in blocks."""
    cursor = con.cursor()
    try:
        cursor.execute(SELECT_ROWS)
        while rows := cursor.fetchmany(5000):
            yield from rows
    finally:
        cursor.close()


# ---------------------------------------------------------------- this PC's copy of the key

KEY_CACHE: dict[str, bytes] = {}  # key id -> key, for this process (the keyring costs 0.2 s to load)
AUDIT_KEY_NAME = keystore.AUDIT_KEY


def check_value(key: bytes) -> str:
    return crypto.hmac_sm3(key, CHECK_LABEL).hex()


def held_key(key_id: str, check: str) -> bytes | None:
    """This PC's copy of the key `key_id` (None when this PC does not hold it, or holds one whose check value is not
    `check`). app.storage.auditkey.key_of reads a key row through this."""
    cached = KEY_CACHE.get(key_id)
    if cached is not None:
        return cached
    name = AUDIT_KEY_NAME.format(key_id=key_id)
    # the key file first (a PC without a desktop keyring keeps it there; the keyring takes 0.2 s to load), checked
    # against the database's check value; then the keyring (and the file again) as keystore.get_key reads them
    for read in (keystore.get_key_file, keystore.get_key):
        key = _checked(read(name), check)
        if key is not None:
            KEY_CACHE[key_id] = key
            return key
    return None


def _checked(text: str | None, check: str) -> bytes | None:
    if not text:
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if crypto.constant_time_equal(check_value(key), check) else None


# ---------------------------------------------------------------- the append in SQL text (sqlite3)


def sqlite_time(at: dt.datetime) -> str:
    """A time as the database keeps it (SQLAlchemy's SQLite DateTime text, which at_text also gives)."""
    return at.isoformat(sep=" ", timespec="microseconds")


def utcnow() -> dt.datetime:
    """As app.models.base.utcnow: UTC without a zone."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class SqlChainState:
    """The anchor as found sound inside the caller's write transaction, and the current key's MAC function."""

    macfn: MacFn
    count: int
    last_id: int
    head_mac: str


def sql_chain_state(con: Any) -> SqlChainState | None:
    """The chain's state through `con` (a sqlite3 connection inside the caller's write transaction, which holds the
    write lock), or None when the append is not the sound common case and must go the full way (see the module's
    docstring): no key yet, a key this PC does not hold, a legacy key row, no anchor, or any of auditchain's
    problems (auditchain then writes the chain-break record)."""
    if con.execute("SELECT 1 FROM audit_anchor WHERE id = ? AND head_mac IS NOT NULL AND head_mac != ''",
                   (LEGACY_KEY_ROW,)).fetchone() is not None:
        return None
    key_row = con.execute('SELECT key_id, "check", first_id FROM audit_keys WHERE retired_at IS NULL '
                          "ORDER BY id DESC LIMIT 1").fetchone()
    if key_row is None:
        return None
    key = held_key(key_row[0], key_row[1])
    if key is None:
        return None
    macfn = chain_macfn(key)
    anchor = con.execute("SELECT count, last_id, head_mac, mac FROM audit_anchor WHERE id = ?",
                         (ANCHOR_ID,)).fetchone()
    if anchor is None:
        return None
    count, last_id, head_mac, mac = int(anchor[0] or 0), int(anchor[1] or 0), anchor[2], anchor[3]
    tail_row = con.execute("SELECT id, mac FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    tail = None if tail_row is None else (int(tail_row[0]), tail_row[1])
    first_id = int(key_row[2] or 1)
    if anchor_problems(macfn, count, last_id, head_mac, mac, tail, first_id <= 1 or first_id <= last_id):
        return None
    return SqlChainState(macfn, count, last_id, head_mac or GENESIS)


_INSERT_RECORD = f"INSERT INTO audit_log ({_RECORD_COLUMNS}) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"


def append_sql(con: Any, state: SqlChainState, actor: Actor, action: str, object_type: str | None = None,
               object_id: object = None, detail: dict | None = None, outcome: str = "ok") -> int:
    """Append one chained record and move the anchor through `con`, in the same transaction `state` was read in,
    exactly as auditchain.append does through the ORM. Returns the record's id."""
    at = sqlite_time(utcnow())
    record_id = state.last_id + 1
    fields: list[Any] = [record_id, at, actor.username, actor.role, HOST, action, object_type,
              None if object_id is None else str(object_id), outcome, detail_json(detail), state.head_mac]
    mac = record_mac(state.macfn, fields)
    con.execute(_INSERT_RECORD, (*fields, mac))
    state.count, state.last_id, state.head_mac = state.count + 1, record_id, mac
    con.execute("UPDATE audit_anchor SET count = ?, last_id = ?, head_mac = ?, mac = ?, updated_at = ? WHERE id = ?",
                (state.count, state.last_id, mac, anchor_mac(state.macfn, state.count, state.last_id, mac), at,
                 ANCHOR_ID))
    return state.last_id

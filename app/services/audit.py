"""The audit trail as use cases: search, export, archive and its verification, and refusals recorded at the
two boundaries (the command line and the window). The chain itself is app.storage.auditchain."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.actor import Actor
from app.domain.vocabulary import OUTCOME_LABELS
from app.errors import GovDataError, PermissionDenied, UnreadableError
from app.models import AuditRecord
from app.services.auditsql import VERIFY_ACTION, verification_record
from app.services.permissions import require
from app.services.privacy import mask_record_text, visible
from app.storage import auditchain, auditkey, crypto
from app.storage.auditchain import COLUMNS, ChainReport, chain_key, chain_macfn, row_columns, verify_rows
from app.storage.auditkey import AuditKeyMissing, current, missing_message
from app.storage.database import UnitOfWork
from app.storage.fileio import atomic_path, write_text

# ---------------------------------------------------------------- search and export

@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    user: str
    role: str | None
    host: str | None
    action: str
    object_type: str | None
    object_id: str | None
    outcome: str
    outcome_label: str
    detail: str | None


def search(session: Session, *, user: str | None = None, action: str | None = None,
           object_type: str | None = None, object_id: str | None = None, outcome: str | None = None,
           since: dt.datetime | None = None, until: dt.datetime | None = None, text: str | None = None,
           limit: int | None = 1000, offset: int = 0, newest_first: bool = True) -> list[AuditEntry]:
    """Filter the trail. `until` is exclusive. `text` matches inside the detail (before/after values)."""
    q = select(*row_columns()[:10])
    c = AuditRecord
    for col, value in ((c.user, user), (c.action, action), (c.object_type, object_type),
                       (c.object_id, object_id), (c.outcome, outcome)):
        if value:
            q = q.where(col == value)
    if since is not None:
        q = q.where(c.at >= since)
    if until is not None:
        q = q.where(c.at < until)
    if text:
        q = q.where(c.detail.contains(text, autoescape=True))
    q = q.order_by(c.id.desc() if newest_first else c.id).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], OUTCOME_LABELS.get(r[8], r[8] or ""), r[9])
            for r in session.execute(q)]


EXPORT_HEADERS = ("序号", "时间（UTC）", "用户", "角色", "计算机", "操作", "对象类型", "对象", "结果", "详情")


def write_sheet(path: str | Path, sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                widths: Sequence[float] = ()) -> Path:
    """A plain table (bold header row, frozen) to .xlsx, atomically. Text that Excel would run as a formula
    (=, +, -, @ ...) is written as text: exported records hold what users typed."""
    from openpyxl.cell import WriteOnlyCell  # openpyxl only for an export
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from app.excel.writers import needs_quote, streamed_workbook  # (openpyxl)

    with streamed_workbook(path) as wb:  # nothing half-written left behind when the output is refused
        ws = wb.create_sheet(sheet)
        ws.freeze_panes = "A2"
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width

        def cell(value: Any, bold: bool = False) -> Any:
            c = WriteOnlyCell(ws, value)
            if needs_quote(value):
                c.data_type = "s"
                c.quotePrefix = True
            if bold:
                c.font = Font(bold=True)
            return c

        ws.append([cell(h, bold=True) for h in headers])
        for row in rows:
            ws.append([cell(v) for v in row])
        with atomic_path(path) as tmp:
            wb.save(tmp)
    return Path(path)


def export_xlsx(entries: Sequence[AuditEntry], path: str | Path) -> Path:
    return write_sheet(path, "审计记录", EXPORT_HEADERS, (
        [e.id, e.at.strftime("%Y-%m-%d %H:%M:%S"), e.user, e.role, e.host, e.action, e.object_type, e.object_id,
         e.outcome_label, e.detail] for e in entries), (8, 20, 12, 10, 14, 22, 12, 20, 8, 60))


# ---------------------------------------------------------------- archive to a signed file

ARCHIVE_FORMAT = "govdata-audit-archive"


def archive(session: Session, path: str | Path, before: dt.datetime) -> int:
    """Write every record older than `before` to a signed JSON file (the records stay in the database)."""

    key = _signing_copy(session)
    rows = session.execute(select(*row_columns()).where(AuditRecord.at < before).order_by(AuditRecord.id)).all()
    records = [[r[0], r[1].isoformat(sep=" ", timespec="microseconds"), *r[2:]] for r in rows]
    body = {"format": ARCHIVE_FORMAT, "version": 1, "before": before.isoformat(), "count": len(records),
            "columns": [*COLUMNS, "mac"], "records": records, "head": auditchain.head(session)["body"]}
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    signature = crypto.hmac_sm3(crypto.hmac_sm3(key, b"govdata audit archive v1"), payload.encode()).hex()
    write_text(path, json.dumps({"body": body, "signature": signature}, ensure_ascii=False))
    return len(records)


def _signing_copy(session: Session) -> bytes:
    key = chain_key(session)
    if key is None:
        row = current(session)
        raise AuditKeyMissing(missing_message(row) if row is not None else "该数据库还没有审计记录，无需归档。")
    return key


def verify_archive(session: Session, path: str | Path) -> ChainReport:
    """Check an archive file: its signature, the chain inside it, and that it matches the database's records."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        body, signature = doc["body"], doc["signature"]
        records = body["records"]
        if body.get("format") != ARCHIVE_FORMAT:
            raise KeyError("format")
    except (OSError, ValueError, KeyError, TypeError):
        raise UnreadableError(f"无法读取审计归档文件 {path}：不是本程序的归档文件或已损坏。") from None
    report = ChainReport()
    key = chain_key(session)
    if key is None:
        report.problems.append("本机没有该数据库的审计密钥，无法核验归档文件")
        return report
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    expected = crypto.hmac_sm3(crypto.hmac_sm3(key, b"govdata audit archive v1"), payload.encode()).hex()
    if not isinstance(signature, str) or not crypto.constant_time_equal(expected, signature):
        report.problems.append("归档文件的签名不符（文件被改动，或不是本数据库的归档）")
    try:
        rows = [(r[0], dt.datetime.fromisoformat(r[1]), *r[2:]) for r in records]
    except (TypeError, ValueError, IndexError):
        raise UnreadableError(f"审计归档文件 {path} 的记录格式不正确。") from None
    segments = [(r.first_id, None if k is None else chain_macfn(k)) for r, k in auditkey.verification_keys(session)]
    chain = verify_rows(rows, segments, None)
    chain.problems = [p for p in chain.problems if "锚点" not in p]
    report.checked = chain.checked
    report.first_broken = chain.first_broken
    report.problems.extend(chain.problems)
    if body.get("count") != len(records):
        report.problems.append("归档文件的记录数与其声明不符")
    # the same records must still be in the database, unchanged
    if rows:
        live = {r[0]: r[1] for r in session.execute(
            select(AuditRecord.id, AuditRecord.mac).where(AuditRecord.id.between(rows[0][0], rows[-1][0])))}
        missing = [r[0] for r in rows if live.get(r[0]) != r[11]]
        if missing:
            report.problems.append(f"归档中的 {len(missing)} 条记录与数据库不一致（首条 #{missing[0]}）")
            if report.first_broken is None:
                report.first_broken = missing[0]
    return report



# ---------------------------------------------------------------- refusals at the boundaries
#
# Services never write a refusal record and never commit the caller's unit of work: they raise the error. The two
# boundaries that show a refusal to a person write its one record, in a transaction of its own:
# - the command line: app.cli.main.main();
# - the window: UiContext passes TaskManager.on_refused, run on the worker for every task that raised.
# A PermissionDenied is always recorded; any other user error only when the service named the action it refused
# (`GovDataError.refusing(action, ...)`), e.g. a lifecycle rule or an import with errors.

def record_refusal(db: Any, actor: Actor | None, exc: BaseException, object_type: str | None = None,
                   object_id: object = None, action: str | None = None) -> bool:
    """At a boundary: one refused-action record (outcome "refused", with the Chinese message) unless the error is
    not a recorded kind or is recorded already; True when a record was written.

    The action is what the service named, else the refused permission (e.g. "project.read"), else `action`. A
    failure to write (database locked, disk full) is logged and swallowed: the user still gets the refusal.
    """
    if db is None or actor is None or not isinstance(exc, GovDataError) or exc.audit_recorded:
        return False
    context = exc.audit_context
    if context is None and not isinstance(exc, PermissionDenied):
        return False
    detail: dict = {}
    if context is not None:
        action, object_type, object_id, detail = context
    else:
        permission = getattr(exc, "permission", None)
        action = permission or action or "permission"
        detail = {"permission": permission} if permission else {}
    try:
        with db.uow(actor) as uow:
            uow.audit(action or "permission", object_type, object_id, {"message": exc.message, **detail},
                      outcome="refused")
            uow.commit()
    except Exception:  # the refusal itself must still reach the user
        logging.getLogger("govdata").exception("could not record a refusal in the audit trail")
        return False
    exc.audit_recorded = True
    return True


# ---------------------------------------------------------------- the auditor's use cases (both faces call these)

def _masked(actor: Actor, entries: list[AuditEntry]) -> list[AuditEntry]:
    """Phone and ID numbers in the records' detail masked like every other list, unless the actor may see them."""
    if visible(actor):
        return entries
    return [replace(e, detail=mask_record_text(e.detail), object_id=mask_record_text(e.object_id)) for e in entries]


def list_entries(uow: UnitOfWork, **filters: Any) -> list[AuditEntry]:
    """The audit list (审计管理员): the records that match, newest first unless told; personal data masked."""
    require(uow.actor, "audit.view")
    return _masked(uow.actor, search(uow.session, **filters))


def read_head_file(path: str | Path) -> dict:
    """An external anchor file (`govdata audit head --out FILE`), parsed; UnreadableError when it is not one."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or doc.get("body", {}).get("format") != auditchain.HEAD_FORMAT:
            raise ValueError
    except (OSError, ValueError, AttributeError, UnicodeDecodeError):
        raise UnreadableError(f"无法读取外部锚点文件 {path}：不是本程序导出的审计链头，或已损坏。") from None
    return doc


def verify_trail(uow: UnitOfWork, archive_path: str | Path | None = None,
                 anchor_path: str | Path | None = None) -> tuple[ChainReport, ChainReport | None]:
    """Verify the chain (against an external anchor file too, and an archive file, if given). The verification
    is recorded when it can be; a PC without the key, or a read-only database, still gets the report."""
    report, archive = _check_trail(uow, archive_path, anchor_path)
    _record_verification(uow, report, archive, anchor_path)
    return report, archive


def verify_and_record(db: Any, actor: Actor, archive_path: str | Path | None = None,
                      anchor_path: str | Path | None = None, progress: Callable[[int, int], None] | None = None
                      ) -> tuple[ChainReport, ChainReport | None]:
    """verify_trail in two transactions: the trail is read in a read transaction (one snapshot of records and
    anchor; writers go on meanwhile, however long a million records take), then the verification is recorded in
    a short write transaction. `progress(done, total)` as app.storage.auditchain.verify takes it.
    (The command line on a local file does the same with sqlite3 alone: app.services.auditsql.)"""
    with db.uow(actor, write=False) as uow:
        report, archive = _check_trail(uow, archive_path, anchor_path, progress)
    record_verification(db, actor, report, archive, anchor_path)
    return report, archive


def record_verification(db: Any, actor: Actor, report: ChainReport, archive: ChainReport | None = None,
                        anchor_path: str | Path | None = None) -> None:
    """The verification recorded in a short write transaction; read-only, busy or full, or this PC without the key:
    the verification stands and `report.not_recorded` says why it was not recorded."""
    with db.recording(actor) as uow:  # read-only, busy or full: the verification stands, not recorded
        if _record_verification(uow, report, archive, anchor_path):
            uow.commit()
    if db.not_recorded:
        report.not_recorded = db.not_recorded.pop()


def _check_trail(uow: UnitOfWork, archive_path: str | Path | None, anchor_path: str | Path | None,
                 progress: Callable[[int, int], None] | None = None) -> tuple[ChainReport, ChainReport | None]:
    require(uow.actor, "audit.view")
    report = auditchain.verify(uow.session, progress=progress)
    if anchor_path is not None:
        doc = read_head_file(anchor_path)
        try:
            report.problems.extend(auditchain.check_head(uow.session, doc))
        except ValueError:
            raise UnreadableError(f"无法读取外部锚点文件 {anchor_path}：内容不完整。") from None
    archive = verify_archive(uow.session, archive_path) if archive_path else None
    return report, archive


def _record_verification(uow: UnitOfWork, report: ChainReport, archive: ChainReport | None,
                         anchor_path: str | Path | None) -> bool:
    detail, outcome = verification_record(report, archive, anchor_path)
    try:
        uow.audit(VERIFY_ACTION, "audit_log", None, detail, outcome=outcome)
    except AuditKeyMissing as exc:
        report.not_recorded = exc.message
        return False
    return True


@dataclass(frozen=True)
class TrailStatus:
    """For the auditor's dashboard: a damaged trail in red, and why."""

    ok: bool
    message: str
    first_broken: int | None
    checked: int


def trail_status(uow: UnitOfWork) -> TrailStatus:
    require(uow.actor, "audit.view")
    report = auditchain.verify(uow.session)
    return TrailStatus(report.ok, report.summary(), report.first_broken, report.checked)


def trail_head(uow: UnitOfWork, path: str | Path | None = None) -> dict:
    """The chain head for the auditor to keep outside the database (printed, or `path`); recorded."""
    require(uow.actor, "audit.view")
    doc = auditchain.head(uow.session)
    if path is not None:
        write_text(path, json.dumps(doc, ensure_ascii=False, indent=2))
    body = doc["body"]
    uow.audit("audit.head", "audit_log", None, {"file": str(path) if path else None, "count": body["count"],
                                                "last_id": body["last_id"], "head_mac": body["head_mac"]})
    return doc


def head_lines(doc: dict) -> list[str]:
    """The head as printed for the paper register (the auditor signs beside it)."""
    b = doc["body"]
    return [f"审计链头（{b['at']} UTC）", f"  记录数：{b['count']}", f"  最后一条：#{b['last_id']}",
            f"  摘要：{b['head_mac']}", f"  密钥编号：{(b.get('key_id') or '—')[:8]}"]


def export_entries(uow: UnitOfWork, path: str | Path, **filters: Any) -> int:
    """Export the matching records to Excel; the export is recorded. Returns how many."""
    require(uow.actor, "audit.view")
    entries = _masked(uow.actor, search(uow.session, **filters))
    export_xlsx(entries, path)
    uow.audit("audit.export", "audit_log", None, {"file": str(path), "count": len(entries)})
    return len(entries)


def archive_before(uow: UnitOfWork, path: str | Path, before: dt.datetime) -> int:
    """Archive the records older than `before` to a signed file; recorded. Returns how many."""
    require(uow.actor, "audit.view")
    n = archive(uow.session, path, before)
    uow.audit("audit.archive", "audit_log", None, {"file": str(path), "count": n, "before": before})
    return n

"""Running the paper records declared in app.services.recordkinds: list, a verb (add, handle, review …), the Excel
export, and the records a reference field may name (for the window's lists)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.errors import GovDataError, InputError
from app.excel.tables import TableColumn, write_table
from app.services import planning
from app.services.master import get_setting
from app.services.permissions import require
from app.services.queries import list_publicities
from app.services.recordkinds import KINDS, get_kind
from app.services.recordkit import parse, resolve
from app.storage.database import UnitOfWork

__all__ = ["KINDS", "export_records", "get_kind", "list_records", "ref_choices", "run_verb"]


def list_records(uow: UnitOfWork, key: str) -> list[Any]:
    kind = get_kind(key)
    require(uow.actor, kind.permission, action=f"records.{key}.list")
    return list(resolve(kind.list)(uow))


def run_verb(uow: UnitOfWork, key: str, verb: str, raw: dict[str, Any]) -> Any:
    """Parse what a person entered and run the verb (the caller commits). A refusal names the refused action
    (records.KIND.VERB) for the boundary's audit record."""
    try:
        kind = get_kind(key)
        v = kind.verb(verb)
        values = parse(v.fields, {k: x for k, x in raw.items() if k != "id"})
        if v.on_record:
            if raw.get("id") in (None, ""):
                raise InputError(f"“{v.label}”须指明记录编号")
            values["id"] = raw["id"]
        return resolve(v.run)(uow, **values)
    except GovDataError as exc:
        exc.refusing(f"records.{key}.{verb}", key, raw.get("id") or raw.get("project"))
        raise


def export_records(uow: UnitOfWork, key: str, path: str | Path) -> int:
    """The record kind's list to Excel; returns the number of rows. The caller commits (the export is audited)."""
    kind = get_kind(key)
    rows = list_records(uow, key)
    require(uow.actor, "export", action=f"records.{key}.export")
    county = get_setting(uow, "county")
    columns = [TableColumn(c.key, c.label, c.kind, c.width) for c in kind.columns]
    n = write_table(path, kind.label, f"{county}政务大数据项目{kind.label}登记表",
                    f"依据《政务大数据项目建设应用管理办法》{kind.article}　金额单位：元", columns, rows)
    uow.audit(f"records.{key}.export", key, None, {"file": str(path), "count": n})
    return n


def _ref_text(ref: str, r: Any) -> str:
    if ref == "plan":
        return f"{r.id}　{r.department}　{r.title}（{r.period}）"
    if ref == "publicity":
        return f"{r.id}　{r.doc_no or ''}　{r.title}（{r.start_on}至{r.end_on}）"
    if ref == "legacy-system":
        return f"{r.id}　{r.department}　{r.name}"
    if ref == "rect-outcome":
        return f"{r.id}　{r.code}　{r.doc_no or ''}（{r.status_label}）"
    if ref == "fund-loss":
        return f"{r.id}　{r.code}　{r.description[:20]}"
    if ref == "emergency-plan":
        return f"{r.id}　{r.title}"
    return str(getattr(r, "id", r))


def ref_choices(uow: UnitOfWork, ref: str) -> list[tuple[int, str]]:
    """The records a 'ref' field may name, as (id, text), for the window's drop-down lists."""
    if ref == "plan":
        rows: list[Any] = planning.list_development_plans(uow)
    elif ref == "publicity":
        rows = publicity_notices(uow)
    else:
        rows = list_records(uow, ref)
    return [(r.id, _ref_text(ref, r)) for r in rows]


def publicity_notices(uow: UnitOfWork) -> list[Any]:
    return list_publicities(uow)

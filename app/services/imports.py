"""Excel imports into the register: all or nothing, idempotent, audited.

    report = import_projects(uow, result_or_path, dry_run=False, add_departments=False,
                             progress=None, cancelled=None)     # within the caller's unit of work
    report = run_import(db, actor, path, sheet=None, dry_run=False, add_departments=False)  # CLI / window:
        # commits when everything is right; a refused or unreadable file writes one audit record
        # (outcome "refused") in its own committed transaction, and nothing else.
    report = import_estimate(uow, code, result_or_path, dry_run=False)
    report = run_estimate_import(db, actor, path, code, dry_run=False)

Projects are matched on year + department + name (after normalisation: spaces, full-width forms, the county's
name in front or not, aliases). A match is updated (through update_project, so the history records before and
after, and 第十七条 guards approved projects) or reported unchanged; the rest are created. Only the fields the
sheet has columns for are compared and written. One error anywhere and nothing is written
(report.ok is False, report.errors lists sheet, row, column, message).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select

from app.domain.actor import Actor
from app.domain.money import fen_to_yuan_str
from app.errors import GovDataError, ImportRefused, UnreadableError
from app.excel.estimate import EstimateReadResult, read_estimate
from app.excel.summary import CellError, SkippedRow, SummaryReadResult, SummaryRow, gc_paused, read_summary
from app.models import Project
from app.models.base import utcnow
from app.services.master import add_department, county_settings, department_matcher, normalize_name
from app.services.numbering import issue_numbers
from app.services.permissions import can, refusal_message, require
from app.services.projects import (
    EstimateLine,
    check_figures,
    list_projects,
    load_project,
    replace_estimate,
    update_project,
)
from app.storage.database import Database, UnitOfWork

# sheet field → Project attribute, for the fields an import may write
FIELD_ATTRS = {"category": "category", "nature": "nature", "total": "total_fen", "county": "county_fen",
               "upper": "upper_fen", "other": "other_fen", "year_request": "year_request_fen",
               "period": "period_months", "content": "content", "person": "responsible_person",
               "phone": "responsible_phone", "cobuilt": "cobuilt", "note": "note", "city_share": "city_share_fen",
               "county_share": "county_share_fen"}
ALWAYS = ("category", "nature", "total", "county", "upper", "other", "year_request")


@dataclass(frozen=True)
class RowOutcome:
    row: int
    code: str | None
    name: str
    department: str
    changes: dict = field(default_factory=dict)  # attribute → [before, after] for updates

    def as_dict(self) -> dict:
        d: dict[str, Any] = {"row": self.row, "code": self.code, "name": self.name, "department": self.department}
        if self.changes:
            d["changes"] = {k: v for k, v in self.changes.items()}
        return d


@dataclass
class ImportReport:
    file: str
    sheet: str | None = None
    dry_run: bool = False
    created: list[RowOutcome] = field(default_factory=list)
    updated: list[RowOutcome] = field(default_factory=list)
    unchanged: list[RowOutcome] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    added_departments: list[str] = field(default_factory=list)
    totals_fen: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict:
        return {
            "ok": self.ok, "dry_run": self.dry_run, "file": self.file, "sheet": self.sheet,
            "created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged),
            "created_projects": [o.as_dict() for o in self.created],
            "updated_projects": [o.as_dict() for o in self.updated],
            "skipped_rows": [s.as_dict() for s in self.skipped],
            "errors": [e.as_dict() for e in self.errors],
            "warnings": self.warnings,
            "added_departments": self.added_departments,
            "rows_read": self.rows_read,
            "totals": {k.removesuffix("_fen") + "_yuan": fen_to_yuan_str(v) for k, v in self.totals_fen.items()},
        }


def _values(r: SummaryRow) -> dict:
    return {"category": r.category, "nature": r.nature, "total_fen": r.total_fen, "county_fen": r.county_fen,
            "upper_fen": r.upper_fen, "other_fen": r.other_fen, "year_request_fen": r.year_request_fen,
            "period_months": r.period_months, "content": r.content, "responsible_person": r.responsible_person,
            "responsible_phone": r.responsible_phone, "cobuilt": r.cobuilt, "note": r.note,
            "city_share_fen": r.city_share_fen, "county_share_fen": r.county_share_fen}


def import_projects(uow: UnitOfWork, source: SummaryReadResult | str | Path, dry_run: bool = False,
                    add_departments: bool = False, progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None, sheet: str | None = None) -> ImportReport:
    """Validate and write within `uow` (the caller commits). With errors nothing is written: the session is
    rolled back to where it was and report.ok is False. Raises UnreadableError for unreadable files."""
    result = source if isinstance(source, SummaryReadResult) else read_summary(source, sheet=sheet,
                                                                               cancelled=cancelled)
    report = ImportReport(file=result.path, sheet=result.sheet, dry_run=dry_run, skipped=list(result.skipped),
                          errors=list(result.errors), warnings=list(result.warnings),
                          totals_fen=result.totals_fen(), rows_read=len(result.rows))
    require(uow.actor, "project.register")
    if report.errors:
        return report
    present = {c.field for c in result.columns} | set(ALWAYS)
    attrs = [FIELD_ATTRS[f] for f in FIELD_ATTRS if f in present]
    match = department_matcher(uow)
    dept_of: dict[str, int | None] = {}
    new_departments: dict[str, str] = {}  # normalised → as written
    name_col = next((c.header for c in result.columns if c.field == "department"), "实施单位")
    for r in result.rows:
        if r.department in dept_of:
            continue
        found = match(r.department)
        dept_of[r.department] = found.id if found else None
        if found is None and add_departments:
            new_departments.setdefault(normalize_name(r.department), r.department)
    if not add_departments:
        for r in result.rows:
            if dept_of[r.department] is None:
                report.errors.append(CellError(result.sheet or "", r.row, name_col,
                                               f"实施单位“{r.department}”不在单位名录中（可为已有单位设置别名，"
                                               "或导入时选择“自动添加新单位”）"))
    elif new_departments:
        require(uow.actor, "master.edit")
    allowed = {d: can(uow.actor, "project.register", d) for d in set(dept_of.values()) if d is not None}
    for r in result.rows:
        dept_id = dept_of[r.department]
        if dept_id is not None and not allowed[dept_id]:
            report.errors.append(CellError(result.sheet or "", r.row, name_col,
                                           refusal_message(uow.actor, "project.register", dept_id)))
    if report.errors:
        return report
    savepoint = uow.session.begin_nested()
    try:
        for norm, written in new_departments.items():
            view = add_department(uow, written)
            report.added_departments.append(view.name)
            for r in result.rows:
                if normalize_name(r.department) == norm:
                    dept_of[r.department] = view.id
        with gc_paused():
            _write_projects(uow, result, report, dept_of, attrs, progress, cancelled)
    except GovDataError as exc:
        report.errors.append(CellError(result.sheet or "", None, None, exc.message))
    if report.errors or dry_run:
        savepoint.rollback()
        if report.errors:
            report.created.clear()
            report.updated.clear()
            report.unchanged.clear()
            report.added_departments.clear()
    else:
        savepoint.commit()
    return report


def _write_projects(uow: UnitOfWork, result: SummaryReadResult, report: ImportReport, dept_of: dict,
                    attrs: list[str], progress: Callable[[int, int], None] | None,
                    cancelled: Callable[[], bool] | None) -> None:
    s = uow.session
    sheet = result.sheet or ""
    years = {r.year for r in result.rows}
    dept_ids = {d for d in dept_of.values() if d is not None}
    existing: dict[tuple[int, int, str], tuple[str, dict]] = {}
    cols = [Project.code, Project.year, Project.department_id, Project.name] + [getattr(Project, a) for a in attrs]
    for row in s.execute(select(*cols).where(Project.year.in_(years), Project.department_id.in_(dept_ids))):
        existing[(row[1], row[2], normalize_name(row[3]))] = (row[0], dict(zip(attrs, row[4:], strict=True)))
    new_rows: list[tuple[SummaryRow, dict]] = []
    total = len(result.rows)
    for i, r in enumerate(result.rows, 1):
        if cancelled is not None and i % 500 == 0 and cancelled():
            report.errors.append(CellError(sheet, None, None, "导入已取消，未写入任何数据"))
            return
        if progress is not None and i % 500 == 0:
            progress(i, total)
        dept_id = dept_of[r.department]
        values = _values(r)
        old = existing.get((r.year, dept_id, normalize_name(r.name))) if existing else None
        if old is None:
            try:
                check_figures({"name": r.name, **values})
            except GovDataError as exc:
                report.errors.append(CellError(sheet, r.row, None, exc.message))
                continue
            new_rows.append((r, values))
            continue
        code, before = old
        changes = {a: values[a] for a in attrs if before.get(a) != values[a]}
        outcome_changes = {a: [before.get(a), values[a]] for a in changes}
        if not changes:
            report.unchanged.append(RowOutcome(r.row, code, r.name, r.department))
            continue
        try:
            update_project(uow, code, changes)
        except GovDataError as exc:
            report.errors.append(CellError(sheet, r.row, None, f"项目 {code}：{exc.message}"))
            continue
        report.updated.append(RowOutcome(r.row, code, r.name, r.department, outcome_changes))
    if report.errors or not new_rows:
        return
    codes: dict[int, list[str]] = {}
    for year in sorted({r.year for r, _ in new_rows}):
        n = sum(1 for r, _ in new_rows if r.year == year)
        codes[year] = issue_numbers(uow, "project", year, n, f"Excel 导入：{Path(result.path).name}")
    taken = {y: iter(c) for y, c in codes.items()}
    now = utcnow()
    fixed = {"status": "draft", "version": 1, "created_at": now, "updated_at": now}
    names = ["code", "name", "department_id", "year", *new_rows[0][1]]
    payload = []
    created = report.created
    for r, values in new_rows:
        code = next(taken[r.year])
        payload.append((code, r.name, dept_of[r.department], r.year, *values.values()))
        created.append(RowOutcome(r.row, code, r.name, r.department))
    insert_many(uow, cast(Table, Project.__table__), names, payload, fixed)
    uow.audit("project.import", "import", Path(result.path).name, {
        "file": Path(result.path).name, "sheet": result.sheet,
        "created": {o.code: o.name for o in created},  # code → name; project_history finds "CODE" here
        "updated": [o.code for o in report.updated], "unchanged": len(report.unchanged)})
    if progress is not None:
        progress(total, total)


def insert_many(uow: UnitOfWork, table: Table, names: list[str], rows: list[tuple], fixed: dict) -> None:
    """INSERT rows (tuples in the order of `names`, each with the same `fixed` values added) in the unit of
    work's transaction, with the driver's executemany. Does what SQLAlchemy Core's insert would (column
    defaults, the types' bind conversions) once per column instead of once per cell: Core's per-row parameter
    handling cost more than SQLite's own insert."""
    conn = uow.session.connection()
    dialect = conn.dialect
    marker = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    if marker is None:  # a driver with another parameter style: let Core do it
        conn.execute(insert(table), [dict(zip(names, row, strict=True)) | fixed for row in rows])
        return
    fixed = dict(fixed)
    for c in table.columns:  # the column defaults that Core would have applied
        if c.name not in fixed and c.name not in names and c.default is not None and not c.primary_key:
            arg = getattr(c.default, "arg")  # noqa: B009 - a ColumnDefault's value or callable
            fixed[c.name] = arg(None) if c.default.is_callable else arg
    columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in names]  # column by column
    for i, name in enumerate(names):
        proc = table.c[name].type._cached_bind_processor(dialect)
        if proc is not None:
            columns[i] = list(map(proc, columns[i]))
    for name, value in fixed.items():
        proc = table.c[name].type._cached_bind_processor(dialect)
        columns.append([proc(value) if proc else value] * len(rows))
    all_names = [*names, *fixed]
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({', '.join(map(quote, all_names))}) "
           f"VALUES ({', '.join([marker] * len(all_names))})")
    conn.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def _digest(path: str | Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _record_refusal(db: Database, actor: Actor, action: str, path: str | Path, message: str,
                    errors: list[CellError] | None = None) -> None:
    with db.uow(actor) as uow:
        uow.audit(action, "import", Path(path).name, {
            "file": str(path), "sha256": _digest(path), "message": message,
            "errors": [e.as_dict() for e in (errors or [])[:50]], "error_count": len(errors or [])},
            outcome="refused")
        uow.commit()


def run_import(db: Database, actor: Actor, path: str | Path, sheet: str | None = None, dry_run: bool = False,
               add_departments: bool = False, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """The whole import as the command line and the window run it. Raises UnreadableError (after recording it)
    for unreadable or hostile files; returns the report otherwise (report.ok False: nothing was written)."""
    try:
        result = read_summary(path, sheet=sheet, cancelled=cancelled)
    except UnreadableError as exc:
        _record_refusal(db, actor, "project.import", path, exc.message)
        raise
    with db.uow(actor) as uow, gc_paused():
        report = import_projects(uow, result, dry_run=dry_run, add_departments=add_departments,
                                 progress=progress, cancelled=cancelled)
        if report.ok and not dry_run:
            uow.commit()
    if not report.ok:
        _record_refusal(db, actor, "project.import", path, f"{len(report.errors)} 处错误，未导入", report.errors)
    return report



# ---------------------------------------------------------------- the ledger out


def record_export(uow: UnitOfWork, path: str | Path, count: int, **what: object) -> None:
    """One audit record of a ledger export: what (the filters), how many rows, to which file name."""
    uow.audit("project.export", "export", Path(path).name, {"file": Path(path).name, "rows": count, **what})


def export_ledger(db: Database, actor: Actor, path: str | Path, year: int | None = None,
                  status: str | None = None, progress: Callable[[int, int], None] | None = None,
                  codes: Sequence[str] | None = None) -> int:
    """The project ledger (项目台账) of the register, filtered by year and state, to .xlsx; returns the number of
    projects. Reads in one transaction, writes the file outside any (no write lock held while openpyxl works),
    then records the export (committed). `codes`: only these projects, in this order (the window's shown rows)."""
    from app.excel.writers import write_ledger  # openpyxl only for an export

    with db.uow(actor, write=False) as uow:
        require(actor, "export")
        projects = list_projects(uow, year=year, status=status)
        if codes is not None:
            by_code = {p.code: p for p in projects}
            projects = [by_code[c] for c in codes if c in by_code]
        county = county_settings(uow).county
    title = f"{county}{f'{year}年度' if year else ''}政务大数据项目台账"
    n = write_ledger(path, projects, title=title, progress=progress, total=len(projects))
    with db.uow(actor) as uow:
        record_export(uow, path, n, year=year, status=status, **({"shown_rows": True} if codes is not None else {}))
        uow.commit()
    return n


# ---------------------------------------------------------------- estimates


@dataclass
class EstimateImportReport:
    file: str
    code: str
    dry_run: bool = False
    result: EstimateReadResult | None = None
    errors: list[CellError] = field(default_factory=list)
    lines: int = 0
    total_fen: int = 0
    domestic_fen: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict:
        r = self.result
        return {
            "ok": self.ok, "dry_run": self.dry_run, "file": self.file, "project": self.code, "lines": self.lines,
            "skipped_rows": [s.as_dict() for s in (r.skipped if r else [])],
            "errors": [e.as_dict() for e in self.errors],
            "warnings": r.warnings if r else [],
            "totals": {"total_yuan": fen_to_yuan_str(self.total_fen),
                       "domestic_yuan": fen_to_yuan_str(self.domestic_fen)},
            "computed_rows": [x.row for x in (r.rows if r else []) if x.computed],
        }


def import_estimate(uow: UnitOfWork, code: str, source: EstimateReadResult | str | Path,
                    dry_run: bool = False) -> EstimateImportReport:
    """Replace the project's estimate line items (with the 自主可控 flag) from an estimate sheet."""
    result = source if isinstance(source, EstimateReadResult) else read_estimate(source)
    report = EstimateImportReport(result.path, code, dry_run, result, list(result.errors))
    load_project(uow, code, "project.register")
    report.lines, report.total_fen, report.domestic_fen = len(result.rows), result.total_fen, result.domestic_fen
    if report.errors or dry_run:
        return report
    lines = [EstimateLine(x.section, x.name, x.quantity, x.unit_price_fen, x.amount_fen, x.domestic, x.unit,
                          x.spec, x.note) for x in result.rows]
    replace_estimate(uow, code, lines)
    return report


def run_estimate_import(db: Database, actor: Actor, path: str | Path, code: str,
                        dry_run: bool = False) -> EstimateImportReport:
    try:
        result = read_estimate(path)
    except UnreadableError as exc:
        _record_refusal(db, actor, "estimate.import", path, exc.message)
        raise
    with db.uow(actor) as uow:
        report = import_estimate(uow, code, result, dry_run=dry_run)
        if report.ok and not dry_run:
            uow.commit()
    if not report.ok:
        _record_refusal(db, actor, "estimate.import", path, f"{len(report.errors)} 处错误，未导入", report.errors)
    return report


def refused(report: ImportReport | EstimateImportReport) -> ImportRefused:
    return ImportRefused(f"导入被拒绝：共 {len(report.errors)} 处错误，未写入任何数据", [e.as_dict() for e in report.errors])

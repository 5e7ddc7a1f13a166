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

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import DBAPIError

from app.domain.actor import Actor
from app.domain.inputs import check_year
from app.domain.money import fen_to_yuan_str
from app.domain.vocabulary import STATUS_LABELS
from app.errors import GovDataError, ImportRefused, InputError, UnreadableError
from app.excel.estimate import EstimateReadResult, read_estimate
from app.excel.sniff import MAX_FILE_BYTES, sniff
from app.excel.summary import (
    CellError,
    ColumnInfo,
    Notice,
    SkippedRow,
    SummaryReadResult,
    SummaryRow,
    UnrecognisedColumn,
    gc_paused,
    read_summary,
)
from app.excel.workbook import Book, read_book
from app.models import Project
from app.models.base import utcnow
from app.services.master import (
    add_department,
    county_settings,
    department_matcher,
    list_departments,
    normalize_name,
)
from app.services.numbering import issue_numbers
from app.services.permissions import can, refusal_message, require
from app.services.privacy import mask_phone, mask_text, visible
from app.services.projects import (
    EstimateLine,
    check_figures,
    load_project,
    replace_estimate,
    update_project,
)
from app.storage.database import Database, UnitOfWork
from app.storage.fileio import read_limited

# sheet field → Project attribute, for the fields an import may write
FIELD_ATTRS = {"category": "category", "nature": "nature", "total": "total_fen", "county": "county_fen",
               "upper": "upper_fen", "other": "other_fen", "year_request": "year_request_fen",
               "period": "period_months", "content": "content", "person": "responsible_person",
               "phone": "responsible_phone", "cobuilt": "cobuilt", "note": "note", "city_share": "city_share_fen",
               "county_share": "county_share_fen"}
ALWAYS = ("category", "nature", "total", "county", "upper", "other")
NUMBERS_AT_ONCE = 5_000  # project codes issued in batches: 100,000 at once cost the import's peak memory


@dataclass(frozen=True, slots=True)
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
    """The import's result, and the reading that led to it (shown by the dry run and the wizard)."""

    file: str
    sheet: str | None = None
    dry_run: bool = False
    created: list[RowOutcome] = field(default_factory=list)
    updated: list[RowOutcome] = field(default_factory=list)
    unchanged: list[RowOutcome] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    added_departments: list[str] = field(default_factory=list)
    totals_fen: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0
    year: int | None = None
    header_rows: list[int] = field(default_factory=list)
    columns: list[ColumnInfo] = field(default_factory=list)
    unrecognised: list[UnrecognisedColumn] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)  # the sheets that could be meant (ambiguous workbook)
    split_pending: list[int] = field(default_factory=list)  # rows of co-built projects whose split is to be entered
    labels: list[str] = field(default_factory=list)  # header text per column (the wizard's mapping choices)
    preview: list[list] = field(default_factory=list)  # the sheet's first rows as read (the wizard's preview)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict:
        return {
            "ok": self.ok, "dry_run": self.dry_run, "file": self.file, "sheet": self.sheet, "year": self.year,
            "sheets": self.sheets, "candidate_sheets": self.candidates, "header_rows": self.header_rows,
            "columns": [c.as_dict() for c in self.columns],
            "unrecognised_columns": [c.as_dict() for c in self.unrecognised],
            "created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged),
            "created_projects": [o.as_dict() for o in self.created],
            "updated_projects": [o.as_dict() for o in self.updated],
            "skipped_rows": [s.as_dict() for s in self.skipped],
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            "added_departments": self.added_departments,
            "rows_read": self.rows_read,
            "totals": {k.removesuffix("_fen") + "_yuan": fen_to_yuan_str(v) for k, v in self.totals_fen.items()},
        }


# the Project attributes a row of the sheet gives (SummaryRow has the same names)
VALUE_ATTRS = ("category", "nature", "total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen",
               "period_months", "content", "responsible_person", "responsible_phone", "cobuilt", "note",
               "city_share_fen", "county_share_fen")


def _values(r: SummaryRow) -> dict:
    return dict(zip(VALUE_ATTRS, attrgetter(*VALUE_ATTRS)(r), strict=True))


def read_workbook(path: str | Path) -> Book:
    """Read a workbook once (sniffed, every sheet's cells): the wizard interprets it again and again from this."""
    return read_book(sniff(path))


def read_projects(source: Book | str | Path, sheet: str | None = None, year: int | None = None,
                  mapping: dict[str, str] | None = None, unit: str | None = None,
                  cancelled: Callable[[], bool] | None = None) -> SummaryReadResult:
    """The reading of a workbook (no database): sheet, header, columns, units, rows, skipped rows, errors."""
    return read_summary(source, sheet=sheet, mapping_override=mapping, year=year, unit_override=unit,
                        cancelled=cancelled)


def _report(result: SummaryReadResult, dry_run: bool) -> ImportReport:
    return ImportReport(file=result.path, sheet=result.sheet, dry_run=dry_run, skipped=list(result.skipped),
                        errors=list(result.errors), warnings=list(result.warnings),
                        totals_fen=result.totals_fen(), rows_read=len(result.rows), year=result.year,
                        header_rows=list(result.header_rows), columns=list(result.columns),
                        unrecognised=list(result.unrecognised), sheets=list(result.sheets),
                        candidates=list(result.candidates),
                        split_pending=[r.row for r in result.rows if r.split_pending],
                        labels=list(result.labels), preview=result.preview)


def import_projects(uow: UnitOfWork, source: SummaryReadResult | Book | str | Path, dry_run: bool = False,
                    add_departments: bool = False, progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None, sheet: str | None = None,
                    year: int | None = None) -> ImportReport:
    """Validate and write within `uow` (the caller commits). With errors nothing is written: the session is
    rolled back to where it was and report.ok is False. Every error is reported in one pass: the sheet's, and
    the departments of every project row (also of rows with other errors). Raises UnreadableError for
    unreadable files."""
    result = source if isinstance(source, SummaryReadResult) else read_summary(source, sheet=sheet, year=year,
                                                                               cancelled=cancelled)
    report = _report(result, dry_run)
    require(uow.actor, "project.register")
    if not result.departments_seen and report.errors:
        return report
    present = {c.field for c in result.columns} | set(ALWAYS)
    attrs = [FIELD_ATTRS[f] for f in FIELD_ATTRS if f in present]
    match = department_matcher(uow)
    dept_of: dict[str, int | None] = {}
    new_departments: dict[str, str] = {}  # normalised → as written
    sheet_name = result.sheet or ""
    name_col = result.department_column or "实施单位"
    name_letter = next((c.letter for c in result.columns if c.field == "department"), None)
    for row, written in result.departments_seen:
        if written in dept_of:
            continue
        found = match(written)
        dept_of[written] = found.id if found else None
        if found is None and add_departments:
            new_departments.setdefault(normalize_name(written), written)
    if not add_departments:
        for row, written in result.departments_seen:
            if dept_of[written] is None:
                report.errors.append(CellError(sheet_name, row, name_col,
                                               f"实施单位“{written}”不在单位名录中（可为已有单位设置别名，"
                                               "或导入时选择“自动添加新单位”）", letter=name_letter,
                                               kind="unknown-department"))
    elif new_departments:
        require(uow.actor, "master.edit")
    allowed = {d: can(uow.actor, "project.register", d) for d in set(dept_of.values()) if d is not None}
    for row, written in result.departments_seen:
        dept_id = dept_of[written]
        if dept_id is not None and not allowed[dept_id]:
            report.errors.append(CellError(sheet_name, row, name_col,
                                           refusal_message(uow.actor, "project.register", dept_id),
                                           letter=name_letter, kind="permission"))
    seen: dict[tuple[int, object], dict[str, int]] = {}  # (year, department) → normalised name → first row
    for r in result.rows:
        dept_id = dept_of.get(r.department)
        names = seen.setdefault((r.year, dept_id if dept_id is not None else normalize_name(r.department)), {})
        k = normalize_name(r.name)
        if k in names:
            report.errors.append(CellError(sheet_name, r.row, next((c.header for c in result.columns
                                                                     if c.field == "name"), "项目名称"),
                                           f"与第 {names[k]} 行是同一个项目（同一年度、实施单位和项目名称）",
                                           kind="duplicate-project"))
        names.setdefault(k, r.row)
    report.errors.sort(key=lambda e: (e.row or 0))
    if report.errors:
        return report
    savepoint = uow.session.begin_nested()
    try:
        for norm, written in new_departments.items():
            view = add_department(uow, written)
            report.added_departments.append(view.name)
            for written_as in list(dept_of):
                if normalize_name(written_as) == norm:
                    dept_of[written_as] = view.id
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
    new_rows: list[SummaryRow] = []
    total = len(result.rows)
    for i, r in enumerate(result.rows, 1):
        if cancelled is not None and i % 500 == 0 and cancelled():
            report.errors.append(CellError(sheet, None, None, "导入已取消，未写入任何数据"))
            return
        if progress is not None and i % 500 == 0:
            progress(i, total)
        dept_id = dept_of[r.department]
        old = existing.get((r.year, dept_id, normalize_name(r.name))) if existing else None
        values = _values(r)
        if old is None:
            try:
                check_figures({"name": r.name, **values}, split_pending=r.split_pending)
            except GovDataError as exc:
                report.errors.append(CellError(sheet, r.row, None, exc.message))
                continue
            new_rows.append(r)
            continue
        code, before = old
        changes = {a: values[a] for a in attrs if before.get(a) != values[a]}
        outcome_changes = {a: [before.get(a), values[a]] for a in changes}
        if not changes:
            report.unchanged.append(RowOutcome(r.row, code, r.name, r.department))
            continue
        try:
            update_project(uow, code, changes, split_pending=r.split_pending)
        except GovDataError as exc:
            report.errors.append(CellError(sheet, r.row, None, f"项目 {code}：{exc.message}"))
            continue
        report.updated.append(RowOutcome(r.row, code, r.name, r.department, outcome_changes))
    if report.errors or not new_rows:
        return
    codes: dict[int, list[str]] = {}
    purpose = f"Excel 导入：{Path(result.path).name}"
    for year in sorted({r.year for r in new_rows}):
        n = sum(1 for r in new_rows if r.year == year)
        codes[year] = []
        for start in range(0, n, NUMBERS_AT_ONCE):  # consecutive: the transaction holds the sequence's lock
            codes[year] += issue_numbers(uow, "project", year, min(NUMBERS_AT_ONCE, n - start), purpose)
    taken = {y: iter(c) for y, c in codes.items()}
    now = utcnow()
    fixed = {"status": "draft", "version": 1, "created_at": now, "updated_at": now}
    names = ["code", "name", "department_id", "year", *VALUE_ATTRS]
    created = report.created
    row_values = attrgetter(*VALUE_ATTRS)

    def payload() -> Iterator[tuple]:  # streamed into executemany: no second copy of 100,000 rows
        for r in new_rows:
            code = next(taken[r.year])
            created.append(RowOutcome(r.row, code, r.name, r.department))
            yield (code, r.name, dept_of[r.department], r.year, *row_values(r))

    insert_many(uow, cast(Table, Project.__table__), names, payload(), fixed)
    uow.audit("project.import", "import", Path(result.path).name, {
        "file": Path(result.path).name, "sheet": result.sheet,
        "created": {o.code: o.name for o in created},  # code → name; project_history finds "CODE" here
        "updated": [o.code for o in report.updated], "unchanged": len(report.unchanged)})
    if progress is not None:
        progress(total, total)


def insert_many(uow: UnitOfWork, table: Table, names: Sequence[str], rows: Iterable[tuple], fixed: dict) -> None:
    """INSERT rows (tuples in the order of `names`, each with the same `fixed` values added) in the unit of
    work's transaction, with the driver's executemany, the rows taken from `rows` as it yields them (an iterator
    is never held whole). Does what SQLAlchemy Core's insert would (column defaults, the types' bind conversions):
    Core's per-row parameter handling cost more than SQLite's own insert."""
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
    procs = [(i, proc) for i, name in enumerate(names)
             if (proc := table.c[name].type._cached_bind_processor(dialect)) is not None]
    tail = tuple(proc(value) if (proc := table.c[name].type._cached_bind_processor(dialect)) else value
                 for name, value in fixed.items())
    width = len(names)

    def params() -> Iterator[tuple]:
        for row in rows:
            if len(row) != width:
                raise ValueError(f"a row of {len(row)} values for {width} columns")
            if procs:
                cells = list(row)
                for i, proc in procs:
                    cells[i] = proc(cells[i])
                row = tuple(cells)
            yield row + tail

    all_names = [*names, *fixed]
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({', '.join(map(quote, all_names))}) "
           f"VALUES ({', '.join([marker] * len(all_names))})")
    cursor = conn.connection.cursor()  # the transaction's own driver connection
    try:
        cursor.executemany(sql, params())  # type: ignore[arg-type]  # any iterable, as the DB-API allows
    except dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy itself would raise it
        raise DBAPIError.instance(sql, None, exc, dialect.loaded_dbapi.Error, dialect=dialect) from exc
    finally:
        cursor.close()


def digest(path: str | Path) -> str | None:
    """The file's SHA-256 (named in the audit trail with an import or its refusal), streamed: a device such as
    /dev/zero, or a file past the size limit, gives None."""
    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except GovDataError:
        return None
    return hashlib.sha256(data).hexdigest()


def refusal(report: ImportReport | EstimateImportReport, action: str = "project.import") -> ImportRefused:
    """The refusal of an import whose report has errors, named for the audit trail (the boundary records it)."""
    exc = refused(report)
    name = Path(report.file).name
    exc.refusing(action, "import", name, file=str(report.file), sha256=digest(report.file),
                 errors=[e.as_dict() for e in report.errors[:50]], error_count=len(report.errors))
    return exc


def run_import(db: Database, actor: Actor, path: str | Path | Book, sheet: str | None = None, dry_run: bool = False,
               add_departments: bool = False, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None, year: int | None = None,
               mapping: dict[str, str] | None = None, unit: str | None = None) -> ImportReport:
    """The whole import as the command line and the window run it: read (a path, or a Book the wizard read once),
    check, write in one transaction, commit when everything is right. Returns the report (report.ok False:
    nothing was written; `refusal(report)` is what the boundary records). Raises UnreadableError, named for the
    audit trail, for unreadable or hostile files."""
    try:
        result = read_summary(path, sheet=sheet, mapping_override=mapping, year=year, unit_override=unit,
                              cancelled=cancelled)
    except UnreadableError as exc:
        name = Path(path.path if isinstance(path, Book) else path).name
        raise exc.refusing("project.import", "import", name, file=str(path), message=exc.message) from None
    with db.uow(actor) as uow, gc_paused():
        report = import_projects(uow, result, dry_run=dry_run, add_departments=add_departments,
                                 progress=progress, cancelled=cancelled)
        if cancelled is not None and cancelled():
            report.errors.append(CellError(result.sheet, None, None, "导入已取消，未写入任何数据", kind="cancelled"))
        if report.ok and not dry_run:
            uow.commit()
    return report


# ---------------------------------------------------------------- the ledger out


def record_export(uow: UnitOfWork, path: str | Path, count: int, **what: object) -> None:
    """One audit record of a ledger export: what (the filters), how many rows, to which file name."""
    uow.audit("project.export", "export", Path(path).name, {"file": Path(path).name, "rows": count, **what})


# the ledger's values (app.excel.writers.LEDGER_ATTRS) straight from the tables: no ORM objects for 100,000 projects
_LEDGER_SELECT = {"department": "d.name", "status_label": "p.status"}
_LEDGER_SQL = ("SELECT {columns}, p.department_id FROM projects p JOIN departments d ON d.id = p.department_id"
               "{where} ORDER BY p.year DESC, p.code")
_PERSON, _PHONE = "responsible_person", "responsible_phone"


def _ledger_query(actor: Actor, ledger_attrs: Sequence[str], year: int | None,
                  status: str | None) -> tuple[str, list[Any]]:
    """The SELECT of the ledger's rows (in list_projects' order, with its filters and its department limit)."""
    where: list[str] = []
    params: list[Any] = []
    if year is not None:
        where.append("p.year = ?")
        params.append(check_year(year))
    if status:
        if status not in STATUS_LABELS:
            raise InputError(f"未知的状态：{status}（可用：{'、'.join(STATUS_LABELS)}）")
        where.append("p.status = ?")
        params.append(status)
    if not can(actor, "project.read_all"):
        where.append("p.department_id = ?")
        params.append(actor.department_id)
    columns = ", ".join(_LEDGER_SELECT.get(a, f"p.{a}") for a in ledger_attrs)
    return _LEDGER_SQL.format(columns=columns, where=(" WHERE " + " AND ".join(where)) if where else ""), params


def _ledger_rows(cursor: Any, actor: Actor, ledger_attrs: Sequence[str]) -> Iterator[tuple]:
    """The cursor's rows as the ledger writes them: the state's Chinese label, and the responsible person and phone
    masked where the actor may not see them (as list_projects' mask_projects does)."""
    i_status = ledger_attrs.index("status_label")
    i_person, i_phone = ledger_attrs.index(_PERSON), ledger_attrs.index(_PHONE)
    sees: dict[int | None, bool] = {}
    while batch := cursor.fetchmany(2000):
        for row in batch:
            dept = row[-1]
            values = list(row[:-1])
            values[i_status] = STATUS_LABELS.get(values[i_status], values[i_status])
            if dept not in sees:
                sees[dept] = visible(actor, dept)
            if not sees[dept]:
                values[i_person], values[i_phone] = mask_text(values[i_person]), mask_phone(values[i_phone])
            yield tuple(values)


def export_ledger(db: Database, actor: Actor, path: str | Path, year: int | None = None,
                  status: str | None = None, progress: Callable[[int, int], None] | None = None,
                  codes: Sequence[str] | None = None) -> int:
    """The project ledger (项目台账) of the register, filtered by year and state, to .xlsx; returns the number of
    projects. The rows stream from one read transaction (a plain SELECT: no ORM objects) into a write-only workbook,
    so no write lock is held while openpyxl works and 100,000 projects are never in memory at once; then the
    export is recorded (committed). `codes`: only these projects, in this order (the window's shown rows)."""
    from app.excel.writers import LEDGER_ATTRS, write_ledger_rows  # openpyxl only for an export

    with db.uow(actor, write=False) as uow:
        require(actor, "export")
        require(actor, "project.read")
        county = county_settings(uow).county
        title = f"{county}{f'{year}年度' if year else ''}政务大数据项目台账"
        sql, params = _ledger_query(actor, LEDGER_ATTRS, year, status)
        cursor = _driver_cursor(uow)
        try:
            rows: Iterable[tuple]
            if codes is None:
                count_sql = "SELECT count(*) FROM (" + sql.rsplit(" ORDER BY ", 1)[0] + ") AS shown"
                cursor.execute(*_driver_sql(uow, count_sql, params))
                total = int(cursor.fetchone()[0])
                cursor.execute(*_driver_sql(uow, sql, params))
                rows = _ledger_rows(cursor, actor, LEDGER_ATTRS)
            else:  # the rows the window shows, in its order
                cursor.execute(*_driver_sql(uow, sql, params))
                i_code = LEDGER_ATTRS.index("code")
                by_code = {r[i_code]: r for r in _ledger_rows(cursor, actor, LEDGER_ATTRS)}
                rows = [by_code[c] for c in codes if c in by_code]
                total = len(rows)
            n = write_ledger_rows(path, rows, title=title, progress=progress, total=total)
        finally:
            cursor.close()
    with db.uow(actor) as uow:
        record_export(uow, path, n, year=year, status=status, **({"shown_rows": True} if codes is not None else {}))
        uow.commit()
    return n


def _driver_cursor(uow: UnitOfWork) -> Any:
    """A cursor of the unit of work's own driver connection (its transaction), for rows read by the thousand."""
    return uow.session.connection().connection.cursor()


def _driver_sql(uow: UnitOfWork, sql: str, params: Sequence[Any]) -> tuple[str, tuple]:
    """SQL written with ? placeholders, in the driver's style (psycopg takes %s)."""
    if uow.session.connection().dialect.paramstyle != "qmark":
        sql = sql.replace("%", "%%").replace("?", "%s")
    return sql, tuple(params)


@dataclass(frozen=True)
class TemplateExport:
    path: str
    year: int
    departments: int


def export_template(db: Database, actor: Actor, path: str | Path, year: int | None = None) -> TemplateExport:
    """The fill-in template the departments send back (项目申报表, drop-down lists of the active departments,
    categories and natures), for `year` (default: next year); recorded. The window and `govdata export-template`
    both call this. Reads in one short transaction, so it never waits on nor holds a write lock."""
    from app.excel.writers import write_template  # openpyxl only for an export

    year = year or dt.date.today().year + 1
    with db.uow(actor, write=False) as uow:
        require(actor, "export")
        names = [d.name for d in list_departments(uow) if d.active]
        county = county_settings(uow).county
    write_template(path, names, year, title=f"{county}{year}年度政务大数据项目预算申报表")
    with db.uow(actor) as uow:
        uow.audit("template.export", "file", Path(path).name, {"file": Path(path).name, "year": year})
        uow.commit()
    return TemplateExport(str(path), year, len(names))


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
        raise exc.refusing("estimate.import", "import", Path(path).name, file=str(path), message=exc.message,
                           project=code) from None
    with db.uow(actor) as uow:
        report = import_estimate(uow, code, result, dry_run=dry_run)
        if report.ok and not dry_run:
            uow.commit()
    return report


def refused(report: ImportReport | EstimateImportReport) -> ImportRefused:
    return ImportRefused(f"导入被拒绝：共 {len(report.errors)} 处错误，未写入任何数据", [e.as_dict() for e in report.errors])

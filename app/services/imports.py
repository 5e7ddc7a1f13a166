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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import DBAPIError

from app.domain.actor import Actor
from app.domain.money import fen_to_yuan_str
from app.errors import UnreadableError
from app.excel.estimate import EstimateReadResult, read_estimate
from app.excel.sniff import sniff
from app.excel.summary import CellError, SummaryReadResult, gc_paused, read_summary
from app.excel.workbook import Book, read_book
from app.models import Project
from app.services.importcore import (  # the algorithm and its report (re-exported: callers import them from here)
    ALWAYS,
    FIELD_ATTRS,
    NUMBERS_AT_ONCE,
    VALUE_ATTRS,
    ImportReport,
    RowOutcome,
    digest,
    import_rows,
    read_for_import,
    refusal,
    refused,
)
from app.services.ledgerexport import count_query, export_detail, ledger_query, ledger_rows, ledger_title
from app.services.master import add_department, county_settings, department_matcher, list_departments
from app.services.numbering import issue_numbers
from app.services.permissions import require
from app.services.projects import EstimateLine, load_project, replace_estimate, update_project
from app.storage.database import Database, UnitOfWork

__all__ = ["ALWAYS", "FIELD_ATTRS", "NUMBERS_AT_ONCE", "VALUE_ATTRS", "EstimateImportReport", "ImportReport",
           "OrmStore", "RowOutcome", "TemplateExport", "digest", "export_ledger", "export_template", "import_estimate",
           "import_projects", "insert_many", "read_projects", "read_workbook", "record_export", "refusal", "refused",
           "run_estimate_import", "run_import"]


def read_workbook(path: str | Path) -> Book:
    """Read a workbook once (sniffed, every sheet's cells): the wizard interprets it again and again from this."""
    return read_book(sniff(path))


def read_projects(source: Book | str | Path, sheet: str | None = None, year: int | None = None,
                  mapping: dict[str, str] | None = None, unit: str | None = None,
                  cancelled: Callable[[], bool] | None = None) -> SummaryReadResult:
    """The reading of a workbook (no database): sheet, header, columns, units, rows, skipped rows, errors."""
    return read_summary(source, sheet=sheet, mapping_override=mapping, year=year, unit_override=unit,
                        cancelled=cancelled)


class OrmStore:
    """The import's store over a unit of work: the ORM's services for what they guard (update_project: the history
    and 第十七条; add_department; the numbering service), Core and the driver's executemany for the bulk insert."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def department_of(self) -> Callable[[str], int | None]:
        match = department_matcher(self.uow)

        def department_id(name: str) -> int | None:
            found = match(name)
            return found.id if found else None

        return department_id

    def add_department(self, name: str) -> tuple[int, str]:
        view = add_department(self.uow, name)
        return view.id, view.name

    def existing(self, years: set[int], dept_ids: set[int], attrs: Sequence[str]) -> Iterable[Sequence[Any]]:
        cols = [Project.code, Project.year, Project.department_id, Project.name] + [getattr(Project, a) for a in attrs]
        return self.uow.session.execute(select(*cols).where(Project.year.in_(years),
                                                            Project.department_id.in_(dept_ids)))

    def update(self, code: str, changes: dict, split_pending: bool) -> None:
        update_project(self.uow, code, changes, split_pending=split_pending)

    def issue_codes(self, year: int, n: int, purpose: str) -> list[str]:
        return issue_numbers(self.uow, "project", year, n, purpose)

    def insert(self, names: Sequence[str], rows: Iterable[tuple], fixed: dict) -> None:
        insert_many(self.uow, cast(Table, Project.__table__), names, rows, fixed)

    def audit(self, action: str, object_type: str, object_id: object, detail: dict) -> None:
        self.uow.audit(action, object_type, object_id, detail)

    def savepoint(self) -> Any:
        return self.uow.session.begin_nested()


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
    return import_rows(OrmStore(uow), uow.actor, result, dry_run=dry_run, add_departments=add_departments,
                       progress=progress, cancelled=cancelled)


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


def run_import(db: Database, actor: Actor, path: str | Path | Book | SummaryReadResult, sheet: str | None = None,
               dry_run: bool = False, add_departments: bool = False,
               progress: Callable[[int, int], None] | None = None, cancelled: Callable[[], bool] | None = None,
               year: int | None = None, mapping: dict[str, str] | None = None, unit: str | None = None) -> ImportReport:
    """The whole import as the command line and the window run it: read (a path, a Book the wizard read once, or a
    reading already made), check, write in one transaction, commit when everything is right. Returns the report
    (report.ok False: nothing was written; `refusal(report)` is what the boundary records). Raises UnreadableError,
    named for the audit trail, for unreadable or hostile files."""
    result = path if isinstance(path, SummaryReadResult) else read_for_import(path, sheet, year, mapping, unit,
                                                                              cancelled)
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
    uow.audit("project.export", "export", Path(path).name, export_detail(path, count, **what))


def export_ledger(db: Database, actor: Actor, path: str | Path, year: int | None = None,
                  status: str | None = None, progress: Callable[[int, int], None] | None = None,
                  codes: Sequence[str] | None = None) -> int:
    """The project ledger (项目台账) of the register, filtered by year and state, to .xlsx; returns the number of
    projects. The rows stream from one read transaction (a plain SELECT: no ORM objects) into a write-only workbook,
    so no write lock is held while openpyxl works and 100,000 projects are never in memory at once; then the
    export is recorded (committed). `codes`: only these projects, in this order (the window's shown rows)."""
    from app.excel.writers import LEDGER_ATTRS, write_ledger_rows  # openpyxl only for an export

    with db.uow(actor, write=False) as uow:
        sql, params = ledger_query(actor, LEDGER_ATTRS, year, status)
        title = ledger_title(county_settings(uow).county, year)
        cursor = _driver_cursor(uow)
        try:
            rows: Iterable[tuple]
            if codes is None:
                cursor.execute(*_driver_sql(uow, count_query(sql), params))
                total = int(cursor.fetchone()[0])
                cursor.execute(*_driver_sql(uow, sql, params))
                rows = ledger_rows(cursor, actor, LEDGER_ATTRS)
            else:  # the rows the window shows, in its order
                cursor.execute(*_driver_sql(uow, sql, params))
                i_code = LEDGER_ATTRS.index("code")
                by_code = {r[i_code]: r for r in ledger_rows(cursor, actor, LEDGER_ATTRS)}
                rows = [by_code[c] for c in codes if c in by_code]
                total = len(rows)
            n = write_ledger_rows(path, rows, title=title, progress=progress, total=total)
        finally:
            cursor.close()
    with db.recording(actor) as uow:  # read-only or busy: the export stands, and the face says it is not recorded
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
    with db.recording(actor) as uow:
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

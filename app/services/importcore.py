"""The Excel import and the ledger export as one algorithm over a store: no ORM, no SQLAlchemy here.

Two stores carry it out. `app.services.imports` keeps the unit of work's (the ORM, PostgreSQL, the window, a
database to upgrade, rows that update projects or departments to add); `app.services.importsql` keeps a sqlite3
writer's (the command line on a local file: new and unchanged rows, in SQL text, without loading SQLAlchemy). The
checks, their order and messages, the codes, the rows written and the audit record are this module's, so both stores
write the same thing; a store that cannot do a step (the SQL store updating a project) raises NeedsFullStore and
the caller runs the import again over the unit of work's store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any, Protocol

from app.domain.actor import Actor
from app.domain.figures import MONEY_FIELDS, check_project_figures
from app.domain.money import fen_to_yuan_str
from app.domain.names import normalize_name
from app.errors import GovDataError, ImportRefused, UnreadableError
from app.excel.sniff import MAX_FILE_BYTES
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
from app.excel.workbook import Book
from app.services.permissions import can, refusal_message, require
from app.storage.fileio import read_limited

# sheet field → Project attribute, for the fields an import may write
FIELD_ATTRS = {"category": "category", "nature": "nature", "total": "total_fen", "county": "county_fen",
               "upper": "upper_fen", "other": "other_fen", "year_request": "year_request_fen",
               "period": "period_months", "content": "content", "person": "responsible_person",
               "phone": "responsible_phone", "cobuilt": "cobuilt", "note": "note", "city_share": "city_share_fen",
               "county_share": "county_share_fen"}
ALWAYS = ("category", "nature", "total", "county", "upper", "other")
NUMBERS_AT_ONCE = 5_000  # project codes issued in batches: 100,000 at once cost the import's peak memory
# the Project attributes a row of the sheet gives (SummaryRow has the same names)
VALUE_ATTRS = ("category", "nature", "total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen",
               "period_months", "content", "responsible_person", "responsible_phone", "cobuilt", "note",
               "city_share_fen", "county_share_fen")
# what a new project row holds besides the sheet's values (the model's defaults; created_at/updated_at: now)
NEW_PROJECT = {"status": "draft", "version": 1, "data_landed": False}
INSERT_COLUMNS = ("code", "name", "department_id", "year", *VALUE_ATTRS)
_ROW_VALUES = attrgetter(*VALUE_ATTRS)  # a SummaryRow's VALUE_ATTRS, as a tuple
_MONEY = attrgetter(*MONEY_FIELDS)  # a SummaryRow's amounts, in the order check_project_figures takes them


@dataclass(slots=True)
class RowOutcome:
    row: int
    code: str | None
    name: str
    department: str
    changes: dict | None = None  # attribute → [before, after] for updates

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


class NeedsFullStore(Exception):  # noqa: N818 - a signal to the caller, not an error a user sees
    """The store cannot do this step (update a project, add a department): run the import over the full store."""


class ImportStore(Protocol):
    """What the import needs from the database, inside the caller's one transaction."""

    def department_of(self) -> Callable[[str], int | None]: ...  # a name as written → department id

    def add_department(self, name: str) -> tuple[int, str]: ...  # (id, name as stored)

    def existing(self, years: set[int], dept_ids: set[int], attrs: Sequence[str]) -> Iterable[Sequence[Any]]:
        ...  # (code, year, department_id, name, *attrs) of the projects already there

    def update(self, code: str, changes: dict, split_pending: bool) -> None: ...

    def issue_codes(self, year: int, n: int, purpose: str) -> list[str]: ...

    def insert(self, names: Sequence[str], rows: Iterable[tuple], fixed: dict) -> None: ...

    def audit(self, action: str, object_type: str, object_id: object, detail: dict) -> None: ...

    def savepoint(self) -> Any: ...  # .rollback() / .commit()


def values_of(r: SummaryRow) -> dict:
    return dict(zip(VALUE_ATTRS, _ROW_VALUES(r), strict=True))


def report_of(result: SummaryReadResult, dry_run: bool) -> ImportReport:
    return ImportReport(file=result.path, sheet=result.sheet, dry_run=dry_run, skipped=list(result.skipped),
                        errors=list(result.errors), warnings=list(result.warnings),
                        totals_fen=result.totals_fen(), rows_read=len(result.rows), year=result.year,
                        header_rows=list(result.header_rows), columns=list(result.columns),
                        unrecognised=list(result.unrecognised), sheets=list(result.sheets),
                        candidates=list(result.candidates),
                        split_pending=[r.row for r in result.rows if r.split_pending],
                        labels=list(result.labels), preview=result.preview)


def import_rows(store: ImportStore, actor: Actor, result: SummaryReadResult, dry_run: bool = False,
                add_departments: bool = False, progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Validate and write through `store` (the caller commits its transaction). With errors nothing is written: the
    store is rolled back to where it was and report.ok is False. Every error is reported in one pass: the sheet's,
    and the departments of every project row (also of rows with other errors)."""
    report = report_of(result, dry_run)
    require(actor, "project.register")
    if not result.departments_seen and report.errors:
        return report
    present = {c.field for c in result.columns} | set(ALWAYS)
    attrs = [FIELD_ATTRS[f] for f in FIELD_ATTRS if f in present]
    match = store.department_of()
    dept_of: dict[str, int | None] = {}
    new_departments: dict[str, str] = {}  # normalised → as written
    sheet_name = result.sheet or ""
    name_col = result.department_column or "实施单位"
    name_letter = next((c.letter for c in result.columns if c.field == "department"), None)
    for _row, written in result.departments_seen:
        if written in dept_of:
            continue
        dept_of[written] = found = match(written)
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
        require(actor, "master.edit")
    allowed = {d: can(actor, "project.register", d) for d in set(dept_of.values()) if d is not None}
    for row, written in result.departments_seen:
        dept_id = dept_of[written]
        if dept_id is not None and not allowed[dept_id]:
            report.errors.append(CellError(sheet_name, row, name_col, refusal_message(actor, "project.register", dept_id),
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
    savepoint = store.savepoint()
    try:
        for norm, written in new_departments.items():
            dept_id, name = store.add_department(written)
            report.added_departments.append(name)
            for written_as in list(dept_of):
                if normalize_name(written_as) == norm:
                    dept_of[written_as] = dept_id
        with gc_paused():
            _write_rows(store, result, report, dept_of, attrs, progress, cancelled)
    except GovDataError as exc:
        report.errors.append(CellError(result.sheet or "", None, None, exc.message))
    except BaseException:
        savepoint.rollback()
        raise
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


def _write_rows(store: ImportStore, result: SummaryReadResult, report: ImportReport, dept_of: dict,
                attrs: list[str], progress: Callable[[int, int], None] | None,
                cancelled: Callable[[], bool] | None) -> None:
    sheet = result.sheet or ""
    years = {r.year for r in result.rows}
    dept_ids = {d for d in dept_of.values() if d is not None}
    existing: dict[tuple[int, int, str], tuple[str, dict]] = {}
    for row in store.existing(years, dept_ids, attrs):
        existing[(row[1], row[2], normalize_name(row[3]))] = (row[0], dict(zip(attrs, row[4:], strict=True)))
    new_rows: list[SummaryRow] = []
    total = len(result.rows)
    for i, r in enumerate(result.rows, 1):
        if cancelled is not None and i % 500 == 0 and cancelled():
            report.errors.append(CellError(sheet, None, None, "导入已取消，未写入任何数据"))
            return
        if progress is not None and i % 500 == 0:
            progress(i, total)
        old = existing.get((r.year, dept_of[r.department], normalize_name(r.name))) if existing else None
        if old is None:
            try:
                check_project_figures(r.name, r.category, r.nature, _MONEY(r), r.period_months, r.cobuilt,
                                      r.split_pending)
            except GovDataError as exc:
                report.errors.append(CellError(sheet, r.row, None, exc.message))
                continue
            new_rows.append(r)
            continue
        values = values_of(r)
        code, before = old
        changes = {a: values[a] for a in attrs if before.get(a) != values[a]}
        outcome_changes = {a: [before.get(a), values[a]] for a in changes}
        if not changes:
            report.unchanged.append(RowOutcome(r.row, code, r.name, r.department))
            continue
        try:
            store.update(code, changes, r.split_pending)
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
            codes[year] += store.issue_codes(year, min(NUMBERS_AT_ONCE, n - start), purpose)
    taken = {y: iter(c) for y, c in codes.items()}
    now = utcnow()
    created = report.created
    add = created.append

    def payload() -> Iterator[tuple]:  # streamed into executemany: no second copy of 100,000 rows
        for r in new_rows:
            code = next(taken[r.year])
            add(RowOutcome(r.row, code, r.name, r.department))
            yield (code, r.name, dept_of[r.department], r.year, *_ROW_VALUES(r))

    store.insert(INSERT_COLUMNS, payload(), {**NEW_PROJECT, "created_at": now, "updated_at": now})
    store.audit("project.import", "import", Path(result.path).name, {
        "file": Path(result.path).name, "sheet": result.sheet,
        "created": {o.code: o.name for o in created},  # code → name; project_history finds "CODE" here
        "updated": [o.code for o in report.updated], "unchanged": len(report.unchanged)})
    if progress is not None:
        progress(total, total)


def read_for_import(source: str | Path | Book, sheet: str | None = None, year: int | None = None,
                    mapping: dict[str, str] | None = None, unit: str | None = None,
                    cancelled: Callable[[], bool] | None = None) -> SummaryReadResult:
    """The reading of a workbook for an import; an unreadable or hostile file raises UnreadableError named for the
    audit trail (the refused import of that file)."""
    try:
        return read_summary(source, sheet=sheet, mapping_override=mapping, year=year, unit_override=unit,
                            cancelled=cancelled)
    except UnreadableError as exc:
        where = source.path if isinstance(source, Book) else str(source)
        raise exc.refusing("project.import", "import", Path(where).name, file=where, message=exc.message) from None


def utcnow() -> dt.datetime:
    """As app.models.base.utcnow: UTC without a zone."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# ---------------------------------------------------------------- refusals


def digest(path: str | Path) -> str | None:
    """The file's SHA-256 (named in the audit trail with an import or its refusal), streamed: a device such as
    /dev/zero, or a file past the size limit, gives None."""
    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except GovDataError:
        return None
    return hashlib.sha256(data).hexdigest()


def refused(report: Any) -> ImportRefused:
    return ImportRefused(f"导入被拒绝：共 {len(report.errors)} 处错误，未写入任何数据", [e.as_dict() for e in report.errors])


def refusal(report: Any, action: str = "project.import") -> ImportRefused:
    """The refusal of an import whose report has errors, named for the audit trail (the boundary records it)."""
    exc = refused(report)
    name = Path(report.file).name
    exc.refusing(action, "import", name, file=str(report.file), sha256=digest(report.file),
                 errors=[e.as_dict() for e in report.errors[:50]], error_count=len(report.errors))
    return exc

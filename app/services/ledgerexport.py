"""The ledger export's rows in SQL text, and the export on a sqlite3 writer (app.storage.writer): the command line's
way on a local database file, without SQLAlchemy, the ORM or the Excel reader.

    sql, params = ledger_query(actor, LEDGER_ATTRS, year, status)   # list_projects' rows, order and limits
    n, recorded = export_ledger_sql(writer, actor, path, year=None, status=None)

app.services.imports.export_ledger writes the same file through the unit of work with the same query; both record
the export with export_detail. Apart from app.services.importsql (the import's store) so that an export loads
neither python-calamine nor the summary reader.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from app.domain.actor import Actor
from app.domain.inputs import check_year
from app.domain.vocabulary import DEFAULT_SETTINGS, STATUS_LABELS
from app.errors import InputError
from app.services.permissions import can, require
from app.services.privacy import mask_phone, mask_text, visible
from app.storage import dberrors
from app.storage.chain import append_sql, sql_chain_state
from app.storage.writer import Writer


def settings_of(con: Any) -> dict[str, str]:
    """As master.get_settings: the defaults, overridden by what is stored."""
    return dict(DEFAULT_SETTINGS) | {k: v for k, v in con.execute("SELECT key, value FROM settings")}


_LEDGER_SELECT = {"department": "d.name", "status_label": "p.status"}
_LEDGER_SQL = ("SELECT {columns}, p.department_id FROM projects p JOIN departments d ON d.id = p.department_id"
               "{where} ORDER BY p.year DESC, p.code")
_PERSON, _PHONE = "responsible_person", "responsible_phone"


def ledger_query(actor: Actor, ledger_attrs: Sequence[str], year: int | None,
                 status: str | None) -> tuple[str, list[Any]]:
    """The SELECT of the ledger's rows (in list_projects' order, with its filters and its department limit), with ?
    placeholders; the count of the same rows is `count_query(sql)`."""
    require(actor, "export")
    require(actor, "project.read")
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


def count_query(sql: str) -> str:
    return "SELECT count(*) FROM (" + sql.rsplit(" ORDER BY ", 1)[0] + ") AS shown"


def ledger_rows(cursor: Any, actor: Actor, ledger_attrs: Sequence[str]) -> Iterator[tuple]:
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


def ledger_title(county: str, year: int | None) -> str:
    return f"{county}{f'{year}年度' if year else ''}政务大数据项目台账"


def export_detail(path: str | Path, count: int, **what: object) -> dict:
    """The audit record's detail of a ledger export: what (the filters), how many rows, to which file name."""
    return {"file": Path(path).name, "rows": count, **what}


def export_ledger_sql(writer: Writer, actor: Actor, path: str | Path, year: int | None = None,
                      status: str | None = None, progress: Callable[[int, int], None] | None = None
                      ) -> tuple[int, bool]:
    """imports.export_ledger on the writer: the rows stream from the file (a read snapshot, no transaction held)
    into the write-only workbook; then the export is recorded in its own short write transaction. Returns the rows
    written and whether the export was recorded: False when the audit trail needs auditchain's way (see
    chain.sql_chain_state), and the caller records it with imports.record_export."""
    from app.excel.writers import LEDGER_ATTRS, write_ledger_rows  # openpyxl only for an export

    sql, params = ledger_query(actor, LEDGER_ATTRS, year, status)
    title = ledger_title(settings_of(writer.con)["county"], year)
    con = writer.con
    con.execute("BEGIN")  # one snapshot for the count and the rows (a read transaction: writers go on, WAL)
    try:
        total = int(con.execute(count_query(sql), params).fetchone()[0])
        n = write_ledger_rows(path, _rows(con, sql, params, actor, LEDGER_ATTRS), title=title, progress=progress,
                              total=total)
    finally:
        con.rollback()
    try:
        with writer.transaction() as con:
            chain = sql_chain_state(con)
            if chain is None:
                return n, False
            append_sql(con, chain, actor, "project.export", "export", Path(path).name,
                       export_detail(path, n, year=year, status=status))
    except sqlite3.DatabaseError as exc:  # busy past the timeout or a full disk: the export stands, said unrecorded
        why = dberrors.not_recorded(exc)
        if why is None:
            raise
        writer.not_recorded.append(why)
    return n, True


def _rows(con: Any, sql: str, params: Sequence[Any], actor: Actor, attrs: Sequence[str]) -> Iterator[tuple]:
    cursor = con.execute(sql, params)
    try:
        yield from ledger_rows(cursor, actor, attrs)
    finally:
        cursor.close()

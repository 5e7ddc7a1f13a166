"""The Excel import on a sqlite3 writer (app.storage.writer): the command line's way on a local database file, in SQL
text, without loading SQLAlchemy or the ORM (the ledger export's is app.services.ledgerexport).

    report = run_import_sql(writer, actor, result, dry_run=False)   # None: run it with imports.run_import instead

The algorithm, its checks and what it writes are app.services.importcore's; this module is its store: departments
matched as master.department_matcher matches them, project codes issued as numbering.issue_numbers issues them
(the same settings, sequence and issued-number rows), the rows inserted with executemany, and the import recorded in
the audit chain (app.storage.chain.append_sql, the record auditchain.append writes). A sheet whose rows would change
existing projects, or bring departments to add, needs the services that guard those (update_project: its history
and 第十七条; add_department), and an audit trail that is not the sound common case needs auditchain (no key yet, a
key this PC does not hold, damage to record: chain.sql_chain_state): the store says so (NeedsFullStore), nothing is
written, and None is returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from app.domain.actor import Actor
from app.domain.names import name_variants, normalize_name
from app.domain.numberformat import format_numbers, sequence_of
from app.excel.summary import CellError, SummaryReadResult, gc_paused
from app.services.importcore import ImportReport, NeedsFullStore, import_rows
from app.services.ledgerexport import settings_of
from app.storage.chain import SqlChainState, append_sql, sql_chain_state, sqlite_time
from app.storage.writer import Writer


class SqlStore:
    """The import's store over a sqlite3 connection inside the writer's transaction (see the module's docstring)."""

    def __init__(self, con: Any, actor: Actor, chain: SqlChainState | None) -> None:
        self.con = con
        self.actor = actor
        self.chain = chain

    def department_of(self) -> Callable[[str], int | None]:
        county = settings_of(self.con)["county"]
        keys: dict[str, int] = {}
        for query in ("SELECT id, name FROM departments", "SELECT department_id, alias FROM department_aliases"):
            for dept_id, name in self.con.execute(query):
                for variant in name_variants(normalize_name(name), county):
                    keys.setdefault(variant, dept_id)

        def department_id(name: str) -> int | None:
            for variant in name_variants(normalize_name(name), county):
                if variant in keys:
                    return keys[variant]
            return None

        return department_id

    def add_department(self, name: str) -> tuple[int, str]:
        raise NeedsFullStore("add_department")

    def existing(self, years: set[int], dept_ids: set[int], attrs: Sequence[str]) -> Iterable[Sequence[Any]]:
        if not years or not dept_ids:
            return []
        columns = ", ".join(("code", "year", "department_id", "name", *attrs))
        year_marks, dept_marks = ", ".join("?" * len(years)), ", ".join("?" * len(dept_ids))
        return self.con.execute(f"SELECT {columns} FROM projects WHERE year IN ({year_marks}) "
                                f"AND department_id IN ({dept_marks})", (*years, *dept_ids))

    def update(self, code: str, changes: dict, split_pending: bool) -> None:
        raise NeedsFullStore("update_project")

    def issue_codes(self, year: int, n: int, purpose: str) -> list[str]:
        return issue_numbers_sql(self.con, "project", year, n, purpose)

    def insert(self, names: Sequence[str], rows: Iterable[tuple], fixed: dict) -> None:
        # the values every new row shares are written into the statement, not bound again for each row
        tail = ", ".join(_literal(sqlite_time(v) if isinstance(v, dt.datetime) else v) for v in fixed.values())
        columns = ", ".join(f'"{c}"' for c in (*names, *fixed))
        marks = ", ".join("?" * len(names))
        self.con.executemany(f"INSERT INTO projects ({columns}) VALUES ({marks}, {tail})", rows)

    def audit(self, action: str, object_type: str, object_id: object, detail: dict) -> None:
        if self.chain is None:  # the audit trail is not the sound common case: auditchain's way says what it is
            raise NeedsFullStore("audit chain")
        append_sql(self.con, self.chain, self.actor, action, object_type, object_id, detail)

    def savepoint(self) -> _Savepoint:
        return _Savepoint(self.con)


def _literal(value: object) -> str:
    """A value as an SQL literal that stores what binding it would (NULL, an integer for a bool or int, text)."""
    if value is None:
        return "NULL"
    if isinstance(value, int):  # bool too: sqlite3 binds True as 1
        return str(int(value))
    if isinstance(value, str) and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {value!r}")


class _Savepoint:
    def __init__(self, con: Any) -> None:
        self.con = con
        con.execute("SAVEPOINT govdata_import")

    def rollback(self) -> None:
        self.con.execute("ROLLBACK TO govdata_import")
        self.con.execute("RELEASE govdata_import")

    def commit(self) -> None:
        self.con.execute("RELEASE govdata_import")


def issue_numbers_sql(con: Any, key: str, year: int, n: int, purpose: str | None = None) -> list[str]:
    """numbering.issue_numbers in SQL text: the next n numbers of kind `key` for `year`, consecutively, each recorded
    as issued; the sequence moved by one UPDATE in the caller's write transaction (which holds the write lock)."""
    settings = settings_of(con)
    pattern, seq_key = sequence_of(settings, key)
    if n <= 0:
        return []
    last = None
    for _ in range(2):
        row = con.execute("UPDATE number_sequences SET last_value = last_value + ? WHERE key = ? AND year = ? "
                          "RETURNING last_value", (n, seq_key, year)).fetchone()
        if row is not None:
            last = int(row[0])
            break
        con.execute("INSERT INTO number_sequences (key, year, last_value) VALUES (?, ?, 0)", (seq_key, year))
    if last is None:
        raise RuntimeError("could not create the number sequence")
    first = last - n + 1
    numbers = format_numbers(pattern, settings["doc_prefix"], year, range(first, first + n))
    con.executemany("INSERT INTO issued_numbers (key, year, seq, number, purpose) VALUES (?, ?, ?, ?, ?)",
                    ((seq_key, year, seq, number, purpose) for seq, number in zip(range(first, first + n), numbers,
                                                                                  strict=True)))
    return numbers


class _Discard(Exception):  # noqa: N818 - leaves the transaction by rolling it back
    pass


def run_import_sql(writer: Writer, actor: Actor, result: SummaryReadResult, dry_run: bool = False,
                   add_departments: bool = False, progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ImportReport | None:
    """The import of a sheet already read, in one write transaction of `writer`: committed when everything is right,
    rolled back otherwise (a dry run, an error: report.ok False, nothing written). None when the sheet needs the full
    store (see the module's docstring): nothing was written; run imports.run_import with the same reading."""
    report: ImportReport | None = None
    try:
        with gc_paused(), writer.transaction() as con:
            report = import_rows(SqlStore(con, actor, sql_chain_state(con)), actor, result, dry_run=dry_run,
                                 add_departments=add_departments, progress=progress, cancelled=cancelled)
            if cancelled is not None and cancelled():
                report.errors.append(CellError(result.sheet, None, None, "导入已取消，未写入任何数据", kind="cancelled"))
            if not report.ok or dry_run:
                raise _Discard
    except _Discard:
        pass
    except NeedsFullStore:
        return None
    return report

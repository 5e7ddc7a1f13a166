"""The window's register read with SQL text and the standard library alone (no SQLAlchemy, no Qt, no ORM objects).

A table of 100,000 projects shows its rows as Anki's browser does: their number and ids at once, each painted row
fetched by id (`RegisterPager`, a read-only sqlite3 connection of the window's own, before anything else has
loaded at a cold start); meanwhile the worker loads the whole register as an index (`register_index`: the columns
as lists), on which filtering, sorting and totals work. Same projects, order, scope and masking as
app.services.projects.list_projects (tests keep them in step). The command line's reads (app.services.quickread)
share the scope and the order. Nothing here writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.actor import Actor
from app.domain.inputs import check_year
from app.domain.vocabulary import STATUS_LABELS
from app.errors import GovDataError, InputError
from app.services.permissions import can, require
from app.services.privacy import PERSONAL_READ, mask_text
from app.storage.readonly import Reader, SqlReader, connect_reader

ORDER = " ORDER BY p.year DESC, p.code"


def register_where(actor: Actor, year: int | None = None, status: str | None = None,
                   department_id: int | None = None, search: str | None = None,
                   category: str | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause of list_projects' filters and the actor's scope (after require("project.read"))."""
    require(actor, "project.read")
    where: list[str] = []
    params: list[Any] = []
    if year is not None:
        year = check_year(year)
        where.append("p.year = ?")
        params.append(year)
    if status:
        if status not in STATUS_LABELS:
            raise InputError(f"未知的状态：{status}（可用：{'、'.join(STATUS_LABELS)}）")
        where.append("p.status = ?")
        params.append(status)
    if category:
        where.append("p.category = ?")
        params.append(category)
    if department_id is not None:
        where.append("p.department_id = ?")
        params.append(department_id)
    if not can(actor, "project.read_all"):
        where.append("p.department_id = ?")
        params.append(actor.department_id)
    if search:
        like = f"%{search.strip()}%"
        where.append("(p.name LIKE ? OR p.code LIKE ? OR d.name LIKE ?)")
        params += [like, like, like]
    return (" WHERE " + " AND ".join(where) if where else ""), params


def masker(actor: Actor) -> Any:
    """department_id → whether personal data is masked for it (as privacy.mask_projects decides)."""
    if can(actor, PERSONAL_READ) and can(actor, "project.read_all"):
        return None
    seen: dict[int | None, bool] = {}

    def masked(department_id: int | None) -> bool:
        if department_id not in seen:
            seen[department_id] = not can(actor, PERSONAL_READ, department_id)
        return seen[department_id]

    return masked


# the register's columns (a ProjectView's attributes, personal data masked as list_projects masks it)
REGISTER_COLUMNS = ("code", "name", "department", "year", "category", "nature", "status", "total_fen", "county_fen",
                    "upper_fen", "other_fen", "year_request_fen", "approved_fen", "responsible_person",
                    "department_id")
_REGISTER_SELECT = ("SELECT p.id, " + ", ".join("d.name" if c == "department" else f"p.{c}" for c in REGISTER_COLUMNS)
                    + " FROM projects p JOIN departments d ON d.id = p.department_id")
SEARCHED = ("code", "name", "department", "category", "status_label", "responsible_person")


def _sort_expression(key: str) -> str:
    if key == "status_label":  # the label's text, as the table sorts it
        cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in STATUS_LABELS.items())
        return f"(CASE p.status {cases} ELSE p.status END)"
    if key not in REGISTER_COLUMNS:
        raise ValueError(key)
    return "d.name" if key == "department" else f"p.{key}"


def register_ids(sql: SqlReader, actor: Actor, sort: str | None = None, descending: bool = False,
                 offset: int = 0, limit: int | None = None) -> list[int]:
    """The ids of the projects the actor may see, in list_projects' order (or sorted by a register column as the
    table sorts it: stably, empty values last, text by code point as SQLite's binary collation compares UTF-8), from
    `offset`, at most `limit`: all a table needs to show its rows before it has them (each painted row is then
    fetched by id: `register_rows`). The register's order has an index (migration 0006): a slice costs no sort."""
    where, params = register_where(actor)
    order = ORDER
    if sort is not None:
        col = _sort_expression(sort)
        how = " DESC" if descending else ""
        order = f" ORDER BY ({col} IS NULL){how}, {col}{how}, p.year DESC, p.code"
    join = " JOIN departments d ON d.id = p.department_id" if sort == "department" else ""  # only for its name
    page = ""
    if limit is not None or offset:
        page = " LIMIT ? OFFSET ?"
        params = [*params, -1 if limit is None else limit, offset]
    return [r[0] for r in sql.execute("SELECT p.id FROM projects p" + join + where + order + page, params)]


def register_count(sql: SqlReader, actor: Actor) -> int:
    """How many projects the actor may see."""
    where, params = register_where(actor)
    return int(sql.execute("SELECT count(*) FROM projects p" + where, params).fetchone()[0])


def register_rows(sql: SqlReader, actor: Actor, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The register's columns (and status_label) of these projects, by id; ids the actor may not see are left out."""
    if not ids:
        return {}
    where, params = register_where(actor)
    marks = ", ".join("?" for _ in ids)
    where = (where + " AND " if where else " WHERE ") + f"p.id IN ({marks})"
    masked = masker(actor)
    out: dict[int, dict[str, Any]] = {}
    for r in sql.execute(_REGISTER_SELECT + where, [*params, *ids]):
        row = dict(zip(REGISTER_COLUMNS, r[1:], strict=True))
        row["status_label"] = STATUS_LABELS.get(row["status"], row["status"])
        if masked is not None and masked(row["department_id"]):
            row["responsible_person"] = mask_text(row["responsible_person"])
        out[r[0]] = row
    return out


@dataclass
class RegisterIndex:
    """The register of one actor in memory, column by column (lists by position, in list_projects' order): what
    painting, filtering, sorting and totals need, without one object per project. 100,000 projects take some tens
    of megabytes (repeated texts such as department names are kept once)."""

    ids: list[int]
    columns: dict[str, list[Any]]  # REGISTER_COLUMNS and status_label
    search: list[str]  # the lower-cased searched text of each position (SEARCHED)
    orders: dict[tuple[str, bool], list[int]] = field(default_factory=dict)  # (column, descending) → positions

    def __len__(self) -> int:
        return len(self.ids)

    def value(self, key: str, pos: int) -> Any:
        return self.columns[key][pos]

    def order(self, key: str, descending: bool = False) -> list[int]:
        """All positions sorted by a column as the table sorts it: stably (ties keep list_projects' order), empty
        values last ascending and first descending (as sorted(..., reverse=True) of the same keys). Computed once
        per column and direction, without tuple keys: the non-empty values sorted (descending: the ascending order
        sorted again in reverse, which keeps its ties in their order), the empty ones after (before)."""
        cached = self.orders.get((key, descending))
        if cached is not None:
            return cached
        col = self.columns[key]
        up = self.orders.get((key, False))
        empty = [p for p, v in enumerate(col) if v is None] if up is None or descending else []
        if up is None:
            filled = (p for p, v in enumerate(col) if v is not None) if empty else range(len(col))
            up = sorted(filled, key=col.__getitem__) + empty
            self.orders[(key, False)] = up
        if not descending:
            return up
        down = empty + sorted(up[:len(up) - len(empty)], key=col.__getitem__, reverse=True)
        self.orders[(key, True)] = down
        return down

    def prepare_orders(self, keys: Sequence[str] | None = None) -> RegisterIndex:
        """Every column's orders, both directions, computed now (on the worker, with the index), so that a header
        click sorts nothing on the window's thread."""
        for key in self.columns if keys is None else keys:
            self.order(key, False)
            self.order(key, True)
        return self

    @classmethod
    def from_rows(cls, ids: list[int], rows: Sequence[Sequence[Any]], keys: Sequence[str] = REGISTER_COLUMNS
                  ) -> RegisterIndex:
        """From row tuples (values in `keys` order); status_label and the search texts are derived here."""
        columns: dict[str, list[Any]] = {}
        for key, values in zip(keys, zip(*rows, strict=True) if rows else [() for _ in keys], strict=True):
            if key in ("department", "category", "nature", "status"):  # a few distinct values: keep each once
                seen: dict[Any, Any] = {}
                columns[key] = [seen.setdefault(v, v) for v in values]
            else:
                columns[key] = list(values)
        labels = STATUS_LABELS
        columns["status_label"] = [labels.get(s, s) for s in columns.get("status", [])]
        parts = [columns[k] for k in SEARCHED if k in columns]
        search = [" ".join("" if v is None else str(v) for v in texts).lower() for texts in zip(*parts)]
        return cls(ids, columns, search)


def register_index(sql: SqlReader, actor: Actor) -> RegisterIndex:
    """Every project the actor may see, as list_projects gives them (same order, same masking), as an index."""
    where, params = register_where(actor)
    masked = masker(actor)
    ids: list[int] = []
    rows: list[tuple[Any, ...]] = []
    person = REGISTER_COLUMNS.index("responsible_person")
    dept = REGISTER_COLUMNS.index("department_id")
    for r in sql.execute(_REGISTER_SELECT + where + ORDER, params):
        ids.append(r[0])
        row = r[1:]
        if masked is not None and row[person] and masked(row[dept]):
            row = (*row[:person], mask_text(row[person]), *row[person + 1:])
        rows.append(row)
    return RegisterIndex.from_rows(ids, rows)


class RegisterPager:
    """The register's rows for a table that shows them before its index has loaded: their number and the first ids
    at once, more ids a slice at a time, the rows by id as they are painted. A read-only sqlite3 connection of its
    own (the window's thread, beside the worker's: WAL lets both read); open it where the database is known to be
    this program's (the worker opened it, or the demonstration database at a cold start)."""

    def __init__(self, path: str | Path, actor: Actor) -> None:
        self.actor = actor
        self.sql = Reader(Path(path), connect_reader(Path(path)))

    def ids(self, sort: str | None = None, descending: bool = False, offset: int = 0,
            limit: int | None = None) -> list[int]:
        return register_ids(self.sql, self.actor, sort, descending, offset, limit)

    def count(self) -> int:
        return register_count(self.sql, self.actor)

    def rows(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        return register_rows(self.sql, self.actor, ids)

    def close(self) -> None:
        self.sql.close()


def pager_for(path: str | Path, username: str) -> RegisterPager | None:
    """At a cold start, before the database layer loads: the pager of `username`'s register on a local database,
    or None when that does not apply (no such file or account, a disabled or locked one, a role that reads no
    projects, a file this code cannot read)."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        pager = RegisterPager(path, Actor("?", ""))
    except sqlite3.Error:
        return None
    try:
        row = pager.sql.execute("SELECT roles, department_id, display_name, active, locked_until FROM users "
                                "WHERE username = ?", (username,)).fetchone()
        if row is None or not row[3] or row[4] is not None:
            pager.close()
            return None
        roles = tuple(r for r in (row[0] or "").split(",") if r)
        pager.actor = Actor(username, roles[0] if roles else "", row[1], row[2], roles)  # as auth.actor_of
        if not can(pager.actor, "project.read"):
            pager.close()
            return None
    except (sqlite3.Error, GovDataError):
        pager.close()
        return None
    return pager

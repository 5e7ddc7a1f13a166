"""Reads with SQL text and the standard library alone (no SQLAlchemy, no Qt): the commands that only read and the
sign-in token's checks (the window's register: app.services.registerpages).

SQLAlchemy and the ORM take longer to import than a read command takes to answer, and building ORM objects for
100,000 projects takes seconds and hundreds of megabytes; these functions read the same rows as the ORM services
(app.services.projects.list_projects, app.services.master.list_departments: tests keep them in step) from any
`SqlReader` (app.storage.reader: a read-only sqlite3 connection, or the driver connection of an opened database),
with the same permission checks and the same masking of personal data. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from json import encoder
from typing import Any, TextIO

from app.domain.actor import Actor
from app.domain.fields import FIELDS
from app.domain.money import fen_to_yuan_str
from app.domain.names import name_variants, normalize_name
from app.domain.vocabulary import DEFAULT_SETTINGS, STATUS_LABELS
from app.errors import NotFoundError
from app.services.privacy import mask_department, mask_text
from app.services.registerpages import ORDER, masker, register_where
from app.storage.readonly import SqlReader


def as_datetime(value: Any) -> dt.datetime | None:
    """A DateTime column as the driver gives it: SQLite text ('2027-03-05 08:00:00.000000') or a datetime."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


# ---------------------------------------------------------------- accounts and settings


@dataclass(frozen=True)
class UserRow:
    """An account as the sign-in checks need it (no password check here: see app.services.auth)."""

    id: int
    username: str
    display_name: str | None
    department_id: int | None
    roles: tuple[str, ...]
    active: bool
    locked_until: dt.datetime | None
    must_change_password: bool
    password_changed_at: dt.datetime | None
    password_hash: str | None

    def actor(self) -> Actor:
        """As app.services.auth.actor_of."""
        return Actor(self.username, self.roles[0] if self.roles else "", self.department_id, self.display_name,
                     self.roles)


def any_accounts(sql: SqlReader) -> bool:
    return sql.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None


def user_row(sql: SqlReader, username: str) -> UserRow | None:
    row = sql.execute(
        "SELECT id, username, display_name, department_id, roles, active, locked_until, must_change_password, "
        "password_changed_at, password_hash FROM users WHERE username = ?", (username,)).fetchone()
    if row is None:
        return None
    roles = tuple(r for r in (row[4] or "").split(",") if r)
    return UserRow(row[0], row[1], row[2], row[3], roles, bool(row[5]), as_datetime(row[6]), bool(row[7]),
                   as_datetime(row[8]), row[9])


def settings(sql: SqlReader, keys: Sequence[str]) -> dict[str, str]:
    """The stored values of these settings (missing ones left out)."""
    marks = ", ".join("?" for _ in keys)
    return {k: v for k, v in sql.execute(f"SELECT key, value FROM settings WHERE key IN ({marks})", tuple(keys))}


# ---------------------------------------------------------------- departments


@dataclass(frozen=True)
class DepartmentRow:
    """As app.services.master.DepartmentView."""

    id: int
    name: str
    kind: str
    contact: str | None
    phone: str | None
    aliases: tuple[str, ...]
    active: bool


def list_departments(sql: SqlReader, actor: Actor) -> list[DepartmentRow]:
    """Every department in id order, contacts masked as master.list_departments masks them."""
    aliases: dict[int, list[str]] = {}
    for dept_id, alias in sql.execute("SELECT department_id, alias FROM department_aliases ORDER BY alias"):
        aliases.setdefault(dept_id, []).append(alias)
    rows = sql.execute("SELECT id, name, kind, contact, phone, active FROM departments ORDER BY id")
    return [mask_department(actor, DepartmentRow(r[0], r[1], r[2], r[3], r[4], tuple(aliases.get(r[0], ())),
                                                 bool(r[5]))) for r in rows]


def department_id(sql: SqlReader, name_or_id: str | int) -> int:
    """As master.get_department(...).id: an id, a name (with or without the county's name) or an alias."""
    text = str(name_or_id)
    if isinstance(name_or_id, int) or text.isdigit():
        row = sql.execute("SELECT id FROM departments WHERE id = ?", (int(text),)).fetchone()
        if row:
            return int(row[0])
    county = settings(sql, ("county",)).get("county", DEFAULT_SETTINGS["county"])
    keys: dict[str, int] = {}
    for query in ("SELECT id, name FROM departments", "SELECT department_id, alias FROM department_aliases"):
        for dept, name in sql.execute(query):
            for variant in name_variants(normalize_name(name), county):
                keys.setdefault(variant, dept)
    for variant in name_variants(normalize_name(text), county):
        if variant in keys:
            return keys[variant]
    raise NotFoundError(f"没有找到实施单位：{name_or_id}（可在“基础数据—单位”中添加，或为其设置别名）")


# ---------------------------------------------------------------- the register

# `govdata projects --json`: the fields' json keys in their order (app.domain.fields, as projects.to_json), then
# status_label and approved_yuan; the SQL column of each (the department's name from its table)
_JSON_FIELDS = tuple((f.key, f.json_key, f.kind) for f in FIELDS if f.json_key)
_JSON_KEYS = tuple(k for _, k, _ in _JSON_FIELDS) + ("status_label", "approved_yuan")
_JSON_SELECT = ("SELECT " + ", ".join("d.name" if key == "department" else f"p.{key}" for key, _, _ in _JSON_FIELDS)
                + ", p.status, p.approved_fen, p.department_id FROM projects p JOIN departments d ON d.id = p.department_id")
_PERSON = [key for key, _, _ in _JSON_FIELDS].index("responsible_person")


def _yuan(fen: int | None) -> str | None:
    return None if fen is None else fen_to_yuan_str(fen)


def iter_project_json(sql: SqlReader, actor: Actor, **filters: Any) -> Iterator[dict[str, Any]]:
    """list_projects(...) as `to_json` dicts, one at a time (no ORM objects, no list of 100,000 views)."""
    where, params = register_where(actor, **filters)
    masked = masker(actor)
    labels = STATUS_LABELS
    convert = [(fen_to_yuan_str if kind == "money" else bool if kind == "bool" else None) for _, _, kind in _JSON_FIELDS]
    n = len(convert)
    keys = _JSON_KEYS
    for r in sql.execute(_JSON_SELECT + where + ORDER, params):
        values: list[Any] = [v if f is None or v is None else f(v) for f, v in zip(convert, r[:n], strict=True)]
        if masked is not None and masked(r[n + 2]):
            values[_PERSON] = mask_text(values[_PERSON])
        values.append(labels.get(r[n], r[n]))
        values.append(_yuan(r[n + 1]))
        yield dict(zip(keys, values, strict=True))


def write_json_list(out: TextIO, items: Iterator[dict[str, Any]]) -> int:
    """Write `items` as app.cli.context.print_json writes a list (indent 2, Chinese as is), one item at a time.
    Returns the number of items."""
    enc = encoder.encode_basestring  # json.dumps' own (C) string encoder; with indent it would use pure Python

    def value(v: Any) -> str:
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, str):
            return enc(v)
        return repr(v) if isinstance(v, int) else enc(str(v))

    keys: dict[str, str] = {}
    n = 0
    for item in items:
        body = ",\n".join(f"{keys.get(k) or keys.setdefault(k, '    ' + enc(k) + ': ')}{value(v)}"
                           for k, v in item.items())
        out.write(("[\n" if n == 0 else ",\n") + "  {\n" + body + "\n  }")
        n += 1
    out.write("[]\n" if n == 0 else "\n]\n")
    return n


def write_project_json(out: TextIO, sql: SqlReader, actor: Actor, **filters: Any) -> int:
    """`govdata projects --json`: exactly write_json_list(out, iter_project_json(...)) (a test keeps them equal),
    straight from the rows to text: one template per project, each value made by its kind's own encoder (json's
    C string encoder for text), written a thousand projects at a time. Returns the number of projects."""
    where, params = register_where(actor, **filters)
    masked = masker(actor)
    enc = encoder.encode_basestring
    template = "  {\n" + ",\n".join(f"    {enc(k)}: %s" for k in _JSON_KEYS) + "\n  }"

    def text(v: Any) -> str:
        return "null" if v is None else enc(v)

    def number(v: Any) -> str:
        return "null" if v is None else str(int(v))

    def money(v: Any) -> str:
        return "null" if v is None else f'"{fen_to_yuan_str(v)}"'

    def boolean(v: Any) -> str:
        return "null" if v is None else ("true" if v else "false")

    kinds = {"money": money, "bool": boolean, "int": number}
    convert = [kinds.get(kind, text) for _, _, kind in _JSON_FIELDS]
    n = len(convert)
    labels = {k: enc(v) for k, v in STATUS_LABELS.items()}
    chunk: list[str] = []
    count = 0
    for r in sql.execute(_JSON_SELECT + where + ORDER, params):
        values = [f(v) for f, v in zip(convert, r[:n], strict=True)]
        if masked is not None and masked(r[n + 2]):
            values[_PERSON] = text(mask_text(r[_PERSON]))
        values.append(labels.get(r[n]) or text(r[n]))
        values.append(money(r[n + 1]))
        chunk.append(template % tuple(values))
        count += 1
        if len(chunk) == 1000:
            out.write(("[\n" if count == 1000 else ",\n") + ",\n".join(chunk))
            chunk.clear()
    if chunk:
        out.write(("[\n" if count <= 1000 else ",\n") + ",\n".join(chunk))
    out.write("[]\n" if count == 0 else "\n]\n")
    return count


_LIST_SELECT = """
SELECT p.code, p.year, p.status, p.total_fen, d.name, p.name
FROM projects p JOIN departments d ON d.id = p.department_id
"""


def iter_project_lines(sql: SqlReader, actor: Actor, **filters: Any) -> Iterator[tuple[str, int, str, int, str, str]]:
    """(code, year, status label, total in fen, department, name) of list_projects(...), one at a time."""
    where, params = register_where(actor, **filters)
    for code, year, status, total, dept, name in sql.execute(_LIST_SELECT + where + ORDER, params):
        yield code, year, STATUS_LABELS.get(status, status), total, dept, name

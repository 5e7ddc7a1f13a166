"""What each paper record is, declared once for both faces: its fields (what the form and the command line ask), its
columns (what the list, the window's table and the Excel export show) and its verbs (add, and e.g. handle, review).

The command line builds its options from the fields, the window builds its form from them, and the export writes
the columns; the verbs call the services, which check permissions and the measure's rules themselves. A verb and a
list name their service function as "module:function", resolved when it runs, so the declarations load without the
database layer (`govdata --help` stays light).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.domain.money import format_yuan, parse_amount
from app.errors import InputError

FIELD_KINDS = ("text", "longtext", "date", "money", "year", "int", "choice", "bool", "project", "department",
               "ref")
COLUMN_KINDS = ("text", "date", "money", "percent", "int", "bool")
_YES = ("1", "yes", "y", "true", "是", "通过", "有", "已注册", "已落盘")
_NO = ("0", "no", "n", "false", "否", "不通过", "无", "未注册", "未落盘")


@dataclass(frozen=True)
class Field:
    """One input. `choices` are (key, label); the command line takes either. `ref` names the record kind whose id a
    'ref' field takes (the window offers those records in a list)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    ref: str = ""

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Col:
    """One column of the list and the export: `key` is the view's attribute; money in 分, shown in 元."""

    key: str
    label: str
    kind: str = "text"
    width: float = 14


@dataclass(frozen=True)
class Verb:
    """An action on the record kind: `run` names the service function ("app.services.planning:file_department_plan"),
    called with the unit of work and the parsed fields as keywords. `on_record`: it acts on one listed record (its
    id is asked for first and passed as `id`)."""

    key: str
    label: str
    fields: tuple[Field, ...]
    run: str
    permission: str
    on_record: bool = False


@dataclass(frozen=True)
class RecordKind:
    key: str  # the command line's name: dept-plan, objection ...
    label: str  # 部门规划备案
    article: str  # 第六条
    group: str  # the window's tab group
    hint: str  # one line under the table: what the measure asks
    columns: tuple[Col, ...]
    list: str  # "module:function" taking the unit of work, returning the views the columns show
    verbs: tuple[Verb, ...]
    permission: str  # to list and export
    id_attr: str = "id"

    def verb(self, key: str) -> Verb:
        for v in self.verbs:
            if v.key == key:
                return v
        raise InputError(f"“{self.label}”没有这项操作：{key}（可用：{'、'.join(v.key for v in self.verbs)}）")


def resolve(target: str) -> Callable[..., Any]:
    """"app.services.planning:file_department_plan" → the function (its module is imported when first used)."""
    module, _, name = target.partition(":")
    fn: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return fn


def _bool(field: Field, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise InputError(f"{field.label}应为“是”或“否”（收到：{raw}）")


def _choice(field: Field, raw: Any) -> str:
    text = str(raw).strip()
    for key, label in field.choices:
        if text in (key, label):
            return key
    raise InputError(f"{field.label}应为：{'、'.join(label for _k, label in field.choices)}（收到：{text}）")


def parse(fields: Sequence[Field], raw: dict[str, Any]) -> dict[str, Any]:
    """Turn what a person typed into the values the service takes: money in 元 becomes 分, 是/否 a bool, a choice's
    label its key. Dates, years and text go to the service as typed, which checks them (app.domain.inputs)."""
    known = {f.name for f in fields}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InputError(f"没有这些参数：{'、'.join(unknown)}；可用：{'、'.join(f.option for f in fields) or '无'}")
    out: dict[str, Any] = {}
    missing = []
    for f in fields:
        value = raw.get(f.name)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if f.required:
                missing.append(f.label)
            continue
        if f.kind == "money":
            if isinstance(value, int) and not isinstance(value, bool):
                out[f.name] = value
            else:
                out[f.name] = parse_amount(value, "元", f.label)
        elif f.kind == "bool":
            out[f.name] = _bool(f, value)
        elif f.kind == "choice":
            out[f.name] = _choice(f, value)
        elif f.kind == "date" and isinstance(value, dt.datetime):
            out[f.name] = value.date()
        else:
            out[f.name] = value
    if missing:
        raise InputError(f"缺少：{'、'.join(missing)}")
    return out


def cell_text(kind: str, value: Any) -> str:
    """A value as the list shows it (the window formats its own columns the same way)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == "money":
        return format_yuan(int(value))
    if kind == "percent":
        return f"{Decimal(value):.1f}%"
    if kind == "bool":
        return "是" if value else "否"
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    return str(value)

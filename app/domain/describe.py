"""Records as a person reads them: an audit record's detail as one Chinese sentence, stored UTC times as local
times. What a record holds for machines (JSON, keys, ISO timestamps) stays in the record; this is only its face.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from app.domain.money import format_yuan
from app.domain.vocabulary import (
    CHOICE_LABELS,
    REASON_LABELS,
    RECTIFICATION_STATUS_LABELS,
    REQUEST_STATUS_LABELS,
    ROLE_LABELS,
    SETTING_LABELS,
    STATUS_LABELS,
)

# labels of the keys found in audit details (the lifecycle's own field labels come from its specs, passed in)
KEY_LABELS: dict[str, str] = {
    "name": "名称", "kind": "类型", "aliases": "别名", "alias": "别名", "credit_code": "统一社会信用代码",
    "county_owned": "县属企业", "title": "名称", "received_on": "收到日期", "annual_plan": "年度计划",
    "doc_no": "文号", "roles": "角色", "role": "角色", "department_id": "单位", "display_name": "姓名",
    "demo": "演示账户", "active": "启用", "until": "锁定至", "reason": "原因", "permission": "所需权限",
    "message": "说明", "file": "文件", "count": "条数", "all_ok": "全部正常", "filename": "文件名", "size": "大小",
    "sm3": "SM3 摘要", "material": "材料", "severity": "级别", "handling": "处置情况", "reported_to": "报告对象",
    "reported_on": "报告日期", "closed_on": "结案日期", "plan": "应急预案", "drilled_on": "演练日期",
    "scenario": "演练场景", "version": "版本", "lines": "明细行数", "total_fen": "总投资", "domestic_fen": "国产金额",
    "county": "县（市、区）名称", "note": "说明", "status": "状态", "serial": "表单编号", "digest": "摘要",
    "sheet": "工作表", "rows": "行数", "created": "新增", "updated": "更新", "sha256": "SHA-256",
    "year": "年度", "codes": "项目", "path": "文件", "amount": "金额", "project": "项目", "loss": "资金损失",
    "outcome": "结果",
}
PROJECT_FIELD_LABELS: dict[str, str] = {
    "name": "项目名称", "department": "实施单位", "category": "项目类别", "nature": "建设性质", "year": "年度",
    "content": "建设内容", "period_months": "建设周期（月）", "responsible_person": "项目责任人",
    "responsible_phone": "责任人电话", "total_fen": "总投资", "county_fen": "县级财政资金", "upper_fen": "上级补助资金",
    "other_fen": "其他资金", "year_request_fen": "本年申请资金", "cobuilt": "市县协同建设", "city_share_fen": "市级承担",
    "county_share_fen": "县级承担", "cobuilt_scope": "事权划分", "note": "备注", "approved_fen": "批复金额",
}
SUMMARY_FIELDS = 6  # a summary names at most this many values, then says how many more
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def local_time(at: dt.datetime | None, seconds: bool = False) -> str:
    """A stored time (naive UTC, as the program writes them) as this PC's local time: 2026-03-05 14:03."""
    if at is None:
        return ""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def value_text(key: str, value: Any, kinds: Mapping[str, str] | None = None,
               values: Mapping[str, str] | None = None) -> str:
    """One value as a person reads it: money in 元, dates in Chinese, yes/no, choices and states by their labels."""
    kind = (kinds or {}).get(key, "")
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int) and (kind == "money" or key.endswith("_fen")):
        return f"{format_yuan(value)} 元"
    if isinstance(value, (list, tuple)):
        return "、".join(value_text(key, v, kinds, values) for v in value) or "（无）"
    if isinstance(value, dict):
        return "；".join(f"{KEY_LABELS[k]}：{value_text(k, v, kinds, values)}" for k, v in value.items()
                        if k in KEY_LABELS)
    text = str(value)
    if key in ("roles", "role"):
        return ROLE_LABELS.get(text, text)
    if key == "status":
        # a record's state (a request, a rectification) first: a project's state comes with its message
        return REQUEST_STATUS_LABELS.get(text) or RECTIFICATION_STATUS_LABELS.get(text) or STATUS_LABELS.get(text) \
            or (values or {}).get(text, text)
    if key == "reason" and text in REASON_LABELS:
        return REASON_LABELS[text]
    if text in CHOICE_LABELS and key in ("kind", "conclusion", "decision", "reason", "share_type", "material"):
        return CHOICE_LABELS[text]
    if values and text in values and re.fullmatch(r"[a-z][a-z0-9_-]*", text):
        return values[text]
    if ISO_TIME.match(text):
        try:
            return local_time(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            return text
    if ISO_DATE.match(text):
        try:
            return chinese_date(dt.date.fromisoformat(text))
        except ValueError:
            return text
    return text


class _Unnamed:
    """Counts the keys no table names: they are left out of the summary (a person would read an identifier), and
    the summary says how many were left out (the record itself, and its export, keep them all)."""

    def __init__(self, known: Mapping[str, str] | None = None, values: Mapping[str, str] | None = None) -> None:
        self.count = 0
        self.known = known or {}  # names declared elsewhere (records' forms), after the generic ones
        self.values = values or {}  # choice keys' names


def _name(k: str, labels: Mapping[str, str], unnamed: _Unnamed) -> str | None:
    name = labels.get(k) or KEY_LABELS.get(k) or unnamed.known.get(k)
    if name is None:
        unnamed.count += 1
    return name


def _pairs(values: Mapping[str, Any], labels: Mapping[str, str], kinds: Mapping[str, str] | None,
           unnamed: _Unnamed) -> list[str]:
    out = []
    for k, v in values.items():
        if v is None or v == "" or v == []:
            continue
        name = _name(k, labels, unnamed)
        if name is not None:
            out.append(f"{name}：{value_text(k, v, kinds, unnamed.values)}")
    return out


def _ordered(action: str, values: Mapping[str, Any]) -> Mapping[str, Any]:
    """A project's values in the form's order, leaving out what is empty (0 元, 否) when nothing was before."""
    if not action.startswith("project."):
        return values
    order = list(PROJECT_FIELD_LABELS)
    kept = {k: v for k, v in values.items() if v not in (0, False, None, "")}
    return dict(sorted(kept.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def _limit(parts: list[str]) -> str:
    if len(parts) > SUMMARY_FIELDS:
        return "；".join(parts[:SUMMARY_FIELDS]) + f"；等 {len(parts)} 项"
    return "；".join(parts)


def summarize(action: str, detail: Mapping[str, Any] | str | None, object_id: str | None = None,
              field_labels: Mapping[str, str] | None = None, field_kinds: Mapping[str, str] | None = None,
              known_labels: Mapping[str, str] | None = None, value_labels: Mapping[str, str] | None = None) -> str:
    """An audit record's detail as one readable line (never its JSON).

    `field_labels` / `field_kinds` name the action's own fields (a lifecycle spec's labels and kinds);
    `known_labels` names keys declared elsewhere, used after the generic names; `value_labels` names choice keys.
    A key nothing names is left out and counted.
    """

    if isinstance(detail, str):
        text = detail
        try:
            detail = json.loads(text) if text else {}
        except ValueError:
            return text
    if not isinstance(detail, Mapping):
        return ""
    d: Mapping[str, Any] = detail
    labels = dict(field_labels or {})
    if action.startswith("project."):
        labels = {**PROJECT_FIELD_LABELS, **labels}
    parts: list[str] = []
    message = d.get("message")
    if message:
        parts.append(str(message))
    warnings = d.get("warnings") or []
    if warnings:
        parts.append("提示：" + "；".join(str(w) for w in warnings))
    before, after = d.get("before"), d.get("after")
    if action == "settings.change":
        name = SETTING_LABELS.get(object_id or "", "设置")
        return f"{name}：{value_text('', before)} → {value_text('', after)}"
    if action == "settings.indicators" and isinstance(after, list):
        return f"评价指标 {len(after)} 项"
    if action == "calendar.set":
        kind = {True: "工作日（调休）", False: "休息日"}
        text = f"{kind.get(bool(after), '')}"
        return text + (f"（{d.get('note')}）" if d.get("note") else "")
    if not message and isinstance(before, Mapping) and isinstance(after, Mapping) and "status" in after:
        if before.get("status") != after.get("status"):
            parts.append(f"状态：{value_text('status', before.get('status'))} → {value_text('status', after.get('status'))}")
    unnamed = _Unnamed(known_labels, value_labels)
    if not message:
        fields = d.get("fields")
        if isinstance(fields, Mapping):
            parts += _pairs(fields, labels, field_kinds, unnamed)
        if isinstance(after, Mapping) and "status" not in after:
            if isinstance(before, Mapping) and before:
                for k in after:
                    if before.get(k) != after.get(k) and (label := _name(k, labels, unnamed)) is not None:
                        parts.append(f"{label}：{value_text(k, before.get(k), field_kinds, unnamed.values)}"
                                     f" → {value_text(k, after.get(k), field_kinds, unnamed.values)}")
            else:
                parts += _pairs(_ordered(action, after), labels, field_kinds, unnamed)
        elif isinstance(before, Mapping) and after is None and before:
            parts += [f"原{p}" for p in _pairs(before, labels, field_kinds, unnamed)]
        elif isinstance(after, (list, tuple)) and isinstance(before, (list, tuple)):
            parts.append(f"{value_text('roles', list(before))} → {value_text('roles', list(after))}")
        rest = {k: v for k, v in d.items() if k not in ("message", "warnings", "before", "after", "fields")}
        parts += _pairs(rest, labels, field_kinds, unnamed)
    text = _limit(parts)
    if unnamed.count:
        text += ("；" if text else "") + f"另有 {unnamed.count} 项（见导出的审计记录）"
    return text

"""One label table: every action the program writes to the audit trail has its Chinese label, and what a person
reads about a record (its summary, its time) never looks like an identifier."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from app.domain import describe
from app.domain.vocabulary import (
    ACTION_LABELS,
    OUTCOME_LABELS,
    RECORD_KIND_LABELS,
    action_label,
    outcome_label,
)
from app.services.lifecycle import ACTIONS
from app.services.permissions import PERMISSION_LABELS
from app.services.recordkinds import KINDS as RECORD_KINDS

APP = Path(__file__).resolve().parents[2] / "app"
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+\b|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|[{}\[\]\"]")


def _constants(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def recorded_actions() -> set[str]:
    """Every action key written to the audit trail: uow.audit(ACTION, …), auditchain.append(…, ACTION, …),
    require(…, action=ACTION), record_refusal(…, action=ACTION), exc.refusing(ACTION, …)."""
    found: set[str] = set()
    for path in APP.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args: list[ast.AST] = []
            if name in ("audit", "refusing") and node.args:
                args.append(node.args[0])
            if name == "append" and len(node.args) >= 3 and "auditchain" in ast.unparse(node.func):
                args.append(node.args[2])
            if name in ("require", "record_refusal", "refusing"):
                args += [k.value for k in node.keywords if k.arg == "action"]
            for arg in args:
                if isinstance(arg, ast.JoinedStr):
                    pieces = _constants(arg)
                    if pieces == ["lifecycle."]:
                        found |= {f"lifecycle.{key}" for key in ACTIONS}
                    elif pieces == ["records.", "."]:  # records.{key}.{verb}: each register's own verbs
                        found |= {f"records.{key}.{verb.key}" for key, kind in RECORD_KINDS.items()
                                  for verb in kind.verbs}
                    elif pieces[:1] == ["records."] and len(pieces) == 2:
                        found |= {f"records.{key}{pieces[1]}" for key in RECORD_KINDS}
                    else:
                        raise AssertionError(f"{path.name}: an action named by an f-string the scan cannot expand: "
                                             f"{ast.unparse(arg)}")
                    continue
                found |= {c for c in _constants(arg) if re.fullmatch(r"[a-z][a-z_]*(\.[a-z_-]+)*", c)}
    return found


def test_the_scan_finds_the_actions_it_should() -> None:
    actions = recorded_actions()
    assert {"sign_in", "user.activate", "user.deactivate", "project.register", "lifecycle.approve",
            "incident.add", "user.password_reset"} <= actions  # the scan itself works


def test_every_recorded_action_has_a_chinese_label() -> None:
    missing = sorted(a for a in recorded_actions() if action_label(a) == "其他操作")
    assert not missing, f"add these to app.domain.vocabulary.ACTION_LABELS: {missing}"


def test_refused_permissions_have_labels_too() -> None:  # a refusal without a named action records its permission
    assert not sorted(set(PERMISSION_LABELS) - set(ACTION_LABELS))


def test_the_registers_are_named_as_their_services_name_them() -> None:
    assert {key: kind.label for key, kind in RECORD_KINDS.items()} == RECORD_KIND_LABELS


def test_lifecycle_buttons_and_history_use_the_same_words() -> None:
    assert {key: spec.label for key, spec in ACTIONS.items()} == {
        key: ACTION_LABELS[f"lifecycle.{key}"] for key in ACTIONS}


def test_labels_are_chinese() -> None:
    for text in list(ACTION_LABELS.values()) + list(OUTCOME_LABELS.values()):
        assert re.search(r"[\u4e00-\u9fff]", text) and not IDENTIFIER.search(text), text
    assert action_label("no.such-action") == "其他操作" and outcome_label("weird") == "其他"
    assert action_label("approve") == "审批立项"  # a lifecycle key alone, as the command line names it


@pytest.mark.parametrize(("action", "detail", "object_id", "expected"), [
    ("lifecycle.submit", {"before": {"status": "draft"}, "after": {"status": "submitted"}, "fields": {},
                          "message": "已提交申报", "warnings": []}, "QS-2026-0001", "已提交申报"),
    ("lifecycle.file-contract", {"message": "合同 HT-1 已备案（逾期）", "warnings": ["逾期备案（第十五条）"]}, "QS-1",
     "合同 HT-1 已备案（逾期）；提示：逾期备案（第十五条）"),
    ("sign_out", {"reason": "idle_lock"}, "wang", "原因：闲置自动锁定"),
    ("sign_in", {"reason": "no such user"}, "ghost", "原因：无此账户"),
    ("user.roles", {"before": ["clerk"], "after": ["reviewer", "leader"]}, "li",
     "实施单位填报员 → 主管部门审核员、领导"),
    ("settings.change", {"before": "沁审管发", "after": "阳审管发"}, "doc_prefix", "发文字号前缀：沁审管发 → 阳审管发"),
    ("material.record", {"after": {"kind": "feasibility", "title": None, "received_on": "2026-03-05"}}, "QS-1",
     "类型：可行性研究报告；收到日期：2026年3月5日"),
    ("user.lock", {"reason": "too many failures", "until": "2026-03-05T06:30:00"}, "wang",
     "原因：口令连续错误；锁定至：" + describe.local_time(dt.datetime(2026, 3, 5, 6, 30))),
    ("project.update", {"before": {"total_fen": 100_000_000, "name": "甲"}, "after": {"total_fen": 128_000_000,
                                                                                     "name": "甲"}}, "QS-1",
     "总投资：1,000,000.00 元 → 1,280,000.00 元"),
    ("plan.remove", {"before": {"annual_plan": 2027}}, "QS-1", "原年度计划：2027"),
    ("calendar.set", {"before": None, "after": True, "note": "春节调休"}, "2027-02-07", "工作日（调休）（春节调休）"),
])
def test_an_audit_detail_reads_as_a_sentence(action, detail, object_id, expected) -> None:
    text = describe.summarize(action, detail, object_id)
    assert text == expected
    assert not IDENTIFIER.search(text), text


def test_a_long_detail_is_cut_with_a_count() -> None:
    after = {"name": "县域数据平台", "category": "数据采集", "nature": "新建", "year": 2027, "content": "采集",
             "period_months": 12, "responsible_person": "张三", "total_fen": 100, "county_fen": 100, "cobuilt": False}
    text = describe.summarize("project.register", {"after": after}, "QS-1")
    assert text.startswith("项目名称：县域数据平台；项目类别：数据采集；建设性质：新建；年度：2027")
    assert text.endswith("；等 9 项")  # 市县协同建设：否 left out: nothing to say


def test_stored_utc_times_are_shown_in_local_time(monkeypatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert describe.local_time(dt.datetime(2026, 3, 5, 6, 30, 15)) == "2026-03-05 14:30"
        assert describe.local_time(dt.datetime(2026, 3, 5, 6, 30, 15), seconds=True) == "2026-03-05 14:30:15"
        assert describe.local_time(None) == ""
    finally:
        monkeypatch.undo()
        time.tzset()

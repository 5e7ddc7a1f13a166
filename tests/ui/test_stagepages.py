"""The stage pages in the window: what the office sees in each queue, and double-click opening the project."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from app.domain.actor import SETUP_ACTOR
from app.domain.vocabulary import DEFAULT_INDICATORS
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories

SHOTS = "/tmp/govdata_shots"


@pytest.fixture
def window(ctx, sqlite_db, qtbot):
    from tests.conftest import Walker

    walker = Walker(sqlite_db, SETUP_ACTOR)
    old = walker.to("under_construction")
    walker.go(old, "evaluate", year=2025, scores={n: w for _, _, n, w in DEFAULT_INDICATORS})
    late = walker.to("under_construction", name="公安视频联网")
    filed = walker.to("under_construction", department="县教育局", name="智慧校园")
    walker.go(filed, "file-contract", filed_on="2026-03-17")
    walker.go(late, "request-change", description="增加模块", reason="需求变化", on="2026-04-01")
    walker.go(late, "order-rectification", reason="other", requirements="补齐材料", deadline="2026-09-30",
              on="2026-09-01")
    queued = walker.to("submitted", name="县公安局新申报项目")
    walker.register(name="待列入计划项目", year=2030)
    ctx.db, ctx.actor = sqlite_db, SETUP_ACTOR
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.codes = {"old": old, "late": late, "filed": filed, "queued": queued}  # type: ignore[attr-defined]
    return w


def open_section(window, qtbot, key: str):
    page = window.pages[key]
    with qtbot.waitSignal(page.loaded, timeout=15000):
        window.show_section(key)
    for model in page.models:
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    return page


def grab(window, name: str) -> None:
    import os

    os.makedirs(SHOTS, exist_ok=True)
    window.grab().save(f"{SHOTS}/{name}.png")


def cell(model, row: int, key: str, role=Qt.ItemDataRole.DisplayRole):
    col = [c.key for c in model.columns].index(key)
    return model.data(model.index(row, col), role)


def test_contracts_flag_late_filing_in_red(window, qtbot) -> None:
    page = open_section(window, qtbot, "contracts")
    grab(window, "contracts")
    model = page.models[0]
    flags = {model.record(r).code: (cell(model, r, "flag"), cell(model, r, "code", Qt.ItemDataRole.ForegroundRole))
             for r in range(model.rowCount())}
    late, filed = window.codes["late"], window.codes["filed"]
    assert flags[late][0] == "逾期未备案" and flags[late][1] is not None
    assert flags[filed][0] == "按期备案" and flags[filed][1] is None
    assert "其中逾期 2 份" in page.status.text()  # the old project's contract is not filed either
    page.search.setText("智慧校园")
    assert model.rowCount() == 1 and "合同 1 份，其中逾期 0 份" in page.status.text()


def test_review_queue_shows_previous_evaluation_and_opens_project(window, qtbot) -> None:
    page = open_section(window, qtbot, "review")
    grab(window, "review")
    model = page.models[0]
    assert model.rowCount() == 1
    assert cell(model, 0, "previous") == f"优 100.00（{window.codes['old']}）"
    page.tables[0].selectRow(0)
    assert "上年度绩效评价：优 100.00" in page.detail.text()
    with qtbot.waitSignal(window.ensure_project_page().loaded, timeout=10000) as blocker:
        page.tables[0].doubleClicked.emit(model.index(0, 1))
    assert blocker.args == [window.codes["queued"]]
    assert window.current_section() == "project"


def test_plan_page_adds_a_project_to_the_plan(window, qtbot) -> None:
    page = open_section(window, qtbot, "plans")
    for year in (2030, 2026):
        with qtbot.waitSignal(page.loaded, timeout=15000):
            page.year.setValue(year)
    assert page.models[0].rowCount() == 3 and "另有 1 个本年度项目未列入" in page.status.text()
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.year.setValue(2030)
    assert page.models[0].rowCount() == 0 and "另有 1 个本年度项目未列入" in page.status.text()
    dialog = page.add_projects()
    assert dialog.listing.count() == 1 and "待列入计划项目" in dialog.listing.item(0).text()
    dialog.listing.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(page.loaded, timeout=15000):
        dialog.accept()
    assert [page.models[0].record(r).name for r in range(page.models[0].rowCount())] == ["待列入计划项目"]
    grab(window, "plans")


def test_changes_rectification_and_other_queues(window, qtbot) -> None:
    changes = open_section(window, qtbot, "changes")
    assert cell(changes.models[0], 0, "status_label") == "待审核"
    rect = open_section(window, qtbot, "rectification")
    grab(window, "rectification")
    assert cell(rect.models[0], 0, "status_label") in ("整改中", "已逾期")
    overdue = dt.date.today() > dt.date(2026, 9, 30)
    assert (cell(rect.models[0], 0, "code", Qt.ItemDataRole.ForegroundRole) is not None) == overdue
    acceptance = open_section(window, qtbot, "acceptance")
    assert acceptance.models[0].rowCount() == 2  # the one under rectification is not waiting for acceptance
    assert "初步验收" in cell(acceptance.models[0], 0, "missing")
    evaluation = open_section(window, qtbot, "evaluation")
    assert cell(evaluation.models[0], 0, "grade") == "优"
    budget = open_section(window, qtbot, "budget")
    grab(window, "budget")
    for year in (2030, 2026):
        with qtbot.waitSignal(budget.loaded, timeout=15000):
            budget.year.setValue(year)
    assert budget.models[0].rowCount() == 3 and cell(budget.models[1], 0, "projects") == "3"
    open_section(window, qtbot, "om")
    grab(window, "om")

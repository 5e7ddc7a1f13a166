"""专项记录 and 资金对照 in the window: every record kind lists, a record is added through its dialog, a refusal
stays in the dialog with its article, verbs follow the role and the selection, and exports write the file."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from app.domain.actor import SETUP_ACTOR, Actor
from app.services.recordkinds import KINDS
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories


@pytest.fixture
def window(ctx, sqlite_db, qtbot):
    from tests.conftest import Walker

    walker = Walker(sqlite_db, SETUP_ACTOR)
    code = walker.to("under_construction")
    walker.go(code, "pay", amount="250000", paid_on="2026-04-01", source="county")
    ctx.db, ctx.actor = sqlite_db, SETUP_ACTOR
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.code = code  # type: ignore[attr-defined]
    w.walker = walker  # type: ignore[attr-defined]
    return w


def idle(ctx, qtbot) -> None:
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=15000)


def open_records(window, qtbot):
    page = window.pages["records"]
    with qtbot.waitSignal(page.loaded, timeout=15000):
        window.show_section("records")
    return page


def test_every_kind_has_a_tab_and_a_checked_model(window, qtbot):
    page = open_records(window, qtbot)
    assert set(page.tabs) == set(KINDS)
    for tab in page.tabs.values():
        QAbstractItemModelTester(tab.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
        if tab.kind.verbs:
            assert tab.buttons["add" if "add" in tab.buttons else next(iter(tab.buttons))].isEnabled()
        else:  # what the program issued by itself: listed and exported, never entered by hand
            assert not tab.buttons and tab.export_button.isEnabled()
    assert page.tabs["plan-approval"].model.rowCount() == 1 and page.tabs["budget-notice"].model.rowCount() == 1
    # the 文号 register (第八条): the review opinion's, the approval's and the publicity's numbers
    numbers = page.tabs["doc-numbers"].model.shown_records()
    assert sorted(n.number for n in numbers) == ["沁审管发〔2026〕1号", "沁审管发〔2026〕2号", "沁审管技审〔2026〕1号"]
    assert "共 5 条记录，其中 0 条待办" in page.status.text()


def test_add_through_the_dialog_and_a_refusal_stays_in_it(window, qtbot, ctx):
    page = open_records(window, qtbot)
    tab = page.show_tab("incident")
    dialog = tab.open_verb(KINDS["incident"].verb("add"))
    assert not dialog.ok.isEnabled()  # 事件名称 and 发生时间 are required
    dialog.set_value("title", "门户网站遭受扫描攻击")
    dialog.set_value("occurred_at", "2026-11-02 09:30")
    dialog.set_value("severity", "较大")
    assert dialog.ok.isEnabled(), dialog.ok.toolTip()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    idle(ctx, qtbot)
    assert not dialog.isVisible(), dialog.message.text()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10000)
    assert tab.model.rowCount() == 1 and tab.model.record(0).state == "处置中"
    # 办结 needs a selected row; then the rule (第二十九条) refuses inside the dialog
    assert not tab.buttons["close"].isEnabled()
    tab.table.selectRow(0)
    assert tab.buttons["close"].isEnabled()
    dialog = tab.open_verb(KINDS["incident"].verb("close"))
    dialog.set_value("closed_on", "2026-11-05")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    idle(ctx, qtbot)
    assert dialog.isVisible() and "第二十九条" in dialog.message.text()
    dialog.reject()
    assert tab.model.record(0).closed_on is None


def test_ref_and_project_fields_offer_the_records(window, qtbot, ctx):
    page = open_records(window, qtbot)
    tab = page.show_tab("assessment")
    dialog = tab.open_verb(KINDS["assessment"].verb("add"))
    qtbot.waitUntil(lambda: getattr(dialog, "choices_loaded", False), timeout=10000)
    box = dialog.inputs["project"]
    assert box.findData(window.code) >= 0
    dialog.set_value("project", window.code)
    dialog.set_value("kind", "mlps")
    dialog.set_value("level", "3")
    dialog.set_value("assessed_on", "2026-06-01")
    dialog.set_value("passed", True)
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    [row] = tab.model.shown_records()
    assert (row.code, row.level, str(row.valid_until)) == (window.code, 3, "2027-06-01")


def test_verbs_follow_the_role(window, qtbot, ctx):
    ctx.actor = Actor("fin", "finance", display_name="李财政")
    page = open_records(window, qtbot)
    om = page.tabs["legacy-om"]
    assert om.buttons["budget"].toolTip() in ("请先在表中选择一条记录", "")
    assert not om.buttons["review"].isEnabled() and om.buttons["review"].toolTip() == "当前账户无权办理"
    incidents = page.tabs["incident"]
    assert not incidents.denied.isHidden() and incidents.table.isHidden()  # finance keeps no security records
    assert not incidents.export_button.isEnabled()


def test_export_from_a_tab(window, qtbot, ctx, tmp_path):
    page = open_records(window, qtbot)
    tab = page.show_tab("plan-approval")
    target = tmp_path / "批准.xlsx"
    with qtbot.waitSignal(page.exported, timeout=15000):
        tab.export(str(target))
    ws = openpyxl.load_workbook(target).active
    assert ws.cell(4, 2).value == 2026 and ws.cell(4, 6).value == "已批准"


def test_funds_page_compares_and_exports(window, qtbot, ctx, tmp_path):
    page = window.pages["funds"]
    with qtbot.waitSignal(page.loaded, timeout=15000):
        window.show_section("funds")
    QAbstractItemModelTester(page.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    rows = page.model.shown_records()
    county = next(r for r in rows if r.source_label == "县级财政资金" or r.source_label == "未区分来源")
    assert county.paid_fen == 25_000_000
    assert "已拨付 250,000.00 元" in page.status.text()
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.year.setValue(2027)
    assert page.model.rowCount() == 0
    target = tmp_path / "funds.xlsx"
    page.year.setValue(2026)
    idle(ctx, qtbot)
    with qtbot.waitSignal(page.exported, timeout=15000):
        page.export(str(target))
    assert openpyxl.load_workbook(target).active.cell(4, 2).value == window.code


def test_funds_page_prints_the_comparison(window, qtbot, ctx):
    page = window.pages["funds"]
    with qtbot.waitSignal(page.loaded, timeout=15000):
        window.show_section("funds")
    qtbot.mouseClick(page.printButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(page, "preview", None) is not None, timeout=20000)
    assert "资金使用对照分析表" in page.preview.windowTitle()
    page.preview.reject()

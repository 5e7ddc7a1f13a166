"""The import wizard driven like a person: a sheet whose total column is not recognised, the mapping corrected by
hand and remembered for the next sheet of the same shape, errors that jump to their cell, cancel that writes
nothing, and a sheet dropped on the window."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication

from app.domain.actor import SETUP_ACTOR
from app.ui.importwizard import ImportWizard, shape_of
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories
from tests.unit.excel_sheets import sheet_from_rows

HEADER = ["项目名称", "实施单位", "项目类别", "建设性质", "盘子数", "县级财政资金", "上级补助资金", "其他资金", "本年申请资金"]


def rows(*projects: list) -> list[list]:
    return [["2027年度政务大数据项目汇总表"], ["单位：元"], HEADER, *projects]


GOOD = [["数据共享交换平台", "县财政局", "数据采集", "新建", 500000, 300000, 200000, 0, 100000],
        ["等保测评", "县公安局", "网络安全", "改造升级", 12345.67, 12345.67, 0, 0, 0]]


@pytest.fixture
def db(ctx, sqlite_db):
    from app.services import master, setup

    with sqlite_db.uow(SETUP_ACTOR) as uow:
        setup.initialise(uow)
        master.add_department(uow, "沁水县公安局")
        master.add_department(uow, "沁水县财政局")
        uow.commit()
    ctx.db, ctx.actor = sqlite_db, SETUP_ACTOR
    return sqlite_db


def projects(db):
    from app.services.projects import list_projects

    with db.uow(SETUP_ACTOR, write=False) as uow:
        return {p.name: p for p in list_projects(uow)}


def open_wizard(ctx, qtbot, path) -> ImportWizard:
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.path_edit.setText(str(path))
    with qtbot.waitSignal(wizard.inspected, timeout=15000):
        qtbot.mouseClick(wizard.read_button, Qt.MouseButton.LeftButton)
    QAbstractItemModelTester(wizard.errors, QAbstractItemModelTester.FailureReportingMode.Fatal)
    return wizard


def pick(wizard, qtbot, field: str, letter: str) -> None:
    combo = wizard.field_combos[field]
    with qtbot.waitSignal(wizard.inspected, timeout=15000):
        combo.setCurrentIndex(combo.findData(letter))
        combo.activated.emit(combo.currentIndex())


def test_correct_mapping_import_and_remember(ctx, db, qtbot, tmp_path) -> None:
    first = sheet_from_rows(tmp_path / "财政局.xlsx", rows(*GOOD))
    wizard = open_wizard(ctx, qtbot, first)
    assert wizard.header_label.text() == "表头：第 3 行"
    assert "未找到“总投资”列" in wizard.errors.record(0).message
    assert not wizard.next_button.isEnabled()
    assert wizard.field_combos["name"].currentData() == "A"
    assert wizard.preview.item(3, 0).text() == "数据共享交换平台"  # the sheet itself as the preview
    pick(wizard, qtbot, "total", "E")
    assert wizard.errors.rowCount() == 0, [wizard.errors.record(i).message for i in range(wizard.errors.rowCount())]
    assert "共 2 个项目" in wizard.summary.text() and "将新增 2 个" in wizard.summary.text()
    assert wizard.preview.horizontalHeaderItem(4).text() == "E\n总投资"
    assert projects(db) == {}  # the check is a dry run
    wizard.resize(1366, 768)
    wizard.grab().save("/tmp/govdata_shots/import_mapping.png")
    with qtbot.waitSignal(wizard.finished_import, timeout=15000):
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.result_label.text() == "导入完成：新增 2 个，更新 0 个，无变化 0 个。"
    assert projects(db)["等保测评"].total_fen == 1_234_567
    wizard.grab().save("/tmp/govdata_shots/import_done.png")
    shape = shape_of(HEADER)
    assert ctx.settings.value(f"import_mapping/{shape}")

    # the next sheet with the same header: the corrected mapping is applied without asking
    second = sheet_from_rows(tmp_path / "公安局.xlsx", rows(
        ["数据共享交换平台", "县财政局", "数据采集", "新建", 600000, 400000, 200000, 0, 100000]))
    again = open_wizard(ctx, qtbot, second)
    assert again.errors.rowCount() == 0 and "已按上次" in again.memory_label.text()
    assert "更新 1 个" in again.summary.text()
    with qtbot.waitSignal(again.finished_import, timeout=15000):
        qtbot.mouseClick(again.next_button, Qt.MouseButton.LeftButton)
    result = again.result_table.model().record(0)
    assert (result.outcome, result.changes) == ("更新", "总投资、县级财政资金")
    assert projects(db)["数据共享交换平台"].total_fen == 60_000_000


def test_errors_jump_to_their_cell(ctx, db, qtbot, tmp_path) -> None:
    bad = GOOD + [["智慧水务", "县水务局", "挖掘机", "新建", 1000, 1000, 0, 0, 0]]
    path = sheet_from_rows(tmp_path / "有错.xlsx", [r[:4] + ["总投资"] + r[5:] if i == 2 else r
                                                    for i, r in enumerate(rows(*bad))])
    wizard = open_wizard(ctx, qtbot, path)
    messages = [wizard.errors.record(i).message for i in range(wizard.errors.rowCount())]
    assert any("挖掘机" in m for m in messages), messages
    i = next(i for i, m in enumerate(messages) if "挖掘机" in m)
    wizard.error_table.doubleClicked.emit(wizard.errors.index(i, 2))
    assert (wizard.preview.currentRow(), wizard.preview.currentColumn()) == (5, 2)
    assert not wizard.next_button.isEnabled()
    wizard.resize(1366, 768)
    wizard.grab().save("/tmp/govdata_shots/import_errors.png")


def test_unknown_department_until_the_user_lets_it_be_added(ctx, db, qtbot, tmp_path) -> None:
    more = GOOD + [["智慧水务", "县水务局", "数据采集", "新建", 1000, 1000, 0, 0, 0]]
    path = sheet_from_rows(tmp_path / "新单位.xlsx", [r[:4] + ["总投资"] + r[5:] if i == 2 else r
                                                     for i, r in enumerate(rows(*more))])
    wizard = open_wizard(ctx, qtbot, path)
    messages = [wizard.errors.record(i).message for i in range(wizard.errors.rowCount())]
    assert len(messages) == 1 and "县水务局" in messages[0]
    assert wizard.jump_to_error(0) == (5, 1)
    with qtbot.waitSignal(wizard.inspected, timeout=15000):
        wizard.add_departments.setChecked(True)
    assert wizard.errors.rowCount() == 0 and "将新增单位：县水务局" in wizard.summary.text()
    assert "智慧水务" not in projects(db)


def test_cancel_writes_nothing(ctx, db, qtbot, tmp_path) -> None:
    path = sheet_from_rows(tmp_path / "表.xlsx", [r[:4] + ["总投资"] + r[5:] if i == 2 else r
                                                  for i, r in enumerate(rows(*GOOD))])
    wizard = open_wizard(ctx, qtbot, path)
    assert wizard.next_button.isEnabled()
    gate = threading.Event()
    ctx.tasks.run(lambda _t: gate.wait(10))  # the worker is busy, so the import waits in the queue
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.pages.currentIndex() == wizard.RUN
    qtbot.mouseClick(wizard.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == wizard.MAP, timeout=15000)
    assert wizard.summary.text() == "导入已取消，未写入任何数据。"
    assert projects(db) == {}


def test_drop_a_sheet_on_the_window_and_ctrl_i(ctx, db, qtbot, tmp_path) -> None:
    path = sheet_from_rows(tmp_path / "拖入.xlsx", rows(*GOOD))
    window = MainWindow(ctx, page_factories())
    qtbot.addWidget(window)
    window.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPointF(300, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    assert QApplication.sendEvent(window, enter) and enter.isAccepted()  # a drag first, as the mouse does
    drop = QDropEvent(QPointF(300, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    wizard = window.import_wizard
    qtbot.waitUntil(lambda: wizard.inspection is not None, timeout=15000)
    assert wizard.path_edit.text() == str(path) and wizard.pages.currentIndex() == wizard.MAP
    wizard.close()
    window.import_action.trigger()
    assert window.import_wizard is not wizard and window.import_wizard.pages.currentIndex() == wizard.PICK


def test_a_hand_mapping_survives_going_back_and_the_reading_is_shown(ctx, db, qtbot, tmp_path) -> None:
    path = sheet_from_rows(tmp_path / "财政局.xlsx", rows(*GOOD))
    wizard = open_wizard(ctx, qtbot, path)
    pick(wizard, qtbot, "total", "E")
    book = wizard.inspection.book
    assert wizard.errors.rowCount() == 0
    assert "E“盘子数”→总投资（元，表格说明）" in wizard.reading.text()
    qtbot.mouseClick(wizard.back_button, Qt.MouseButton.LeftButton)
    assert wizard.pages.currentIndex() == wizard.PICK
    with qtbot.waitSignal(wizard.inspected, timeout=15000):
        qtbot.mouseClick(wizard.read_button, Qt.MouseButton.LeftButton)
    assert wizard.field_combos["total"].currentData() == "E" and wizard.errors.rowCount() == 0
    assert wizard.inspection.book is book  # the same reading of the workbook, not a second one


def test_the_reading_names_unread_columns_skipped_rows_and_totals(ctx, db, qtbot, tmp_path) -> None:
    """What the dry run prints, the wizard shows before anything is written: columns holding numbers that map to no
    field, text columns left unread, the project rows read, the rows skipped and why, and the totals."""
    head = ["项目名称", "实施单位", "项目类别", "建设性质", "总投资", "县级财政资金", "上级补助资金", "其他资金", "备用金额", "审核意见"]
    path = sheet_from_rows(tmp_path / "汇总.xlsx", [
        ["2027年度政务大数据项目汇总表"], ["单位：万元"], head,
        ["合计", None, None, None, 130, 110, 20, 0],
        ["数据共享交换平台", "县财政局", "数据采集", "新建", 100, 80, 20, 0, 5, "同意"],
        ["等保测评", "县公安局", "网络安全", "改造升级", 30, 30, 0, 0, 1, "同意"]])
    wizard = open_wizard(ctx, qtbot, path)
    text = wizard.reading.text()
    assert wizard.errors.rowCount() == 0, [e.message for e in wizard.inspection.report.errors]
    assert "I“备用金额”" in text.split("未识别的列（含数字，未导入）：")[1].splitlines()[0]
    assert "J“审核意见”" in text.split("未导入的列：")[1].splitlines()[0]
    assert "读取项目 2 行" in text and "第 4 行" in text
    assert "总投资 130.00 万元" in text and "县级财政资金 110.00 万元" in text

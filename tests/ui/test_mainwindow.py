from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QRadioButton

from app import __version__
from app.ui.context import UiContext
from app.ui.firstrun import FirstRunWizard
from app.ui.mainwindow import MainWindow


def make_window(qtbot, ctx: UiContext) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.windowHandle().requestActivate()  # the offscreen platform activates only on request
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    return w


def test_navigation_lists_every_section_in_order(ctx, qtbot) -> None:
    w = make_window(qtbot, ctx)
    labels = [w.navigation.item(i).text() for i in range(w.navigation.count())]
    assert labels == ["工作台", "项目库", "年度计划", "审核立项", "预算与公示", "合同与资金", "变更", "验收", "运维",
                      "整改", "绩效评价", "资金对照", "专项记录", "安全管理", "基础数据", "系统设置"]
    w.navigation.setCurrentRow(14)
    assert w.stack.currentWidget() is w.pages["master"]


def test_shortcuts(ctx, qtbot) -> None:
    w = make_window(qtbot, ctx)
    found, new = [], []
    w.find_requested.connect(lambda: found.append(1))
    w.new_project_requested.connect(lambda: new.append(1))
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert found == [1] and w.current_section() == "register"
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert new == [1]
    qtbot.keyClick(w, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert w.current_section() == "plans"
    assert w.print_action.shortcut().toString() == "Ctrl+P"


def test_layout_is_remembered_in_the_data_folder(ctx, qtbot, _isolated_home) -> None:
    w = make_window(qtbot, ctx)
    w.show_section("acceptance")
    w.close()
    assert (_isolated_home / "ui.ini").exists()
    saved = UiContext().settings.value("window/geometry")
    assert saved is not None and bytes(saved) == bytes(w.saveGeometry())
    again = make_window(qtbot, UiContext())
    assert again.current_section() == "acceptance"


def test_status_bar_and_about(ctx, qtbot) -> None:
    w = make_window(qtbot, ctx)
    w.set_status("本机 govdata.sqlite3", "张三", "本机数据库 /x/govdata.sqlite3")
    assert w.db_label.text() == "数据库：本机 govdata.sqlite3" and w.user_label.text() == "用户：张三"
    box = w.show_about()
    assert __version__ in box.text()
    box.done(0)


def test_qt_dialogs_speak_chinese(gapp) -> None:
    assert QApplication.instance().property("govdata_translators") == 3  # Qt's qtbase, what it lacks, ours
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_first_run_wizard_local_and_shared(gapp, qtbot) -> None:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    county = wizard.findChild(QLineEdit, "county")
    county.setText("阳城县")
    county.textEdited.emit("阳城县")
    wizard.next()
    assert wizard.result_values()["url"] == ""
    assert wizard.result_values()["bureau"] == "阳城县行政审批服务管理局（阳城县政务信息管理局）"
    wizard.findChild(QRadioButton, "shared").setChecked(True)
    wizard.findChild(QLineEdit, "host").setText("10.1.2.3")
    wizard.findChild(QLineEdit, "password").setText("p@ss:w")
    values = wizard.result_values()
    assert values["url"] == "postgresql+psycopg://govdata@10.1.2.3:5432/govdata"  # no password stored
    assert values["connect_url"] == "postgresql+psycopg://govdata:p%40ss%3Aw@10.1.2.3:5432/govdata"
    wizard.findChild(QLineEdit, "host").setText("")
    assert not wizard.currentPage().isComplete()


def test_the_window_says_what_the_deadlines_did(ctx, qtbot) -> None:
    import datetime as dt
    from types import SimpleNamespace

    from app.ui.mainwindow import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    run = SimpleNamespace(suspended=(SimpleNamespace(code="QS-2026-0005"),), failed=(("QS-2026-0007", "项目已终止"),),
                          today=dt.date(2026, 12, 1))
    w.show_due_run(run)
    assert w.statusBar().currentMessage().startswith("整改期限已过：已自动暂停拨付 1 个项目的资金（QS-2026-0005）")
    assert w.due_box.isVisible() and "QS-2026-0007：项目已终止" in w.due_box.text()

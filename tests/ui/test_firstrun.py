"""A fresh install: the first-run wizard from an empty data folder to a working window, as a person clicks it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard

from app.services.master import get_settings
from app.services.plans import list_indicators
from app.storage.paths import data_dir
from app.ui import app as ui_app
from app.ui.firstrun import FirstRunWizard

NEXT, FINISH = QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton


def shown_wizard() -> FirstRunWizard | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, FirstRunWizard) and w.isVisible()), None)


def test_first_run_from_an_empty_data_folder_to_a_working_window(gapp, qtbot) -> None:
    assert not any(data_dir().iterdir())  # nothing yet: no database, no settings
    seen: dict = {}

    def click_through() -> None:
        wizard = shown_wizard()
        if wizard is None:  # not shown yet: look again on the next turn of the event loop
            QTimer.singleShot(10, click_through)
            return
        names = wizard.currentPage()
        seen["first"] = (names.county.text(), wizard.button(NEXT).isEnabled(), names.reason.text())
        qtbot.mouseClick(wizard.button(NEXT), Qt.MouseButton.LeftButton)
        seen["second"] = (wizard.currentPage() is wizard.database, wizard.button(FINISH).isEnabled())
        qtbot.mouseClick(wizard.button(FINISH), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click_through)
    window = ui_app.create_window()
    assert window is not None
    qtbot.addWidget(window)
    try:
        assert seen["first"] == ("沁水县", True, "")  # the default county passes, with no reason shown
        assert seen["second"] == (True, True)
        ctx = window.ctx
        qtbot.waitUntil(lambda: ctx.db is not None and ctx.actor is not None, timeout=30_000)
        assert (data_dir() / "govdata.sqlite3").exists()
        with ctx.db.uow(ctx.actor, write=False) as uow:
            assert get_settings(uow)["county"] == "沁水县"
            indicators = list_indicators(uow)  # 第二十三条's indicator system, as `govdata init` writes it
            assert indicators and sum(i.weight for i in indicators) == 100
        assert window.db_label.text() == "数据库：本机 govdata.sqlite3"
        assert window.user_label.text() == "用户：初始化账户"
        assert "尚未建立账户" in window.banner.text() and window.banner.isVisible()

        # working: a department added on 基础数据, then a project registered through the window, in the register
        qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10_000)
        master = window.show_section("master")
        qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10_000)
        master.dept_name.setText("沁水县公安局")
        with qtbot.waitSignal(master.loaded, timeout=10_000):
            qtbot.mouseClick(master.add_dept, Qt.MouseButton.LeftButton)
        assert master.models[0].rowCount() == 1
        window.new_action.trigger()
        qtbot.waitUntil(lambda: getattr(window, "new_dialog", None) is not None, timeout=10_000)
        form = window.new_dialog.form
        assert form.department.count() == 1
        form.department.setCurrentIndex(0)
        form.name.setText("县域数据共享交换平台")
        form.money["total_fen"].edit.setText("1280000")
        form.money["county_fen"].edit.setText("1280000")
        assert window.new_dialog.save.isEnabled(), form.problem_label.text()
        page = window.ensure_project_page()
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            qtbot.mouseClick(window.new_dialog.save, Qt.MouseButton.LeftButton)
        assert page.title.text().endswith("县域数据共享交换平台")
        register = window.show_section("register")
        qtbot.waitUntil(lambda: register.model.rowCount() == 1, timeout=10_000)
        assert register.model.record(0).name == "县域数据共享交换平台"
    finally:
        window.close()
        window.ctx.tasks.shutdown()


def test_wizard_says_why_it_cannot_go_on(gapp, qtbot) -> None:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    names = wizard.names
    names.county.setText("  ")
    assert not wizard.button(NEXT).isEnabled()
    assert names.reason.text() == "请填写县（区）名称" == wizard.button(NEXT).toolTip()
    names.county.setText("阳城县")
    assert wizard.button(NEXT).isEnabled() and names.reason.text() == ""
    names.county.textEdited.emit("阳城县")
    assert names.bureau.text().startswith("阳城县行政审批服务管理局")
    assert names.finance.text() == "阳城县财政局"
    wizard.next()
    page = wizard.database
    page.shared.setChecked(True)
    page.host.setText("")
    assert not wizard.button(FINISH).isEnabled()
    assert page.reason.text() == "连接共享数据库须填写服务器地址" == wizard.button(FINISH).toolTip()
    page.host.setText("10.1.2.3")
    assert wizard.button(FINISH).isEnabled() and page.reason.text() == ""
    assert wizard.result_values()["url"] == "postgresql+psycopg://govdata@10.1.2.3:5432/govdata"

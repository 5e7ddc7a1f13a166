"""Render each screen at 1366×768 to PNG (GOVDATA_SCREENSHOTS=folder keeps them, e.g. docs/img)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.domain.actor import SETUP_ACTOR
from app.ui.mainwindow import SECTIONS, MainWindow
from app.ui.screens import page_factories


def test_every_screen_renders_at_1366x768(ctx, demo_db, qtbot, tmp_path) -> None:
    ctx.db, ctx.actor = demo_db, SETUP_ACTOR
    out = Path(os.environ.get("GOVDATA_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    with qtbot.waitSignal(w.pages["dashboard"].loaded, timeout=20000):
        ctx.database_opened.emit()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=20000)

    def shot(name: str) -> Path:
        QApplication.processEvents()
        path = out / f"{name}.png"
        image = w.grab()
        assert (image.width(), image.height()) == (1366, 768)
        assert image.save(str(path))
        return path

    w.set_status("本机 demo.sqlite3（演示数据）", "审核员")
    ctx.signed_in = True  # as after a sign-in: 锁定 and 退出登录 enabled on the toolbar
    w._update_session_actions()
    shot("dashboard")
    for key, _label in SECTIONS[2:]:  # every other section, as a person clicks through the navigation
        w.show_section(key)
        qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=20000)
        shot(f"section-{key}")
        if key == "settings":  # nothing cut off at 1366×768 (the database location box was)
            page = w.pages["settings"]
            for edit in (page.db_label, page.db_url):
                assert edit.height() >= edit.sizeHint().height()
                assert edit.visibleRegion().boundingRect().height() == edit.height()
    reg = w.show_section("register")
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=20000)
    shot("register")
    code = next(reg.model.record(r).code for r in range(reg.model.rowCount())
                if reg.model.record(r).status == "under_construction")
    with qtbot.waitSignal(w.ensure_project_page().loaded, timeout=20000):
        w.open_project(code)
    shot("project")
    page = w.project_page
    page.tabs.setCurrentWidget(page.stage_tabs["contracts"])
    shot("project-contracts")
    page.start_action("pay")
    dialog = page.current_dialog
    dialog.inputs["amount"].edit.setText("120000")
    QApplication.processEvents()
    dialog.grab().save(str(out / "action-dialog.png"))
    dialog.reject()
    w.new_project()
    qtbot.waitUntil(lambda: getattr(w, "new_dialog", None) is not None, timeout=10000)
    w.new_dialog.grab().save(str(out / "new-project.png"))
    w.new_dialog.reject()
    from app.ui.session import UnlockDialog

    lock = UnlockDialog(ctx, "reviewer", w)
    lock.show()
    QApplication.processEvents()
    lock.grab().save(str(out / "unlock-dialog.png"))
    lock.done(0)
    assert len(list(out.glob("*.png"))) >= 6 + len(SECTIONS) - 2

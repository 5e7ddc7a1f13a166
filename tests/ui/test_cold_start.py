"""Cold start on the demo database: the register shows its first screenful (sqlite3, before the ORM loads), then
the services' rows replace it with the same rows in the same order."""

from __future__ import annotations

import shutil
import threading

from PySide6.QtCore import Qt

from app.services import auth
from app.services.projects import ProjectView
from app.services.quickread import QuickProject
from app.storage.paths import data_dir
from app.ui import app as ui_app


def test_demo_register_first_rows_then_the_same_rows_from_the_services(gapp, qtbot, monkeypatch,
                                                                       demo_template) -> None:
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)
    shutil.copyfile(demo_template, data_dir() / ui_app.DEMO_DB_NAME)  # the demo file exists, as at every later start
    (data_dir() / "ui.ini").write_text("[window]\nsection=1\n")  # the window opens on 项目库

    # the worker opens the database only once the first rows were looked at: the order is the point, not the
    # time either side takes (which a loaded machine can turn around)
    may_open = threading.Event()
    real_open = ui_app.open_database_for_window

    def open_when_allowed(*args, **kwargs):
        assert may_open.wait(30)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(ui_app, "open_database_for_window", open_when_allowed)
    window = ui_app.create_window(demo=True, ask_first_run=False)
    qtbot.addWidget(window)
    register = window.pages["register"]
    try:
        qtbot.waitUntil(lambda: register.model.rowCount() > 0, timeout=10_000)
        first = register.model.shown_records()
        assert first and all(isinstance(r, QuickProject) for r in first)
        assert window.ctx.db is None  # shown before the database layer opened
        assert register.totals.text() == "正在载入全部项目…"
        with qtbot.waitSignal(register.rows_shown, timeout=30_000):
            may_open.set()
        full = register.model.shown_records()
        assert all(isinstance(r, ProjectView) for r in full)
        assert [r.code for r in full[:len(first)]] == [r.code for r in first]
        assert [r.total_fen for r in full[:len(first)]] == [r.total_fen for r in first]
        assert register.totals.text().startswith(f"显示 {len(full)} / {len(full)} 个项目")
    finally:
        window.close()
        window.ctx.tasks.shutdown()


def test_first_rows_only_where_the_actor_is_known(ctx, qtbot, monkeypatch, demo_template) -> None:
    from app.ui.mainwindow import MainWindow
    from app.ui.screens import page_factories

    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)
    path = str(data_dir() / ui_app.DEMO_DB_NAME)
    shutil.copyfile(demo_template, path)  # the session's demo database
    window = MainWindow(ctx, page_factories())
    qtbot.addWidget(window)
    assert not ui_app.show_first_rows(window, path, demo=True)  # the register is not built: not built for this
    register = window.show_section("register")
    assert not ui_app.show_first_rows(window, path, demo=False)  # an ordinary database: who signs in is unknown
    monkeypatch.setenv("GOVDATA_USER", "clerk")
    monkeypatch.setenv("GOVDATA_PASSWORD", "demo-2026")
    assert not ui_app.show_first_rows(window, path, demo=True)  # another account, password not checked yet
    monkeypatch.delenv("GOVDATA_USER")
    register.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert not ui_app.show_first_rows(window, path, demo=True)  # a remembered sort would reorder a part
    register.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    assert ui_app.show_first_rows(window, path, demo=True)
    assert register.model.rowCount() > 0

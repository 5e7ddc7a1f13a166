"""Cold start on the demo database: the register shows its rows (ids and painted rows read with sqlite3, before
the ORM loads), then the index from the worker replaces them with the same rows in the same order."""

from __future__ import annotations

import shutil
import threading

from PySide6.QtCore import Qt

from app.domain.actor import Actor
from app.services import auth
from app.services.projects import list_projects
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
        assert window.ctx.db is None  # shown before the database layer opened
        assert not register.model.loaded and register.totals.text() == "正在载入全部项目…"
        first = [register.model.row_id(r) for r in range(register.model.rowCount())]  # each fetched when asked
        names = [register.model.data(register.model.index(r, 1)) for r in range(register.model.rowCount())]
        with qtbot.waitSignal(register.rows_shown, timeout=30_000):
            may_open.set()
        assert register.model.loaded
        with window.ctx.db.uow(Actor("reviewer", "reviewer"), write=False) as uow:
            full = list_projects(uow)
        assert first == [p.code for p in full] == register.model.shown_ids()  # every row, in the services' order
        assert names == [p.name for p in full]
        assert register.totals.text().startswith(f"显示 {len(full)} / {len(full)} 个项目")
    finally:
        window.close()
        window.ctx.tasks.shutdown()


def quick_index(path: str):
    from app.services.registerpages import pager_for, register_index

    pager = pager_for(path, "reviewer")
    try:
        return register_index(pager.sql, pager.actor)
    finally:
        pager.close()


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
    assert ui_app.show_first_rows(window, path, demo=True)
    assert register.model.rowCount() > 0
    unsorted = [register.model.row_id(r) for r in range(register.model.rowCount())]
    for column, how in ((1, Qt.SortOrder.AscendingOrder), (6, Qt.SortOrder.DescendingOrder),
                        (12, Qt.SortOrder.AscendingOrder)):  # name, status label, approved (empty ones last)
        register.table.sortByColumn(column, how)  # a remembered sort: the first rows come in its order
        assert ui_app.show_first_rows(window, path, demo=True)
        first = [register.model.row_id(r) for r in range(register.model.rowCount())]
        with qtbot.waitSignal(register.rows_shown, timeout=20_000):
            register.set_index(quick_index(path))
        assert register.model.shown_ids() == first != unsorted, column
        register.model.set_ids([], lambda ids: {})  # as before the index, for the next round

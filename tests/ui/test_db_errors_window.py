"""The window meets a database failure in the middle of its session (the disk fills up, another program holds the
write lock, a damaged page, a stale row): a message in Chinese, never the apology for a bug, and the window lives
on: once the cause is gone the same action saves (app.storage.dberrors through the TaskManager)."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import Engine, event, select

from app.domain.actor import SETUP_ACTOR
from app.models import Department
from app.storage import database as storage_database
from app.ui import crash
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories


def coded(message: str, code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]  # as SQLite sets it
    return exc


@pytest.fixture
def window(ctx, tmp_path, qtbot, monkeypatch):
    from app.services import master, setup

    monkeypatch.setattr(storage_database, "BUSY_TIMEOUT_MS", 300)
    db = storage_database.open_database(tmp_path / "window.sqlite3")
    with db.uow(SETUP_ACTOR) as uow:
        setup.initialise(uow)
        master.add_department(uow, "沁水县公安局")
        uow.commit()
    ctx.db, ctx.actor = db, SETUP_ACTOR
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.show()
    ctx.database_opened.emit()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10000)
    yield w
    ctx.tasks.shutdown()
    db.dispose()


def boxes(name: str) -> list[QMessageBox]:
    return [b for b in crash.open_boxes() if b.objectName() == name]


def add(ctx, qtbot, name: str) -> None:
    from app.services.master import add_department

    ended: list = []
    ctx.write(lambda uow: add_department(uow, name), lambda r: ended.append(r),
              on_error=lambda exc: bool(ended.append(exc)))  # False: the error is shown as the window shows it
    qtbot.waitUntil(lambda: bool(ended), timeout=10000)
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10000)


def names(ctx) -> set[str]:
    with ctx.db.uow(SETUP_ACTOR, write=False) as uow:
        return set(uow.session.scalars(select(Department.name)))


@pytest.mark.parametrize(("message", "code", "words"), [
    ("database or disk is full", 13, "磁盘空间已满"),
    ("disk I/O error", 10, "读写数据库文件时出错"),
    ("attempt to write a readonly database", 8, "只读"),
    ("database disk image is malformed", 11, "已损坏"),
])
def test_a_failure_in_mid_session_is_a_message_and_the_window_lives_on(window, ctx, qtbot, message, code, words):
    def fail(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("INSERT"):
            raise coded(message, code)

    event.listen(Engine, "before_cursor_execute", fail)
    try:
        add(ctx, qtbot, "沁水县卫健委")
    finally:
        event.remove(Engine, "before_cursor_execute", fail)
    shown = boxes("userErrorBox")
    assert shown and words in shown[-1].text() and message not in shown[-1].text()
    assert not boxes("crashBox")
    for b in crash.open_boxes():
        b.done(0)
    assert window.isVisible() and "沁水县卫健委" not in names(ctx)
    add(ctx, qtbot, "沁水县卫健委")  # the cause gone: the same work saves, on the same worker and engine
    assert "沁水县卫健委" in names(ctx) and not crash.open_boxes()


def test_another_program_holding_the_write_lock(window, ctx, qtbot, tmp_path):
    holder = sqlite3.connect(tmp_path / "window.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        add(ctx, qtbot, "沁水县卫健委")
        shown = boxes("userErrorBox")
        assert shown and "占用" in shown[-1].text() and not boxes("crashBox")
        for b in crash.open_boxes():
            b.done(0)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    add(ctx, qtbot, "沁水县卫健委")
    assert "沁水县卫健委" in names(ctx)


def test_a_failure_on_the_gui_thread_is_a_message_too(window, qtbot):
    """The register reads its rows on the window's thread (sqlite3): a damaged page met there."""
    def paint():
        raise coded("database disk image is malformed", 11)

    crash._excepthook(sqlite3.DatabaseError, coded("database disk image is malformed", 11), None)
    window.ctx.tasks.run_on_main(paint)
    qtbot.waitUntil(lambda: len(boxes("userErrorBox")) >= 2, timeout=5000)
    assert all("已损坏" in b.text() for b in boxes("userErrorBox")) and not boxes("crashBox")
    for b in list(QApplication.topLevelWidgets()):
        if isinstance(b, QMessageBox):
            b.done(0)

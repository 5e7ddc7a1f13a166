"""文件 → 备份数据库 (issue 16; `govdata backup` had no window face): the system administrator chooses a file in a
Chinese save dialog, the backup runs off the GUI thread with its progress, and the window says where it went; the
output guard of the command line holds (never over the database); whoever may not back up is told why at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from sqlalchemy import select

from app.domain.actor import Actor
from app.models import AuditRecord
from app.storage.crypto import sm3_file
from app.ui import crash
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories


@pytest.fixture
def window(ctx, walker, qtbot):
    if not walker.db.is_sqlite:
        pytest.skip("a backup is of the local database file")
    ctx.db, ctx.actor = walker.db, Actor("xitong", "sysadmin", display_name="系统管理员甲")
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.session_started()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10000)
    return w


def _database(walker) -> Path:
    return Path(walker.db.url.removeprefix("sqlite:///"))


def _backups(walker) -> list[str]:
    with walker.db.uow(walker.actor, write=False) as uow:
        return [r.detail for r in uow.session.scalars(select(AuditRecord).where(AuditRecord.action == "database.backup"))]


def test_the_system_administrator_backs_up_from_the_window(window, walker, qtbot, tmp_path):
    code = walker.register(name="备份检验项目")
    assert window.backup_action.isEnabled() and window.backup_action.text() == "备份数据库(&B)…"
    flow = window.backup_database()
    dialog = flow.file_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "备份数据库"
    labels = {w.text() for w in dialog.findChildren(QLabel) if w.isVisible()}
    buttons = {b.text() for b in dialog.findChildren(QPushButton) if b.isVisible()}
    assert labels == {"查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)："} and buttons == {"保存(&S)", "取消"}
    assert dialog.nameFilters() == ["数据库备份 (*.sqlite3)", "涉密备份，SM4 加密 (*.sm4)"]
    offered = dialog.selectedFiles()[0]
    assert Path(offered).name.startswith("test-") and offered.endswith("-manual.sqlite3")  # the database's name

    out = tmp_path / "手工备份.sqlite3"
    dialog.selectFile(str(out))
    with qtbot.waitSignal(flow.finished, timeout=30000):
        dialog.accept()
    assert flow.task.label == "正在备份数据库…" and flow.task.total > 0  # a task with its progress, off the GUI thread
    box = flow.done_box
    assert box.isVisible() and box.windowTitle() == "备份完成"
    assert str(out) in box.text() and "SM3 摘要" in box.text() and "手工备份.sqlite3.sm3" in box.text()
    side = Path(f"{out}.sm3").read_text(encoding="utf-8").split()[0]
    assert side == sm3_file(out) and side[:16] in box.text()
    with sqlite3.connect(out) as copy:  # a database of its own, with what was recorded
        assert copy.execute("SELECT name FROM projects WHERE code = ?", (code,)).fetchone() == ("备份检验项目",)
    assert len(_backups(walker)) == 1 and str(out) in _backups(walker)[0]


def test_the_backup_is_never_written_over_the_database(window, walker, qtbot):
    database = _database(walker)
    before = sm3_file(database)
    flow = window.backup_database()
    flow.file_dialog.selectFile(str(database))
    flow.file_dialog.accept()
    qtbot.waitUntil(lambda: any(b.objectName() == "userErrorBox" for b in crash.open_boxes()), timeout=15000)
    [shown] = [b for b in crash.open_boxes() if b.objectName() == "userErrorBox"]
    assert "不能把输出写到数据库上" in shown.text() and "没有写入任何内容" in shown.text()
    shown.done(0)
    assert flow.done_box is None and sm3_file(database) == before and not _backups(walker)


def test_an_existing_file_is_replaced_only_when_the_person_says_so(window, walker, qtbot, tmp_path):
    out = tmp_path / "上次备份.sqlite3"
    out.write_bytes(b"earlier")
    flow = window.backup_database()
    flow.file_dialog.selectFile(str(out))
    flow.file_dialog.accept()
    box = flow.replace_box
    assert box.isVisible() and "已存在" in box.text() and [b.text() for b in box.buttons()] == ["替换", "取消"]
    box.buttons()[1].click()
    qtbot.wait(50)
    assert out.read_bytes() == b"earlier" and flow.task is None
    flow = window.backup_database()
    flow.file_dialog.selectFile(str(out))
    flow.file_dialog.accept()
    with qtbot.waitSignal(flow.finished, timeout=30000):
        flow.replace_box.buttons()[0].click()
    assert out.read_bytes().startswith(b"SQLite format 3")


def test_a_confidential_backup_asks_for_its_passphrase_twice(window, walker, qtbot, tmp_path):
    flow = window.backup_database()
    flow.file_dialog.selectNameFilter("涉密备份，SM4 加密 (*.sm4)")
    flow.file_dialog.selectFile(str(tmp_path / "涉密"))
    flow.file_dialog.accept()
    ask = flow.passphrase_dialog
    assert ask.isVisible() and ask.windowTitle() == "涉密备份口令"
    ok = ask.buttons.buttons()[0]
    ask.first.setText("短口令")
    assert not ok.isEnabled() and ask.note.text() == "口令至少 12 个字符"
    ask.first.setText("县大数据局备份口令2026")
    ask.second.setText("县大数据局备份口令2025")
    assert not ok.isEnabled() and ask.note.text() == "两次输入的口令不一致"
    ask.second.setText("县大数据局备份口令2026")
    assert ok.isEnabled()
    with qtbot.waitSignal(flow.finished, timeout=30000):
        ask.accept()
    out = tmp_path / "涉密.sm4"
    assert out.exists() and not out.read_bytes().startswith(b"SQLite format 3")  # encrypted
    assert "已 SM4 加密" in flow.done_box.text()


def test_whoever_may_not_back_up_is_told_why(window, ctx, qtbot):
    ctx.actor = Actor("shenhe", "reviewer", display_name="审核员乙")
    window.session_started()
    assert not window.backup_action.isEnabled()
    assert "“备份与恢复”由系统管理员办理" in window.backup_action.toolTip()
    assert window.backup_database() is None
    assert window.refused_box.isVisible() and "无权备份与恢复" in window.refused_box.text()

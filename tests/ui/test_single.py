"""A second copy on the same database file: the first window comes forward, the second says so plainly (no empty
user name, no ISO time) and closes, instead of staying open on 正在载入 with 数据库未打开."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from app.storage.database import open_database
from app.storage.guard import InstanceLocked
from app.ui import app as ui_app
from app.ui.mainwindow import MainWindow
from app.ui.single import ForwardRequests, ask_to_come_forward, request_path

ROOT = Path(__file__).resolve().parents[2]

SECOND_COPY = """
import json, os, sys
from PySide6.QtCore import QTimer
from app.ui import app as ui_app
app = ui_app.make_application([])
window = ui_app.create_window(db_arg=sys.argv[1], ask_first_run=False)
seen = {}
def look():
    box = getattr(window, "already_open_box", None)
    if box is not None and box.isVisible():
        seen["text"] = box.text()
        seen["status"] = window.db_label.text()
        box.accept()  # the person reads it and presses OK: the window closes, and the program ends
    else:
        QTimer.singleShot(50, look)
QTimer.singleShot(50, look)
QTimer.singleShot(60000, app.quit)
code = app.exec()
print(json.dumps({**seen, "visible": window.isVisible(), "code": code}))
sys.stdout.flush()
os._exit(0)
"""


def test_a_second_copy_brings_the_first_forward_and_closes(ctx, tmp_path, qtbot) -> None:
    path = tmp_path / "govdata.sqlite3"
    db = open_database(path)  # this process holds the file, as the first window does
    try:
        ctx.db = db
        first = MainWindow(ctx)
        qtbot.addWidget(first)
        first.show()
        ui_app.watch_for_second_copies(first, db)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        with qtbot.waitSignal(first.forward_requests.requested, timeout=60000):
            child = subprocess.Popen([sys.executable, "-c", SECOND_COPY, str(path)], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = child.communicate(timeout=60)
        seen = json.loads(out.strip().splitlines()[-1])
        assert seen["text"].startswith("这个数据库已在本机的另一个窗口中打开（") and "已把那个窗口切换到前面" in seen["text"]
        assert "T" not in seen["text"].split("（", 1)[1].split("）")[0]  # the time as a person writes it
        assert seen["status"] == "数据库未打开" and not seen["visible"]  # closed, not left loading
        assert not request_path(path).exists()  # the first window took the request
    finally:
        db.dispose()


def test_the_message_names_who_holds_it_without_blanks(ctx, qtbot) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    started = dt.datetime(2026, 3, 5, 14, 3, 9).isoformat()
    ui_app.refuse_second_copy(window, None, InstanceLocked("…", {"host": socket.gethostname(), "pid": 42,
                                                                "user": "", "started": started}))
    box = window.already_open_box
    assert box.text() == ("这个数据库已在本机的另一个窗口中打开（本机（自3月5日 14:03起）），已把那个窗口切换到前面。"
                          "本窗口将关闭。")
    box.accept()
    assert not window.isVisible()
    other = MainWindow(ctx)
    qtbot.addWidget(other)
    other.show()
    ui_app.refuse_second_copy(other, None, InstanceLocked("…", {"host": "PC-7", "pid": 9, "user": "wang",
                                                               "started": started}, stale=True))
    assert other.already_open_box.text().startswith("这个数据库正被另一台电脑使用（电脑 PC-7、用户 wang（自3月5日 14:03起））")


def test_the_request_is_taken_once(tmp_path, qtbot, gapp) -> None:
    db_file = tmp_path / "x.sqlite3"
    db_file.write_bytes(b"")
    watcher = ForwardRequests(db_file)
    with qtbot.waitSignal(watcher.requested, timeout=10000):
        assert ask_to_come_forward(db_file)
    assert not request_path(db_file).exists() and not watcher.check()

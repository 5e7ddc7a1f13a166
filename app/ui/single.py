"""One window per database file on a PC: a second copy started on the same SQLite file asks the first window to
come forward and closes with a clear message, instead of staying open on a database it cannot use.

The first window holds the file's instance lock (app.storage.guard). The second, refused by that lock, leaves a
request file beside it (`<database>.lock.raise`); the first watches the folder (QFileSystemWatcher, no network
module), removes the request and brings itself forward. A copy on another PC (a file on a share, which the lock
refuses too) is told who holds the file, and closes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from pathlib import Path
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("SingleWindow", text)


def request_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".lock.raise")


def ask_to_come_forward(db_file: Path) -> bool:
    """Leave the request for the window that holds db_file; False when it cannot be written."""
    path = request_path(db_file)
    try:
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"pid": os.getpid(), "at": dt.datetime.now().isoformat(timespec="seconds")}),
                       encoding="utf-8")
        os.replace(tmp, path)  # appears whole, never half-written
    except OSError:
        return False
    return True


class ForwardRequests(QObject):
    """In the first window: notices a second copy's request and says so (`requested`)."""

    requested = Signal()

    def __init__(self, db_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = request_path(db_file)
        self.watcher = QFileSystemWatcher([str(db_file.parent)], self)
        self.watcher.directoryChanged.connect(self.check)
        self.check()

    def check(self, _folder: str = "") -> bool:
        if not self.path.exists():
            return False
        try:
            self.path.unlink()
        except OSError:
            return False
        self.requested.emit()
        return True


def come_forward(window: QWidget) -> None:
    state = QtCore.Qt.WindowState
    window.setWindowState((window.windowState() & ~state.WindowMinimized) | state.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()


def holder_text(holder: dict[str, Any]) -> str:
    """Who holds the file, as a person says it: 本机用户 wang（自 3月5日 14:03 起）; nothing empty or in ISO."""
    parts = []
    host = holder.get("host")
    if host and host != socket.gethostname():
        parts.append(tr("电脑 {0}").format(host))
    user = holder.get("user")
    if user:
        parts.append(tr("用户 {0}").format(user))
    started = holder.get("started")
    when = ""
    if started:
        try:
            t = dt.datetime.fromisoformat(str(started))
            when = tr("自{0}月{1}日 {2:02d}:{3:02d}起").format(t.month, t.day, t.hour, t.minute)
        except ValueError:
            when = ""
    who = "、".join(parts) or tr("本机")
    return who + (f"（{when}）" if when else "")


def refused_message(holder: dict[str, Any], same_pc: bool, asked: bool) -> str:
    who = holder_text(holder)
    if same_pc:
        return (tr("这个数据库已在本机的另一个窗口中打开（{0}），已把那个窗口切换到前面。本窗口将关闭。").format(who)
                if asked else tr("这个数据库已在本机的另一个窗口中打开（{0}）。请切换到那个窗口；本窗口将关闭。").format(who))
    return tr("这个数据库正被另一台电脑使用（{0}），为防止两处同时写入，本窗口将关闭。多个科室同时使用请改用共享数据库"
              "（PostgreSQL）；若那台电脑已关机，请系统管理员执行 govdata unlock-db。").format(who)


def close_with_message(window: QWidget, text: str) -> QMessageBox:
    """Say why, then close the window (and with it the program) when the message is closed."""
    box = QMessageBox(QMessageBox.Icon.Information, tr("程序已在运行"), text, QMessageBox.StandardButton.Ok, window)
    box.setObjectName("alreadyOpenBox")
    box.finished.connect(lambda _r: window.close())
    box.open()
    return box

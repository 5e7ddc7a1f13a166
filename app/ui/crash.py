"""Errors at the window's edge: a user's error is a message; a bug is logged and met with a short apology.

No traceback reaches the user. The program keeps running after a bug (sys.excepthook is replaced, so an
exception in a slot does not end the event loop).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QWidget

from app import __version__
from app.errors import GovDataError
from app.storage import dberrors
from app.storage.paths import log_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

log = logging.getLogger("govdata.ui")

_open_boxes: list[QMessageBox] = []  # kept alive while shown (they are non-blocking)


def tr(text: str) -> str:
    return QCoreApplication.translate("Crash", text)


def log_path() -> Path:
    return log_dir() / "govdata-ui.log"


def write_log(exc: BaseException) -> Path:
    """Append the traceback, with time and version, to the log in the user's data folder."""
    path = log_path()
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"==== {stamp} govdata {__version__} Python {sys.version.split()[0]}\n{text}\n")
    return path


def report_bug(exc: BaseException, parent: QWidget | None = None) -> None:
    """Log an unexpected exception and apologise in Chinese with the log's location."""
    try:
        path: Path | None = write_log(exc)
    except OSError:
        path = None
    log.error("unexpected error", exc_info=exc)
    if QApplication.instance() is None or any(b.objectName() == "crashBox" for b in _open_boxes):
        return  # one apology at a time; further bugs while it is open are only logged
    where = str(path) if path else tr("（日志无法写入）")
    _show("critical", tr("程序出错"),
          tr("很抱歉，程序遇到了意外错误，刚才的操作没有完成。\n\n"
             "已保存的数据不受影响，您可以继续工作。若问题反复出现，"
             "请将下面的日志文件发给系统管理员：\n{0}").format(where), "crashBox", parent)


def _show(kind: str, title: str, text: str, name: str, parent: QWidget | None) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox  # the start path: its type is made when a box is first shown

    icon = QMessageBox.Icon.Critical if kind == "critical" else QMessageBox.Icon.Warning
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent or QApplication.activeWindow())
    box.setObjectName(name)
    _open_boxes.append(box)
    box.finished.connect(lambda _r: _open_boxes.remove(box) if box in _open_boxes else None)
    box.open()
    return box


def open_boxes() -> list[QMessageBox]:
    return list(_open_boxes)


def show_user_error(exc: Exception, parent: QWidget | None = None) -> None:
    """A user's error (app.errors.GovDataError): its Chinese message, nothing more."""
    _show("warning", tr("无法完成操作"), str(exc), "userErrorBox", parent)


def _excepthook(etype: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(etype, KeyboardInterrupt):
        QApplication.quit()
        return

    exc.__traceback__ = tb
    if isinstance(exc, Exception):  # a busy, read-only, full, damaged… database: a message, not an apology
        exc = dberrors.user_error(exc) or exc
    if isinstance(exc, GovDataError):
        show_user_error(exc)
    else:
        report_bug(exc)


def install() -> None:
    sys.excepthook = _excepthook

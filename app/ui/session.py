"""Who is at the keyboard: the idle lock, unlocking with the password, signing out and in again.

The window locks itself after app.services.auth.idle_lock_minutes without a key press or mouse use (0: never): the
pages are hidden, the sign-out is recorded (reason idle_lock) and the same account's password unlocks it (a new
sign-in, with the lockout rules). 退出登录 records the sign-out and asks who signs in next; the pages then reload
for that account. Without accounts (the setup account before the first user) there is nothing to lock. The
dialogs (app.ui.signin: SignInDialog, UnlockDialog) load when first shown.
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication


def tr(text: str) -> str:
    return QCoreApplication.translate("Session", text)


INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                          QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.ShortcutOverride})


class IdleWatcher(QObject):
    """Fires `idle` after `interval_ms` without user input anywhere in the application."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)  # its type is set when it first starts, after the window's first paint
        self.timer.timeout.connect(self.idle)
        self._installed = False

    def start(self, interval_ms: int) -> None:
        if interval_ms <= 0:
            self.stop()
            return
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)  # remainingTime() exact (a coarse one drifts 5 %)
        self.timer.setInterval(interval_ms)
        if not self._installed:
            QApplication.instance().installEventFilter(self)
            self._installed = True
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self._installed:
            QApplication.instance().removeEventFilter(self)
            self._installed = False

    @property
    def active(self) -> bool:
        return self.timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self.timer.isActive():
            self.timer.start()  # restart the countdown
        return False


def record_sign_out(ctx: Any, reason: str) -> None:
    """On the worker: the sign-out (sign_out, idle_lock, window_closed) in the audit trail."""
    db, actor = ctx.db, ctx.actor

    def work(_task: Any) -> None:
        from app.services import auth  # the start path: the ORM loads after the first paint

        auth.sign_out(db, actor, reason)

    ctx.tasks.run(work)


def any_accounts(uow: Any) -> bool:
    from app.services import auth  # the start path: the ORM loads after the first paint

    return auth.any_accounts(uow)


def idle_minutes(uow: Any) -> int:
    from app.services import auth  # the start path: the ORM loads after the first paint

    return auth.idle_lock_minutes(uow)

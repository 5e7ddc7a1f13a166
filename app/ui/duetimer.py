"""Deadlines act while the window is open (第二十二条): `services.deadlines.run_due` once the database is open, and
again when the date changes (checked every few minutes), on the worker thread like every service call. What it did
is the system's act in the audit trail; the screens refresh when a project's funds were suspended."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.services import clock
from app.ui.context import UiContext

CHECK_MS = 5 * 60 * 1000  # how often the date is looked at (a run happens once a day)


class DueRunner(QObject):
    ran = Signal(object)  # the DueRun, on the GUI thread

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_day: dt.date | None = None
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.run_if_new_day)
        ctx.database_opened.connect(self.start)

    def start(self) -> None:
        self.last_day = None
        self.timer.start()
        self.run_if_new_day()

    def run_if_new_day(self) -> None:
        today = clock.today()
        if self.ctx.db is None or self.running or self.last_day == today:
            return
        self.running = True
        db, actor = self.ctx.db, self.ctx.actor

        def work(_task: Any) -> Any:
            from app.services.deadlines import run_due  # the ORM loads after the first paint

            return run_due(db, started_by=actor)

        def done(result: Any) -> None:
            self.running = False
            self.last_day = today
            if result.suspended:
                self.ctx.data_changed.emit("")
            self.ran.emit(result)

        def failed(_exc: BaseException) -> bool:
            self.running = False
            return False  # shown like any other failure

        self.ctx.tasks.run(work, done, on_error=failed)

"""Python's cycle collector run on the GUI thread only (after Anki's aqt.main GarbageCollector).

A Qt object must be destroyed on the thread it lives on: destroyed on another, its timers cannot be stopped and a
later timer event reaches freed memory (a crash in QTimerInfoList::activateTimers). Python collects reference cycles
on whichever thread happens to allocate, so the worker threads of app.ui.tasks could destroy a window's widgets and
timers. While the window runs the automatic collector is therefore off, and this collects on the GUI thread instead:
each generation when it holds as many new objects as Python's own threshold would allow, checked every second.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_MS = 1000


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        # no collection of its own here: a full one costs the window's start ≈ 10 ms before its first paint, and
        # until now Python's automatic collector ran (no worker thread exists yet); the timer collects when due
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect_if_due)
        self.timer.start(CHECK_MS)

    def collect_if_due(self) -> int:
        """Collect the oldest generation that is due (with the younger ones); the number of objects freed."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] >= self.thresholds[generation]:
                return gc.collect(generation)
        return 0


def install(app: QObject) -> MainThreadCollector:
    """One collector per application (kept as its child)."""
    existing = app.findChild(MainThreadCollector)
    return existing if existing is not None else MainThreadCollector(app)

"""One worker thread for database work, results delivered back on the GUI thread (after Anki's taskman).

`tasks.run(fn, on_done, label=...)` runs `fn(task)` on the worker (`long=True`: on the thread for long reads, an
export or the audit verification, so that the worker stays free for the pages' reads meanwhile);
`task.progress(done, total)` and `task.cancelled()` are plain callables handed on to the services, which stay
Qt-free (a cancelled task's next progress raises Cancelled). When the work takes longer than half a second a
progress dialog with a cancel button appears. A user's error (app.errors.GovDataError)
is shown as a message; anything else goes to the crash handler, and the program lives on.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.errors import GovDataError, PermissionDenied
from app.storage import dberrors

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from PySide6.QtWidgets import QProgressDialog

PROGRESS_DELAY_MS = 500


def _release_after(_fn: object, finish: Callable[[Any, BaseException | None], None], result: Any,
                   exc: BaseException | None) -> None:
    """finish(result, exc) on the GUI thread; `_fn` is held until then (see TaskManager.run)."""
    finish(result, exc)


class Cancelled(Exception):
    """Raised by a task that noticed `task.cancelled()`; it ends quietly."""


class Task:
    """Handed to the background function: thread-safe progress and cancellation."""

    def __init__(self, manager: TaskManager, label: str | None) -> None:
        self._manager = manager
        self._cancel = threading.Event()
        self.label = label
        self.done = 0
        self.total = 0
        self.finished = False
        self.dialog: QProgressDialog | None = None

    def progress(self, done: int, total: int) -> None:
        """Report progress; a cancelled task stops here (Cancelled), so a service's progress callback is also
        where it can be cancelled."""
        if self._cancel.is_set():
            raise Cancelled()
        first = not self.total
        self.done, self.total = done, total
        if first or done == total or done % max(1, total // 100) == 0:
            self._manager.run_on_main(self._update_dialog)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def _update_dialog(self) -> None:
        if self.dialog is not None and self.total:
            self.dialog.setMaximum(self.total)
            self.dialog.setValue(min(self.done, self.total - 1) if not self.finished else self.total)


class TaskManager(QObject):
    """A single worker thread (SQLite likes one writer) plus a queue of closures for the GUI thread."""

    _closures_pending = Signal()
    task_finished = Signal()  # after each task's callbacks ran (tests wait on it)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # the worker, and the long reads' thread (exports, verification: one at a time, each writing only a short
        # record at the end), made when first asked for: the first task comes after the window's first paint
        self._executors: dict[str, ThreadPoolExecutor] = {}
        self._closures: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._wake_lock = threading.Lock()
        self._wakes = False  # _closures_pending queued to _drain: connected on first use (see _wake)
        self.active = 0
        self._running: set[Task] = set()
        self.on_user_error: Callable[[Exception, QWidget | None], None] | None = None
        self.on_bug: Callable[[BaseException, QWidget | None], None] | None = None
        # on the worker, for a PermissionDenied: writes its audit record (app.services.audit.record_denied)
        self.on_refused: Callable[[BaseException], Any] | None = None

    def run_on_main(self, closure: Callable[[], None]) -> None:
        """Callable from any thread: run `closure` soon on the GUI thread."""
        with self._lock:
            self._closures.append(closure)
        self._wake()

    def _wake(self) -> None:
        """Have the GUI thread drain the closures soon: a queued call, from whichever thread."""
        self._connect_wakes()
        self._closures_pending.emit()

    def _connect_wakes(self) -> None:
        """The queued connection, made on first use after the window's first paint (Qt's namespace of enums, which
        the connection type is in, costs 17 ms to build): by `run` on the GUI thread, before any worker can ask."""
        if not self._wakes:
            with self._wake_lock:
                if not self._wakes:
                    self._closures_pending.connect(self._drain, QtCore.Qt.ConnectionType.QueuedConnection)
                    self._wakes = True

    def _hand_over(self, box: list[Callable[[], None]]) -> None:
        """run_on_main for the closure in `box`, taken out of it: the calling thread keeps no reference to it."""
        with self._lock:
            self._closures.append(box.pop())
        self._wake()

    def _drain(self) -> None:
        with self._lock:
            closures, self._closures = self._closures, []
        for closure in closures:
            try:
                closure()
            except Exception as exc:  # a bug in a closure must not drop the ones after it
                self._report(exc, None)

    def run(
        self,
        fn: Callable[[Task], Any],
        on_done: Callable[[Any], object] | None = None,
        *,
        on_error: Callable[[BaseException], bool] | None = None,
        label: str | None = None,
        parent: QWidget | None = None,
        long: bool = False,
    ) -> Task:
        """Run fn(task) on the worker (or, `long`, on the long reads' thread); on_done(result) on the GUI thread.

        on_error(exc) may handle an error itself by returning True; otherwise the error is shown.
        With a label, a progress dialog appears when the work takes longer than PROGRESS_DELAY_MS.
        """
        self._connect_wakes()
        task = Task(self, label)
        self.active += 1
        self._running.add(task)

        def finish(result: Any, exc: BaseException | None) -> None:
            task.finished = True
            self.active -= 1
            self._running.discard(task)
            if task.dialog is not None:
                task.dialog.reset()
                task.dialog.hide()
                task.dialog.deleteLater()
                task.dialog = None
            try:
                if exc is None:
                    if on_done is not None:
                        on_done(result)
                elif isinstance(exc, Cancelled):
                    pass
                elif on_error is not None and on_error(exc):
                    pass
                else:
                    self._report(exc, parent)
            except Exception as callback_exc:  # a bug in a callback: report, live on
                self._report(callback_exc, parent)
            finally:
                self.task_finished.emit()

        # what the worker may hold only until it hands it over: the function (whose closure may hold the last
        # reference to a widget) and the callbacks; they and the result are let go on the GUI thread, where a Qt
        # object must be destroyed, so nothing on the worker holds them once handed over (a race otherwise: the
        # GUI thread may finish first and leave the last reference to the worker)
        held: list[Any] = [fn, finish]
        del fn, finish

        def work() -> None:
            work_fn, finish_fn = held
            held.clear()
            try:
                outcome: list[Any] = [work_fn(task), None]
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
                if isinstance(exc, Exception):  # a busy, full, damaged… database, a stale row: the user's message
                    exc = dberrors.user_error(exc) or exc
                if self.on_refused is not None and isinstance(exc, PermissionDenied):
                    self.on_refused(exc)
                outcome = [None, exc]
            box: list[Callable[[], None]] = [functools.partial(_release_after, work_fn, finish_fn, *outcome)]
            del work_fn, finish_fn, outcome
            self._hand_over(box)

        if label:
            # the timer's context is the dialog's parent (or the manager): when it is gone first, so is the timer,
            # and no timer event reaches a freed object
            QTimer.singleShot(PROGRESS_DELAY_MS, parent if parent is not None else self,
                              lambda: self._show_dialog(task, parent))
        self._executor("govdata-long" if long else "govdata-db").submit(work)
        return task

    def _executor(self, name: str) -> ThreadPoolExecutor:
        executor = self._executors.get(name)
        if executor is None:
            from concurrent.futures import ThreadPoolExecutor  # with the first task, after the first paint

            executor = self._executors[name] = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        return executor

    def _show_dialog(self, task: Task, parent: QWidget | None) -> None:
        if task.finished:
            return
        from PySide6.QtWidgets import QProgressDialog  # its type is made when a task first takes long

        dialog = QProgressDialog(task.label or "", QCoreApplication.translate("TaskManager", "取消"), 0, 0, parent)
        dialog.setWindowTitle(QCoreApplication.translate("TaskManager", "请稍候"))
        dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(task.cancel)
        task.dialog = dialog
        task._update_dialog()
        dialog.show()

    def _report(self, exc: BaseException, parent: QWidget | None) -> None:
        if isinstance(exc, Exception):  # also a database failure met on the GUI thread (the register's reads)
            exc = dberrors.user_error(exc) or exc
        if isinstance(exc, GovDataError):
            if self.on_user_error is not None:
                self.on_user_error(exc, parent)
        elif self.on_bug is not None:
            self.on_bug(exc, parent)
        else:
            raise exc

    def shutdown(self) -> None:
        for task in list(self._running):
            task.cancel()  # a long read stops at its next progress step
        for name in ("govdata-long", "govdata-db"):
            if name in self._executors:
                self._executors[name].shutdown(wait=True, cancel_futures=True)
        self._drain()

"""What every screen shares: the task manager, the open database, the signed-in actor, the UI settings file.

Screens never query: they hand a service call to `read` or `write`, which run it in a unit of work on the one
worker thread and deliver the frozen result to a callback on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal

from app.domain.demo import DEMO_DB_NAME, DEMO_PASSWORD, DEMO_USER  # noqa: F401 - shared with the command line
from app.storage.paths import data_dir
from app.ui.tasks import Task, TaskManager


def ui_settings() -> QSettings:
    """Window layout and local choices, in the user's data folder (not the registry)."""
    return QSettings(str(data_dir() / "ui.ini"), QSettings.Format.IniFormat)


class UiContext(QObject):
    database_opened = Signal()
    data_changed = Signal(str)  # a project code (or "" for many); screens refresh what they show

    def __init__(self, tasks: TaskManager | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.tasks = tasks or TaskManager(self)
        self.settings = settings or ui_settings()
        self.db: Any = None  # app.storage.database.Database, set from the worker once open
        self.actor: Any = None  # app.domain.actor.Actor
        self.demo = False
        self.signed_in = False  # an account signed in (not the setup account): lock and sign-out apply
        self.tasks.on_refused = self._record_refusal

    def _record_refusal(self, exc: BaseException) -> None:
        """On the worker: a refused action leaves one audit record (unless the service wrote it already)."""
        from app.services.audit import record_refusal  # the ORM loads after the first paint

        record_refusal(self.db, self.actor, exc)

    def read(self, fn: Callable[[Any], Any], on_done: Callable[[Any], object] | None = None, **kw: Any) -> Task:
        """fn(uow) in a read-only unit of work on the worker."""
        db, actor = self.db, self.actor

        def work(_task: Task) -> Any:
            with db.uow(actor, write=False) as uow:
                return fn(uow)

        return self.tasks.run(work, on_done, **kw)

    def long(self, fn: Callable[[Any, Any, Any], Any], on_done: Callable[[Any], object] | None = None,
             changed: str | None = None, **kw: Any) -> Task:
        """fn(db, actor, task) on the long reads' thread (exports, verification): the service opens its own read
        transaction and its short write at the end, takes task.progress (which stops a cancelled task) and leaves
        the worker free meanwhile. With `changed`, data_changed(changed) after it."""
        db, actor = self.db, self.actor

        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            if changed is not None:
                self.data_changed.emit(changed)

        return self.tasks.run(lambda task: fn(db, actor, task), done, long=True, **kw)

    def write(self, fn: Callable[[Any], Any], on_done: Callable[[Any], object] | None = None,
              changed: str = "", **kw: Any) -> Task:
        """fn(uow) in a unit of work that commits when fn returns; then data_changed(changed)."""
        db, actor = self.db, self.actor

        def work(_task: Task) -> Any:
            with db.uow(actor) as uow:
                result = fn(uow)
                uow.commit()
                return result

        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            self.data_changed.emit(changed)

        return self.tasks.run(work, done, **kw)

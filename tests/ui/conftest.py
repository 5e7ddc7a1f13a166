"""Fixtures for the window tests: the application object set up as the program does, and a UI context."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from app.ui import app as ui_app
from app.ui.context import UiContext


@pytest.fixture(autouse=True)
def _qt_objects_die_on_the_gui_thread(qapp):
    """After each window test: the widgets it scheduled for deletion deleted, and its cycles collected, here on the
    GUI thread (app.ui.collector says why), so nothing of it is left to die later on a worker or in another test.
    What is left alive then is frozen (gc.freeze): the next collection scans only what is new, where a full one
    grows with the run (3–4 s per test late in a whole run, against 0.1 s)."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    gc.freeze()


@pytest.fixture
def gapp(qapp):
    ui_app.make_application()
    return qapp


@pytest.fixture
def ctx(gapp) -> UiContext:
    c = UiContext()
    ui_app.crash_parent_tasks(c)
    yield c
    c.tasks.shutdown()

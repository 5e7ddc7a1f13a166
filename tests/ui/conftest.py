"""Fixtures for the window tests: the application object set up as the program does, and a UI context."""

from __future__ import annotations

import pytest

from app.ui import app as ui_app
from app.ui.context import UiContext


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

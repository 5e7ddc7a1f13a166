"""Which page object fills each section of the main window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.ui.context import UiContext


def page_factories() -> dict[str, Callable[[UiContext], QWidget]]:
    return {}

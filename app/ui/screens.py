"""Which page fills each section of the main window, and how the pages talk to each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from app.ui.context import UiContext


def page_factories() -> dict[str, Callable[[UiContext], QWidget]]:
    from app.ui.dashboard import DashboardPage
    from app.ui.register import RegisterPage

    return {"dashboard": DashboardPage, "register": RegisterPage}


def install(window: Any) -> None:
    """Add the project page to the window and connect the pages (called by MainWindow)."""
    from app.ui.projectpage import ProjectPage

    ctx = window.ctx
    project = ProjectPage(ctx)
    project.setObjectName("page_project")
    window.project_page = project
    window.stack.addWidget(project)
    register = window.pages.get("register")
    project.back_requested.connect(lambda: window.show_section("register"))
    if hasattr(register, "project_activated"):
        register.project_activated.connect(window.open_project)
        register.new_project_requested.connect(window.new_project)
        window.find_requested.connect(register.focus_search)
    dashboard = window.pages.get("dashboard")
    if hasattr(dashboard, "project_activated"):
        dashboard.project_activated.connect(window.open_project)

"""Which page fills each section of the main window, and how the pages talk to each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from app.ui.context import UiContext


def page_factories() -> dict[str, Callable[[UiContext], QWidget]]:
    from app.ui import stagepages as sp
    from app.ui.dashboard import DashboardPage
    from app.ui.register import RegisterPage

    return {"dashboard": DashboardPage, "register": RegisterPage,
            "plans": sp.PlansPage, "review": sp.ReviewPage, "budget": sp.BudgetPage,
            "contracts": sp.ContractsPage, "changes": sp.ChangesPage, "acceptance": sp.AcceptancePage,
            "om": sp.OmPage, "rectification": sp.RectificationPage, "evaluation": sp.EvaluationPage,
            "master": __import__("app.ui.masterdata", fromlist=["x"]).MasterDataPage,
            "settings": __import__("app.ui.settingspage", fromlist=["x"]).SettingsPage,
            "security": __import__("app.ui.securitypage", fromlist=["x"]).SecurityPage}


def make_project_page(window: Any) -> QWidget:
    """The project page, built when the first project is opened (not before the first paint)."""
    from app.ui.projectpage import ProjectPage

    project = ProjectPage(window.ctx)
    project.setObjectName("page_project")
    window.stack.addWidget(project)
    project.back_requested.connect(lambda: window.show_section("register"))
    return project


def install(window: Any) -> None:
    """Connect the pages with each other and the window (called by MainWindow)."""
    window.project_page_factory = make_project_page
    register = window.pages.get("register")
    if hasattr(register, "project_activated"):
        register.project_activated.connect(window.open_project)
        register.new_project_requested.connect(window.new_project)
        window.find_requested.connect(register.focus_search)
    dashboard = window.pages.get("dashboard")
    if hasattr(dashboard, "project_activated"):
        dashboard.project_activated.connect(window.open_project)
    __import__("app.ui.importwizard", fromlist=["attach"]).attach(window)  # Ctrl+I and dropped sheets

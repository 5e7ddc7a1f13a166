"""Which page fills each section of the main window, and how the pages talk to each other.

Each page's module is imported when the page is first built, so the first paint imports only the shown page.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from app.ui.context import UiContext

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".et")

PAGES: dict[str, tuple[str, str]] = {
    "dashboard": ("app.ui.dashboard", "DashboardPage"),
    "register": ("app.ui.register", "RegisterPage"),
    "plans": ("app.ui.stagepages", "PlansPage"),
    "review": ("app.ui.stagepages", "ReviewPage"),
    "budget": ("app.ui.stagepages", "BudgetPage"),
    "contracts": ("app.ui.stagepages", "ContractsPage"),
    "changes": ("app.ui.stagepages", "ChangesPage"),
    "acceptance": ("app.ui.stagepages", "AcceptancePage"),
    "om": ("app.ui.stagepages", "OmPage"),
    "rectification": ("app.ui.stagepages", "RectificationPage"),
    "evaluation": ("app.ui.stagepages", "EvaluationPage"),
    "master": ("app.ui.masterdata", "MasterDataPage"),
    "settings": ("app.ui.settingspage", "SettingsPage"),
    "security": ("app.ui.securitypage", "SecurityPage"),
    "funds": ("app.ui.fundspage", "FundsPage"),
    "records": ("app.ui.recordspage", "RecordsPage"),
}


def _lazy(module: str, name: str) -> Callable[[UiContext], QWidget]:
    def build(ctx: UiContext) -> QWidget:
        page: QWidget = getattr(importlib.import_module(module), name)(ctx)
        return page

    return build


def page_factories() -> dict[str, Callable[[UiContext], QWidget]]:
    return {key: _lazy(module, name) for key, (module, name) in PAGES.items()}


def make_project_page(window: Any) -> QWidget:
    """The project page, built when the first project is opened (not before the first paint)."""
    from app.ui.projectpage import ProjectPage  # a page factory: built when first shown

    project = ProjectPage(window.ctx)
    project.setObjectName("page_project")
    window.stack.addWidget(project)
    project.back_requested.connect(lambda: window.show_section("register"))
    return project


def wire_page(window: Any, key: str, page: Any) -> None:
    """Connect a page, when it is built, with the window and the other pages."""
    if key == "register" and hasattr(page, "project_activated"):
        page.project_activated.connect(window.open_project)
        page.new_project_requested.connect(window.new_project)
        window.find_requested.connect(page.focus_search)
    elif key in ("dashboard", "funds", "records") and hasattr(page, "project_activated"):
        page.project_activated.connect(window.open_project)
    if key == "security" and hasattr(page, "account_created"):
        page.account_created.connect(lambda _name: window.account_created())
    if key == "dashboard" and hasattr(page, "records_requested"):
        page.records_requested.connect(lambda kind: window.show_section("records").show_tab(kind))


def is_excel(path: str) -> bool:
    return Path(path).suffix.lower() in EXCEL_SUFFIXES


class DropFilter(QObject):
    """A sheet dropped on the window opens the import wizard (its module is imported at the drop)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            urls = event.mimeData().urls() if event.mimeData().hasUrls() else []  # type: ignore[attr-defined]
            if any(is_excel(u.toLocalFile()) for u in urls):
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        elif event.type() == QEvent.Type.Drop:
            paths = [u.toLocalFile() for u in event.mimeData().urls()  # type: ignore[attr-defined]
                     if is_excel(u.toLocalFile())]
            if paths:
                event.acceptProposedAction()  # type: ignore[attr-defined]
                open_wizard(self.window, paths[0])
                return True
        return False


def open_wizard(window: Any, path: str | None = None) -> Any:
    from app.ui.importwizard import open_wizard as open_  # built when first asked for

    return open_(window, path)


def install(window: Any) -> None:
    """Connect the pages with each other and the window (called by MainWindow)."""
    window.project_page_factory = make_project_page
    window.on_page_built = lambda key, page: wire_page(window, key, page)
    for key, page in list(window.pages.items()):
        wire_page(window, key, page)
    window.import_requested.connect(lambda: open_wizard(window))  # Ctrl+I
    window.setAcceptDrops(True)
    window.drop_filter = DropFilter(window)  # kept: the window holds the only reference
    window.installEventFilter(window.drop_filter)

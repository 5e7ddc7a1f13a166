"""A page of one or more tables over a service query, the building block of the stage, master-data and security
pages. The query runs on the worker (ctx.read) when the page is shown and after data changes (only while visible;
a hidden page reloads when it is next shown). Double-click on a row with a project code opens that project.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.permissions import can, refusal_message  # no ORM: a table of roles
from app.ui.context import UiContext
from app.ui.tablemodel import Column, Index, RecordTableModel, fit_columns

LATE = QColor("#b3261e")


def tr(text: str) -> str:
    return QCoreApplication.translate("ListPage", text)


class FlaggedTableModel(RecordTableModel):
    """Rows for which `flag(record)` is true are painted red (late filings, overdue rectifications)."""

    def __init__(self, columns: Sequence[Column], id_attr: str = "id", flag: Callable[[Any], bool] | None = None,
                 parent: Any = None) -> None:
        super().__init__(columns, id_attr, parent=parent)
        self.flag = flag

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and self.flag is not None and index.isValid() \
                and index.row() < self.rowCount():
            return QBrush(LATE) if self.flag(self.record(index.row())) else None
        return super().data(index, role)


def make_table(model: RecordTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSortingEnabled(True)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(26)
    table.verticalHeader().hide()
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    fit_columns(table, model.columns)
    return table


class ListPage(QWidget):
    project_activated = Signal(str)  # a project code
    loaded = Signal()  # after each load (tests wait on it)
    read_permission: str | None = None  # without it the page says so in plain sight instead of empty tables

    def __init__(self, ctx: UiContext, title: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._dirty = True
        self.models: list[RecordTableModel] = []
        self.tables: list[QTableView] = []
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        self.toolbar = QHBoxLayout()
        self.toolbar.addWidget(heading)
        self.toolbar.addStretch(1)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(tr("搜索…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(260)
        self.search.textChanged.connect(self._filter)
        self.toolbar.addWidget(self.search)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addLayout(self.toolbar)
        if hint:
            note = QLabel(hint)
            note.setObjectName("hint")
            note.setWordWrap(True)
            self.layout_.addWidget(note)
        self.denied_note = QLabel()  # why this account sees no rows here (an administrator on a project page)
        self.denied_note.setObjectName("error")
        self.denied_note.setWordWrap(True)
        self.denied_note.hide()
        self.layout_.addWidget(self.denied_note)
        self.status = QLabel()
        self.status.setObjectName("totals")
        ctx.database_opened.connect(self.mark_dirty)
        ctx.data_changed.connect(lambda _code: self.mark_dirty())

    # ---------------------------------------------------------------- building
    def add_button(self, text: str, slot: Callable[[], Any], name: str, primary: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("primary" if primary else name)
        button.setProperty("key", name)
        button.clicked.connect(lambda _c=False: slot())
        self.toolbar.addWidget(button)
        setattr(self, name, button)
        return button

    def add_table(self, columns: Sequence[Column], name: str, id_attr: str = "id", label: str = "",
                  flag: Callable[[Any], bool] | None = None, stretch: int = 1) -> tuple[RecordTableModel, QTableView]:
        model = FlaggedTableModel(columns, id_attr, flag, self)
        table = make_table(model, name)
        table.doubleClicked.connect(lambda idx, m=model: self._activate(m, idx))
        if label:
            caption = QLabel(label)
            caption.setObjectName("sectionTitle")
            self.layout_.addWidget(caption)
        self.layout_.addWidget(table, stretch)
        self.models.append(model)
        self.tables.append(table)
        return model, table

    def finish(self) -> None:
        """Called by subclasses after their tables: the status line goes last."""
        self.layout_.addWidget(self.status)

    # ---------------------------------------------------------------- data
    def query(self, uow: Any) -> Any:
        return []

    def show_result(self, result: Any) -> None:
        """A list for one table, a tuple of lists for several."""
        parts = result if isinstance(result, tuple) else (result,)
        for model, rows in zip(self.models, parts, strict=False):
            model.set_records(rows)
        self._filter(self.search.text())

    def mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        if self.ctx.db is None:
            return
        self._dirty = False
        actor = self.ctx.actor
        if self.read_permission and actor is not None and not can(actor, self.read_permission):
            self.denied_note.setText(refusal_message(actor, self.read_permission)
                                     + tr("。本栏是业务人员的栏目；请从左侧进入本角色的栏目。"))
            self.denied_note.show()
            for model in self.models:
                model.set_records([])
            for table in self.tables:
                table.setEnabled(False)
            self.status.setText("")
            self.loaded.emit()
            return
        self.denied_note.hide()
        for table in self.tables:
            table.setEnabled(True)

        def done(result: Any) -> None:
            self.show_result(result)
            self.loaded.emit()

        self.ctx.read(self.query, done)

    def quiet_write(self, fn: Callable[[Any], Any], on_done: Callable[[Any], object] | None = None,
                    label: str | None = None, reload: bool = True) -> None:
        """Commit fn(uow) on the worker, then reload this page only: for records no project screen shows
        (accounts, incidents, master data, audit checks), so screens the role may not read are not refreshed."""
        db, actor = self.ctx.db, self.ctx.actor

        def work(_task: Any) -> Any:
            with db.uow(actor) as uow:
                result = fn(uow)
                uow.commit()
                return result

        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            if reload:
                self.reload()

        self.ctx.tasks.run(work, done, label=label, parent=self)

    def clear(self) -> None:
        """After a sign-out: no row or search text of the previous account stays; reload when next shown."""
        self._dirty = True
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        for model in self.models:
            model.set_filter("", None, keep_predicate=True)
            model.set_records([])
        self.status.setText("")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _filter(self, text: str) -> None:
        for model in self.models:
            model.set_query(text)
        self.update_status()

    def update_status(self) -> None:
        counts = [f"{m.rowCount()}" for m in self.models]
        self.status.setText(tr("共 {0} 条").format(" / ".join(counts)))

    # ---------------------------------------------------------------- opening a project
    def _activate(self, model: RecordTableModel, index: QModelIndex) -> None:
        code = getattr(model.record(index.row()), "code", None)
        if code:
            self.open_project(code)

    def open_project(self, code: str) -> None:
        self.project_activated.emit(code)
        opener = getattr(self.window(), "open_project", None)
        if opener is not None:
            opener(code)

    def selected(self, table_no: int = 0) -> Any:
        rows = self.tables[table_no].selectionModel().selectedRows()
        return self.models[table_no].record(rows[0].row()) if rows else None


class ProjectListPage(ListPage):
    """A page of project data: an account that may not read projects (the three administrators) is told so."""

    read_permission = "project.read"

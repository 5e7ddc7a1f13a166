"""项目库: the register as one table, with search as you type, filters, sorting, column choice, totals of the shown
rows, export of the shown rows to Excel and printing of the ledger.

The table never holds one object per project (app.ui.tablemodel.PagedTableModel): on a local database it shows the
ids of the projects the user may see at once and fetches the painted rows by id (app.services.registerpages, a
read-only sqlite3 connection on this thread); meanwhile the worker loads the register's index (registerpages.
register_index: the columns as lists, no ORM objects), and filtering, sorting and totals work on it. A keystroke
costs a comprehension over the index's search texts (less once the first letters narrowed it) and a model reset.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_wan
from app.domain.vocabulary import CATEGORIES, STATUS_LABELS
from app.ui.context import UiContext
from app.ui.tablemodel import CENTER, Column, PagedTableModel, fit_columns, money_column


def tr(text: str) -> str:
    return QCoreApplication.translate("RegisterPage", text)


def project_columns() -> list[Column]:
    return [
        Column("code", tr("项目编号"), width=110),
        Column("name", tr("项目名称"), width=260),
        Column("department", tr("实施单位"), width=150),
        Column("year", tr("年度"), align=CENTER, width=50),
        Column("category", tr("项目类别"), width=130),
        Column("nature", tr("建设性质"), width=70, hidden=True),
        Column("status_label", tr("状态"), align=CENTER, width=80),
        money_column("total_fen", tr("总投资（万元）"), width=100),
        money_column("county_fen", tr("县级财政（万元）"), width=100, hidden=True),
        money_column("upper_fen", tr("上级补助（万元）"), width=100, hidden=True),
        money_column("other_fen", tr("其他资金（万元）"), width=100, hidden=True),
        money_column("year_request_fen", tr("本年申请（万元）"), width=100),
        money_column("approved_fen", tr("批复金额（万元）"), width=100, hidden=True),
        Column("responsible_person", tr("责任人"), width=70, hidden=True),
    ]


ALL = "__all__"
NAME_COLUMN = 1  # 项目名称, in project_columns()


class RegisterPage(QWidget):
    project_activated = Signal(str)  # a project code
    new_project_requested = Signal()
    rows_shown = Signal(int)  # after each (re)load, the number of shown rows
    first_rows_shown = Signal(int)  # the first screenful shown before the full load (cold start)
    template_saved = Signal(str)  # the fill-in template's file

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = PagedTableModel(project_columns(), id_attr="code")
        self._pager: Any = None  # app.services.registerpages.RegisterPager while the index loads
        self._texts = (tr("显示 {0} / {1} 个项目"), tr("　合计（万元）："))  # translated once, shown at each keystroke
        title = QLabel(tr("项目库"))
        title.setObjectName("pageTitle")

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(tr("搜索项目编号、名称、实施单位…（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_query)
        self.search.textChanged.connect(self._update_totals)

        self.year = self._combo("yearFilter", tr("全部年度"))
        self.department = self._combo("departmentFilter", tr("全部单位"))
        self.status = self._combo("statusFilter", tr("全部状态"))
        for key, label in STATUS_LABELS.items():
            self.status.addItem(label, key)
        self.category = self._combo("categoryFilter", tr("全部类别"))
        for c in CATEGORIES:
            self.category.addItem(c, c)

        self.columns_button = QToolButton()
        self.columns_button.setText(tr("列"))
        self.columns_button.setObjectName("columnsButton")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_menu = QMenu(self.columns_button)
        self.columns_button.setMenu(self.columns_menu)

        self.new_button = QPushButton(tr("新建项目"))
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_project_requested)
        self.export_button = QPushButton(tr("导出Excel"))
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.export_shown)
        self.template_button = QPushButton(tr("导出填报模板…"))
        self.template_button.setObjectName("templateButton")
        self.template_button.setToolTip(tr("供各单位填写后报回导入的项目申报表（下拉选择单位、类别、建设性质）"))
        self.template_button.clicked.connect(lambda: self.export_template())
        self.print_button = QPushButton(tr("打印台账"))
        self.print_button.setObjectName("printButton")
        self.print_button.clicked.connect(self.print_ledger)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.new_button)
        top.addWidget(self.export_button)
        top.addWidget(self.template_button)
        top.addWidget(self.print_button)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for w in (self.year, self.department, self.status, self.category):
            filters.addWidget(w, 1)
        filters.addWidget(self.columns_button)

        self.table = QTableView()
        self.table.setObjectName("registerTable")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(lambda idx: self.project_activated.emit(self.model.row_id(idx.row())))
        self.table.activated.connect(lambda idx: self.project_activated.emit(self.model.row_id(idx.row())))

        self.totals = QLabel()
        self.totals.setObjectName("totals")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)

        fit_columns(self.table, self.model.columns)
        # 项目名称 takes the width the other columns leave (at 1920 the table fills the screen, no empty half)
        self.table.horizontalHeader().setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(40)
        for i, col in enumerate(self.model.columns):
            action = QAction(col.title, self.columns_menu)
            action.setCheckable(True)
            action.setChecked(not col.hidden)
            action.toggled.connect(lambda on, i=i: (self.table.setColumnHidden(i, not on), self._update_totals()))
            self.columns_menu.addAction(action)
            self.table.setColumnHidden(i, col.hidden)
        self.restore_layout(ctx.settings)
        self._update_totals()

        ctx.database_opened.connect(self._reload_soon)
        ctx.data_changed.connect(lambda _code: self._reload_soon())

    def _reload_soon(self) -> None:
        """Now when shown; when hidden, after what the shown page asked the worker for (the worker is one queue)."""
        if self.isVisible():
            self.reload()
        else:
            QTimer.singleShot(0, self.reload)

    def _combo(self, name: str, all_label: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem(all_label, ALL)
        combo.currentIndexChanged.connect(self._apply_filters)
        return combo

    # ---------------------------------------------------------------- data
    def reload(self) -> None:
        """The ids and the painted rows now (a local database), the index from the worker."""
        if self.ctx.db is None or self.ctx.actor is None:
            return
        from app.services import registerpages  # the register is on the start path: the ORM loads later
        from app.services.permissions import can, refusal_message

        actor = self.ctx.actor
        for button, permission in ((self.new_button, "project.register"), (self.export_button, "export"),
                                   (self.template_button, "export"), (self.print_button, "print")):
            allowed = can(actor, permission)
            button.setEnabled(allowed)  # offered only to whom may; the others read why
            if not allowed:
                button.setToolTip(refusal_message(actor, permission))
        if not can(actor, "project.read"):  # an administrator: an empty register, not a refusal, and why
            self.set_projects([])
            self.totals.setText(refusal_message(actor, "project.read") + tr("。项目库是业务人员的栏目。"))
            return
        self._show_pages(self._local_pager(actor))

        def index(uow: Any) -> Any:
            from app.storage.reader import RawReader  # on the worker: the unit of work's own connection

            # with each column's order, so that a header click sorts nothing on the window's thread
            return registerpages.register_index(RawReader.of(uow), uow.actor).prepare_orders(
                [c.key for c in self.model.columns])

        self.ctx.read(index, self.set_index)

    def _local_pager(self, actor: Any) -> Any:
        from app.services.registerpages import RegisterPager
        from app.storage.reader import local_sqlite_path

        path = local_sqlite_path(self.ctx.db.url) if self.ctx.db.is_sqlite else None
        if path is None or not path.is_file():
            return None  # a shared database: the rows come with the index
        return RegisterPager(path, actor)

    def _show_pages(self, pager: Any) -> bool:
        if pager is None:
            return False
        self._close_pager()
        self._pager = pager
        sort, desc = self.model.sort_asked or (None, False)
        first = 10 * self.model.PAGE  # the first ids now; the rest a slice at a time as rows further down are painted
        self.model.set_ids(pager.ids(sort, desc, 0, first), pager.rows, total=pager.count(),
                           more=lambda offset, limit: pager.ids(sort, desc, offset, limit))
        self.totals.setText(tr("正在载入全部项目…"))
        return True

    def _close_pager(self) -> None:
        if self._pager is not None:
            self._pager.close()
            self._pager = None

    def show_first_rows(self, pager: Any) -> bool:
        """At a cold start, the rows of a pager opened before the database layer (app.services.registerpages.pager_for)
        until the index replaces them. Not when the index came first."""
        if self.model.loaded:
            pager.close()
            return False
        self._show_pages(pager)
        self.first_rows_shown.emit(self.model.rowCount())
        return True

    def set_index(self, index: Any) -> None:
        """The register's index (app.services.registerpages.RegisterIndex): filters, sorting and totals apply."""
        self._fill_combo(self.year, sorted({y for y in index.columns["year"]}, reverse=True))
        self._fill_combo(self.department, sorted(set(index.columns["department"])))
        current = self.table.currentIndex()
        selected = self.model.row_id(current.row()) if current.isValid() and self.model.loaded else None
        scrolled = self.table.verticalScrollBar().value()
        self.model.set_index(index)
        self._close_pager()
        if selected is not None and (row := self.model.row_of(selected)) >= 0:  # a reload keeps the user's place
            self.table.selectRow(row)
        self.table.verticalScrollBar().setValue(scrolled)
        self._update_totals()
        self.rows_shown.emit(self.model.rowCount())

    def set_projects(self, projects: list[Any]) -> None:
        """Rows given as objects with the register's attributes (frozen views, test data): made into an index."""
        from app.services.registerpages import REGISTER_COLUMNS, RegisterIndex

        keys = list(REGISTER_COLUMNS)
        rows = [tuple(getattr(p, k, None) for k in keys) for p in projects]
        self.set_index(RegisterIndex.from_rows([getattr(p, "id", i) for i, p in enumerate(projects)], rows, keys))

    @staticmethod
    def _fill_combo(combo: QComboBox, values: list[Any]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for v in values:
            combo.addItem(str(v), v)
        i = combo.findData(current)
        combo.setCurrentIndex(max(i, 0))
        combo.blockSignals(False)

    def _apply_filters(self) -> None:
        wanted = {attr: combo.currentData() for attr, combo in (
            ("year", self.year), ("department", self.department), ("status", self.status),
            ("category", self.category)) if combo.currentData() != ALL}
        self.model.set_filter(self.search.text(), wanted)
        self._update_totals()

    def _update_totals(self) -> None:
        if not self.model.loaded:
            return  # "正在载入全部项目…" until the index is here
        shown_money = [c for i, c in enumerate(self.model.columns) if c.money and not self.table.isColumnHidden(i)]
        totals = self.model.totals([c.key for c in shown_money])
        shown, all_ = self.model.rowCount(), self.model.total_count()
        text = self._texts[0].format(shown, all_)
        parts = [f"{c.title.split('（')[0]} {format_wan(totals[c.key])}" for c in shown_money]
        if parts:
            text += self._texts[1] + "　".join(parts)
        self.totals.setText(text)

    def clear(self) -> None:
        """After a sign-out: no row, total, search text or filter of the previous account stays."""
        for w in (self.search, self.year, self.department, self.status, self.category):
            w.blockSignals(True)
        self.search.clear()
        for combo in (self.year, self.department, self.status, self.category):
            combo.setCurrentIndex(0)
        for combo in (self.year, self.department):
            while combo.count() > 1:
                combo.removeItem(1)
        for w in (self.search, self.year, self.department, self.status, self.category):
            w.blockSignals(False)
        self._close_pager()
        self.model.set_filter("", {})
        self.set_projects([])

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ---------------------------------------------------------------- out
    def export_shown(self, path: str | None = None) -> None:
        if path is None:
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            suggested = str(Path(folder) / tr("项目台账-{0}.xlsx").format(dt.date.today().isoformat()))
            from PySide6.QtWidgets import QFileDialog  # its type is made when a file is first asked for

            path, _ = QFileDialog.getSaveFileName(self, tr("导出项目台账"), suggested, tr("Excel 工作簿 (*.xlsx)"))
            if not path:
                return
        codes = self.model.shown_ids()
        year, status = self.year.currentData(), self.status.currentData()
        def work(db: Any, actor: Any, task: Any) -> int:  # the service reads them again under the actor's scope
            from app.services.imports import export_ledger  # openpyxl only for an export

            return export_ledger(db, actor, path, year=None if year == ALL else year,
                                 status=None if status == ALL else status, progress=task.progress, codes=codes)

        window: Any = self.window()
        self.ctx.long(work, lambda n: window.statusBar().showMessage(
            tr("已导出 {0} 个项目到 {1}").format(n, path), 8000), label=tr("正在导出Excel…"), parent=self)

    def export_template(self, path: str | None = None, year: int | None = None) -> None:
        """The fill-in template for the departments (app.services.imports.export_template, as the command line)."""
        year = year or dt.date.today().year + 1
        if path is None:
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            suggested = str(Path(folder) / tr("{0}年度项目申报表（填报模板）.xlsx").format(year))
            from PySide6.QtWidgets import QFileDialog  # its type is made when a file is first asked for

            path, _ = QFileDialog.getSaveFileName(self, tr("导出填报模板"), suggested, tr("Excel 工作簿 (*.xlsx)"))
            if not path:
                return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        db, actor, target = self.ctx.db, self.ctx.actor, path

        def work(_task: Any) -> Any:
            from app.services.imports import export_template  # openpyxl only for an export

            return export_template(db, actor, target, year)

        def done(result: Any) -> None:
            self.template_saved.emit(result.path)
            window: Any = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(tr("已导出{0}年度填报模板（{1} 个单位可选）到 {2}").format(
                    result.year, result.departments, result.path), 15000)

        self.ctx.tasks.run(work, done, label=tr("正在导出填报模板…"), parent=self)

    def print_ledger(self) -> None:
        """The ledger form of the rows shown (search, filters and sorting as on screen)."""
        from app.ui.printing import print_ledger  # ReportLab and QtPdf only to print

        year, status = self.year.currentData(), self.status.currentData()
        codes = self.model.shown_ids()
        print_ledger(self.ctx, None if year == ALL else year, None if status == ALL else status, self, codes)

    # ---------------------------------------------------------------- layout
    def save_layout(self, settings: QSettings) -> None:
        settings.setValue("register/header", self.table.horizontalHeader().saveState())

    def restore_layout(self, settings: QSettings) -> None:
        state = settings.value("register/header")
        if state is not None:
            self.table.horizontalHeader().restoreState(state)
            self.table.horizontalHeader().setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
            for i, action in enumerate(self.columns_menu.actions()):
                action.setChecked(not self.table.isColumnHidden(i))

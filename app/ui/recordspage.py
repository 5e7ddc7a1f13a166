"""专项记录: the records the bureau kept on paper, one tab each, grouped by the measure's articles (规划与年度计划,
公示, 原有系统运维, 整改与问责, 安全). Each tab lists its records, offers its verbs (登记…, 处理…, 审核…) as buttons
enabled by the role, and exports to Excel; a tab the role may not read says so instead of querying.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.permissions import can
from app.services.recordkinds import KINDS
from app.services.recordkit import Col, RecordKind, Verb, cell_text
from app.services.records import export_records, list_records
from app.ui.context import UiContext
from app.ui.listpage import FlaggedTableModel, ListPage, make_table
from app.ui.recordform import RecordDialog
from app.ui.tablemodel import CENTER, Column, money_column

# rows a person should act on are painted red
_FLAGGED = {"待处理", "待公示", "待主管部门审核", "待追责", "未通过", "已过期", "待县人民政府批准", "处置中", "尚未演练"}


def tr(text: str) -> str:
    return QCoreApplication.translate("RecordsPage", text)


def _formatter(kind: str) -> Callable[[Any], str]:
    def fmt(value: Any) -> str:
        return cell_text(kind, value)

    return fmt


def column(c: Col) -> Column:
    width = int(c.width * 8)
    if c.kind == "money":
        return money_column(c.key, c.label, "元", width)
    if c.kind in ("int", "bool"):
        return Column(c.key, c.label, _formatter(c.kind), CENTER, width=width)
    return Column(c.key, c.label, _formatter(c.kind), width=width)


def _flag(record: Any) -> bool:
    state = str(getattr(record, "state", "") or getattr(record, "status_label", ""))
    return state in _FLAGGED or state.endswith("天后到期") or state.startswith("超过")


class KindTab(QWidget):
    """One record kind: its hint, its verbs as buttons, the export, the table."""

    def __init__(self, page: RecordsPage, kind: RecordKind) -> None:
        super().__init__()
        self.page, self.kind = page, kind
        self.setObjectName(f"tab_{kind.key}")
        hint = QLabel(tr("{0}（{1}）").format(kind.hint, kind.article))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.denied = QLabel(tr("当前账户无权查看本栏。"))
        self.denied.setObjectName("hint")
        self.denied.hide()
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for verb in kind.verbs:
            b = QPushButton(verb.label + ("…" if verb.fields else ""))
            b.setObjectName(f"{kind.key}_{verb.key}")
            b.clicked.connect(lambda _c=False, v=verb: self.open_verb(v))
            row.addWidget(b)
            self.buttons[verb.key] = b
        row.addStretch(1)
        self.export_button = QPushButton(tr("导出Excel"))
        self.export_button.setObjectName(f"{kind.key}_export")
        self.export_button.clicked.connect(lambda: self.export())
        row.addWidget(self.export_button)
        self.model = FlaggedTableModel([column(c) for c in kind.columns], kind.id_attr, _flag, page)
        self.table: QTableView = make_table(self.model, f"table_{kind.key}")
        self.table.doubleClicked.connect(lambda idx: page._activate(self.model, idx))
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.update_buttons())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(hint)
        layout.addWidget(self.denied)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    def selected_id(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_id(rows[0].row()) if rows else None

    def update_buttons(self) -> None:
        actor = self.page.ctx.actor
        for verb in self.kind.verbs:
            b = self.buttons[verb.key]
            allowed = actor is not None and can(actor, verb.permission)
            needs = verb.on_record and self.selected_id() is None
            b.setEnabled(allowed and not needs)
            b.setToolTip(tr("当前账户无权办理") if not allowed else tr("请先在表中选择一条记录") if needs else "")
        self.export_button.setEnabled(actor is not None and can(actor, "export") and self.denied.isHidden())

    def open_verb(self, verb: Verb) -> RecordDialog:
        dialog = RecordDialog(self.page.ctx, self.kind, verb, self.selected_id() if verb.on_record else None, self)
        dialog.done_with.connect(lambda _r: self.page.reload())
        self.page.dialog = dialog
        dialog.open()
        return dialog

    def export(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("导出{0}").format(self.kind.label),
                                                  f"{self.kind.label}.xlsx", "Excel (*.xlsx)")
            if not path:
                return
        key = self.kind.key

        def done(n: int) -> None:
            self.page.status.setText(tr("已导出 {0} 条{1}到 {2}").format(n, self.kind.label, path))
            self.page.exported.emit(n)

        self.page.quiet_write(lambda uow: export_records(uow, key, path), done, tr("正在导出…"), reload=False)


class RecordsPage(ListPage):
    exported = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("专项记录"), tr("过去登记在纸上的记录：规划备案与年度计划批准（第六条）、公示异议与预算公示（第十一条）、"
                                              "原有系统运维（第二十一条）、整改结果与责任追究（第二十二条）、等保密评与应急（第二十八、二十九条）。"),
                         parent)
        self.groups = QTabWidget()
        self.groups.setObjectName("recordGroups")
        self.tabs: dict[str, KindTab] = {}
        self.holders: dict[str, QTabWidget] = {}  # record kind → its group's tabs
        self.dialog: RecordDialog | None = None
        inner: dict[str, QTabWidget] = {}
        for key, kind in KINDS.items():
            if kind.group not in inner:
                inner[kind.group] = QTabWidget()
                inner[kind.group].setObjectName(f"group_{len(inner)}")
                self.groups.addTab(inner[kind.group], tr(kind.group))
            tab = KindTab(self, kind)
            inner[kind.group].addTab(tab, tr(kind.label))
            self.tabs[key] = tab
            self.holders[key] = inner[kind.group]
            self.models.append(tab.model)
            self.tables.append(tab.table)
        self.layout_.addWidget(self.groups, 1)
        self.finish()

    def show_tab(self, key: str) -> KindTab:
        tab, holder = self.tabs[key], self.holders[key]
        self.groups.setCurrentWidget(holder)
        holder.setCurrentWidget(tab)
        return tab

    def query(self, uow: Any) -> Any:
        actor = uow.actor
        return {key: list_records(uow, key) if can(actor, kind.permission) else None for key, kind in KINDS.items()}

    def show_result(self, result: Any) -> None:
        for key, tab in self.tabs.items():
            rows = result.get(key)
            tab.denied.setVisible(rows is None)
            tab.table.setVisible(rows is not None)
            tab.model.set_records(rows or [])
            tab.update_buttons()
        self._filter(self.search.text())

    def update_status(self) -> None:
        waiting = sum(1 for t in self.tabs.values() for r in t.model.shown_records() if _flag(r))
        self.status.setText(tr("共 {0} 条记录，其中 {1} 条待办").format(
            sum(t.model.rowCount() for t in self.tabs.values()), waiting))

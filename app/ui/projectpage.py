"""The project page: its facts, a tab per stage, and the lifecycle buttons.

Which buttons are enabled comes from app.services.lifecycle.available_actions: a disabled button's tooltip is the
rule (with its article) or the permission that refuses it. Each stage tab lists its actions and what was done in
that stage (from the project's history).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_wan, to_capital
from app.services import lifecycle, projects
from app.services.lifecycle import ACTIONS
from app.services.plans import list_indicators
from app.ui.actiondialog import ActionDialog
from app.ui.context import UiContext
from app.ui.printing import project_forms_menu
from app.ui.projectform import ProjectFactsEditor
from app.ui.tablemodel import Column, RecordTableModel


def tr(text: str) -> str:
    return QCoreApplication.translate("ProjectPage", text)


# (tab key, tab title, lifecycle actions in that stage)
STAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("materials", "申请材料", ("add-material", "submit", "withdraw")),
    ("review", "技术审核", ("start-review", "review")),
    ("approval", "审批立项", ("approve", "reject")),
    ("budget", "预算与公示", ("budget", "publicize")),
    ("contracts", "合同与资金", ("sign-contract", "file-contract", "pay")),
    ("changes", "变更", ("request-change", "decide-change")),
    ("acceptance", "验收", ("accept-preliminary", "register-catalogue", "land-data", "check-autonomy",
                          "accept-joint")),
    ("om", "运维", ("operate", "request-om", "decide-om")),
    ("rectification", "整改", ("order-rectification", "complete-rectification", "suspend", "terminate")),
    ("evaluation", "绩效评价", ("evaluate",)),
    ("security", "安全", ("assess-security",)),
)


@dataclass(frozen=True)
class StageRecord:
    id: int
    at: str
    user: str
    action: str
    outcome: str
    message: str


@dataclass(frozen=True)
class ProjectBundle:
    """What the page shows, read in one unit of work on the worker."""

    project: Any
    actions: list[Any]
    history: list[Any]
    materials: list[Any]


def load_bundle(uow: Any, code: str) -> ProjectBundle:

    return ProjectBundle(projects.get_project(uow, code), lifecycle.available_actions(uow, code),
                         projects.project_history(uow, code), projects.list_materials(uow, code))


def history_columns() -> list[Column]:
    return [Column("at", tr("时间"), width=140), Column("user", tr("经办人"), width=90),
            Column("action", tr("事项"), width=130), Column("outcome", tr("结果"), width=60),
            Column("message", tr("内容"), width=480)]


class StageTab(QWidget):
    def __init__(self, keys: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys = keys
        self.buttons: dict[str, QPushButton] = {}
        self.button_row = QHBoxLayout()
        self.button_row.addStretch(1)
        self.records = RecordTableModel(history_columns(), id_attr="id")
        self.table = QTableView()
        self.table.setModel(self.records)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, c in enumerate(self.records.columns):
            self.table.setColumnWidth(i, c.width)
        self.extra = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.button_row)
        layout.addLayout(self.extra)
        layout.addWidget(QLabel(tr("办理记录")))
        layout.addWidget(self.table, 1)


class ProjectPage(QWidget):
    back_requested = Signal()
    loaded = Signal(str)  # after each load, the project code

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.code: str | None = None
        self.bundle: ProjectBundle | None = None
        self.action_buttons: dict[str, QPushButton] = {}
        self._specs: dict[str, Any] = {}

        self.back = QPushButton(tr("← 返回项目库"))
        self.back.setObjectName("backButton")
        self.back.clicked.connect(self.back_requested)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.status = QLabel()
        self.status.setObjectName("statusBadge")
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        self.next_row = QHBoxLayout()
        self.next_label = QLabel(tr("可办理："))
        self.print_button = QPushButton(tr("打印表单"))
        self.print_button.setObjectName("printForms")
        self.print_button.clicked.connect(self.print_forms)
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        top.addWidget(self.status)
        top.addWidget(self.print_button)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("stageTabs")
        self.facts = ProjectFactsEditor(ctx)
        self.tabs.addTab(self.facts, tr("基本信息"))
        self.stage_tabs: dict[str, StageTab] = {}
        for key, title, actions in STAGES:
            tab = StageTab(actions)
            tab.setObjectName(f"stage_{key}")
            self.stage_tabs[key] = tab
            self.tabs.addTab(tab, tr(title))
        self.materials = RecordTableModel([Column("label", tr("材料")), Column("title", tr("名称")),
                                           Column("received_on", tr("收到日期"))], id_attr="kind")
        materials_view = QTableView()
        materials_view.setModel(self.materials)
        materials_view.verticalHeader().hide()
        materials_view.horizontalHeader().setStretchLastSection(True)
        materials_view.setMaximumHeight(150)
        self.stage_tabs["materials"].extra.addWidget(materials_view)
        self.history = RecordTableModel(history_columns(), id_attr="id")
        history_view = QTableView()
        history_view.setModel(self.history)
        history_view.verticalHeader().hide()
        history_view.horizontalHeader().setStretchLastSection(True)
        for i, c in enumerate(self.history.columns):
            history_view.setColumnWidth(i, c.width)
        self.tabs.addTab(history_view, tr("历史"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        nxt = QHBoxLayout()
        nxt.addWidget(self.next_label)
        nxt.addLayout(self.next_row)
        nxt.addStretch(1)
        layout.addLayout(nxt)
        layout.addWidget(self.tabs, 1)

        ctx.data_changed.connect(self._data_changed)
        self.facts.saved.connect(lambda _v: None)

    # ---------------------------------------------------------------- loading
    def open(self, code: str) -> None:
        self.code = code
        self.reload()

    def reload(self) -> None:
        if self.code is None or self.ctx.db is None:
            return
        code = self.code
        self.ctx.read(lambda uow: load_bundle(uow, code), self.show_bundle)

    def _data_changed(self, code: str) -> None:
        if self.code and code in ("", self.code):
            self.reload()

    def show_bundle(self, b: ProjectBundle) -> None:

        self._specs = ACTIONS
        self.bundle = b
        p = b.project
        self.title.setText(f"{p.code}　{p.name}")
        self.status.setText(p.status_label)
        self.summary.setText(tr("{0}　{1}年度　{2}　{3}　总投资 {4} 万元（{5}）").format(
            p.department, p.year, p.category, p.nature, format_wan(p.total_fen), to_capital(p.total_fen)))
        self.facts.load(p)
        records = [self._record(i, h) for i, h in enumerate(b.history)]
        self.history.set_records(records)
        self.materials.set_records(b.materials)
        self._build_buttons(b.actions)
        for tab in self.stage_tabs.values():
            wanted = {f"lifecycle.{k}" for k in tab.keys}
            tab.records.set_records([r for r, h in zip(records, b.history, strict=True) if h.action in wanted])
        self.loaded.emit(p.code)

    def _record(self, i: int, h: Any) -> StageRecord:
        spec_key = h.action.removeprefix("lifecycle.")

        label = ACTIONS[spec_key].label if spec_key in ACTIONS else h.action
        outcome = {"ok": tr("完成"), "refused": tr("被拒绝")}.get(h.outcome, h.outcome)
        message = h.detail.get("message") or ""
        warnings = h.detail.get("warnings") or []
        if warnings:
            message += "；" + "；".join(warnings)
        return StageRecord(i, h.at.strftime("%Y-%m-%d %H:%M"), h.user, label, outcome, message)

    def _build_buttons(self, actions: list[Any]) -> None:
        while self.next_row.count():
            item = self.next_row.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.action_buttons = {}
        by_key = {a.key: a for a in actions}
        for tab in self.stage_tabs.values():
            row = tab.button_row
            while row.count() > 1:
                item = row.takeAt(0)
                if item.widget():
                    item.widget().deleteLater()
            for key in tab.keys:
                a = by_key.get(key)
                if a is None:
                    continue
                button = self._button(a)
                row.insertWidget(row.count() - 1, button)
                self.action_buttons[key] = button
        for a in actions:  # the header shows what can be done now
            if a.enabled:
                quick = self._button(a)
                quick.setObjectName(f"quick_{a.key}")
                self.next_row.addWidget(quick)
        self.next_label.setVisible(any(a.enabled for a in actions))

    def _button(self, a: Any) -> QPushButton:
        button = QPushButton(a.label)
        button.setObjectName(f"action_{a.key}")
        button.setEnabled(a.enabled)
        button.setToolTip(a.reason or "")
        button.clicked.connect(lambda _c=False, key=a.key: self.start_action(key))
        return button

    def print_forms(self) -> None:
        """Ctrl+P on a project: choose one of its forms; preview, print, save as PDF."""
        if self.code is None:
            return

        self.forms_menu = project_forms_menu(self.ctx, self.code, self)
        self.forms_menu.popup(self.print_button.mapToGlobal(self.print_button.rect().bottomLeft()))

    # ---------------------------------------------------------------- actions
    def start_action(self, key: str) -> ActionDialog | None:
        spec = self._specs.get(key)
        if spec is None or self.code is None:
            return None
        if "scores" in spec.fields:

            code = self.code
            self.ctx.read(list_indicators, lambda inds: self._open_dialog(code, spec, inds))
            return None
        return self._open_dialog(self.code, spec, None)

    def _open_dialog(self, code: str, spec: Any, indicators: list[Any] | None) -> ActionDialog:
        dialog = ActionDialog(self.ctx, code, spec, indicators, self)
        dialog.done_with.connect(self._action_done)
        dialog.open()
        self.current_dialog = dialog
        return dialog

    def _action_done(self, result: Any) -> None:
        text = result.message + ("".join("\n" + w for w in result.warnings) if result.warnings else "")
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(result.message, 10000)
        if result.warnings:
            box = QMessageBox(QMessageBox.Icon.Information, tr("请注意"), text, parent=self)
            box.setObjectName("warningsBox")
            box.open()

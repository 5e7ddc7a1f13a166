"""The project page: its facts, a tab per stage, and what can be done now.

Which actions can run comes from app.services.lifecycle.available_actions. Nothing is silent: the header lists
what can be done now (in the lifecycle's order, destructive acts apart on the right and confirmed) and, in words,
what the current stage would allow but a rule of the measure blocks, with the rule and its article. Each stage tab
lists its actions with their state and reason in plain sight; an action another role does says whose it is. The
print menu offers only the forms this account can print now. The stage tabs hold the stage's own records
(materials as a checklist, contracts and payments) and what was done; refused attempts are in 历史, marked as
attempts, never as decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.describe import local_time, summarize
from app.domain.money import format_wan, to_capital
from app.domain.vocabulary import MATERIAL_LABELS, ROLE_LABELS, STAGE_LABELS, action_label
from app.errors import GovDataError
from app.services import lifecycle, projects
from app.services.forms import list_contracts as contract_choices
from app.services.forms import printable_forms
from app.services.lifecycle import ACTIONS, advance
from app.services.permissions import ROLE_PERMISSIONS, can
from app.services.plans import list_indicators
from app.services.queries import list_contracts, list_payments
from app.ui.actiondialog import DESTRUCTIVE, ActionDialog
from app.ui.context import UiContext
from app.ui.flow import FlowLayout
from app.ui.printing import project_forms_menu
from app.ui.projectform import ProjectFactsEditor
from app.ui.tablemodel import CENTER, Column, RecordTableModel, fit_columns, money_column
from app.ui.widgets import fit_dialog, to_date


def tr(text: str) -> str:
    return QCoreApplication.translate("ProjectPage", text)


# (tab key, tab title, lifecycle actions in that stage): the stages of app.domain.vocabulary, each with the actions
# the lifecycle's table puts in it, in the table's order
STAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (key, title, tuple(k for k, spec in ACTIONS.items() if spec.stage == key)) for key, title in STAGE_LABELS.items())
HIDDEN_ROLES = ("setup", "system")


@dataclass(frozen=True)
class StageRecord:
    id: int
    at: str
    user: str
    action: str
    outcome: str
    message: str


@dataclass(frozen=True)
class ActionState:
    """One lifecycle action for this account and project, as the page shows it."""

    key: str
    label: str
    enabled: bool
    reason: str | None  # why not, in Chinese (a rule with its article, the state, or the permission)
    permitted: bool  # this account's role may do it at all
    in_stage: bool  # the project's state is one the action starts from
    destructive: bool


@dataclass(frozen=True)
class ProjectBundle:
    """What the page shows, read in one unit of work on the worker."""

    project: Any
    actions: list[Any]
    history: list[Any]
    materials: list[Any]
    contracts: list[Any]
    payments: list[Any]
    forms: list[Any]
    contract_choices: list[Any]  # each contract's filing form can be printed (app.services.forms.list_contracts)


def load_bundle(uow: Any, code: str) -> ProjectBundle:
    return ProjectBundle(projects.get_project(uow, code), lifecycle.available_actions(uow, code),
                         projects.project_history(uow, code), projects.list_materials(uow, code),
                         list_contracts(uow, code=code), list_payments(uow, code=code), printable_forms(uow, code),
                         contract_choices(uow, code))


def who_may(permission: str) -> str:
    """The roles that hold a permission, as people say them (主管部门审核员、实施单位填报员)."""
    roles = [ROLE_LABELS[r] for r, perms in ROLE_PERMISSIONS.items() if permission in perms and r not in HIDDEN_ROLES]
    return "、".join(roles) or tr("管理员")


def action_states(actions: list[Any], actor: Any, status: str) -> list[ActionState]:
    out = []
    for a in actions:
        spec = ACTIONS.get(a.key)
        permitted = spec is not None and actor is not None and can(actor, spec.permission)
        in_stage = spec is not None and status in spec.from_states
        out.append(ActionState(a.key, a.label, a.enabled, a.reason, permitted, in_stage, a.key in DESTRUCTIVE))
    return out


def record_of(i: int, h: Any) -> StageRecord:
    """One line of the project's history as a person reads it: local time, the person's name, the action's
    label, and a refused attempt named as an attempt (未办成), never as a decision."""
    key = h.action.removeprefix("lifecycle.")
    spec = ACTIONS.get(key) if h.action.startswith("lifecycle.") else None
    labels = {n: f.label for n, f in spec.fields.items()} if spec else None
    kinds = {n: f.kind for n, f in spec.fields.items()} if spec else None
    if h.outcome == "ok":
        outcome, message = tr("完成"), summarize(h.action, h.detail, None, labels, kinds)
    else:
        outcome = tr("未办成")
        why = h.detail.get("message") or ""
        message = tr("系统未予办理：{0}").format(why) if why else tr("系统未予办理")
    return StageRecord(i, local_time(h.at), h.user_name or h.user, action_label(h.action), outcome, message)


def shown_history(history: list[Any]) -> list[Any]:
    """The history a person reads: one line per act (a material recorded through its lifecycle step is written
    twice in the audit trail, once by each layer)."""
    out = []
    for i, h in enumerate(history):
        near = history[max(0, i - 1):i + 2]
        if h.action == "material.record" and any(x.action == "lifecycle.add-material" for x in near):
            continue
        out.append(h)
    return out


def history_columns() -> list[Column]:
    return [Column("at", tr("时间"), width=140), Column("user", tr("经办人"), width=100),
            Column("action", tr("事项"), width=140), Column("outcome", tr("结果"), align=CENTER, width=70),
            Column("message", tr("内容"), width=480)]


ROW_HEIGHT = 26


def _table(model: RecordTableModel, name: str, most: int = 0, rows: int = 0) -> QTableView:
    """A read-only table; with `rows`, never lower than its header and that many rows; with `most`, never
    higher than that many (a stage's own records: the room below is the stage's history)."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    fit_columns(view, model.columns)
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    head = view.horizontalHeader().sizeHint().height() + 4
    if rows:
        view.setMinimumHeight(head + rows * ROW_HEIGHT)
    if most:
        view.setMaximumHeight(head + most * ROW_HEIGHT)
    return view


class ActionRow(QWidget):
    """An action in a stage tab: its button, its state, and when it cannot be done now, why (in plain sight)."""

    def __init__(self, state: ActionState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName(f"row_{state.key}")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 1, 0, 1)
        self.button: QPushButton | None = None
        spec = ACTIONS.get(state.key)
        if state.permitted:
            self.button = QPushButton(state.label + ("…" if spec and spec.fields else ""))
            self.button.setObjectName("danger" if state.destructive else "")
            self.button.setProperty("key", state.key)
            self.button.setEnabled(state.enabled)
            self.button.setToolTip(state.reason or "")
            self.button.setMinimumWidth(150)
            row.addWidget(self.button)
            if state.enabled:
                text, name = tr("可办理"), "capital"
            elif state.in_stage:
                text, name = tr("暂不能办理：") + (state.reason or ""), "reason"
            else:
                text, name = state.reason or tr("当前阶段不办理"), "hint"
        else:
            title = QLabel(state.label)
            title.setObjectName("hint")
            title.setMinimumWidth(150)
            row.addWidget(title)
            permission = spec.permission if spec else ""
            text, name = tr("由{0}办理").format(who_may(permission)), "hint"
        self.note = QLabel(text)
        self.note.setObjectName(name)
        self.note.setWordWrap(True)
        row.addWidget(self.note, 1)


class StageTab(QScrollArea):
    """A stage: its actions with their state, its own records (tables of a few rows each), what was done.
    The whole tab scrolls on a low screen, so no table is squeezed below its rows."""

    def __init__(self, keys: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys = keys
        self.rows: dict[str, ActionRow] = {}
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        self.setWidget(body)
        self.actions_box = QVBoxLayout()
        self.actions_box.setSpacing(2)
        self.records = RecordTableModel(history_columns(), id_attr="id")
        self.table = _table(self.records, "stageRecords", rows=4)
        self.extra = QVBoxLayout()
        layout = QVBoxLayout(body)
        caption = QLabel(tr("办理事项"))
        caption.setObjectName("sectionTitle")
        layout.addWidget(caption)
        layout.addLayout(self.actions_box)
        layout.addLayout(self.extra)
        done = QLabel(tr("办理记录"))
        done.setObjectName("sectionTitle")
        layout.addWidget(done)
        layout.addWidget(self.table, 1)

    def set_rows(self, states: dict[str, ActionState]) -> None:
        while self.actions_box.count():
            w = self.actions_box.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.rows = {}
        for key in self.keys:
            state = states.get(key)
            if state is not None:
                row = ActionRow(state)
                self.actions_box.addWidget(row)
                self.rows[key] = row


def materials_columns() -> list[Column]:
    return [Column("label", tr("材料"), width=140), Column("title", tr("名称"), width=260),
            Column("received", tr("收到日期"), width=110)]


@dataclass(frozen=True)
class MaterialRow:
    kind: str
    label: str
    title: str
    received: str


def received(materials: list[Any]) -> dict[str, Any]:
    """The materials received so far (the service lists all four, with no title or date for the missing)."""
    return {m.kind: m for m in materials if m.title or m.received_on}


def material_rows(materials: list[Any]) -> list[MaterialRow]:
    """The four materials of 第八条 always listed, those not received yet marked 未收到."""
    have = received(materials)
    out = []
    for kind, label in MATERIAL_LABELS.items():
        m = have.get(kind)
        out.append(MaterialRow(kind, label, (m.title or label) if m else "",
                               m.received_on.isoformat() if m and m.received_on else (tr("已收到") if m else tr("未收到"))))
    return out


class MaterialsDialog(QDialog):
    """The four application materials (第八条) as one checklist with their dates, recorded together."""

    recorded = Signal(int)

    def __init__(self, ctx: UiContext, code: str, materials: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.code = ctx, code
        self.setObjectName("materialsDialog")
        self.setWindowTitle(tr("登记申请材料 — {0}").format(code))
        have = received(materials)
        grid = QGridLayout()
        grid.addWidget(QLabel(tr("收到的材料")), 0, 0)
        grid.addWidget(QLabel(tr("名称（不填则用材料名）")), 0, 1)
        grid.addWidget(QLabel(tr("收到日期")), 0, 2)
        self.checks: dict[str, QCheckBox] = {}
        self.titles: dict[str, QLineEdit] = {}
        self.dates: dict[str, QDateEdit] = {}
        for row, (kind, label) in enumerate(MATERIAL_LABELS.items(), start=1):
            m = have.get(kind)
            check = QCheckBox(label)
            check.setObjectName(f"check_{kind}")
            check.setChecked(m is not None)
            title = QLineEdit(m.title if m and m.title and m.title != label else "")
            title.setObjectName(f"title_{kind}")
            title.setPlaceholderText(label)
            day = QDateEdit()
            day.setObjectName(f"date_{kind}")
            day.setCalendarPopup(True)
            day.setDisplayFormat("yyyy-MM-dd")
            if m and m.received_on:
                day.setDate(m.received_on)
            else:
                day.setDate(day.date().currentDate())
            for w in (title, day):
                w.setEnabled(check.isChecked())
            check.toggled.connect(title.setEnabled)
            check.toggled.connect(day.setEnabled)
            check.toggled.connect(self._check)
            self.checks[kind], self.titles[kind], self.dates[kind] = check, title, day
            grid.addWidget(check, row, 0)
            grid.addWidget(title, row, 1)
            grid.addWidget(day, row, 2)
        grid.setColumnStretch(1, 1)
        self._before = self.values()
        note = QLabel(tr("四项材料齐全后方可提交申报（第八条）。已登记的材料可以改日期或名称。"))
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save.setText(tr("登记"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        for edit in self.titles.values():
            edit.textChanged.connect(self._check)
        for day in self.dates.values():
            day.dateChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        fit_dialog(self, 640)
        self._check()

    def values(self) -> dict[str, tuple[str | None, Any]]:
        return {k: (self.titles[k].text().strip() or None, to_date(self.dates[k].date()))
                for k, c in self.checks.items() if c.isChecked()}

    def changes(self) -> dict[str, tuple[str | None, Any]]:
        before = self._before
        return {k: v for k, v in self.values().items() if before.get(k) != v}

    def _check(self) -> None:
        changes = self.changes()
        self.save.setEnabled(bool(changes))
        self.save.setToolTip("" if changes else tr("勾选收到的材料并填写日期"))

    def submit(self) -> None:
        changes, db, actor, code = self.changes(), self.ctx.db, self.ctx.actor, self.code
        self.save.setEnabled(False)

        def work(_task: Any) -> int:
            for kind, (title, day) in changes.items():
                raw: dict[str, Any] = {"kind": kind, "received_on": day}
                if title:
                    raw["title"] = title
                advance(db, actor, code, "add-material", **raw)
            return len(changes)

        def failed(exc: BaseException) -> bool:
            self.save.setEnabled(True)
            self.save.setDefault(True)
            if isinstance(exc, GovDataError):
                self.message.setText(str(exc))
                self.ctx.data_changed.emit(code)  # those recorded before the refusal are shown
                return True
            return False

        def done(n: int) -> None:
            self.recorded.emit(n)
            self.ctx.data_changed.emit(code)
            self.accept()

        self.ctx.tasks.run(work, done, on_error=failed, parent=self)


class ProjectPage(QWidget):
    back_requested = Signal()
    loaded = Signal(str)  # after each load, the project code

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.code: str | None = None
        self.bundle: ProjectBundle | None = None
        self.states: dict[str, ActionState] = {}
        self.action_buttons: dict[str, QPushButton] = {}
        self._specs: dict[str, Any] = ACTIONS

        self.back = QPushButton(tr("← 返回项目库"))
        self.back.setObjectName("backButton")
        self.back.clicked.connect(self.back_requested)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("statusBadge")
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        self.print_button = QPushButton(tr("打印表单…"))
        self.print_button.setObjectName("printForms")
        self.print_button.clicked.connect(self.print_forms)
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        top.addWidget(self.status)
        top.addWidget(self.print_button)

        # what can be done now: the enabled actions in the lifecycle's order, destructive ones apart on the right
        self.next_label = QLabel(tr("可办理："))
        self.next_row = FlowLayout()
        self.danger_row = QHBoxLayout()
        nxt = QHBoxLayout()
        nxt.addWidget(self.next_label, 0, Qt.AlignmentFlag.AlignTop)
        nxt.addLayout(self.next_row, 1)
        nxt.addLayout(self.danger_row)
        self.nothing_label = QLabel()
        self.nothing_label.setObjectName("hint")
        self.blocked = QLabel()  # what the stage allows but a rule blocks, with the rule
        self.blocked.setObjectName("reason")
        self.blocked.setWordWrap(True)
        actions_frame = QFrame()
        actions_frame.setObjectName("card")
        af = QVBoxLayout(actions_frame)
        af.setContentsMargins(8, 4, 8, 4)
        af.addLayout(nxt)
        af.addWidget(self.nothing_label)
        af.addWidget(self.blocked)

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
        self.materials = RecordTableModel(materials_columns(), id_attr="kind")
        self.stage_tabs["materials"].extra.addWidget(_table(self.materials, "materialsTable", most=4, rows=4))
        self.contracts = RecordTableModel([
            Column("contract_no", tr("合同编号"), width=130), Column("contractor", tr("建设单位"), width=220),
            Column("kind_label", tr("类型"), width=80), money_column("amount_fen", tr("合同金额（元）"), "元", 120),
            Column("signed_on", tr("签订日期"), width=100), Column("filing_due", tr("备案期限"), width=100),
            Column("filed_on", tr("备案日期"), width=100), Column("flag", tr("备案情况"), align=CENTER, width=90),
            money_column("paid_fen", tr("已拨付（元）"), "元", 120)], id_attr="id")
        self.payments = RecordTableModel([
            Column("paid_on", tr("拨付日期"), width=100), Column("contract_no", tr("合同编号"), width=130),
            Column("kind_label", tr("资金类型"), width=90), money_column("amount_fen", tr("拨付金额（元）"), "元", 120),
            Column("voucher_no", tr("凭证号"), width=120), Column("purpose", tr("用途"), width=200)], id_attr="id")
        contracts = self.stage_tabs["contracts"].extra
        for caption, model, name in ((tr("合同"), self.contracts, "contractsTable"),
                                     (tr("资金拨付"), self.payments, "paymentsTable")):
            label = QLabel(caption)
            label.setObjectName("sectionTitle")
            contracts.addWidget(label)
            contracts.addWidget(_table(model, name, most=5, rows=3))
        self.history = RecordTableModel(history_columns(), id_attr="id")
        self.tabs.addTab(_table(self.history, "historyTable"), tr("历史"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(actions_frame)
        layout.addWidget(self.tabs, 1)

        ctx.data_changed.connect(self._data_changed)

    # ---------------------------------------------------------------- loading
    def open(self, code: str) -> None:
        if code != self.code:
            self.tabs.setCurrentIndex(0)  # another project opens on its first tab
            self.bundle = None
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

    def clear(self) -> None:
        """Nothing of the last project (or the last user) stays: after a sign-out."""
        self.code, self.bundle, self.states = None, None, {}
        for label in (self.title, self.status, self.summary, self.blocked, self.nothing_label):
            label.setText("")
        for model in (self.history, self.materials, self.contracts, self.payments):
            model.set_records([])
        for tab in self.stage_tabs.values():
            tab.records.set_records([])
            tab.set_rows({})
        self._build_header([])
        self.facts.clear()

    def show_bundle(self, b: ProjectBundle) -> None:
        if self.code != b.project.code:
            return  # another project was opened meanwhile
        self.bundle = b
        p = b.project
        self.title.setText(f"{p.code}　{p.name}")
        self.status.setText(p.status_label)
        self.summary.setText(tr("{0}　{1}年度　{2}　{3}　总投资 {4} 万元（{5}）").format(
            p.department, p.year, p.category, p.nature, format_wan(p.total_fen), to_capital(p.total_fen)))
        self.facts.load(p)
        history = shown_history(b.history)
        records = [record_of(i, h) for i, h in enumerate(history)]
        self.history.set_records(records)
        self.materials.set_records(material_rows(b.materials))
        self.contracts.set_records(b.contracts)
        self.payments.set_records(b.payments)
        states = action_states(b.actions, self.ctx.actor, p.status)
        self.states = {s.key: s for s in states}
        self.action_buttons = {}
        for tab in self.stage_tabs.values():
            tab.set_rows(self.states)
            for key, row in tab.rows.items():
                if row.button is not None:
                    row.button.clicked.connect(lambda _c=False, k=key: self.start_action(k))
                    self.action_buttons[key] = row.button
            wanted = {f"lifecycle.{k}" for k in tab.keys}
            tab.records.set_records([r for r, h in zip(records, history, strict=True)
                                     if h.action in wanted and h.outcome == "ok"])
        self._build_header(states)
        ready = [f for f in b.forms if f.ready]
        self.print_button.setEnabled(bool(ready))
        self.print_button.setToolTip("" if ready else (b.forms[0].reason if b.forms and not can(
            self.ctx.actor, "print") else tr("本项目尚无可打印的表单")))
        self.loaded.emit(p.code)

    def reason_of(self, key: str) -> str:
        """What the page says about an action: '' when it can be done now, else the words shown beside it."""
        row = next((t.rows[key] for t in self.stage_tabs.values() if key in t.rows), None)
        if row is None or (row.state.enabled and row.state.permitted):
            return ""
        return row.note.text()

    def _build_header(self, states: list[ActionState]) -> None:
        for layout in (self.next_row, self.danger_row):
            while layout.count():
                w = layout.takeAt(0).widget()
                if w is not None:
                    w.deleteLater()
        now = [s for s in states if s.enabled and s.permitted]
        for s in now:
            button = QPushButton(s.label + ("…" if ACTIONS.get(s.key) and ACTIONS[s.key].fields else ""))
            button.setObjectName("danger" if s.destructive else f"quick_{s.key}")
            button.setProperty("key", s.key)
            button.clicked.connect(lambda _c=False, k=s.key: self.start_action(k))
            (self.danger_row if s.destructive else self.next_row).addWidget(button)
        # in the header: what a rule of the measure blocks (the reason names its article); the rest in the tabs
        blocked = [s for s in states if s.permitted and s.in_stage and not s.enabled and s.reason and "第" in s.reason]
        self.blocked.setText("\n".join(tr("{0}暂不能办理：{1}").format(s.label, s.reason) for s in blocked))
        self.blocked.setVisible(bool(blocked))
        self.next_label.setVisible(bool(now))
        if states and not now:
            others = sorted({who_may(ACTIONS[s.key].permission) for s in states
                             if s.in_stage and not s.permitted and s.key in ACTIONS})
            self.nothing_label.setText(tr("当前账户在本阶段没有可办理的事项") + (
                tr("；本阶段由{0}办理").format("、".join(others)) if others else ""))
        else:
            self.nothing_label.setText("")
        self.nothing_label.setVisible(bool(self.nothing_label.text()))

    def print_forms(self) -> None:
        """Ctrl+P on a project: the forms that can be printed now; preview, print, save as PDF."""
        if self.code is None or self.bundle is None:
            return
        self.forms_menu: QMenu = project_forms_menu(self.ctx, self.code, self.bundle.forms, self,
                                                      self.bundle.contract_choices)
        self.forms_menu.popup(self.print_button.mapToGlobal(self.print_button.rect().bottomLeft()))

    # ---------------------------------------------------------------- actions
    def start_action(self, key: str) -> QDialog | None:
        spec = self._specs.get(key)
        if spec is None or self.code is None:
            return None
        if key == "add-material":
            materials = self.bundle.materials if self.bundle else []
            dialog: QDialog = MaterialsDialog(self.ctx, self.code, materials, self)
            dialog.open()
            self.current_dialog = dialog
            return dialog
        if "scores" in spec.fields:
            code = self.code
            self.ctx.read(list_indicators, lambda inds: self._open_dialog(code, spec, inds))
            return None
        return self._open_dialog(self.code, spec, None)

    def _open_dialog(self, code: str, spec: Any, indicators: list[Any] | None) -> ActionDialog:
        project = self.bundle.project if self.bundle else None
        dialog = ActionDialog(self.ctx, code, spec, indicators, self, project=project)
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

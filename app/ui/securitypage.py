"""安全管理: the audit administrator's trail (search, export to Excel, chain verification naming the first broken
record), daily monitoring, the incident register and drill log (第二十九条), and account management for the
administrators (三员分立). Each tab shows only what the signed-in role may see; the others say so plainly, so
opening the page never leaves refusals in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.describe import local_time, summarize
from app.domain.fields import FIELDS as PROJECT_FIELDS
from app.domain.fields import LABELS as FIELD_LABELS
from app.domain.vocabulary import ACTION_LABELS, OBJECT_LABELS, ROLE_LABELS, SETTING_LABELS, action_label
from app.services import audit, auth, security
from app.services.auth import add_user, generate_password, reset_password, set_active, unlock_user
from app.services.lifecycle import ACTIONS, action_duties
from app.services.master import list_departments
from app.services.people import names_of
from app.services.permissions import can, duty_table, refusal_message
from app.services.recordkinds import KINDS as RECORD_KINDS
from app.services.security import SEVERITIES, record_incident
from app.ui.context import UiContext
from app.ui.listpage import FlaggedTableModel, ListPage, make_table
from app.ui.tablemodel import CENTER, Column
from app.ui.widgets import to_date

OUTCOMES = (("", "全部结果"), ("ok", "成功"), ("refused", "拒绝"), ("failed", "失败"))
TAB_PERMISSIONS = {"audit": "audit.view", "monitor": "security.monitor", "incidents": "security.records",
                   "drills": "security.records", "users": "users.manage"}


def tr(text: str) -> str:
    return QCoreApplication.translate("SecurityPage", text)


def _when(value: Any) -> str:
    """A time the user entered (an incident's), as written."""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else ("" if value is None else str(value))


def _utc(value: Any) -> str:
    """A time the program stored in UTC (audit records, sign-ins), in this PC's local time."""
    return local_time(value, seconds=True) if isinstance(value, dt.datetime) else ""


@dataclass(frozen=True)
class AuditRow:
    """One audit record as the auditor reads it (the record's own fields stay in the export and the chain)."""

    id: int
    at: str
    name: str  # the person's name
    user: str  # the login name
    role: str
    host: str
    action: str
    target: str
    outcome: str
    outcome_label: str
    summary: str


@dataclass(frozen=True)
class DetailNames:
    """The names of what audit details hold, from where each is declared: the project's fields, the lifecycle's
    actions, the paper records' forms and columns (after the generic names of app.domain.describe)."""

    keys: dict[str, str]
    kinds: dict[str, str]
    values: dict[str, str]


def detail_names() -> DetailNames:
    keys: dict[str, str] = dict(FIELD_LABELS)
    kinds: dict[str, str] = {f.key: f.kind for f in PROJECT_FIELDS}
    values: dict[str, str] = {}
    for kind in RECORD_KINDS.values():
        for col in kind.columns:
            keys.setdefault(col.key, col.label)
        for verb in kind.verbs:
            for f in verb.fields:
                keys.setdefault(f.name, f.label)
                kinds.setdefault(f.name, f.kind)
                values.update({k: v for k, v in f.choices if k != v})
    for spec in ACTIONS.values():
        for name, fs in spec.fields.items():
            keys.setdefault(name, fs.label)
            kinds.setdefault(name, fs.kind)
    return DetailNames(keys, kinds, values)


def audit_row(e: Any, names: dict[str, str], detail: DetailNames) -> AuditRow:
    target = OBJECT_LABELS.get(e.object_type or "", "")
    oid = e.object_id or ""
    if e.object_type == "setting":
        oid = SETTING_LABELS.get(oid, oid)
    return AuditRow(e.id, _utc(e.at), names.get(e.user, e.user), e.user, ROLE_LABELS.get(e.role or "", e.role or ""),
                    e.host or "", action_label(e.action), f"{target} {oid}".strip(), e.outcome, e.outcome_label,
                    summarize(e.action, e.detail, e.object_id, None, detail.kinds, detail.keys, detail.values))


def allowed_tabs(actor: Any) -> set[str]:

    tabs = {k for k, perm in TAB_PERMISSIONS.items() if actor is not None and can(actor, perm)}
    if actor is not None and can(actor, "users.security"):
        tabs.add("users")
    if actor is not None:
        tabs.add("duties")  # who may do what (第四条): the same table for everyone, the security administrator's tool
    return tabs


HAS = "●"


def overall(m: Any) -> str:
    """The monitoring's verdict, naming what needs handling (never a bare 有需要处理的事项)."""
    todo = [what for what, bad in ((tr("密码模块自检未通过"), not m.crypto_self_test_ok),
                                   (tr("数据库完整性检查未通过"), m.integrity_ok is False),
                                   (tr("审计记录异常"), not m.audit_ok),
                                   (tr("尚无备份（程序每天第一次启动时自动备份，系统管理员也可用 govdata backup 备份）"),
                                    m.backup_newest is None)) if bad]
    return tr("正常") if not todo else tr("有需要处理的事项：") + "；".join(todo)


def duty_rows() -> tuple[list[Any], list[Any], tuple[str, ...]]:
    """(the lifecycle's acts with who does them, each permission with its roles, the separations) as rows."""
    table = duty_table()
    labels = dict(table.roles)
    acts = [SimpleNamespace(id=a.key, stage=a.stage_label, label=a.label, article=a.article or "—",
                            who="、".join(labels[r] for r in a.roles) or tr("（无）")) for a in action_duties()]
    perms = [SimpleNamespace(id=r.permission, label=r.label,
                             **{role: HAS if role in r.roles else "" for role, _l in table.roles}) for r in table.rows]
    return acts, perms, table.rules


def load_security(uow: Any, tabs: set[str], filters: dict) -> dict[str, Any]:
    """Everything the page shows, for the tabs the actor may see (on the worker)."""

    out: dict[str, Any] = {}
    if "audit" in tabs:
        entries = audit.list_entries(uow, limit=1000, **filters)
        names = names_of(uow, {e.user for e in entries})
        detail = detail_names()
        out["audit"] = [audit_row(e, names, detail) for e in entries]
    if "monitor" in tabs:
        out["monitor"] = security.monitoring(uow)
    if "incidents" in tabs:
        out["incidents"] = security.list_incidents(uow)
    if "drills" in tabs:
        out["drills"] = security.list_drills(uow)
        out["stale_plans"] = security.plans_without_recent_drill(uow, dt.date.today())
    if "users" in tabs:
        out["users"] = auth.list_users(uow)
    return out


class SecurityPage(ListPage):
    verified = Signal(object)  # the ChainReport
    exported = Signal(int)
    account_created = Signal(str)  # a user name (the window's setup banner then says how to sign in with it)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("安全管理"), parent=parent)
        self.search.hide()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("securityTabs")
        self.layout_.addWidget(self.tabs, 1)
        self.tab_keys: list[str] = []
        self.denied: dict[str, QLabel] = {}
        self._add_tab("audit", tr("审计记录"), self._audit_tab())
        self._add_tab("monitor", tr("日常监测"), self._monitor_tab())
        self._add_tab("incidents", tr("安全事件"), self._incidents_tab())
        self._add_tab("drills", tr("应急演练"), self._drills_tab())
        self._add_tab("users", tr("账户管理"), self._users_tab())
        self._add_tab("duties", tr("职责分工"), self._duties_tab())
        self.finish()
        self.result: dict[str, Any] = {}

    def _add_tab(self, key: str, title: str, body: QWidget) -> None:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(4, 4, 4, 4)
        denied = QLabel(tr("当前账户无权查看本栏（三员分立：各管理员只能办理本职事项）。"))
        denied.setObjectName("hint")
        denied.hide()
        layout.addWidget(denied)
        layout.addWidget(body, 1)
        self.denied[key] = denied
        holder.body = body  # type: ignore[attr-defined]
        self.tabs.addTab(holder, title)
        self.tab_keys.append(key)

    def _table(self, columns: list[Column], name: str, flag: Any = None) -> tuple[Any, Any]:
        model = FlaggedTableModel(columns, "id", flag, self)
        table = make_table(model, name)
        self.models.append(model)
        self.tables.append(table)
        return model, table

    # ---------------------------------------------------------------- tabs
    def _audit_tab(self) -> QWidget:
        w = QWidget()
        self.f_user = QLineEdit()
        self.f_user.setObjectName("filterUser")
        self.f_user.setPlaceholderText(tr("账户名"))
        self.f_user.setProperty("verbatim", True)  # a login name, typed as it is
        self.f_action = QComboBox()
        self.f_action.setObjectName("filterAction")
        self.f_action.addItem(tr("全部操作"), None)
        for key, label in sorted(ACTION_LABELS.items(), key=lambda kv: kv[1]):
            if "." in key or "_" in key or key in ("print", "permission"):
                self.f_action.addItem(label, key)
        self.f_outcome = QComboBox()
        self.f_outcome.setObjectName("filterOutcome")
        for key, label in OUTCOMES:
            self.f_outcome.addItem(tr(label), key)
        self.f_since = QDateEdit(QDate.currentDate().addDays(-30))
        self.f_until = QDateEdit(QDate.currentDate())
        for d in (self.f_since, self.f_until):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.f_text = QLineEdit()
        self.f_text.setObjectName("filterText")
        self.f_text.setPlaceholderText(tr("内容包含"))
        find = QPushButton(tr("查询"))
        find.setObjectName("findButton")
        find.clicked.connect(self.reload)
        self.export_button = QPushButton(tr("导出Excel"))
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(lambda: self.export())
        self.verify_button = QPushButton(tr("校验完整性"))
        self.verify_button.setObjectName("verifyButton")
        self.verify_button.clicked.connect(self.verify)
        row = QHBoxLayout()
        for x in (self.f_user, self.f_action, self.f_outcome, QLabel(tr("从")), self.f_since, QLabel(tr("至")),
                  self.f_until, self.f_text, find, self.export_button, self.verify_button):
            row.addWidget(x)
        self.verify_label = QLabel()
        self.verify_label.setObjectName("verifyResult")
        self.verify_label.setWordWrap(True)
        self.audit_model, self.audit_table = self._table([
            Column("id", tr("序号"), align=CENTER, width=60), Column("at", tr("时间"), width=150),
            Column("name", tr("姓名"), width=90), Column("user", tr("账户"), width=90),
            Column("role", tr("角色"), width=110), Column("host", tr("计算机"), width=80),
            Column("action", tr("操作"), width=120), Column("target", tr("对象"), width=130),
            Column("outcome_label", tr("结果"), align=CENTER, width=50),
            Column("summary", tr("详情"), width=240)], "auditTable", flag=lambda e: e.outcome != "ok")
        self.audit_table.setProperty("verbatimColumns", [3, 5])  # login and computer names, shown as they are
        layout = QVBoxLayout(w)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.verify_label)
        layout.addWidget(self.audit_table, 1)
        return w

    def _monitor_tab(self) -> QWidget:
        w = QWidget()
        self.monitor_labels: dict[str, QLabel] = {}
        form = QFormLayout(w)
        for key, label in (("overall", "总体"), ("sign_ins", "24小时内登录失败"), ("refused", "24小时内被拒绝的操作"),
                           ("locked", "锁定的账户"), ("crypto", "密码模块自检"), ("integrity", "数据库完整性"),
                           ("backup", "最近备份"), ("audit", "审计记录")):
            value = QLabel()
            value.setObjectName(f"monitor_{key}")
            value.setWordWrap(True)
            self.monitor_labels[key] = value
            form.addRow(tr(label), value)
        return w

    def _incidents_tab(self) -> QWidget:

        w = QWidget()
        self.incident_title = QLineEdit()
        self.incident_title.setObjectName("incidentTitle")
        self.incident_title.setPlaceholderText(tr("事件名称，如 门户网站遭受扫描攻击"))
        self.incident_severity = QComboBox()
        self.incident_severity.setObjectName("incidentSeverity")
        self.incident_severity.addItems(list(SEVERITIES))
        self.incident_severity.setCurrentText("一般")
        add = QPushButton(tr("登记事件"))
        add.setObjectName("addIncident")
        add.clicked.connect(self.add_incident)
        row = QHBoxLayout()
        row.addWidget(self.incident_title, 1)
        row.addWidget(self.incident_severity)
        row.addWidget(add)
        self.incident_model, table = self._table([
            Column("occurred_at", tr("发生时间"), _when, width=140), Column("severity", tr("级别"), align=CENTER, width=70),
            Column("title", tr("事件"), width=260), Column("handling", tr("处置情况"), width=240),
            Column("reported_to", tr("报告对象"), width=120), Column("closed_on", tr("结案日期"), width=90)],
            "incidentTable", flag=lambda i: i.closed_on is None)
        layout = QVBoxLayout(w)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(table, 1)
        return w

    def _drills_tab(self) -> QWidget:
        w = QWidget()
        self.stale_label = QLabel()
        self.stale_label.setObjectName("error")
        self.stale_label.setWordWrap(True)
        self.drill_model, table = self._table([
            Column("drilled_on", tr("演练日期"), width=90), Column("plan_title", tr("应急预案"), width=240),
            Column("scenario", tr("演练场景"), width=240), Column("participants", tr("参加人员"), width=160),
            Column("result", tr("效果"), width=160), Column("issues", tr("发现问题"), width=200)], "drillTable")
        layout = QVBoxLayout(w)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stale_label)
        layout.addWidget(table, 1)
        return w

    def _users_tab(self) -> QWidget:
        w = QWidget()
        self.unlock_button = QPushButton(tr("解锁"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.clicked.connect(self.unlock)
        self.reset_button = QPushButton(tr("重置口令"))
        self.reset_button.setObjectName("resetButton")
        self.reset_button.clicked.connect(lambda: self.reset_password())
        self.active_button = QPushButton(tr("停用/启用"))
        self.active_button.setObjectName("activeButton")
        self.active_button.clicked.connect(self.toggle_active)
        self.add_user_button = QPushButton(tr("新建账户…"))
        self.add_user_button.setObjectName("addUserButton")
        self.add_user_button.clicked.connect(self.add_user)
        row = QHBoxLayout()
        row.addStretch(1)
        for b in (self.add_user_button, self.unlock_button, self.reset_button, self.active_button):
            row.addWidget(b)
        self.user_model, self.user_table = self._table([
            Column("username", tr("账户"), width=100), Column("display_name", tr("姓名"), width=90),
            Column("role_labels", tr("角色"), width=200), Column("department", tr("单位"), width=150),
            Column("active", tr("启用"), align=CENTER, width=50), Column("locked", tr("锁定"), align=CENTER, width=50),
            Column("failed_logins", tr("连续失败"), align=CENTER, width=70),
            Column("last_login_at", tr("最近登录"), _utc, width=150)], "userTable",
            flag=lambda u: u.locked or not u.active)
        self.user_model.id_attr = "username"
        layout = QVBoxLayout(w)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.user_table, 1)
        return w

    def _duties_tab(self) -> QWidget:
        """职责分工 (第四条): each act of a project with whose duty it is, each permission by role, and the
        separations the table alone cannot show (govdata duties prints the same)."""
        w = QWidget()
        table = duty_table()
        self.act_model, acts = self._table([
            Column("stage", tr("环节"), width=90), Column("label", tr("事项"), width=190),
            Column("article", tr("依据"), align=CENTER, width=200), Column("who", tr("办理角色"), width=200)],
            "actDutyTable")
        self.perm_model, perms = self._table(
            [Column("label", tr("权限"), width=230)]
            + [Column(role, label, align=CENTER, width=0) for role, label in table.roles], "permDutyTable")
        perms.horizontalHeader().setStretchLastSection(False)
        self.perm_table = perms
        split = QTabWidget()
        split.setObjectName("dutyTabs")
        split.addTab(acts, tr("项目各环节由谁办理"))
        split.addTab(perms, tr("各角色的权限"))
        self.duty_tabs = split
        self.rules_label = QLabel()
        self.rules_label.setObjectName("dutyRules")
        self.rules_label.setWordWrap(True)
        layout = QVBoxLayout(w)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split, 1)
        layout.addWidget(self.rules_label)
        return w

    def show_duties(self) -> None:
        acts, perms, rules = duty_rows()
        self.act_model.set_records(acts)
        self.perm_model.set_records(perms)
        self.perm_table.resizeColumnsToContents()
        self.rules_label.setText(tr("不相容职责：") + "\n" + "\n".join(f"{i}. {r}" for i, r in enumerate(rules, 1)))

    # ---------------------------------------------------------------- data
    def filters(self) -> dict:
        since = dt.datetime.combine(to_date(self.f_since.date()), dt.time())
        until = dt.datetime.combine(to_date(self.f_until.date()) + dt.timedelta(days=1), dt.time())
        return {"user": self.f_user.text().strip() or None, "action": self.f_action.currentData() or None,
                "outcome": self.f_outcome.currentData() or None, "since": since, "until": until,
                "text": self.f_text.text().strip() or None}

    def query(self, uow: Any) -> Any:
        return load_security(uow, self._tabs, self._filters)

    def reload(self) -> None:
        actor = self.ctx.actor
        for button, permission in ((self.add_user_button, "users.manage"), (self.active_button, "users.manage"),
                                   (self.unlock_button, "users.security"), (self.reset_button, "users.security")):
            allowed = actor is not None and can(actor, permission)
            button.setEnabled(allowed)  # 三员分立: each administrator's own buttons; the others say whose
            button.setToolTip("" if allowed or actor is None else refusal_message(actor, permission))
        self._tabs = allowed_tabs(self.ctx.actor)
        self._filters = self.filters()
        for i, key in enumerate(self.tab_keys):
            ok = key in self._tabs
            self.denied[key].setVisible(not ok)
            tab: Any = self.tabs.widget(i)
            tab.body.setEnabled(ok)
        if "duties" in self._tabs:
            self.show_duties()
        current = self.tab_keys[self.tabs.currentIndex()]
        if current not in self._tabs:  # open on a tab this role may read, not on a refusal
            self.tabs.setCurrentIndex(next(i for i, k in enumerate(self.tab_keys) if k in self._tabs))
        super().reload()

    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result
        for key, model in (("audit", self.audit_model), ("incidents", self.incident_model),
                           ("drills", self.drill_model), ("users", self.user_model)):
            model.set_records(result.get(key, []))
        stale = result.get("stale_plans") or []
        self.stale_label.setText(tr("超过一年未演练的应急预案：{0}（第二十九条）").format("、".join(stale)) if stale else "")
        m = result.get("monitor")
        if m is not None:
            labels = self.monitor_labels
            labels["overall"].setText(overall(m))
            labels["sign_ins"].setText(f"{m.failed_sign_ins} 次" + (
                "（" + "、".join(f"{u} {n} 次" for u, n in m.failed_by_user) + "）" if m.failed_by_user else ""))
            labels["refused"].setText(f"{m.refused_actions} 次")
            labels["locked"].setText("、".join(m.locked_accounts) or tr("无"))
            labels["crypto"].setText(f"{m.crypto_module}：" + (tr("通过") if m.crypto_self_test_ok else tr("未通过")))
            labels["integrity"].setText(m.integrity_message)
            labels["backup"].setText(m.backup_message)
            labels["audit"].setText(m.audit_message)
        self.update_status()

    def update_status(self) -> None:
        self.status.setText(tr("审计记录 {0} 条（最多显示1000条，导出不限）").format(self.audit_model.rowCount())
                            if "audit" in getattr(self, "_tabs", set()) else "")

    def clear(self) -> None:
        super().clear()
        self.result = {}
        for edit in (self.f_user, self.f_text, self.incident_title):
            edit.clear()
        self.f_action.setCurrentIndex(0)
        self.f_outcome.setCurrentIndex(0)
        for label in (self.verify_label, self.stale_label, *self.monitor_labels.values()):
            label.setText("")

    # ---------------------------------------------------------------- audit actions
    def verify(self) -> None:
        def done(report: Any) -> None:
            self.verify_label.setText(report.summary())
            self.verify_label.setObjectName("capital" if report.ok else "error")
            self.verify_label.style().unpolish(self.verify_label)
            self.verify_label.style().polish(self.verify_label)
            if report.first_broken is not None:
                row = self.audit_model.row_of(report.first_broken)
                if row >= 0:
                    self.audit_table.selectRow(row)
                    self.audit_table.scrollTo(self.audit_model.index(row, 0))
            self.verified.emit(report)

        # a long read (a million records take seconds): its own thread and read transaction, progress and cancel
        self.ctx.long(lambda db, actor, task: audit.verify_and_record(db, actor, progress=task.progress)[0], done,
                      label=tr("正在校验审计记录…"), parent=self)

    def export(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("导出审计记录"), tr("审计记录.xlsx"), "Excel (*.xlsx)")
            if not path:
                return
        filters = self.filters()

        def done(n: int) -> None:
            self.status.setText(tr("已导出 {0} 条审计记录到 {1}").format(n, path))
            self.exported.emit(n)

        self.quiet_write(lambda uow: audit.export_entries(uow, path, limit=None, **filters), done, tr("正在导出…"), reload=False)


    # ---------------------------------------------------------------- records and accounts
    def add_incident(self) -> None:

        title, severity = self.incident_title.text().strip(), self.incident_severity.currentText()
        if not title:
            self.status.setText(tr("请填写事件名称"))
            return
        now = dt.datetime.now().replace(microsecond=0)
        self.quiet_write(lambda uow: record_incident(uow, title, now, severity), lambda _v: self.incident_title.clear())

    def add_user(self) -> None:
        """The system administrator creates an account: one role, a department for a clerk, and a one-time
        password shown once (changed at the first sign-in). The service enforces 三员分立 and the policy."""

        self.ctx.read(list_departments, self._open_add_user)

    def _open_add_user(self, departments: Any) -> None:
        self.add_user_dialog = dialog = AddUserDialog(departments, self)
        dialog.accepted.connect(lambda: self._create_user(dialog.values()))
        dialog.open()

    def _create_user(self, values: dict[str, Any]) -> None:

        password = generate_password()

        def done(_v: Any) -> None:
            box = QInputDialog(self)
            box.setObjectName("newPassword")
            box.setWindowTitle(tr("新账户"))
            box.setLabelText(tr("账户 {0} 的一次性口令（只显示这一次，首次登录须修改）：").format(values["username"]))
            box.setTextValue(password)
            self.password_box = box
            box.open()
            self.account_created.emit(values["username"])

        self.quiet_write(lambda uow: add_user(uow, values["username"], password, [values["role"]],
                                              department=values["department"], display_name=values["display_name"]),
                         done)

    def _selected_user(self) -> Any:
        return self.selected(self.models.index(self.user_model))

    def unlock(self) -> None:

        user = self._selected_user()
        if user is not None:
            self.quiet_write(lambda uow: unlock_user(uow, user.username))

    def toggle_active(self) -> None:

        user = self._selected_user()
        if user is not None:
            self.quiet_write(lambda uow: set_active(uow, user.username, not user.active))

    def reset_password(self, confirm: bool = True) -> str | None:
        """A generated one-time password, shown once; the user must change it at the next sign-in."""

        user = self._selected_user()
        if user is None:
            return None
        if confirm:
            answer = QMessageBox.question(self, tr("重置口令"), tr("为账户 {0} 生成新的一次性口令？").format(user.username))
            if answer != QMessageBox.StandardButton.Yes:
                return None
        password = generate_password()

        def done(_v: Any) -> None:
            box = QInputDialog(self)
            box.setObjectName("newPassword")
            box.setWindowTitle(tr("新口令"))
            box.setLabelText(tr("账户 {0} 的一次性口令（只显示这一次，首次登录须修改）：").format(user.username))
            box.setTextValue(password)
            self.password_box = box
            box.open()

        self.quiet_write(lambda uow: reset_password(uow, user.username, password), done)
        return password


class AddUserDialog(QDialog):
    """新建账户: user name, name, role and (for a department clerk) the department."""

    def __init__(self, departments: Any, parent: QWidget | None = None) -> None:

        super().__init__(parent)
        self.setObjectName("addUserDialog")
        self.setWindowTitle(tr("新建账户"))
        self.setMinimumWidth(440)
        self.username = QLineEdit()
        self.username.setObjectName("newUsername")
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for key, label in ROLE_LABELS.items():
            if key not in ("setup", "system"):
                self.role.addItem(tr(label), key)
        self.department = QComboBox()
        self.department.addItem(tr("（无）"), None)
        for d in departments:
            self.department.addItem(d.name, d.id)
        form = QFormLayout()
        form.addRow(tr("用户名"), self.username)
        form.addRow(tr("姓名"), self.display_name)
        form.addRow(tr("角色"), self.role)
        form.addRow(tr("所属单位（实施单位填报员必填）"), self.department)
        self.hint = QLabel(tr("口令由程序生成，只显示一次；首次登录须修改。三员（系统、安全、审计管理员）不可兼任。"))
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        for signal in (self.username.textChanged, self.role.currentIndexChanged, self.department.currentIndexChanged):
            signal.connect(self._check)
        self._check()

    def _check(self) -> None:
        name = self.username.text().strip()
        clerk_without_unit = self.role.currentData() == "clerk" and self.department.currentData() is None
        ok = bool(name) and not any(c.isspace() for c in name) and not clerk_without_unit
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setToolTip(
            tr("实施单位填报员须选择所属单位") if clerk_without_unit else "")

    def values(self) -> dict[str, Any]:
        return {"username": self.username.text().strip(), "display_name": self.display_name.text().strip() or None,
                "role": self.role.currentData(), "department": self.department.currentData()}

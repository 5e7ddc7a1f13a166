"""The project's facts as a form: registering a new project and editing one, validated as you type.

Validation is the service's own `check_figures` (pure, no query), so the form, the command line and the import
agree. Saving an edit sends the version the form loaded; if someone saved meanwhile the service raises
ConflictError and the form shows both values side by side instead of overwriting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_yuan
from app.domain.vocabulary import CATEGORIES, NATURES
from app.errors import ConflictError, GovDataError
from app.services.projects import FIELD_LABELS, ProjectInput, check_figures, register_project, update_project
from app.ui.context import UiContext
from app.ui.widgets import MoneyEdit, fit_dialog

MONEY_FIELDS = ("total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen", "city_share_fen",
                "county_share_fen")


def tr(text: str) -> str:
    return QCoreApplication.translate("ProjectForm", text)


class _Empty:
    """Stands in for a project when a form is emptied: every field blank."""

    def __getattr__(self, name: str) -> Any:
        return dt.date.today().year if name == "year" else ("" if name in ("name", "department", "category",
                                                                           "nature") else None)


EMPTY_PROJECT = _Empty()


class ProjectForm(QWidget):
    """The facts of one project. `values()` gives the service's field names (amounts in fen)."""

    changed = Signal()

    def __init__(self, departments: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.addItems(departments)
        self.department.setCurrentIndex(-1)
        self.category = QComboBox()
        self.category.addItems(CATEGORIES)
        self.nature = QComboBox()
        self.nature.addItems(NATURES)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.money = {k: MoneyEdit("元") for k in MONEY_FIELDS}
        self.content = QPlainTextEdit()
        self.content.setFixedHeight(56)
        self.period = QSpinBox()
        self.period.setRange(0, 120)
        self.period.setSpecialValueText(tr("未填"))
        self.person = QLineEdit()
        self.phone = QLineEdit()
        self.cobuilt = QCheckBox(tr("市县协同建设（第十二条）"))
        self.scope = QLineEdit()
        self.note = QLineEdit()
        names = {"name": self.name, "department": self.department, "category": self.category,
                 "nature": self.nature, "year": self.year, "content": self.content, "period_months": self.period,
                 "responsible_person": self.person, "responsible_phone": self.phone, "cobuilt": self.cobuilt,
                 "cobuilt_scope": self.scope, "note": self.note} | self.money
        for key, w in names.items():
            w.setObjectName(key)

        grid = QGridLayout(self)
        left, right = QFormLayout(), QFormLayout()
        left.addRow(tr("项目名称 *"), self.name)
        left.addRow(tr("实施单位 *"), self.department)
        left.addRow(tr("项目类别 *"), self.category)
        left.addRow(tr("建设性质 *"), self.nature)
        left.addRow(tr("年度 *"), self.year)
        left.addRow(tr("建设内容"), self.content)
        left.addRow(tr("建设周期（月）"), self.period)
        left.addRow(tr("项目责任人"), self.person)
        left.addRow(tr("责任人电话"), self.phone)
        right.addRow(tr("总投资（元） *"), self.money["total_fen"])
        right.addRow(tr("县级财政资金（元）"), self.money["county_fen"])
        right.addRow(tr("上级补助资金（元）"), self.money["upper_fen"])
        right.addRow(tr("其他资金（元）"), self.money["other_fen"])
        right.addRow(tr("本年申请资金（元）"), self.money["year_request_fen"])
        right.addRow("", self.cobuilt)
        right.addRow(tr("市级承担（元）"), self.money["city_share_fen"])
        right.addRow(tr("县级承担（元）"), self.money["county_share_fen"])
        right.addRow(tr("事权划分"), self.scope)
        right.addRow(tr("备注"), self.note)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("error")
        self.problem_label.setWordWrap(True)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.addWidget(self.problem_label, 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        for w in (self.name, self.person, self.phone, self.scope, self.note):
            w.textChanged.connect(self._changed)
        self.content.textChanged.connect(self._changed)
        for c in (self.category, self.nature):
            c.currentIndexChanged.connect(self._changed)
        self.department.currentTextChanged.connect(self._changed)
        self.year.valueChanged.connect(self._changed)
        self.period.valueChanged.connect(self._changed)
        self.cobuilt.toggled.connect(self._changed)
        for m in self.money.values():
            m.changed.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        for k in ("city_share_fen", "county_share_fen"):
            self.money[k].setEnabled(self.cobuilt.isChecked())
        self.scope.setEnabled(self.cobuilt.isChecked())
        self.problem_label.setText(self.problem() or "")
        self.changed.emit()

    def values(self) -> dict[str, Any]:
        v: dict[str, Any] = {
            "name": self.name.text().strip(), "department": self.department.currentText().strip(),
            "category": self.category.currentText(), "nature": self.nature.currentText(),
            "year": self.year.value(), "content": self.content.toPlainText().strip() or None,
            "period_months": self.period.value() or None,
            "responsible_person": self.person.text().strip() or None,
            "responsible_phone": self.phone.text().strip() or None, "cobuilt": self.cobuilt.isChecked(),
            "cobuilt_scope": self.scope.text().strip() or None, "note": self.note.text().strip() or None,
        }
        for k, m in self.money.items():
            v[k] = m.fen() or 0
        if not v["cobuilt"]:
            v["city_share_fen"] = v["county_share_fen"] = 0
        return v

    def problem(self) -> str | None:
        """What keeps the form from being saved, in Chinese (None when it may be saved)."""
        for k, m in self.money.items():
            if m.problem():
                return m.problem()
        v = self.values()
        if not v["department"]:
            return tr("请选择实施单位")
        if not self.money["total_fen"].text():
            return tr("请填写总投资")

        try:
            check_figures(v)
        except GovDataError as exc:
            return str(exc)
        return None

    def load(self, p: Any) -> None:
        self.name.setText(p.name)
        self.department.setCurrentText(p.department)
        self.category.setCurrentText(p.category)
        self.nature.setCurrentText(p.nature)
        self.year.setValue(p.year)
        self.content.setPlainText(p.content or "")
        self.period.setValue(p.period_months or 0)
        self.person.setText(p.responsible_person or "")
        self.phone.setText(p.responsible_phone or "")
        self.cobuilt.setChecked(bool(p.cobuilt))
        self.scope.setText(p.cobuilt_scope or "")
        self.note.setText(p.note or "")
        for k, m in self.money.items():
            m.set_fen(getattr(p, k))


class NewProjectDialog(QDialog):
    """登记项目: the form, then app.services.projects.register_project on the worker."""

    project_registered = Signal(str)

    def __init__(self, ctx: UiContext, departments: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("newProjectDialog")
        self.setWindowTitle(tr("登记项目"))
        self.form = ProjectForm(departments)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save.setText(tr("登记"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.form.changed.connect(lambda: self.save.setEnabled(self.form.problem() is None))
        self.save.setEnabled(False)
        fit_dialog(self, 900, 0)

    def submit(self) -> None:

        data = ProjectInput(**self.form.values())
        self.save.setEnabled(False)

        def failed(exc: BaseException) -> bool:
            self.save.setEnabled(True)
            if isinstance(exc, GovDataError):
                self.message.setText(str(exc))
                return True
            return False

        def done(view: Any) -> None:
            self.project_registered.emit(view.code)
            self.accept()

        self.ctx.write(lambda uow: register_project(uow, data), done, changed="", on_error=failed, parent=self)


class ProjectFactsEditor(QWidget):
    """The 基本信息 tab: the form with 保存; a concurrent edit shows a conflict, never overwrites."""

    saved = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: Any = None
        self.form = ProjectForm([])
        self.form.department.setEnabled(False)
        self.form.year.setEnabled(False)
        for field in (self.form.department, self.form.year):  # greyed out: say why
            field.setToolTip(tr("实施单位和年度在登记时确定，项目编号依年度编排，登记后不能修改"))
        self.save_button = QPushButton(tr("保存修改"))
        self.save_button.setObjectName("saveFacts")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        scroll = QScrollArea()  # the form keeps its natural height and scrolls on a low screen
        scroll.setObjectName("factsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        bar = QHBoxLayout()
        bar.addWidget(self.message, 1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll, 1)
        layout.addLayout(bar)
        self.form.changed.connect(self._changed)

    def load(self, view: Any) -> None:
        self.view = view
        self.form.department.clear()
        self.form.department.addItem(view.department)
        self.form.load(view)
        self.message.setText("")
        self._changed()

    def clear(self) -> None:
        """Empty the form (after a sign-out nothing of the last project stays)."""
        self.view = None
        self.form.load(EMPTY_PROJECT)
        self.form.department.clear()
        self.message.setText("")
        self.save_button.setEnabled(False)

    def changes(self) -> dict[str, Any]:
        if self.view is None:
            return {}
        values = self.form.values()
        keys = [k for k in values if k not in ("department", "year")]
        return {k: values[k] for k in keys if values[k] != getattr(self.view, k)}

    def _changed(self) -> None:
        problem = self.form.problem()
        changed = bool(self.changes())
        self.save_button.setEnabled(changed and problem is None)
        self.save_button.setToolTip("" if changed and problem is None else
                                    (problem or "") if changed else tr("尚未修改：改动上面的内容后可保存"))

    def save(self) -> None:

        changes, code, version = self.changes(), self.view.code, self.view.version

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, ConflictError):
                self.show_conflict(exc)
                return True
            if isinstance(exc, GovDataError):
                self.message.setText(str(exc))
                return True
            return False

        def done(view: Any) -> None:
            self.load(view)
            self.saved.emit(view)

        self.ctx.write(lambda uow: update_project(uow, code, changes, expected_version=version), done,
                       changed=code, on_error=failed, parent=self)

    def show_conflict(self, exc: ConflictError) -> QMessageBox:

        def show(k: str, v: Any) -> str:
            if k.endswith("_fen") and v is not None:
                return format_yuan(v) + " 元"
            return "" if v is None else str(v)

        lines = [f"{FIELD_LABELS.get(k, k)}：您的值“{show(k, exc.mine.get(k))}”，他人保存的值“{show(k, exc.theirs.get(k))}”"
                 for k in exc.mine]
        self.message.setText(str(exc))
        box = QMessageBox(QMessageBox.Icon.Warning, tr("保存冲突"), str(exc), parent=self)
        box.setObjectName("conflictBox")
        box.setDetailedText("\n".join(lines))
        box.setInformativeText("\n".join(lines[:6]))
        reload_button = box.addButton(tr("载入他人保存的版本"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(lambda b: self.ctx.data_changed.emit(self.view.code) if b is reload_button else None)
        box.open()
        return box

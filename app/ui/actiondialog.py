"""One dialog for every lifecycle action, built from the action's field specs (app.services.lifecycle.ACTIONS).

The service parses and checks; the dialog validates amounts and credit codes as you type, sends the raw values,
and shows a refusal (with its article) inside the dialog without closing it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.vocabulary import (
    CONTRACT_KINDS,
    MATERIAL_LABELS,
    RECTIFICATION_REASONS,
    REVIEW_CONCLUSIONS,
    SECURITY_KINDS,
    grade_for,
)
from app.errors import GovDataError
from app.services.lifecycle import advance
from app.ui.context import UiContext
from app.ui.widgets import CreditCodeEdit, MoneyEdit, fit_dialog, to_date

CHOICE_LABELS = MATERIAL_LABELS | REVIEW_CONCLUSIONS | CONTRACT_KINDS | RECTIFICATION_REASONS | SECURITY_KINDS
# acts that end or stop something: apart from the others, red, and confirmed with a tick before they run
DESTRUCTIVE = frozenset({"reject", "withdraw", "suspend", "terminate"})
YEAR_FIELDS = ("year",)  # a year field defaults to the project's own year (预算年度, 经费年度, 评价年度)
BOOL_TEXT = {True: "是", False: "否"}


def tr(text: str) -> str:
    return QCoreApplication.translate("ActionDialog", text)


def choice_labels(spec: Any) -> dict[str, str]:
    """Chinese labels of a choice field: from its help ('approve 同意 / reject 不同意') or the domain's tables."""
    labels: dict[str, str] = {}
    for part in (spec.help or "").split("/"):
        bits = part.strip().split(None, 1)
        if len(bits) == 2 and bits[0] in spec.choices:
            labels[bits[0]] = bits[1]
    return {c: labels.get(c) or CHOICE_LABELS.get(c) or c for c in spec.choices}


class ScoresEdit(QTableWidget):
    """The evaluation indicators (第二十三条) with a score for each, bounded by its weight; shows the total."""

    changed = Signal()

    def __init__(self, indicators: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(len(indicators), 4, parent)
        self.indicators = indicators
        self.setHorizontalHeaderLabels([tr("一级指标"), tr("二级指标"), tr("三级指标"), tr("得分 / 分值")])
        self.verticalHeader().hide()
        self.spins: list[QDoubleSpinBox] = []
        for row, ind in enumerate(indicators):
            for col, text in enumerate((ind.level1, ind.level2, ind.name)):
                self.setItem(row, col, QTableWidgetItem(text))
            spin = QDoubleSpinBox()
            spin.setDecimals(1)
            spin.setRange(0, float(ind.weight))
            spin.setSuffix(f" / {ind.weight}")
            spin.valueChanged.connect(self.changed)
            self.setCellWidget(row, 3, spin)
            self.spins.append(spin)
        self.resizeColumnsToContents()
        self.setMinimumHeight(220)

    def set_scores(self, scores: dict[str, Any]) -> None:
        for ind, spin in zip(self.indicators, self.spins, strict=True):
            if ind.name in scores:
                spin.setValue(float(scores[ind.name]))

    def value(self) -> dict[str, Decimal]:
        return {ind.name: Decimal(str(round(spin.value(), 1)))
                for ind, spin in zip(self.indicators, self.spins, strict=True)}

    def total(self) -> Decimal:
        return sum(self.value().values(), Decimal(0))


class ActionDialog(QDialog):
    done_with = Signal(object)  # the ActionResult

    def __init__(self, ctx: UiContext, code: str, spec: Any, indicators: list[Any] | None = None,
                 parent: QWidget | None = None, project: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.code, self.spec, self.project = ctx, code, spec, project
        self.destructive = spec.key in DESTRUCTIVE
        self.setObjectName(f"action_{spec.key}")
        self.setWindowTitle(f"{spec.label} — {code}")
        self.inputs: dict[str, Any] = {}
        form = QFormLayout()
        for name, field in spec.fields.items():
            w = self._widget(name, field, indicators or [])
            w.setObjectName(name)
            label = field.label + (" *" if field.required else "")
            if field.help and field.kind not in ("choice",):
                w.setToolTip(field.help)
            form.addRow(label, w)
            self.inputs[name] = w
        body = QWidget()
        body.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(spec.label)
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.confirm: QCheckBox | None = None
        if self.destructive:  # never the default button, and a tick first: a slip of the mouse does nothing
            self.ok.setObjectName("danger")
            self.ok.setAutoDefault(False)
            self.cancel.setDefault(True)
            self.confirm = QCheckBox(tr("我已核实，确定{0}（办理后不能撤销）").format(spec.label))
            self.confirm.setObjectName("confirmDestructive")
            self.confirm.toggled.connect(self._validate)
        else:
            self.ok.setDefault(True)
        layout = QVBoxLayout(self)
        if spec.article:
            note = QLabel(tr("依据《政务大数据项目建设应用管理办法》{0}").format(spec.article))
            note.setObjectName("hint")
            layout.addWidget(note)
        if spec.fields:
            layout.addWidget(scroll, 1)
        else:
            layout.addWidget(QLabel(tr("确认办理“{0}”？").format(spec.label)))
        if self.confirm is not None:
            layout.addWidget(self.confirm)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        fit_dialog(self, 640, 660 if "scores" in spec.fields else 0)
        self._validate()

    def _widget(self, name: str, field: Any, indicators: list[Any]) -> QWidget:
        kind = field.kind
        if kind == "money":
            w: Any = MoneyEdit("元")
            w.changed.connect(self._validate)
        elif "credit_code" in name:
            w = CreditCodeEdit()
            w.changed.connect(self._validate)
        elif kind == "text":
            w = QPlainTextEdit()
            w.setFixedHeight(64)
            w.textChanged.connect(self._validate)
        elif kind == "date":
            w = QDateEdit(QDate.currentDate())
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        elif kind == "bool":
            w = QComboBox()
            if field.required:
                w.addItem(tr("（请选择）"), None)
            elif field.default is None:
                w.addItem(tr("（不填）"), None)
            for value in (True, False):  # the default says it is the default
                text = BOOL_TEXT[value] + (tr("（默认）") if field.default is value else "")
                w.addItem(text, value)
            if field.default is not None:
                w.setCurrentIndex(w.findData(field.default))
            w.currentIndexChanged.connect(self._validate)
        elif kind == "choice":
            w = QComboBox()
            if not field.required:
                w.addItem(tr("（不填）"), None)
            for key, label in choice_labels(field).items():
                w.addItem(label, key)
            w.currentIndexChanged.connect(self._validate)
        elif kind == "scores":
            w = ScoresEdit(indicators)
            w.changed.connect(self._validate)
        else:  # str, int, decimal
            w = QLineEdit()
            if field.help:
                w.setPlaceholderText(field.help)
            if name in YEAR_FIELDS:
                year = getattr(self.project, "year", None) or dt.date.today().year
                w.setText(str(year))
            w.textChanged.connect(self._validate)
        return w

    def raw_values(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for name, w in self.inputs.items():
            kind = self.spec.fields[name].kind
            if isinstance(w, MoneyEdit):
                value: Any = w.fen()
            elif isinstance(w, CreditCodeEdit):
                value = w.text() or None
            elif isinstance(w, QPlainTextEdit):
                value = w.toPlainText().strip() or None
            elif isinstance(w, QDateEdit):
                value = to_date(w.date())
            elif isinstance(w, QComboBox):
                value = w.currentData()
            elif isinstance(w, ScoresEdit):
                value = w.value()
            else:
                value = w.text().strip() or None
                if value is not None and kind == "int":
                    value = int(value) if value.lstrip("-").isdigit() else value
            if value is not None:
                raw[name] = value
        return raw

    def problems(self) -> list[str]:
        out = []
        raw = self.raw_values()
        for name, field in self.spec.fields.items():
            w = self.inputs[name]
            problem = getattr(w, "problem", None)
            if callable(problem) and problem():
                out.append(f"{field.label}：{problem()}")
            elif field.required and name not in raw:
                out.append(tr("请填写{0}").format(field.label))
            elif field.kind == "decimal" and name in raw:
                try:
                    Decimal(str(raw[name]))
                except InvalidOperation:
                    out.append(tr("{0}应为数字").format(field.label))
            elif field.kind == "int" and name in raw and not isinstance(raw[name], int):
                out.append(tr("{0}应为整数").format(field.label))
        return out

    def _validate(self) -> None:
        problems = self.problems()
        if self.confirm is not None and not self.confirm.isChecked():
            problems.append(tr("请先勾选确认"))
        self.ok.setEnabled(not problems)
        self.ok.setToolTip("\n".join(problems))
        if "scores" in self.inputs:
            total = self.inputs["scores"].total()

            self.message.setObjectName("hint")
            self.message.setText(tr("合计 {0} 分，等级：{1}").format(total, grade_for(total)))

    def submit(self) -> None:

        raw = self.raw_values()
        db, actor, code, key = self.ctx.db, self.ctx.actor, self.code, self.spec.key
        self.ok.setEnabled(False)

        def failed(exc: BaseException) -> bool:
            self.ok.setEnabled(True)
            if not self.destructive:
                self.ok.setDefault(True)  # Enter sends again after a correction, not 取消
                self.ok.setFocus()
            if isinstance(exc, GovDataError):
                self.message.setObjectName("error")
                self.message.style().unpolish(self.message)
                self.message.style().polish(self.message)
                self.message.setText(str(exc))
                return True
            return False

        def done(result: Any) -> None:
            self.done_with.emit(result)
            self.ctx.data_changed.emit(code)
            self.accept()

        self.ctx.tasks.run(lambda _t: advance(db, actor, code, key, **raw), done, on_error=failed, parent=self)

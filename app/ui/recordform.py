"""One dialog for every paper record's verb (add, handle, review …), built from the verb's fields
(app.services.recordkinds). The service parses and checks; a refusal (with its article) shows inside the dialog,
which stays open with what was typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import GovDataError
from app.services.master import list_departments
from app.services.projects import list_projects
from app.services.recordkit import Field, RecordKind, Verb
from app.services.records import ref_choices, run_verb
from app.ui.context import UiContext
from app.ui.widgets import MoneyEdit, to_date

EMPTY_DATE = QDate(2000, 1, 1)  # an optional date left empty shows 不填


def tr(text: str) -> str:
    return QCoreApplication.translate("RecordDialog", text)


class RecordDialog(QDialog):
    done_with = Signal(object)  # the service's result

    def __init__(self, ctx: UiContext, kind: RecordKind, verb: Verb, record_id: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind, self.verb, self.record_id = ctx, kind, verb, record_id
        self.setObjectName(f"record_{kind.key}_{verb.key}")
        self.setWindowTitle(f"{verb.label} — {kind.label}" + (f"（编号 {record_id}）" if record_id is not None else ""))
        self.inputs: dict[str, Any] = {}
        form = QFormLayout()
        for f in verb.fields:
            w = self._widget(f)
            w.setObjectName(f.name)
            if f.help:
                w.setToolTip(f.help)
            form.addRow(f.label + (" *" if f.required else ""), w)
            self.inputs[f.name] = w
        body = QWidget()
        body.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        note = QLabel(tr("依据《政务大数据项目建设应用管理办法》{0}：{1}").format(kind.article, kind.hint))
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(verb.label)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(600, min(160 + 56 * len(verb.fields), 640))
        self._load_choices()
        self._validate()

    # ---------------------------------------------------------------- widgets
    def _widget(self, f: Field) -> QWidget:
        if f.kind == "money":
            w: Any = MoneyEdit("元")
            w.changed.connect(self._validate)
        elif f.kind == "longtext":
            w = QPlainTextEdit()
            w.setFixedHeight(64)
            w.textChanged.connect(self._validate)
        elif f.kind == "date":
            w = QDateEdit(QDate.currentDate())
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
            if not f.required:  # the minimum shows as 不填
                w.setMinimumDate(EMPTY_DATE)
                w.setSpecialValueText(tr("不填"))
                w.setDate(EMPTY_DATE)
        elif f.kind == "year":
            w = QSpinBox()
            w.setRange(2000, 2100)
            w.setValue(dt.date.today().year)
        elif f.kind in ("choice", "bool"):
            w = QComboBox()
            if not f.required:
                w.addItem(tr("（不填）"), None)
            elif f.kind == "bool":
                w.addItem(tr("（请选择）"), None)
            pairs = f.choices if f.kind == "choice" else ((True, tr("是")), (False, tr("否")))
            for key, label in pairs:
                w.addItem(label, key)
            w.currentIndexChanged.connect(self._validate)
        elif f.kind in ("project", "department", "ref"):
            w = QComboBox()
            w.setEditable(f.kind == "project")
            if f.kind == "project":  # a code may be typed; empty means none
                w.addItem("", None)
                w.lineEdit().setPlaceholderText(tr("项目编号") if f.required else tr("（不选）"))
            else:
                w.addItem(tr("（不选）") if not f.required else "", None)
            w.currentIndexChanged.connect(self._validate)
            w.editTextChanged.connect(self._validate)
        else:  # text, int
            w = QLineEdit()
            if f.help:
                w.setPlaceholderText(f.help)
            w.textChanged.connect(self._validate)
        return w

    def _load_choices(self) -> None:
        """Projects, departments and referenced records, read on the worker."""
        wanted = [f for f in self.verb.fields if f.kind in ("project", "department", "ref")]
        if not wanted or self.ctx.db is None:
            return

        def load(uow: Any) -> dict[str, list[tuple[Any, str]]]:
            out: dict[str, list[tuple[Any, str]]] = {}
            for f in wanted:
                if f.kind == "project":
                    out[f.name] = [(p.code, f"{p.code}　{p.name}") for p in list_projects(uow)]
                elif f.kind == "department":
                    out[f.name] = [(d.name, d.name) for d in list_departments(uow) if d.active]
                else:
                    out[f.name] = ref_choices(uow, f.ref)
            return out

        def show(choices: dict[str, list[tuple[Any, str]]]) -> None:
            for name, items in choices.items():
                box = self.inputs[name]
                for key, text in items:
                    box.addItem(text, key)
            self._validate()
            self.choices_loaded = True

        self.choices_loaded = False
        self.ctx.read(load, show)

    # ---------------------------------------------------------------- values
    def raw_values(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for f in self.verb.fields:
            w = self.inputs[f.name]
            value: Any
            if isinstance(w, MoneyEdit):
                value = w.fen()
            elif isinstance(w, QPlainTextEdit):
                value = w.toPlainText().strip() or None
            elif isinstance(w, QDateEdit):
                value = None if w.date() == EMPTY_DATE and not f.required else to_date(w.date())
            elif isinstance(w, QSpinBox):
                value = w.value()
            elif isinstance(w, QComboBox):
                value = w.currentData()
                typed = w.currentText().strip()
                if f.kind == "project" and typed and (value is None or w.itemText(w.currentIndex()) != typed):
                    value = typed.split()[0]  # a code typed by hand
            else:
                value = w.text().strip() or None
            if value is not None:
                raw[f.name] = value
        return raw

    def problems(self) -> list[str]:
        raw = self.raw_values()
        out = []
        for f in self.verb.fields:
            problem = getattr(self.inputs[f.name], "problem", None)
            if callable(problem) and problem():
                out.append(f"{f.label}：{problem()}")
            elif f.required and f.name not in raw:
                out.append(tr("请填写{0}").format(f.label))
        return out

    def _validate(self) -> None:
        problems = self.problems()
        self.ok.setEnabled(not problems)
        self.ok.setToolTip("\n".join(problems))

    def set_value(self, name: str, value: Any) -> None:
        """Fill a field (the window's tests; a dialog opened with known values)."""
        w = self.inputs[name]
        if isinstance(w, MoneyEdit):
            w.edit.setText(str(value))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value))
        elif isinstance(w, QDateEdit):
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            w.setDate(QDate(day.year, day.month, day.day))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        elif isinstance(w, QComboBox):
            i = w.findData(value)
            if i < 0 and w.isEditable():
                w.setEditText(str(value))
            else:
                w.setCurrentIndex(i)
        else:
            w.setText(str(value))
        self._validate()

    # ---------------------------------------------------------------- submit
    def submit(self) -> None:
        raw = self.raw_values()
        if self.verb.on_record:
            raw["id"] = self.record_id
        db, actor, key, verb = self.ctx.db, self.ctx.actor, self.kind.key, self.verb.key
        self.ok.setEnabled(False)

        def work(_task: Any) -> Any:
            with db.uow(actor) as uow:
                result = run_verb(uow, key, verb, raw)
                uow.commit()
                return result

        def failed(exc: BaseException) -> bool:
            self.ok.setEnabled(True)
            if isinstance(exc, GovDataError):
                self.message.setText(str(exc))
                return True
            return False

        def done(result: Any) -> None:
            self.result_value = result
            self.done_with.emit(result)
            self.ctx.data_changed.emit(getattr(result, "code", None) or "")
            self.accept()

        self.ctx.tasks.run(work, done, on_error=failed, parent=self)

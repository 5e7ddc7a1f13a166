"""Small input widgets that validate as you type: amounts (with the capital form), credit codes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDate, QSize, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain import creditcode
from app.domain.money import fen_to_wan, fen_to_yuan_str, parse_amount, to_capital
from app.errors import GovDataError


def tr(text: str) -> str:
    return QCoreApplication.translate("Widgets", text)


def to_date(day: QDate) -> dt.date:
    """A date edit's day as a Python date (QDate.toPython is typed as returning object)."""
    return dt.date(day.year(), day.month(), day.day())


def mark_invalid(edit: QLineEdit, invalid: bool) -> None:
    edit.setProperty("invalid", invalid)
    edit.style().unpolish(edit)
    edit.style().polish(edit)


class MoneyEdit(QWidget):
    """An amount in 元 (or 万元): shows the capital form below, or what is wrong, as you type."""

    changed = Signal()

    def __init__(self, unit: str = "元", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit = unit
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(tr("单位：{0}，如 1,234,567.89").format(unit))
        self.note = QLabel()
        self.note.setObjectName("capital")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.edit)
        layout.addWidget(self.note)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._check)

    def _check(self) -> None:
        text = self.edit.text().strip()
        problem = self.problem()
        if not text:
            self.note.setText("")
        elif problem:
            self.note.setObjectName("error")
            self.note.setText(problem)
        else:
            self.note.setObjectName("capital")
            self.note.setText(to_capital(self.fen() or 0))
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)
        mark_invalid(self.edit, bool(text and problem))
        self.changed.emit()

    def problem(self) -> str | None:
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            if parse_amount(text, self.unit) < 0:
                return tr("金额不能为负数")
        except GovDataError as exc:
            return str(exc)
        return None

    def fen(self) -> int | None:
        text = self.edit.text().strip()
        if not text or self.problem():
            return None
        return parse_amount(text, self.unit)

    def set_fen(self, fen: int | None) -> None:
        if fen is None:
            self.edit.clear()
        elif self.unit == "万元":

            self.edit.setText(str(fen_to_wan(fen, 6).normalize()))
        else:

            self.edit.setText(fen_to_yuan_str(fen))

    def text(self) -> str:
        return self.edit.text().strip()


class CreditCodeEdit(QWidget):
    """统一社会信用代码 with its check digit verified as you type."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setMaxLength(24)
        self.edit.setPlaceholderText(tr("18位统一社会信用代码"))
        self.note = QLabel()
        self.note.setObjectName("error")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.edit)
        layout.addWidget(self.note)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._check)

    def problem(self) -> str | None:
        text = self.edit.text().strip()
        return creditcode.problem(text) if text else None

    def _check(self) -> None:
        problem = self.problem()
        self.note.setText(problem or "")
        mark_invalid(self.edit, bool(problem))
        self.changed.emit()

    def text(self) -> str:
        return creditcode.normalize(self.edit.text().strip())


def fit_dialog(dialog: QWidget, width: int, height: int = 0) -> None:
    """Size a dialog to what its contents need (never squeezed below it), at least width × height, at most
    nine tenths of the screen it opens on (1366×768, or 1536×864 at Windows' 125 %)."""
    dialog.ensurePolished()
    layout = dialog.layout()
    if layout is not None:
        layout.activate()
    need = dialog.sizeHint().expandedTo(QSize(width, height))
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry().size() * 0.9
        need = need.boundedTo(room)
    dialog.resize(need)

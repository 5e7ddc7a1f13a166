"""系统设置: the county's and bureaus' names, document-number patterns with a live example, where the database is,
and the evaluation indicators (第二十三条) whose weights must add up to 100 before they can be saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url

from app.domain.vocabulary import ROLE_LABELS
from app.errors import InputError
from app.services.master import get_settings, set_setting
from app.services.numbering import format_number
from app.services.permissions import can
from app.services.plans import list_indicators, set_indicators
from app.ui.context import UiContext
from app.ui.widgets import mark_invalid

NAMES = (("county", "县（市、区）名称"), ("government", "人民政府名称"), ("bureau", "主管部门全称"),
         ("bureau_short", "主管部门简称"), ("finance_bureau", "财政部门名称"), ("doc_prefix", "发文字号前缀"))
PATTERNS = (("pattern.approval", "立项批复文号"), ("pattern.review", "技术审核意见文号"),
            ("pattern.publicity", "公示文号"), ("pattern.rectification", "整改通知文号"),
            ("pattern.project", "项目编号"), ("pattern.form", "表单编号"))


def tr(text: str) -> str:
    return QCoreApplication.translate("SettingsPage", text)


def pattern_example(pattern: str, prefix: str, year: int, seq: int = 12) -> tuple[str, bool]:
    """(example, ok): the number the pattern gives, or what is wrong with it."""

    if "{seq" not in pattern:
        return tr("格式中须含 {seq}（序号）"), False
    try:
        return format_number(pattern, prefix, year, seq), True
    except InputError as exc:
        return exc.message, False


def weight_total(rows: list[tuple[str, str, str, str]]) -> Decimal | None:
    try:
        return sum((Decimal(w or "0") for *_, w in rows), Decimal(0))
    except InvalidOperation:
        return None


def safe_url(url: str) -> str:
    """The connection address without the shared database's password (typed at start, never shown)."""
    if url.startswith("sqlite"):
        return url  # a file: no password (and Chinese folder names stay readable)

    return make_url(url).render_as_string(hide_password=True)


class SettingsPage(QWidget):
    loaded = Signal()
    saved = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.values: dict[str, str] = {}
        self._dirty = True
        heading = QLabel(tr("系统设置"))
        heading.setObjectName("pageTitle")
        self.save_button = QPushButton(tr("保存设置"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.save_button)
        self.read_only_note = QLabel()  # who may save: said before anyone types
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.hide()

        self.edits: dict[str, QLineEdit] = {}
        self.examples: dict[str, QLabel] = {}
        names = QGroupBox(tr("单位名称（打印在表单和通知上）"))
        form = QFormLayout(names)
        for key, label in NAMES:
            edit = QLineEdit()
            edit.setObjectName(key)
            self.edits[key] = edit
            form.addRow(tr(label), edit)
        patterns = QGroupBox(tr("编号格式"))
        grid = QGridLayout(patterns)
        legend = QLabel(tr("{prefix} 前缀　{year} 年度　{seq} 序号（{seq:04d} 补足4位）　右栏为示例"))
        legend.setObjectName("hint")
        legend.setWordWrap(True)
        legend.setProperty("verbatim", True)  # the placeholders are typed as shown
        grid.addWidget(legend, 0, 0, 1, 3)
        for row, (key, label) in enumerate(PATTERNS, start=1):
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setProperty("verbatim", True)
            example = QLabel()
            example.setObjectName("capital")
            self.edits[key] = edit
            self.examples[key] = example
            grid.addWidget(QLabel(tr(label)), row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(example, row, 2)
            edit.textChanged.connect(self.update_examples)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        self.edits["doc_prefix"].textChanged.connect(self.update_examples)

        where = QGroupBox(tr("数据库位置"))
        self.db_label = QLineEdit()  # one line each, read-only and scrollable: a long path is never cut off
        self.db_label.setObjectName("dbLocation")
        self.db_url = QLineEdit()
        self.db_url.setObjectName("dbUrl")
        for edit in (self.db_label, self.db_url):
            edit.setReadOnly(True)
            edit.setProperty("verbatim", True)  # a path or address, shown as it is (scrolls when long)
            edit.setProperty("scrolls", True)
        where_form = QFormLayout(where)
        where_form.addRow(tr("数据库"), self.db_label)
        where_form.addRow(tr("连接地址"), self.db_url)
        where_hint = QLabel(tr("更换数据库：启动时用 --db 指定，或在首次运行向导中选择"))
        where_hint.setObjectName("hint")
        where_hint.setWordWrap(True)
        where_form.addRow(where_hint)

        indicators = QGroupBox(tr("绩效评价指标（第二十三条，财预〔2020〕10号）"))
        self.indicators = QTableWidget(0, 4)
        self.indicators.setObjectName("indicatorTable")
        self.indicators.setHorizontalHeaderLabels([tr("一级指标"), tr("二级指标"), tr("三级指标"), tr("权重")])
        self.indicators.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.indicators.verticalHeader().setDefaultSectionSize(24)
        self.indicators.setMinimumHeight(100)
        self.indicators.itemChanged.connect(self._indicator_edited)
        self.weight_label = QLabel()
        self.weight_label.setObjectName("weightTotal")
        self.add_indicator = QPushButton(tr("增加指标"))
        self.add_indicator.setObjectName("addIndicator")
        self.add_indicator.clicked.connect(self._add_indicator)
        self.remove_indicator = QPushButton(tr("删除所选指标"))
        self.remove_indicator.setObjectName("removeIndicator")
        self.remove_indicator.clicked.connect(self._remove_indicator)
        bar = QHBoxLayout()
        bar.addWidget(self.weight_label, 1)
        bar.addWidget(self.add_indicator)
        bar.addWidget(self.remove_indicator)
        ind_layout = QVBoxLayout(indicators)
        ind_layout.addWidget(self.indicators, 1)
        ind_layout.addLayout(bar)

        self.message = QLabel()
        self.message.setObjectName("hint")
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 4, 0)
        left = QVBoxLayout()
        left.addWidget(names)
        left.addWidget(where)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(patterns)
        right.addWidget(indicators, 1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.read_only_note)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        ctx.database_opened.connect(self.mark_dirty)

    def may_edit(self) -> bool:
        return self.ctx.actor is not None and can(self.ctx.actor, "settings.edit")

    def apply_permission(self) -> None:
        """Someone who may not save sees the settings read-only, and is told so above them."""
        editable = self.may_edit()
        for edit in self.edits.values():
            edit.setReadOnly(not editable)
        self.indicators.setEditTriggers(QTableWidget.EditTrigger.AllEditTriggers if editable
                                        else QTableWidget.EditTrigger.NoEditTriggers)
        self.add_indicator.setVisible(editable)
        self.remove_indicator.setVisible(editable)
        self.save_button.setVisible(editable)
        role = "、".join(ROLE_LABELS.get(r, r) for r in self.ctx.actor.all_roles) if self.ctx.actor else ""
        self.read_only_note.setText("" if editable else tr(
            "只读：系统设置由系统管理员修改（当前角色：{0}）。").format(role))
        self.read_only_note.setVisible(not editable)

    # ---------------------------------------------------------------- load
    def mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.reload()

    def clear(self) -> None:
        self._dirty = True
        self.values = {}
        for edit in self.edits.values():
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self.db_label.clear()
        self.db_url.clear()
        self.indicators.blockSignals(True)
        self.indicators.setRowCount(0)
        self.indicators.blockSignals(False)
        self.message.setText("")
        self.read_only_note.hide()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def reload(self) -> None:
        if self.ctx.db is None:
            return
        self._dirty = False

        self.ctx.read(lambda uow: (get_settings(uow), list_indicators(uow)), self.show_settings)

    def show_settings(self, result: tuple[dict[str, str], list[Any]]) -> None:
        self.values, indicators = result
        self.apply_permission()
        for key, edit in self.edits.items():
            edit.setText(self.values.get(key, ""))
        db = self.ctx.db
        self.db_label.setText(db.display_name if db is not None else "")
        self.db_url.setText(safe_url(db.url) if db is not None else "")
        for edit in (self.db_label, self.db_url):
            edit.setCursorPosition(0)
        self.indicators.blockSignals(True)
        self.indicators.setRowCount(0)
        for ind in indicators:
            row = self.indicators.rowCount()
            self.indicators.insertRow(row)
            for col, value in enumerate((ind.level1, ind.level2, ind.name, f"{ind.weight.normalize():f}")):
                self.indicators.setItem(row, col, QTableWidgetItem(value))
        self.indicators.blockSignals(False)
        self._loaded_indicators = self.indicator_rows()
        self.update_examples()
        self.update_weights()
        self.loaded.emit()

    # ---------------------------------------------------------------- live checks
    def update_examples(self) -> None:
        prefix, year = self.edits["doc_prefix"].text().strip(), dt.date.today().year
        for key, _label in PATTERNS:
            text, ok = pattern_example(self.edits[key].text().strip(), prefix, year)
            self.examples[key].setText(text)
            self.examples[key].setObjectName("capital" if ok else "error")
            self.examples[key].style().unpolish(self.examples[key])
            self.examples[key].style().polish(self.examples[key])
            mark_invalid(self.edits[key], not ok)
        self._update_save()

    def indicator_rows(self) -> list[tuple[str, str, str, str]]:
        rows = []
        for r in range(self.indicators.rowCount()):
            cells = [self.indicators.item(r, c) for c in range(4)]
            values = tuple(c.text().strip() if c else "" for c in cells)
            if any(values):
                rows.append(values)
        return rows  # type: ignore[return-value]

    def update_weights(self) -> None:
        total = weight_total(self.indicator_rows())
        ok = total == 100
        self.weight_label.setText(tr("权重合计 {0}").format(f"{total.normalize():f}" if total is not None else "—")
                                  + ("" if ok else tr("（应为100）")))
        self.weight_label.setObjectName("capital" if ok else "error")
        self.weight_label.style().unpolish(self.weight_label)
        self.weight_label.style().polish(self.weight_label)
        self._update_save()

    def problems(self) -> list[str]:
        out = [tr("{0}格式有误").format(tr(label)) for key, label in PATTERNS
               if not pattern_example(self.edits[key].text().strip(), "X", 2027)[1]]
        rows = self.indicator_rows()
        if weight_total(rows) != 100:
            out.append(tr("评价指标权重合计应为100（第二十三条）"))
        if any(not all(r) for r in rows):
            out.append(tr("评价指标的各栏都应填写"))
        return out

    def _update_save(self) -> None:
        problems = self.problems()
        self.save_button.setEnabled(not problems)
        self.save_button.setToolTip("；".join(problems))

    def _indicator_edited(self, _item: QTableWidgetItem) -> None:
        self.update_weights()

    def _add_indicator(self) -> None:
        self.indicators.insertRow(self.indicators.rowCount())

    def _remove_indicator(self) -> None:
        for r in sorted({i.row() for i in self.indicators.selectedIndexes()}, reverse=True):
            self.indicators.removeRow(r)
        self.update_weights()

    # ---------------------------------------------------------------- save
    def save(self) -> None:
        if self.problems() or not self.may_edit():
            return

        changed = {k: e.text().strip() for k, e in self.edits.items() if e.text().strip() != self.values.get(k, "")}
        rows = self.indicator_rows()
        indicators = None if rows == self._loaded_indicators else [(a, b, c, Decimal(w)) for a, b, c, w in rows]

        def work(uow: Any) -> int:
            for key, value in changed.items():
                set_setting(uow, key, value)
            if indicators is not None:
                set_indicators(uow, indicators)
            return len(changed) + (indicators is not None)

        def done(n: int) -> None:
            self.message.setText(tr("已保存 {0} 项修改").format(n) if n else tr("没有修改"))
            self.reload()
            self.saved.emit()

        db, actor = self.ctx.db, self.ctx.actor

        def commit(_task: Any) -> int:  # no data_changed: project screens show nothing of this
            with db.uow(actor) as uow:
                n = work(uow)
                uow.commit()
                return n

        self.ctx.tasks.run(commit, done, parent=self)

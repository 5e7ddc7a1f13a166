"""导入Excel: pick a file (or drop it on the window) → the sheet, year, header rows, unit and column mapping the
Excel engine found, editable, over a preview of the sheet, with the reading spelled out (each column's field and
unit, the rows skipped and why, the unrecognised columns, the totals) → every error in a table that jumps to its
cell → confirm → progress with cancel (nothing is written when cancelled) → what was created, updated, unchanged.

Everything goes through the import service (app.services.imports): the file is read once (`read_workbook`, on the
worker), and each change of sheet, year, unit or mapping interprets that reading again as a dry run (`run_import`
with dry_run); the confirmed import uses the same reading. A refused import is recorded here, at the window's
boundary (`record_refusal`). Mappings the user corrected are remembered in the UI settings under
"import_mapping/<shape>", the shape being a digest of the sheet's header labels, and applied to the next sheet of
the same shape; a hand mapping survives 上一步 (going back to the file and reading the same file again).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.fields import LABELS
from app.domain.money import format_wan
from app.excel.sniff import col_letter
from app.excel.summary import FIELD_LABELS
from app.services.audit import record_refusal
from app.services.imports import ImportReport, read_workbook, refusal, run_import
from app.ui.context import UiContext
from app.ui.listpage import make_table
from app.ui.tablemodel import Column, RecordTableModel
from app.ui.tasks import Cancelled

MAPPED_FIELDS = ("name", "department", "year", "category", "nature", "total", "county", "upper", "other",
                 "year_request", "period", "content", "person", "phone", "cobuilt", "city_share", "county_share", "note")
FIELD_NAMES = {f: FIELD_LABELS[f] for f in MAPPED_FIELDS}
ATTR_NAMES = LABELS
HEADER_BG = QColor("#e3ecf7")
ERROR_BG = QColor("#fde2df")


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


# ---------------------------------------------------------------- worker side (no Qt)


@dataclass(frozen=True)
class Inspection:
    path: str
    sheet: str | None  # None: the workbook has several sheets that could be meant (the wizard asks)
    sheets: tuple[str, ...]
    header_rows: tuple[int, ...]  # Excel row numbers
    labels: tuple[str, ...]  # header text per column (index 0 = A)
    mapping: dict  # field → column letter, as the engine (with the user's corrections) found it
    units: dict  # field → 元 / 千元 / 万元 for amount columns
    rows: tuple[tuple, ...]  # the sheet's first rows, as text
    report: ImportReport  # the dry run
    shape: str
    remembered: bool  # a remembered mapping was applied
    book: Any  # the workbook as read once (app.services.imports.read_workbook)
    year: int | None


def shape_of(labels: list[str] | tuple[str, ...]) -> str:
    return hashlib.sha1("|".join(labels).encode()).hexdigest()[:16]


def inspect_file(db: Any, actor: Any, path: str, sheet: str | None, override: dict | None, unit: str | None,
                 add_departments: bool, remembered: dict | None = None, cancelled: Any = None,
                 year: int | None = None, book: Any = None) -> Inspection:
    """Read the workbook (once: `book` is the earlier reading of the same file) and check the import as a dry run
    through the import service (nothing is written)."""
    book = book if book is not None else read_workbook(path)
    report = run_import(db, actor, book, sheet=sheet, dry_run=True, add_departments=add_departments,
                        cancelled=cancelled, year=year, mapping=override or None, unit=unit)
    shape = shape_of(report.labels)
    used_memory = False
    if override is None and remembered and shape in remembered:
        saved = remembered[shape]
        override, unit, used_memory = dict(saved.get("mapping") or {}), unit or saved.get("unit"), True
        report = run_import(db, actor, book, sheet=sheet or report.sheet, dry_run=True,
                            add_departments=add_departments, cancelled=cancelled, year=year, mapping=override,
                            unit=unit)
    mapping = {c.field: c.letter for c in report.columns}
    if override:
        mapping = {f: v for f, v in mapping.items() if f not in override} | {f: v for f, v in override.items() if v}
    units = {c.field: c.unit for c in report.columns if c.unit}
    rows = tuple(tuple(_shown(v) for v in r) for r in report.preview)
    return Inspection(path, report.sheet, tuple(report.sheets), tuple(report.header_rows), tuple(report.labels),
                      mapping, units, rows, report, shape, used_memory, book, report.year)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def run_confirmed(db: Any, actor: Any, book: Any, sheet: str | None, override: dict | None, unit: str | None,
                  add_departments: bool, progress: Any, cancelled: Any, year: int | None = None) -> Any:
    """The real import through the import service (all or nothing) on the reading the wizard holds; a refusal is
    recorded here, the window's boundary, like the command line's."""
    report = run_import(db, actor, book, sheet=sheet, add_departments=add_departments, progress=progress,
                        cancelled=cancelled, year=year, mapping=override or None, unit=unit)
    if cancelled():
        raise Cancelled
    if not report.ok:
        record_refusal(db, actor, refusal(report))
    return report


READING_TOTALS = ("total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen")


def describe_reading(report: ImportReport) -> str:
    """The reading in words, as the command line's dry run prints it: each column's field and unit (and where the
    unit was read), every column left unread (those holding numbers first), how many project rows, the skipped rows
    and why, and the totals of the rows read."""
    parts = []
    cols = "；".join(f"{c.letter}“{c.header}”→{c.label}" + (f"（{c.unit}，{c.unit_source}）" if c.unit else "")
                    for c in report.columns if c.field != "seq")
    if cols:
        parts.append(tr("各列读法：") + cols)
    numeric = [u for u in report.unrecognised if u.numeric]
    if numeric:
        parts.append(tr("未识别的列（含数字，未导入）：") + "、".join(f"{u.letter}“{u.header}”" for u in numeric))
    unused = [u for u in report.unrecognised if not u.numeric and u.header]
    if unused:
        parts.append(tr("未导入的列：") + "、".join(f"{u.letter}“{u.header}”" for u in unused))
    rows = tr("读取项目 {0} 行").format(report.rows_read)
    if report.skipped:
        by: dict[str, list[int]] = {}
        for sk in report.skipped:
            by.setdefault(sk.reason, []).append(sk.row)
        rows += tr("；跳过：") + "；".join(f"{why} 第 {'、'.join(map(str, nums))} 行" for why, nums in by.items())
    parts.append(rows)
    if report.rows_read and report.totals_fen:
        parts.append(tr("合计：") + "，".join(f"{FIELD_LABELS.get(k.removesuffix('_fen'), k)} "
                                             f"{format_wan(report.totals_fen.get(k, 0))} 万元"
                                             for k in READING_TOTALS))
    return "\n".join(parts)


# ---------------------------------------------------------------- the dialog


MAP_COLUMNS = 4  # field choices per row: four fit a 1366-pixel screen with the headers' text


def _short(label: str, chars: int = 10) -> str:
    """A header as a field's choice shows it: the lowest header row's text (资金来源/县级财政资金 → 县级财政资金), at most
    `chars` characters (the whole text is the choice's tooltip)."""
    leaf = label.split("/")[-1].replace("\n", "")
    return leaf if len(leaf) <= chars else leaf[: chars - 1] + "…"


def _narrow(combo: QComboBox, chars: int) -> None:
    """A combo box as wide as `chars` characters whatever its items (the list opens wider)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    combo.setMinimumWidth(combo.fontMetrics().horizontalAdvance("汉" * chars) + 40)  # a CJK text, and the arrow
    combo.view().setMinimumWidth(combo.fontMetrics().horizontalAdvance("汉") * 24)


def error_columns() -> list[Column]:
    return [Column("row", tr("行"), width=50), Column("column", tr("列"), width=140),
            Column("message", tr("错误"), width=560)]


@dataclass(frozen=True)
class ErrorRow:
    id: int
    row: int | None
    column: str | None
    message: str


class ImportWizard(QDialog):
    inspected = Signal()  # after each reading of the file (tests wait on it)
    finished_import = Signal(object)  # the ImportReport after a confirmed import

    PICK, MAP, RUN, DONE = range(4)

    def __init__(self, ctx: UiContext, path: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("importWizard")
        self.setWindowTitle(tr("导入Excel项目汇总表"))
        self.setStyleSheet("QPushButton#primary:disabled { background: #eef0f3; color: #a0a8b2; border-color: #d5dae0; }")
        self.inspection: Inspection | None = None
        self.override: dict | None = None  # the user's corrections (field → letter), None: as detected
        self.task: Any = None
        self.report: Any = None

        self.pages = QStackedWidget()
        self.pages.addWidget(self._pick_page())
        self.pages.addWidget(self._map_page())
        self.pages.addWidget(self._run_page())
        self.pages.addWidget(self._done_page())
        self.back_button = QPushButton(tr("上一步"))
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(self.PICK))
        self.next_button = QPushButton(tr("开始导入"))
        self.next_button.setObjectName("primary")
        self.next_button.clicked.connect(self.start_import)
        self.close_button = QPushButton(tr("关闭"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.pages.currentChanged.connect(self._update_buttons)
        self._update_buttons()
        self.resize(1240, 700)
        if path:
            self.path_edit.setText(path)
            self.inspect()

    # ---------------------------------------------------------------- pages
    def _pick_page(self) -> QWidget:
        page = QWidget()
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("pathEdit")
        self.path_edit.setPlaceholderText(tr("选择或拖入各单位报来的项目汇总表（.xlsx .xls .et .ods）"))
        browse = QPushButton(tr("选择文件…"))
        browse.clicked.connect(self.browse)
        self.read_button = QPushButton(tr("读取"))
        self.read_button.setObjectName("readButton")
        self.read_button.clicked.connect(lambda: self.inspect())
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        row.addWidget(self.read_button)
        hint = QLabel(tr("程序会自动找出表头、各列对应的项目信息和金额单位，读取后可以修改。导入前检查全部数据，"
                         "有一处错误即不写入任何数据。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(tr("第一步：选择文件")))
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addStretch(1)
        return page

    def _map_page(self) -> QWidget:
        page = QWidget()
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("sheetCombo")
        _narrow(self.sheet_combo, 14)  # a long sheet name must not widen the dialog past a 1366-pixel screen
        self.sheet_combo.activated.connect(lambda _i: self.inspect(sheet=self.sheet_combo.currentText(), reset=True))
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unitCombo")
        for label, value in ((tr("按表中注明"), None), (tr("万元"), "万元"), (tr("千元"), "千元"), (tr("元"), "元")):
            self.unit_combo.addItem(label, value)
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("yearSpin")
        self.year_spin.setRange(1999, 2100)
        self.year_spin.setSpecialValueText(tr("按表中"))  # 1999: the year the sheet states
        self.year_spin.setValue(1999)
        self.year_spin.editingFinished.connect(lambda: self.inspect())
        self.unit_combo.activated.connect(lambda _i: self._mapping_edited())
        self.header_label = QLabel()
        self.header_label.setObjectName("headerRows")
        self.add_departments = QCheckBox(tr("自动添加名录中没有的实施单位"))
        self.add_departments.setObjectName("addDepartments")
        self.add_departments.toggled.connect(lambda _on: self.inspect())
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("工作表")))
        top.addWidget(self.sheet_combo)
        top.addWidget(QLabel(tr("年度")))
        top.addWidget(self.year_spin)
        top.addWidget(QLabel(tr("金额单位")))
        top.addWidget(self.unit_combo)
        top.addWidget(self.header_label)
        top.addStretch(1)
        top.addWidget(self.add_departments)

        self.mapping_box = QWidget()
        grid = QGridLayout(self.mapping_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.field_combos: dict[str, QComboBox] = {}
        for i, fld in enumerate(MAPPED_FIELDS):
            combo = QComboBox()
            combo.setObjectName(f"map_{fld}")
            _narrow(combo, 11)  # its items are the sheet's headers, as long as a clerk wrote them (shortened)
            combo.activated.connect(lambda _i: self._mapping_edited())
            self.field_combos[fld] = combo
            grid.addWidget(QLabel(tr(FIELD_NAMES[fld])), i // MAP_COLUMNS, (i % MAP_COLUMNS) * 2)
            grid.addWidget(combo, i // MAP_COLUMNS, (i % MAP_COLUMNS) * 2 + 1)
        self.memory_label = QLabel()
        self.memory_label.setObjectName("hint")

        self.preview = QTableWidget()
        self.preview.setObjectName("preview")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.errors = RecordTableModel(error_columns(), id_attr="id", parent=self)
        self.error_table = make_table(self.errors, "errorTable")
        self.error_table.setSortingEnabled(False)
        self.error_table.doubleClicked.connect(lambda idx: self.jump_to_error(idx.row()))
        self.error_table.activated.connect(lambda idx: self.jump_to_error(idx.row()))
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.reading = QLabel()
        self.reading.setObjectName("reading")
        self.reading.setWordWrap(True)
        self.reading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        texts = QWidget()
        texts_layout = QVBoxLayout(texts)
        texts_layout.setContentsMargins(0, 0, 0, 0)
        texts_layout.addWidget(self.summary)
        texts_layout.addWidget(self.reading)
        texts_layout.addStretch(1)
        self.reading_area = QScrollArea()  # the reading of a wide sheet runs to many lines: it scrolls, never clips
        self.reading_area.setObjectName("readingArea")
        self.reading_area.setWidgetResizable(True)
        self.reading_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.reading_area.setWidget(texts)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.reading_area, 1)
        lower_layout.addWidget(self.error_table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.preview)
        split.addWidget(lower)
        split.setSizes([330, 170])
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.memory_label)
        layout.addWidget(split, 1)
        return page

    def _run_page(self) -> QWidget:
        page = QWidget()
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress_label = QLabel(tr("正在导入…"))
        self.cancel_button = QPushButton(tr("取消导入"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.cancel_import)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        self.result_label = QLabel()
        self.result_label.setObjectName("resultLabel")
        self.result_label.setWordWrap(True)
        self.result_table = make_table(RecordTableModel([
            Column("outcome", tr("结果"), width=70), Column("row", tr("行"), width=50),
            Column("code", tr("项目编号"), width=120), Column("name", tr("项目名称"), width=300),
            Column("department", tr("实施单位"), width=200), Column("changes", tr("修改内容"), width=360)],
            id_attr="row", parent=self), "resultTable")
        form = QFormLayout()
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_label)
        layout.addLayout(form)
        layout.addWidget(self.result_table, 1)
        return page

    def _update_buttons(self) -> None:
        i = self.pages.currentIndex()
        report = self.inspection.report if self.inspection else None
        self.back_button.setVisible(i == self.MAP)
        self.next_button.setVisible(i == self.MAP)
        self.next_button.setEnabled(i == self.MAP and report is not None and report.ok and bool(report.rows_read))
        self.close_button.setText(tr("完成") if i == self.DONE else tr("关闭"))
        self.close_button.setEnabled(i != self.RUN)

    # ---------------------------------------------------------------- reading
    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("选择项目汇总表"), "",
                                              tr("Excel 文件 (*.xlsx *.xlsm *.xlsb *.xls *.et *.ods)"))
        if path:
            self.path_edit.setText(path)
            self.inspect(reset=True)

    def remembered(self) -> dict:
        out = {}
        s = self.ctx.settings
        s.beginGroup("import_mapping")
        for key in s.childKeys():
            try:
                out[key] = json.loads(str(s.value(key)))
            except ValueError:
                continue
        s.endGroup()
        return out

    def year(self) -> int | None:
        return None if self.year_spin.value() == self.year_spin.minimum() else self.year_spin.value()

    def inspect(self, sheet: str | None = None, reset: bool = False) -> None:
        path = self.path_edit.text().strip()
        if not path:
            return
        same_file = self.inspection is not None and self.inspection.path == path
        if reset or not same_file:
            self.override = None
        if sheet is None and same_file and not reset and self.inspection is not None:
            sheet = self.inspection.sheet
        db, actor, override = self.ctx.db, self.ctx.actor, self.override
        unit, add, year = self.unit_combo.currentData(), self.add_departments.isChecked(), self.year()
        memory = self.remembered() if override is None else None
        book = self.inspection.book if same_file and self.inspection is not None else None

        def work(task: Any) -> Inspection:
            return inspect_file(db, actor, path, sheet, override, unit, add, memory, task.cancelled, year, book)

        self.ctx.tasks.run(work, self.show_inspection, label=tr("正在读取Excel…"), parent=self)

    def show_inspection(self, ins: Inspection) -> None:
        self.inspection = ins
        if ins.remembered and self.override is None:
            self.override = dict(ins.mapping)
        self.memory_label.setText(tr("已按上次为同样表头修改过的列对应关系读取。") if ins.remembered else "")
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(ins.sheets))
        if ins.sheet is None:  # several sheets could be meant: the user chooses
            self.sheet_combo.setCurrentIndex(-1)
            self.sheet_combo.setPlaceholderText(tr("请选择工作表"))
        else:
            self.sheet_combo.setCurrentText(ins.sheet)
        self.sheet_combo.blockSignals(False)
        self.header_label.setText(tr("表头：第 {0} 行").format("、".join(map(str, ins.header_rows)))
                                  if ins.header_rows else tr("未识别出表头"))

        choices = [("", tr("（无）"), "")] + [(col_letter(i), f"{col_letter(i)}　{_short(label)}", label)
                                            for i, label in enumerate(ins.labels)]
        for fld, combo in self.field_combos.items():
            combo.clear()
            for letter, text, full in choices:
                combo.addItem(text, letter)
                if full:
                    combo.setItemData(combo.count() - 1, f"{letter} 列：{full}", Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(0, combo.findData(ins.mapping.get(fld, ""))))
        self._fill_preview(ins)
        report = ins.report
        self.errors.set_records([ErrorRow(i, e.row, e.column, e.message) for i, e in enumerate(report.errors)])
        totals = report.totals_fen.get("total_fen", 0)
        if report.ok:
            text = tr("检查通过：共 {0} 个项目，总投资合计 {1} 万元；将新增 {2} 个、更新 {3} 个、{4} 个无变化。").format(
                report.rows_read, format_wan(totals), len(report.created), len(report.updated), len(report.unchanged))
            if report.added_departments:
                text += tr("将新增单位：{0}。").format("、".join(report.added_departments))
        else:
            text = tr("发现 {0} 处错误，改正前不能导入（双击错误可定位到单元格）。").format(len(report.errors))
        if report.warnings:
            text += "　" + "；".join(str(w) for w in report.warnings)
        self.summary.setText(text)
        self.reading.setText(describe_reading(report))
        self.summary.setStyleSheet("" if report.ok else "color: #b3261e;")
        self.pages.setCurrentIndex(self.MAP)
        self._update_buttons()
        self.inspected.emit()

    def _fill_preview(self, ins: Inspection) -> None:

        width = max([len(r) for r in ins.rows] + [len(ins.labels)] + [0])
        by_letter = {v: k for k, v in ins.mapping.items()}
        self.preview.clear()
        self.preview.setRowCount(len(ins.rows))
        self.preview.setColumnCount(width)
        self.preview.setHorizontalHeaderLabels([
            f"{col_letter(c)}\n{FIELD_NAMES.get(by_letter.get(col_letter(c), ''), '')}" for c in range(width)])
        self.preview.setVerticalHeaderLabels([str(r + 1) for r in range(len(ins.rows))])
        headers = {r - 1 for r in ins.header_rows}
        bad = {(e.row, e.column) for e in ins.report.errors}
        bad_rows = {r for r, _ in bad}
        for r, row in enumerate(ins.rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                if r in headers:
                    item.setBackground(QBrush(HEADER_BG))
                elif r + 1 in bad_rows and (r + 1, self._column_header(ins, c)) in bad:
                    item.setBackground(QBrush(ERROR_BG))
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()
        for c in range(width):
            self.preview.setColumnWidth(c, min(self.preview.columnWidth(c), 220))

    @staticmethod
    def _column_header(ins: Inspection, c: int) -> str:
        return ins.labels[c] if c < len(ins.labels) else ""

    def jump_to_error(self, row: int) -> tuple[int, int]:
        """Select the cell of an error in the preview: (preview row, column), -1 where unknown."""
        e = self.errors.record(row)
        ins = self.inspection
        r = (e.row - 1) if e.row else -1
        c = -1
        if ins is not None and e.column:
            c = next((i for i, label in enumerate(ins.labels) if label == e.column), -1)
            if c < 0:
                c = next((i for i, label in enumerate(ins.labels) if e.column in label), -1)
        if r >= 0:
            self.preview.setCurrentCell(r, max(c, 0))
            self.preview.scrollToItem(self.preview.item(r, max(c, 0)) or QTableWidgetItem())
            self.preview.setFocus()
        return r, c

    def _mapping_edited(self) -> None:
        self.override = {fld: combo.currentData() or "" for fld, combo in self.field_combos.items()}
        self.inspect()

    # ---------------------------------------------------------------- importing
    def remember_mapping(self) -> None:
        ins = self.inspection
        if ins is None or self.override is None:
            return
        s = self.ctx.settings
        s.setValue(f"import_mapping/{ins.shape}", json.dumps(
            {"mapping": {k: v for k, v in self.override.items()}, "unit": self.unit_combo.currentData()},
            ensure_ascii=False))
        s.sync()

    def start_import(self) -> None:
        ins = self.inspection
        if ins is None or not ins.report.ok:
            return
        self.remember_mapping()
        db, actor, override = self.ctx.db, self.ctx.actor, self.override
        unit, add, year = self.unit_combo.currentData(), self.add_departments.isChecked(), self.year()
        self.progress.setRange(0, 0)
        self.progress_label.setText(tr("正在导入 {0} 个项目…").format(ins.report.rows_read))
        self.cancel_button.setEnabled(True)
        self.pages.setCurrentIndex(self.RUN)
        tasks = self.ctx.tasks

        def work(task: Any) -> Any:
            def progress(done: int, total: int) -> None:
                tasks.run_on_main(lambda: self._progress(done, total))

            return run_confirmed(db, actor, ins.book, ins.sheet, override, unit, add, progress, task.cancelled,
                                 year)

        def cancelled_or_failed(exc: BaseException) -> bool:
            self.pages.setCurrentIndex(self.MAP)
            return False

        self.task = tasks.run(work, self.show_result, on_error=cancelled_or_failed, parent=self)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def cancel_import(self) -> None:
        if self.task is not None:
            self.task.cancel()
        self.cancel_button.setEnabled(False)
        self.progress_label.setText(tr("正在取消…"))
        self.ctx.tasks.task_finished.connect(self._after_cancel, Qt.ConnectionType.SingleShotConnection)

    def _after_cancel(self) -> None:
        if self.task is not None and not self.task.finished:  # another task ended first
            self.ctx.tasks.task_finished.connect(self._after_cancel, Qt.ConnectionType.SingleShotConnection)
            return
        if self.report is None:
            self.summary.setText(tr("导入已取消，未写入任何数据。"))
            self.pages.setCurrentIndex(self.MAP)

    def show_result(self, report: Any) -> None:
        self.report = report
        if not report.ok:  # changed meanwhile (another user): back to the errors
            self.errors.set_records([ErrorRow(i, e.row, e.column, e.message) for i, e in enumerate(report.errors)])
            self.summary.setText(tr("导入被拒绝：{0} 处错误，未写入任何数据。").format(len(report.errors)))
            self.pages.setCurrentIndex(self.MAP)
            return
        rows = []
        for label, items in ((tr("新增"), report.created), (tr("更新"), report.updated), (tr("无变化"), report.unchanged)):
            for o in items:
                rows.append(_ResultRow(label, o.row, o.code, o.name, o.department,
                                       "、".join(tr(ATTR_NAMES.get(k, k)) for k in o.changes) if o.changes else ""))
        result_model: Any = self.result_table.model()
        result_model.set_records(rows)
        self.result_label.setText(tr("导入完成：新增 {0} 个，更新 {1} 个，无变化 {2} 个。").format(
            len(report.created), len(report.updated), len(report.unchanged)))
        self.pages.setCurrentIndex(self.DONE)
        self._update_buttons()
        self.ctx.data_changed.emit("")
        self.finished_import.emit(report)


@dataclass(frozen=True)
class _ResultRow:
    outcome: str
    row: int
    code: str | None
    name: str
    department: str
    changes: str


# ---------------------------------------------------------------- the window: Ctrl+I and drops


def open_wizard(window: Any, path: str | None = None) -> ImportWizard | None:
    if window.ctx.db is None:
        return None
    wizard = ImportWizard(window.ctx, path, window)
    window.import_wizard = wizard
    wizard.open()
    return wizard

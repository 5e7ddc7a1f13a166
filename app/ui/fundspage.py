"""资金对照 (第十六条): per project and year, by kind and source — budget, paid, balance, execution rate — with
subtotals, for one year or all, one project or all; exported to Excel. Over-paid or unbudgeted lines are red."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFileDialog, QLineEdit, QSpinBox, QWidget

from app.domain.money import format_yuan
from app.services.funds import compare, export_comparison
from app.ui.context import UiContext
from app.ui.listpage import FlaggedTableModel, ProjectListPage, make_table
from app.ui.printing import show_printed
from app.ui.tablemodel import CENTER, Column, Index, money_column

ALL_YEARS = 1999  # the year box's minimum shows 全部年度


def tr(text: str) -> str:
    return QCoreApplication.translate("FundsPage", text)


class FundTableModel(FlaggedTableModel):
    """Subtotal lines in bold."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() and index.row() < self.rowCount() \
                and self.record(index.row()).subtotal:
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


class FundsPage(ProjectListPage):
    exported = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("资金对照"), tr("项目实施单位应定期开展对照分析，评估项目资金使用情况（第十六条）：按项目和年度，"
                                              "分资金类型和来源对照预算与已拨付资金。未注明来源的预算或拨付列为“未区分来源”。"), parent)
        self.year = QSpinBox()
        self.year.setObjectName("yearBox")
        self.year.setRange(ALL_YEARS, 2100)
        self.year.setSpecialValueText(tr("全部年度"))
        self.year.setValue(ALL_YEARS)
        self.year.setSuffix(tr(" 年度"))
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.toolbar.insertWidget(2, self.year)
        self.project = QLineEdit()
        self.project.setObjectName("projectFilter")
        self.project.setPlaceholderText(tr("项目编号（不填为全部）"))
        self.project.setMinimumWidth(self.project.fontMetrics().horizontalAdvance(self.project.placeholderText()) + 24)
        self.project.editingFinished.connect(self.reload)
        self.toolbar.insertWidget(3, self.project)
        self.add_button(tr("导出Excel"), lambda: self.export(), "exportButton")
        self.add_button(tr("打印"), self.print_comparison, "printButton")
        self.comparison: Any = None
        self.model = FundTableModel([
            Column("code", tr("项目编号"), width=110), Column("name", tr("项目名称"), width=220),
            Column("department", tr("实施单位"), width=150), Column("year", tr("年度"), align=CENTER, width=50),
            Column("kind_label", tr("资金类型"), width=70), Column("source_label", tr("资金来源"), width=100),
            money_column("budget_fen", tr("预算（元）"), "元", 110), money_column("paid_fen", tr("已拨付（元）"), "元", 110),
            money_column("balance_fen", tr("结余（元）"), "元", 110), Column("rate", tr("执行率"), align=CENTER, width=70),
            Column("note", tr("说明"), width=140)], "code", lambda r: bool(r.note), self)
        table = make_table(self.model, "fundsTable")
        table.doubleClicked.connect(lambda idx: self._activate(self.model, idx))
        self.layout_.addWidget(table, 1)
        self.models.append(self.model)
        self.tables.append(table)
        self.finish()

    def filters(self) -> tuple[int | None, str | None]:
        year = self.year.value()
        return (None if year == ALL_YEARS else year), (self.project.text().strip() or None)

    def query(self, uow: Any) -> Any:
        year, project = self.filters()
        return compare(uow, year, project)

    def show_result(self, result: Any) -> None:
        self.comparison = result
        self.model.set_records(list(result.rows))
        self._filter(self.search.text())

    def update_status(self) -> None:
        c = self.comparison
        if c is None:
            self.status.setText("")
            return
        self.status.setText(tr("预算合计 {0} 元，已拨付 {1} 元，结余 {2} 元，执行率 {3}").format(
            format_yuan(c.budget_fen), format_yuan(c.paid_fen), format_yuan(c.budget_fen - c.paid_fen), c.rate))

    def export(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("导出资金使用对照分析"), tr("资金使用对照分析.xlsx"),
                                                  "Excel (*.xlsx)")
            if not path:
                return
        year, project = self.filters()

        def done(n: int) -> None:
            self.status.setText(tr("已导出 {0} 行到 {1}").format(n, path))
            self.exported.emit(n)

        self.quiet_write(lambda uow: export_comparison(uow, path, year, project), done, tr("正在导出…"), reload=False)

    def print_comparison(self) -> None:
        """资金使用对照分析表 (PDF) for the year and project shown, in the print preview."""
        year, project = self.filters()
        show_printed(self.ctx, "fund-comparison", self, tr("资金使用对照分析表") + (f"-{year}" if year else "")
                     + (f"-{project}" if project else ""), project_code=project, year=year)

    print_forms = print_comparison  # Ctrl+P

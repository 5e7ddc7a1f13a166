"""工作台: what needs action now, counts by state, money by year and category (QtCharts). Clicking opens it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import CATEGORIES, STATUS_LABELS
from app.money import FEN_PER_WAN
from app.ui.context import UiContext


def tr(text: str) -> str:
    return QCoreApplication.translate("DashboardPage", text)


WAITING = {  # state → what the bureau has to do (the waiting lists on the dashboard)
    "submitted": "等待技术审核",
    "in_review": "技术审核中",
    "reviewed": "等待审批立项",
    "approved": "等待列入预算",
    "budgeted": "等待公示",
    "preliminarily_accepted": "等待联合验收",
    "rectifying": "整改中",
    "funds_suspended": "资金暂停",
}
CARDS = ("submitted", "in_review", "reviewed", "under_construction", "rectifying", "in_operation")


@dataclass(frozen=True)
class DashboardData:
    counts: dict[str, int]
    projects: list[Any]


def load_dashboard(uow: Any) -> DashboardData:
    from app.services.projects import count_by_status, list_projects

    return DashboardData(count_by_status(uow), list_projects(uow))


class DashboardPage(QWidget):
    project_activated = Signal(str)
    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        title = QLabel(tr("工作台"))
        title.setObjectName("pageTitle")
        self.cards: dict[str, QLabel] = {}
        cards = QHBoxLayout()
        for key in CARDS:
            frame = QFrame()
            frame.setObjectName("card")
            box = QVBoxLayout(frame)
            number = QLabel("—")
            number.setObjectName("cardNumber")
            box.addWidget(number)
            box.addWidget(QLabel(STATUS_LABELS[key]))
            self.cards[key] = number
            cards.addWidget(frame)
        self.todo = QListWidget()
        self.todo.setObjectName("todoList")
        self.todo.itemActivated.connect(self._open)
        self.todo.itemDoubleClicked.connect(self._open)
        self.chart_area = QHBoxLayout()
        grid = QGridLayout()
        todo_box = QVBoxLayout()
        todo_box.addWidget(QLabel(tr("待办事项（双击打开）")))
        todo_box.addWidget(self.todo)
        grid.addLayout(todo_box, 0, 0)
        grid.addLayout(self.chart_area, 0, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addLayout(cards)
        layout.addLayout(grid, 1)
        self.year_chart: Any = None
        self.category_chart: Any = None
        ctx.database_opened.connect(self.reload)
        ctx.data_changed.connect(lambda _c: self.reload())

    def reload(self) -> None:
        if self.ctx.db is not None:
            self.ctx.read(load_dashboard, self.show_data)

    def _open(self, item: QListWidgetItem) -> None:
        code = item.data(Qt.ItemDataRole.UserRole)
        if code:
            self.project_activated.emit(code)

    def show_data(self, data: DashboardData) -> None:
        for key, label in self.cards.items():
            label.setText(str(data.counts.get(key, 0)))
        self.todo.clear()
        for p in sorted(data.projects, key=lambda p: (list(WAITING).index(p.status) if p.status in WAITING
                                                       else 99, p.code)):
            if p.status not in WAITING:
                continue
            item = QListWidgetItem(f"【{tr(WAITING[p.status])}】{p.code}　{p.name}（{p.department}）")
            item.setData(Qt.ItemDataRole.UserRole, p.code)
            self.todo.addItem(item)
        if not self.todo.count():
            self.todo.addItem(tr("暂无待办事项"))
        self._charts(data.projects)
        self.loaded.emit()

    def _charts(self, projects: list[Any]) -> None:
        from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis

        by_year: dict[int, int] = defaultdict(int)
        by_category: dict[str, int] = defaultdict(int)
        for p in projects:
            by_year[p.year] += p.total_fen
            by_category[p.category] += p.total_fen
        while self.chart_area.count():
            w = self.chart_area.takeAt(0).widget()
            if w is not None:
                w.deleteLater()

        def bar_chart(title: str, labels: list[str], values: list[int]) -> QChartView:
            chart = QChart()
            chart.setTitle(title)
            series = QBarSeries()
            bar = QBarSet(tr("总投资（万元）"))
            bar.append([v / FEN_PER_WAN for v in values])  # drawing only; amounts stay exact elsewhere
            series.append(bar)
            series.setLabelsVisible(True)
            series.setLabelsFormat("@value")
            chart.addSeries(series)
            axis_x = QBarCategoryAxis()
            axis_x.append(labels)
            chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
            series.attachAxis(axis_x)
            axis_y = QValueAxis()
            axis_y.setLabelFormat("%.0f")
            chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
            series.attachAxis(axis_y)
            axis_y.setRange(0, max(values or [0]) / FEN_PER_WAN * 1.15 or 1)
            chart.legend().hide()
            chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
            view = QChartView(chart)
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(220)
            return view

        years = sorted(by_year)
        self.year_chart = bar_chart(tr("各年度项目投资（万元）"), [str(y) for y in years], [by_year[y] for y in years])
        cats = [c for c in CATEGORIES if c in by_category]
        short = [c.replace("信息网络及软硬件支撑系统", "网络及软硬件").replace("数据交易和开发利用", "交易开发利用")
                 .replace("信息应用系统开发", "应用系统开发").replace("网络信息安全系统", "网络安全") for c in cats]
        self.category_chart = bar_chart(tr("各类别项目投资（万元）"), short, [by_category[c] for c in cats])
        column = QVBoxLayout()
        holder = QWidget()
        holder.setLayout(column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.year_chart)
        column.addWidget(self.category_chart)
        self.chart_area.addWidget(holder)

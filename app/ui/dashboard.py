"""工作台: what needs action now (app.services.dashboard: contract filings due within 5 working days or late,
rectification deadlines, projects waiting for review, acceptance overdue, publicity ending, change and O&M requests),
counts by state, and money by year and category in charts (QtCharts). Overdue items are red; a double-click or
Enter opens the project. Below them, the paper records' reminders (app.services.reminders: 第六、十一、二十一、二十二、
二十九条), each opening its tab of 专项记录. The auditor's dashboard says whether the audit trail is intact (red when
it is damaged, naming the first broken record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QMargins, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.domain.money import FEN_PER_WAN, format_wan
from app.domain.vocabulary import CATEGORIES, STATUS_LABELS
from app.services.audit import trail_status
from app.services.dashboard import dashboard
from app.services.permissions import can
from app.services.recordkinds import KINDS as RECORD_KINDS
from app.ui.context import UiContext
from app.ui.listpage import FlaggedTableModel, make_table
from app.ui.style import DANGER
from app.ui.tablemodel import CENTER, Column


def tr(text: str) -> str:
    return QCoreApplication.translate("DashboardPage", text)


CARDS = ("submitted", "in_review", "reviewed", "under_construction", "rectifying", "in_operation")
SHORT_CATEGORIES = {"信息网络及软硬件支撑系统": "网络支撑", "数据交易和开发利用": "数据交易",  # full names in tooltips
                    "信息应用系统开发": "应用系统", "网络信息安全系统": "网络安全"}


@dataclass(frozen=True)
class DueRow:
    """One line of the due list as a person reads it."""

    kind: str
    kind_label: str
    code: str
    project: str
    department: str
    what: str
    due: str  # 2026-11-27 or ""
    left: str  # 剩 2 个工作日 / 今天到期 / 已逾期 55 天 / ""
    overdue: bool
    order: tuple[int, str, str]


def due_row(item: Any, today: dt.date) -> DueRow:
    if item.overdue and item.due is not None:
        left = tr("已逾期 {0} 天").format((today - item.due).days)
    elif item.workdays_left == 0:
        left = tr("今天到期")
    elif item.workdays_left is not None:
        left = tr("剩 {0} 个工作日").format(item.workdays_left)
    else:
        left = ""
    due = item.due.isoformat() if item.due else ""
    # overdue first, then by deadline, then the waiting lists (no deadline)
    order = (0 if item.overdue else 1 if item.due else 2, due, item.code)
    return DueRow(item.kind, tr(item.kind_label), item.code, item.project, item.department, item.what, due, left,
                  item.overdue, order)


def due_columns() -> list[Column]:
    return [
        Column("kind_label", tr("事项"), width=100),
        Column("left", tr("剩余期限"), align=CENTER, width=105),
        Column("due", tr("期限"), align=CENTER, width=90),
        Column("code", tr("项目编号"), width=105),
        Column("project", tr("项目名称"), width=190),
        Column("department", tr("实施单位"), width=170),
        Column("what", tr("说明")),
    ]


@dataclass(frozen=True)
class RemindRow:
    """One reminder of the paper records as a person reads it."""

    id: int
    kind: str  # the record kind whose tab of 专项记录 shows it
    kind_label: str
    article: str
    code: str
    text: str
    due: str


def remind_rows(reminders: Any) -> list[RemindRow]:
    return [RemindRow(i, r.kind, RECORD_KINDS[r.kind].label if r.kind in RECORD_KINDS else "", r.article,
                      r.code or "", r.text, r.due.isoformat() if r.due else "") for i, r in enumerate(reminders)]


def remind_columns() -> list[Column]:
    return [
        Column("kind_label", tr("记录"), width=140),
        Column("article", tr("依据"), align=CENTER, width=80),
        Column("due", tr("期限"), align=CENTER, width=90),
        Column("code", tr("项目编号"), width=105),
        Column("text", tr("提醒")),
    ]


def load_dashboard(today: dt.date | None) -> Any:
    def query(uow: Any) -> Any:

        return dashboard(uow, today)

    return query


class DashboardPage(QWidget):
    project_activated = Signal(str)
    records_requested = Signal(str)  # a record kind: its tab of 专项记录
    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today: dt.date | None = None  # None: the calendar's today (tests fix it)
        self.data: Any = None
        title = QLabel(tr("工作台"))
        title.setObjectName("pageTitle")
        self.date_label = QLabel()
        self.date_label.setObjectName("hint")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.date_label)

        self.cards: dict[str, QLabel] = {}
        self.frames: list[QFrame] = []
        cards = QHBoxLayout()
        for key in CARDS:
            frame = QFrame()
            frame.setObjectName("card")
            box = QVBoxLayout(frame)
            box.setContentsMargins(10, 4, 10, 4)
            number = QLabel("—")
            number.setObjectName("cardNumber")
            box.addWidget(number)
            box.addWidget(QLabel(STATUS_LABELS[key]))
            self.cards[key] = number
            self.frames.append(frame)
            cards.addWidget(frame)

        self.due_title = QLabel(tr("待办事项"))
        self.due_title.setObjectName("sectionTitle")
        self.due_model = FlaggedTableModel(due_columns(), "code", flag=lambda r: r.overdue, parent=self)
        self.due_table = make_table(self.due_model, "dueTable")
        self.due_table.doubleClicked.connect(self._open)
        self.due_table.activated.connect(self._open)
        self.empty_label = QLabel(tr("暂无待办事项"))
        self.empty_label.setObjectName("hint")
        self.empty_label.hide()
        self.remind_title = QLabel(tr("暂无提醒"))
        self.remind_title.setObjectName("hint")
        self.remind_model = FlaggedTableModel(remind_columns(), "id", flag=lambda r: True, parent=self)
        self.remind_table = make_table(self.remind_model, "remindTable")
        self.remind_table.doubleClicked.connect(self._open_record)
        self.remind_table.activated.connect(self._open_record)
        self.trail_label = QLabel()  # the auditor's: is the audit trail intact?
        self.trail_label.setObjectName("trailStatus")
        self.trail_label.setWordWrap(True)
        self.trail_label.setMargin(6)
        self.trail_label.setStyleSheet(f"QLabel#trailStatus[damaged=\"true\"] {{ color: {DANGER}; font-weight: bold;"
                                       f" background: #fdecee; border: 1px solid {DANGER}; }}")
        self.trail_label.hide()
        # below the due list: the paper records' reminders and the charts, one tab each (the count in its title)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.setObjectName("dashboardLower")
        remind = QWidget()
        box = QVBoxLayout(remind)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.remind_title)
        box.addWidget(self.remind_table, 1)
        charts = QWidget()
        self.lower_tabs.addTab(remind, tr("提醒"))
        self.lower_tabs.addTab(charts, tr("投资统计"))

        self.chart_area = QHBoxLayout(charts)
        self.chart_area.setContentsMargins(0, 0, 0, 0)
        self.year_chart: Any = None
        self.category_chart: Any = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addWidget(self.trail_label)
        layout.addWidget(self.due_title)
        layout.addWidget(self.due_table, 3)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.lower_tabs, 2)
        self.filler = QWidget()  # takes the height when only the administrators' lines are shown
        layout.addWidget(self.filler, 1)
        self._dirty = True
        ctx.database_opened.connect(self.mark_dirty)
        ctx.data_changed.connect(lambda _c: self.mark_dirty())

    def mark_dirty(self) -> None:
        """Reload now when shown, else when next shown (the worker serves the page a person looks at first)."""
        self._dirty = True
        if self.isVisible():
            self.reload()

    def clear(self) -> None:
        """After a sign-out: no number, row or chart of the previous account stays on screen."""
        self.data = None
        self._dirty = True
        self.date_label.setText("")
        for label in self.cards.values():
            label.setText("—")
        self.due_model.set_records([])
        self.due_title.setText(tr("待办事项"))
        self.empty_label.hide()
        self.remind_model.set_records([])
        self.remind_title.setText(tr("暂无提醒"))
        self.lower_tabs.setTabText(0, tr("提醒"))
        self.trail_label.clear()
        self.trail_label.hide()
        while self.chart_area.count():
            w = self.chart_area.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.year_chart = self.category_chart = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def reload(self) -> None:
        if self.ctx.db is None or self.ctx.actor is None:
            return
        self._dirty = False

        if not can(self.ctx.actor, "project.read"):  # the three administrators see no project data
            self.due_model.set_records([])
            self.due_title.setText(tr("待办事项"))
            self.empty_label.setText(tr("当前角色不查看项目数据；请从左侧进入本角色的栏目。"))
            self.empty_label.show()
            self._project_parts(False)  # neither counts, deadlines, reminders nor money for the administrators
            if can(self.ctx.actor, "audit.view"):
                self.ctx.read(trail_status, self.show_trail)
            else:
                self.loaded.emit()
            return
        self._project_parts(True)
        self.ctx.read(load_dashboard(self.today), self.show_data)

    def _project_parts(self, shown: bool) -> None:
        for w in (*self.frames, self.due_title, self.due_table, self.lower_tabs):
            w.setVisible(shown)
        self.filler.setVisible(not shown)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.project_activated.emit(self.due_model.row_id(index.row()))

    def _open_record(self, index: QModelIndex) -> None:
        if index.isValid():
            self.records_requested.emit(self.remind_model.record(index.row()).kind)

    def show_trail(self, status: Any) -> None:
        """The auditor's first sight: the trail intact, or damaged in red with the first broken record."""
        if status.ok:
            text = tr("审计记录完整：共 {0} 条，校验正确。").format(status.checked)
        else:
            text = status.message + tr("　请到“安全管理 → 审计记录”校验并查看异常记录，并报告安全管理员。")
        self.trail_label.setText(text)
        self.trail_label.setProperty("damaged", not status.ok)
        self.trail_label.style().unpolish(self.trail_label)
        self.trail_label.style().polish(self.trail_label)
        self.trail_label.show()
        self.trail_label.updateGeometry()
        self.loaded.emit()

    def due_rows(self) -> list[DueRow]:
        return self.due_model.shown_records()

    def show_data(self, data: Any) -> None:
        self.data = data
        self.date_label.setText(tr("今天：{0}年{1}月{2}日").format(data.today.year, data.today.month, data.today.day))
        for key, label in self.cards.items():
            label.setText(str(data.by_status.get(key, 0)))
        rows = sorted((due_row(i, data.today) for i in data.items), key=lambda r: r.order)
        self.due_model.set_records(rows)
        late = sum(r.overdue for r in rows)
        self.due_title.setText(tr("待办事项 {0} 项").format(len(rows))
                               + (tr("，其中逾期 {0} 项（红色）").format(late) if late else "")
                               + tr("　双击打开项目") if rows else tr("待办事项"))
        self.empty_label.setText(tr("暂无待办事项"))
        self.empty_label.setVisible(not rows)
        reminders = remind_rows(getattr(data, "reminders", ()))
        self.remind_model.set_records(reminders)
        self.remind_title.setText(tr("专项记录要求办理的事项（红色）；双击打开专项记录中的相应记录") if reminders
                                  else tr("暂无提醒"))
        self.remind_table.setVisible(bool(reminders))
        self.lower_tabs.setTabText(0, tr("提醒 {0} 项").format(len(reminders)) if reminders else tr("提醒"))
        self.lower_tabs.setCurrentIndex(0 if reminders else 1)
        self._charts(data.money_by_year, data.money_by_category)
        self.loaded.emit()

    def _charts(self, by_year: dict[int, int], by_category: dict[str, int]) -> None:
        from PySide6.QtCharts import (  # QtCharts only when the charts are drawn
            QAbstractBarSeries,
            QBarCategoryAxis,
            QBarSeries,
            QBarSet,
            QChart,
            QChartView,
            QValueAxis,
        )


        while self.chart_area.count():
            w = self.chart_area.takeAt(0).widget()
            if w is not None:
                w.deleteLater()

        def bar_chart(title: str, labels: list[str], values: list[int]) -> QChartView:
            chart = QChart()
            chart.setTitle(title)
            series = QBarSeries()
            bar = QBarSet(tr("总投资（万元）"))
            bar.setLabelColor(QColor("#1d2b3a"))  # labels sit above the bars, on white
            bar.append([v / FEN_PER_WAN for v in values])  # drawing only; amounts stay exact elsewhere
            series.append(bar)
            series.setLabelsVisible(True)
            series.setLabelsFormat("@value")
            series.setLabelsPrecision(6)
            series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
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
            axis_y.applyNiceNumbers()
            chart.legend().hide()
            chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
            chart.setMargins(QMargins(4, 4, 4, 4))
            view = QChartView(chart)
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(200)
            view.setToolTip("\n".join(f"{lab}：{format_wan(v)} 万元" for lab, v in zip(labels, values, strict=True)))
            return view

        if not by_year:  # an empty database: no axes from 0 to 1, a plain line instead
            empty = QLabel(tr("尚无项目投资数据：登记或导入项目后，这里按年度和类别显示总投资。"))
            empty.setObjectName("hint")
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.chart_area.addWidget(empty)
            self.year_chart = self.category_chart = None
            return
        years = sorted(by_year)
        self.year_chart = bar_chart(tr("各年度项目投资（万元）"), [str(y) for y in years], [by_year[y] for y in years])
        cats = [c for c in CATEGORIES if c in by_category]
        self.category_chart = bar_chart(tr("各类别项目投资（万元）"), [SHORT_CATEGORIES.get(c, c) for c in cats],
                                        [by_category[c] for c in cats])
        self.category_chart.setToolTip("\n".join(f"{c}：{format_wan(by_category[c])} 万元" for c in cats))
        self.chart_area.addWidget(self.year_chart, 2)
        self.chart_area.addWidget(self.category_chart, 3)

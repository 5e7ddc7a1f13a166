"""基础数据: departments and their aliases, contractors (credit code checked as you type), the holiday calendar
overrides with a warning for years whose holidays nobody has entered yet (deadlines there are provisional)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.calendar import holiday_overrides, missing_holiday_years, set_holiday
from app.services.master import add_alias, add_contractor, add_department, list_contractors, list_departments
from app.services.permissions import can, refusal_message
from app.ui.context import UiContext
from app.ui.listpage import FlaggedTableModel, ListPage, make_table
from app.ui.tablemodel import CENTER, Column
from app.ui.widgets import CreditCodeEdit, to_date

ALIAS_SEPARATORS = ("、", ",", "，", ";", "；")


def tr(text: str) -> str:
    return QCoreApplication.translate("MasterDataPage", text)


def split_aliases(text: str) -> list[str]:
    for sep in ALIAS_SEPARATORS[1:]:
        text = text.replace(sep, ALIAS_SEPARATORS[0])
    return [a.strip() for a in text.split(ALIAS_SEPARATORS[0]) if a.strip()]


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    kind: str
    aliases: str
    active: bool


@dataclass(frozen=True)
class HolidayRow:
    id: str
    day: dt.date
    weekday: str
    kind: str


WEEKDAYS = "一二三四五六日"


def load_master(uow: Any) -> tuple[list, list, list, list[int]]:

    today = dt.date.today()
    departments = [DepartmentRow(d.id, d.name, d.kind, "、".join(d.aliases), d.active) for d in list_departments(uow)]
    holidays = [HolidayRow(d.isoformat(), d, f"星期{WEEKDAYS[d.weekday()]}", "工作日（调休）" if w else "休息日")
                for d, w in sorted(holiday_overrides(uow).items())]
    return departments, list_contractors(uow), holidays, missing_holiday_years(uow, [today.year, today.year + 1])


class MasterDataPage(ListPage):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("基础数据"), parent=parent)
        self.read_only_note = QLabel()  # for an account that may look but not maintain
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.hide()
        self.layout_.addWidget(self.read_only_note)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("masterTabs")
        self.layout_.addWidget(self.tabs, 1)
        self.tabs.addTab(self._departments_tab(), tr("单位"))
        self.tabs.addTab(self._contractors_tab(), tr("建设单位"))
        self.tabs.addTab(self._holidays_tab(), tr("节假日"))
        self.finish()

    def _tab(self, columns: list[Column], name: str, form: QHBoxLayout) -> QWidget:
        model = FlaggedTableModel(columns, "id")
        table = make_table(model, name)
        self.models.append(model)
        self.tables.append(table)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(table, 1)
        tab.layout_ = layout  # type: ignore[attr-defined]
        return tab

    def _departments_tab(self) -> QWidget:
        self.dept_name = QLineEdit()
        self.dept_name.setObjectName("deptName")
        self.dept_name.setPlaceholderText(tr("单位全称，如 沁水县公安局"))
        self.dept_kind = QComboBox()
        self.dept_kind.addItems([tr("县直部门"), tr("乡镇"), tr("开发区"), tr("其他")])
        self.dept_aliases = QLineEdit()
        self.dept_aliases.setObjectName("deptAliases")
        self.dept_aliases.setPlaceholderText(tr("别名，多个用顿号分隔，如 县公安局、公安局"))
        self.add_dept = QPushButton(tr("添加单位"))
        self.add_dept.setObjectName("addDepartment")
        self.add_dept.clicked.connect(self.add_department)
        self.alias_button = QPushButton(tr("为所选单位添加别名"))
        self.alias_button.setObjectName("addAlias")
        self.alias_button.clicked.connect(self.add_alias)
        form = QHBoxLayout()
        for w in (self.dept_name, self.dept_kind, self.dept_aliases, self.add_dept, self.alias_button):
            form.addWidget(w)
        return self._tab([Column("name", tr("单位名称"), width=260), Column("kind", tr("类型"), width=90),
                          Column("aliases", tr("别名（导入Excel时可识别）"), width=400),
                          Column("active", tr("启用"), align=CENTER, width=50)], "departmentTable", form)

    def _contractors_tab(self) -> QWidget:
        self.contractor_name = QLineEdit()
        self.contractor_name.setObjectName("contractorName")
        self.contractor_name.setPlaceholderText(tr("建设单位全称"))
        self.credit_code = CreditCodeEdit()
        self.credit_code.setObjectName("creditCode")
        self.county_owned = QCheckBox(tr("县属企业（第十三条）"))
        self.add_contractor_button = QPushButton(tr("添加建设单位"))
        self.add_contractor_button.setObjectName("addContractor")
        self.add_contractor_button.clicked.connect(self.add_contractor)
        self.add_contractor_button.setEnabled(False)
        self.contractor_name.textChanged.connect(self._contractor_ready)
        self.credit_code.changed.connect(self._contractor_ready)
        form = QHBoxLayout()
        form.addWidget(self.contractor_name, 2)
        form.addWidget(self.credit_code, 2)
        form.addWidget(self.county_owned)
        form.addWidget(self.add_contractor_button)
        return self._tab([Column("name", tr("建设单位名称"), width=300), Column("credit_code", tr("统一社会信用代码"), width=180),
                          Column("county_owned", tr("县属企业"), align=CENTER, width=70),
                          Column("contact", tr("联系人"), width=90), Column("phone", tr("电话"), width=120)],
                         "contractorTable", form)

    def _holidays_tab(self) -> QWidget:
        self.holiday_day = QDateEdit(QDate.currentDate())
        self.holiday_day.setObjectName("holidayDay")
        self.holiday_day.setCalendarPopup(True)
        self.holiday_day.setDisplayFormat("yyyy-MM-dd")
        self.holiday_kind = QComboBox()
        self.holiday_kind.setObjectName("holidayKind")
        self.holiday_kind.addItem(tr("休息日（法定节假日）"), False)
        self.holiday_kind.addItem(tr("工作日（调休上班）"), True)
        self.holiday_note = QLineEdit()
        self.holiday_note.setPlaceholderText(tr("说明，如 春节"))
        add = self.add_holiday_button = QPushButton(tr("登记"))
        add.setObjectName("addHoliday")
        add.clicked.connect(self.add_holiday)
        form = QHBoxLayout()
        for w in (QLabel(tr("日期")), self.holiday_day, self.holiday_kind, self.holiday_note, add):
            form.addWidget(w)
        form.addStretch(1)
        tab = self._tab([Column("day", tr("日期"), width=110), Column("weekday", tr("星期"), width=70),
                         Column("kind", tr("安排"), width=140)], "holidayTable", form)
        self.provisional = QLabel()
        self.provisional.setObjectName("error")
        self.provisional.setWordWrap(True)
        tab.layout_.insertWidget(0, self.provisional)  # type: ignore[attr-defined]
        return tab

    # ---------------------------------------------------------------- data
    def editors(self) -> list[QWidget]:
        return [self.dept_name, self.dept_kind, self.dept_aliases, self.add_dept, self.alias_button,
                self.contractor_name, self.credit_code, self.county_owned, self.add_contractor_button, self.holiday_day, self.holiday_kind,
                self.holiday_note, self.add_holiday_button]

    def reload(self) -> None:
        """Whoever may not maintain master data sees it read-only, told why, before typing anything."""
        actor = self.ctx.actor
        allowed = actor is None or can(actor, "master.edit")
        why = "" if allowed else refusal_message(actor, "master.edit")
        for w in self.editors():
            w.setEnabled(allowed)
            w.setToolTip(why)
        if allowed:
            self._contractor_ready()
        self.read_only_note.setText(tr("只读：{0}；基础数据由系统管理员或主管部门审核员维护。").format(why) if why else "")
        self.read_only_note.setVisible(bool(why))
        super().reload()

    def query(self, uow: Any) -> Any:
        return load_master(uow)

    def show_result(self, result: Any) -> None:
        departments, contractors, holidays, missing = result
        super().show_result((departments, contractors, holidays))
        self.provisional.setText(
            tr("尚未登记{0}的法定节假日和调休安排：合同备案等期限暂按周一至周五计算，可能不准。"
               "请在国务院办公厅发布通知后逐日登记。").format("、".join(f"{y}年" for y in missing)) if missing else "")

    def clear(self) -> None:
        super().clear()
        for edit in (self.dept_name, self.dept_aliases, self.contractor_name, self.credit_code.edit, self.holiday_note):
            edit.clear()
        self.provisional.setText("")

    def update_status(self) -> None:
        self.status.setText(tr("单位 {0} 个，建设单位 {1} 家，登记的节假日安排 {2} 天").format(
            *(m.rowCount() for m in self.models)))

    # ---------------------------------------------------------------- edits
    def add_department(self) -> None:

        name, kind, aliases = self.dept_name.text().strip(), self.dept_kind.currentText(), split_aliases(
            self.dept_aliases.text())
        self.quiet_write(lambda uow: add_department(uow, name, kind, aliases), lambda _v: (
            self.dept_name.clear(), self.dept_aliases.clear()))

    def add_alias(self) -> None:

        row = self.selected(0)
        aliases = split_aliases(self.dept_aliases.text())
        if row is None or not aliases:
            self.status.setText(tr("请先在表中选择单位，并在“别名”框中填写别名"))
            return

        def work(uow: Any) -> None:
            for a in aliases:
                add_alias(uow, row.id, a)

        self.quiet_write(work, lambda _v: self.dept_aliases.clear())

    def _contractor_ready(self) -> None:
        ok = bool(self.contractor_name.text().strip()) and bool(self.credit_code.edit.text().strip()) \
            and self.credit_code.problem() is None
        self.add_contractor_button.setEnabled(ok)
        typed = bool(self.credit_code.edit.text().strip())
        self.add_contractor_button.setToolTip("" if ok else (typed and self.credit_code.problem())
                                              or tr("填写建设单位全称和统一社会信用代码后可添加"))

    def add_contractor(self) -> None:

        name, code, owned = self.contractor_name.text().strip(), self.credit_code.text(), self.county_owned.isChecked()
        self.quiet_write(lambda uow: add_contractor(uow, name, code, owned), lambda _v: (
            self.contractor_name.clear(), self.credit_code.edit.clear()))

    def add_holiday(self) -> None:

        day = to_date(self.holiday_day.date())
        workday, note = bool(self.holiday_kind.currentData()), self.holiday_note.text().strip() or None
        self.quiet_write(lambda uow: set_holiday(uow, day, workday, note))

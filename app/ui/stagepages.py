"""The stage pages of the navigation: 年度计划, 审核立项, 预算与公示, 合同与资金, 变更, 验收, 运维, 整改, 绩效评价.

Each is a list over a query of app.services.queries (run on the worker); double-click opens the project page.
The actions themselves are on the project page (its stage tabs); these pages are the office's work queues.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_wan
from app.services import queries
from app.services.plans import add_to_annual_plan
from app.services.queries import (
    list_budgets,
    list_contracts,
    list_payments,
    list_publicities,
    plan_list,
    review_queue,
)
from app.ui.context import UiContext
from app.ui.listpage import ListPage, ProjectListPage
from app.ui.printing import choices_menu, year_form
from app.ui.tablemodel import CENTER, Column, money_column
from app.ui.widgets import fit_dialog


def tr(text: str) -> str:
    return QCoreApplication.translate("StagePages", text)


def _project_cols() -> list[Column]:
    return [Column("code", tr("项目编号"), width=110), Column("name", tr("项目名称"), width=240),
            Column("department", tr("实施单位"), width=150)]


def _year_box(page: ListPage) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName("yearBox")
    box.setRange(2000, 2100)
    box.setValue(dt.date.today().year)
    box.setSuffix(tr(" 年度"))
    box.setMinimumWidth(100)
    box.valueChanged.connect(lambda _v: page.reload())
    page.toolbar.insertWidget(2, box)
    return box


class PlansPage(ProjectListPage):
    """年度计划 (第六条): the year's plan, projects added to it, the 年度计划表 printed."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("年度计划"), tr("年度计划由主管部门编制、报县人民政府批准（第六条）；未列入年度计划的项目不予立项（第八条）。"),
                         parent)
        self.year = _year_box(self)
        self.plan: Any = None
        self.add_button(tr("加入年度计划…"), self.add_projects, "addButton", primary=True)
        self.add_button(tr("打印年度计划表"), self.print_plan, "printButton")
        self.add_table(_project_cols() + [
            Column("category", tr("项目类别"), width=150), Column("status_label", tr("状态"), align=CENTER, width=80),
            money_column("total_fen", tr("总投资（万元）"), width=112), money_column("planned_fen", tr("计划安排（万元）"), width=112)],
            "planTable", id_attr="code")
        self.finish()

    def query(self, uow: Any) -> Any:

        return plan_list(uow, self.year.value())

    def show_result(self, result: Any) -> None:
        self.plan = result
        super().show_result(list(result.rows))

    def update_status(self) -> None:
        model = self.models[0]
        totals = model.totals()
        title = (self.plan.title if self.plan and self.plan.title else tr("本年度尚未编制年度计划")) if self.plan else ""
        self.status.setText(tr("{0}　共 {1} 个项目　计划安排合计 {2} 万元　另有 {3} 个本年度项目未列入").format(
            title, model.rowCount(), format_wan(totals.get("planned_fen", 0)),
            len(self.plan.candidates) if self.plan else 0))

    def add_projects(self) -> QDialog | None:
        if self.plan is None:
            return None
        dialog = QDialog(self)
        dialog.setObjectName("addToPlanDialog")
        dialog.setWindowTitle(tr("加入{0}年度计划").format(self.plan.year))
        listing = QListWidget()
        listing.setObjectName("candidates")
        for r in self.plan.candidates:
            item = QListWidgetItem(f"{r.code}　{r.name}　{r.department}　{format_wan(r.total_fen)} 万元")
            item.setData(Qt.ItemDataRole.UserRole, r.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            listing.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(tr("勾选要列入年度计划的项目：") if self.plan.candidates else tr("本年度没有可列入的项目")))
        layout.addWidget(listing)
        layout.addWidget(buttons)
        dialog.listing = listing  # type: ignore[attr-defined]
        fit_dialog(dialog, 640, 420)
        year = self.plan.year

        def accepted() -> None:
            codes = [listing.item(i).data(Qt.ItemDataRole.UserRole) for i in range(listing.count())
                     if listing.item(i).checkState() == Qt.CheckState.Checked]
            if codes:

                self.ctx.write(lambda uow: add_to_annual_plan(uow, year, codes), parent=self)

        dialog.accepted.connect(accepted)
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def print_plan(self) -> None:

        year = self.year.value()
        year_form(self.ctx, "annual-plan", year, self)

    print_forms = print_plan  # Ctrl+P


class ReviewPage(ProjectListPage):
    """审核立项: projects waiting for review or approval, with the department's previous-year evaluation."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("审核立项"), tr("待技术审核和审批立项的项目。审核时参考该单位上一年度的绩效评价结果（第二十三条）；"
                                              "双击打开项目办理。"), parent)
        self.add_table(_project_cols() + [
            Column("year", tr("年度"), align=CENTER, width=50), Column("status_label", tr("状态"), align=CENTER, width=90),
            money_column("total_fen", tr("总投资（万元）"), width=112), Column("previous", tr("上年度绩效评价"), width=260)],
            "reviewTable", id_attr="code", flag=lambda r: r.previous.startswith("差"))
        self.detail = QLabel()
        self.detail.setObjectName("reviewDetail")
        self.detail.setWordWrap(True)
        self.layout_.addWidget(self.detail)
        self.tables[0].selectionModel().selectionChanged.connect(self._show_detail)
        self.finish()

    def query(self, uow: Any) -> Any:

        return review_queue(uow)

    def _show_detail(self) -> None:
        r = self.selected()
        self.detail.setText(tr("{0}（{1}）上年度绩效评价：{2}").format(r.department, r.year - 1, r.previous) if r else "")


class BudgetPage(ProjectListPage):
    """预算与公示 (第十、十一条)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("预算与公示"), tr("预算确定后，由主管部门对资金拟分配计划进行公示（第十一条）。"), parent)
        self.year = _year_box(self)
        self.add_button(tr("打印公示"), self.print_publicity, "printButton")
        self.add_table(_project_cols() + [
            Column("year", tr("预算年度"), align=CENTER, width=70), Column("kind_label", tr("资金类型"), width=80),
            money_column("amount_fen", tr("预算金额（万元）"), width=110), Column("doc_no", tr("预算文号"), width=150),
            Column("set_on", tr("确定日期"), width=90)], "budgetTable", label=tr("财政预算"), stretch=3)
        self.add_table([
            Column("title", tr("公示标题"), width=300), Column("doc_no", tr("文号"), width=150),
            Column("start_on", tr("公示开始"), width=90), Column("end_on", tr("公示结束"), width=90),
            Column("projects", tr("项目数"), align=CENTER, width=60),
            money_column("amount_fen", tr("拟分配金额（万元）"), width=120)], "publicityTable",
            label=tr("资金拟分配计划公示"), stretch=2)
        self.finish()

    def query(self, uow: Any) -> Any:

        year = self.year.value()
        return list_budgets(uow, year), list_publicities(uow, year)

    def print_publicity(self) -> None:
        """The notice selected in the table; with several notices in the year and none selected, a menu of them."""
        year = self.year.value()
        chosen = self.selected(1)
        notices = [self.models[1].record(r) for r in range(self.models[1].rowCount())]
        if chosen is None and len(notices) > 1:
            choices = [SimpleNamespace(id=n.id, label=tr("{0}　{1}　公示期 {2} 至 {3}").format(
                n.doc_no or tr("（无文号）"), n.title, n.start_on, n.end_on)) for n in notices]
            self.notices_menu = choices_menu(self, choices, lambda key: year_form(self.ctx, "publicity", year, self, key),
                                             "noticesMenu")
            button = self.printButton  # type: ignore[attr-defined]
            self.notices_menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
            return
        year_form(self.ctx, "publicity", year, self, str(chosen.id) if chosen is not None else None)

    print_forms = print_publicity


class ContractsPage(ProjectListPage):
    """合同与资金 (第十五条: filing within 5 working days; late ones in red)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("合同与资金"), tr("合同应在签订后5个工作日内备案（第十五条），逾期的以红色标出；"
                                                "期限按法定节假日和调休计算。"), parent)
        self.add_table([
            Column("contract_no", tr("合同编号"), width=120), Column("code", tr("项目编号"), width=110),
            Column("name", tr("项目名称"), width=200), Column("contractor", tr("建设单位"), width=200),
            Column("kind_label", tr("类型"), width=70), money_column("amount_fen", tr("合同金额（元）"), "元", 110),
            Column("signed_on", tr("签订日期"), width=90), Column("filing_due", tr("备案期限"), width=90),
            Column("filed_on", tr("备案日期"), width=90), Column("flag", tr("备案情况"), align=CENTER, width=90),
            money_column("paid_fen", tr("已拨付（元）"), "元", 110)], "contractTable",
            flag=lambda r: r.late, label=tr("合同"), stretch=3)
        self.add_table([
            Column("paid_on", tr("拨付日期"), width=90), Column("code", tr("项目编号"), width=110),
            Column("name", tr("项目名称"), width=220), Column("contract_no", tr("合同编号"), width=120),
            Column("kind_label", tr("资金类型"), width=80), money_column("amount_fen", tr("拨付金额（元）"), "元", 110),
            Column("voucher_no", tr("凭证号"), width=100), Column("purpose", tr("用途"), width=160)],
            "paymentTable", label=tr("资金拨付"), stretch=2)
        self.finish()

    def query(self, uow: Any) -> Any:

        return list_contracts(uow), list_payments(uow)

    def update_status(self) -> None:
        rows = self.models[0].shown_records()
        late = sum(1 for r in rows if r.late)
        self.status.setText(tr("合同 {0} 份，其中逾期 {1} 份；拨付 {2} 笔").format(len(rows), late,
                                                                      self.models[1].rowCount()))


def _simple(title: str, hint: str, columns: list[Column], name: str, query: str, id_attr: str = "id",
            flag: Any = None) -> type[ListPage]:
    class Page(ProjectListPage):
        def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
            super().__init__(ctx, tr(title), tr(hint), parent)
            self.add_table(columns, name, id_attr=id_attr, flag=flag)
            self.finish()

        def query(self, uow: Any) -> Any:

            return getattr(queries, query)(uow)

    Page.__name__ = Page.__qualname__ = name[0].upper() + name[1:].replace("Table", "Page")
    return Page


ChangesPage = _simple(
    "变更", "项目建设内容或投资发生重大变化的，应提出调整申请，经主管部门同意后方可实施（第十七条）。待审核的排在前面。",
    _project_cols() + [Column("requested_on", "申请日期", width=90), Column("major", "重大变化", align=CENTER, width=70),
                       Column("description", "调整内容", width=260), Column("status_label", "审核", align=CENTER, width=70),
                       Column("decided_on", "审核日期", width=90)],
    "changesTable", "list_changes", flag=lambda r: r.status == "pending")
AcceptancePage = _simple(
    "验收", "联合验收需要：初步验收、信息资源目录注册、数据落盘、安全自主可控检查（第十八—二十条）。",
    _project_cols() + [Column("status_label", "状态", align=CENTER, width=70),
                       Column("preliminary_on", "初步验收", width=90), Column("joint_on", "联合验收", width=90),
                       Column("catalogue", "资源目录", width=90), Column("data_landed", "数据落盘", align=CENTER, width=70),
                       Column("autonomy", "自主可控", align=CENTER, width=70), Column("missing", "尚缺", width=220)],
    "acceptanceTable", "acceptance_list", id_attr="code")
OmPage = _simple(
    "运维", "运行维护费用经主管部门审核后列入财政预算（第二十一条）；未按要求共享数据的项目不再拨付运维经费（第九条）。",
    _project_cols() + [Column("year", "经费年度", align=CENTER, width=70), money_column("amount_fen", "申请金额（万元）", width=112),
                       Column("requested_on", "申请日期", width=90), Column("status_label", "审核", align=CENTER, width=70),
                       money_column("approved_fen", "核定金额（万元）", width=112), Column("opinion", "审核意见", width=200)],
    "omTable", "list_om_requests")
RectificationPage = _simple(
    "整改", "逾期未完成整改的，暂停拨付资金；仍不整改的，终止项目（第二十二条）。已逾期的以红色标出。",
    _project_cols() + [Column("doc_no", "通知文号", width=150), Column("reason_label", "整改事由", width=130),
                       Column("issued_on", "通知日期", width=90), Column("deadline", "整改期限", width=90),
                       Column("days_left", "剩余天数", align=CENTER, width=70),
                       Column("status_label", "状态", align=CENTER, width=70)],
    "rectificationTable", "list_rectifications", flag=lambda r: r.status == "overdue")
EvaluationPage = _simple(
    "绩效评价", "按评价指标体系评分，优≥90，良80—<90，中60—<80，差<60（第二十三条）；评价结果作为下一年度审核的参考。",
    _project_cols() + [Column("year", "评价年度", align=CENTER, width=70), Column("evaluated_on", "评价日期", width=90),
                       Column("evaluator", "评价单位", width=160), Column("total", "总分", align=CENTER, width=60),
                       Column("grade", "等级", align=CENTER, width=50)],
    "evaluationTable", "list_evaluations", flag=lambda r: r.grade == "差")

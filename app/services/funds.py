"""第十六条: the periodic comparison of fund use — per project and year, by kind and funding source: the budget, what
was paid in that year, the balance and the execution rate. Printable (app.reports) and exportable (Excel).

A budget or payment entered without its source is shown as 未区分来源, never spread over the sources by guess."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from app.domain.inputs import check_year
from app.domain.vocabulary import BUDGET_KINDS, FUNDING_SOURCES, UNSPLIT_SOURCE
from app.excel.tables import TableColumn, write_table
from app.models import Budget, Department, Payment, Project
from app.services.master import get_setting
from app.services.permissions import can, require
from app.services.projects import load_project
from app.storage.database import UnitOfWork

SOURCE_ORDER = (*FUNDING_SOURCES, None)


def rate_tenths(paid: int, budget: int) -> int | None:
    """Execution rate in tenths of a percent, half up, in integers (None when there is no budget)."""
    if budget <= 0:
        return None
    return (paid * 1000 * 2 + budget) // (budget * 2)


def rate_text(tenths: int | None) -> str:
    return "—" if tenths is None else f"{tenths // 10}.{tenths % 10}%"


@dataclass(frozen=True)
class FundRow:
    code: str
    name: str
    department: str
    year: int
    kind: str  # construction om; "" on a project's subtotal line
    kind_label: str
    source: str | None  # county upper other; None: not split
    source_label: str
    budget_fen: int
    paid_fen: int
    balance_fen: int
    rate_tenths: int | None
    rate: str
    note: str
    subtotal: bool = False  # the project-year's 小计 line


@dataclass(frozen=True)
class FundComparison:
    year: int | None
    project: str | None
    rows: tuple[FundRow, ...]
    budget_fen: int
    paid_fen: int

    @property
    def rate(self) -> str:
        return rate_text(rate_tenths(self.paid_fen, self.budget_fen))

    @property
    def detail_rows(self) -> tuple[FundRow, ...]:
        return tuple(r for r in self.rows if not r.subtotal)


def _note(budget: int, paid: int) -> str:
    if budget == 0 and paid > 0:
        return "无对应预算的拨付"
    if paid > budget:
        return "拨付超过预算"
    return ""


def compare(uow: UnitOfWork, year: object = None, project: str | None = None) -> FundComparison:
    """Budget against payments per project, year, kind and source (第十六条 定期开展对照分析). `year` limits to one
    budget/payment year, `project` to one project. A department's clerk sees the own department's projects."""
    y = check_year(year, "年度") if year not in (None, "") else None
    require(uow.actor, "project.read", action="funds.compare", object_id=project or y)
    code = None
    where_budget = []
    where_paid = []
    if project not in (None, ""):
        p = load_project(uow, str(project).strip())
        code = p.code
        where_budget.append(Budget.project_id == p.id)
        where_paid.append(Payment.project_id == p.id)
    elif not can(uow.actor, "project.read_all"):
        where_budget.append(Project.department_id == uow.actor.department_id)
        where_paid.append(Project.department_id == uow.actor.department_id)
    paid_year = func.extract("year", Payment.paid_on)
    if y is not None:
        where_budget.append(Budget.year == y)
        where_paid.append(paid_year == y)
    budgets = uow.session.execute(
        select(Budget.project_id, Budget.year, Budget.kind, Budget.source, func.sum(Budget.amount_fen))
        .join(Project, Budget.project_id == Project.id).where(*where_budget)
        .group_by(Budget.project_id, Budget.year, Budget.kind, Budget.source)).all()
    paid = uow.session.execute(
        select(Payment.project_id, paid_year, Payment.kind, Payment.source, func.sum(Payment.amount_fen))
        .join(Project, Payment.project_id == Project.id).where(*where_paid)
        .group_by(Payment.project_id, paid_year, Payment.kind, Payment.source)).all()
    cells: dict[tuple[int, int, str, str | None], list[int]] = {}
    for pid, yr, kind, source, amount in budgets:
        cells.setdefault((pid, int(yr), kind, source), [0, 0])[0] += int(amount)
    for pid, yr, kind, source, amount in paid:
        cells.setdefault((pid, int(yr), kind, source), [0, 0])[1] += int(amount)
    ids = {k[0] for k in cells}
    info = {pid: (c, n, d) for pid, c, n, d in uow.session.execute(
        select(Project.id, Project.code, Project.name, Department.name)
        .join(Department, Project.department_id == Department.id).where(Project.id.in_(ids)))}
    kinds = list(BUDGET_KINDS)

    def order(key: tuple[int, int, str, str | None]) -> tuple:
        pid, yr, kind, source = key
        return (info[pid][0], yr, kinds.index(kind) if kind in kinds else 9, SOURCE_ORDER.index(source)
                if source in SOURCE_ORDER else 9)

    rows: list[FundRow] = []
    group: list[FundRow] = []

    def close_group() -> None:
        if len(group) > 1:
            b, pd = sum(r.budget_fen for r in group), sum(r.paid_fen for r in group)
            t = rate_tenths(pd, b)
            first = group[0]
            rows.append(FundRow(first.code, first.name, first.department, first.year, "", "小计", None, "",
                                b, pd, b - pd, t, rate_text(t), _note(b, pd), subtotal=True))
        group.clear()

    last: tuple[int, int] | None = None
    for key in sorted(cells, key=order):
        pid, yr, kind, source = key
        if last is not None and last != (pid, yr):
            close_group()
        last = (pid, yr)
        b, pd = cells[key]
        t = rate_tenths(pd, b)
        c, n, d = info[pid]
        row = FundRow(c, n, d, yr, kind, BUDGET_KINDS.get(kind, kind), source,
                      FUNDING_SOURCES.get(source or "", UNSPLIT_SOURCE), b, pd, b - pd, t, rate_text(t), _note(b, pd))
        rows.append(row)
        group.append(row)
    close_group()
    details = [r for r in rows if not r.subtotal]
    return FundComparison(y, code, tuple(rows), sum(r.budget_fen for r in details), sum(r.paid_fen for r in details))


COLUMNS = (
    TableColumn("code", "项目编号", "text", 14),
    TableColumn("name", "项目名称", "text", 32),
    TableColumn("department", "实施单位", "text", 22),
    TableColumn("year", "年度", "int", 7),
    TableColumn("kind_label", "资金类型", "text", 10),
    TableColumn("source_label", "资金来源", "text", 14),
    TableColumn("budget_fen", "预算（元）", "money", 16),
    TableColumn("paid_fen", "已拨付（元）", "money", 16),
    TableColumn("balance_fen", "结余（元）", "money", 16),
    TableColumn("rate", "执行率", "text", 9),
    TableColumn("note", "说明", "text", 18),
)


def title_of(c: FundComparison, county: str) -> str:
    return f"{county}{f'{c.year}年度' if c.year else ''}政务大数据项目资金使用对照分析表"


def export_comparison(uow: UnitOfWork, path: str | Path, year: object = None, project: str | None = None) -> int:
    """The comparison to Excel (subtotals in bold, a grand total); returns the number of detail rows. The caller
    commits (the export leaves an audit record)."""
    c = compare(uow, year, project)
    require(uow.actor, "export", action="funds.export")
    subtitle = (f"导出日期：{dt.date.today():%Y年%m月%d日}　金额单位：元　执行率＝已拨付÷预算"
                + (f"　项目：{c.project}" if c.project else ""))
    totals = {"budget_fen": c.budget_fen, "paid_fen": c.paid_fen, "balance_fen": c.budget_fen - c.paid_fen,
              "rate": c.rate}
    write_table(path, "资金对照分析", title_of(c, get_setting(uow, "county")), subtitle, COLUMNS, c.rows,
                totals=totals, bold=lambda r: r.subtotal)
    uow.audit("funds.export", "fund_comparison", c.project or c.year, {"file": str(path), "rows": len(c.detail_rows)})
    return len(c.detail_rows)

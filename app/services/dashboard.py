"""工作台: what needs action now, counts by state, and money by year and category (for the charts).

The items: contract filings due or overdue (第十五条), rectification deadlines (第二十二条), projects waiting for
review or approval, acceptances overdue (第二十二条: 长期拖延不验收), publicities ending, changes and O&M waiting, and
等保/密评 failed, expired or expiring (第二十八条) — each with the working days left, or the working days overdue,
on the office's calendar. `reminders` are the paper records' lines (services/reminders.py). `govdata run-due`
(services/deadlines.py) acts on the passed rectification deadlines and prints the same items."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from app.domain.vocabulary import STATUS_LABELS
from app.domain.workdays import add_workdays, workdays_between
from app.models import ChangeRequest, Contract, OmRequest, Project, Publicity, PublicityItem, Rectification
from app.services import clock, safety
from app.services.calendar import holiday_overrides
from app.services.permissions import can, require
from app.services.reminders import Reminder, paper_reminders
from app.storage.database import UnitOfWork

WINDOW_WORKDAYS = 5


@dataclass(frozen=True)
class DueItem:
    kind: str  # contract_filing rectification review acceptance publicity change om security
    kind_label: str
    code: str
    project: str
    department: str
    what: str
    due: dt.date | None
    overdue: bool
    workdays_left: int | None  # working days from today to the due date (0 = today), None when overdue/no date
    workdays_overdue: int | None = None  # working days since the due date, when overdue


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    items: tuple[DueItem, ...]
    by_status: dict[str, int]
    money_by_year: dict[int, int]  # total investment (fen) by project year
    money_by_category: dict[str, int]
    reminders: tuple[Reminder, ...] = ()  # the paper records' lines (第六、十一、二十一、二十二、二十九条)

    def of(self, kind: str) -> list[DueItem]:
        return [i for i in self.items if i.kind == kind]


def _scope(uow: UnitOfWork, stmt):  # noqa: ANN001, ANN202
    if not can(uow.actor, "project.read_all"):
        stmt = stmt.where(Project.department_id == uow.actor.department_id)
    return stmt


def dashboard(uow: UnitOfWork, today: dt.date | None = None) -> Dashboard:
    require(uow.actor, "project.read")
    today = today or clock.today()
    overrides = holiday_overrides(uow)
    horizon = add_workdays(today, WINDOW_WORKDAYS, overrides).due
    items: list[DueItem] = []

    def left(due: dt.date) -> int | None:
        return None if due < today else workdays_between(today, due, overrides)

    def late(due: dt.date) -> int | None:
        return workdays_between(due, today, overrides) if due < today else None

    def item(kind: str, label: str, p: Project, what: str, due: dt.date | None) -> DueItem:
        return DueItem(kind, label, p.code, p.name, p.department.name, what, due,
                       bool(due and due < today), left(due) if due else None, late(due) if due else None)

    contracts = uow.session.execute(_scope(uow, select(Contract, Project).join(Project, Contract.project_id ==
                                                                              Project.id)
                                           .where(Contract.filed_on.is_(None), Contract.filing_due <= horizon)
                                           .order_by(Contract.filing_due))).unique().all()
    for c, p in contracts:
        items.append(item("contract_filing", "合同备案", p, f"合同 {c.contract_no} 应于 {c.filing_due} 前备案（第十五条）"
                          + ("，期限按周一至周五暂算" if c.filing_due_provisional else ""), c.filing_due))

    rects = uow.session.execute(_scope(uow, select(Rectification, Project).join(
        Project, Rectification.project_id == Project.id).where(Rectification.status.in_(("open", "overdue")),
                                                               Project.status.not_in(("terminated",)))
        .order_by(Rectification.deadline))).unique().all()
    for r, p in rects:
        items.append(item("rectification", "限期整改", p, f"整改期限 {r.deadline}（{r.doc_no or ''}，第二十二条）",
                          r.deadline))

    waiting = uow.session.scalars(_scope(uow, select(Project).where(Project.status.in_(("submitted", "in_review",
                                                                                         "reviewed")))
                                         .order_by(Project.updated_at))).unique().all()
    for p in waiting:
        items.append(item("review", "待审核立项", p, f"{STATUS_LABELS[p.status]}，等待{'审批立项' if p.status == 'reviewed' else '技术审核'}",
                          None))

    building = uow.session.execute(_scope(uow, select(Project, func.min(Contract.signed_on)).join(
        Contract, Contract.project_id == Project.id).where(Project.status == "under_construction",
                                                           Contract.kind == "construction")
        .group_by(Project.id))).unique().all()
    for p, signed in building:
        if signed and p.period_months:
            end = _add_months(signed, p.period_months)
            if end < today:
                items.append(item("acceptance", "验收逾期", p,
                                  f"建设期（{p.period_months}个月）已于 {end} 届满，尚未初步验收（第二十二条：长期拖延不验收）",
                                  end))

    pubs = uow.session.execute(_scope(uow, select(Publicity, Project).join(
        PublicityItem, PublicityItem.publicity_id == Publicity.id).join(Project, PublicityItem.project_id ==
                                                                        Project.id)
        .where(Publicity.end_on >= today, Publicity.end_on <= horizon))).unique().all()
    for pub, p in pubs:
        items.append(item("publicity", "公示即将结束", p, f"资金拟分配计划公示至 {pub.end_on}（第十一条）", pub.end_on))

    changes = uow.session.execute(_scope(uow, select(ChangeRequest, Project).join(
        Project, ChangeRequest.project_id == Project.id).where(ChangeRequest.status == "pending"))).unique().all()
    for cr, p in changes:
        items.append(item("change", "待审调整申请", p, f"调整申请：{cr.description}（第十七条）", None))

    oms = uow.session.execute(_scope(uow, select(OmRequest, Project).join(
        Project, OmRequest.project_id == Project.id).where(OmRequest.status == "pending"))).unique().all()
    for om, p in oms:
        items.append(item("om", "待审运维经费", p, f"{om.year}年运维经费申请（第二十一条）", None))

    if can(uow.actor, "security.records"):  # 第二十八条: the newest 等保/密评 failed, expired or expiring
        codes = {a.code for a in safety.expiring_assessments(uow, today)}
        projects = {p.code: p for p in uow.session.scalars(select(Project).where(Project.code.in_(codes)))}
        for a in safety.expiring_assessments(uow, today):
            p = projects[a.code]
            if not a.passed:
                items.append(item("security", "等保/密评", p, f"{a.kind_label}未通过（{a.assessed_on}），须整改后重新测评"
                                  "（第二十八条）", a.assessed_on))
            elif a.valid_until is not None:
                word = "已于" if a.valid_until < today else "将于"
                items.append(item("security", "等保/密评", p, f"{a.kind_label}{word}{a.valid_until}到期，须重新测评"
                                  "（第二十八条）", a.valid_until))

    reminders = tuple(r for r in paper_reminders(uow, today) if r.kind != "assessment")  # those are items above

    by_status = dict(uow.session.execute(_scope(uow, select(Project.status, func.count())
                                                .group_by(Project.status))).all())
    active = Project.status.not_in(("withdrawn", "rejected"))
    by_year = dict(uow.session.execute(_scope(uow, select(Project.year, func.sum(Project.total_fen))
                                              .where(active).group_by(Project.year))).all())
    by_cat = dict(uow.session.execute(_scope(uow, select(Project.category, func.sum(Project.total_fen))
                                             .where(active).group_by(Project.category))).all())
    return Dashboard(today, tuple(items), {k: int(v) for k, v in by_status.items()},
                     {int(k): int(v) for k, v in by_year.items()}, {k: int(v) for k, v in by_cat.items()}, reminders)


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

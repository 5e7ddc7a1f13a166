"""Development plans and annual plans (第六条), and the evaluation indicator system (第二十三条)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.vocabulary import DEFAULT_INDICATORS
from app.errors import InputError, RuleViolation
from app.models import AnnualPlan, AnnualPlanItem, DevelopmentPlan, Indicator, Project
from app.services.master import get_setting
from app.services.permissions import require
from app.services.privacy import mask_project
from app.services.projects import ProjectView, load_project, view
from app.storage.database import UnitOfWork


def ensure_annual_plan(uow: UnitOfWork, year: int, title: str | None = None, doc_no: str | None = None,
                       approved_on: dt.date | None = None) -> AnnualPlan:
    plan = uow.session.scalar(select(AnnualPlan).where(AnnualPlan.year == year))
    if plan is None:
        county = get_setting(uow, "county")
        plan = AnnualPlan(year=year, title=title or f"{county}{year}年度政务大数据应用年度计划", doc_no=doc_no,
                          approved_on=approved_on)
        uow.session.add(plan)
        uow.session.flush()
        uow.audit("plan.create", "annual_plan", year, {"after": {"title": plan.title, "doc_no": doc_no}})
    else:
        if title:
            plan.title = title
        if doc_no:
            plan.doc_no = doc_no
        if approved_on:
            plan.approved_on = approved_on
    return plan


def add_to_annual_plan(uow: UnitOfWork, year: int, codes: list[str], doc_no: str | None = None,
                       approved_on: dt.date | None = None) -> int:
    """List projects in the year's annual plan (第六条). Returns how many were newly listed."""
    require(uow.actor, "plan.edit")
    plan = ensure_annual_plan(uow, year, doc_no=doc_no, approved_on=approved_on)
    added = 0
    for code in codes:
        p = load_project(uow, code)
        if p.year != year:
            raise RuleViolation("第六条", f"项目 {code} 属于{p.year}年度，不能列入{year}年度计划")
        exists = uow.session.scalar(select(AnnualPlanItem.id).where(AnnualPlanItem.plan_id == plan.id,
                                                                    AnnualPlanItem.project_id == p.id))
        if exists:
            continue
        uow.session.add(AnnualPlanItem(plan_id=plan.id, project_id=p.id, planned_fen=p.year_request_fen or p.total_fen))
        uow.audit("plan.add", "project", code, {"after": {"annual_plan": year}})
        added += 1
    uow.session.flush()
    return added


def remove_from_annual_plan(uow: UnitOfWork, year: int, code: str) -> None:
    require(uow.actor, "plan.edit")
    p = load_project(uow, code)
    if p.status not in ("draft", "submitted", "in_review", "reviewed", "withdrawn", "rejected"):
        raise RuleViolation("第六、八条", "项目已立项，不能移出年度计划")
    item = uow.session.scalar(select(AnnualPlanItem).join(AnnualPlan).where(
        AnnualPlan.year == year, AnnualPlanItem.project_id == p.id))
    if item is not None:
        uow.session.delete(item)
        uow.audit("plan.remove", "project", code, {"before": {"annual_plan": year}})


@dataclass(frozen=True)
class AnnualPlanView:
    year: int
    title: str
    doc_no: str | None
    approved_on: dt.date | None
    projects: tuple[ProjectView, ...]
    planned_fen: tuple[int, ...]

    @property
    def total_fen(self) -> int:
        return sum(self.planned_fen)


def get_annual_plan(uow: UnitOfWork, year: int) -> AnnualPlanView | None:
    plan = uow.session.scalar(select(AnnualPlan).where(AnnualPlan.year == year))
    if plan is None:
        return None
    rows = uow.session.execute(select(Project, AnnualPlanItem.planned_fen).join(
        AnnualPlanItem, AnnualPlanItem.project_id == Project.id).where(AnnualPlanItem.plan_id == plan.id)
        .order_by(Project.category, Project.code)).unique().all()

    return AnnualPlanView(plan.year, plan.title, plan.doc_no, plan.approved_on,
                          tuple(mask_project(uow.actor, view(p)) for p, _ in rows),
                          tuple(int(f) for _, f in rows))


def in_annual_plan(uow: UnitOfWork, code: str) -> bool:
    p = load_project(uow, code)
    return bool(uow.session.scalar(select(func.count()).select_from(AnnualPlanItem).join(AnnualPlan).where(
        AnnualPlan.year == p.year, AnnualPlanItem.project_id == p.id)))


def add_development_plan(uow: UnitOfWork, title: str, start_year: int, end_year: int,
                         department_id: int | None = None, doc_no: str | None = None,
                         approved_on: dt.date | None = None, filed_on: dt.date | None = None,
                         content: str | None = None) -> int:
    """A county development plan, or a department's plan filed with the bureau (第六条 备案)."""
    require(uow.actor, "plan.edit")
    if end_year < start_year:
        raise InputError("规划期末年份不能早于起始年份")
    plan = DevelopmentPlan(title=title, start_year=start_year, end_year=end_year, department_id=department_id,
                           doc_no=doc_no, approved_on=approved_on, filed_on=filed_on, content=content)
    uow.session.add(plan)
    uow.session.flush()
    uow.audit("plan.development", "development_plan", plan.id, {"after": {"title": title}})
    return plan.id


# ---------------------------------------------------------------- indicators


def init_indicators(uow: UnitOfWork) -> None:
    if uow.session.scalar(select(func.count()).select_from(Indicator)):
        return
    for seq, (l1, l2, name, weight) in enumerate(DEFAULT_INDICATORS, 1):
        uow.session.add(Indicator(seq=seq, level1=l1, level2=l2, name=name, weight=Decimal(weight)))
    uow.session.flush()


@dataclass(frozen=True)
class IndicatorView:
    seq: int
    level1: str
    level2: str
    name: str
    weight: Decimal


def list_indicators(uow: UnitOfWork) -> list[IndicatorView]:
    rows = uow.session.scalars(select(Indicator).where(Indicator.active.is_(True)).order_by(Indicator.seq))
    return [IndicatorView(i.seq, i.level1, i.level2, i.name, Decimal(i.weight)) for i in rows]


def set_indicators(uow: UnitOfWork, items: list[tuple[str, str, str, Decimal]]) -> None:
    """Replace the indicator system. Weights must add up to 100 (第二十三条)."""
    require(uow.actor, "settings.edit")
    total = sum((Decimal(w) for *_, w in items), Decimal(0))
    if total != 100:
        raise RuleViolation("第二十三条", f"评价指标权重合计应为100，现为{total}")
    for i in uow.session.scalars(select(Indicator)):
        i.active = False
        i.name = f"{i.name}#{i.id}"
    uow.session.flush()
    for seq, (l1, l2, name, weight) in enumerate(items, 1):
        uow.session.add(Indicator(seq=seq, level1=l1, level2=l2, name=name, weight=Decimal(weight)))
    uow.audit("settings.indicators", "indicator", None, {"after": [list(map(str, i)) for i in items]})

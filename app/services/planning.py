"""第六条 on paper no more: department plans filed with the bureau, the county's filing of its plans with the city
bureau, the county government's approval of the annual plan, and multi-year projects in each year's plan.

The guard `require_approved_plan` is called by the approval of a project (app.services.lifecycle)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.domain.inputs import check_amount, check_date, check_id, check_year, clean_text, optional_text
from app.domain.money import format_yuan
from app.errors import InputError, NotFoundError, RuleViolation
from app.models import AnnualPlan, AnnualPlanItem, Approval, Department, DevelopmentPlan, PlanFiling, Project
from app.services.master import get_department, get_setting
from app.services.numbering import check_doc_no
from app.services.permissions import can, require
from app.services.plans import ensure_annual_plan
from app.services.projects import load_project
from app.storage.database import UnitOfWork

COUNTY = "全县"
ENDED = ("rejected", "withdrawn", "terminated")


def _doc_no_or_none(uow: UnitOfWork, number: str | None) -> str | None:
    """A 文号 typed for a record, in the form 代字〔年份〕序号号 (第八条; services/numbering.py)."""
    return check_doc_no(uow, None, number) if number else None


def _today() -> dt.date:
    return dt.date.today()


def _who(uow: UnitOfWork) -> str:
    return uow.actor.display_name or uow.actor.username


def _read_scope(uow: UnitOfWork) -> int | None:
    """None: every department; otherwise the actor's own department (a clerk)."""
    require(uow.actor, "project.read", action="records.list")
    return None if can(uow.actor, "project.read_all") else (uow.actor.department_id or -1)


# ---------------------------------------------------------------- the guard on approval


def require_approved_plan(uow: UnitOfWork, year: int, on: dt.date) -> None:
    """No project is approved before its year's annual plan is approved by the county government (第六条:
    年度计划报县人民政府批准后组织实施), judged on the dates."""
    plan = uow.session.scalar(select(AnnualPlan).where(AnnualPlan.year == year))
    if plan is None or plan.approved_on is None:
        raise RuleViolation("第六条", f"{year}年度政务大数据应用年度计划尚未经县人民政府批准，不能审批立项")
    if on < plan.approved_on:
        raise RuleViolation("第六条", f"批复日期{on}早于{year}年度计划经县人民政府批准的日期{plan.approved_on}，"
                                    "年度计划批准后方可审批立项")


# ---------------------------------------------------------------- department plans filed with the bureau


@dataclass(frozen=True)
class DevelopmentPlanView:
    id: int
    title: str
    department: str  # 全县 for the county's own plan
    department_id: int | None
    start_year: int
    end_year: int
    period: str
    doc_no: str | None
    approved_on: dt.date | None
    filed_on: dt.date | None
    received_by: str | None
    content: str | None


def _plan_view(p: DevelopmentPlan, department: str | None) -> DevelopmentPlanView:
    return DevelopmentPlanView(p.id, p.title, department or COUNTY, p.department_id, p.start_year, p.end_year,
                               f"{p.start_year}—{p.end_year}年", p.doc_no, p.approved_on, p.filed_on, p.received_by,
                               p.content)


def file_department_plan(uow: UnitOfWork, *, department: str | int, title: str, start_year: object,
                         end_year: object, filed_on: object, received_by: str | None = None,
                         doc_no: str | None = None, content: str | None = None) -> DevelopmentPlanView:
    """A department's plan touching government information systems, filed with the bureau (第六条 备案)."""
    require(uow.actor, "plan.edit", action="dept_plan.add", object_id=title)
    dept = get_department(uow, department)
    title = clean_text(title, "规划名称", 200, required=True)
    start, end = check_year(start_year, "规划起始年份"), check_year(end_year, "规划截止年份")
    if end < start:
        raise InputError(f"规划截止年份（{end}）不能早于起始年份（{start}）")
    day = check_date(filed_on, "备案日期", not_after=_today())
    receiver = optional_text(received_by, "接收人", 50) or _who(uow)
    plan = DevelopmentPlan(title=title, department_id=dept.id, start_year=start, end_year=end,
                           doc_no=_doc_no_or_none(uow, optional_text(doc_no, "规划文号", 80)), filed_on=day, received_by=receiver,
                           content=optional_text(content, "主要内容", 10_000, multiline=True))
    uow.session.add(plan)
    uow.session.flush()
    uow.audit("dept_plan.add", "development_plan", plan.id, {"after": {
        "department": dept.name, "title": title, "period": f"{start}-{end}", "filed_on": day, "received_by": receiver}})
    return _plan_view(plan, dept.name)


def list_development_plans(uow: UnitOfWork, departments_only: bool = False) -> list[DevelopmentPlanView]:
    """Department plans filed with the bureau (and, unless `departments_only`, the county's own plans)."""
    scope = _read_scope(uow)
    stmt = (select(DevelopmentPlan, Department.name).outerjoin(Department, DevelopmentPlan.department_id == Department.id)
            .order_by(DevelopmentPlan.filed_on.desc(), DevelopmentPlan.id.desc()))
    if departments_only:
        stmt = stmt.where(DevelopmentPlan.department_id.is_not(None))
    if scope is not None:
        stmt = stmt.where(DevelopmentPlan.department_id == scope)
    return [_plan_view(p, name) for p, name in uow.session.execute(stmt)]


def list_department_plans(uow: UnitOfWork) -> list[DevelopmentPlanView]:
    return list_development_plans(uow, departments_only=True)


# ---------------------------------------------------------------- the county's filing with the city bureau


@dataclass(frozen=True)
class CityFilingView:
    id: int
    title: str
    plan_id: int | None
    plan_title: str | None
    filed_to: str
    filed_on: dt.date
    doc_no: str | None
    note: str | None


def file_with_city(uow: UnitOfWork, *, title: str, filed_on: object, doc_no: str, plan: object = None,
                   filed_to: str | None = None, note: str | None = None) -> CityFilingView:
    """The county's plans filed with the city bureau (第六条: 报市大数据应用局备案). A plan is filed with the city
    only after it exists here: approved (the county's own) or filed with the bureau (a department's)."""
    require(uow.actor, "plan.edit", action="city_filing.add", object_id=title)
    title = clean_text(title, "报备内容", 200, required=True)
    day = check_date(filed_on, "报备日期", not_after=_today())
    number = check_doc_no(uow, None, clean_text(doc_no, "报备文号", 80, required=True), day.year)
    dev = None
    if plan not in (None, ""):
        dev = uow.session.get(DevelopmentPlan, check_id(plan, "规划编号"))
        if dev is None:
            raise NotFoundError(f"没有这个规划：{plan}")
        known = dev.filed_on if dev.department_id is not None else (dev.approved_on or dev.filed_on)
        if known is not None and day < known:
            raise RuleViolation("第六条", f"报市备案日期{day}早于规划“{dev.title}”"
                                        f"{'报送主管部门备案' if dev.department_id else '批准'}的日期{known}")
    to = optional_text(filed_to, "报备单位", 150) or get_setting(uow, "city_bureau")
    row = PlanFiling(title=title, development_plan_id=dev.id if dev else None, filed_to=to, filed_on=day,
                     doc_no=number, note=optional_text(note, "备注", 10_000, multiline=True))
    uow.session.add(row)
    uow.session.flush()
    uow.audit("city_filing.add", "plan_filing", row.id, {"after": {
        "title": title, "filed_to": to, "filed_on": day, "doc_no": number, "plan": dev.title if dev else None}})
    return CityFilingView(row.id, title, row.development_plan_id, dev.title if dev else None, to, day, number,
                          row.note)


def list_city_filings(uow: UnitOfWork) -> list[CityFilingView]:
    _read_scope(uow)
    rows = uow.session.execute(select(PlanFiling, DevelopmentPlan.title).outerjoin(
        DevelopmentPlan, PlanFiling.development_plan_id == DevelopmentPlan.id)
        .order_by(PlanFiling.filed_on.desc(), PlanFiling.id.desc()))
    return [CityFilingView(f.id, f.title, f.development_plan_id, t, f.filed_to, f.filed_on, f.doc_no, f.note)
            for f, t in rows]


# ---------------------------------------------------------------- the county government's approval of the annual plan


@dataclass(frozen=True)
class AnnualPlanStatus:
    id: int
    year: int
    title: str
    projects: int
    planned_fen: int
    approved: bool
    state: str  # 已批准 / 待县人民政府批准
    approved_on: dt.date | None
    doc_no: str | None
    approved_by: str | None


def _plan_status(uow: UnitOfWork, plan: AnnualPlan) -> AnnualPlanStatus:
    n, total = uow.session.execute(select(func.count(AnnualPlanItem.id), func.coalesce(func.sum(
        AnnualPlanItem.planned_fen), 0)).where(AnnualPlanItem.plan_id == plan.id)).one()
    approved = plan.approved_on is not None
    return AnnualPlanStatus(plan.id, plan.year, plan.title, int(n), int(total), approved,
                            "已批准" if approved else "待县人民政府批准", plan.approved_on, plan.doc_no,
                            plan.approved_by)


def approve_annual_plan(uow: UnitOfWork, *, year: object, approved_on: object, doc_no: str,
                        approved_by: str | None = None) -> AnnualPlanStatus:
    """Record the county government's approval of the year's plan (第六条: 报县人民政府批准后组织实施)."""
    y = check_year(year, "计划年度")
    require(uow.actor, "plan.edit", action="annual_plan.approve", object_id=y)
    day = check_date(approved_on, "批准日期", not_after=_today())
    number = check_doc_no(uow, None, clean_text(doc_no, "批准文号", 80, required=True), day.year)  # 第八条 form
    body = optional_text(approved_by, "批准机关", 150) or get_setting(uow, "government")
    plan = uow.session.scalar(select(AnnualPlan).where(AnnualPlan.year == y))
    if plan is None or not plan.items:
        raise InputError(f"{y}年度计划还没有列入项目，不能报批（请先将项目列入年度计划）")
    first = uow.session.scalar(select(func.min(Approval.decided_on)).join(
        AnnualPlanItem, AnnualPlanItem.project_id == Approval.project_id).join(Project, Project.id == Approval.project_id)
        .where(AnnualPlanItem.plan_id == plan.id, Approval.decision == "approved", Project.year == y))
    if first is not None and day > first:
        raise RuleViolation("第六条", f"本年度已有项目于{first}审批立项，年度计划的批准日期不能晚于该日期")
    before: dict[str, Any] = {"approved_on": plan.approved_on, "doc_no": plan.doc_no, "approved_by": plan.approved_by}
    ensure_annual_plan(uow, y, doc_no=number, approved_on=day)
    plan.approved_by = body
    uow.audit("annual_plan.approve", "annual_plan", y, {"before": before, "after": {
        "approved_on": day, "doc_no": number, "approved_by": body}})
    return _plan_status(uow, plan)


def list_annual_plans(uow: UnitOfWork) -> list[AnnualPlanStatus]:
    _read_scope(uow)
    plans = uow.session.scalars(select(AnnualPlan).order_by(AnnualPlan.year.desc()))
    return [_plan_status(uow, p) for p in plans]


# ---------------------------------------------------------------- multi-year projects in each year's plan


def construction_years(p: Project) -> range:
    """The calendar years a project's construction period covers, from its own year: 18 months → two years."""
    months = p.period_months or 12
    return range(p.year, p.year + max(1, -(-months // 12)))


@dataclass(frozen=True)
class PlanYearView:
    id: int  # the plan item
    code: str
    name: str
    department: str
    project_year: int
    period_months: int | None
    years: str  # 2026—2027年
    plan_year: int
    planned_fen: int
    total_fen: int
    planned_all_years_fen: int


def plan_year_amount(uow: UnitOfWork, *, project: str, year: object, amount: int) -> PlanYearView:
    """List a project in one year's annual plan with that year's amount (第六条). A project whose construction
    period runs over more than a year appears in each of those years' plans; the years' amounts add up to at most
    its approved amount (or total investment)."""
    y = check_year(year, "计划年度")
    require(uow.actor, "plan.edit", action="plan_year.add", object_id=project)
    fen = check_amount(amount, "本年度计划安排")
    p = load_project(uow, str(project).strip())
    if p.status in ENDED:
        raise InputError(f"项目 {p.code} 已{'终止' if p.status == 'terminated' else '撤回或未予立项'}，不能列入年度计划")
    years = construction_years(p)
    if y not in years:
        span = f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"
        raise RuleViolation("第六条", f"项目 {p.code} 建设周期{p.period_months or 12}个月（{span}），"
                                    f"不能列入{y}年度计划")
    plan = ensure_annual_plan(uow, y)
    item = uow.session.scalar(select(AnnualPlanItem).where(AnnualPlanItem.plan_id == plan.id,
                                                           AnnualPlanItem.project_id == p.id))
    others = int(uow.session.scalar(select(func.coalesce(func.sum(AnnualPlanItem.planned_fen), 0)).where(
        AnnualPlanItem.project_id == p.id, AnnualPlanItem.plan_id != plan.id)) or 0)
    ceiling = p.approved_fen if p.approved_fen is not None else p.total_fen
    if others + fen > ceiling:
        raise RuleViolation("第六条", f"项目 {p.code} 各年度计划安排合计{format_yuan(others + fen)}元，超过"
                                    f"{'立项批复金额' if p.approved_fen is not None else '总投资'}{format_yuan(ceiling)}元")
    before = item.planned_fen if item else None
    if item is None:
        item = AnnualPlanItem(plan_id=plan.id, project_id=p.id, planned_fen=fen)
        uow.session.add(item)
    else:
        item.planned_fen = fen
    uow.session.flush()
    uow.audit("plan_year.add", "project", p.code, {"before": {"year": y, "planned_fen": before},
                                                   "after": {"year": y, "planned_fen": fen}})
    return PlanYearView(item.id, p.code, p.name, p.department.name, p.year, p.period_months, _span(years), y, fen,
                        p.total_fen, others + fen)


def _span(years: range) -> str:
    return f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"


def list_plan_years(uow: UnitOfWork) -> list[PlanYearView]:
    """Every plan item of the projects whose construction runs over more than one year, year by year."""
    scope = _read_scope(uow)
    stmt = (select(AnnualPlanItem, AnnualPlan.year, Project).join(AnnualPlan, AnnualPlanItem.plan_id == AnnualPlan.id)
            .join(Project, AnnualPlanItem.project_id == Project.id).where(Project.period_months > 12)
            .order_by(Project.code, AnnualPlan.year))
    if scope is not None:
        stmt = stmt.where(Project.department_id == scope)
    rows = uow.session.execute(stmt).unique().all()
    totals: dict[int, int] = {}
    for item, _y, p in rows:
        totals[p.id] = totals.get(p.id, 0) + item.planned_fen
    return [PlanYearView(item.id, p.code, p.name, p.department.name, p.year, p.period_months,
                         _span(construction_years(p)), y, item.planned_fen, p.total_fen, totals[p.id])
            for item, y, p in rows]


# ---------------------------------------------------------------- corrections (the audit trail keeps the earlier values)


def _changed(before: dict, after: dict) -> dict:
    return {k: v for k, v in after.items() if before.get(k) != v}


def correct_department_plan(uow: UnitOfWork, *, id: object, title: str | None = None,  # noqa: A002
                            start_year: object = None, end_year: object = None, filed_on: object = None,
                            received_by: str | None = None, doc_no: str | None = None,
                            content: str | None = None) -> DevelopmentPlanView:
    """Correct a department plan's filing; what is not given stays."""
    plan = uow.session.get(DevelopmentPlan, check_id(id, "规划编号"))
    if plan is None or plan.department_id is None:
        raise NotFoundError(f"没有这份部门规划：{id}")
    require(uow.actor, "plan.edit", action="dept_plan.correct", object_id=plan.id)
    before: dict[str, Any] = {"title": plan.title, "start_year": plan.start_year, "end_year": plan.end_year,
              "filed_on": plan.filed_on, "received_by": plan.received_by, "doc_no": plan.doc_no,
              "content": plan.content}
    after = dict(before)
    if title not in (None, ""):
        after["title"] = clean_text(title, "规划名称", 200, required=True)
    if start_year not in (None, ""):
        after["start_year"] = check_year(start_year, "规划起始年份")
    if end_year not in (None, ""):
        after["end_year"] = check_year(end_year, "规划截止年份")
    if after["end_year"] < after["start_year"]:
        raise InputError(f"规划截止年份（{after['end_year']}）不能早于起始年份（{after['start_year']}）")
    if filed_on not in (None, ""):
        after["filed_on"] = check_date(filed_on, "备案日期", not_after=_today())
    for key, value, what, n in (("received_by", received_by, "接收人", 50), ("doc_no", doc_no, "规划文号", 80)):
        if value not in (None, ""):
            after[key] = clean_text(value, what, n, required=True)
    if after.get("doc_no") and after["doc_no"] != before["doc_no"]:
        after["doc_no"] = check_doc_no(uow, None, after["doc_no"])  # 第八条 form
    if content not in (None, ""):
        after["content"] = clean_text(content, "主要内容", 10_000, multiline=True)
    changes = _changed(before, after)
    if not changes:
        raise InputError("没有要更正的内容")
    for key, value in changes.items():
        setattr(plan, key, value)
    uow.session.flush()
    uow.audit("dept_plan.correct", "development_plan", plan.id, {
        "before": {k: before[k] for k in changes}, "after": changes})
    dept = uow.session.get(Department, plan.department_id)
    return _plan_view(plan, dept.name if dept else None)


def correct_city_filing(uow: UnitOfWork, *, id: object, title: str | None = None,  # noqa: A002
                        filed_on: object = None, doc_no: str | None = None, filed_to: str | None = None,
                        note: str | None = None) -> CityFilingView:
    """Correct the county's filing with the city; the date still follows the plan it files (第六条)."""
    row = uow.session.get(PlanFiling, check_id(id, "报备编号"))
    if row is None:
        raise NotFoundError(f"没有这条报市备案记录：{id}")
    require(uow.actor, "plan.edit", action="city_filing.correct", object_id=row.id)
    before: dict[str, Any] = {"title": row.title, "filed_on": row.filed_on, "doc_no": row.doc_no, "filed_to": row.filed_to,
              "note": row.note}
    after = dict(before)
    if title not in (None, ""):
        after["title"] = clean_text(title, "报备内容", 200, required=True)
    if filed_on not in (None, ""):
        after["filed_on"] = check_date(filed_on, "报备日期", not_after=_today())
    if doc_no not in (None, ""):
        after["doc_no"] = check_doc_no(uow, None, clean_text(doc_no, "报备文号", 80, required=True))
    if filed_to not in (None, ""):
        after["filed_to"] = clean_text(filed_to, "报备单位", 150, required=True)
    if note not in (None, ""):
        after["note"] = clean_text(note, "备注", 10_000, multiline=True)
    dev = uow.session.get(DevelopmentPlan, row.development_plan_id) if row.development_plan_id else None
    if dev is not None:
        known = dev.filed_on if dev.department_id is not None else (dev.approved_on or dev.filed_on)
        if known is not None and after["filed_on"] < known:
            raise RuleViolation("第六条", f"报市备案日期{after['filed_on']}早于规划“{dev.title}”的备案或批准日期{known}")
    changes = _changed(before, after)
    if not changes:
        raise InputError("没有要更正的内容")
    for key, value in changes.items():
        setattr(row, key, value)
    uow.session.flush()
    uow.audit("city_filing.correct", "plan_filing", row.id, {
        "before": {k: before[k] for k in changes}, "after": changes})
    return CityFilingView(row.id, row.title, row.development_plan_id, dev.title if dev else None, row.filed_to,
                          row.filed_on, row.doc_no, row.note)

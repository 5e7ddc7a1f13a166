"""第六条 on paper no more: department plans filed with the bureau, the county's filing of its plans with the city
bureau, the county government's approval of the annual plan, and multi-year projects in each year's plan."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.errors import RuleViolation
from app.models import AnnualPlan
from app.storage.database import UnitOfWork


def require_approved_plan(uow: UnitOfWork, year: int, on: dt.date) -> None:
    """No project is approved before its year's annual plan is approved by the county government (第六条:
    年度计划报县人民政府批准后组织实施), judged on the dates."""
    plan = uow.session.scalar(select(AnnualPlan).where(AnnualPlan.year == year))
    if plan is None or plan.approved_on is None:
        raise RuleViolation("第六条", f"{year}年度政务大数据应用年度计划尚未经县人民政府批准，不能审批立项")
    if on < plan.approved_on:
        raise RuleViolation("第六条", f"批复日期{on}早于{year}年度计划经县人民政府批准的日期{plan.approved_on}，"
                                    "年度计划批准后方可审批立项")

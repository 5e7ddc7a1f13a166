"""What the paper records ask someone to do, for the dashboard (工作台) and `govdata run-due`: one plain line per item,
naming its article, with the record kind the window opens to show it. Only what the actor may read is listed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.services import accountability, legacy, objections, planning, safety
from app.services.permissions import can
from app.storage.database import UnitOfWork


@dataclass(frozen=True)
class Reminder:
    article: str
    kind: str  # the record kind (app.services.recordkinds) that shows it: 专项记录's tab
    code: str | None  # the project, when there is one
    text: str
    due: dt.date | None = None  # when it falls due (valid until, …), if it has a date


def paper_reminders(uow: UnitOfWork, today: dt.date | None = None) -> list[Reminder]:
    """Failed, expired and expiring 等保/密评 (第二十八条); emergency plans not drilled for a year and incidents not yet
    reported (第二十九条); objections waiting (第十一条); pre-existing systems' O&M waiting for the bureau or finance
    (第二十一条); losses nobody is yet accountable for (第二十二条); annual plans not yet approved by the county
    government (第六条)."""
    today = today or dt.date.today()
    actor = uow.actor
    out: list[Reminder] = []
    if can(actor, "project.read"):
        for plan in planning.list_annual_plans(uow):
            if not plan.approved and plan.projects:
                out.append(Reminder("第六条", "plan-approval", None,
                                    f"{plan.year}年度计划（{plan.projects}个项目）尚未经县人民政府批准，计划内项目不能立项"))
        for o in objections.list_objections(uow):
            if o.handled_on is None:
                out.append(Reminder("第十一条", "objection", o.code,
                                    f"公示异议待处理：{o.objector}（{o.received_on}收到），处理前不能签订合同"))
        for r in legacy.list_om_requests(uow):
            if r.status == "pending" and can(actor, "om.review"):
                out.append(Reminder("第二十一条", "legacy-om", None,
                                    f"原有系统“{r.system}”{r.year}年运维经费待主管部门审核"))
            elif r.status == "approved" and can(actor, "budget"):
                out.append(Reminder("第二十一条", "legacy-om", None,
                                    f"原有系统“{r.system}”{r.year}年运维经费已审核，待列入财政预算"))
        for loss in accountability.losses_without_accountability(uow):
            out.append(Reminder("第二十二条", "fund-loss", loss.code,
                                f"资金损失尚未追究责任：{loss.name}（{loss.found_on}发现）"))
    if can(actor, "security.records"):
        for a in safety.expiring_assessments(uow, today):
            if not a.passed:
                text = f"{a.kind_label}未通过（{a.assessed_on}），不能通过联合验收"
            elif a.days_left is not None and a.days_left < 0:
                text = f"{a.kind_label}已于{a.valid_until}到期，须重新测评"
            else:
                text = f"{a.kind_label}将于{a.valid_until}到期（还有{a.days_left}天）"
            out.append(Reminder("第二十八条", "assessment", a.code, f"{a.name}：{text}", a.valid_until))
        for e in safety.list_emergency_plans(uow, today):
            if e.state != "已定期演练":
                out.append(Reminder("第二十九条", "emergency-plan", e.code, f"应急预案“{e.title}”{e.state}"))
        for i in safety.list_incidents(uow):
            if i.closed_on is None and i.reported_on is None:
                out.append(Reminder("第二十九条", "incident", i.code,
                                    f"安全事件“{i.title}”（{i.occurred_at:%Y-%m-%d}）尚未向有关部门报告"))
    return out

"""第二十九条 and 第二十八条 entered at last: emergency plans made with the contractor, drills, incidents with their
handling, their report to the authorities and their closing; 等保 and 密评 with level, validity and result, and the
ones expiring soon (for the dashboard's reminders).

The incident and drill tables are app.services.security's; this module checks what a person enters (dates, the
order of the facts, the measure's rules) and then records through security's functions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.domain.inputs import check_date, check_id, check_int, clean_text, optional_text
from app.domain.vocabulary import PRE_APPROVAL, SECURITY_KINDS
from app.errors import InputError, NotFoundError, RuleViolation
from app.models import Contract, Contractor, Drill, EmergencyPlan, Incident, Project, SecurityAssessment
from app.services import security
from app.services.assessments import default_validity
from app.services.master import find_contractor, get_setting
from app.services.permissions import can, require
from app.storage.database import UnitOfWork

DRILL_MONTHS = 12  # 第二十九条 定期组织演练: a plan not drilled for a year is listed
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?")


def _project(uow: UnitOfWork, code: object, action: str) -> Project | None:
    if code in (None, ""):
        require(uow.actor, "security.records", action=action)
        return None
    p = uow.session.scalar(select(Project).where(Project.code == str(code).strip()))
    if p is None:
        raise NotFoundError(f"没有找到项目：{code}")
    require(uow.actor, "security.records", p.department_id, action=action, object_id=p.code)
    return p


def _codes(uow: UnitOfWork, ids: set[int | None]) -> dict[int, tuple[str, str, int]]:
    ids = {i for i in ids if i}
    return {i: (c, n, d) for i, c, n, d in uow.session.execute(
        select(Project.id, Project.code, Project.name, Project.department_id).where(Project.id.in_(ids)))}


def _visible(uow: UnitOfWork, department_id: int | None) -> bool:
    return department_id is None or can(uow.actor, "security.records", department_id)


# ---------------------------------------------------------------- emergency plans and drills


@dataclass(frozen=True)
class EmergencyPlanView:
    id: int
    title: str
    code: str | None
    project: str | None
    contractor: str | None
    version: str | None
    approved_on: dt.date | None
    drills: int
    last_drill: dt.date | None
    state: str  # 已定期演练 / 超过12个月未演练 / 尚未演练


def add_emergency_plan(uow: UnitOfWork, *, title: str, project: str | None = None, contractor: str | None = None,
                       plan_version: str | None = None, approved_on: object = None) -> EmergencyPlanView:
    """An emergency plan made by the department together with the contractor (第二十九条 共同制定). For a project
    with contracts the contractor is one of its contractors (the only one is taken when none is named)."""
    p = _project(uow, project, "emergency_plan.add")
    name = clean_text(title, "预案名称", 200, required=True)
    day = check_date(approved_on, "印发日期", not_after=dt.date.today()) if approved_on not in (None, "") else None
    builders = [] if p is None else list(uow.session.scalars(select(Contractor).join(
        Contract, Contract.contractor_id == Contractor.id).where(Contract.project_id == p.id).distinct()))
    chosen = None
    if contractor not in (None, ""):
        chosen = find_contractor(uow, str(contractor))
        if chosen is None:
            raise NotFoundError(f"没有找到建设单位：{contractor}")
        if builders and chosen.id not in {b.id for b in builders}:
            raise RuleViolation("第二十九条", f"应急预案由项目实施单位与项目建设单位共同制定：{chosen.name}"
                                            f"不是项目 {p.code if p else ''} 的建设单位")
    elif len(builders) == 1:
        chosen = builders[0]
    elif builders:
        raise InputError("项目有多个建设单位，请指明与哪个建设单位共同制定预案")
    plan_id = security.add_plan(uow, name, project_id=p.id if p else None, contractor_id=chosen.id if chosen else None,
                                version=optional_text(plan_version, "版本", 20), approved_on=day)
    return EmergencyPlanView(plan_id, name, p.code if p else None, p.name if p else None,
                             chosen.name if chosen else None, plan_version, day, 0, None, "尚未演练")


def _drill_state(last: dt.date | None, today: dt.date) -> str:
    if last is None:
        return "尚未演练"
    cutoff = dt.date(today.year - 1, today.month, min(today.day, 28))
    return "已定期演练" if last >= cutoff else f"超过{DRILL_MONTHS}个月未演练"


def list_emergency_plans(uow: UnitOfWork, today: dt.date | None = None) -> list[EmergencyPlanView]:
    require(uow.actor, "security.records", action="emergency_plan.list")
    today = today or dt.date.today()
    stats = select(Drill.plan_id, func.count(Drill.id).label("n"), func.max(Drill.drilled_on).label("last")) \
        .group_by(Drill.plan_id).subquery()
    rows = uow.session.execute(select(EmergencyPlan, Contractor.name, stats.c.n, stats.c.last)
                               .outerjoin(Contractor, EmergencyPlan.contractor_id == Contractor.id)
                               .outerjoin(stats, stats.c.plan_id == EmergencyPlan.id)
                               .order_by(EmergencyPlan.id.desc())).all()
    codes = _codes(uow, {e.project_id for e, *_ in rows})
    out = []
    for e, contractor, n, last in rows:
        code, name, dept = codes.get(e.project_id or 0, (None, None, None))
        if not _visible(uow, dept):
            continue
        out.append(EmergencyPlanView(e.id, e.title, code, name, contractor, e.version, e.approved_on, int(n or 0),
                                     last, _drill_state(last, today)))
    return out


def add_drill(uow: UnitOfWork, *, plan: object, drilled_on: object, scenario: str, participants: str | None = None,
              result: str | None = None, issues: str | None = None) -> security.DrillView:
    """A drill of an emergency plan (第二十九条 定期组织演练); a plan is drilled after it is issued."""
    e = uow.session.get(EmergencyPlan, check_id(plan, "预案编号"))
    if e is None:
        raise NotFoundError(f"没有这个应急预案：{plan}")
    if e.project_id:
        _project(uow, uow.session.get(Project, e.project_id).code, "drill.add")  # type: ignore[union-attr]
    day = check_date(drilled_on, "演练日期", not_after=dt.date.today())
    if e.approved_on and day < e.approved_on:
        raise InputError(f"演练日期{day}早于预案印发日期{e.approved_on}")
    return security.record_drill(uow, e.id, day, clean_text(scenario, "演练场景", 200, required=True),
                                 optional_text(participants, "参加人员", 10_000, multiline=True),
                                 optional_text(result, "演练结果", 10_000, multiline=True),
                                 optional_text(issues, "发现的问题", 10_000, multiline=True))


# ---------------------------------------------------------------- incidents


@dataclass(frozen=True)
class IncidentRecord:
    id: int
    code: str | None
    occurred_at: dt.datetime
    severity: str
    title: str
    description: str | None
    handling: str | None
    reported_to: str | None
    reported_on: dt.date | None
    closed_on: dt.date | None
    state: str  # 处置中 / 已报告 / 已办结


def _incident_record(i: Incident, code: str | None) -> IncidentRecord:
    state = "已办结" if i.closed_on else ("已报告" if i.reported_on else "处置中")
    return IncidentRecord(i.id, code, i.occurred_at, i.severity, i.title, i.description, i.handling, i.reported_to,
                          i.reported_on, i.closed_on, state)


def parse_moment(value: object, what: str = "发生时间") -> dt.datetime:
    """'2026-05-01 14:30' (or a date alone, taken as 0:00); not in the future."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        m = _DATETIME.fullmatch(str(value).strip())
        if not m:
            raise InputError(f"{what}的格式应为 2026-05-01 14:30：{value}")
        day = check_date(m.group(1), what)
        hour = check_int(m.group(2) or 0, f"{what}（时）", 0, 23)
        minute = check_int(m.group(3) or 0, f"{what}（分）", 0, 59)
        moment = dt.datetime.combine(day, dt.time(hour, minute))
    check_date(moment.date(), what)
    if moment > dt.datetime.now() + dt.timedelta(minutes=5):
        raise InputError(f"{what}不能晚于现在（收到：{moment:%Y-%m-%d %H:%M}）")
    return moment


def _incident(uow: UnitOfWork, id: object, action: str) -> tuple[Incident, str | None]:  # noqa: A002
    i = uow.session.get(Incident, check_id(id, "事件编号"))
    if i is None:
        raise NotFoundError(f"没有这个安全事件：{id}")
    code = None
    if i.project_id:
        p = uow.session.get(Project, i.project_id)
        code = p.code if p else None
    _project(uow, code, action)
    return i, code


def add_incident(uow: UnitOfWork, *, title: str, occurred_at: object, severity: str = "一般",
                 project: str | None = None, description: str | None = None) -> IncidentRecord:
    p = _project(uow, project, "incident.add")
    moment = parse_moment(occurred_at)
    v = security.record_incident(uow, clean_text(title, "事件名称", 200, required=True), moment, severity,
                                 p.id if p else None, optional_text(description, "事件经过", 10_000, multiline=True))
    i = uow.session.get(Incident, v.id)
    assert i is not None
    return _incident_record(i, p.code if p else None)


def handle_incident(uow: UnitOfWork, *, id: object, handling: str) -> IncidentRecord:  # noqa: A002
    """The handling and its records, kept (第二十九条 将处置情况和相关记录保存)."""
    i, code = _incident(uow, id, "incident.update")
    if i.closed_on:
        raise InputError(f"事件已于{i.closed_on}办结")
    security.update_incident(uow, i.id, handling=clean_text(handling, "处置情况", 10_000, required=True,
                                                            multiline=True))
    return _incident_record(i, code)


def report_incident(uow: UnitOfWork, *, id: object, reported_to: str, reported_on: object) -> IncidentRecord:  # noqa: A002
    """The report to the authorities (第二十九条 按照规定向有关部门报告)."""
    i, code = _incident(uow, id, "incident.update")
    day = check_date(reported_on, "报告日期", not_after=dt.date.today())
    if day < i.occurred_at.date():
        raise InputError(f"报告日期{day}早于事件发生日期{i.occurred_at.date()}")
    security.update_incident(uow, i.id, reported_to=clean_text(reported_to, "报告对象", 150, required=True),
                             reported_on=day)
    return _incident_record(i, code)


def close_incident(uow: UnitOfWork, *, id: object, closed_on: object) -> IncidentRecord:  # noqa: A002
    """Close an incident: only with its handling recorded and its report to the authorities made (第二十九条)."""
    i, code = _incident(uow, id, "incident.update")
    day = check_date(closed_on, "办结日期", not_after=dt.date.today())
    if not (i.handling or "").strip():
        raise RuleViolation("第二十九条", "安全事件的处置情况尚未记录，不能办结（应将处置情况和相关记录保存）")
    if i.reported_on is None:
        raise RuleViolation("第二十九条", "安全事件尚未向有关部门报告，不能办结")
    if day < i.reported_on or day < i.occurred_at.date():
        raise InputError(f"办结日期{day}不能早于事件发生日期或报告日期")
    security.update_incident(uow, i.id, closed_on=day)
    return _incident_record(i, code)


def list_incidents(uow: UnitOfWork) -> list[IncidentRecord]:
    require(uow.actor, "security.records", action="incident.list")
    rows = list(uow.session.scalars(select(Incident).order_by(Incident.closed_on.is_not(None),
                                                             Incident.occurred_at.desc())))
    codes = _codes(uow, {i.project_id for i in rows})
    out = []
    for i in rows:
        code, _n, dept = codes.get(i.project_id or 0, (None, None, None))
        if _visible(uow, dept):
            out.append(_incident_record(i, code))
    return out


# ---------------------------------------------------------------- 等保 and 密评 (第二十八条)


@dataclass(frozen=True)
class AssessmentView:
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    level: int | None
    assessed_on: dt.date
    valid_until: dt.date | None
    passed: bool
    result: str
    agency: str | None
    report_no: str | None
    state: str  # 有效 / N天后到期 / 已过期 / 未通过 / 已重新测评
    days_left: int | None


def _assessment_view(a: SecurityAssessment, code: str, name: str, today: dt.date, newest: bool) -> AssessmentView:
    left = (a.valid_until - today).days if a.valid_until else None
    if not newest:
        state = "已重新测评"
    elif not a.passed:
        state = "未通过"
    elif left is None:
        state = "有效（无有效期）"
    elif left < 0:
        state = "已过期"
    elif left <= 60:
        state = f"{left}天后到期"
    else:
        state = "有效"
    return AssessmentView(a.id, code, name, a.kind, SECURITY_KINDS.get(a.kind, a.kind), a.level, a.assessed_on,
                          a.valid_until, a.passed, "通过" if a.passed else "未通过", a.agency, a.report_no, state, left)


def record_assessment(uow: UnitOfWork, *, project: str, kind: str, assessed_on: object, passed: bool = True,
                      level: object = None, valid_until: object = None, agency: str | None = None,
                      report_no: str | None = None) -> AssessmentView:
    """An 等保 or 密评 (or risk assessment) of the project (第二十八条), with its validity; a failed one refuses
    joint acceptance until a passing one is recorded (app.services.assessments)."""
    p = _project(uow, project, "assessment.add")
    assert p is not None
    if p.status in PRE_APPROVAL + ("rejected", "withdrawn"):
        raise InputError(f"项目 {p.code} 尚未立项，不能登记安全测评")
    if kind not in SECURITY_KINDS:
        raise InputError(f"测评类型应为：{'、'.join(SECURITY_KINDS.values())}")
    lvl = check_int(level, "等保级别", 1, 5) if level not in (None, "") else None
    if kind == "mlps" and lvl is None:
        raise InputError("等级保护测评须填写级别（1—4级）")
    if kind == "mlps" and lvl == 5:
        raise InputError("第五级系统不属于本办法的范围（非涉密项目）")
    day = check_date(assessed_on, "测评日期", not_after=dt.date.today())
    until = check_date(valid_until, "有效期至") if valid_until not in (None, "") else default_validity(kind, lvl, day)
    if until is not None and until <= day:
        raise InputError(f"有效期至{until}应晚于测评日期{day}")
    a = SecurityAssessment(project_id=p.id, kind=kind, level=lvl, assessed_on=day, passed=bool(passed),
                           valid_until=until if passed else None, agency=optional_text(agency, "测评机构", 150),
                           report_no=optional_text(report_no, "报告编号", 80))
    uow.session.add(a)
    uow.session.flush()
    uow.audit("assessment.add", "security_assessment", a.id, {"after": {
        "project": p.code, "kind": kind, "level": lvl, "assessed_on": day, "passed": a.passed,
        "valid_until": a.valid_until}})
    return _assessment_view(a, p.code, p.name, dt.date.today(), True)


def list_assessments(uow: UnitOfWork, today: dt.date | None = None) -> list[AssessmentView]:
    require(uow.actor, "security.records", action="assessment.list")
    today = today or dt.date.today()
    rows = uow.session.execute(select(SecurityAssessment, Project.code, Project.name, Project.department_id)
                               .join(Project, SecurityAssessment.project_id == Project.id)
                               .order_by(Project.code, SecurityAssessment.kind, SecurityAssessment.assessed_on.desc(),
                                         SecurityAssessment.id.desc())).all()
    seen: set[tuple[int, str]] = set()
    out = []
    for a, code, name, dept in rows:
        if not _visible(uow, dept):
            continue
        newest = (a.project_id, a.kind) not in seen
        seen.add((a.project_id, a.kind))
        out.append(_assessment_view(a, code, name, today, newest))
    return out


def expiring_assessments(uow: UnitOfWork, today: dt.date | None = None,
                         within_days: int | None = None) -> list[AssessmentView]:
    """第二十八条 reminders: each project's newest 等保 / 密评 that failed, has expired, or expires within the
    bureau's reminder days (setting security.reminder_days, 60 by default); soonest first. Terminated projects
    are left out."""
    today = today or dt.date.today()
    days = within_days if within_days is not None else int(get_setting(uow, "security.reminder_days"))
    ended = set(uow.session.scalars(select(Project.id).where(Project.status.in_(("terminated", "withdrawn")))))
    found = [a for a in list_assessments(uow, today) if a.state != "已重新测评" and a.kind in ("mlps", "crypto")]
    ids = {a.code for a in found}
    live = {c for i, c in uow.session.execute(select(Project.id, Project.code).where(Project.code.in_(ids)))
            if i not in ended}
    due = [a for a in found if a.code in live and (not a.passed or (a.days_left is not None and a.days_left <= days))]
    return sorted(due, key=lambda a: (a.passed, a.days_left if a.days_left is not None else -10**6))


def correct_assessment(uow: UnitOfWork, *, id: object, passed: bool | None = None,  # noqa: A002
                       level: object = None, valid_until: object = None, agency: str | None = None,
                       report_no: str | None = None) -> AssessmentView:
    """Correct an assessment's result, level, validity or report; the audit trail keeps the earlier values."""
    a = uow.session.get(SecurityAssessment, check_id(id, "测评编号"))
    if a is None:
        raise NotFoundError(f"没有这条安全测评记录：{id}")
    p = uow.session.get(Project, a.project_id)
    assert p is not None
    _project(uow, p.code, "assessment.correct")
    before: dict[str, Any] = {"passed": a.passed, "level": a.level, "valid_until": a.valid_until, "agency": a.agency,
              "report_no": a.report_no}
    after = dict(before)
    if passed is not None:
        after["passed"] = bool(passed)
    if level not in (None, ""):
        after["level"] = check_int(level, "等保级别", 1, 4)
    if valid_until not in (None, ""):
        after["valid_until"] = check_date(valid_until, "有效期至")
    if agency not in (None, ""):
        after["agency"] = clean_text(agency, "测评机构", 150, required=True)
    if report_no not in (None, ""):
        after["report_no"] = clean_text(report_no, "报告编号", 80, required=True)
    if not after["passed"]:
        after["valid_until"] = None  # a failed assessment is valid for nothing
    elif after["valid_until"] is None:
        after["valid_until"] = default_validity(a.kind, after["level"], a.assessed_on)
    if after["valid_until"] is not None and after["valid_until"] <= a.assessed_on:
        raise InputError(f"有效期至{after['valid_until']}应晚于测评日期{a.assessed_on}")
    changes = {k: v for k, v in after.items() if before[k] != v}
    if not changes:
        raise InputError("没有要更正的内容")
    for key, value in changes.items():
        setattr(a, key, value)
    uow.session.flush()
    uow.audit("assessment.correct", "security_assessment", a.id, {
        "before": {k: before[k] for k in changes}, "after": changes})
    newest = uow.session.scalar(select(SecurityAssessment.id).where(
        SecurityAssessment.project_id == a.project_id, SecurityAssessment.kind == a.kind)
        .order_by(SecurityAssessment.assessed_on.desc(), SecurityAssessment.id.desc()).limit(1))
    return _assessment_view(a, p.code, p.name, dt.date.today(), newest == a.id)

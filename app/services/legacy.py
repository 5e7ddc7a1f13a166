"""第二十一条 for systems that existed before the program (原有信息化项目, no project record): the system is
registered, its O&M costs are requested by the department, reviewed by the bureau, and only then listed in the
budget by finance. 第九条 holds here too: no O&M funds for a system that does not share its data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.domain.inputs import check_amount, check_date, check_id, check_year, clean_text, optional_text
from app.domain.money import format_yuan
from app.domain.vocabulary import LEGACY_OM_STATUS
from app.errors import InputError, NotFoundError, RuleViolation
from app.models import Department, LegacyOmRequest, LegacySystem
from app.services.master import get_department
from app.services.numbering import check_doc_no
from app.services.permissions import can, require
from app.storage.database import UnitOfWork


def _who(uow: UnitOfWork) -> str:
    return uow.actor.display_name or uow.actor.username


def _scope(uow: UnitOfWork, stmt: Any) -> Any:
    require(uow.actor, "project.read", action="legacy.list")
    if not can(uow.actor, "project.read_all"):
        return stmt.where(LegacySystem.department_id == uow.actor.department_id)
    return stmt


@dataclass(frozen=True)
class LegacySystemView:
    id: int
    name: str
    department: str
    department_id: int
    built_year: int
    description: str | None
    catalogue_registered: bool
    data_landed: bool
    sharing: str  # 已共享 / 未共享（…）


def _sharing(s: LegacySystem) -> str:
    missing = [w for ok, w in ((s.catalogue_registered, "目录未注册"), (s.data_landed, "数据未落盘")) if not ok]
    return "已共享" if not missing else "未共享（" + "、".join(missing) + "）"


def _system_view(s: LegacySystem, department: str) -> LegacySystemView:
    return LegacySystemView(s.id, s.name, department, s.department_id, s.built_year, s.description,
                            s.catalogue_registered, s.data_landed, _sharing(s))


def register_system(uow: UnitOfWork, *, name: str, department: str | int, built_year: object,
                    description: str | None = None, catalogue_registered: bool = False,
                    data_landed: bool = False) -> LegacySystemView:
    """Register a system that was built before the program (第二十一条 原有信息化项目)."""
    dept = get_department(uow, department)
    require(uow.actor, "project.register", dept.id, action="legacy.add", object_id=name)
    title = clean_text(name, "系统名称", 200, required=True)
    year = check_year(built_year, "建成年份")
    if year > dt.date.today().year:
        raise InputError(f"建成年份{year}晚于今年：原有系统应是已经建成的系统")
    if uow.session.scalar(select(LegacySystem.id).where(LegacySystem.department_id == dept.id,
                                                        LegacySystem.name == title)):
        raise InputError(f"{dept.name}已登记原有系统：{title}")
    s = LegacySystem(name=title, department_id=dept.id, built_year=year,
                     description=optional_text(description, "系统简介", 10_000, multiline=True),
                     catalogue_registered=bool(catalogue_registered), data_landed=bool(data_landed))
    uow.session.add(s)
    uow.session.flush()
    uow.audit("legacy.add", "legacy_system", s.id, {"after": {
        "name": title, "department": dept.name, "built_year": year, "catalogue_registered": s.catalogue_registered,
        "data_landed": s.data_landed}})
    return _system_view(s, dept.name)


def _system(uow: UnitOfWork, system: object) -> LegacySystem:
    s = uow.session.get(LegacySystem, check_id(system, "系统编号"))
    if s is None:
        raise NotFoundError(f"没有这个原有系统：{system}")
    return s


def _dept_name(uow: UnitOfWork, department_id: int) -> str:
    d = uow.session.get(Department, department_id)
    return d.name if d else ""


def update_sharing(uow: UnitOfWork, *, id: object, catalogue_registered: bool,  # noqa: A002
                   data_landed: bool) -> LegacySystemView:
    """Correct whether the system's catalogue is registered and its data landed (第九、十九条); audited."""
    s = _system(uow, id)
    require(uow.actor, "project.register", s.department_id, action="legacy.sharing", object_id=s.id)
    before = {"catalogue_registered": s.catalogue_registered, "data_landed": s.data_landed}
    s.catalogue_registered, s.data_landed = bool(catalogue_registered), bool(data_landed)
    uow.session.flush()
    uow.audit("legacy.sharing", "legacy_system", s.id, {"before": before, "after": {
        "catalogue_registered": s.catalogue_registered, "data_landed": s.data_landed}})
    return _system_view(s, _dept_name(uow, s.department_id))


def list_systems(uow: UnitOfWork) -> list[LegacySystemView]:
    stmt = _scope(uow, select(LegacySystem, Department.name).join(Department, LegacySystem.department_id ==
                                                                  Department.id).order_by(Department.name,
                                                                                          LegacySystem.name))
    return [_system_view(s, d) for s, d in uow.session.execute(stmt)]


# ---------------------------------------------------------------- O&M requests: department → bureau → finance


@dataclass(frozen=True)
class LegacyOmView:
    id: int
    system_id: int
    system: str
    department: str
    year: int
    amount_fen: int
    requested_on: dt.date
    content: str | None
    status: str
    status_label: str
    reviewed_on: dt.date | None
    reviewer: str | None
    review_opinion: str | None
    reviewed_fen: int | None
    budget_on: dt.date | None
    budget_fen: int | None
    budget_doc_no: str | None


def _om_view(r: LegacyOmRequest, s: LegacySystem, department: str) -> LegacyOmView:
    return LegacyOmView(r.id, s.id, s.name, department, r.year, r.amount_fen, r.requested_on, r.content, r.status,
                        LEGACY_OM_STATUS.get(r.status, r.status), r.reviewed_on, r.reviewer, r.review_opinion,
                        r.reviewed_fen, r.budget_on, r.budget_fen, r.budget_doc_no)


def _request(uow: UnitOfWork, request: object) -> tuple[LegacyOmRequest, LegacySystem]:
    r = uow.session.get(LegacyOmRequest, check_id(request, "申请编号"))
    if r is None:
        raise NotFoundError(f"没有这项运维经费申请：{request}")
    s = uow.session.get(LegacySystem, r.system_id)
    assert s is not None
    return r, s


def request_om(uow: UnitOfWork, *, system: object, year: object, amount: int, requested_on: object,
               content: str | None = None) -> LegacyOmView:
    """The department asks for a year's O&M costs of its pre-existing system; the bureau reviews it first."""
    s = _system(uow, system)
    require(uow.actor, "om.request", s.department_id, action="legacy_om.request", object_id=s.id)
    y = check_year(year, "经费年度")
    fen = check_amount(amount, "申请金额")
    if fen <= 0:
        raise InputError("申请金额应大于零")
    day = check_date(requested_on, "申请日期", not_after=dt.date.today())
    if uow.session.scalar(select(LegacyOmRequest.id).where(
            LegacyOmRequest.system_id == s.id, LegacyOmRequest.year == y,
            LegacyOmRequest.status.in_(("pending", "approved", "budgeted")))):
        raise InputError(f"“{s.name}”{y}年的运维经费已有申请在办或已核定")
    r = LegacyOmRequest(system_id=s.id, year=y, amount_fen=fen, requested_on=day,
                        content=optional_text(content, "运维内容", 10_000, multiline=True))
    uow.session.add(r)
    uow.session.flush()
    uow.audit("legacy_om.request", "legacy_om_request", r.id, {"after": {
        "system": s.name, "year": y, "amount": format_yuan(fen), "requested_on": day}})
    return _om_view(r, s, _dept_name(uow, s.department_id))


def review_om(uow: UnitOfWork, *, id: object, decision: str, reviewed_on: object, opinion: str,  # noqa: A002
              amount: int | None = None) -> LegacyOmView:
    """The bureau's review (第二十一条: 经县行政审批服务管理局审核); a system that does not share its data gets no
    O&M funds (第九条)."""
    r, s = _request(uow, id)
    require(uow.actor, "om.review", action="legacy_om.review", object_id=r.id)
    if r.status != "pending":
        raise InputError(f"这项申请{LEGACY_OM_STATUS.get(r.status, r.status)}，不能再审核")
    if decision not in ("approve", "reject"):
        raise InputError("审核结论应为：同意、不同意")
    day = check_date(reviewed_on, "审核日期", not_after=dt.date.today())
    if day < r.requested_on:
        raise InputError(f"审核日期{day}不能早于申请日期{r.requested_on}")
    text = clean_text(opinion, "审核意见", 10_000, required=True, multiline=True)
    if decision == "approve":
        if not (s.catalogue_registered and s.data_landed):
            raise RuleViolation("第九条", f"“{s.name}”{_sharing(s)}：未按要求进行业务协同和数据共享的系统，"
                                        "不再拨付运维经费")
        fen = r.amount_fen if amount is None else check_amount(amount, "核定金额")
        if fen <= 0 or fen > r.amount_fen:
            raise InputError(f"核定金额应大于零且不超过申请金额{format_yuan(r.amount_fen)}元")
        r.status, r.reviewed_fen = "approved", fen
    else:
        r.status, r.reviewed_fen = "rejected", 0
    r.reviewed_on, r.review_opinion, r.reviewer = day, text, _who(uow)
    uow.session.flush()
    uow.audit("legacy_om.review", "legacy_om_request", r.id, {"before": {"status": "pending"}, "after": {
        "status": r.status, "reviewed_on": day, "amount": format_yuan(r.reviewed_fen or 0), "opinion": text}})
    return _om_view(r, s, _dept_name(uow, s.department_id))


def budget_om(uow: UnitOfWork, *, id: object, budget_on: object, amount: int,  # noqa: A002
              doc_no: str | None = None) -> LegacyOmView:
    """Finance lists the reviewed O&M costs in the budget (第二十一条: 审核后按程序列入财政预算)."""
    r, s = _request(uow, id)
    require(uow.actor, "budget", action="legacy_om.budget", object_id=r.id)
    if r.status != "approved":
        raise RuleViolation("第二十一条", "运行维护费用须经县行政审批服务管理局（县政务信息管理局）审核通过后，"
                                        f"方可列入财政预算（这项申请{LEGACY_OM_STATUS.get(r.status, r.status)}）")
    fen = check_amount(amount, "预算金额")
    if fen <= 0 or fen > (r.reviewed_fen or 0):
        raise RuleViolation("第二十一条", f"预算金额{format_yuan(fen)}元应大于零且不超过主管部门核定的"
                                        f"{format_yuan(r.reviewed_fen or 0)}元")
    day = check_date(budget_on, "列入预算日期", not_after=dt.date.today())
    if r.reviewed_on and day < r.reviewed_on:
        raise InputError(f"列入预算日期{day}不能早于主管部门审核日期{r.reviewed_on}")
    r.status, r.budget_on, r.budget_fen = "budgeted", day, fen
    number = optional_text(doc_no, "预算文号", 80)
    r.budget_doc_no, r.budget_by = (check_doc_no(uow, None, number) if number else None), _who(uow)  # 第八条 form
    uow.session.flush()
    uow.audit("legacy_om.budget", "legacy_om_request", r.id, {"before": {"status": "approved"}, "after": {
        "status": "budgeted", "budget_on": day, "amount": format_yuan(fen), "doc_no": r.budget_doc_no}})
    return _om_view(r, s, _dept_name(uow, s.department_id))


def list_om_requests(uow: UnitOfWork) -> list[LegacyOmView]:
    stmt = _scope(uow, select(LegacyOmRequest, LegacySystem, Department.name)
                  .join(LegacySystem, LegacyOmRequest.system_id == LegacySystem.id)
                  .join(Department, LegacySystem.department_id == Department.id)
                  .order_by(LegacyOmRequest.status != "pending", LegacyOmRequest.year.desc(), LegacyOmRequest.id))
    return [_om_view(r, s, d) for r, s, d in uow.session.execute(stmt)]

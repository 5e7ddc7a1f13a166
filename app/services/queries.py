"""Lists for the stage pages of the window (年度计划 … 绩效评价): plain frozen rows, permission-checked.

Every query needs "project.read"; an account that may not read all departments sees its own department only.
Rows carry the project code (`code`) so a double-click opens the project page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.domain.vocabulary import (
    CONTRACT_KINDS,
    RECTIFICATION_REASONS,
    RECTIFICATION_STATUS_LABELS,
    REQUEST_STATUS_LABELS,
    STATUS_LABELS,
)
from app.models import Department, Project
from app.models.project import (
    Acceptance,
    AnnualPlan,
    AnnualPlanItem,
    AutonomyCheck,
    Budget,
    CatalogueItem,
    ChangeRequest,
    Contract,
    Evaluation,
    OmRequest,
    Payment,
    Publicity,
    PublicityItem,
    Rectification,
)
from app.services.permissions import can, require
from app.storage.database import UnitOfWork

DECISION_LABELS = REQUEST_STATUS_LABELS  # the labels live in app.domain.vocabulary (one table)
RECTIFICATION_STATUS = RECTIFICATION_STATUS_LABELS
REVIEW_QUEUE = ("submitted", "in_review", "reviewed")


def _check_label(passed: bool | None) -> str:
    return {True: "通过", False: "未通过"}.get(passed, "未检查") if passed is not None else "未检查"


def _scoped(uow: UnitOfWork, stmt: Any) -> Any:
    """Restrict to the actor's department unless it may read all (after require("project.read"))."""
    require(uow.actor, "project.read")
    if not can(uow.actor, "project.read_all"):
        stmt = stmt.where(Project.department_id == uow.actor.department_id)
    return stmt


def _project_cols() -> tuple[Any, ...]:
    return (Project.code, Project.name, Department.name)


# ---------------------------------------------------------------- 年度计划


@dataclass(frozen=True)
class PlanRow:
    code: str
    name: str
    department: str
    category: str
    status_label: str
    total_fen: int
    planned_fen: int


@dataclass(frozen=True)
class PlanList:
    year: int
    title: str | None  # None: no annual plan for the year yet
    doc_no: str | None
    rows: tuple[PlanRow, ...]
    candidates: tuple[PlanRow, ...]  # the year's projects not in the plan (closed ones left out)


def plan_list(uow: UnitOfWork, year: int) -> PlanList:
    plan = uow.session.scalar(select(AnnualPlan).where(AnnualPlan.year == year))
    base = (select(Project, Department.name, AnnualPlanItem.planned_fen)
            .join(Department, Project.department_id == Department.id))
    rows: list[PlanRow] = []
    in_plan: set[str] = set()
    if plan is not None:
        stmt = _scoped(uow, base.join(AnnualPlanItem, AnnualPlanItem.project_id == Project.id)
                       .where(AnnualPlanItem.plan_id == plan.id).order_by(Project.code))
        for p, dept, planned in uow.session.execute(stmt):
            rows.append(PlanRow(p.code, p.name, dept, p.category, STATUS_LABELS[p.status], p.total_fen, planned or 0))
            in_plan.add(p.code)
    stmt = _scoped(uow, select(Project, Department.name).join(Department, Project.department_id == Department.id)
                   .where(Project.year == year, Project.status.not_in(("rejected", "withdrawn", "terminated")))
                   .order_by(Project.code))
    candidates = [PlanRow(p.code, p.name, dept, p.category, STATUS_LABELS[p.status], p.total_fen, p.year_request_fen)
                  for p, dept in uow.session.execute(stmt) if p.code not in in_plan]
    return PlanList(year, plan.title if plan else None, plan.doc_no if plan else None, tuple(rows), tuple(candidates))


# ---------------------------------------------------------------- 审核立项 (第二十三条: previous-year evaluation)


@dataclass(frozen=True)
class ReviewRow:
    code: str
    name: str
    department: str
    year: int
    status: str
    status_label: str
    total_fen: int
    previous: str  # the department's evaluations of the year before, e.g. "优 92.00（QS-2025-0001）"


def review_queue(uow: UnitOfWork) -> list[ReviewRow]:
    """Projects waiting for review or approval, oldest first, with the department's previous-year evaluations."""
    stmt = _scoped(uow, select(Project, Department.name).join(Department, Project.department_id == Department.id)
                   .where(Project.status.in_(REVIEW_QUEUE)).order_by(Project.year, Project.code))
    found = uow.session.execute(stmt).all()
    evals: dict[tuple[int, int], list[str]] = {}
    keys = {(p.department_id, p.year - 1) for p, _ in found}
    if keys:
        rows = uow.session.execute(
            select(Project.department_id, Evaluation.year, Evaluation.grade, Evaluation.total, Project.code)
            .join(Project, Evaluation.project_id == Project.id)
            .where(Evaluation.year.in_({y for _, y in keys}), Project.department_id.in_({d for d, _ in keys}))
            .order_by(Evaluation.id))
        for dept_id, year, grade, total, code in rows:
            evals.setdefault((dept_id, year), []).append(f"{grade} {total}（{code}）")
    return [ReviewRow(p.code, p.name, dept, p.year, p.status, STATUS_LABELS[p.status], p.total_fen,
                      "；".join(evals.get((p.department_id, p.year - 1), [])) or "上年度无评价")
            for p, dept in found]


# ---------------------------------------------------------------- 预算与公示


@dataclass(frozen=True)
class BudgetRow:
    id: int
    code: str
    name: str
    department: str
    year: int
    kind_label: str
    amount_fen: int
    doc_no: str | None
    set_on: dt.date


def list_budgets(uow: UnitOfWork, year: int | None = None) -> list[BudgetRow]:
    stmt = select(Budget, *_project_cols()).join(Project, Budget.project_id == Project.id).join(
        Department, Project.department_id == Department.id)
    if year is not None:
        stmt = stmt.where(Budget.year == year)
    stmt = _scoped(uow, stmt.order_by(Budget.year.desc(), Project.code))
    return [BudgetRow(b.id, code, name, dept, b.year, "运维经费" if b.kind == "om" else "建设资金", b.amount_fen,
                      b.doc_no, b.set_on) for b, code, name, dept in uow.session.execute(stmt)]


@dataclass(frozen=True)
class PublicityRow:
    id: int
    year: int
    title: str
    doc_no: str | None
    start_on: dt.date
    end_on: dt.date
    projects: int
    amount_fen: int


def list_publicities(uow: UnitOfWork, year: int | None = None) -> list[PublicityRow]:
    require(uow.actor, "project.read")
    stmt = (select(Publicity, func.count(PublicityItem.id), func.coalesce(func.sum(PublicityItem.amount_fen), 0))
            .outerjoin(PublicityItem, PublicityItem.publicity_id == Publicity.id)
            .group_by(Publicity.id).order_by(Publicity.year.desc(), Publicity.id.desc()))
    if year is not None:
        stmt = stmt.where(Publicity.year == year)
    return [PublicityRow(p.id, p.year, p.title, p.doc_no, p.start_on, p.end_on, n, int(total))
            for p, n, total in uow.session.execute(stmt)]


# ---------------------------------------------------------------- 合同与资金 (第十五条)


@dataclass(frozen=True)
class ContractRow:
    id: int
    code: str
    name: str
    department: str
    contract_no: str
    kind_label: str
    contractor: str
    amount_fen: int
    signed_on: dt.date
    filing_due: dt.date
    filed_on: dt.date | None
    paid_fen: int
    flag: str  # 按期备案 / 逾期备案 / 待备案 / 逾期未备案
    late: bool  # filed late, or not filed and past the due date
    provisional: bool  # the due date was counted without the year's holidays


def list_contracts(uow: UnitOfWork, today: dt.date | None = None, code: str | None = None) -> list[ContractRow]:
    """All contracts the actor may see, or one project's (`code`)."""
    today = today or dt.date.today()
    paid = dict(uow.session.execute(select(Payment.contract_id, func.sum(Payment.amount_fen))
                                    .where(Payment.contract_id.is_not(None)).group_by(Payment.contract_id)).all())
    stmt = _scoped(uow, select(Contract, *_project_cols()).join(Project, Contract.project_id == Project.id)
                   .join(Department, Project.department_id == Department.id)
                   .order_by(Contract.signed_on.desc(), Contract.id.desc()))
    if code is not None:
        stmt = stmt.where(Project.code == code)
    out = []
    for c, code, name, dept in uow.session.execute(stmt).unique():
        if c.filed_on is not None:
            late = bool(c.filed_late) if c.filed_late is not None else c.filed_on > c.filing_due
            flag = "逾期备案" if late else "按期备案"
        else:
            late = today > c.filing_due
            flag = "逾期未备案" if late else "待备案"
        out.append(ContractRow(c.id, code, name, dept, c.contract_no, CONTRACT_KINDS.get(c.kind, c.kind),
                               c.contractor.name, c.amount_fen, c.signed_on, c.filing_due, c.filed_on,
                               int(paid.get(c.id) or 0), flag, late, c.filing_due_provisional))
    return out


@dataclass(frozen=True)
class PaymentRow:
    id: int
    code: str
    name: str
    department: str
    contract_no: str | None
    kind_label: str
    amount_fen: int
    paid_on: dt.date
    voucher_no: str | None
    purpose: str | None


def list_payments(uow: UnitOfWork, code: str | None = None) -> list[PaymentRow]:
    """All payments the actor may see, or one project's (`code`)."""
    stmt = _scoped(uow, select(Payment, Contract.contract_no, *_project_cols())
                   .join(Project, Payment.project_id == Project.id)
                   .join(Department, Project.department_id == Department.id)
                   .outerjoin(Contract, Payment.contract_id == Contract.id)
                   .order_by(Payment.paid_on.desc(), Payment.id.desc()))
    if code is not None:
        stmt = stmt.where(Project.code == code)
    return [PaymentRow(p.id, code, name, dept, no, "运维经费" if p.kind == "om" else "建设资金", p.amount_fen,
                       p.paid_on, p.voucher_no, p.purpose) for p, no, code, name, dept in uow.session.execute(stmt)]


# ---------------------------------------------------------------- 变更 (第十七条)


@dataclass(frozen=True)
class ChangeRow:
    id: int
    code: str
    name: str
    department: str
    requested_on: dt.date
    major: bool
    description: str
    status: str
    status_label: str
    decided_on: dt.date | None


def list_changes(uow: UnitOfWork) -> list[ChangeRow]:
    """Pending requests first (oldest first), then the decided ones (newest first)."""
    stmt = _scoped(uow, select(ChangeRequest, *_project_cols()).join(Project, ChangeRequest.project_id == Project.id)
                   .join(Department, Project.department_id == Department.id))
    rows = [ChangeRow(c.id, code, name, dept, c.requested_on, c.major, c.description, c.status,
                      DECISION_LABELS.get(c.status, c.status), c.decided_on)
            for c, code, name, dept in uow.session.execute(stmt)]
    pending = sorted((r for r in rows if r.status == "pending"), key=lambda r: (r.requested_on, r.id))
    done = sorted((r for r in rows if r.status != "pending"), key=lambda r: (r.decided_on or r.requested_on, r.id),
                  reverse=True)
    return pending + done


# ---------------------------------------------------------------- 验收 (第十八—二十条)


@dataclass(frozen=True)
class AcceptanceRow:
    code: str
    name: str
    department: str
    status_label: str
    preliminary_on: dt.date | None
    joint_on: dt.date | None
    catalogue: str  # "已注册 1/2"
    data_landed: bool
    autonomy: str  # 通过 / 未通过 / 未检查
    missing: str  # what joint acceptance still needs


ACCEPTANCE_STATES = ("under_construction", "preliminarily_accepted", "accepted", "in_operation")


def acceptance_list(uow: UnitOfWork) -> list[AcceptanceRow]:
    stmt = _scoped(uow, select(Project, Department.name).join(Department, Project.department_id == Department.id)
                   .where(Project.status.in_(ACCEPTANCE_STATES)).order_by(Project.code))
    found = uow.session.execute(stmt).all()
    ids = [p.id for p, _ in found]
    acc: dict[tuple[int, str], dt.date] = {}
    cat: dict[int, list[int]] = {}
    auto: dict[int, bool] = {}
    if ids:
        for pid, stage, on in uow.session.execute(select(Acceptance.project_id, Acceptance.stage, Acceptance.accepted_on)
                                                  .where(Acceptance.project_id.in_(ids), Acceptance.passed.is_(True))):
            acc[(pid, stage)] = on
        for pid, registered in uow.session.execute(select(CatalogueItem.project_id, CatalogueItem.registered)
                                                   .where(CatalogueItem.project_id.in_(ids))):
            c = cat.setdefault(pid, [0, 0])
            c[0] += bool(registered)
            c[1] += 1
        for pid, passed in uow.session.execute(select(AutonomyCheck.project_id, AutonomyCheck.passed)
                                               .where(AutonomyCheck.project_id.in_(ids)).order_by(AutonomyCheck.id)):
            auto[pid] = passed
    out = []
    for p, dept in found:
        reg, n = cat.get(p.id, [0, 0])
        missing = []
        if (p.id, "preliminary") not in acc:
            missing.append("初步验收")
        if not reg:
            missing.append("目录注册")
        if not p.data_landed:
            missing.append("数据落盘")
        if not auto.get(p.id):
            missing.append("自主可控检查")
        joint = acc.get((p.id, "joint"))
        out.append(AcceptanceRow(p.code, p.name, dept, STATUS_LABELS[p.status], acc.get((p.id, "preliminary")), joint,
                                 f"已注册 {reg}/{n}" if n else "未登记", p.data_landed,
                                 _check_label(auto.get(p.id)),
                                 "" if joint else "、".join(missing) or "可申请联合验收"))
    return out


# ---------------------------------------------------------------- 运维 (第二十一条)


@dataclass(frozen=True)
class OmRow:
    id: int
    code: str
    name: str
    department: str
    year: int
    amount_fen: int
    requested_on: dt.date
    status: str
    status_label: str
    approved_fen: int | None
    opinion: str | None


def list_om_requests(uow: UnitOfWork) -> list[OmRow]:
    stmt = _scoped(uow, select(OmRequest, *_project_cols()).join(Project, OmRequest.project_id == Project.id)
                   .join(Department, Project.department_id == Department.id)
                   .order_by(OmRequest.year.desc(), OmRequest.id.desc()))
    rows = [OmRow(o.id, code, name, dept, o.year, o.amount_fen, o.requested_on, o.status,
                  DECISION_LABELS.get(o.status, o.status), o.approved_fen, o.opinion)
            for o, code, name, dept in uow.session.execute(stmt)]
    return sorted(rows, key=lambda r: r.status != "pending")


# ---------------------------------------------------------------- 整改 (第二十二条)


@dataclass(frozen=True)
class RectificationRow:
    id: int
    code: str
    name: str
    department: str
    doc_no: str | None
    reason_label: str
    issued_on: dt.date
    deadline: dt.date
    status: str  # open completed overdue (open past its deadline counts as overdue)
    status_label: str
    days_left: int | None  # for open ones: days until the deadline (negative: overdue)


def list_rectifications(uow: UnitOfWork, today: dt.date | None = None) -> list[RectificationRow]:
    today = today or dt.date.today()
    stmt = _scoped(uow, select(Rectification, *_project_cols()).join(Project, Rectification.project_id == Project.id)
                   .join(Department, Project.department_id == Department.id)
                   .order_by(Rectification.deadline, Rectification.id))
    out = []
    for r, code, name, dept in uow.session.execute(stmt):
        status = r.status
        if status == "open" and today > r.deadline:
            status = "overdue"
        left = (r.deadline - today).days if r.status != "completed" else None
        out.append(RectificationRow(r.id, code, name, dept, r.doc_no, RECTIFICATION_REASONS.get(r.reason, r.reason),
                                    r.issued_on, r.deadline, status, RECTIFICATION_STATUS.get(status, status), left))
    return sorted(out, key=lambda r: (r.status == "completed", r.deadline))


# ---------------------------------------------------------------- 绩效评价 (第二十三条)


@dataclass(frozen=True)
class EvaluationRow:
    id: int
    code: str
    name: str
    department: str
    year: int
    evaluated_on: dt.date
    evaluator: str | None
    total: str
    grade: str


def list_evaluations(uow: UnitOfWork, year: int | None = None) -> list[EvaluationRow]:
    stmt = select(Evaluation, *_project_cols()).join(Project, Evaluation.project_id == Project.id).join(
        Department, Project.department_id == Department.id)
    if year is not None:
        stmt = stmt.where(Evaluation.year == year)
    stmt = _scoped(uow, stmt.order_by(Evaluation.year.desc(), Evaluation.total.desc()))
    return [EvaluationRow(e.id, code, name, dept, e.year, e.evaluated_on, e.evaluator, f"{e.total:.2f}", e.grade)
            for e, code, name, dept in uow.session.execute(stmt)]

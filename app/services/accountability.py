"""第二十二条 after the order: the outcome of a rectification (整改完成, or 整改后仍不符合 — funds suspended at once),
the fund losses found in a project, and the accountability decided for them (追究相关人员责任)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.domain.inputs import check_amount, check_date, check_id, clean_text, optional_text
from app.domain.money import format_yuan
from app.domain.vocabulary import ACCOUNTABILITY_MEASURES, RECTIFICATION_OUTCOMES, RECTIFICATION_REASONS
from app.errors import InputError, NotFoundError
from app.models import Accountability, Department, FundLoss, Payment, Project, Rectification
from app.services.lifecycle import run_action
from app.services.permissions import can, require
from app.services.projects import load_project
from app.storage.database import UnitOfWork

OPEN = ("open", "overdue", "noncompliant")  # noncompliant: verified again after further work
STATUS = {"open": "整改中", "overdue": "逾期未整改", "completed": "已完成", "noncompliant": "整改后仍不符合",
          "closed": "项目已终止"}


def _who(uow: UnitOfWork) -> str:
    return uow.actor.display_name or uow.actor.username


def _scoped(uow: UnitOfWork, stmt: Any) -> Any:
    require(uow.actor, "project.read", action="accountability.list")
    if not can(uow.actor, "project.read_all"):
        return stmt.where(Project.department_id == uow.actor.department_id)
    return stmt


# ---------------------------------------------------------------- rectification outcomes


@dataclass(frozen=True)
class RectificationOutcomeView:
    id: int
    code: str
    name: str
    department: str
    doc_no: str | None
    reason_label: str
    issued_on: dt.date
    deadline: dt.date
    status_label: str
    outcome: str | None
    outcome_label: str
    verified_on: dt.date | None
    verified_by: str | None
    result: str | None


def _outcome_view(r: Rectification, p: Project, department: str) -> RectificationOutcomeView:
    return RectificationOutcomeView(r.id, p.code, p.name, department, r.doc_no,
                                    RECTIFICATION_REASONS.get(r.reason, r.reason), r.issued_on, r.deadline,
                                    STATUS.get(r.status, r.status), r.outcome,
                                    RECTIFICATION_OUTCOMES.get(r.outcome or "", "待核查"), r.verified_on,
                                    r.verified_by, r.result)


def record_outcome(uow: UnitOfWork, *, project: str, outcome: str, verified_on: object,
                   finding: str | None = None) -> RectificationOutcomeView:
    """The bureau's verification of a rectification (第二十二条): 整改完成 closes the order and the project resumes;
    整改后仍不符合要求 suspends the project's construction and O&M funds, whatever the deadline."""
    p = load_project(uow, str(project).strip(), "rectification")
    require(uow.actor, "rectification", p.department_id, action="rectification.outcome", object_id=p.code)
    if outcome not in RECTIFICATION_OUTCOMES:
        raise InputError(f"整改结果应为：{'、'.join(RECTIFICATION_OUTCOMES.values())}")
    r = uow.session.scalar(select(Rectification).where(Rectification.project_id == p.id,
                                                       Rectification.status.in_(OPEN))
                           .order_by(Rectification.id.desc()).limit(1))
    if r is None:
        raise InputError(f"项目 {p.code} 没有未完成的整改通知")
    day = check_date(verified_on, "核查日期", not_after=dt.date.today())
    if day < r.issued_on:
        raise InputError(f"核查日期{day}不能早于整改通知日期{r.issued_on}")
    text = optional_text(finding, "核查意见", 10_000, multiline=True)
    before: dict[str, Any] = {"outcome": r.outcome, "status": r.status, "project_status": p.status}
    r.outcome, r.verified_on, r.verified_by = outcome, day, _who(uow)
    uow.session.flush()
    if outcome == "compliant":
        run_action(uow, p.code, "complete-rectification", {"on": day, "result": text or "经核查，整改完成，符合要求"})
    else:
        r.result = text or "经核查，整改后仍不符合要求"
        if p.status == "rectifying":
            run_action(uow, p.code, "suspend", {"on": day, "reason": "整改后仍不符合要求"})
        else:  # funds already suspended (the deadline passed first): the verification is recorded
            r.status = "noncompliant"
    uow.session.flush()
    uow.audit("rectification.outcome", "rectification", r.id, {"before": before, "after": {
        "outcome": outcome, "verified_on": day, "status": r.status, "project_status": p.status, "finding": text}})
    return _outcome_view(r, p, p.department.name)


def list_outcomes(uow: UnitOfWork) -> list[RectificationOutcomeView]:
    stmt = _scoped(uow, select(Rectification, Project, Department.name).join(
        Project, Rectification.project_id == Project.id).join(Department, Project.department_id == Department.id)
        .order_by(Rectification.outcome.is_not(None), Rectification.deadline, Rectification.id))
    return [_outcome_view(r, p, d) for r, p, d in uow.session.execute(stmt).unique()]


# ---------------------------------------------------------------- fund losses


@dataclass(frozen=True)
class FundLossView:
    id: int
    code: str
    name: str
    department: str
    amount_fen: int
    found_on: dt.date
    description: str
    rectification: str | None  # the order's 文号
    accountability: int  # how many accountability records name this loss
    state: str  # 已追责 / 待追责


def _loss_view(uow: UnitOfWork, loss: FundLoss, p: Project, department: str) -> FundLossView:
    n = int(uow.session.scalar(select(func.count()).select_from(Accountability)
                               .where(Accountability.loss_id == loss.id)) or 0)
    rect = uow.session.get(Rectification, loss.rectification_id) if loss.rectification_id else None
    return FundLossView(loss.id, p.code, p.name, department, loss.amount_fen, loss.found_on, loss.description,
                        rect.doc_no if rect else None, n, "已追责" if n else "待追责")


def record_loss(uow: UnitOfWork, *, project: str, amount: int, found_on: object, description: str,
                rectification: object = None) -> FundLossView:
    """A loss of the project's funds (第二十二条: 造成项目建设资金严重损失的). A loss is of money paid out: it cannot
    exceed what the project was paid."""
    p = load_project(uow, str(project).strip(), "accountability")
    require(uow.actor, "accountability", p.department_id, action="fund_loss.add", object_id=p.code)
    fen = check_amount(amount, "损失金额")
    if fen <= 0:
        raise InputError("损失金额应大于零")
    paid = int(uow.session.scalar(select(func.coalesce(func.sum(Payment.amount_fen), 0))
                                  .where(Payment.project_id == p.id)) or 0)
    lost = int(uow.session.scalar(select(func.coalesce(func.sum(FundLoss.amount_fen), 0))
                                  .where(FundLoss.project_id == p.id)) or 0)
    if lost + fen > paid:
        raise InputError(f"损失金额累计{format_yuan(lost + fen)}元超过项目已拨付资金{format_yuan(paid)}元")
    day = check_date(found_on, "发现日期", not_after=dt.date.today())
    rect_id = None
    if rectification not in (None, ""):
        rect = uow.session.get(Rectification, check_id(rectification, "整改通知编号"))
        if rect is None or rect.project_id != p.id:
            raise NotFoundError(f"项目 {p.code} 没有这份整改通知：{rectification}")
        rect_id = rect.id
    loss = FundLoss(project_id=p.id, rectification_id=rect_id, amount_fen=fen, found_on=day,
                    description=clean_text(description, "损失情况", 10_000, required=True, multiline=True))
    uow.session.add(loss)
    uow.session.flush()
    uow.audit("fund_loss.add", "fund_loss", loss.id, {"after": {
        "project": p.code, "amount": format_yuan(fen), "found_on": day}})
    return _loss_view(uow, loss, p, p.department.name)


def list_losses(uow: UnitOfWork) -> list[FundLossView]:
    stmt = _scoped(uow, select(FundLoss, Project, Department.name).join(Project, FundLoss.project_id == Project.id)
                   .join(Department, Project.department_id == Department.id)
                   .order_by(FundLoss.found_on.desc(), FundLoss.id.desc()))
    return [_loss_view(uow, x, p, d) for x, p, d in uow.session.execute(stmt).unique()]


def losses_without_accountability(uow: UnitOfWork) -> list[FundLossView]:
    """Losses nobody has yet been held accountable for (for the dashboard's reminders)."""
    return [x for x in list_losses(uow) if not x.accountability]


# ---------------------------------------------------------------- accountability


@dataclass(frozen=True)
class AccountabilityView:
    id: int
    code: str
    name: str
    department: str
    person: str
    measure: str
    decided_on: dt.date
    decided_by: str
    loss_id: int | None
    loss_fen: int | None
    note: str | None


def record_accountability(uow: UnitOfWork, *, project: str, person: str, measure: str, decided_on: object,
                          decided_by: str, loss: object = None, note: str | None = None) -> AccountabilityView:
    """Who is held accountable, with what measure, decided when and by whom (第二十二条 依法依规追究相关人员责任)."""
    p = load_project(uow, str(project).strip(), "accountability")
    require(uow.actor, "accountability", p.department_id, action="accountability.add", object_id=p.code)
    who = clean_text(person, "责任人", 100, required=True)
    what = clean_text(measure, "处理措施", 100, required=True)
    if what not in ACCOUNTABILITY_MEASURES:
        raise InputError(f"处理措施应为：{'、'.join(ACCOUNTABILITY_MEASURES)}（“其他”请在备注中写明）")
    day = check_date(decided_on, "决定日期", not_after=dt.date.today())
    body = clean_text(decided_by, "决定机关", 150, required=True)
    found = None
    if loss not in (None, ""):
        found = uow.session.get(FundLoss, check_id(loss, "损失记录编号"))
        if found is None or found.project_id != p.id:
            raise NotFoundError(f"项目 {p.code} 没有这条资金损失记录：{loss}")
        if day < found.found_on:
            raise InputError(f"决定日期{day}不能早于发现损失的日期{found.found_on}")
    text = optional_text(note, "备注", 10_000, multiline=True)
    if what == "其他" and not text:
        raise InputError("处理措施为“其他”时，请在备注中写明具体措施")
    row = Accountability(project_id=p.id, loss_id=found.id if found else None, person=who, measure=what,
                         decided_on=day, decided_by=body, note=text)
    uow.session.add(row)
    uow.session.flush()
    uow.audit("accountability.add", "accountability", row.id, {"after": {
        "project": p.code, "person": who, "measure": what, "decided_on": day, "decided_by": body,
        "loss": found.id if found else None}})
    return AccountabilityView(row.id, p.code, p.name, p.department.name, who, what, day, body,
                              found.id if found else None, found.amount_fen if found else None, text)


def list_accountability(uow: UnitOfWork) -> list[AccountabilityView]:
    stmt = _scoped(uow, select(Accountability, Project, Department.name, FundLoss.amount_fen)
                   .join(Project, Accountability.project_id == Project.id)
                   .join(Department, Project.department_id == Department.id)
                   .outerjoin(FundLoss, Accountability.loss_id == FundLoss.id)
                   .order_by(Accountability.decided_on.desc(), Accountability.id.desc()))
    return [AccountabilityView(a.id, p.code, p.name, d, a.person, a.measure, a.decided_on, a.decided_by, a.loss_id,
                               amount, a.note) for a, p, d, amount in uow.session.execute(stmt).unique()]


def correct_accountability(uow: UnitOfWork, *, id: object, person: str | None = None,  # noqa: A002
                           measure: str | None = None, decided_on: object = None, decided_by: str | None = None,
                           note: str | None = None) -> AccountabilityView:
    """Correct an accountability record; the audit trail keeps the earlier values."""
    row = uow.session.get(Accountability, check_id(id, "责任追究编号"))
    if row is None:
        raise NotFoundError(f"没有这条责任追究记录：{id}")
    p = uow.session.get(Project, row.project_id)
    assert p is not None
    require(uow.actor, "accountability", p.department_id, action="accountability.correct", object_id=row.id)
    before: dict[str, Any] = {"person": row.person, "measure": row.measure, "decided_on": row.decided_on,
              "decided_by": row.decided_by, "note": row.note}
    after = dict(before)
    if person not in (None, ""):
        after["person"] = clean_text(person, "责任人", 100, required=True)
    if measure not in (None, ""):
        after["measure"] = clean_text(measure, "处理措施", 100, required=True)
        if after["measure"] not in ACCOUNTABILITY_MEASURES:
            raise InputError(f"处理措施应为：{'、'.join(ACCOUNTABILITY_MEASURES)}")
    if decided_on not in (None, ""):
        after["decided_on"] = check_date(decided_on, "决定日期", not_after=dt.date.today())
    if decided_by not in (None, ""):
        after["decided_by"] = clean_text(decided_by, "决定机关", 150, required=True)
    if note not in (None, ""):
        after["note"] = clean_text(note, "备注", 10_000, multiline=True)
    loss = uow.session.get(FundLoss, row.loss_id) if row.loss_id else None
    if loss is not None and after["decided_on"] < loss.found_on:
        raise InputError(f"决定日期{after['decided_on']}不能早于发现损失的日期{loss.found_on}")
    changes = {k: v for k, v in after.items() if before[k] != v}
    if not changes:
        raise InputError("没有要更正的内容")
    for key, value in changes.items():
        setattr(row, key, value)
    uow.session.flush()
    uow.audit("accountability.correct", "accountability", row.id, {
        "before": {k: before[k] for k in changes}, "after": changes})
    return AccountabilityView(row.id, p.code, p.name, p.department.name, row.person, row.measure, row.decided_on,
                              row.decided_by, row.loss_id, loss.amount_fen if loss else None, row.note)

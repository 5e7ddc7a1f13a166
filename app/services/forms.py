"""Printed forms: gather a form's data from the database, issue its serial, record the print, verify it later.

`build_form(uow, kind, project_code=None, year=None)` → PrintedResult (pdf bytes, serial, digest); the caller
commits. `verify_form(uow, serial, digest)` → Verification: is it ours, and has its record changed since?
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.domain.money import format_yuan
from app.domain.vocabulary import (
    ART7_CHECKS,
    ART9_CHECKS,
    CONTRACT_KINDS,
    MATERIAL_LABELS,
    RECTIFICATION_REASONS,
    REVIEW_CONCLUSIONS,
    REVIEW_DIMENSIONS,
    SECURITY_KINDS,
    STATUS_LABELS,
)
from app.errors import InputError, NotFoundError, RuleViolation
from app.models import (
    Acceptance,
    AnnualPlan,
    AnnualPlanItem,
    Approval,
    AutonomyCheck,
    CatalogueItem,
    ChangeRequest,
    Contract,
    Evaluation,
    Payment,
    PrintedForm,
    Project,
    Publicity,
    PublicityItem,
    Rectification,
    SecurityAssessment,
    TechnicalReview,
)
from app.reports import KINDS, content_digest, content_json, render_form
from app.reports import data as d
from app.services.lifecycle import previous_evaluations
from app.services.master import county_settings
from app.services.numbering import issue_number
from app.services.permissions import require
from app.services.projects import FIELD_LABELS, estimate_of, list_projects, load_project
from app.storage.database import UnitOfWork

PROJECT_KINDS = ("approval", "review-opinion", "contract-filing", "change", "acceptance", "rectification",
                 "evaluation")


@dataclass(frozen=True)
class PrintedResult:
    kind: str
    serial: str
    digest: str
    pdf: bytes
    title: str


@dataclass(frozen=True)
class Verification:
    status: str  # unchanged changed mismatch unknown gone
    message: str
    kind: str | None = None
    printed_at: dt.datetime | None = None
    changed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "unchanged"


# ---------------------------------------------------------------- gathering

def _letterhead(uow: UnitOfWork) -> d.Letterhead:
    s = county_settings(uow)
    return d.Letterhead(s.county, s.government, s.bureau, s.bureau_short, s.finance_bureau)


def _facts(p: Project) -> d.ProjectFacts:
    return d.ProjectFacts(p.code, p.name, p.department.name, p.year, p.category, p.nature, p.total_fen, p.county_fen,
                          p.upper_fen, p.other_fen, STATUS_LABELS.get(p.status, p.status), p.responsible_person,
                          p.responsible_phone, p.period_months, p.content, p.cobuilt)


def _pick(uow: UnitOfWork, model: Any, p: Project, record_id: int | None, *where: Any) -> Any:
    stmt = select(model).where(model.project_id == p.id, *where)
    if record_id is not None:
        stmt = stmt.where(model.id == record_id)
    return uow.session.scalar(stmt.order_by(model.id.desc()).limit(1))


def _refuse(kind: str, article: str, why: str) -> RuleViolation:
    return RuleViolation(article, f"不能打印{KINDS[kind]}：{why}")


def _approval(uow: UnitOfWork, p: Project, rid: int | None) -> tuple[d.ApprovalForm, int]:
    review = _pick(uow, TechnicalReview, p, None, TechnicalReview.conclusion.is_not(None))
    if review is None:
        raise _refuse("approval", "第七、八条", f"项目“{p.name}”尚未出具技术审核意见")
    appr = _pick(uow, Approval, p, rid)
    have = {m.kind: m for m in p.materials}
    mats = tuple(d.Material(label, have[k].received_on if k in have else None, have[k].title if k in have else None)
                 for k, label in MATERIAL_LABELS.items())
    in_plan = bool(uow.session.scalar(select(func.count()).select_from(AnnualPlanItem).join(AnnualPlan).where(
        AnnualPlan.year == p.year, AnnualPlanItem.project_id == p.id)))
    approved = appr is not None and appr.decision == "approved"
    form = d.ApprovalForm(
        _letterhead(uow), _facts(p), mats, REVIEW_CONCLUSIONS.get(review.conclusion, review.conclusion),
        review.doc_no, review.opinion_on, in_plan, appr.amount_fen if approved else None,
        appr.doc_no if appr else None, appr.decided_on if appr else None,
        (appr.opinion or ("同意立项。" if approved else "不予立项。")) if appr else None,
        appr.leader if appr else None)
    return form, appr.id if appr else 0


def _review(uow: UnitOfWork, p: Project, rid: int | None) -> tuple[d.ReviewOpinionForm, int]:

    r = _pick(uow, TechnicalReview, p, rid, TechnicalReview.conclusion.is_not(None))
    if r is None:
        raise _refuse("review-opinion", "第七条", f"项目“{p.name}”尚未完成技术审核")
    items = {(i.group, i.key): i for i in r.items}

    def line(group: str, key: str, label: str, passed: bool | None = None) -> d.CheckLine:
        i = items.get((group, key))
        return d.CheckLine(label, i.passed if i else passed, i.finding if i else None, i.score if i else None)

    art7 = tuple(line("art7", k, v) for k, v in ART7_CHECKS.items())
    art9 = tuple(d.CheckLine(v, getattr(r, k)) for k, v in ART9_CHECKS.items())
    dims = tuple(line("dimension", k, v) for k, v in REVIEW_DIMENSIONS.items() if ("dimension", k) in items)
    prev = "；".join(f"{e['year']}年度 {e['name']}：{e['grade']}（{e['total']}分）" for e in previous_evaluations(uow, p))
    form = d.ReviewOpinionForm(_letterhead(uow), _facts(p), r.doc_no, r.reviewer, r.started_on, r.opinion_on, art7,
                               art9, dims, REVIEW_CONCLUSIONS.get(r.conclusion, r.conclusion), r.opinion,
                               prev or "该单位上一年度无评估结果")
    return form, r.id


def _contract(uow: UnitOfWork, p: Project, rid: int | None) -> tuple[d.ContractFilingForm, int]:
    c = _pick(uow, Contract, p, rid)
    if c is None:
        raise _refuse("contract-filing", "第十五条", f"项目“{p.name}”尚未登记合同")
    k = c.contractor
    form = d.ContractFilingForm(_letterhead(uow), _facts(p), c.contract_no, c.title, CONTRACT_KINDS.get(c.kind, c.kind),
                                k.name, k.credit_code, k.county_owned, c.selection_method, c.amount_fen, c.signed_on,
                                c.filing_due, c.filing_due_provisional, c.filed_on,
                                county_settings(uow).contract_filing_workdays)
    return form, c.id


def _value(field: str, value: str | None) -> str:
    if value is None:
        return ""
    if field.endswith("_fen") and value.lstrip("-").isdigit():
        return f"{format_yuan(int(value))} 元"
    return value


def _change(uow: UnitOfWork, p: Project, rid: int | None) -> tuple[d.ChangeForm, int]:
    c = _pick(uow, ChangeRequest, p, rid)
    if c is None:
        raise _refuse("change", "第十七条", f"项目“{p.name}”没有调整申请")
    lines = tuple(d.ChangeLine(FIELD_LABELS.get(i.field, i.field), _value(i.field, i.old_value),
                               _value(i.field, i.new_value)) for i in sorted(c.items, key=lambda i: i.id))
    status = {"pending": "待审核", "approved": "同意", "rejected": "不同意"}.get(c.status, c.status)
    form = d.ChangeForm(_letterhead(uow), _facts(p), c.requested_on, c.major, c.description, c.reason, lines, status,
                        c.opinion, c.decided_on, c.decided_by)
    return form, c.id


def _acceptance(uow: UnitOfWork, p: Project, rid: int | None) -> tuple[d.AcceptanceForm, int]:
    pre = _pick(uow, Acceptance, p, None, Acceptance.stage == "preliminary")
    if pre is None:
        raise _refuse("acceptance", "第十八条", f"项目“{p.name}”尚未完成初步验收")
    joint = _pick(uow, Acceptance, p, rid, Acceptance.stage == "joint")
    cat = tuple(d.CatalogueLine(c.name, c.share_type, c.registered, c.registered_on, c.platform_id) for c in
                uow.session.scalars(select(CatalogueItem).where(CatalogueItem.project_id == p.id)
                                    .order_by(CatalogueItem.id)))
    auto = _pick(uow, AutonomyCheck, p, None)
    est = estimate_of(p)
    sec = tuple(d.SecurityLine(SECURITY_KINDS.get(s.kind, s.kind), s.level, s.passed, s.assessed_on, s.agency,
                               s.report_no) for s in
                uow.session.scalars(select(SecurityAssessment).where(SecurityAssessment.project_id == p.id)
                                    .order_by(SecurityAssessment.id)))
    form = d.AcceptanceForm(
        _letterhead(uow), _facts(p), pre.accepted_on, pre.passed, pre.organizer, pre.opinion, cat, p.data_landed,
        p.data_landed_on, auto.domestic_fen if auto else est.domestic_fen, auto.total_fen if auto else est.total_fen,
        auto.passed if auto else None, auto.finding if auto else None, sec,
        joint.accepted_on if joint else None, joint.passed if joint else None, joint.opinion if joint else None,
        joint.doc_no if joint else None, (joint.experts if joint else None) or pre.experts)
    return form, joint.id if joint else pre.id


def _rectification(uow: UnitOfWork, p: Project, rid: int | None) -> tuple[d.RectificationNotice, int]:
    r = _pick(uow, Rectification, p, rid)
    if r is None:
        raise _refuse("rectification", "第二十二条", f"项目“{p.name}”没有整改记录")
    lh = _letterhead(uow)
    form = d.RectificationNotice(lh, r.doc_no or "", p.department.name, p.code, p.name,
                                 RECTIFICATION_REASONS.get(r.reason, r.reason), None, r.requirements, r.issued_on,
                                 r.deadline, lh.finance_bureau)
    return form, r.id


def _evaluation(uow: UnitOfWork, p: Project, rid: int | None) -> tuple[d.EvaluationReport, int]:
    e = _pick(uow, Evaluation, p, rid)
    if e is None:
        raise _refuse("evaluation", "第二十三条", f"项目“{p.name}”尚未进行绩效评价")
    scores = tuple(d.ScoreLine(s.level1, s.level2, s.indicator, s.weight, s.score) for s in e.scores)
    form = d.EvaluationReport(_letterhead(uow), _facts(p), e.year, e.evaluated_on, e.evaluator, scores, e.total,
                              e.grade, e.conclusion)
    return form, e.id


def _publicity(uow: UnitOfWork, year: int, rid: int | None) -> tuple[d.PublicityNotice, int]:
    stmt = select(Publicity).where(Publicity.year == year)
    if rid is not None:
        stmt = stmt.where(Publicity.id == rid)
    pub = uow.session.scalar(stmt.order_by(Publicity.id.desc()).limit(1))
    if pub is None:
        raise _refuse("publicity", "第十一条", f"{year}年度尚未进行资金拟分配计划公示")
    rows = uow.session.execute(select(Project, PublicityItem.amount_fen).join(
        PublicityItem, PublicityItem.project_id == Project.id).where(
        PublicityItem.publicity_id == pub.id).order_by(Project.code)).all()
    lines = tuple(d.PublicityLine(p.code, p.name, p.department.name, p.category, amount) for p, amount in rows)
    form = d.PublicityNotice(_letterhead(uow), year, pub.title, pub.doc_no, lines, pub.start_on, pub.end_on,
                             pub.contact, pub.phone, pub.start_on)
    return form, pub.id


def _annual_plan(uow: UnitOfWork, year: int, rid: int | None) -> tuple[d.AnnualPlanTable, int]:
    plan = uow.session.scalar(select(AnnualPlan).where(AnnualPlan.year == year))
    if plan is None:
        raise _refuse("annual-plan", "第六条", f"{year}年度计划尚未编制")
    lines = []
    for item in sorted(plan.items, key=lambda i: i.id):
        p = uow.session.get(Project, item.project_id)
        if p is None:
            continue
        lines.append(d.PlanLine(p.code, p.name, p.department.name, p.category, p.nature, p.total_fen,
                                item.planned_fen, p.county_fen, p.upper_fen, p.other_fen))
    lines.sort(key=lambda x: x.code)
    form = d.AnnualPlanTable(_letterhead(uow), year, plan.title, plan.doc_no, plan.approved_on, tuple(lines))
    return form, plan.id


def _ledger(uow: UnitOfWork, year: int | None, status: str | None,
            codes: Sequence[str] | None = None) -> d.Ledger:
    views = list_projects(uow, year=year, status=status)
    if codes is not None:  # the rows shown on screen (search and filters applied), in their order
        by_code = {v.code: v for v in views}
        views = [by_code[c] for c in codes if c in by_code]
    ids = [v.id for v in views]

    def sums(model: Any) -> dict[int, int]:
        if not ids:
            return {}
        return dict(uow.session.execute(select(model.project_id, func.sum(model.amount_fen)).where(
            model.project_id.in_(ids)).group_by(model.project_id)).all())

    contracts, paid = sums(Contract), sums(Payment)
    lines = tuple(d.LedgerLine(v.code, v.name, v.department, v.year, v.category, v.nature, v.status_label,
                               v.total_fen, v.approved_fen, int(contracts.get(v.id, 0)), int(paid.get(v.id, 0)))
                  for v in (views if codes is not None else sorted(views, key=lambda v: v.code)))
    parts = [f"年度：{year}" if year else "年度：全部", f"状态：{STATUS_LABELS.get(status, status)}" if status else ""]
    lh = _letterhead(uow)
    return d.Ledger(lh, f"{lh.county}政务大数据项目台账", "；".join(x for x in parts if x), lines)


PROJECT_GATHER = {"approval": _approval, "review-opinion": _review, "contract-filing": _contract, "change": _change,
                  "acceptance": _acceptance, "rectification": _rectification, "evaluation": _evaluation}


def gather(uow: UnitOfWork, kind: str, project_code: str | None = None, year: int | None = None,
           record_id: int | None = None, status: str | None = None,
           codes: Sequence[str] | None = None) -> tuple[Any, dict, int | None]:
    """(form data, source, project id) for one form. Raises a Chinese error when the stage is not reached."""
    if kind not in KINDS:
        raise InputError(f"未知的表单类型：{kind}（可选：{'、'.join(KINDS)}）")
    if kind in PROJECT_KINDS:
        if not project_code:
            raise InputError(f"打印{KINDS[kind]}需要指定项目编号（--project）")
        p = load_project(uow, project_code)
        form, rid = PROJECT_GATHER[kind](uow, p, record_id)
        return form, {"project": p.code, "record": rid}, p.id
    if kind == "ledger":
        source = {"year": year, "status": status} | ({"codes": list(codes)} if codes is not None else {})
        return _ledger(uow, year, status, codes), source, None
    if year is None:
        raise InputError(f"打印{KINDS[kind]}需要指定年度（--year）")
    form, rid = (_publicity if kind == "publicity" else _annual_plan)(uow, year, record_id)
    return form, {"year": year, "record": rid}, None


def build_form(uow: UnitOfWork, kind: str, project_code: str | None = None, year: int | None = None,
               status: str | None = None, today: dt.date | None = None,
               codes: Sequence[str] | None = None) -> PrintedResult:
    """Gather, issue the serial, record the print (printed_forms and the history) and render. Caller commits."""
    require(uow.actor, "print")
    form, source, project_id = gather(uow, kind, project_code, year, status=status, codes=codes)
    text = content_json(kind, form, source)
    digest = content_digest(kind, form, source)
    on = today or dt.date.today()
    serial = issue_number(uow, "form", on.year, f"{KINDS[kind]} {source}")
    pdf = render_form(kind, form, serial, digest)
    uow.session.add(PrintedForm(serial=serial, kind=kind, project_id=project_id, year=year or getattr(form, "year", None),
                                digest=digest, content=text, printed_by=uow.actor.username))
    detail = {"message": f"打印{KINDS[kind]}（编号 {serial}）", "kind": kind, "serial": serial, "digest": digest}
    if project_code:
        uow.audit("print", "project", project_code, detail)
    else:
        uow.audit("print", "form", serial, detail)
    uow.session.flush()
    return PrintedResult(kind, serial, digest, pdf, KINDS[kind])


def _diff(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for k in sorted(set(a) | set(b)):
            out += _diff(a.get(k), b.get(k), f"{path}.{k}" if path else k)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += _diff(x, y, f"{path}[{i + 1}]")
        return out
    return [] if a == b else [path]


def verify_form(uow: UnitOfWork, serial: str, digest: str) -> Verification:
    """Is (serial, digest) a form we printed, and does its record still read the same?"""
    row = uow.session.scalar(select(PrintedForm).where(PrintedForm.serial == serial.strip()))
    if row is None:
        return Verification("unknown", f"没有编号为 {serial} 的打印记录：该表单不是本系统打印的，或编号抄写有误。")
    if row.digest != digest.strip().lower():
        return Verification("mismatch", f"编号 {serial} 的校验码与打印记录不符：表单可能被改动，或校验码抄写有误。",
                            row.kind, row.printed_at)
    saved = json.loads(row.content)
    source = saved.get("source", {})
    name = KINDS.get(row.kind, row.kind)
    try:
        form, now_source, _pid = gather(uow, row.kind, source.get("project"), source.get("year"),
                                        source.get("record") or None, source.get("status"), source.get("codes"))
    except (NotFoundError, RuleViolation):
        return Verification("gone", f"{name}（编号 {serial}）所依据的记录已不存在。", row.kind, row.printed_at)
    if content_digest(row.kind, form, now_source) == row.digest:
        return Verification("unchanged", f"{name}（编号 {serial}）与系统记录一致，打印后记录未变更。", row.kind,
                            row.printed_at)
    changed = tuple(_diff(saved, json.loads(content_json(row.kind, form, now_source))))
    return Verification("changed", f"{name}（编号 {serial}）打印后记录已变更：{'、'.join(changed) or '内容不同'}。",
                        row.kind, row.printed_at, changed)

"""Printed forms: gather a form's data, record the print, lay it out, and verify a printed form later.

A print runs in three steps, so that a long layout (a ledger of 20,000 projects) never holds a write
transaction or the window's one database worker:

1. ``prepare_print(uow, kind, ...)`` — a read: gathers the record and composes what will be printed, with its
   digest (a `PrintJob`, plain data).
2. ``record_print(uow, job)`` — a short write: issues the serial, stores the printed content and its digest,
   writes the audit record. The caller commits.
3. ``render_print(job, serial, progress, cancelled)`` — no database: the layout, with the person's
   progress(done, total) and cancelled() callables. If it is cancelled or fails, ``void_print(uow, serial)`` (a
   short write) removes the record of a print that never came out and says so in the audit trail.

``print_form(db, actor, kind, ...)`` runs the three in their own transactions (the command line; the window may
run steps 1–2 on its worker and step 3 on a thread of its own). ``build_form(uow, ...)`` does all three in the
caller's unit of work (small forms only: the layout then runs inside the caller's transaction).

``verify_form(uow, serial, digest)`` / ``verify_text(uow, text)`` tell whether a printed form is ours and whether
what it shows still matches the record; ``list_contracts`` and ``list_publicities`` are the choices for the forms
of which a project or a year has several.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select

from app.domain.actor import SETUP_ACTOR, SYSTEM_ACTOR, Actor
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
from app.errors import GovDataError, InputError, NotFoundError, PermissionDenied, RuleViolation
from app.models import (
    Acceptance,
    AnnualPlan,
    AnnualPlanItem,
    Approval,
    AuditRecord,
    AutonomyCheck,
    CatalogueItem,
    ChangeRequest,
    Contract,
    Evaluation,
    Payment,
    PrintedForm,
    Project,
    Publicity,
    Rectification,
    SecurityAssessment,
    TechnicalReview,
)
from app.reports import (
    CONTENT_VERSION,
    KINDS,
    PrintCancelled,
    compose,
    digest_of,
    doc_json,
    parse_qr_payload,
    render_doc,
)
from app.reports import data as d
from app.reports import doc as blocks
from app.reports.samples import SAMPLES
from app.reports.templates import amount_line
from app.services import funds
from app.services.lifecycle import previous_evaluations, similar_projects
from app.services.master import county_settings
from app.services.numbering import issue_number
from app.services.permissions import can, refusal_message, require
from app.services.projects import FIELD_LABELS, estimate_of, list_projects, load_project
from app.services.publicity import publicity_lines
from app.storage.database import Database, UnitOfWork

PROJECT_KINDS = ("approval", "review-opinion", "contract-filing", "change", "acceptance", "rectification",
                 "suspension", "evaluation")
YEAR_KINDS = ("publicity", "annual-plan")
NOT_A_PERSON = {SETUP_ACTOR.username, SETUP_ACTOR.display_name, SYSTEM_ACTOR.username, SYSTEM_ACTOR.display_name}


@dataclass(frozen=True)
class PrintJob:
    """What a print will show, gathered and composed (step 1); plain data, safe to hand to another thread."""

    kind: str
    doc: blocks.Doc
    source: dict
    content: str  # the printed content as JSON (what printed_forms keeps)
    digest: str
    project_id: int | None
    project_code: str | None
    year: int | None

    @property
    def title(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class PrintedResult:
    kind: str
    serial: str
    digest: str
    pdf: bytes
    title: str


@dataclass(frozen=True)
class Verification:
    """unchanged: ours, and the record reads the same; changed / gone / legacy: ours, but the record changed,
    no longer exists, or cannot be compared; mismatch / unknown: not a form we printed (forged, or mistyped)."""

    status: str
    message: str
    kind: str | None = None
    printed_at: dt.datetime | None = None
    changed: tuple[str, ...] = ()
    superseded_by: str | None = None  # the serial of a later print of the same record that shows it as it is now

    @property
    def ok(self) -> bool:
        return self.status == "unchanged"

    @property
    def exit_code(self) -> int:
        """0 unchanged; 4 changed since printing (or no longer comparable); 5 forged or unknown (the command line's
        1, 2 and 3 are bad input, an unreadable database and a bug)."""
        if self.ok:
            return 0
        return 5 if self.status in ("mismatch", "unknown") else 4


@dataclass(frozen=True)
class Choice:
    """One of several records a form can print (a project's contracts, a year's publicity notices)."""

    id: int
    key: str  # what the command line takes: the contract number, the notice's 文号 (or its id)
    label: str  # what the window's list shows


# ---------------------------------------------------------------- gathering


def _letterhead(uow: UnitOfWork) -> d.Letterhead:
    s = county_settings(uow)
    return d.Letterhead(s.county, s.government, s.bureau, s.bureau_short, s.finance_bureau)


def _facts(p: Project) -> d.ProjectFacts:
    return d.ProjectFacts(p.code, p.name, p.department.name, p.year, p.category, p.nature, p.total_fen, p.county_fen,
                          p.upper_fen, p.other_fen, p.responsible_person, p.responsible_phone, p.period_months,
                          p.content, p.cobuilt)


def _pick(uow: UnitOfWork, model: Any, p: Project, record_id: int | None, *where: Any) -> Any:
    stmt = select(model).where(model.project_id == p.id, *where)
    if record_id is not None:
        stmt = stmt.where(model.id == record_id)
    return uow.session.scalar(stmt.order_by(model.id.desc()).limit(1))


def _refuse(kind: str, article: str, why: str) -> RuleViolation:
    return RuleViolation(article, f"不能打印{KINDS[kind]}：{why}")


def _person(name: str | None) -> str | None:
    """A person's name for the paper; the program's own accounts sign nothing."""
    return None if not name or name in NOT_A_PERSON else name


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
    splits = tuple(d.SplitFinding(s["code"], s["name"], s["reason"]) for s in similar_projects(uow, p))
    form = d.ApprovalForm(
        _letterhead(uow), _facts(p), mats, REVIEW_CONCLUSIONS.get(review.conclusion, review.conclusion),
        review.doc_no, review.opinion_on, in_plan, appr.amount_fen if approved else None,
        appr.doc_no if appr else None, appr.decided_on if appr else None,
        (appr.opinion or ("同意立项。" if approved else "不予立项。")) if appr else None,
        _person(appr.leader) if appr else None, None, splits)
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
    lh = _letterhead(uow)
    form = d.ReviewOpinionForm(lh, _facts(p), r.doc_no, _person(r.reviewer), r.started_on, r.opinion_on, art7,
                               art9, dims, REVIEW_CONCLUSIONS.get(r.conclusion, r.conclusion), r.opinion,
                               prev or "该单位上一年度无评估结果", lh.bureau)
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
    """A change item as printed: amounts in figures and capitals."""
    if value is None or value == "":
        return "（未填写）"
    if field.endswith("_fen") and value.lstrip("-").isdigit():
        return amount_line(int(value))
    if field == "period_months" and value.isdigit():
        return f"{value}个月"
    if value in ("True", "False"):
        return "是" if value == "True" else "否"
    return value


def _change(uow: UnitOfWork, p: Project, rid: int | None) -> tuple[d.ChangeForm, int]:
    c = _pick(uow, ChangeRequest, p, rid)
    if c is None:
        raise _refuse("change", "第十七条", f"项目“{p.name}”没有调整申请")
    lines = tuple(d.ChangeLine(FIELD_LABELS.get(i.field, i.field), _value(i.field, i.old_value),
                               _value(i.field, i.new_value)) for i in sorted(c.items, key=lambda i: i.id))
    decision = {"approved": "同意", "rejected": "不同意"}.get(c.status)
    form = d.ChangeForm(_letterhead(uow), _facts(p), c.requested_on, c.major, c.description, c.reason, lines,
                        decision, c.opinion if decision else None, c.decided_on if decision else None,
                        _person(c.decided_by) if decision else None)
    return form, c.id


def _acceptance(uow: UnitOfWork, p: Project, rid: int | None) -> tuple[d.AcceptanceForm, int]:
    pre = _pick(uow, Acceptance, p, None, Acceptance.stage == "preliminary")
    if pre is None:
        raise _refuse("acceptance", "第十八条", f"项目“{p.name}”尚未完成初步验收")
    joint = _pick(uow, Acceptance, p, rid, Acceptance.stage == "joint")
    cat = tuple(d.CatalogueLine(c.name, c.share_type, c.registered, c.registered_on, c.platform_id, c.resource_code)
                for c in uow.session.scalars(select(CatalogueItem).where(CatalogueItem.project_id == p.id)
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
        joint.doc_no if joint else None, (joint.experts if joint else None) or pre.experts,
        joint.organizer if joint else None)
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


def _suspension(uow: UnitOfWork, p: Project, rid: int | None) -> tuple[d.SuspensionNotice, int]:
    """The notice that funds are suspended (第二十二条): the rectification order it follows, and the decision
    (the audit record of the suspension: its date and reason)."""
    record = uow.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "lifecycle.suspend", AuditRecord.object_type == "project",
        AuditRecord.object_id == p.code, AuditRecord.outcome == "ok",
        *((AuditRecord.id == rid,) if rid is not None else ())).order_by(AuditRecord.id.desc()).limit(1))
    r = _pick(uow, Rectification, p, None)
    if record is None or r is None:
        raise _refuse("suspension", "第二十二条", f"项目“{p.name}”没有暂停拨付资金的决定")
    detail = json.loads(record.detail or "{}")
    fields = detail.get("fields", {})
    on = fields.get("on")
    decided_on = dt.date.fromisoformat(on) if isinstance(on, str) and on else record.at.date()
    s = county_settings(uow)
    doc_no = fields.get("doc_no") or f"{s.doc_prefix}〔{decided_on.year}〕　　号"  # numbered by hand until recorded
    lh = _letterhead(uow)
    form = d.SuspensionNotice(lh, doc_no, p.department.name, p.code, p.name, r.doc_no or "", r.issued_on,
                              r.deadline, decided_on, fields.get("reason") or None, lh.finance_bureau)
    return form, record.id


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
        raise _refuse("publicity", "第十一条", f"{year}年度尚未进行资金拟分配计划公示" if rid is None else
                      f"{year}年度没有所选的公示")
    # each budget the notice publicised (第十一条: O&M and later years too), with its year, kind, source and real
    # amount: a project budgeted in another year than its own prints its budget, never 0.00 元
    lines = tuple(d.PublicityLine(x.code, x.name, x.department, x.category, x.amount_fen, x.budget_year,
                                  x.kind_label, x.source_label) for x in publicity_lines(uow, pub.id))
    form = d.PublicityNotice(_letterhead(uow), year, pub.title, pub.doc_no, lines, pub.start_on, pub.end_on,
                             pub.contact, pub.phone, pub.start_on)
    return form, pub.id


def _annual_plan(uow: UnitOfWork, year: int, rid: int | None, today: dt.date) -> tuple[d.AnnualPlanTable, int]:
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
    form = d.AnnualPlanTable(_letterhead(uow), year, plan.title, plan.doc_no, plan.approved_on, tuple(lines), today)
    return form, plan.id


def _ledger(uow: UnitOfWork, year: int | None, status: str | None, codes: Sequence[str] | None,
            today: dt.date) -> d.Ledger:
    views = list_projects(uow, year=year, status=status)
    if codes is not None:  # the rows shown on screen (search and filters applied), in their order
        by_code = {v.code: v for v in views}
        views = [by_code[c] for c in codes if c in by_code]
    ids = [v.id for v in views]

    def sums(model: Any) -> dict[int, int]:
        if not ids:
            return {}
        out: dict[int, int] = {}
        for chunk in range(0, len(ids), 5000):  # SQLite's limit on bound parameters
            out.update(uow.session.execute(select(model.project_id, func.sum(model.amount_fen)).where(
                model.project_id.in_(ids[chunk:chunk + 5000])).group_by(model.project_id)).all())
        return out

    contracts, paid = sums(Contract), sums(Payment)
    lines = tuple(d.LedgerLine(v.code, v.name, v.department, v.year, v.category, v.nature, v.status_label,
                               v.total_fen, v.approved_fen, int(contracts.get(v.id, 0)), int(paid.get(v.id, 0)))
                  for v in (views if codes is not None else sorted(views, key=lambda v: v.code)))
    parts = [f"年度：{year}" if year else "年度：全部", f"状态：{STATUS_LABELS.get(status, status)}" if status else ""]
    lh = _letterhead(uow)
    return d.Ledger(lh, f"{lh.county}政务大数据项目台账", "；".join(x for x in parts if x), lines, today)


def _fund_comparison(uow: UnitOfWork, year: int | None, project_code: str | None,
                     today: dt.date) -> tuple[d.FundComparison, int | None]:
    c = funds.compare(uow, year, project_code)
    if not c.rows:
        raise InputError("没有符合条件的预算或拨付记录，无需打印资金使用对照分析表")
    lines = tuple(d.FundLine(r.code, r.name, r.department, r.year, r.kind_label, r.source_label, r.budget_fen,
                             r.paid_fen, r.balance_fen, r.rate, r.note, r.subtotal) for r in c.rows)
    lh = _letterhead(uow)
    parts = [f"年度：{c.year}" if c.year else "年度：全部", f"项目：{c.project}" if c.project else ""]
    pid = load_project(uow, c.project).id if c.project else None
    return d.FundComparison(lh, funds.title_of(c, lh.county), "；".join(x for x in parts if x), lines, c.budget_fen,
                            c.paid_fen, c.rate, today), pid


PROJECT_GATHER = {"approval": _approval, "review-opinion": _review, "contract-filing": _contract, "change": _change,
                  "acceptance": _acceptance, "rectification": _rectification, "suspension": _suspension,
                  "evaluation": _evaluation}


def _record_choice(uow: UnitOfWork, kind: str, p: Project | None, year: int | None, choice: str | None) -> int | None:
    """The record id a person chose by its key (a contract number, a notice's 文号 or id)."""
    if not choice:
        return None
    choice = choice.strip()
    if kind == "contract-filing" and p is not None:
        for c in list_contracts(uow, p.code):
            if choice in (c.key, str(c.id)):
                return c.id
        raise NotFoundError(f"项目{p.code}没有合同编号为“{choice}”的合同")
    if kind == "publicity" and year is not None:
        for c in list_publicities(uow, year):
            if choice in (c.key, str(c.id)):
                return c.id
        raise NotFoundError(f"{year}年度没有文号或编号为“{choice}”的公示")
    raise InputError(f"{KINDS[kind]}没有可选的记录（--contract 用于合同备案表，--notice 用于公示）")


def gather(uow: UnitOfWork, kind: str, project_code: str | None = None, year: int | None = None,
           record_id: int | None = None, status: str | None = None, codes: Sequence[str] | None = None,
           today: dt.date | None = None, choice: str | None = None) -> tuple[Any, dict, int | None]:
    """(form data, source, project id) for one form. Raises a Chinese error when the stage is not reached."""
    if kind not in KINDS:
        raise InputError(f"未知的表单类型：{kind}（可选：{'、'.join(KINDS)}）")
    on = today or dt.date.today()
    if kind in PROJECT_KINDS:
        if not project_code:
            raise InputError(f"打印{KINDS[kind]}需要指定项目编号（--project）")
        p = load_project(uow, project_code)
        rid = record_id if record_id is not None else _record_choice(uow, kind, p, None, choice)
        form, rid = PROJECT_GATHER[kind](uow, p, rid)
        return form, {"project": p.code, "record": rid}, p.id
    if kind == "fund-comparison":  # 第十六条: one year or all, one project or all
        form, pid = _fund_comparison(uow, year, project_code, on)
        return form, {"project": project_code, "year": year, "on": on.isoformat()}, pid
    if kind == "ledger":
        source = {"year": year, "status": status, "on": on.isoformat()} | (
            {"codes": list(codes)} if codes is not None else {})
        return _ledger(uow, year, status, codes, on), source, None
    if year is None:
        raise InputError(f"打印{KINDS[kind]}需要指定年度（--year）")
    if kind == "publicity":
        rid = record_id if record_id is not None else _record_choice(uow, kind, None, year, choice)
        form, rid = _publicity(uow, year, rid)
        return form, {"year": year, "record": rid}, None
    form, rid = _annual_plan(uow, year, record_id, on)
    return form, {"year": year, "record": rid, "on": on.isoformat()}, None


def list_contracts(uow: UnitOfWork, project_code: str) -> list[Choice]:
    """A project's contracts, newest first: each can be printed as its own filing form."""
    p = load_project(uow, project_code)
    rows = uow.session.scalars(select(Contract).where(Contract.project_id == p.id).order_by(Contract.id.desc()))
    return [Choice(c.id, c.contract_no, f"{c.contract_no}　{c.title or CONTRACT_KINDS.get(c.kind, c.kind)}　"
                   f"{format_yuan(c.amount_fen)} 元　签订于{c.signed_on:%Y-%m-%d}") for c in rows]


def list_publicities(uow: UnitOfWork, year: int | None = None) -> list[Choice]:
    """The publicity notices of a year (or of every year), newest first: each can be printed."""
    require(uow.actor, "project.read")
    stmt = select(Publicity).order_by(Publicity.id.desc())
    if year is not None:
        stmt = stmt.where(Publicity.year == year)
    return [Choice(pub.id, pub.doc_no or str(pub.id), f"{pub.doc_no or '（无文号）'}　{pub.title}　"
                   f"公示期 {pub.start_on:%Y-%m-%d} 至 {pub.end_on:%Y-%m-%d}") for pub in uow.session.scalars(stmt)]


# ---------------------------------------------------------------- printing


def prepare_print(uow: UnitOfWork, kind: str, project_code: str | None = None, year: int | None = None,
                  status: str | None = None, today: dt.date | None = None, codes: Sequence[str] | None = None,
                  choice: str | None = None) -> PrintJob:
    """Step 1 (a read): gather and compose the form; nothing is written."""
    require(uow.actor, "print")
    form, source, project_id = gather(uow, kind, project_code, year, status=status, codes=codes, today=today,
                                      choice=choice)
    doc = compose(kind, form)
    content = _content(kind, doc, source, layout_of(kind))
    return PrintJob(kind, doc, source, content, digest_of(content), project_id, project_code,
                    year or getattr(form, "year", None))


_LAYOUTS: dict[str, str] = {}


def layout_of(kind: str) -> str:
    """The fingerprint of a form's layout: the digest of what it prints for its sample data (app.reports.samples).
    Any change to what the form prints or how (a column, a label, a sentence) changes it, with nobody to remember
    a version number; a print keeps the fingerprint it was laid out with, so a later verification can tell a
    changed record from a changed layout."""
    if kind not in _LAYOUTS:
        _LAYOUTS[kind] = digest_of(doc_json(compose(kind, SAMPLES[kind]())))[:16]
    return _LAYOUTS[kind]


def _content(kind: str, doc: blocks.Doc, source: dict, layout: str | None) -> str:
    """The printed content as kept in printed_forms (and digested): the blocks, their source and the layout."""
    if layout is None:  # printed before layouts were fingerprinted: the content as it was then
        return doc_json(doc, source)
    body = json.loads(doc_json(doc, source)) | {"layout": layout}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_print(uow: UnitOfWork, job: PrintJob, today: dt.date | None = None) -> str:
    """Step 2 (a short write): the serial, the printed content and its digest, the audit record. Caller commits."""
    require(uow.actor, "print")
    on = today or dt.date.today()
    serial = issue_number(uow, "form", on.year, f"{KINDS[job.kind]} {json.dumps(_short(job.source), ensure_ascii=False)}")
    uow.session.add(PrintedForm(serial=serial, kind=job.kind, project_id=job.project_id, year=job.year,
                                digest=job.digest, content=job.content, printed_by=uow.actor.username))
    detail = {"message": f"打印{KINDS[job.kind]}（编号 {serial}）", "kind": job.kind, "serial": serial,
              "digest": job.digest}
    if job.project_code:
        uow.audit("print", "project", job.project_code, detail)
    else:
        uow.audit("print", "form", serial, detail)
    uow.session.flush()
    return serial


def _short(source: dict) -> dict:
    return {k: (f"{len(v)} 行" if k == "codes" else v) for k, v in source.items()}


def render_print(job: PrintJob, serial: str, progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> bytes:
    """Step 3 (no database): the layout. Raises app.reports.PrintCancelled when cancelled() says yes."""
    return render_doc(job.doc, serial, job.digest, progress, cancelled)


def void_print(uow: UnitOfWork, serial: str, reason: str = "已取消打印") -> None:
    """A recorded print that never came out (cancelled or failed): its record goes, the audit trail says why."""
    row = uow.session.scalar(select(PrintedForm).where(PrintedForm.serial == serial))
    if row is None:
        return
    uow.session.execute(delete(PrintedForm).where(PrintedForm.id == row.id))
    uow.audit("print.void", "form", serial, {"message": f"{reason}：{KINDS.get(row.kind, row.kind)}（编号 {serial}）作废",
                                             "kind": row.kind, "serial": serial})


def print_form(db: Database, actor: Actor, kind: str, project_code: str | None = None, year: int | None = None,
               status: str | None = None, codes: Sequence[str] | None = None, choice: str | None = None,
               today: dt.date | None = None, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> PrintedResult:
    """The three steps in their own transactions: a read, a short write, the layout outside any transaction."""
    with db.uow(actor, write=False) as uow:
        job = prepare_print(uow, kind, project_code, year, status, today, codes, choice)
    with db.uow(actor) as uow:
        serial = record_print(uow, job, today)
        uow.commit()
    try:
        pdf = render_print(job, serial, progress, cancelled)
    except BaseException as exc:
        with db.uow(actor) as uow:
            void_print(uow, serial, "已取消打印" if _is_cancel(exc) else "打印失败")
            uow.commit()
        raise
    return PrintedResult(kind, serial, job.digest, pdf, KINDS[kind])


def _is_cancel(exc: BaseException) -> bool:
    return isinstance(exc, PrintCancelled | KeyboardInterrupt)


@dataclass(frozen=True)
class FormChoice:
    kind: str
    label: str
    ready: bool  # can be printed now, by this account
    reason: str | None  # why not (the stage not reached, or no permission), in Chinese


def printable_forms(uow: UnitOfWork, project_code: str) -> list[FormChoice]:
    """For the window's print menu: each of a project's forms, whether it can be printed now and why not.
    Read-only: nothing is numbered or recorded (build_form does that when one is printed)."""
    load_project(uow, project_code)
    if not can(uow.actor, "print"):
        why = refusal_message(uow.actor, "print")
        return [FormChoice(k, KINDS[k], False, why) for k in PROJECT_KINDS]
    out = []
    for kind in PROJECT_KINDS:
        try:
            gather(uow, kind, project_code)
        except GovDataError as exc:
            out.append(FormChoice(kind, KINDS[kind], False, exc.message))
        else:
            out.append(FormChoice(kind, KINDS[kind], True, None))
    return out


def build_form(uow: UnitOfWork, kind: str, project_code: str | None = None, year: int | None = None,
               status: str | None = None, today: dt.date | None = None,
               codes: Sequence[str] | None = None, choice: str | None = None) -> PrintedResult:
    """All three steps in the caller's unit of work (the caller commits). For a one-page form; a long ledger
    goes through print_form (or the three steps) so that its layout holds no transaction."""
    job = prepare_print(uow, kind, project_code, year, status, today, codes, choice)
    serial = record_print(uow, job, today)
    pdf = render_print(job, serial)
    return PrintedResult(kind, serial, job.digest, pdf, KINDS[kind])


# ---------------------------------------------------------------- verification


_HEX = re.compile(r"[0-9a-f]{64}")


def parse_verification(serial_or_text: str, digest: str | None = None) -> tuple[str, str]:
    """(serial, digest) from what a person typed or scanned: the QR code's text GOVDATA-FORM|serial|digest, or the
    serial and the digest as printed (in groups, any case)."""
    text = serial_or_text.strip()
    if digest is None:
        try:
            serial, digest = parse_qr_payload(text)
        except ValueError:
            raise InputError("请输入表单编号和校验码，或扫描二维码得到的整段文字（GOVDATA-FORM|编号|校验码）") from None
    else:
        serial = text
    clean = re.sub(r"[\s\-:：]", "", digest).lower()
    if not _HEX.fullmatch(clean):
        raise InputError(f"校验码应为64位十六进制数字（0—9、a—f，可按4位一组书写），收到：{digest.strip()[:80]}")
    if not serial:
        raise InputError("缺少表单编号")
    return serial, clean


def verify_text(uow: UnitOfWork, serial_or_text: str, digest: str | None = None) -> Verification:
    serial, clean = parse_verification(serial_or_text, digest)
    return verify_form(uow, serial, clean)


def verify_form(uow: UnitOfWork, serial: str, digest: str) -> Verification:
    """Is (serial, digest) a form we printed, and does its record still print the same?"""
    serial = serial.strip()
    digest = re.sub(r"\s", "", digest).lower()
    row = uow.session.scalar(select(PrintedForm).where(PrintedForm.serial == serial))
    if row is None:
        return Verification("unknown", f"没有编号为 {serial} 的打印记录：该表单不是本系统打印的（可能系伪造），"
                                       "或编号抄写有误。")
    name = KINDS.get(row.kind, row.kind)
    if row.digest != digest:
        return Verification("mismatch", f"编号 {serial} 的校验码与打印记录不符：该表单可能被伪造或改动，"
                                        "或校验码抄写有误。", row.kind, row.printed_at)
    saved = json.loads(row.content)
    if saved.get("v") != CONTENT_VERSION:
        return Verification("legacy", f"{name}（编号 {serial}）是本系统打印的，但由旧版本程序打印，"
                                      "无法逐项核对打印后记录是否变更。", row.kind, row.printed_at)
    source = saved.get("source", {})
    on = dt.date.fromisoformat(source["on"]) if source.get("on") else None
    try:
        form, now_source, _pid = gather(uow, row.kind, source.get("project"), source.get("year"),
                                        source.get("record") or None, source.get("status"), source.get("codes"),
                                        today=on)
    except (NotFoundError, RuleViolation):
        return Verification("gone", f"{name}（编号 {serial}）是本系统打印的，但所依据的记录已不存在。", row.kind,
                            row.printed_at)
    except PermissionDenied:
        raise
    doc = compose(row.kind, form)
    layout = layout_of(row.kind)
    if digest_of(_content(row.kind, doc, now_source, saved.get("layout"))) == row.digest:
        return Verification("unchanged", f"{name}（编号 {serial}）是本系统打印的，与系统记录一致，打印后记录未变更。",
                            row.kind, row.printed_at)
    changed = tuple(blocks.diff(saved.get("fields", []), json.loads(doc_json(doc, now_source)).get("fields", [])))
    if saved.get("layout") != layout:  # laid out by another version of the form: differences may be the layout's
        return Verification("legacy", f"{name}（编号 {serial}）是本系统打印的，但打印后程序更新了该表单的版式，"
                                      "无法逐项判断记录是否变更；与现行版式相比不同之处："
                                      f"{'、'.join(changed) or '版式'}。请重新打印后以新打印件为准。",
                            row.kind, row.printed_at, changed)
    later = _superseding(uow, row, digest_of(_content(row.kind, doc, now_source, layout)))
    instead = (f"该打印件已被编号 {later.serial}（{_local(later.printed_at)}打印）的打印件取代，以新打印件为准。"
               if later is not None else "该打印件已失效，请重新打印。")
    return Verification("changed", f"{name}（编号 {serial}）是本系统打印的，但打印后记录已变更："
                                   f"{'、'.join(changed) or '内容不同'}。{instead}", row.kind, row.printed_at, changed,
                        later.serial if later is not None else None)


def _superseding(uow: UnitOfWork, row: PrintedForm, digest: str) -> PrintedForm | None:
    """The latest later print of the same form of the same record that shows the record as it is now."""
    return uow.session.scalar(select(PrintedForm).where(
        PrintedForm.kind == row.kind, PrintedForm.id > row.id, PrintedForm.digest == digest)
        .order_by(PrintedForm.id.desc()).limit(1))


def _local(at: dt.datetime) -> str:
    """A stored time (UTC, naive) as the PC's local time, the way a person reads it."""
    return f"{at.replace(tzinfo=dt.UTC).astimezone():%Y-%m-%d %H:%M}"

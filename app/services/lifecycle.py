"""The life of a project as one explicit state machine (docs/measure.md maps each article to its guard).

Each action has: the states it starts from, the permission it needs, a guard (the measure's rules, each refusal a
RuleViolation naming its article) and an effect. `advance()` runs one action in one transaction with its audit
record; a refusal names its action, and the boundary (command line or window) records it. `available_actions()` tells the window which buttons
are enabled and why not.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select

from app.domain import creditcode
from app.domain.actor import Actor
from app.domain.inputs import (
    TEXT_MAX,
    check_amount,
    check_date,
    check_int,
    check_year,
    clean_text,
    decimal_in_range,
)
from app.domain.money import fen_to_yuan_str, format_yuan, parse_amount
from app.domain.vocabulary import (
    ACTIVE_APPROVED,
    ART7_CHECKS,
    ART9_CHECKS,
    COMPETITIVE_METHODS,
    CONTRACT_KINDS,
    FUNDING_SOURCES,
    MATERIAL_LABELS,
    PASSING_CONCLUSIONS,
    PRE_APPROVAL,
    RECTIFICATION_REASONS,
    REVIEW_CONCLUSIONS,
    REVIEW_DIMENSIONS,
    SECURITY_KINDS,
    SELECTION_METHODS,
    SHARE_TYPES,
    STATUS_LABELS,
    grade_for,
)
from app.errors import GovDataError, InputError, NotFoundError, RuleViolation
from app.models import (
    Acceptance,
    AnnualPlan,
    AnnualPlanItem,
    Approval,
    AutonomyCheck,
    Budget,
    CatalogueItem,
    ChangeItem,
    ChangeRequest,
    Contract,
    Contractor,
    Evaluation,
    EvaluationScore,
    Indicator,
    OmRequest,
    Payment,
    Project,
    Publicity,
    PublicityItem,
    Rectification,
    ReviewItem,
    SecurityAssessment,
    TechnicalReview,
)
from app.services import projects as project_service
from app.services.assessments import assessment_refusal, default_validity
from app.services.calendar import contract_filing_due, deadline_after
from app.services.master import add_contractor, county_settings, find_contractor, get_setting
from app.services.numbering import issue_number, register_external_number
from app.services.objections import pending_objection_refusal
from app.services.permissions import can, refusal_message, require
from app.services.planning import require_approved_plan
from app.storage.database import Database, UnitOfWork

# ---------------------------------------------------------------- fields


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # str text date money int decimal bool choice scores
    label: str
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    default: Any = None  # the value when the field is not given


def _parse(name: str, spec: FieldSpec, raw: Any) -> Any:
    """One field through the input rules (app.domain.inputs): dates, amounts, years, counts and text bounded."""
    if raw is None or raw == "":
        return None
    what = spec.label
    try:
        if spec.kind == "date":
            return check_date(raw, what)
        if spec.kind == "money":
            fen = raw if isinstance(raw, int) and not isinstance(raw, bool) else parse_amount(raw, "元", what)
            return check_amount(fen, what)
        if spec.kind == "int":
            return check_year(raw, what) if name == "year" else check_int(raw, what, 0, 1_000_000)
        if spec.kind == "decimal":
            d = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
            return decimal_in_range(d, what, Decimal(-10**12), Decimal(10**12))
        if spec.kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("1", "yes", "y", "true", "是", "通过", "有"):
                return True
            if text in ("0", "no", "n", "false", "否", "不通过", "无"):
                return False
            raise ValueError
        if spec.kind == "choice":
            text = clean_text(raw, what, 200)
            if text not in spec.choices:
                raise InputError(f"{what}应为：{'、'.join(spec.choices)}（收到：{text}）")
            return text
        if spec.kind == "scores":
            return raw if isinstance(raw, dict) else _parse_scores(clean_text(raw, what, TEXT_MAX))
        if spec.kind == "str":
            return clean_text(raw, what, 200) or None
        if spec.kind == "text":
            return clean_text(raw, what, TEXT_MAX, multiline=True) or None
    except GovDataError:
        raise
    except (ValueError, InvalidOperation):
        hint = {"date": "（格式：2027-03-05）", "bool": "（是/否）", "int": "（整数）"}.get(spec.kind, "")
        raise InputError(f"{what}的值无效：{raw}{hint}") from None
    return raw


def _parse_scores(text: str) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for part in text.replace("；", ",").replace(";", ",").replace("，", ",").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise InputError(f"评分格式应为“指标=分值,指标=分值”：{part}")
        k, v = part.split("=", 1)
        out[k.strip()] = Decimal(v.strip())
    return out


# ---------------------------------------------------------------- results and specs


@dataclass(frozen=True)
class ActionResult:
    code: str
    action: str
    status: str
    status_label: str
    message: str
    warnings: tuple[str, ...] = ()
    data: dict = field(default_factory=dict)


@dataclass
class Outcome:
    message: str
    to: str | None = None
    warnings: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


Guard = Callable[[UnitOfWork, Project, dict], None]
Effect = Callable[[UnitOfWork, Project, dict], Outcome]


@dataclass(frozen=True)
class ActionSpec:
    key: str
    label: str
    permission: str
    from_states: tuple[str, ...]
    effect: Effect
    guard: Guard | None = None
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    article: str = ""


ACTIONS: dict[str, ActionSpec] = {}


def action(key: str, label: str, permission: str, from_states: tuple[str, ...], article: str = "",
           fields: dict[str, FieldSpec] | None = None, guard: Guard | None = None) -> Callable[[Effect], Effect]:
    def register(fn: Effect) -> Effect:
        ACTIONS[key] = ActionSpec(key, label, permission, from_states, fn, guard, fields or {}, article)
        return fn
    return register


def _today(f: dict, key: str = "on") -> dt.date:
    return f.get(key) or dt.date.today()


def _label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


# ---------------------------------------------------------------- state refusals that are rules of the measure

_BUILD_ACTIONS = {"sign-contract", "file-contract", "pay", "accept-preliminary", "accept-joint", "register-catalogue",
                  "land-data", "check-autonomy"}


def _state_refusal(spec: ActionSpec, p: Project) -> GovDataError:
    s = p.status
    if s in ("terminated", "withdrawn", "rejected"):
        return InputError(f"项目{_label(s)}，不能再办理“{spec.label}”")
    if spec.key in _BUILD_ACTIONS and s in PRE_APPROVAL:
        return RuleViolation("第九条", "项目未经审批立项，不得签订合同、拨付资金或开展建设（不得未批先建）")
    if spec.key in ("pay",) and s == "funds_suspended":
        return RuleViolation("第二十二条", "项目拒不整改或整改后仍不符合要求，已暂停拨付项目资金")
    if spec.key == "approve" and s in ("submitted", "in_review"):
        return RuleViolation("第七、八条", "项目尚未出具技术审核意见，不能审批立项")
    if spec.key == "approve" and s == "draft":
        return RuleViolation("第八条", "项目尚未申报，不能审批立项")
    if spec.key == "sign-contract" and s in ("approved", "budgeted"):
        return RuleViolation("第十一条", "项目预算确定后须先公示资金拟分配计划，公示后方可签订合同")
    if spec.key == "publicize" and s == "approved":
        return RuleViolation("第十一条", "项目预算尚未确定，不能公示资金拟分配计划")
    if spec.key == "budget" and s in PRE_APPROVAL:
        return RuleViolation("第九、十条", "项目未经审批立项，不能安排预算")
    if spec.key == "accept-joint" and s == "under_construction":
        return RuleViolation("第十八条", "项目实施单位尚未自行组织初步验收，不能提请联合验收")
    if spec.key == "suspend" and s != "rectifying":
        return RuleViolation("第二十二条", "只有处于限期整改中的项目才能暂停拨付资金")
    if spec.key == "terminate":
        return RuleViolation("第二十二条", "只有已暂停拨付资金的项目（拒不整改或整改后仍不符合要求）才能终止")
    if spec.key == "request-om" and s not in ("accepted", "in_operation"):
        return RuleViolation("第二十一条", "运行维护费用须在项目验收后申请")
    allowed = "、".join(_label(x) for x in spec.from_states)
    return InputError(f"项目当前状态为“{_label(s)}”，不能办理“{spec.label}”（需处于：{allowed}）")


def check(uow: UnitOfWork, spec: ActionSpec, p: Project, f: dict) -> None:
    """Everything that must hold before the action runs: permission, state, the rules."""

    require(uow.actor, spec.permission, p.department_id)
    if p.status not in spec.from_states:
        raise _state_refusal(spec, p)
    if spec.guard:
        spec.guard(uow, p, f)


def parse_fields(spec: ActionSpec, raw: dict[str, Any]) -> dict[str, Any]:
    unknown = set(raw) - set(spec.fields)
    if unknown:
        raise InputError(f"“{spec.label}”没有这些参数：{'、'.join(sorted(unknown))}；"
                         f"可用：{'、'.join(spec.fields) or '无'}")
    parsed = {name: _parse(name, fs, raw.get(name)) for name, fs in spec.fields.items()}
    parsed = {name: fs.default if parsed[name] is None else parsed[name] for name, fs in spec.fields.items()}
    missing = [fs.label for name, fs in spec.fields.items() if fs.required and parsed[name] is None]
    if missing:
        raise InputError(f"“{spec.label}”缺少：{'、'.join(missing)}")
    return parsed


def run_action(uow: UnitOfWork, code: str, key: str, raw: dict[str, Any] | None = None) -> ActionResult:
    """Run one action inside the caller's unit of work (the caller commits)."""
    spec = ACTIONS.get(key)
    if spec is None:
        raise InputError(f"未知的操作：{key}（可用：{'、'.join(ACTIONS)}）")
    f = parse_fields(spec, raw or {})
    p = project_service.load_project(uow, code, spec.permission)
    check(uow, spec, p, f)
    before = p.status
    out = spec.effect(uow, p, f)
    if out.to and out.to != p.status:
        p.status = out.to
    uow.session.flush()
    uow.audit(f"lifecycle.{key}", "project", code, {
        "before": {"status": before}, "after": {"status": p.status},
        "fields": {k: v for k, v in f.items() if v is not None}, "message": out.message,
        "warnings": out.warnings})
    return ActionResult(code, key, p.status, _label(p.status), out.message, tuple(out.warnings), out.data)


def advance(db: Database, actor: Actor, code: str, key: str, **raw: Any) -> ActionResult:
    """Run one lifecycle action in its own transaction. A refusal names its action for the boundary's audit record."""
    try:
        with db.uow(actor) as uow:
            result = run_action(uow, code, key, raw)
            uow.commit()
            return result
    except GovDataError as exc:
        exc.refusing(f"lifecycle.{key}", "project", code)
        raise


@dataclass(frozen=True)
class Availability:
    key: str
    label: str
    enabled: bool
    reason: str | None


def available_actions(uow: UnitOfWork, code: str) -> list[Availability]:
    """For the window: each action, whether it may run now, and if not the rule (with its article) or reason."""
    p = project_service.load_project(uow, code)
    out = []
    for spec in ACTIONS.values():
        if not can(uow.actor, spec.permission, p.department_id):
            out.append(Availability(spec.key, spec.label, False,
                                    refusal_message(uow.actor, spec.permission, p.department_id)))
            continue
        try:
            if p.status not in spec.from_states:
                raise _state_refusal(spec, p)
            if spec.guard:
                spec.guard(uow, p, {})
        except GovDataError as exc:
            out.append(Availability(spec.key, spec.label, False, exc.message))
        else:
            out.append(Availability(spec.key, spec.label, True, None))
    return out


# ---------------------------------------------------------------- helpers


def _latest_review(uow: UnitOfWork, p: Project) -> TechnicalReview | None:
    return uow.session.scalar(select(TechnicalReview).where(TechnicalReview.project_id == p.id)
                              .order_by(TechnicalReview.id.desc()).limit(1))


def _in_annual_plan(uow: UnitOfWork, p: Project) -> bool:
    return (uow.session.scalar(
        select(func.count()).select_from(AnnualPlanItem).join(AnnualPlan)
        .where(AnnualPlan.year == p.year, AnnualPlanItem.project_id == p.id)) or 0) > 0


def _doc_no(uow: UnitOfWork, f: dict, key: str, year: int, purpose: str) -> str:
    given = f.get("doc_no")
    if given:
        register_external_number(uow, key, year, given, purpose)
        return given
    return issue_number(uow, key, year, purpose)


def _sum(uow: UnitOfWork, column: Any, *where: Any) -> int:
    return int(uow.session.scalar(select(func.coalesce(func.sum(column), 0)).where(*where)) or 0)


def similar_projects(uow: UnitOfWork, p: Project) -> list[dict]:
    """Possible split or disguised projects (第九条 变相包装): same department and year with similar names or
    content, and amounts just under an approval threshold."""
    found: list[dict] = []
    others = uow.session.scalars(select(Project).where(
        Project.department_id == p.department_id, Project.year == p.year, Project.id != p.id,
        Project.status.not_in(("withdrawn", "rejected")))).all()
    for o in others:
        name_ratio = difflib.SequenceMatcher(None, p.name, o.name).ratio()
        content_ratio = (difflib.SequenceMatcher(None, p.content or "", o.content or "").ratio()
                         if p.content and o.content else 0.0)
        if name_ratio >= 0.6 or content_ratio >= 0.6:
            found.append({"code": o.code, "name": o.name, "reason":
                          f"同一单位同一年度名称相似度{name_ratio:.0%}、内容相似度{content_ratio:.0%}"})
    thresholds = county_settings(uow).approval_thresholds_fen
    for t in thresholds:
        if t * 0.9 <= p.total_fen < t:
            found.append({"code": p.code, "name": p.name, "reason":
                          f"总投资{format_yuan(p.total_fen)}元略低于审批限额{format_yuan(t)}元"})
            siblings = [o for o in others if o.total_fen < t]
            if siblings and sum(o.total_fen for o in siblings) + p.total_fen >= t:
                found.append({"code": p.code, "name": p.name, "reason":
                              f"与本单位同年度其他项目合计超过限额{format_yuan(t)}元，可能存在拆分"})
    return found


def previous_evaluations(uow: UnitOfWork, p: Project) -> list[dict]:
    """The department's evaluations of the previous year (第二十三条: a reference for this year's review)."""
    rows = uow.session.execute(
        select(Evaluation, Project.code, Project.name).join(Project, Evaluation.project_id == Project.id)
        .where(Project.department_id == p.department_id, Evaluation.year == p.year - 1)
        .order_by(Evaluation.id)).all()
    return [{"code": code, "name": name, "year": e.year, "total": str(e.total), "grade": e.grade}
            for e, code, name in rows]


# ---------------------------------------------------------------- actions: application and review


def _guard_submit(uow: UnitOfWork, p: Project, f: dict) -> None:
    have = {m.kind for m in p.materials}
    missing = [label for k, label in MATERIAL_LABELS.items() if k not in have]
    if missing:
        raise RuleViolation("第八条", f"申请材料不全，缺少：{'、'.join(missing)}")


@action("add-material", "登记申请材料", "project.register", ("draft", "submitted", "in_review"), "第八条", {
    "kind": FieldSpec("choice", "材料类型", True, tuple(MATERIAL_LABELS)),
    "title": FieldSpec("str", "材料名称"),
    "received_on": FieldSpec("date", "收到日期"),
})
def _add_material(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    project_service.record_material(uow, p.code, f["kind"], f["title"], f["received_on"])
    return Outcome(f"已登记{MATERIAL_LABELS[f['kind']]}")


@action("submit", "提交申报", "project.register", ("draft",), "第八条", guard=_guard_submit)
def _submit(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    similar = similar_projects(uow, p)
    warnings = [f"疑似拆分或变相包装（第九条）：{s['code']} {s['name']}：{s['reason']}" for s in similar]
    return Outcome("已提交申报", "submitted", warnings, {"similar": similar})


@action("start-review", "开始技术审核", "review", ("submitted",), "第七条", {
    "reviewer": FieldSpec("str", "审核人"),
    "on": FieldSpec("date", "开始日期"),
})
def _start_review(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    uow.session.add(TechnicalReview(project_id=p.id, reviewer=f["reviewer"] or uow.actor.display_name
                                    or uow.actor.username, started_on=_today(f)))
    prev = previous_evaluations(uow, p)
    warnings = [f"上年度绩效评价（第二十三条）：{e['code']} {e['name']} {e['total']}分 {e['grade']}" for e in prev]
    return Outcome("已开始技术审核", "in_review", warnings, {"previous_evaluations": prev})


_REVIEW_FIELDS = {
    "conclusion": FieldSpec("choice", "审核结论", True, tuple(REVIEW_CONCLUSIONS),
                            help="pass 通过 / pass_with_changes 修改后通过 / fail 不通过"),
    "opinion": FieldSpec("text", "审核意见"),
    "reviewer": FieldSpec("str", "审核人"),
    "on": FieldSpec("date", "意见日期"),
    "doc_no": FieldSpec("str", "审核意见文号"),
} | {k: FieldSpec("bool", v, help="默认：是", default=True) for k, v in ART9_CHECKS.items()} \
  | {f"art7_{k}": FieldSpec("bool", v, help="默认：符合", default=True) for k, v in ART7_CHECKS.items()} \
  | {f"score_{k}": FieldSpec("decimal", v) for k, v in REVIEW_DIMENSIONS.items()}


@action("review", "出具审核意见", "review", ("submitted", "in_review"), "第七、九条", _REVIEW_FIELDS)
def _review(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    r = _latest_review(uow, p) if p.status == "in_review" else None
    if r is None or r.conclusion:
        r = TechnicalReview(project_id=p.id, started_on=_today(f))
        uow.session.add(r)
    r.reviewer = f["reviewer"] or r.reviewer or uow.actor.display_name or uow.actor.username
    r.opinion_on = _today(f)
    r.conclusion = f["conclusion"]
    for k in ART9_CHECKS:
        setattr(r, k, f[k])
    r.opinion = f["opinion"] or REVIEW_CONCLUSIONS[f["conclusion"]]
    r.doc_no = _doc_no(uow, f, "review", r.opinion_on.year, f"技术审核意见：{p.code}")
    uow.session.flush()
    for k, label in ART7_CHECKS.items():
        passed = f[f"art7_{k}"]
        uow.session.add(ReviewItem(review_id=r.id, group="art7", key=k, passed=passed,
                                   finding="符合要求" if passed else "不符合要求"))
    for k in REVIEW_DIMENSIONS:
        score = f[f"score_{k}"]
        uow.session.add(ReviewItem(review_id=r.id, group="dimension", key=k, score=score,
                                   passed=None if score is None else score >= 60))
    warnings = [f"第九条检查未通过：{v}" for k, v in ART9_CHECKS.items() if f[k] is False]
    prev = previous_evaluations(uow, p)
    warnings += [f"上年度绩效评价（第二十三条）：{e['code']} {e['name']} {e['total']}分 {e['grade']}" for e in prev]
    return Outcome(f"已出具审核意见：{REVIEW_CONCLUSIONS[f['conclusion']]}（{r.doc_no}）", "reviewed", warnings,
                   {"doc_no": r.doc_no, "previous_evaluations": prev})


def _guard_approve(uow: UnitOfWork, p: Project, f: dict) -> None:
    r = _latest_review(uow, p)
    if r is None or r.conclusion not in PASSING_CONCLUSIONS:
        raise RuleViolation("第七、八条", "技术审核意见未通过，不能审批立项")
    if r.policy_ok is False:
        raise RuleViolation("第九条", "项目与国家和省市县政务资源共享和集约化建设相关政策相违背，不予立项")
    if r.interconnect_ok is False:
        raise RuleViolation("第九条", "无法实现互联互通、信息共享、业务协同的信息系统，不再批准建设")
    if r.not_built_before is False:
        raise RuleViolation("第九条", "审核发现项目未批先建，不予立项")
    if r.not_disguised is False:
        raise RuleViolation("第九条", "审核发现项目变相包装或纳入其他项目建设，不予立项")
    if not _in_annual_plan(uow, p):
        raise RuleViolation("第六、八条", f"项目未列入{p.year}年度政务大数据应用年度计划，不能审批立项")
    require_approved_plan(uow, p.year, f.get("on") or dt.date.today())
    amount = f.get("amount")
    if amount is not None and amount > p.total_fen:
        raise InputError(f"批复金额{format_yuan(amount)}元不能超过项目总投资{format_yuan(p.total_fen)}元")


@action("approve", "审批立项", "approve", ("reviewed",), "第八、九条", {
    "doc_no": FieldSpec("str", "立项文号", help="不填则按设置自动编号"),
    "amount": FieldSpec("money", "批复金额（元）", help="不填则为总投资"),
    "on": FieldSpec("date", "批复日期"),
    "leader": FieldSpec("str", "审批领导"),
    "opinion": FieldSpec("text", "审批意见"),
}, guard=_guard_approve)
def _approve(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    on = _today(f)
    amount = f["amount"] if f["amount"] is not None else p.total_fen
    doc_no = _doc_no(uow, f, "approval", on.year, f"立项批复：{p.code} {p.name}")
    uow.session.add(Approval(project_id=p.id, decision="approved", doc_no=doc_no, decided_on=on, amount_fen=amount,
                             opinion=f["opinion"] or "同意立项", leader=f["leader"]))
    p.approved_fen = amount
    return Outcome(f"已审批立项，文号 {doc_no}，批复金额 {format_yuan(amount)} 元", "approved",
                   data={"doc_no": doc_no, "amount_yuan": fen_to_yuan_str(amount)})


@action("reject", "不予立项", "approve", ("in_review", "reviewed"), "第九条", {
    "opinion": FieldSpec("text", "不予立项理由", True),
    "on": FieldSpec("date", "决定日期"),
    "doc_no": FieldSpec("str", "文号"),
})
def _reject(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    uow.session.add(Approval(project_id=p.id, decision="rejected", doc_no=f["doc_no"], decided_on=_today(f),
                             opinion=f["opinion"]))
    return Outcome("已决定不予立项", "rejected")


@action("withdraw", "撤回申报", "project.register", PRE_APPROVAL, "", {
    "reason": FieldSpec("text", "撤回原因"),
})
def _withdraw(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    return Outcome("已撤回", "withdrawn")


# ---------------------------------------------------------------- budget and publicity


_SOURCE_HELP = " / ".join(f"{k} {v}" for k, v in FUNDING_SOURCES.items())


def _guard_budget(uow: UnitOfWork, p: Project, f: dict) -> None:
    amount = f.get("amount")
    if amount is None:
        return
    if amount <= 0:
        raise InputError("预算金额应大于零")
    if (f.get("kind") or "construction") == "construction":
        already = _sum(uow, Budget.amount_fen, Budget.project_id == p.id, Budget.kind == "construction")
        if already + amount > (p.approved_fen or 0):
            raise RuleViolation("第十条", f"建设预算累计{format_yuan(already + amount)}元超过立项批复金额"
                                        f"{format_yuan(p.approved_fen or 0)}元")


@action("budget", "列入预算", "budget", ("approved", "budgeted", "publicized", "under_construction"), "第十条", {
    "amount": FieldSpec("money", "预算金额（元）", True),
    "year": FieldSpec("int", "预算年度"),
    "doc_no": FieldSpec("str", "预算文号"),
    "on": FieldSpec("date", "确定日期"),
    "source": FieldSpec("choice", "资金来源", False, tuple(FUNDING_SOURCES), _SOURCE_HELP),
}, guard=_guard_budget)
def _budget(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    uow.session.add(Budget(project_id=p.id, year=f["year"] or p.year, kind="construction", amount_fen=f["amount"],
                           doc_no=f["doc_no"], set_on=_today(f), source=f["source"]))
    to = "budgeted" if p.status == "approved" else None
    return Outcome(f"已列入{f['year'] or p.year}年预算 {format_yuan(f['amount'])} 元", to)


def _guard_publicize(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not _sum(uow, Budget.amount_fen, Budget.project_id == p.id):
        raise RuleViolation("第十一条", "项目预算尚未确定，不能公示资金拟分配计划")
    if f.get("start_on") and f.get("end_on") and f["end_on"] < f["start_on"]:
        raise InputError("公示结束日期不能早于开始日期")


@action("publicize", "公示资金拟分配计划", "publicize", ("budgeted",), "第十一条", {
    "start_on": FieldSpec("date", "公示开始日期"),
    "end_on": FieldSpec("date", "公示结束日期", help="不填则按设置的工作日数计算"),
    "contact": FieldSpec("str", "联系人"),
    "phone": FieldSpec("str", "联系电话"),
}, guard=_guard_publicize)
def _publicize(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    # the notice of the earliest budget year not yet publicised, with that year's real budgets (a project budgeted in
    # another year than its own is publicised with its budget, not 0.00 元); later years go in their own notices
    pending = uow.session.scalars(select(Budget).where(Budget.project_id == p.id, Budget.publicity_id.is_(None))
                                  .order_by(Budget.year, Budget.id)).all()
    year = pending[0].year if pending else p.year
    pub = publicity_for(uow, year, f["start_on"] or dt.date.today(), f["end_on"], f["contact"], f["phone"])
    these = [b for b in pending if b.year == year]
    for b in these:
        b.publicity_id = pub.id
    amount = sum(b.amount_fen for b in these) or p.year_request_fen
    uow.session.add(PublicityItem(publicity_id=pub.id, project_id=p.id, amount_fen=amount))
    return Outcome(f"已列入资金拟分配计划公示（{pub.start_on}至{pub.end_on}）", "publicized",
                   data={"publicity_id": pub.id, "end_on": pub.end_on.isoformat()})


def publicity_for(uow: UnitOfWork, year: int, start_on: dt.date, end_on: dt.date | None,
                  contact: str | None = None, phone: str | None = None) -> Publicity:
    """The year's publicity notice starting that day (one notice lists many projects)."""
    if end_on is None:
        end_on = deadline_after(uow, start_on, int(get_setting(uow, "publicity_workdays"))).due
    pub = uow.session.scalar(select(Publicity).where(Publicity.year == year, Publicity.start_on == start_on,
                                                     Publicity.end_on == end_on))
    if pub is None:
        county = get_setting(uow, "county")
        pub = Publicity(year=year, title=f"{county}{year}年度政务大数据项目资金拟分配计划公示", start_on=start_on,
                        end_on=end_on, contact=contact, phone=phone,
                        doc_no=issue_number(uow, "publicity", start_on.year, f"{year}年资金拟分配计划公示"))
        uow.session.add(pub)
        uow.session.flush()
    return pub


# ---------------------------------------------------------------- contracts and payments

_AFTER_PUBLICITY = ("publicized", "under_construction", "preliminarily_accepted", "accepted", "in_operation",
                    "rectifying")


def _contractor_for(uow: UnitOfWork, f: dict, create: bool) -> Contractor | None:
    key = f.get("credit_code") or f.get("contractor")
    if not key:
        return None
    if f.get("credit_code"):
        creditcode.validate(f["credit_code"])
    found = find_contractor(uow, key)
    if found is None and f.get("contractor") and f.get("credit_code"):
        found = find_contractor(uow, f["contractor"])
    if found is None and create:
        if not (f.get("contractor") and f.get("credit_code")):
            raise InputError(f"建设单位未登记：{key}；首次登记请同时提供名称和统一社会信用代码")
        view = add_contractor(uow, f["contractor"], f["credit_code"], bool(f.get("county_owned")))
        found = uow.session.get(Contractor, view.id)
    return found


def _guard_contract(uow: UnitOfWork, p: Project, f: dict) -> None:
    if p.status == "rectifying" and p.resume_status not in _AFTER_PUBLICITY:
        raise RuleViolation("第十一条", "项目尚未公示资金拟分配计划，不能签订合同")
    pending = pending_objection_refusal(uow, p.id)
    if pending is not None:
        raise pending
    method = f.get("selection_method")
    if method:
        contractor = _contractor_for(uow, f, create=False)
        county_owned = contractor.county_owned if contractor else bool(f.get("county_owned"))
        if method == "县属企业承建" and not county_owned:
            raise RuleViolation("第十三条", "建设单位不是县属企业，应通过市场化竞争方式确定建设单位")
        if method not in COMPETITIVE_METHODS and method != "县属企业承建" and not county_owned:
            raise RuleViolation("第十三条", f"“{method}”不是市场化竞争方式；非县属企业承建应坚持公开、公平、公正，"
                                          "通过市场化竞争方式确定建设单位")
    amount = f.get("amount")
    if amount is not None:
        if amount <= 0:
            raise InputError("合同金额应大于零")
        signed = _sum(uow, Contract.amount_fen, Contract.project_id == p.id)
        if signed + amount > (p.approved_fen or p.total_fen):
            raise RuleViolation("第十四、十七条", f"合同金额累计{format_yuan(signed + amount)}元超过立项批复金额"
                                              f"{format_yuan(p.approved_fen or p.total_fen)}元，须先提交调整申请")
    if f.get("contract_no") and uow.session.scalar(select(Contract.id).where(
            Contract.contract_no == f["contract_no"])):
        raise InputError(f"合同编号已登记：{f['contract_no']}")


@action("sign-contract", "登记合同", "contract", _AFTER_PUBLICITY, "第十三—十五条", {
    "contract_no": FieldSpec("str", "合同编号", True),
    "contractor": FieldSpec("str", "建设单位名称", True),
    "credit_code": FieldSpec("str", "统一社会信用代码"),
    "county_owned": FieldSpec("bool", "是否县属企业"),
    "amount": FieldSpec("money", "合同金额（元）", True),
    "signed_on": FieldSpec("date", "签订日期", True),
    "selection_method": FieldSpec("choice", "建设单位确定方式", True, SELECTION_METHODS),
    "kind": FieldSpec("choice", "合同类型", False, tuple(CONTRACT_KINDS), "construction 建设 / supervision 监理 / "
                      "testing 测评 / other 其他"),
    "title": FieldSpec("str", "合同名称"),
}, guard=_guard_contract)
def _sign_contract(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    contractor = _contractor_for(uow, f, create=True)
    assert contractor is not None  # create=True makes it
    due = contract_filing_due(uow, f["signed_on"])
    c = Contract(project_id=p.id, kind=f["kind"] or "construction", contract_no=f["contract_no"],
                 title=f["title"] or f"{p.name}{CONTRACT_KINDS[f['kind'] or 'construction']}",
                 contractor_id=contractor.id, amount_fen=f["amount"], selection_method=f["selection_method"],
                 signed_on=f["signed_on"], filing_due=due.due, filing_due_provisional=due.provisional)
    uow.session.add(c)
    warnings = [due.warning] if due.warning else []
    to = "under_construction" if p.status == "publicized" else None
    return Outcome(f"已登记合同 {c.contract_no}，应于 {due.due.isoformat()} 前报送备案（第十五条，5个工作日）", to,
                   warnings, {"filing_due": due.due.isoformat(), "provisional": due.provisional})


def _pick_contract(uow: UnitOfWork, p: Project, contract_no: str | None, unfiled: bool = False) -> Contract:
    stmt = select(Contract).where(Contract.project_id == p.id)
    if contract_no:
        c = uow.session.scalar(stmt.where(Contract.contract_no == contract_no))
        if c is None:
            raise NotFoundError(f"项目 {p.code} 没有合同 {contract_no}")
        return c
    if unfiled:
        stmt = stmt.where(Contract.filed_on.is_(None))
    rows = uow.session.scalars(stmt.order_by(Contract.id)).all()
    if len(rows) != 1:
        raise InputError("请用 contract_no 指明合同" if rows else "项目没有待备案的合同")
    return rows[0]


def _guard_file(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not f:
        if not uow.session.scalar(select(Contract.id).where(Contract.project_id == p.id,
                                                            Contract.filed_on.is_(None)).limit(1)):
            raise InputError("项目没有待备案的合同")
        return
    c = _pick_contract(uow, p, f.get("contract_no"), unfiled=True)
    if c.filed_on:
        raise InputError(f"合同 {c.contract_no} 已于 {c.filed_on} 备案")
    if f.get("filed_on") and f["filed_on"] < c.signed_on:
        raise InputError("备案日期不能早于合同签订日期")


@action("file-contract", "合同备案", "contract", _AFTER_PUBLICITY + ("funds_suspended",), "第十五条", {
    "contract_no": FieldSpec("str", "合同编号"),
    "filed_on": FieldSpec("date", "备案日期"),
}, guard=_guard_file)
def _file_contract(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    c = _pick_contract(uow, p, f["contract_no"], unfiled=True)
    c.filed_on = f["filed_on"] or dt.date.today()
    c.filed_late = c.filed_on > c.filing_due
    warnings = []
    if c.filed_late:
        warnings.append(f"逾期备案（第十五条）：应于 {c.filing_due} 前备案，实际 {c.filed_on}")
    return Outcome(f"合同 {c.contract_no} 已备案" + ("（逾期）" if c.filed_late else "（按期）"), None, warnings,
                   {"filed_late": c.filed_late, "filing_due": c.filing_due.isoformat()})


def _guard_pay(uow: UnitOfWork, p: Project, f: dict) -> None:
    amount = f.get("amount")
    if amount is not None and amount <= 0:
        raise InputError("拨付金额应大于零")
    kind = f.get("kind") or "construction"
    if kind == "om":
        if not _shares_data(uow, p):
            raise RuleViolation("第九条", "未按要求进行业务协同和数据共享的项目，不再拨付运维经费")
        approved = _sum(uow, OmRequest.approved_fen, OmRequest.project_id == p.id, OmRequest.status == "approved")
        paid = _sum(uow, Payment.amount_fen, Payment.project_id == p.id, Payment.kind == "om")
        if amount is not None and paid + amount > approved:
            raise RuleViolation("第二十一条", f"运维经费拨付累计{format_yuan(paid + amount)}元超过经审核的运维经费"
                                            f"{format_yuan(approved)}元")
        return
    if f.get("contract_no") or amount is not None:
        c = _pick_contract(uow, p, f.get("contract_no"))
        paid = _sum(uow, Payment.amount_fen, Payment.contract_id == c.id)
        if amount is not None and paid + amount > c.amount_fen:
            raise RuleViolation("第十四条", f"对合同 {c.contract_no} 累计拨付{format_yuan(paid + amount)}元，超过合同金额"
                                          f"{format_yuan(c.amount_fen)}元")
    elif not p.contracts:
        raise RuleViolation("第九、十四条", "项目尚未签订建设合同，不能拨付建设资金")


@action("pay", "拨付资金", "payment", ("under_construction", "preliminarily_accepted", "accepted",
                                     "in_operation", "rectifying"), "第九、二十二条", {
    "amount": FieldSpec("money", "拨付金额（元）", True),
    "paid_on": FieldSpec("date", "拨付日期"),
    "contract_no": FieldSpec("str", "合同编号"),
    "kind": FieldSpec("choice", "资金类型", False, ("construction", "om"), "construction 建设 / om 运维"),
    "voucher_no": FieldSpec("str", "凭证号"),
    "purpose": FieldSpec("str", "用途"),
    "source": FieldSpec("choice", "资金来源", False, tuple(FUNDING_SOURCES), _SOURCE_HELP),
}, guard=_guard_pay)
def _pay(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    kind = f["kind"] or "construction"
    contract = _pick_contract(uow, p, f["contract_no"]) if kind == "construction" else None
    uow.session.add(Payment(project_id=p.id, contract_id=contract.id if contract else None, kind=kind,
                            amount_fen=f["amount"], paid_on=f["paid_on"] or dt.date.today(),
                            voucher_no=f["voucher_no"], purpose=f["purpose"], source=f["source"]))
    return Outcome(f"已拨付 {format_yuan(f['amount'])} 元")


# ---------------------------------------------------------------- changes (第十七条)

_CHANGE_FIELDS = {"total": "total_fen", "county": "county_fen", "upper": "upper_fen", "other": "other_fen",
                  "content": "content", "period_months": "period_months", "name": "name",
                  "year_request": "year_request_fen", "city_share": "city_share_fen",
                  "county_share": "county_share_fen"}
_CHANGEABLE = ("approved", "budgeted", "publicized", "under_construction", "preliminarily_accepted", "rectifying")


def _pending_change(uow: UnitOfWork, p: Project) -> ChangeRequest | None:
    return uow.session.scalar(select(ChangeRequest).where(ChangeRequest.project_id == p.id,
                                                          ChangeRequest.status == "pending").limit(1))


def _guard_request_change(uow: UnitOfWork, p: Project, f: dict) -> None:
    if _pending_change(uow, p):
        raise InputError("项目已有待审核的调整申请，请待主管部门出具意见后再提交")


@action("request-change", "提交调整申请", "change.request", _CHANGEABLE, "第十七条", {
    "description": FieldSpec("text", "调整内容", True),
    "reason": FieldSpec("text", "调整原因", True),
    "major": FieldSpec("bool", "是否重大变化", help="默认：是", default=True),
    "on": FieldSpec("date", "申请日期"),
    "total": FieldSpec("money", "调整后总投资（元）"),
    "county": FieldSpec("money", "调整后县级财政资金（元）"),
    "upper": FieldSpec("money", "调整后上级补助资金（元）"),
    "other": FieldSpec("money", "调整后其他资金（元）"),
    "year_request": FieldSpec("money", "调整后本年申请资金（元）"),
    "city_share": FieldSpec("money", "调整后市级承担（元）"),
    "county_share": FieldSpec("money", "调整后县级承担（元）"),
    "content": FieldSpec("text", "调整后建设内容"),
    "period_months": FieldSpec("int", "调整后建设周期（月）"),
    "name": FieldSpec("str", "调整后项目名称"),
}, guard=_guard_request_change)
def _request_change(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    new_values = {col: f[key] for key, col in _CHANGE_FIELDS.items() if f[key] is not None}
    if new_values:
        candidate = {k: getattr(p, k) for k in project_service.EDITABLE} | new_values
        project_service.check_figures(candidate)
    cr = ChangeRequest(project_id=p.id, requested_on=_today(f), major=f["major"],
                       description=f["description"], reason=f["reason"])
    for col, value in new_values.items():
        cr.items.append(ChangeItem(field=col, old_value=_text(getattr(p, col)), new_value=_text(value)))
    uow.session.add(cr)
    uow.session.flush()
    return Outcome(f"已提交调整申请（第{cr.id}号），待主管部门出具意见后生效", data={"change_id": cr.id})


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _guard_decide_change(uow: UnitOfWork, p: Project, f: dict) -> None:
    if _pending_change(uow, p) is None:
        raise InputError("项目没有待审核的调整申请")
    if f and not (f.get("opinion") or "").strip():
        raise RuleViolation("第十七条", "调整申请须由主管部门综合评估后出具意见")


@action("decide-change", "审核调整申请", "change.decide", _CHANGEABLE + ("accepted", "in_operation"), "第十七条", {
    "decision": FieldSpec("choice", "审核结论", True, ("approve", "reject"), "approve 同意 / reject 不同意"),
    "opinion": FieldSpec("text", "主管部门意见", help="必填（第十七条）"),
    "on": FieldSpec("date", "意见日期"),
}, guard=_guard_decide_change)
def _decide_change(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    cr = _pending_change(uow, p)
    assert cr is not None
    cr.status = "approved" if f["decision"] == "approve" else "rejected"
    cr.opinion, cr.decided_on = f["opinion"], _today(f)
    cr.decided_by = uow.actor.display_name or uow.actor.username
    applied = {}
    if cr.status == "approved":
        for item in cr.items:
            col = item.field
            value: Any = item.new_value
            if col.endswith("_fen") or col == "period_months":
                value = int(value)
            applied[col] = value
        if applied:
            project_service.check_figures({k: getattr(p, k) for k in project_service.EDITABLE} | applied)
            for col, value in applied.items():
                setattr(p, col, value)
            if "total_fen" in applied:
                p.approved_fen = applied["total_fen"]
    word = "同意" if cr.status == "approved" else "不同意"
    return Outcome(f"已{word}调整申请（第{cr.id}号）" + ("，调整后的内容已生效" if applied else ""),
                   data={"change_id": cr.id, "applied": {k: _text(v) for k, v in applied.items()}})


# ---------------------------------------------------------------- acceptance (第十八—二十条)


def _guard_preliminary(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not any(c.kind == "construction" for c in p.contracts):
        raise RuleViolation("第十四条", "项目没有建设合同，不能组织初步验收")
    if _pending_change(uow, p):
        raise RuleViolation("第十七条", "项目有待审核的调整申请，须主管部门出具意见后再验收")


@action("accept-preliminary", "初步验收", "acceptance.request", ("under_construction",), "第十八条", {
    "on": FieldSpec("date", "验收日期"),
    "passed": FieldSpec("bool", "是否通过", help="默认：通过", default=True),
    "organizer": FieldSpec("str", "组织单位"),
    "opinion": FieldSpec("text", "验收意见"),
}, guard=_guard_preliminary)
def _accept_preliminary(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    passed = f["passed"]
    uow.session.add(Acceptance(project_id=p.id, stage="preliminary", accepted_on=_today(f), passed=passed,
                               organizer=f["organizer"] or p.department.name,
                               opinion=f["opinion"] or ("初步验收合格" if passed else "初步验收不合格")))
    if not passed:
        return Outcome("初步验收未通过，项目仍在建设中")
    return Outcome("初步验收通过，可提请联合验收", "preliminarily_accepted")


_BUILDING = ("under_construction", "preliminarily_accepted", "accepted", "in_operation", "rectifying")


@action("register-catalogue", "登记信息资源目录", "acceptance.request", _BUILDING, "第十九条", {
    "name": FieldSpec("str", "资源名称", True),
    "resource_code": FieldSpec("str", "资源代码"),
    "share_type": FieldSpec("choice", "共享类型", False, SHARE_TYPES),
    "registered": FieldSpec("bool", "已在共享平台目录管理系统注册", help="默认：是", default=True),
    "on": FieldSpec("date", "注册日期"),
    "platform_id": FieldSpec("str", "平台目录编号"),
})
def _register_catalogue(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    registered = f["registered"]
    uow.session.add(CatalogueItem(project_id=p.id, name=f["name"], resource_code=f["resource_code"],
                                  share_type=f["share_type"] or "有条件共享", registered=registered,
                                  registered_on=_today(f) if registered else None, platform_id=f["platform_id"]))
    return Outcome(f"已登记信息资源目录“{f['name']}”" + ("并在共享平台注册" if registered else "（尚未注册）"))


@action("land-data", "确认数据落盘", "acceptance.request", _BUILDING, "第十九条", {
    "on": FieldSpec("date", "落盘日期"),
})
def _land_data(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    p.data_landed, p.data_landed_on = True, _today(f)
    return Outcome("已确认数据落盘")


@action("check-autonomy", "安全自主可控检查", "acceptance.joint", _BUILDING, "第二十条", {
    "on": FieldSpec("date", "检查日期"),
    "passed": FieldSpec("bool", "是否符合", help="默认：符合", default=True),
    "finding": FieldSpec("text", "检查意见"),
})
def _check_autonomy(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    est = project_service.estimate_of(p)
    passed = f["passed"]
    uow.session.add(AutonomyCheck(project_id=p.id, checked_on=_today(f), domestic_fen=est.domestic_fen,
                                  total_fen=est.total_fen, passed=passed, checker=uow.actor.username,
                                  finding=f["finding"] or f"自主可控产品金额占概算{est.domestic_percent}%"))
    return Outcome(f"已记录安全自主可控检查：国产自主可控 {format_yuan(est.domestic_fen)} 元，"
                   f"占概算 {est.domestic_percent}%", data={"domestic_percent": str(est.domestic_percent)})


def _shares_data(uow: UnitOfWork, p: Project) -> bool:
    items = uow.session.scalars(select(CatalogueItem).where(CatalogueItem.project_id == p.id)).all()
    return bool(items) and all(i.registered for i in items) and p.data_landed


def _guard_joint(uow: UnitOfWork, p: Project, f: dict) -> None:
    prelim = uow.session.scalar(select(Acceptance).where(Acceptance.project_id == p.id,
                                                         Acceptance.stage == "preliminary",
                                                         Acceptance.passed.is_(True)).limit(1))
    if prelim is None:
        raise RuleViolation("第十八条", "项目实施单位尚未自行组织初步验收，不能提请联合验收")
    items = uow.session.scalars(select(CatalogueItem).where(CatalogueItem.project_id == p.id)).all()
    if not items:
        raise RuleViolation("第十九条", "项目信息资源目录尚未纳入共享平台目录管理系统，不能竣工验收")
    unregistered = [i.name for i in items if not i.registered]
    if unregistered:
        raise RuleViolation("第十九条", f"信息资源目录尚未在共享平台注册：{'、'.join(unregistered)}")
    if not p.data_landed:
        raise RuleViolation("第十九条", "项目数据尚未落盘，不能竣工验收")
    check_row = uow.session.scalar(select(AutonomyCheck).where(AutonomyCheck.project_id == p.id)
                                   .order_by(AutonomyCheck.id.desc()).limit(1))
    if check_row is None:
        raise RuleViolation("第二十条", "尚未记录软硬件产品安全自主可控检查，不能验收")
    if not check_row.passed:
        raise RuleViolation("第二十条", "软硬件产品安全自主可控检查不符合要求，不能通过验收")
    refusal = assessment_refusal(uow, p.id)
    if refusal is not None:
        raise refusal


@action("accept-joint", "联合验收", "acceptance.joint", ("preliminarily_accepted",), "第十八—二十条", {
    "on": FieldSpec("date", "验收日期"),
    "passed": FieldSpec("bool", "是否通过", help="默认：通过", default=True),
    "experts": FieldSpec("text", "验收专家"),
    "opinion": FieldSpec("text", "验收意见"),
    "doc_no": FieldSpec("str", "验收意见文号"),
}, guard=_guard_joint)
def _accept_joint(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    passed = f["passed"]
    uow.session.add(Acceptance(project_id=p.id, stage="joint", accepted_on=_today(f), passed=passed,
                               organizer=get_setting(uow, "bureau"), experts=f["experts"], doc_no=f["doc_no"],
                               opinion=f["opinion"] or ("联合验收合格" if passed else "联合验收不合格")))
    if not passed:
        return Outcome("联合验收未通过，请整改后重新提请")
    return Outcome("联合验收通过", "accepted")


@action("operate", "转入运维", "acceptance.joint", ("accepted",), "第二十一条", {
    "on": FieldSpec("date", "开始运维日期"),
})
def _operate(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    return Outcome("项目已转入运行维护", "in_operation")


def _guard_om(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not _shares_data(uow, p):
        raise RuleViolation("第九条", "未按要求进行业务协同和数据共享（信息资源目录未注册或数据未落盘）的项目，不再拨付运维经费")


@action("request-om", "申请运维经费", "om.request", ("accepted", "in_operation"), "第九、二十一条", {
    "year": FieldSpec("int", "经费年度", True),
    "amount": FieldSpec("money", "申请金额（元）", True),
    "content": FieldSpec("text", "运维内容"),
    "on": FieldSpec("date", "申请日期"),
}, guard=_guard_om)
def _request_om(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    req = OmRequest(project_id=p.id, year=f["year"], amount_fen=f["amount"], requested_on=_today(f),
                    content=f["content"])
    uow.session.add(req)
    uow.session.flush()
    return Outcome(f"已申请{f['year']}年运维经费 {format_yuan(f['amount'])} 元，待主管部门审核（第二十一条）",
                   data={"om_request_id": req.id})


def _guard_decide_om(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not uow.session.scalar(select(OmRequest.id).where(OmRequest.project_id == p.id,
                                                         OmRequest.status == "pending").limit(1)):
        raise InputError("项目没有待审核的运维经费申请")
    if f.get("decision") == "approve":
        _guard_om(uow, p, f)


@action("decide-om", "审核运维经费", "om.decide", ("accepted", "in_operation"), "第二十一条", {
    "decision": FieldSpec("choice", "审核结论", True, ("approve", "reject")),
    "amount": FieldSpec("money", "核定金额（元）"),
    "opinion": FieldSpec("text", "审核意见"),
    "on": FieldSpec("date", "审核日期"),
}, guard=_guard_decide_om)
def _decide_om(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    req = uow.session.scalar(select(OmRequest).where(OmRequest.project_id == p.id, OmRequest.status == "pending")
                             .order_by(OmRequest.id).limit(1))
    assert req is not None
    req.status = "approved" if f["decision"] == "approve" else "rejected"
    req.approved_fen = (f["amount"] if f["amount"] is not None else req.amount_fen) if req.status == "approved" else 0
    req.opinion, req.decided_on = f["opinion"], _today(f)
    if req.status == "approved":
        uow.session.add(Budget(project_id=p.id, year=req.year, kind="om", amount_fen=req.approved_fen,
                               set_on=req.decided_on))
        return Outcome(f"运维经费核定 {format_yuan(req.approved_fen)} 元，按程序列入{req.year}年财政预算")
    return Outcome("运维经费申请未予通过")


# ---------------------------------------------------------------- rectification (第二十二条)


def _open_rectification(uow: UnitOfWork, p: Project) -> Rectification | None:
    return uow.session.scalar(select(Rectification).where(Rectification.project_id == p.id,
                                                          Rectification.status.in_(("open", "overdue", "noncompliant")))
                              .order_by(Rectification.id.desc()).limit(1))


def _guard_order(uow: UnitOfWork, p: Project, f: dict) -> None:
    if f.get("deadline") and f["deadline"] <= (f.get("on") or dt.date.today()):
        raise InputError("整改期限应晚于通知日期")


@action("order-rectification", "责令限期整改", "rectification", ACTIVE_APPROVED, "第二十二条", {
    "reason": FieldSpec("choice", "整改事由", True, tuple(RECTIFICATION_REASONS),
                        "unapproved_build 违反审批要求建设 / unauthorized_change 擅自调整建设内容 / "
                        "delayed_acceptance 长期拖延不验收 / other 其他"),
    "requirements": FieldSpec("text", "整改要求", True),
    "deadline": FieldSpec("date", "整改期限", True),
    "on": FieldSpec("date", "通知日期"),
    "doc_no": FieldSpec("str", "通知文号"),
}, guard=_guard_order)
def _order_rectification(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    on = _today(f)
    doc_no = _doc_no(uow, f, "rectification", on.year, f"限期整改通知：{p.code}")
    uow.session.add(Rectification(project_id=p.id, doc_no=doc_no, reason=f["reason"], requirements=f["requirements"],
                                  issued_on=on, deadline=f["deadline"]))
    p.resume_status = p.status
    return Outcome(f"已责令限期整改（{doc_no}），期限至 {f['deadline']}", "rectifying", data={"doc_no": doc_no})


@action("complete-rectification", "整改完成", "rectification", ("rectifying", "funds_suspended"), "第二十二条", {
    "on": FieldSpec("date", "完成日期"),
    "result": FieldSpec("text", "整改结果"),
})
def _complete_rectification(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    r = _open_rectification(uow, p)
    if r is not None:
        r.status, r.completed_on, r.result = "completed", _today(f), f["result"] or "整改完成，符合要求"
    back = p.resume_status or "under_construction"
    p.resume_status = None
    return Outcome(f"整改完成，项目恢复为“{_label(back)}”", back)


def _guard_suspend(uow: UnitOfWork, p: Project, f: dict) -> None:
    r = _open_rectification(uow, p)
    on = f.get("on") or dt.date.today()
    if r is None:
        raise RuleViolation("第二十二条", "项目没有未完成的整改通知，不能暂停拨付资金")
    if on <= r.deadline and r.outcome != "noncompliant":  # 拒不整改 (deadline passed) or 整改后仍不符合要求
        raise RuleViolation("第二十二条", f"整改期限（{r.deadline}）尚未届满，不能暂停拨付资金")


@action("suspend", "暂停拨付资金", "rectification", ("rectifying",), "第二十二条", {
    "on": FieldSpec("date", "决定日期"),
    "reason": FieldSpec("text", "原因"),
}, guard=_guard_suspend)
def _suspend(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    r = _open_rectification(uow, p)
    assert r is not None
    if r.outcome == "noncompliant":
        r.status = "noncompliant"
        return Outcome("整改后仍不符合要求，已暂停拨付项目建设和运维资金", "funds_suspended")
    r.status = "overdue"
    return Outcome("整改期满未整改，已暂停拨付项目建设和运维资金", "funds_suspended")


@action("terminate", "终止项目", "rectification", ("funds_suspended",), "第二十二条", {
    "reason": FieldSpec("text", "终止原因", True),
    "on": FieldSpec("date", "决定日期"),
})
def _terminate(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    r = _open_rectification(uow, p)
    if r is not None:  # the order ends with the project: nothing is left to rectify
        r.status, r.result = "closed", f"项目已终止：{f['reason']}"
    return Outcome("项目已终止", "terminated")


def suspend_overdue(db: Database, actor: Actor, on: dt.date | None = None) -> list[str]:
    """Suspend the funds of every project whose rectification deadline has passed (run at start and daily)."""
    on = on or dt.date.today()
    with db.uow(actor, write=False) as uow:
        codes = list(uow.session.scalars(
            select(Project.code).join(Rectification, Rectification.project_id == Project.id)
            .where(Project.status == "rectifying", Rectification.status == "open", Rectification.deadline < on)))
    for code in codes:
        advance(db, actor, code, "suspend", on=on, reason="整改期限届满")
    return codes


# ---------------------------------------------------------------- evaluation and security


def _guard_evaluate(uow: UnitOfWork, p: Project, f: dict) -> None:
    indicators = active_indicators(uow)
    total_weight = sum((i.weight for i in indicators), Decimal(0))
    if total_weight != 100:
        raise RuleViolation("第二十三条", f"评价指标权重合计应为100，当前为{total_weight}，请在设置中调整")
    scores = f.get("scores")
    if scores is None:
        return
    names = {i.name: i for i in indicators}
    unknown = [k for k in scores if k not in names]
    if unknown:
        raise InputError(f"未知的评价指标：{'、'.join(unknown)}")
    missing = [n for n in names if n not in scores]
    if missing:
        raise InputError(f"缺少评价指标得分：{'、'.join(missing)}")
    for name, score in scores.items():
        if not (0 <= score <= names[name].weight):
            raise InputError(f"指标“{name}”得分{score}应在0—{names[name].weight}之间")


def active_indicators(uow: UnitOfWork) -> list[Indicator]:
    return list(uow.session.scalars(select(Indicator).where(Indicator.active.is_(True)).order_by(Indicator.seq)))


@action("evaluate", "绩效评价", "evaluate", ("under_construction", "preliminarily_accepted", "accepted",
                                         "in_operation", "rectifying", "funds_suspended", "terminated"),
        "第二十三条", {
    "year": FieldSpec("int", "评价年度", True),
    "scores": FieldSpec("scores", "各指标得分", True, help="指标=分值,指标=分值……"),
    "evaluator": FieldSpec("str", "评价单位"),
    "conclusion": FieldSpec("text", "评价结论"),
    "on": FieldSpec("date", "评价日期"),
}, guard=_guard_evaluate)
def _evaluate(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    indicators = active_indicators(uow)
    total = sum((f["scores"][i.name] for i in indicators), Decimal(0)).quantize(Decimal("0.01"))
    grade = grade_for(total)
    ev = Evaluation(project_id=p.id, year=f["year"], evaluated_on=_today(f), evaluator=f["evaluator"] or
                    get_setting(uow, "bureau"), total=total, grade=grade, conclusion=f["conclusion"])
    for i in indicators:
        ev.scores.append(EvaluationScore(seq=i.seq, level1=i.level1, level2=i.level2, indicator=i.name,
                                         weight=i.weight, score=f["scores"][i.name]))
    uow.session.add(ev)
    return Outcome(f"绩效评价总分 {total}，等级“{grade}”", data={"total": str(total), "grade": grade})


@action("assess-security", "登记安全测评", "security.records", ACTIVE_APPROVED + ("rectifying",), "第二十八条", {
    "kind": FieldSpec("choice", "测评类型", True, tuple(SECURITY_KINDS), "mlps 等保测评 / crypto 密评 / risk 风险评估"),
    "level": FieldSpec("int", "等保级别"),
    "on": FieldSpec("date", "测评日期"),
    "passed": FieldSpec("bool", "是否通过", help="默认：通过", default=True),
    "agency": FieldSpec("str", "测评机构"),
    "report_no": FieldSpec("str", "报告编号"),
    "score": FieldSpec("decimal", "得分"),
    "valid_until": FieldSpec("date", "有效期至", help="不填：三级等保、密评、风险评估一年，二级等保两年"),
})
def _assess_security(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    if f["kind"] == "mlps" and f["level"] not in (1, 2, 3, 4):
        raise InputError("等级保护测评须填写级别（1—4级）")
    passed = f["passed"]
    on = _today(f)
    until = (f["valid_until"] or default_validity(f["kind"], f["level"], on)) if passed else None
    if until is not None and until <= on:
        raise InputError(f"有效期至{until}应晚于测评日期{on}")
    uow.session.add(SecurityAssessment(project_id=p.id, kind=f["kind"], level=f["level"], assessed_on=on,
                                       agency=f["agency"], passed=passed, report_no=f["report_no"], score=f["score"],
                                       valid_until=until))
    return Outcome(f"已登记{SECURITY_KINDS[f['kind']]}：{'通过' if passed else '未通过'}")

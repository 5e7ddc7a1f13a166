"""The life of a project as one readable table (README.md draws it; tests/unit/test_lifecycle.py checks that the
drawing and the table agree).

- TABLE: each action's label, stage, permission, the states it starts from, the state it leads to, its article.
- STATE_REFUSALS: why an action cannot run in a state, as data; the first row that matches gives the refusal.
- DATE_RULES: an action's dates against the facts already recorded (approval ≤ contract ≤ payment, the publicity
  over before the contract ...), as data; the facts are services/facts.py.
- RULES: the other rules of each action (money against budget and contract, the checklist against the conclusion,
  who may not do it ...), one function per rule, each refusal a RuleViolation naming its article.
- EFFECTS: what each action records, with the fields it takes.

`advance()` runs one action in one transaction with its audit record; a refusal names its action, and the boundary
(command line or window) records it. `available_actions()` tells the window which buttons are enabled and why not.
docs/measure.md maps each article to its rule.
"""

from __future__ import annotations

import datetime as dt
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
    optional_text,
)
from app.domain.money import fen_to_yuan_str, format_yuan, parse_amount
from app.domain.vocabulary import (
    ACTIVE_APPROVED,
    ART7_CHECKS,
    ART9_CHECKS,
    CLOSED,
    COMPETITIVE_METHODS,
    CONTRACT_KINDS,
    FUNDING_SOURCE_FIELDS,
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
    SHARING_TYPES,
    STAGE_LABELS,
    STATUS_LABELS,
    Status,
    grade_for,
    states,
)
from app.errors import GovDataError, InputError, NotFoundError, PermissionDenied, RuleViolation
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
from app.services import clock, splits
from app.services import projects as project_service
from app.services.assessments import assessment_refusal, default_validity
from app.services.calendar import contract_filing_due, deadline_after
from app.services.facts import FACTS
from app.services.master import add_contractor, find_contractor, get_setting
from app.services.numbering import check_doc_no, issue_number, register_external_number
from app.services.objections import pending_objection_refusal
from app.services.permissions import PROGRAM_ROLES, can, duty_table, permissions_of, refusal_message, require
from app.services.planning import require_approved_plan
from app.storage.database import Database, UnitOfWork

S = Status
RESUME = "resume"  # the to-state of complete-rectification: back to the state before the order

# ---------------------------------------------------------------- the table

_AFTER_PUBLICITY = states(S.PUBLICIZED, S.UNDER_CONSTRUCTION, S.PRELIMINARILY_ACCEPTED, S.ACCEPTED, S.IN_OPERATION,
                          S.RECTIFYING)
_BUILDING = states(S.UNDER_CONSTRUCTION, S.PRELIMINARILY_ACCEPTED, S.ACCEPTED, S.IN_OPERATION, S.RECTIFYING)
_PAYABLE = states(S.UNDER_CONSTRUCTION, S.PRELIMINARILY_ACCEPTED, S.ACCEPTED, S.IN_OPERATION, S.RECTIFYING)
_CHANGEABLE = states(S.APPROVED, S.BUDGETED, S.PUBLICIZED, S.UNDER_CONSTRUCTION, S.PRELIMINARILY_ACCEPTED,
                     S.RECTIFYING)
_OPERATING = states(S.ACCEPTED, S.IN_OPERATION)
_EVALUABLE = states(S.UNDER_CONSTRUCTION, S.PRELIMINARILY_ACCEPTED, S.ACCEPTED, S.IN_OPERATION, S.RECTIFYING,
                    S.FUNDS_SUSPENDED, S.TERMINATED)


@dataclass(frozen=True)
class Step:
    """One row of the lifecycle: an action, where it may start, where it leads."""

    key: str
    label: str
    stage: str  # STAGE_LABELS key: the tab of the project page
    permission: str  # services/permissions.py
    from_states: tuple[str, ...]
    to: str | None  # the state on success; None: the state does not change; RESUME: back to before the order
    article: str
    moves_from: tuple[str, ...] = ()  # when given, only these states move to `to` (the others stay)


def _row(key: str, label: str, stage: str, permission: str, from_states: tuple[str, ...], to: str | None,
         article: str, moves_from: tuple[str, ...] = ()) -> Step:
    return Step(key, label, stage, permission, tuple(from_states), None if to is None else str(to), article,
                tuple(moves_from))


TABLE: tuple[Step, ...] = (
    #    action                  label               stage           permission           from             to
    _row("add-material",         "登记申请材料",      "materials",    "project.register",  states(S.DRAFT, S.SUBMITTED, S.IN_REVIEW), None,         "第八条"),
    _row("submit",               "提交申报",          "materials",    "project.register",  states(S.DRAFT),            S.SUBMITTED,            "第八条"),
    _row("withdraw",             "撤回申报",          "materials",    "project.register",  PRE_APPROVAL,               S.WITHDRAWN,            ""),
    _row("start-review",         "开始技术审核",      "review",       "review",            states(S.SUBMITTED),        S.IN_REVIEW,            "第七条"),
    _row("review",               "出具审核意见",      "review",       "review",            states(S.SUBMITTED, S.IN_REVIEW), S.REVIEWED,       "第七、九条"),
    _row("approve",              "审批立项",          "approval",     "approve",           states(S.REVIEWED),         S.APPROVED,             "第八、九条"),
    _row("reject",               "不予立项",          "approval",     "approve",           states(S.IN_REVIEW, S.REVIEWED), S.REJECTED,        "第九条"),
    _row("budget",               "列入预算",          "budget",       "budget",            _CHANGEABLE,                S.BUDGETED,             "第十条",
         moves_from=states(S.APPROVED)),
    _row("publicize",            "公示资金拟分配计划", "budget",       "publicize",         states(S.BUDGETED),         S.PUBLICIZED,           "第十一条"),
    _row("sign-contract",        "登记合同",          "contracts",    "contract",          _AFTER_PUBLICITY,           S.UNDER_CONSTRUCTION,   "第十三—十五条",
         moves_from=states(S.PUBLICIZED)),
    _row("file-contract",        "合同备案",          "contracts",    "contract",          _AFTER_PUBLICITY + states(S.FUNDS_SUSPENDED), None, "第十五条"),
    _row("pay",                  "拨付资金",          "contracts",    "payment",           _PAYABLE,                   None,                   "第九、十、二十二条"),
    _row("request-change",       "提交调整申请",      "changes",      "change.request",    _CHANGEABLE,                None,                   "第十七条"),
    _row("decide-change",        "审核调整申请",      "changes",      "change.decide",     _CHANGEABLE + _OPERATING,   None,                   "第十七条"),
    _row("accept-preliminary",   "初步验收",          "acceptance",   "acceptance.request", states(S.UNDER_CONSTRUCTION), S.PRELIMINARILY_ACCEPTED, "第十八条"),
    _row("register-catalogue",   "登记信息资源目录",  "acceptance",   "acceptance.request", _BUILDING,                 None,                   "第十九条"),
    _row("correct-catalogue",    "更正信息资源目录",  "acceptance",   "acceptance.request", _BUILDING,                 None,                   "第十九条"),
    _row("land-data",            "确认数据落盘",      "acceptance",   "acceptance.request", _BUILDING,                 None,                   "第十九条"),
    _row("check-autonomy",       "安全自主可控检查",  "acceptance",   "acceptance.joint",  _BUILDING,                  None,                   "第二十条"),
    _row("accept-joint",         "联合验收",          "acceptance",   "acceptance.joint",  states(S.PRELIMINARILY_ACCEPTED), S.ACCEPTED,       "第十八—二十条"),
    _row("operate",              "转入运维",          "om",           "acceptance.joint",  states(S.ACCEPTED),         S.IN_OPERATION,         "第二十一条"),
    _row("request-om",           "申请运维经费",      "om",           "om.request",        _OPERATING,                 None,                   "第九、二十一条"),
    _row("decide-om",            "审核运维经费",      "om",           "om.decide",         _OPERATING,                 None,                   "第二十一条"),
    _row("budget-om",            "运维经费列入预算",  "om",           "budget",            _OPERATING,                 None,                   "第十、二十一条"),
    _row("order-rectification",  "责令限期整改",      "rectification", "rectification",    ACTIVE_APPROVED,            S.RECTIFYING,           "第二十二条"),
    _row("complete-rectification", "整改完成",        "rectification", "rectification",    states(S.RECTIFYING, S.FUNDS_SUSPENDED), RESUME, "第二十二条"),
    _row("suspend",              "暂停拨付资金",      "rectification", "rectification",    states(S.RECTIFYING),       S.FUNDS_SUSPENDED,      "第二十二条"),
    _row("terminate",            "终止项目",          "rectification", "rectification",    states(S.FUNDS_SUSPENDED),  S.TERMINATED,           "第二十二条"),
    _row("evaluate",             "绩效评价",          "evaluation",   "evaluate",          _EVALUABLE,                 None,                   "第二十三条"),
    _row("assess-security",      "登记安全测评",      "security",     "security.records",  ACTIVE_APPROVED + states(S.RECTIFYING), None,    "第二十八条"),
)

# actions that build, sign or pay: none of them before approval (第九条 不得未批先建)
_BUILD_ACTIONS = frozenset({"sign-contract", "file-contract", "pay", "accept-preliminary", "accept-joint",
                            "register-catalogue", "correct-catalogue", "land-data", "check-autonomy"})
_MONEY_ACTIONS = frozenset({"pay", "sign-contract", "budget", "budget-om", "request-om", "decide-om"})


@dataclass(frozen=True)
class StateRefusal:
    """Why `actions` cannot run in `states` (consulted only when the state is not one the action starts from).
    An empty `actions` means every action. Without an article, the refusal is bad input, not a rule."""

    actions: frozenset[str]
    states: frozenset[str]
    article: str
    message: str  # {state}: the state's label, {action}: the action's label


def _refusal(actions: tuple[str, ...] | frozenset[str], in_states: tuple[str, ...], article: str,
             message: str) -> StateRefusal:
    return StateRefusal(frozenset(actions), frozenset(in_states), article, message)


_ALL_STATES = tuple(s.value for s in Status)
STATE_REFUSALS: tuple[StateRefusal, ...] = (
    _refusal((), CLOSED, "", "项目{state}，不能再办理“{action}”"),
    _refusal(_BUILD_ACTIONS, PRE_APPROVAL, "第九条", "项目未经审批立项，不得签订合同、拨付资金或开展建设（不得未批先建）"),
    _refusal(_MONEY_ACTIONS, states(S.FUNDS_SUSPENDED), "第二十二条",
             "项目拒不整改或整改后仍不符合要求，已暂停拨付项目建设和运维资金，不能办理“{action}”"),
    _refusal(("approve",), states(S.SUBMITTED, S.IN_REVIEW), "第七、八条", "项目尚未出具技术审核意见，不能审批立项"),
    _refusal(("approve",), states(S.DRAFT), "第八条", "项目尚未申报，不能审批立项"),
    _refusal(("sign-contract",), states(S.APPROVED, S.BUDGETED), "第十一条",
             "项目预算确定后须先公示资金拟分配计划，公示后方可签订合同"),
    _refusal(("publicize",), states(S.APPROVED), "第十一条", "项目预算尚未确定，不能公示资金拟分配计划"),
    _refusal(("pay",), states(S.APPROVED, S.BUDGETED, S.PUBLICIZED), "第九、十四条",
             "项目尚未签订建设合同（预算公示期满后由实施单位签订），不能拨付资金"),
    _refusal(("budget",), PRE_APPROVAL, "第九、十条", "项目未经审批立项，不能安排预算"),
    _refusal(("accept-joint",), states(S.UNDER_CONSTRUCTION), "第十八条", "项目实施单位尚未自行组织初步验收，不能提请联合验收"),
    _refusal(("suspend",), _ALL_STATES, "第二十二条", "只有处于限期整改中的项目才能暂停拨付资金"),
    _refusal(("terminate",), _ALL_STATES, "第二十二条", "只有已暂停拨付资金的项目（拒不整改或整改后仍不符合要求）才能终止"),
    _refusal(("request-om", "decide-om", "budget-om"), states(S.RECTIFYING), "第二十二条",
             "项目正在限期整改，整改完成前不安排运维经费"),
    _refusal(("request-om", "decide-om", "budget-om"), _ALL_STATES, "第二十一条", "运行维护费用须在项目验收后申请、审核和列入预算"),
)


def _state_refusal(spec: ActionSpec, p: Project) -> GovDataError:
    for r in STATE_REFUSALS:
        if (not r.actions or spec.key in r.actions) and p.status in r.states:
            text = r.message.format(state=_label(p.status), action=spec.label)
            return RuleViolation(r.article, text) if r.article else InputError(text)
    allowed = "、".join(_label(x) for x in spec.from_states)
    return InputError(f"项目当前状态为“{_label(p.status)}”，不能办理“{spec.label}”（需处于：{allowed}）")


@dataclass(frozen=True)
class DateRule:
    """The action's date `field` (today when not given) is not before the fact (strictly: is after it)."""

    field: str
    fact: str  # services/facts.FACTS key
    article: str
    why: str
    strictly: bool = False


DATE_RULES: dict[str, tuple[DateRule, ...]] = {
    "start-review": (DateRule("on", "materials_received", "第八条", "申请材料收齐后方可开始技术审核"),),
    "review": (DateRule("on", "review_started", "第七条", "审核意见不能早于技术审核开始"),
               DateRule("on", "materials_received", "第八条", "审核意见不能早于申请材料收齐")),
    "approve": (DateRule("on", "review_opinion", "第七、八条", "须先出具技术审核意见，再审批立项"),),
    "reject": (DateRule("on", "review_started", "第七、八条", "不予立项的决定不能早于技术审核开始"),),
    "budget": (DateRule("on", "approved", "第九、十条", "项目立项后方可安排预算"),),
    "publicize": (DateRule("start_on", "budget_set", "第十一条", "预算确定后方可公示资金拟分配计划"),),
    "sign-contract": (DateRule("signed_on", "approved", "第九条", "不得未批先建"),
                      DateRule("signed_on", "publicity_end", "第十一条", "资金拟分配计划公示期内不得签订合同", strictly=True)),
    "pay": (DateRule("paid_on", "approved", "第九条", "项目立项前不得拨付资金"),),
    "request-change": (DateRule("on", "approved", "第十七条", "调整申请针对已立项的项目"),),
    "decide-change": (DateRule("on", "change_requested", "第十七条", "意见不能早于调整申请"),),
    "accept-preliminary": (DateRule("on", "first_contract_signed", "第十八条", "初步验收不能早于建设合同签订"),),
    "register-catalogue": (DateRule("on", "first_contract_signed", "第十九条", "项目建成后将信息资源目录纳入共享平台"),),
    "correct-catalogue": (DateRule("on", "first_contract_signed", "第十九条", "项目建成后将信息资源目录纳入共享平台"),),
    "land-data": (DateRule("on", "first_contract_signed", "第十九条", "数据落盘不能早于建设合同签订"),),
    "check-autonomy": (DateRule("on", "first_contract_signed", "第二十条", "检查不能早于建设合同签订"),),
    "accept-joint": (DateRule("on", "preliminary_accepted", "第十八条", "初步验收后方可联合验收"),
                     DateRule("on", "catalogue_registered", "第十九条",
                              "信息资源目录纳入共享平台目录管理系统是竣工验收的内容，验收不能早于目录注册"),
                     DateRule("on", "data_landed", "第十九条", "验收不能早于数据落盘"),
                     DateRule("on", "autonomy_checked", "第二十条", "软硬件产品安全自主可控是验收的重要内容，验收不能早于检查")),
    "operate": (DateRule("on", "joint_accepted", "第十八、二十一条", "验收后方可转入运维"),),
    "request-om": (DateRule("on", "joint_accepted", "第二十一条", "运维经费在项目验收后申请"),),
    "decide-om": (DateRule("on", "om_requested", "第二十一条", "审核不能早于申请"),),
    "budget-om": (DateRule("on", "om_decided", "第二十一条", "运维经费经主管部门审核后方可列入预算"),),
    "order-rectification": (DateRule("on", "approved", "第二十二条", "整改针对已立项的项目"),),
    "complete-rectification": (DateRule("on", "rectification_issued", "第二十二条", "整改完成不能早于整改通知"),),
    "suspend": (DateRule("on", "rectification_issued", "第二十二条", "暂停拨付不能早于整改通知"),),
    "evaluate": (DateRule("on", "first_contract_signed", "第二十三条", "评价不能早于项目开工"),),
    "assess-security": (DateRule("on", "approved", "第二十八条", "测评针对已立项的项目"),),
}

# ---------------------------------------------------------------- fields


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # str text date money int decimal bool choice scores
    label: str
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    default: Any = None  # the value when the field is not given
    future: bool = False  # a date that may lie ahead (a deadline, the end of a period); others are facts
    max_len: int = 0  # text: the column's length (0: 200 for str, inputs.TEXT_MAX for text)
    bounds: tuple[int, int] = (0, 10**9)  # int: the range (a year's field is 2000–2100)


_TEXT_MAX = {"str": 200, "text": TEXT_MAX}


def _parse(name: str, spec: FieldSpec, raw: Any) -> Any:
    """One field as typed (command line, window) to its value, within the bounds of app/domain/inputs.py."""
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
            if name == "year":
                return check_year(raw, what)
            return check_int(raw, what, *spec.bounds)
        if spec.kind == "decimal":
            value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
            return decimal_in_range(value, what, Decimal(0), Decimal(100))
        if spec.kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("1", "yes", "y", "true", "是", "通过", "有", "符合"):
                return True
            if text in ("0", "no", "n", "false", "否", "不通过", "无", "不符合"):
                return False
            raise ValueError
        if spec.kind == "choice":
            text = clean_text(raw, what, 40)
            if text not in spec.choices:
                raise InputError(f"{what}应为：{'、'.join(spec.choices)}（收到：{text}）")
            return text
        if spec.kind == "scores":
            return raw if isinstance(raw, dict) else _parse_scores(clean_text(raw, what, TEXT_MAX))
    except GovDataError:
        raise
    except (ValueError, InvalidOperation):
        hint = {"date": "（格式：2027-03-05）", "bool": "（是/否）", "int": "（整数）"}.get(spec.kind, "")
        raise InputError(f"{what}的值无效：{raw}{hint}") from None
    if spec.kind in ("str", "text"):
        return optional_text(raw, what, spec.max_len or _TEXT_MAX[spec.kind], multiline=spec.kind == "text")
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


# ---------------------------------------------------------------- results and the assembled actions


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
    stay: bool = False  # the action did not succeed in the sense of the table (e.g. acceptance not passed)
    warnings: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    to: str | None = None  # only for RESUME: the state to return to


Rule = Callable[[UnitOfWork, Project, dict], None]
Effect = Callable[[UnitOfWork, Project, dict], Outcome]


@dataclass(frozen=True)
class ActionSpec:
    """A row of TABLE with its fields, rules and effect."""

    key: str
    label: str
    permission: str
    from_states: tuple[str, ...]
    effect: Effect
    fields: dict[str, FieldSpec]
    article: str
    stage: str
    to: str | None
    moves_from: tuple[str, ...]
    rules: tuple[Rule, ...]

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]

    def target(self, current: str) -> str | None:
        """The state the action leads to from `current` (None: it stays)."""
        if self.to is None or (self.moves_from and current not in self.moves_from):
            return None
        return self.to


EFFECTS: dict[str, tuple[Effect, dict[str, FieldSpec]]] = {}
RULES: dict[str, list[Rule]] = {}


def effect(key: str, fields: dict[str, FieldSpec] | None = None) -> Callable[[Effect], Effect]:
    def register(fn: Effect) -> Effect:
        EFFECTS[key] = (fn, fields or {})
        return fn
    return register


def rule(*keys: str, first: bool = False) -> Callable[[Rule], Rule]:
    """Register a rule of the measure for these actions (in the order they are written; `first`: before the others,
    for a rule that outranks them, e.g. funds suspended by a passed deadline)."""
    def register(fn: Rule) -> Rule:
        for key in keys:
            rules = RULES.setdefault(key, [])
            if first:
                rules.insert(0, fn)
            else:
                rules.append(fn)
        return fn
    return register


ACTIONS: dict[str, ActionSpec] = {}  # filled at the end of the module from TABLE, EFFECTS and RULES


def _today(f: dict, key: str = "on") -> dt.date:
    return f.get(key) or clock.today()


def _label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


# ---------------------------------------------------------------- running an action


def _check_dates(uow: UnitOfWork, spec: ActionSpec, p: Project, f: dict) -> None:
    today = clock.today()
    for name, fs in spec.fields.items():  # a recorded fact has happened: it cannot lie in the future
        value = f.get(name)
        if fs.kind == "date" and not fs.future and value is not None and value > today:
            raise RuleViolation(spec.article or "第九条", f"{fs.label}（{value}）晚于今天（{today}）：登记的是已经发生的事实，"
                                                       "不能预填将来的日期")
    for r in DATE_RULES.get(spec.key, ()):
        label, fact = FACTS[r.fact]
        known = fact(uow, p)
        if known is None:
            continue
        value = f.get(r.field) or today
        what = spec.fields[r.field].label if r.field in spec.fields else "办理日期"
        if value < known or (r.strictly and value == known):
            word = "应晚于" if r.strictly else "不能早于"
            raise RuleViolation(r.article, f"{what}（{value}）{word}{label}（{known}）：{r.why}")


def _require_duty(uow: UnitOfWork, spec: ActionSpec, department_id: int | None) -> None:
    """A permission refusal of a lifecycle action names the division of duties (第四条) and whose act it is."""
    try:
        require(uow.actor, spec.permission, department_id)
    except PermissionDenied as exc:
        exc.message = refusal_message(uow.actor, spec.permission, department_id, label=spec.label)
        exc.args = (exc.message,)
        raise


def check(uow: UnitOfWork, spec: ActionSpec, p: Project, f: dict) -> None:
    """Everything that must hold before the action runs: permission, state, dates, the rules."""
    _require_duty(uow, spec, p.department_id)
    if p.status not in spec.from_states:
        raise _state_refusal(spec, p)
    _check_dates(uow, spec, p, f)
    for r in spec.rules:
        r(uow, p, f)


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
    try:  # whose act it is comes before what it lacks
        p = project_service.load_project(uow, code, spec.permission)
    except PermissionDenied as exc:
        if spec.permission not in permissions_of(uow.actor):  # named as the action, not the permission
            exc.message = refusal_message(uow.actor, spec.permission, label=spec.label)
            exc.args = (exc.message,)
        raise
    f = parse_fields(spec, raw or {})
    check(uow, spec, p, f)
    before = p.status
    out = spec.effect(uow, p, f)
    to = None if out.stay else (out.to if spec.to == RESUME else spec.target(before))
    if to and to != p.status:
        p.status = to
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
    stage: str = ""


def available_actions(uow: UnitOfWork, code: str) -> list[Availability]:
    """For the window: each action, whether it may run now, and if not the rule (with its article) or reason."""
    p = project_service.load_project(uow, code)
    out = []
    for spec in ACTIONS.values():
        if not can(uow.actor, spec.permission, p.department_id):
            out.append(Availability(spec.key, spec.label, False,
                                    refusal_message(uow.actor, spec.permission, p.department_id, label=spec.label),
                                    spec.stage))
            continue
        try:
            if p.status not in spec.from_states:
                raise _state_refusal(spec, p)
            _check_dates(uow, spec, p, {})
            for r in spec.rules:
                r(uow, p, {})
        except GovDataError as exc:
            out.append(Availability(spec.key, spec.label, False, exc.message, spec.stage))
        else:
            out.append(Availability(spec.key, spec.label, True, None, spec.stage))
    return out


# ---------------------------------------------------------------- helpers


def _latest_review(uow: UnitOfWork, p: Project) -> TechnicalReview | None:
    return uow.session.scalar(select(TechnicalReview).where(TechnicalReview.project_id == p.id)
                              .order_by(TechnicalReview.id.desc()).limit(1))


def _in_annual_plan(uow: UnitOfWork, p: Project, year: int | None = None) -> bool:
    """The project is listed in the annual plan of `year` (its own year by default)."""
    return (uow.session.scalar(
        select(func.count()).select_from(AnnualPlanItem).join(AnnualPlan)
        .where(AnnualPlan.year == (year or p.year), AnnualPlanItem.project_id == p.id)) or 0) > 0


def _doc_no(uow: UnitOfWork, f: dict, key: str, year: int, purpose: str) -> str:
    given = f.get("doc_no")
    if given:  # typed by hand: checked against the pattern and the year (第八条), and entered in the register
        return register_external_number(uow, key, year, given, purpose)
    return issue_number(uow, key, year, purpose)


@rule("budget", "budget-om", "accept-joint")
def _another_bodys_doc_no_has_the_form(uow: UnitOfWork, p: Project, f: dict) -> None:
    """A 文号 of another body (财政局's budget, the acceptance opinion) has the form 代字〔年份〕序号号 (第八条)."""
    if f.get("doc_no"):
        f["doc_no"] = check_doc_no(uow, None, f["doc_no"])


def _sum(uow: UnitOfWork, column: Any, *where: Any) -> int:
    return int(uow.session.scalar(select(func.coalesce(func.sum(column), 0)).where(*where)) or 0)


def _in_year(column: Any, year: int) -> Any:
    return column.between(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _is_program_actor(actor: Actor) -> bool:
    return any(r in PROGRAM_ROLES for r in actor.all_roles)


def similar_projects(uow: UnitOfWork, p: Project) -> list[dict]:
    """Possible split or disguised projects (第九条 变相包装), as plain dicts (services/splits.py)."""
    return [s.as_dict() for s in splits.split_findings(uow, p)]


def split_findings(uow: UnitOfWork, code: str) -> list[splits.SplitFinding]:
    """The split detector's findings for a project, for the reviewer (window, `govdata show`, approval form)."""
    p = project_service.load_project(uow, code)
    return splits.split_findings(uow, p)


def previous_evaluations(uow: UnitOfWork, p: Project) -> list[dict]:
    """The department's evaluations of the previous year (第二十三条: a reference for this year's review)."""
    rows = uow.session.execute(
        select(Evaluation, Project.code, Project.name).join(Project, Evaluation.project_id == Project.id)
        .where(Project.department_id == p.department_id, Evaluation.year == p.year - 1)
        .order_by(Evaluation.id)).all()
    return [{"code": code, "name": name, "year": e.year, "total": str(e.total), "grade": e.grade}
            for e, code, name in rows]


def _for_the_reviewer(uow: UnitOfWork, p: Project) -> tuple[list[str], dict]:
    """What the reviewer sees at review: the previous year's evaluations (第二十三条) and the split findings (第九条)."""
    prev = previous_evaluations(uow, p)
    found = splits.split_findings(uow, p)
    warnings = [f"上年度绩效评价（第二十三条）：{e['code']} {e['name']} {e['total']}分 {e['grade']}" for e in prev]
    warnings += splits.describe(found)
    return warnings, {"previous_evaluations": prev, "similar": [s.as_dict() for s in found]}


# ---------------------------------------------------------------- application and review (第七—九条)


@rule("submit")
def _four_materials(uow: UnitOfWork, p: Project, f: dict) -> None:
    have = {m.kind for m in p.materials}
    missing = [label for k, label in MATERIAL_LABELS.items() if k not in have]
    if missing:
        raise RuleViolation("第八条", f"申请材料不全，缺少：{'、'.join(missing)}")


@effect("add-material", {
    "kind": FieldSpec("choice", "材料类型", True, tuple(MATERIAL_LABELS)),
    "title": FieldSpec("str", "材料名称"),
    "received_on": FieldSpec("date", "收到日期"),
})
def _add_material(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    project_service.record_material(uow, p.code, f["kind"], f["title"], f["received_on"] or clock.today())
    return Outcome(f"已登记{MATERIAL_LABELS[f['kind']]}")


@effect("submit")
def _submit(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    return Outcome("已提交申报")


@effect("withdraw", {"reason": FieldSpec("text", "撤回原因")})
def _withdraw(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    return Outcome("已撤回")


@effect("start-review", {
    "reviewer": FieldSpec("str", "审核人", max_len=50),
    "on": FieldSpec("date", "开始日期"),
})
def _start_review(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    uow.session.add(TechnicalReview(project_id=p.id, reviewer=f["reviewer"] or uow.actor.display_name
                                    or uow.actor.username, started_by=uow.actor.username, started_on=_today(f)))
    warnings, data = _for_the_reviewer(uow, p)
    return Outcome("已开始技术审核", warnings=warnings, data=data)


_REVIEW_FIELDS = {
    "conclusion": FieldSpec("choice", "审核结论", True, tuple(REVIEW_CONCLUSIONS),
                            help="pass 通过 / pass_with_changes 修改后通过 / fail 不通过"),
    "opinion": FieldSpec("text", "审核意见"),
    "reviewer": FieldSpec("str", "审核人", max_len=50),
    "on": FieldSpec("date", "意见日期"),
    "doc_no": FieldSpec("str", "审核意见文号", max_len=80),
} | {k: FieldSpec("bool", v, True, help="是/否（必答，第九条）") for k, v in ART9_CHECKS.items()} \
  | {f"art7_{k}": FieldSpec("bool", v, True, help="符合/不符合（必答，第七条）") for k, v in ART7_CHECKS.items()} \
  | {f"score_{k}": FieldSpec("decimal", v) for k, v in REVIEW_DIMENSIONS.items()}

# 第九条: a system that cannot share is not approved, so these two 第七条 items cannot be 不符合 in a passing opinion
_SHARING_ITEMS = ("catalogue", "sharing")


@rule("review")
def _conclusion_agrees_with_the_checklist(uow: UnitOfWork, p: Project, f: dict) -> None:
    conclusion = f.get("conclusion")
    if conclusion not in PASSING_CONCLUSIONS:
        return
    word = REVIEW_CONCLUSIONS[conclusion]
    failed = [ART7_CHECKS[k] for k in _SHARING_ITEMS if f.get(f"art7_{k}") is False]
    if failed:
        raise RuleViolation("第七、九条", f"审核认定{'、'.join(failed)}不符合要求，项目无法实现信息共享，"
                                        f"不能出具“{word}”意见")
    no = [v for k, v in ART9_CHECKS.items() if f.get(k) is False]
    if no:
        raise RuleViolation("第九条", f"审核认定不满足“{'、'.join(no)}”，不能出具“{word}”意见")
    if conclusion == "pass":
        other = [v for k, v in ART7_CHECKS.items() if f.get(f"art7_{k}") is False]
        if other:
            raise RuleViolation("第七条", f"审核认定{'、'.join(other)}不符合要求，只能出具“修改后通过”或“不通过”意见")


@effect("review", _REVIEW_FIELDS)
def _review(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    r = _latest_review(uow, p) if p.status == "in_review" else None
    if r is None or r.conclusion:
        r = TechnicalReview(project_id=p.id, started_on=_today(f), started_by=uow.actor.username)
        uow.session.add(r)
    r.reviewer = f["reviewer"] or r.reviewer or uow.actor.display_name or uow.actor.username
    r.reviewed_by = uow.actor.username
    r.opinion_on = _today(f)
    r.conclusion = f["conclusion"]
    for k in ART9_CHECKS:
        setattr(r, k, f[k])
    r.opinion = f["opinion"] or REVIEW_CONCLUSIONS[f["conclusion"]]
    r.doc_no = _doc_no(uow, f, "review", r.opinion_on.year, f"技术审核意见：{p.code}")
    uow.session.flush()
    for k in ART7_CHECKS:
        passed = f[f"art7_{k}"]
        uow.session.add(ReviewItem(review_id=r.id, group="art7", key=k, passed=passed,
                                   finding="符合要求" if passed else "不符合要求"))
    for k in REVIEW_DIMENSIONS:
        score = f[f"score_{k}"]
        uow.session.add(ReviewItem(review_id=r.id, group="dimension", key=k, score=score,
                                   passed=None if score is None else score >= 60))
    warnings = [f"第九条检查未通过：{v}" for k, v in ART9_CHECKS.items() if f[k] is False]
    more, data = _for_the_reviewer(uow, p)
    return Outcome(f"已出具审核意见：{REVIEW_CONCLUSIONS[f['conclusion']]}（{r.doc_no}）", warnings=warnings + more,
                   data={"doc_no": r.doc_no} | data)


@rule("approve")
def _passing_review(uow: UnitOfWork, p: Project, f: dict) -> None:
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
    failed = [ART7_CHECKS[i.key] for i in r.items if i.group == "art7" and i.key in _SHARING_ITEMS and i.passed is False]
    if failed:
        raise RuleViolation("第七、九条", f"技术审核认定{'、'.join(failed)}不符合要求，无法实现信息共享的项目不予立项")


@rule("approve", "reject")
def _not_the_reviewer(uow: UnitOfWork, p: Project, f: dict) -> None:
    """The bureau reviews, the bureau's leader decides: not one person alone (separation of duties)."""
    if _is_program_actor(uow.actor):
        return  # the setup account before the first account exists, and the system, act for nobody in particular
    r = _latest_review(uow, p)
    if r is not None and uow.actor.username in {r.started_by, r.reviewed_by}:
        raise RuleViolation("第七、八条", f"技术审核与审批立项须由不同人员办理：{uow.actor.display_name or uow.actor.username}"
                                        "已参与本项目的技术审核，不能再审批")


@rule("approve")
def _in_the_annual_plan(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not _in_annual_plan(uow, p):
        raise RuleViolation("第六、八条", f"项目未列入{p.year}年度政务大数据应用年度计划，不能审批立项")


@rule("approve")
def _the_plan_approved_by_the_county(uow: UnitOfWork, p: Project, f: dict) -> None:
    require_approved_plan(uow, p.year, f.get("on") or clock.today())  # 第六条 (services/planning.py)


@rule("approve")
def _approved_amount_within_total(uow: UnitOfWork, p: Project, f: dict) -> None:
    amount = f.get("amount")
    if amount is not None and amount > p.total_fen:
        raise RuleViolation("第八条", f"批复金额{format_yuan(amount)}元不能超过申报的总投资{format_yuan(p.total_fen)}元")
    if amount is not None and amount <= 0:
        raise InputError("批复金额应大于零")


@effect("approve", {
    "doc_no": FieldSpec("str", "立项文号", help="不填则按设置自动编号", max_len=80),
    "amount": FieldSpec("money", "批复金额（元）", help="不填则为总投资"),
    "on": FieldSpec("date", "批复日期"),
    "leader": FieldSpec("str", "审批领导", max_len=50),
    "opinion": FieldSpec("text", "审批意见"),
})
def _approve(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    on = _today(f)
    amount = f["amount"] if f["amount"] is not None else p.total_fen
    doc_no = _doc_no(uow, f, "approval", on.year, f"立项批复：{p.code} {p.name}")
    uow.session.add(Approval(project_id=p.id, decision="approved", doc_no=doc_no, decided_on=on, amount_fen=amount,
                             opinion=f["opinion"] or "同意立项", leader=f["leader"] or uow.actor.display_name,
                             decided_by=uow.actor.username))
    p.approved_fen = amount
    return Outcome(f"已审批立项，文号 {doc_no}，批复金额 {format_yuan(amount)} 元",
                   data={"doc_no": doc_no, "amount_yuan": fen_to_yuan_str(amount)})


@effect("reject", {
    "opinion": FieldSpec("text", "不予立项理由", True),
    "on": FieldSpec("date", "决定日期"),
    "doc_no": FieldSpec("str", "文号", max_len=80),
})
def _reject(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    on = _today(f)
    doc_no = _doc_no(uow, f, "approval", on.year, f"不予立项：{p.code} {p.name}") if f["doc_no"] else None
    uow.session.add(Approval(project_id=p.id, decision="rejected", doc_no=doc_no, decided_on=on,
                             opinion=f["opinion"], decided_by=uow.actor.username))
    return Outcome("已决定不予立项")


# ---------------------------------------------------------------- budget and publicity (第十、十一条)

_SOURCE_FIELD = FieldSpec("choice", "资金来源", False, tuple(FUNDING_SOURCES),
                          " / ".join(f"{k} {v}" for k, v in FUNDING_SOURCES.items()) + "（项目只有一种来源时可不填）")


def _source(p: Project, f: dict) -> str:
    """The funding source of a budget or payment: as given, or the project's only source."""
    if f.get("source"):
        return str(f["source"])
    have = [k for k, col in FUNDING_SOURCE_FIELDS.items() if getattr(p, col)]
    if len(have) == 1:
        return have[0]
    if not have:
        return "county"
    raise InputError(f"项目的资金来源有{'、'.join(FUNDING_SOURCES[k] for k in have)}，请指明本笔资金的来源（source）")


@rule("budget")
def _construction_budget_within_approval_and_source(uow: UnitOfWork, p: Project, f: dict) -> None:
    amount = f.get("amount")
    if amount is None:
        return
    if amount <= 0:
        raise InputError("预算金额应大于零")
    year = f.get("year") or p.year
    if year < p.year:
        raise RuleViolation("第十条", f"预算年度{year}早于项目年度{p.year}：项目建设经费按年度预算安排")
    already = _sum(uow, Budget.amount_fen, Budget.project_id == p.id, Budget.kind == "construction")
    if already + amount > (p.approved_fen or 0):
        raise RuleViolation("第十条", f"建设预算累计{format_yuan(already + amount)}元超过立项批复金额"
                                    f"{format_yuan(p.approved_fen or 0)}元")
    source = _source(p, f)
    cap = int(getattr(p, FUNDING_SOURCE_FIELDS[source]) or 0)
    same = _sum(uow, Budget.amount_fen, Budget.project_id == p.id, Budget.kind == "construction",
                Budget.source == source)
    if same + amount > cap:
        raise RuleViolation("第十条", f"{FUNDING_SOURCES[source]}预算累计{format_yuan(same + amount)}元超过项目该来源的资金"
                                    f"{format_yuan(cap)}元")
    if p.cobuilt and source == "county" and same + amount > p.county_share_fen:
        raise RuleViolation("第十二条", f"市县协同建设项目列入县级财政预算的建设资金累计{format_yuan(same + amount)}元，"
                                      f"超过按事权划分由县级承担的{format_yuan(p.county_share_fen)}元")


@rule("budget")
def _budget_year_in_the_annual_plan(uow: UnitOfWork, p: Project, f: dict) -> None:
    """Construction money of a year goes to a project of that year's annual plan (第六条: the plan is approved, then
    carried out; 第十条: the budget follows the year's arrangement): a later year's budget needs the project in that
    year's plan (a multi-year project is listed in each year its construction runs over)."""
    year = f.get("year") or p.year
    if not _in_annual_plan(uow, p, year):
        raise RuleViolation("第六、十条", f"项目 {p.code} 未列入{year}年度政务大数据应用年度计划，不能安排{year}年度建设预算"
                                        f"（建设周期跨年度的项目，先在“多年度项目计划”中列入{year}年度计划）")


@effect("budget", {
    "amount": FieldSpec("money", "预算金额（元）", True),
    "year": FieldSpec("int", "预算年度", help="不填则为项目年度"),
    "source": _SOURCE_FIELD,
    "doc_no": FieldSpec("str", "预算文号", max_len=80),
    "on": FieldSpec("date", "确定日期"),
})
def _budget(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    year = f["year"] or p.year
    source = _source(p, f)
    uow.session.add(Budget(project_id=p.id, year=year, kind="construction", source=source, amount_fen=f["amount"],
                           doc_no=f["doc_no"], set_on=_today(f)))
    return Outcome(f"已列入{year}年预算（{FUNDING_SOURCES[source]}）{format_yuan(f['amount'])} 元")


@rule("publicize")
def _budget_before_publicity(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not _sum(uow, Budget.amount_fen, Budget.project_id == p.id, Budget.kind == "construction"):
        raise RuleViolation("第十一条", "项目预算尚未确定，不能公示资金拟分配计划")
    start, end = f.get("start_on"), f.get("end_on")
    if start and end:
        if end < start:
            raise InputError("公示结束日期不能早于开始日期")
        days = int(get_setting(uow, "publicity_workdays"))
        least = deadline_after(uow, start, days).due
        if end < least:
            raise RuleViolation("第十一条", f"公示期至少{days}个工作日：自{start}起应至少公示到{least}（收到：{end}）")


@effect("publicize", {
    "start_on": FieldSpec("date", "公示开始日期"),
    "end_on": FieldSpec("date", "公示结束日期", help="不填则按设置的工作日数计算", future=True),
    "contact": FieldSpec("str", "联系人", max_len=50),
    "phone": FieldSpec("str", "联系电话", max_len=30),
})
def _publicize(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    # the notice of the earliest budget year not yet publicised, with that year's real budgets (a project budgeted in
    # another year than its own is publicised with its budget, not 0.00 元); later years go in their own notices
    # (services/publicity.py)
    pending = uow.session.scalars(select(Budget).where(Budget.project_id == p.id, Budget.publicity_id.is_(None))
                                  .order_by(Budget.year, Budget.id)).all()
    year = pending[0].year if pending else p.year
    pub = publicity_for(uow, year, f["start_on"] or clock.today(), f["end_on"], f["contact"], f["phone"])
    these = [b for b in pending if b.year == year]
    for b in these:
        b.publicity_id = pub.id
    amount = sum(b.amount_fen for b in these) or p.year_request_fen
    uow.session.add(PublicityItem(publicity_id=pub.id, project_id=p.id, amount_fen=amount))
    return Outcome(f"已列入资金拟分配计划公示（{pub.start_on}至{pub.end_on}）；公示期满后方可签订合同",
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


# ---------------------------------------------------------------- contracts and payments (第九、十、十三—十五条)


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


def _open_rectification(uow: UnitOfWork, p: Project) -> Rectification | None:
    return uow.session.scalar(select(Rectification).where(Rectification.project_id == p.id,
                                                          Rectification.status.in_(("open", "overdue", "noncompliant")))
                              .order_by(Rectification.id.desc()).limit(1))


@rule(*sorted(_MONEY_ACTIONS), first=True)
def _nothing_after_the_rectification_deadline(uow: UnitOfWork, p: Project, f: dict) -> None:
    """Once the deadline has passed without the rectification done, funds are suspended (第二十二条) — whether or
    not the program has yet recorded the suspension, and whatever date the new record bears."""
    r = _open_rectification(uow, p)
    today = clock.today()
    if r is not None and r.deadline < today:
        raise RuleViolation("第二十二条", f"整改期限（{r.deadline}）已届满仍未整改完成，暂停拨付项目建设和运维资金："
                                        "不得签订新合同、安排或拨付资金")


@rule("sign-contract")
def _contract_rules(uow: UnitOfWork, p: Project, f: dict) -> None:
    if p.status == "rectifying" and p.resume_status not in _AFTER_PUBLICITY:
        raise RuleViolation("第十一条", "项目尚未公示资金拟分配计划，不能签订合同")
    pending = pending_objection_refusal(uow, p.id)  # 第十一条 (services/objections.py)
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


@effect("sign-contract", {
    "contract_no": FieldSpec("str", "合同编号", True, max_len=80),
    "contractor": FieldSpec("str", "建设单位名称", True, max_len=150),
    "credit_code": FieldSpec("str", "统一社会信用代码", max_len=18),
    "county_owned": FieldSpec("bool", "是否县属企业"),
    "amount": FieldSpec("money", "合同金额（元）", True),
    "signed_on": FieldSpec("date", "签订日期", True),
    "selection_method": FieldSpec("choice", "建设单位确定方式", True, SELECTION_METHODS),
    "kind": FieldSpec("choice", "合同类型", False, tuple(CONTRACT_KINDS), "construction 建设 / supervision 监理 / "
                      "testing 测评 / other 其他"),
    "title": FieldSpec("str", "合同名称"),
})
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
    return Outcome(f"已登记合同 {c.contract_no}，应于 {due.due.isoformat()} 前报送备案（第十五条，5个工作日）",
                   warnings=warnings, data={"filing_due": due.due.isoformat(), "provisional": due.provisional})


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


@rule("file-contract")
def _filing_after_signing(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not f:
        if not uow.session.scalar(select(Contract.id).where(Contract.project_id == p.id,
                                                            Contract.filed_on.is_(None)).limit(1)):
            raise InputError("项目没有待备案的合同")
        return
    c = _pick_contract(uow, p, f.get("contract_no"), unfiled=True)
    if c.filed_on:
        raise InputError(f"合同 {c.contract_no} 已于 {c.filed_on} 备案")
    filed = f.get("filed_on") or clock.today()
    if filed < c.signed_on:
        raise RuleViolation("第十五条", f"备案日期（{filed}）不能早于合同签订日期（{c.signed_on}）")


@effect("file-contract", {
    "contract_no": FieldSpec("str", "合同编号", max_len=80),
    "filed_on": FieldSpec("date", "备案日期"),
})
def _file_contract(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    c = _pick_contract(uow, p, f["contract_no"], unfiled=True)
    c.filed_on = f["filed_on"] or clock.today()
    c.filed_late = c.filed_on > c.filing_due
    warnings = []
    if c.filed_late:
        warnings.append(f"逾期备案（第十五条）：应于 {c.filing_due} 前备案，实际 {c.filed_on}")
    return Outcome(f"合同 {c.contract_no} 已备案" + ("（逾期）" if c.filed_late else "（按期）"), warnings=warnings,
                   data={"filed_late": c.filed_late, "filing_due": c.filing_due.isoformat()})


def _shares_data(uow: UnitOfWork, p: Project) -> bool:
    """The project shares its data (第九、十九条): catalogue items registered, at least one of them shared (不予共享
    shares nothing), and the data landed on the county platform."""
    items = uow.session.scalars(select(CatalogueItem).where(CatalogueItem.project_id == p.id)).all()
    shared = [i for i in items if i.registered and i.share_type in SHARING_TYPES]
    return bool(shared) and all(i.registered for i in items) and p.data_landed


@rule("pay")
def _payment_within_contract_and_budget(uow: UnitOfWork, p: Project, f: dict) -> None:
    amount = f.get("amount")
    if amount is not None and amount <= 0:
        raise InputError("拨付金额应大于零")
    kind = f.get("kind") or "construction"
    paid_on = f.get("paid_on") or clock.today()
    if kind == "om":
        if not _shares_data(uow, p):
            raise RuleViolation("第九条", "未按要求进行业务协同和数据共享的项目，不再拨付运维经费")
        approved = _sum(uow, OmRequest.approved_fen, OmRequest.project_id == p.id, OmRequest.status == "approved",
                        OmRequest.year == paid_on.year)
        if not approved:
            raise RuleViolation("第二十一条", f"{paid_on.year}年的运维经费尚未经主管部门审核，不能拨付")
        decided = uow.session.scalar(select(func.min(OmRequest.decided_on)).where(
            OmRequest.project_id == p.id, OmRequest.status == "approved", OmRequest.year == paid_on.year))
        budgeted = uow.session.scalar(select(func.min(Budget.set_on)).where(
            Budget.project_id == p.id, Budget.kind == "om", Budget.year == paid_on.year))
        for known, what in ((decided, "主管部门审核同意"), (budgeted, "列入财政预算")):
            if known is not None and paid_on < known:
                raise RuleViolation("第二十一条", f"拨付日期（{paid_on}）早于{paid_on.year}年运维经费{what}的日期（{known}）："
                                                "运维经费经主管部门审核后按程序列入财政预算，方可拨付")
    elif f.get("contract_no") or amount is not None:
        c = _pick_contract(uow, p, f.get("contract_no"))
        if paid_on < c.signed_on:
            raise RuleViolation("第九、十四条", f"拨付日期（{paid_on}）早于合同 {c.contract_no} 的签订日期（{c.signed_on}）")
        paid = _sum(uow, Payment.amount_fen, Payment.contract_id == c.id)
        if amount is not None and paid + amount > c.amount_fen:
            raise RuleViolation("第十四条", f"对合同 {c.contract_no} 累计拨付{format_yuan(paid + amount)}元，超过合同金额"
                                          f"{format_yuan(c.amount_fen)}元")
    elif not p.contracts:
        raise RuleViolation("第九、十四条", "项目尚未签订建设合同，不能拨付建设资金")
    if amount is None:
        return
    # 第十条: within the budget of the payment's year and funding source (money budgeted without a source, kept
    # from before sources were recorded, may pay from any source, but the year's total still caps it)
    source = _source(p, f)
    of_year = Budget.project_id == p.id, Budget.kind == kind, Budget.year == paid_on.year
    paid_in_year = Payment.project_id == p.id, Payment.kind == kind, _in_year(Payment.paid_on, paid_on.year)
    budget = _sum(uow, Budget.amount_fen, *of_year, Budget.source == source) + _sum(uow, Budget.amount_fen, *of_year,
                                                                                Budget.source.is_(None))
    paid_source = _sum(uow, Payment.amount_fen, *paid_in_year, Payment.source == source)
    what = "运维经费" if kind == "om" else "建设资金"
    if paid_source + amount > budget:
        raise RuleViolation("第十条", f"{paid_on.year}年{FUNDING_SOURCES[source]}{what}累计拨付"
                                    f"{format_yuan(paid_source + amount)}元，超过该年度该来源的预算{format_yuan(budget)}元")
    total_budget = _sum(uow, Budget.amount_fen, *of_year)
    total_paid = _sum(uow, Payment.amount_fen, *paid_in_year)
    if total_paid + amount > total_budget:
        raise RuleViolation("第十条", f"{paid_on.year}年{what}累计拨付{format_yuan(total_paid + amount)}元，超过该年度的预算"
                                    f"{format_yuan(total_budget)}元")


@effect("pay", {
    "amount": FieldSpec("money", "拨付金额（元）", True),
    "paid_on": FieldSpec("date", "拨付日期"),
    "contract_no": FieldSpec("str", "合同编号", max_len=80),
    "kind": FieldSpec("choice", "资金类型", False, ("construction", "om"), "construction 建设 / om 运维"),
    "source": _SOURCE_FIELD,
    "voucher_no": FieldSpec("str", "凭证号", max_len=80),
    "purpose": FieldSpec("str", "用途"),
})
def _pay(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    kind = f["kind"] or "construction"
    contract = _pick_contract(uow, p, f["contract_no"]) if kind == "construction" else None
    source = _source(p, f)
    uow.session.add(Payment(project_id=p.id, contract_id=contract.id if contract else None, kind=kind, source=source,
                            amount_fen=f["amount"], paid_on=f["paid_on"] or clock.today(),
                            voucher_no=f["voucher_no"], purpose=f["purpose"]))
    return Outcome(f"已拨付（{FUNDING_SOURCES[source]}）{format_yuan(f['amount'])} 元")


# ---------------------------------------------------------------- changes (第十七条)

_CHANGE_FIELDS = {"total": "total_fen", "county": "county_fen", "upper": "upper_fen", "other": "other_fen",
                  "content": "content", "period_months": "period_months", "name": "name",
                  "year_request": "year_request_fen", "city_share": "city_share_fen",
                  "county_share": "county_share_fen"}


def _pending_change(uow: UnitOfWork, p: Project) -> ChangeRequest | None:
    return uow.session.scalar(select(ChangeRequest).where(ChangeRequest.project_id == p.id,
                                                          ChangeRequest.status == "pending").limit(1))


@rule("request-change")
def _one_change_at_a_time(uow: UnitOfWork, p: Project, f: dict) -> None:
    if _pending_change(uow, p):
        raise InputError("项目已有待审核的调整申请，请待主管部门出具意见后再提交")


def _committed_refusal(uow: UnitOfWork, p: Project, new: dict[str, Any]) -> RuleViolation | None:
    """A change may not cut the total below what is already contracted, budgeted or paid, nor a funding source below
    its budgets (第十、十七条): the figures would no longer agree with the facts."""
    total = new.get("total_fen")
    if total is not None:
        for what, column, model_project in (("已签订的合同金额", Contract.amount_fen, Contract.project_id),
                                            ("已安排的建设预算", Budget.amount_fen, Budget.project_id),
                                            ("已拨付的资金", Payment.amount_fen, Payment.project_id)):
            where = [model_project == p.id]
            if column is Budget.amount_fen:
                where.append(Budget.kind == "construction")
            if column is Payment.amount_fen:
                where.append(Payment.kind == "construction")
            have = _sum(uow, column, *where)
            if total < have:
                return RuleViolation("第十七条", f"调整后总投资{format_yuan(total)}元低于{what}{format_yuan(have)}元，"
                                                "调整内容与已发生的事实不符")
    for source, col in FUNDING_SOURCE_FIELDS.items():
        if new.get(col) is None:
            continue
        have = _sum(uow, Budget.amount_fen, Budget.project_id == p.id, Budget.kind == "construction",
                    Budget.source == source)
        if new[col] < have:
            return RuleViolation("第十、十七条", f"调整后{FUNDING_SOURCES[source]}{format_yuan(new[col])}元低于该来源已安排的"
                                              f"建设预算{format_yuan(have)}元")
    return None


@rule("request-change")
def _change_not_below_the_committed(uow: UnitOfWork, p: Project, f: dict) -> None:
    refusal = _committed_refusal(uow, p, {col: f[key] for key, col in _CHANGE_FIELDS.items()
                                          if f.get(key) is not None and col.endswith("_fen")})
    if refusal is not None:
        raise refusal


@effect("request-change", {
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
    "period_months": FieldSpec("int", "调整后建设周期（月）", bounds=(1, 120)),
    "name": FieldSpec("str", "调整后项目名称"),
})
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


@rule("decide-change")
def _change_needs_the_bureau_opinion(uow: UnitOfWork, p: Project, f: dict) -> None:
    if _pending_change(uow, p) is None:
        raise InputError("项目没有待审核的调整申请")
    if f and not (f.get("opinion") or "").strip():
        raise RuleViolation("第十七条", "调整申请须由主管部门综合评估后出具意见")


@effect("decide-change", {
    "decision": FieldSpec("choice", "审核结论", True, ("approve", "reject"), "approve 同意 / reject 不同意"),
    "opinion": FieldSpec("text", "主管部门意见", help="必填（第十七条）"),
    "on": FieldSpec("date", "意见日期"),
})
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
            refusal = _committed_refusal(uow, p, applied)  # a contract or payment may have come since the request
            if refusal is not None:
                raise refusal
            for col, value in applied.items():
                setattr(p, col, value)
            if "total_fen" in applied:
                p.approved_fen = applied["total_fen"]
    word = "同意" if cr.status == "approved" else "不同意"
    return Outcome(f"已{word}调整申请（第{cr.id}号）" + ("，调整后的内容已生效" if applied else ""),
                   data={"change_id": cr.id, "applied": {k: _text(v) for k, v in applied.items()}})


# ---------------------------------------------------------------- acceptance (第十八—二十条)


@rule("accept-preliminary")
def _preliminary_needs_a_contract_and_no_pending_change(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not any(c.kind == "construction" for c in p.contracts):
        raise RuleViolation("第十四条", "项目没有建设合同，不能组织初步验收")
    if _pending_change(uow, p):
        raise RuleViolation("第十七条", "项目有待审核的调整申请，须主管部门出具意见后再验收")


@effect("accept-preliminary", {
    "on": FieldSpec("date", "验收日期"),
    "passed": FieldSpec("bool", "是否通过", help="默认：通过", default=True),
    "organizer": FieldSpec("str", "组织单位", max_len=100),
    "opinion": FieldSpec("text", "验收意见"),
})
def _accept_preliminary(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    passed = f["passed"]
    uow.session.add(Acceptance(project_id=p.id, stage="preliminary", accepted_on=_today(f), passed=passed,
                               organizer=f["organizer"] or p.department.name,
                               opinion=f["opinion"] or ("初步验收合格" if passed else "初步验收不合格")))
    if not passed:
        return Outcome("初步验收未通过，项目仍在建设中", stay=True)
    return Outcome("初步验收通过，可提请联合验收")


_CATALOGUE_FIELDS = {
    "name": FieldSpec("str", "资源名称", True),
    "resource_code": FieldSpec("str", "资源代码", max_len=60),
    "share_type": FieldSpec("choice", "共享类型", False, SHARE_TYPES),
    "registered": FieldSpec("bool", "已在共享平台目录管理系统注册", help="默认：是", default=True),
    "on": FieldSpec("date", "注册日期"),
    "platform_id": FieldSpec("str", "平台目录编号", max_len=60),
}


def _catalogue_item(uow: UnitOfWork, p: Project, name: str | None, code: str | None = None) -> CatalogueItem | None:
    items = uow.session.scalars(select(CatalogueItem).where(CatalogueItem.project_id == p.id)
                                .order_by(CatalogueItem.id)).all()
    for i in items:
        if (code and i.resource_code == code) or (name and i.name == name):
            return i
    return None


def _catalogue_snapshot(i: CatalogueItem) -> dict:
    return {"name": i.name, "resource_code": i.resource_code, "share_type": i.share_type, "registered": i.registered,
            "registered_on": i.registered_on, "platform_id": i.platform_id}


def _changed_labels(changed: dict) -> str:
    """The corrected fields as a person reads them (their labels, never the keys)."""
    labels = {k: fs.label for k, fs in _CATALOGUE_FIELDS.items()} | {"registered_on": "注册日期"}
    return "、".join(labels.get(k, k) for k in changed) if changed else "没有变化"


def _apply_catalogue(uow: UnitOfWork, p: Project, i: CatalogueItem, f: dict, rename: str | None = None) -> dict:
    before = _catalogue_snapshot(i)
    if rename:
        i.name = rename
    if f.get("resource_code"):
        i.resource_code = f["resource_code"]
    if f.get("share_type"):
        i.share_type = f["share_type"]
    if f.get("registered") is not None and f["registered"] != i.registered:  # the day it was registered stays
        i.registered = f["registered"]
        i.registered_on = _today(f) if i.registered else None
    if f.get("platform_id"):
        i.platform_id = f["platform_id"]
    uow.session.flush()
    after = _catalogue_snapshot(i)
    changed = {k: v for k, v in after.items() if before[k] != v}
    uow.audit("catalogue.correct", "project", p.code, {"item": i.id, "before": {k: before[k] for k in changed},
                                                       "after": changed})
    return changed


@effect("register-catalogue", _CATALOGUE_FIELDS)
def _register_catalogue(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    """A catalogue item; the same name (or resource code) again corrects that item: it never adds a second row."""
    existing = _catalogue_item(uow, p, f["name"], f["resource_code"])
    if existing is not None:
        changed = _apply_catalogue(uow, p, existing, f)
        return Outcome(f"信息资源目录“{existing.name}”已登记，本次为更正：{_changed_labels(changed)}",
                       data={"catalogue_id": existing.id, "corrected": True})
    registered = f["registered"]
    item = CatalogueItem(project_id=p.id, name=f["name"], resource_code=f["resource_code"],
                         share_type=f["share_type"] or "有条件共享", registered=registered,
                         registered_on=_today(f) if registered else None, platform_id=f["platform_id"])
    uow.session.add(item)
    uow.session.flush()
    return Outcome(f"已登记信息资源目录“{f['name']}”" + ("并在共享平台注册" if registered else "（尚未注册）"),
                   data={"catalogue_id": item.id, "corrected": False})


@rule("correct-catalogue")
def _the_item_exists(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not f:  # the window asks whether the button applies: only when there is an item to correct
        if not uow.session.scalar(select(CatalogueItem.id).where(CatalogueItem.project_id == p.id).limit(1)):
            raise InputError("项目还没有登记信息资源目录")
        return
    if _catalogue_item(uow, p, f.get("name"), f.get("resource_code")) is None:
        raise NotFoundError(f"项目 {p.code} 没有名为“{f.get('name')}”的信息资源目录")
    if f.get("new_name") and _catalogue_item(uow, p, f["new_name"]) is not None:
        raise InputError(f"项目已有名为“{f['new_name']}”的信息资源目录")


@effect("correct-catalogue", _CATALOGUE_FIELDS | {
    "new_name": FieldSpec("str", "更正后的资源名称"),
    "remove": FieldSpec("bool", "删除该目录项（登记错误时）", help="默认：否", default=False),
})
def _correct_catalogue(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    item = _catalogue_item(uow, p, f["name"], f["resource_code"])
    assert item is not None
    if f["remove"]:
        uow.audit("catalogue.remove", "project", p.code, {"item": item.id, "before": _catalogue_snapshot(item)})
        uow.session.delete(item)
        return Outcome(f"已删除登记错误的信息资源目录“{item.name}”（原记录保存在审计日志中）")
    changed = _apply_catalogue(uow, p, item, f, f["new_name"])
    return Outcome(f"已更正信息资源目录“{item.name}”：{_changed_labels(changed)}", data={"catalogue_id": item.id})


@effect("land-data", {"on": FieldSpec("date", "落盘日期")})
def _land_data(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    p.data_landed, p.data_landed_on = True, _today(f)
    return Outcome("已确认数据落盘")


def autonomy_threshold(uow: UnitOfWork) -> Decimal:
    """The bureau's least domestic share of the estimate, in percent (第二十条; setting autonomy_min_percent)."""
    raw = get_setting(uow, "autonomy_min_percent")
    try:
        value = Decimal(str(raw).strip().rstrip("%"))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= 100:
        raise InputError(f"系统设置“autonomy_min_percent”（自主可控产品最低占比）应为0—100的数字，当前为：{raw}")
    return value


@rule("check-autonomy")
def _autonomy_judged_on_the_estimate(uow: UnitOfWork, p: Project, f: dict) -> None:
    est = project_service.estimate_of(p)
    if not est.total_fen:
        raise RuleViolation("第二十条", "项目还没有投资概算明细，无法核对国产自主可控产品占比；请先导入投资概算")
    threshold = autonomy_threshold(uow)
    if f.get("passed") is True and est.domestic_percent < threshold:
        raise RuleViolation("第二十条", f"国产自主可控产品占投资概算{est.domestic_percent}%，低于主管部门设定的{threshold}%，"
                                      "不能认定为符合")


@effect("check-autonomy", {
    "on": FieldSpec("date", "检查日期"),
    "passed": FieldSpec("bool", "是否符合", help="不填则按投资概算中国产产品占比与设定的最低占比判断"),
    "finding": FieldSpec("text", "检查意见"),
})
def _check_autonomy(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    est = project_service.estimate_of(p)
    threshold = autonomy_threshold(uow)
    meets = est.domestic_percent >= threshold
    passed = meets if f["passed"] is None else bool(f["passed"])
    uow.session.add(AutonomyCheck(project_id=p.id, checked_on=_today(f), domestic_fen=est.domestic_fen,
                                  total_fen=est.total_fen, passed=passed, threshold_percent=threshold,
                                  checker=uow.actor.username,
                                  finding=f["finding"] or f"自主可控产品金额占概算{est.domestic_percent}%"
                                  f"（最低{threshold}%）"))
    return Outcome(f"已记录安全自主可控检查：国产自主可控 {format_yuan(est.domestic_fen)} 元，占概算 {est.domestic_percent}%"
                   f"（最低{threshold}%），{'符合' if passed else '不符合'}",
                   data={"domestic_percent": str(est.domestic_percent), "threshold_percent": str(threshold),
                         "passed": passed})


@rule("accept-joint")
def _joint_acceptance_conditions(uow: UnitOfWork, p: Project, f: dict) -> None:
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
    if not any(i.share_type in SHARING_TYPES for i in items):
        raise RuleViolation("第十九条", "项目的信息资源目录全部为“不予共享”，未实现信息开放共享，不能竣工验收")
    if not p.data_landed:
        raise RuleViolation("第十九条", "项目数据尚未落盘，不能竣工验收")
    check_row = uow.session.scalar(select(AutonomyCheck).where(AutonomyCheck.project_id == p.id)
                                   .order_by(AutonomyCheck.id.desc()).limit(1))
    if check_row is None:
        raise RuleViolation("第二十条", "尚未记录软硬件产品安全自主可控检查，不能验收")
    if not check_row.passed:
        raise RuleViolation("第二十条", "软硬件产品安全自主可控检查不符合要求，不能通过验收")
    est = project_service.estimate_of(p)
    if (check_row.total_fen, check_row.domestic_fen) != (est.total_fen, est.domestic_fen):
        raise RuleViolation("第二十条", f"安全自主可控检查（{check_row.checked_on}）之后投资概算已变更（检查时国产"
                                      f"{format_yuan(check_row.domestic_fen)}元/概算{format_yuan(check_row.total_fen)}元，"
                                      f"现为{format_yuan(est.domestic_fen)}元/{format_yuan(est.total_fen)}元），请重新检查")
    refusal = assessment_refusal(uow, p.id, f.get("on") or clock.today())  # 第二十八条 (services/assessments.py)
    if refusal is not None:
        raise refusal


@effect("accept-joint", {
    "on": FieldSpec("date", "验收日期"),
    "passed": FieldSpec("bool", "是否通过", help="默认：通过", default=True),
    "experts": FieldSpec("text", "验收专家"),
    "opinion": FieldSpec("text", "验收意见"),
    "doc_no": FieldSpec("str", "验收意见文号", max_len=80),
})
def _accept_joint(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    passed = f["passed"]
    on = _today(f)
    # a passed joint acceptance is a numbered document of the bureau (the form prints its 文号)
    doc_no = _doc_no(uow, f, "approval", on.year, f"联合验收意见：{p.code} {p.name}") if passed else f["doc_no"]
    uow.session.add(Acceptance(project_id=p.id, stage="joint", accepted_on=on, passed=passed,
                               organizer=get_setting(uow, "bureau"), experts=f["experts"], doc_no=doc_no,
                               opinion=f["opinion"] or ("联合验收合格" if passed else "联合验收不合格")))
    if not passed:
        return Outcome("联合验收未通过，请整改后重新提请", stay=True)
    return Outcome("联合验收通过")


# ---------------------------------------------------------------- O&M (第九、十、二十一条)


@effect("operate", {"on": FieldSpec("date", "开始运维日期")})
def _operate(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    return Outcome("项目已转入运行维护")


@rule("request-om")
def _om_needs_sharing(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not _shares_data(uow, p):
        raise RuleViolation("第九条", "未按要求进行业务协同和数据共享（信息资源目录未注册、全部不予共享或数据未落盘）的项目，"
                                    "不再拨付运维经费")


@effect("request-om", {
    "year": FieldSpec("int", "经费年度", True),
    "amount": FieldSpec("money", "申请金额（元）", True),
    "content": FieldSpec("text", "运维内容"),
    "on": FieldSpec("date", "申请日期"),
})
def _request_om(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    req = OmRequest(project_id=p.id, year=f["year"], amount_fen=f["amount"], requested_on=_today(f),
                    content=f["content"])
    uow.session.add(req)
    uow.session.flush()
    return Outcome(f"已申请{f['year']}年运维经费 {format_yuan(f['amount'])} 元，待主管部门审核（第二十一条）",
                   data={"om_request_id": req.id})


@rule("decide-om")
def _om_pending_and_sharing(uow: UnitOfWork, p: Project, f: dict) -> None:
    if not uow.session.scalar(select(OmRequest.id).where(OmRequest.project_id == p.id,
                                                         OmRequest.status == "pending").limit(1)):
        raise InputError("项目没有待审核的运维经费申请")
    if f.get("decision") == "approve":
        _om_needs_sharing(uow, p, f)
        req = _pending_om(uow, p)
        if f.get("amount") is not None and req is not None and f["amount"] > req.amount_fen:
            raise InputError(f"核定金额不能超过申请金额{format_yuan(req.amount_fen)}元")


def _pending_om(uow: UnitOfWork, p: Project) -> OmRequest | None:
    return uow.session.scalar(select(OmRequest).where(OmRequest.project_id == p.id, OmRequest.status == "pending")
                              .order_by(OmRequest.id).limit(1))


@effect("decide-om", {
    "decision": FieldSpec("choice", "审核结论", True, ("approve", "reject"), "approve 同意 / reject 不同意"),
    "amount": FieldSpec("money", "核定金额（元）"),
    "opinion": FieldSpec("text", "审核意见"),
    "on": FieldSpec("date", "审核日期"),
})
def _decide_om(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    req = _pending_om(uow, p)
    assert req is not None
    req.status = "approved" if f["decision"] == "approve" else "rejected"
    req.approved_fen = (f["amount"] if f["amount"] is not None else req.amount_fen) if req.status == "approved" else 0
    req.opinion, req.decided_on, req.decided_by = f["opinion"], _today(f), uow.actor.username
    if req.status == "approved":
        return Outcome(f"主管部门审核同意{req.year}年运维经费 {format_yuan(req.approved_fen)} 元，由财政部门按程序列入预算",
                       data={"om_request_id": req.id})
    return Outcome("运维经费申请未予通过", data={"om_request_id": req.id})


@rule("budget-om")
def _om_budget_after_the_bureau_review(uow: UnitOfWork, p: Project, f: dict) -> None:
    year, amount = f.get("year"), f.get("amount")
    if not year:
        if not uow.session.scalar(select(OmRequest.id).where(OmRequest.project_id == p.id,
                                                             OmRequest.status == "approved").limit(1)):
            raise RuleViolation("第二十一条", "运维经费须经主管部门审核同意后，方可按程序列入财政预算")
        return
    approved = _sum(uow, OmRequest.approved_fen, OmRequest.project_id == p.id, OmRequest.status == "approved",
                    OmRequest.year == year)
    if not approved:
        raise RuleViolation("第二十一条", f"{year}年运维经费尚未经主管部门审核同意，不能列入财政预算")
    _om_needs_sharing(uow, p, f)
    if amount is not None:
        if amount <= 0:
            raise InputError("预算金额应大于零")
        already = _sum(uow, Budget.amount_fen, Budget.project_id == p.id, Budget.kind == "om", Budget.year == year)
        if already + amount > approved:
            raise RuleViolation("第二十一条", f"{year}年运维预算累计{format_yuan(already + amount)}元超过主管部门审核的"
                                            f"{format_yuan(approved)}元")


@effect("budget-om", {
    "year": FieldSpec("int", "预算年度", True),
    "amount": FieldSpec("money", "预算金额（元）", True),
    "source": _SOURCE_FIELD,
    "doc_no": FieldSpec("str", "预算文号", max_len=80),
    "on": FieldSpec("date", "确定日期"),
})
def _budget_om(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    source = _source(p, f)
    uow.session.add(Budget(project_id=p.id, year=f["year"], kind="om", source=source, amount_fen=f["amount"],
                           doc_no=f["doc_no"], set_on=_today(f)))
    return Outcome(f"已将{f['year']}年运维经费 {format_yuan(f['amount'])} 元列入预算（{FUNDING_SOURCES[source]}）")


# ---------------------------------------------------------------- rectification (第二十二条)


@rule("order-rectification")
def _deadline_after_notice(uow: UnitOfWork, p: Project, f: dict) -> None:
    on = f.get("on") or clock.today()
    if f.get("deadline") and f["deadline"] <= on:
        raise RuleViolation("第二十二条", f"限期整改须给出整改期限：期限（{f['deadline']}）应晚于通知日期（{on}）")


@effect("order-rectification", {
    "reason": FieldSpec("choice", "整改事由", True, tuple(RECTIFICATION_REASONS),
                        "unapproved_build 违反审批要求建设 / unauthorized_change 擅自调整建设内容 / "
                        "delayed_acceptance 长期拖延不验收 / other 其他"),
    "requirements": FieldSpec("text", "整改要求", True),
    "deadline": FieldSpec("date", "整改期限", True, future=True),
    "on": FieldSpec("date", "通知日期"),
    "doc_no": FieldSpec("str", "通知文号", max_len=80),
})
def _order_rectification(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    on = _today(f)
    doc_no = _doc_no(uow, f, "rectification", on.year, f"限期整改通知：{p.code}")
    uow.session.add(Rectification(project_id=p.id, doc_no=doc_no, reason=f["reason"], requirements=f["requirements"],
                                  issued_on=on, deadline=f["deadline"]))
    p.resume_status = p.status
    return Outcome(f"已责令限期整改（{doc_no}），期限至 {f['deadline']}", data={"doc_no": doc_no})


@effect("complete-rectification", {
    "on": FieldSpec("date", "完成日期"),
    "result": FieldSpec("text", "整改结果"),
})
def _complete_rectification(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    r = _open_rectification(uow, p)
    if r is not None:
        r.status, r.completed_on, r.result = "completed", _today(f), f["result"] or "整改完成，符合要求"
    back = p.resume_status or "under_construction"
    p.resume_status = None
    return Outcome(f"整改完成，项目恢复为“{_label(back)}”", to=back)


@rule("suspend")
def _an_open_order(uow: UnitOfWork, p: Project, f: dict) -> None:
    if _open_rectification(uow, p) is None:
        raise RuleViolation("第二十二条", "项目没有未完成的整改通知，不能暂停拨付资金")


@rule("suspend")
def _deadline_passed(uow: UnitOfWork, p: Project, f: dict) -> None:
    r = _open_rectification(uow, p)
    on = f.get("on") or clock.today()
    # 拒不整改 (the deadline passed) or 整改后仍不符合要求 (the bureau's verification, services/accountability.py)
    if r is not None and on <= r.deadline and r.outcome != "noncompliant":
        raise RuleViolation("第二十二条", f"整改期限（{r.deadline}）尚未届满，不能暂停拨付资金")


@effect("suspend", {
    "on": FieldSpec("date", "决定日期"),
    "reason": FieldSpec("text", "原因"),
    "doc_no": FieldSpec("str", "暂停拨付通知文号", help="不填则打印时手填", max_len=80),
})
def _suspend(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    r = _open_rectification(uow, p)
    assert r is not None
    if f["doc_no"]:
        f["doc_no"] = _doc_no(uow, f, "rectification", _today(f).year, f"暂停拨付资金通知：{p.code}")
    if r.outcome == "noncompliant":
        r.status = "noncompliant"
        return Outcome("整改后仍不符合要求，已暂停拨付项目建设和运维资金")
    r.status = "overdue"
    return Outcome("整改期满未整改，已暂停拨付项目建设和运维资金")


@effect("terminate", {
    "reason": FieldSpec("text", "终止原因", True),
    "on": FieldSpec("date", "决定日期"),
})
def _terminate(uow: UnitOfWork, p: Project, f: dict) -> Outcome:
    r = _open_rectification(uow, p)
    if r is not None:  # the order ends with the project: nothing is left to rectify
        r.status, r.result = "closed", f"项目已终止：{f['reason']}"
    return Outcome("项目已终止")


# ---------------------------------------------------------------- evaluation and security


@rule("evaluate")
def _weights_and_scores(uow: UnitOfWork, p: Project, f: dict) -> None:
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


@effect("evaluate", {
    "year": FieldSpec("int", "评价年度", True),
    "scores": FieldSpec("scores", "各指标得分", True, help="指标=分值,指标=分值……"),
    "evaluator": FieldSpec("str", "评价单位", max_len=100),
    "conclusion": FieldSpec("text", "评价结论"),
    "on": FieldSpec("date", "评价日期"),
})
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


@effect("assess-security", {
    "kind": FieldSpec("choice", "测评类型", True, tuple(SECURITY_KINDS), "mlps 等保测评 / crypto 密评 / risk 风险评估"),
    "level": FieldSpec("int", "等保级别", bounds=(1, 4)),
    "on": FieldSpec("date", "测评日期"),
    "passed": FieldSpec("bool", "是否通过", help="默认：通过", default=True),
    "agency": FieldSpec("str", "测评机构", max_len=150),
    "report_no": FieldSpec("str", "报告编号", max_len=80),
    "score": FieldSpec("decimal", "得分"),
    "valid_until": FieldSpec("date", "有效期至", help="不填：三级等保、密评、风险评估一年，二级等保两年", future=True),
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


# ---------------------------------------------------------------- the assembled table


@dataclass(frozen=True)
class ActionDuty:
    key: str
    label: str
    stage_label: str
    article: str
    permission: str
    roles: tuple[str, ...]  # the roles (services/permissions.DUTY_ROLES) that may do it


def action_duties() -> list[ActionDuty]:
    """Each lifecycle action with the roles that may do it, in the order of the table (`govdata duties`)."""
    from_roles = {r.permission: r.roles for r in duty_table().rows}
    return [ActionDuty(s.key, s.label, STAGE_LABELS[s.stage], s.article, s.permission, from_roles[s.permission])
            for s in TABLE]


def _build() -> dict[str, ActionSpec]:
    keys = [s.key for s in TABLE]
    if sorted(keys) != sorted(EFFECTS) or len(set(keys)) != len(keys):
        raise RuntimeError(f"lifecycle table and effects disagree: {sorted(set(keys) ^ set(EFFECTS))}")
    if set(RULES) - set(keys) or set(DATE_RULES) - set(keys):
        raise RuntimeError(f"rules for unknown actions: {sorted((set(RULES) | set(DATE_RULES)) - set(keys))}")
    out = {}
    for s in TABLE:
        fn, fields = EFFECTS[s.key]
        for r in DATE_RULES.get(s.key, ()):
            if r.field not in fields:
                raise RuntimeError(f"date rule of {s.key} names an unknown field {r.field}")
        out[s.key] = ActionSpec(s.key, s.label, s.permission, s.from_states, fn, fields, s.article, s.stage, s.to,
                                s.moves_from, tuple(RULES.get(s.key, ())))
    return out


ACTIONS.update(_build())

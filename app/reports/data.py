"""The plain data each form shows. Amounts are integer 分, dates datetime.date, labels already in Chinese.

app.services.forms fills these from the database; tests fill them by hand. app.reports.templates turns each into
the blocks it prints (app.reports.doc), and a form's digest is the SM3 of those blocks (see `content_json`): two
prints of an unchanged record carry the same digest, and only what is printed counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Letterhead:
    """Names from the settings: never literals in the templates."""

    county: str = "沁水县"
    government: str = "沁水县人民政府"
    bureau: str = "沁水县行政审批服务管理局（沁水县政务信息管理局）"
    bureau_short: str = "县行政审批服务管理局"
    finance_bureau: str = "沁水县财政局"


@dataclass(frozen=True)
class ProjectFacts:
    code: str
    name: str
    department: str
    year: int
    category: str
    nature: str
    total_fen: int
    county_fen: int = 0
    upper_fen: int = 0
    other_fen: int = 0
    responsible_person: str | None = None
    responsible_phone: str | None = None
    period_months: int | None = None
    content: str | None = None
    cobuilt: bool = False


@dataclass(frozen=True)
class Material:
    label: str  # 项目建议书 ...
    received_on: dt.date | None
    title: str | None = None


@dataclass(frozen=True)
class CheckLine:
    label: str
    passed: bool | None  # None: not checked
    finding: str | None = None
    score: Decimal | None = None


@dataclass(frozen=True)
class SplitFinding:
    """A possible split or disguised project (第九条 变相包装), from the split detector."""

    code: str
    name: str
    reason: str


@dataclass(frozen=True)
class ApprovalForm:
    """政务大数据项目立项审批表 (第八、九条)."""

    letterhead: Letterhead
    project: ProjectFacts
    materials: tuple[Material, ...]
    review_conclusion: str  # 通过 / 修改后通过 / 不通过
    review_doc_no: str | None
    review_on: dt.date | None
    in_annual_plan: bool
    approved_fen: int | None
    doc_no: str | None
    decided_on: dt.date | None
    bureau_opinion: str | None
    leader: str | None = None  # 审批领导, as entered at approval: printed with room to sign
    leader_opinion: str | None = None  # 县领导意见 (written by hand when None)
    split_findings: tuple[SplitFinding, ...] = ()  # shown when the detector found any


@dataclass(frozen=True)
class ReviewOpinionForm:
    """技术审核意见书 (第七条)."""

    letterhead: Letterhead
    project: ProjectFacts
    doc_no: str | None
    reviewer: str | None
    started_on: dt.date | None
    opinion_on: dt.date | None
    art7: tuple[CheckLine, ...]
    art9: tuple[CheckLine, ...]
    dimensions: tuple[CheckLine, ...]
    conclusion: str
    opinion: str | None
    previous_evaluation: str | None = None  # 第二十三条: the department's last evaluation
    issuer: str = ""  # the bureau that issues the opinion (its name over the seal); "" = the letterhead's bureau


@dataclass(frozen=True)
class ContractFilingForm:
    """合同备案表 (第十五条)."""

    letterhead: Letterhead
    project: ProjectFacts
    contract_no: str
    title: str | None
    kind_label: str
    contractor: str
    credit_code: str
    county_owned: bool
    selection_method: str
    amount_fen: int
    signed_on: dt.date
    filing_due: dt.date
    due_provisional: bool
    filed_on: dt.date | None
    workdays: int = 5


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str  # amounts with their capitals: 3,384,040.00 元（大写：人民币…）


@dataclass(frozen=True)
class ChangeForm:
    """项目变更申请表 (第十七条)."""

    letterhead: Letterhead
    project: ProjectFacts
    requested_on: dt.date
    major: bool
    description: str
    reason: str
    lines: tuple[ChangeLine, ...]
    decision: str | None  # 同意 / 不同意; None while pending (the box is left for handwriting)
    opinion: str | None
    decided_on: dt.date | None
    decided_by: str | None  # the person who entered the bureau's opinion; None for the setup or system account


@dataclass(frozen=True)
class CatalogueLine:
    name: str
    share_type: str
    registered: bool
    registered_on: dt.date | None
    platform_id: str | None = None
    resource_code: str | None = None  # 信息资源代码 in the catalogue


@dataclass(frozen=True)
class SecurityLine:
    kind_label: str  # 等级保护测评 / 商用密码应用安全性评估
    level: int | None
    passed: bool
    assessed_on: dt.date | None
    agency: str | None = None
    report_no: str | None = None


@dataclass(frozen=True)
class AcceptanceForm:
    """验收申请表 / 联合验收意见书 (第十八—二十条)."""

    letterhead: Letterhead
    project: ProjectFacts
    preliminary_on: dt.date | None
    preliminary_passed: bool | None
    preliminary_organizer: str | None
    preliminary_opinion: str | None
    catalogue: tuple[CatalogueLine, ...]
    data_landed: bool
    data_landed_on: dt.date | None
    domestic_fen: int
    estimate_fen: int
    autonomy_passed: bool | None
    autonomy_finding: str | None
    security: tuple[SecurityLine, ...]
    joint_on: dt.date | None = None
    joint_passed: bool | None = None
    joint_opinion: str | None = None
    joint_doc_no: str | None = None
    experts: str | None = None
    joint_organizer: str | None = None


@dataclass(frozen=True)
class RectificationNotice:
    """限期整改通知书 (第二十二条), GB/T 9704-2012 layout."""

    letterhead: Letterhead
    doc_no: str
    addressee: str  # the department
    project_code: str
    project_name: str
    reason_label: str
    facts: str | None
    requirements: str
    issued_on: dt.date
    deadline: dt.date
    copy_to: str | None = None


@dataclass(frozen=True)
class SuspensionNotice:
    """暂停拨付项目资金通知书 (第二十二条): the rectification deadline passed; GB/T 9704-2012 layout."""

    letterhead: Letterhead
    doc_no: str
    addressee: str
    project_code: str
    project_name: str
    order_doc_no: str  # the rectification notice it follows
    order_issued_on: dt.date
    deadline: dt.date
    decided_on: dt.date
    reason: str | None
    copy_to: str | None = None


@dataclass(frozen=True)
class PublicityLine:
    """One budget in a notice: a project's construction or O&M money of one year (and source), its real amount."""

    code: str
    name: str
    department: str
    category: str
    amount_fen: int
    budget_year: int | None = None  # the budget's year (a project may be budgeted in a year other than its own)
    kind_label: str = ""  # 建设资金 / 运维资金
    source_label: str = ""  # 县级财政资金 …, or 未区分来源


@dataclass(frozen=True)
class PublicityNotice:
    """资金拟分配计划公示 (第十一条)."""

    letterhead: Letterhead
    year: int
    title: str
    doc_no: str | None
    lines: tuple[PublicityLine, ...]
    start_on: dt.date
    end_on: dt.date
    contact: str | None
    phone: str | None
    issued_on: dt.date


@dataclass(frozen=True)
class PlanLine:
    code: str
    name: str
    department: str
    category: str
    nature: str
    total_fen: int
    planned_fen: int
    county_fen: int = 0
    upper_fen: int = 0
    other_fen: int = 0
    note: str | None = None


@dataclass(frozen=True)
class AnnualPlanTable:
    """年度计划表 (第六条): landscape, subtotals by category and a grand total."""

    letterhead: Letterhead
    year: int
    title: str
    doc_no: str | None
    approved_on: dt.date | None
    lines: tuple[PlanLine, ...]
    prepared_on: dt.date | None = None  # 制表日期 (the day it is printed)


@dataclass(frozen=True)
class ScoreLine:
    level1: str
    level2: str
    indicator: str
    weight: Decimal
    score: Decimal


@dataclass(frozen=True)
class EvaluationReport:
    """绩效评价报告 (第二十三条)."""

    letterhead: Letterhead
    project: ProjectFacts
    year: int
    evaluated_on: dt.date
    evaluator: str | None  # 评价单位 (an organisation); the person signs by hand
    scores: tuple[ScoreLine, ...]
    total: Decimal
    grade: str
    conclusion: str | None


@dataclass(frozen=True)
class LedgerLine:
    code: str
    name: str
    department: str
    year: int
    category: str
    nature: str
    status_label: str
    total_fen: int
    approved_fen: int | None
    contract_fen: int = 0
    paid_fen: int = 0


@dataclass(frozen=True)
class Ledger:
    """项目台账: the register as a landscape list, filtered as on screen."""

    letterhead: Letterhead
    title: str
    filter_text: str  # e.g. "年度：2027；状态：建设中"
    lines: tuple[LedgerLine, ...] = field(default=())
    prepared_on: dt.date | None = None  # 制表日期 (the day it is printed)


@dataclass(frozen=True)
class FundLine:
    """One line of the fund-use comparison (第十六条): a project's year, kind and source, or its 小计."""

    code: str
    name: str
    department: str
    year: int
    kind_label: str  # 建设资金 / 运维资金; 小计 on a subtotal line
    source_label: str
    budget_fen: int
    paid_fen: int
    balance_fen: int
    rate: str  # 执行率, e.g. "72.2%" (— without a budget)
    note: str = ""
    subtotal: bool = False


@dataclass(frozen=True)
class FundComparison:
    """资金使用对照分析表 (第十六条): budget against payments per project and year, by kind and source."""

    letterhead: Letterhead
    title: str
    filter_text: str  # e.g. "年度：2026；项目：QS-2026-0001"
    lines: tuple[FundLine, ...] = field(default=())
    budget_fen: int = 0
    paid_fen: int = 0
    rate: str = "—"
    prepared_on: dt.date | None = None  # 制表日期 (the day it is printed)


FormData = (ApprovalForm | ReviewOpinionForm | ContractFilingForm | ChangeForm | AcceptanceForm
            | RectificationNotice | SuspensionNotice | PublicityNotice | AnnualPlanTable | EvaluationReport | Ledger
            | FundComparison)

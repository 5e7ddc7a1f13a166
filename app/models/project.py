"""Plans, projects and everything a project gathers over its life (第六—二十九条)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped, Versioned, utcnow
from app.models.reference import Contractor, Department


class DevelopmentPlan(Timestamped, Base):
    """应用规划 (第六条): the county plan, or a department plan filed with the bureau."""

    __tablename__ = "development_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))  # None: the county plan
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    doc_no: Mapped[str | None] = mapped_column(String(80))
    approved_on: Mapped[dt.date | None] = mapped_column(Date)  # 报县人民政府批准
    filed_on: Mapped[dt.date | None] = mapped_column(Date)  # 备案 (bureau or 市大数据应用局)
    received_by: Mapped[str | None] = mapped_column(String(50))  # who at the bureau received the filing
    content: Mapped[str | None] = mapped_column(Text)


class AnnualPlan(Timestamped, Versioned, Base):
    """年度计划 (第六条): the projects of one year, approved by the county government."""

    __tablename__ = "annual_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    doc_no: Mapped[str | None] = mapped_column(String(80))
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    approved_by: Mapped[str | None] = mapped_column(String(150))  # 县人民政府 (or its office, by delegation)
    items: Mapped[list[AnnualPlanItem]] = relationship(back_populates="plan", cascade="all, delete-orphan")


class AnnualPlanItem(Base):
    __tablename__ = "annual_plan_items"
    __table_args__ = (UniqueConstraint("plan_id", "project_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plans.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    planned_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    plan: Mapped[AnnualPlan] = relationship(back_populates="items")


class Project(Timestamped, Versioned, Base):
    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("year", "department_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))  # 第三条
    nature: Mapped[str] = mapped_column(String(16))  # 新建 扩建 改造升级 运行维护
    content: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int] = mapped_column(Integer)  # indexed by the two indexes it leads (0007)
    period_months: Mapped[int | None] = mapped_column(Integer)
    responsible_person: Mapped[str | None] = mapped_column(String(50))  # 项目责任人 (第十四条)
    responsible_phone: Mapped[str | None] = mapped_column(String(30))
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    county_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    upper_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    other_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    year_request_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    cobuilt: Mapped[bool] = mapped_column(Boolean, default=False)  # 市县协同建设 (第十二条)
    city_share_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    county_share_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    cobuilt_scope: Mapped[str | None] = mapped_column(Text)  # 事权划分: what the county builds
    status: Mapped[str] = mapped_column(String(32), index=True, default="draft")
    resume_status: Mapped[str | None] = mapped_column(String(32))  # state to return to after rectification
    approved_fen: Mapped[int | None] = mapped_column(BigInteger)
    data_landed: Mapped[bool] = mapped_column(Boolean, default=False)  # 数据落盘 (第十九条)
    data_landed_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    department: Mapped[Department] = relationship(lazy="joined")
    materials: Mapped[list[Material]] = relationship(back_populates="project", cascade="all, delete-orphan")
    estimate_items: Mapped[list[EstimateItem]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="EstimateItem.seq"
    )
    reviews: Mapped[list[TechnicalReview]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="TechnicalReview.id"
    )
    contracts: Mapped[list[Contract]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Contract.id"
    )


Index("ix_projects_year_code", Project.year.desc(), Project.code)  # the register's order, newest year first (0006)


class Attachment(Base):
    """A stored file, addressed by its content digest (SM3 hex); the bytes live once in attachment_blobs."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    owner_type: Mapped[str] = mapped_column(String(32), default="project")
    owner_id: Mapped[int | None] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    digest: Mapped[str] = mapped_column(ForeignKey("attachment_blobs.digest"), index=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AttachmentBlob(Base):
    __tablename__ = "attachment_blobs"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Material(Base):
    """One of the four application materials (第八条)."""

    __tablename__ = "materials"
    __table_args__ = (UniqueConstraint("project_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # proposal feasibility design estimate
    title: Mapped[str | None] = mapped_column(String(200))
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id", ondelete="SET NULL"))
    project: Mapped[Project] = relationship(back_populates="materials")


class EstimateItem(Base):
    """投资概算 line item; `domestic` marks 安全自主可控 (domestic) products (第七、二十条)."""

    __tablename__ = "estimate_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(50))  # 硬件 软件 系统集成 其他费用
    name: Mapped[str] = mapped_column(String(200))
    spec: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(20))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4), default=Decimal(1))
    unit_price_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    domestic: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    project: Mapped[Project] = relationship(back_populates="estimate_items")


class TechnicalReview(Timestamped, Base):
    """技术审核 (第七条) with the 第九条 checks and its opinion."""

    __tablename__ = "technical_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    reviewer: Mapped[str | None] = mapped_column(String(50))
    started_by: Mapped[str | None] = mapped_column(String(64))  # the account that started it (separation of duties)
    reviewed_by: Mapped[str | None] = mapped_column(String(64))  # the account that gave the opinion
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    opinion_on: Mapped[dt.date | None] = mapped_column(Date)
    conclusion: Mapped[str | None] = mapped_column(String(24))  # pass pass_with_changes fail
    interconnect_ok: Mapped[bool | None] = mapped_column(Boolean)  # 互联互通、信息共享、业务协同 (第九条)
    policy_ok: Mapped[bool | None] = mapped_column(Boolean)  # 不违背共享和集约化政策 (第九条)
    not_built_before: Mapped[bool | None] = mapped_column(Boolean)  # 未批先建 (第九条)
    not_disguised: Mapped[bool | None] = mapped_column(Boolean)  # 变相包装 (第九条)
    opinion: Mapped[str | None] = mapped_column(Text)
    doc_no: Mapped[str | None] = mapped_column(String(80))
    items: Mapped[list[ReviewItem]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewItem.id"
    )
    project: Mapped[Project] = relationship(back_populates="reviews")


class ReviewItem(Base):
    """One line of the review: a 第七条 checklist item or a review dimension, with its finding."""

    __tablename__ = "review_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("technical_reviews.id", ondelete="CASCADE"), index=True)
    group: Mapped[str] = mapped_column(String(16))  # art7 dimension
    key: Mapped[str] = mapped_column(String(40))
    passed: Mapped[bool | None] = mapped_column(Boolean)
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    finding: Mapped[str | None] = mapped_column(Text)
    review: Mapped[TechnicalReview] = relationship(back_populates="items")


class Approval(Timestamped, Base):
    """审批立项 decision (第八、九条): approved with 文号 and amount, or not approved."""

    __tablename__ = "approvals"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # approved rejected
    doc_no: Mapped[str | None] = mapped_column(String(80), unique=True)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    opinion: Mapped[str | None] = mapped_column(Text)
    leader: Mapped[str | None] = mapped_column(String(50))
    decided_by: Mapped[str | None] = mapped_column(String(64))  # the account that decided


class Budget(Timestamped, Base):
    """财政预算 (第十、十二条): construction or O&M money for a year, from one funding source."""

    __tablename__ = "budgets"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="construction")  # construction om
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    doc_no: Mapped[str | None] = mapped_column(String(80))
    set_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(16))  # county upper other (FUNDING_SOURCES); None: not split
    # the notice that publicised this budget (第十一条); None: not yet publicised
    publicity_id: Mapped[int | None] = mapped_column(ForeignKey("publicities.id", ondelete="SET NULL"), index=True)


class Publicity(Timestamped, Base):
    """资金拟分配计划公示 (第十一条)."""

    __tablename__ = "publicities"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    doc_no: Mapped[str | None] = mapped_column(String(80))
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date] = mapped_column(Date)
    contact: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(30))
    objections: Mapped[str | None] = mapped_column(Text)
    items: Mapped[list[PublicityItem]] = relationship(back_populates="publicity", cascade="all, delete-orphan")


class PublicityItem(Base):
    __tablename__ = "publicity_items"
    __table_args__ = (UniqueConstraint("publicity_id", "project_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    publicity_id: Mapped[int] = mapped_column(ForeignKey("publicities.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    publicity: Mapped[Publicity] = relationship(back_populates="items")


class Contract(Timestamped, Versioned, Base):
    """建设合同 (第十三—十五条): construction, supervision, testing; filed within 5 working days."""

    __tablename__ = "contracts"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="construction")  # construction supervision testing other
    contract_no: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str | None] = mapped_column(String(200))
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    selection_method: Mapped[str] = mapped_column(String(24))
    signed_on: Mapped[dt.date] = mapped_column(Date)
    filing_due: Mapped[dt.date] = mapped_column(Date)
    filing_due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    filed_late: Mapped[bool | None] = mapped_column(Boolean)
    project: Mapped[Project] = relationship(back_populates="contracts")
    contractor: Mapped[Contractor] = relationship(lazy="joined")


class Payment(Timestamped, Base):
    """资金拨付."""

    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="construction")  # construction om
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[dt.date] = mapped_column(Date)
    voucher_no: Mapped[str | None] = mapped_column(String(80))
    purpose: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(16))  # county upper other (FUNDING_SOURCES); None: not split


class ChangeRequest(Timestamped, Versioned, Base):
    """调整申请 (第十七条): changed figures take effect only with the bureau's approving opinion."""

    __tablename__ = "change_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    requested_on: Mapped[dt.date] = mapped_column(Date)
    major: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending approved rejected
    opinion: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(50))
    items: Mapped[list[ChangeItem]] = relationship(back_populates="change", cascade="all, delete-orphan")


class ChangeItem(Base):
    __tablename__ = "change_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("change_requests.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    change: Mapped[ChangeRequest] = relationship(back_populates="items")


class Acceptance(Timestamped, Base):
    """初步验收 by the department, 联合验收 with the bureau (第十八—二十条)."""

    __tablename__ = "acceptances"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16))  # preliminary joint
    accepted_on: Mapped[dt.date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column(Boolean)
    organizer: Mapped[str | None] = mapped_column(String(100))
    experts: Mapped[str | None] = mapped_column(Text)
    opinion: Mapped[str | None] = mapped_column(Text)
    doc_no: Mapped[str | None] = mapped_column(String(80))


class CatalogueItem(Timestamped, Base):
    """信息资源目录 item and its registration on the sharing platform's catalogue system (第十九条)."""

    __tablename__ = "catalogue_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    resource_code: Mapped[str | None] = mapped_column(String(60))
    share_type: Mapped[str] = mapped_column(String(16), default="有条件共享")  # 无条件共享 有条件共享 不予共享
    open_type: Mapped[str | None] = mapped_column(String(16))
    update_cycle: Mapped[str | None] = mapped_column(String(16))
    registered: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    platform_id: Mapped[str | None] = mapped_column(String(60))


class AutonomyCheck(Timestamped, Base):
    """安全自主可控 check (第七、二十条): domestic share of the estimate and the finding."""

    __tablename__ = "autonomy_checks"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    checked_on: Mapped[dt.date] = mapped_column(Date)
    domestic_fen: Mapped[int] = mapped_column(BigInteger)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    passed: Mapped[bool] = mapped_column(Boolean)
    threshold_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))  # the bureau's threshold at the time
    finding: Mapped[str | None] = mapped_column(Text)
    checker: Mapped[str | None] = mapped_column(String(50))


class OmRequest(Timestamped, Base):
    """运行维护费用 request (第二十一条), reviewed by the bureau before it goes into the budget."""

    __tablename__ = "om_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    requested_on: Mapped[dt.date] = mapped_column(Date)
    content: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending approved rejected
    approved_fen: Mapped[int | None] = mapped_column(BigInteger)
    opinion: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(64))


class Rectification(Timestamped, Versioned, Base):
    """限期整改 (第二十二条)."""

    __tablename__ = "rectifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    doc_no: Mapped[str | None] = mapped_column(String(80), unique=True)
    reason: Mapped[str] = mapped_column(String(32))  # unapproved_build unauthorized_change delayed_acceptance other
    requirements: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open completed overdue failed closed
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(16))  # compliant noncompliant (RECTIFICATION_OUTCOMES)
    verified_on: Mapped[dt.date | None] = mapped_column(Date)
    verified_by: Mapped[str | None] = mapped_column(String(50))


class Notice(Timestamped, Base):
    """A notice the program records when it acts by itself or on an order: e.g. funds suspended because a
    rectification deadline passed (第二十二条). `issued_by` is the account, or "system" for an automatic act."""

    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # funds_suspended
    issued_on: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    doc_no: Mapped[str | None] = mapped_column(String(80))
    issued_by: Mapped[str] = mapped_column(String(64))


class Indicator(Base):
    """The configurable evaluation indicator system (第二十三条, 财预〔2020〕10号)."""

    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str] = mapped_column(String(20))
    level2: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(60), unique=True)
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Evaluation(Timestamped, Base):
    """绩效评价 (第二十三条): indicator scores, total and grade (优 良 中 差)."""

    __tablename__ = "evaluations"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    evaluated_on: Mapped[dt.date] = mapped_column(Date)
    evaluator: Mapped[str | None] = mapped_column(String(100))
    total: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    grade: Mapped[str] = mapped_column(String(4))
    conclusion: Mapped[str | None] = mapped_column(Text)
    scores: Mapped[list[EvaluationScore]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="EvaluationScore.seq"
    )


class EvaluationScore(Base):
    __tablename__ = "evaluation_scores"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str] = mapped_column(String(20))
    level2: Mapped[str] = mapped_column(String(30))
    indicator: Mapped[str] = mapped_column(String(60))
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    evaluation: Mapped[Evaluation] = relationship(back_populates="scores")


class SecurityAssessment(Timestamped, Base):
    """等级保护测评 or 商用密码应用安全性评估 (第二十八条)."""

    __tablename__ = "security_assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # mlps crypto risk
    level: Mapped[int | None] = mapped_column(Integer)  # 等保 level 1–4
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    agency: Mapped[str | None] = mapped_column(String(150))
    passed: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    report_no: Mapped[str | None] = mapped_column(String(80))
    valid_until: Mapped[dt.date | None] = mapped_column(Date)


class Incident(Timestamped, Base):
    """网络安全事件 and its handling (第二十九条)."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    severity: Mapped[str] = mapped_column(String(16))  # 特别重大 重大 较大 一般
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    handling: Mapped[str | None] = mapped_column(Text)
    reported_to: Mapped[str | None] = mapped_column(String(150))
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class EmergencyPlan(Timestamped, Base):
    """应急预案 made by the department with the contractor (第二十九条)."""

    __tablename__ = "emergency_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    contractor_id: Mapped[int | None] = mapped_column(ForeignKey("contractors.id"))
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[str | None] = mapped_column(String(20))
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    drills: Mapped[list[Drill]] = relationship(back_populates="plan", cascade="all, delete-orphan")


class Drill(Timestamped, Base):
    __tablename__ = "drills"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("emergency_plans.id", ondelete="CASCADE"), index=True)
    drilled_on: Mapped[dt.date] = mapped_column(Date)
    scenario: Mapped[str] = mapped_column(String(200))
    participants: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    issues: Mapped[str | None] = mapped_column(Text)
    plan: Mapped[EmergencyPlan] = relationship(back_populates="drills")

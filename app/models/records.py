"""The records the bureau kept on paper (第六、十一、二十一、二十二条): the county's plan filings with the city,
publicity objections, pre-existing systems and their O&M requests, fund losses and accountability."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamped, Versioned


class PlanFiling(Timestamped, Base):
    """The county's filing of its plans with the city bureau (第六条: 报市大数据应用局备案)."""

    __tablename__ = "plan_filings"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))  # what was filed
    development_plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("development_plans.id", ondelete="SET NULL"), index=True)
    filed_to: Mapped[str] = mapped_column(String(150))  # 晋城市大数据应用局 (a setting)
    filed_on: Mapped[dt.date] = mapped_column(Date)
    doc_no: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)


class PublicityObjection(Timestamped, Versioned, Base):
    """An objection raised during the publicity of the fund allocation plan (第十一条) and how it was handled."""

    __tablename__ = "publicity_objections"
    id: Mapped[int] = mapped_column(primary_key=True)
    publicity_id: Mapped[int] = mapped_column(ForeignKey("publicities.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    received_on: Mapped[dt.date] = mapped_column(Date)
    objector: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30))
    content: Mapped[str] = mapped_column(Text)
    handled_on: Mapped[dt.date | None] = mapped_column(Date)
    handling: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(16))  # upheld partly dismissed (OBJECTION_OUTCOMES)
    handled_by: Mapped[str | None] = mapped_column(String(50))


class LegacySystem(Timestamped, Versioned, Base):
    """原有信息化项目 (第二十一条): a system that existed before the program, so it has no project record."""

    __tablename__ = "legacy_systems"
    __table_args__ = (UniqueConstraint("department_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    built_year: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    # 第九条: no O&M funds for a system that does not share its data
    catalogue_registered: Mapped[bool] = mapped_column(Boolean, default=False)
    data_landed: Mapped[bool] = mapped_column(Boolean, default=False)


class LegacyOmRequest(Timestamped, Versioned, Base):
    """O&M costs of a pre-existing system: reviewed by the bureau, then listed in the budget by finance (第二十一条)."""

    __tablename__ = "legacy_om_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("legacy_systems.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    requested_on: Mapped[dt.date] = mapped_column(Date)
    content: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending approved rejected budgeted
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    reviewer: Mapped[str | None] = mapped_column(String(50))
    review_opinion: Mapped[str | None] = mapped_column(Text)
    reviewed_fen: Mapped[int | None] = mapped_column(BigInteger)  # 核定金额
    budget_on: Mapped[dt.date | None] = mapped_column(Date)
    budget_fen: Mapped[int | None] = mapped_column(BigInteger)
    budget_doc_no: Mapped[str | None] = mapped_column(String(80))
    budget_by: Mapped[str | None] = mapped_column(String(50))


class FundLoss(Timestamped, Base):
    """资金损失 found in a project (第二十二条)."""

    __tablename__ = "fund_losses"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    rectification_id: Mapped[int | None] = mapped_column(ForeignKey("rectifications.id", ondelete="SET NULL"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    found_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)


class Accountability(Timestamped, Base):
    """追究相关人员责任 (第二十二条): who, what measure, decided on, by whom."""

    __tablename__ = "accountability_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    loss_id: Mapped[int | None] = mapped_column(ForeignKey("fund_losses.id", ondelete="SET NULL"), index=True)
    person: Mapped[str] = mapped_column(String(100))
    measure: Mapped[str] = mapped_column(String(100))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(150))
    note: Mapped[str | None] = mapped_column(Text)

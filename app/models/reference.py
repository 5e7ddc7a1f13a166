"""Reference data: settings, departments and their aliases, contractors, holidays, number sequences."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped, Versioned


class Setting(Base):
    """Key/value settings: county name, bureau names, document-number patterns, thresholds (JSON values)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class Department(Timestamped, Versioned, Base):
    """实施单位: a county department (县直部门), township (乡镇) or the development zone (开发区)."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="县直部门")
    contact: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    aliases: Mapped[list[DepartmentAlias]] = relationship(
        back_populates="department", cascade="all, delete-orphan", order_by="DepartmentAlias.alias"
    )


class DepartmentAlias(Base):
    __tablename__ = "department_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(100), unique=True)
    department: Mapped[Department] = relationship(back_populates="aliases")


class Contractor(Timestamped, Versioned, Base):
    """项目建设单位 (construction unit). 县属企业 = county-owned enterprise (第十三条)."""

    __tablename__ = "contractors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    county_owned: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(200))


class HolidayOverride(Base):
    """An office's own entry for a day: working day or not (next year's holidays, 调休)."""

    __tablename__ = "holiday_overrides"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(100))


class HolidayYear(Base):
    """The office's word that its holiday list for a year is complete (第十五条: only then are the year's
    deadlines counted without a warning, when the package does not cover the year)."""

    __tablename__ = "holiday_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)
    declared_on: Mapped[dt.date] = mapped_column(Date)
    declared_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(200))


class NumberSequence(Base):
    """Last number issued per pattern key and year: 文号 and project codes, gapless."""

    __tablename__ = "number_sequences"
    __table_args__ = (UniqueConstraint("key", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class IssuedNumber(Base):
    """Every number issued, with what it was issued for: the proof that none is duplicated or skipped."""

    __tablename__ = "issued_numbers"
    __table_args__ = (UniqueConstraint("key", "year", "seq"), UniqueConstraint("number"))
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(80))
    purpose: Mapped[str | None] = mapped_column(Text)

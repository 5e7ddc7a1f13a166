"""The project register: registering, editing, listing and the history of a project."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain.fields import FIELDS
from app.domain.figures import (  # the rules on figures, pure (re-exported)
    FIELD_LABELS,
    MONEY_FIELDS,
    check_figures,
)
from app.domain.inputs import TEXT_MAX, check_amount, check_int, check_year, clean_text
from app.domain.money import fen_to_yuan_str
from app.domain.vocabulary import MATERIAL_LABELS, PRE_APPROVAL, STATUS_LABELS
from app.errors import ConflictError, InputError, NotFoundError, RuleViolation
from app.models import AuditRecord, Department, EstimateItem, Material, Project
from app.services.master import get_department
from app.services.numbering import issue_number
from app.services.people import names_of
from app.services.permissions import can, require
from app.services.privacy import mask_projects
from app.storage.database import UnitOfWork

# fields a department fills in; after approval the figures among them change only through a change request
EDITABLE = ("name", "category", "nature", "content", "period_months", "responsible_person", "responsible_phone",
            "total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen", "cobuilt", "city_share_fen",
            "county_share_fen", "cobuilt_scope", "note")
MAJOR_FIELDS = ("name", "content", "total_fen", "county_fen", "upper_fen", "other_fen", "period_months",
                "category", "nature", "city_share_fen", "county_share_fen", "cobuilt")


@dataclass(frozen=True)
class ProjectInput:
    name: str
    department: str  # name, alias or id
    category: str
    nature: str
    year: int
    total_fen: int
    county_fen: int = 0
    upper_fen: int = 0
    other_fen: int = 0
    year_request_fen: int = 0
    content: str | None = None
    period_months: int | None = None
    responsible_person: str | None = None
    responsible_phone: str | None = None
    cobuilt: bool = False
    city_share_fen: int = 0
    county_share_fen: int = 0
    cobuilt_scope: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ProjectView:
    id: int
    code: str
    name: str
    department_id: int
    department: str
    category: str
    nature: str
    year: int
    status: str
    status_label: str
    content: str | None
    period_months: int | None
    responsible_person: str | None
    responsible_phone: str | None
    total_fen: int
    county_fen: int
    upper_fen: int
    other_fen: int
    year_request_fen: int
    cobuilt: bool
    city_share_fen: int
    county_share_fen: int
    cobuilt_scope: str | None
    approved_fen: int | None
    data_landed: bool
    note: str | None
    version: int
    updated_at: dt.datetime | None = None
    incomplete: tuple[str, ...] = ()  # what is still to be entered (see `incomplete`)


def view(p: Project) -> ProjectView:
    return ProjectView(
        id=p.id, code=p.code, name=p.name, department_id=p.department_id, department=p.department.name,
        category=p.category, nature=p.nature, year=p.year, status=p.status,
        status_label=STATUS_LABELS.get(p.status, p.status), content=p.content, period_months=p.period_months,
        responsible_person=p.responsible_person, responsible_phone=p.responsible_phone, total_fen=p.total_fen,
        county_fen=p.county_fen, upper_fen=p.upper_fen, other_fen=p.other_fen, year_request_fen=p.year_request_fen,
        cobuilt=p.cobuilt, city_share_fen=p.city_share_fen, county_share_fen=p.county_share_fen,
        cobuilt_scope=p.cobuilt_scope, approved_fen=p.approved_fen, data_landed=p.data_landed, note=p.note,
        version=p.version, updated_at=p.updated_at, incomplete=incomplete(p),
    )


_JSON_FIELDS = tuple((f.key, f.json_key, f.kind == "money") for f in FIELDS if f.json_key)


def to_json(v: ProjectView) -> dict:
    """The machine form (`govdata projects --json`): English status key, amounts as yuan strings; the keys are the
    fields' `json_key` (app.domain.fields)."""
    out: dict = {}
    for key, json_key, money in _JSON_FIELDS:
        value = getattr(v, key)
        out[json_key] = fen_to_yuan_str(value) if money else value
    out["status_label"] = v.status_label
    out["approved_yuan"] = None if v.approved_fen is None else fen_to_yuan_str(v.approved_fen)
    return out


_MULTILINE = ("content", "cobuilt_scope", "note")


def _column_length(key: str) -> int:
    """The schema's length of a text column of projects (TEXT_MAX for an unbounded Text column)."""
    length = getattr(Project.__table__.c[key].type, "length", None)
    return int(length) if length else TEXT_MAX


def clean_values(values: dict) -> dict:
    """The input rules (app.domain.inputs) applied to a project's fields: text cleaned and within the schema's
    lengths, amounts within 0..10^12 元, the year 2000–2100. Returns the cleaned copy; raises InputError."""
    out = dict(values)
    for key, value in values.items():
        label = FIELD_LABELS.get(key, key)
        if key in MONEY_FIELDS:
            out[key] = check_amount(value or 0, label)
        elif key == "year":
            out[key] = check_year(value, label)
        elif key == "period_months":
            out[key] = None if value is None or value == "" else check_int(value, label, 1, 120)
        elif key == "name":
            out[key] = clean_text(value, label, _column_length(key), required=True)
        elif key in ("responsible_person", "responsible_phone") or key in _MULTILINE:
            out[key] = clean_text(value, label, _column_length(key), multiline=key in _MULTILINE) or None
    return out


SPLIT_PENDING = "市县协同建设项目尚未填写市级、县级承担资金（第十二条）"


def incomplete(v: ProjectView | Project) -> tuple[str, ...]:
    """What the project still lacks, in words (shown with the project until it is entered)."""
    if v.cobuilt and not v.city_share_fen and not v.county_share_fen and v.total_fen:
        return (SPLIT_PENDING,)
    return ()


def _load(session: Session, code: str, for_update: bool = False) -> Project:
    stmt = select(Project).where(Project.code == code)
    if for_update and session.bind is not None and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Project)  # not the outer-joined department
    project = session.scalar(stmt)
    if project is None:
        raise NotFoundError(f"没有找到项目：{code}")
    return project


def load_project(uow: UnitOfWork, code: str, permission: str = "project.read") -> Project:
    """The ORM object for services (not for callers outside app/services), permission checked."""
    p = _load(uow.session, code, for_update=permission != "project.read")
    require(uow.actor, permission, p.department_id)
    return p


def get_project(uow: UnitOfWork, code: str) -> ProjectView:
    return view(load_project(uow, code))


def register_project(uow: UnitOfWork, data: ProjectInput, code: str | None = None) -> ProjectView:
    dept = get_department(uow, data.department)
    require(uow.actor, "project.register", dept.id)
    values = clean_values({f.name: getattr(data, f.name) for f in fields(data)})
    if not values["year_request_fen"]:
        values["year_request_fen"] = 0
    check_figures(values)
    dup = uow.session.scalar(select(Project.code).where(
        Project.year == values["year"], Project.department_id == dept.id, Project.name == values["name"]))
    if dup:
        raise InputError(f"{dept.name}{values['year']}年已登记同名项目：{values['name']}（{dup}）")
    code = code or issue_number(uow, "project", values["year"], f"项目登记：{values['name']}")
    values.pop("department")
    project = Project(code=code, department_id=dept.id, status="draft", **values)
    uow.session.add(project)
    uow.session.flush()
    uow.audit("project.register", "project", code, {"after": _snapshot(project)})
    return view(project)


def _snapshot(p: Project, keys: tuple[str, ...] = EDITABLE) -> dict:
    return {k: getattr(p, k) for k in keys} | {"department_id": p.department_id, "year": p.year}


def update_project(uow: UnitOfWork, code: str, changes: dict, expected_version: int | None = None,
                   split_pending: bool = False) -> ProjectView:
    """Edit a project's facts. After approval the major figures change only through a change request (第十七条).

    `expected_version` is the version the editor loaded; if someone saved meanwhile, ConflictError carries both
    values and nothing is written.
    """
    p = load_project(uow, code, "project.register")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InputError(f"不能直接修改这些字段：{'、'.join(sorted(unknown))}")
    changes = clean_values(changes)
    if expected_version is not None and p.version != expected_version:
        theirs = {k: getattr(p, k) for k in changes}
        raise ConflictError(
            f"项目 {code} 已被他人修改（版本 {expected_version} → {p.version}），您的修改未保存。请核对双方的值后重试。",
            mine=dict(changes), theirs=theirs)
    real = {k: v for k, v in changes.items() if getattr(p, k) != v}
    if not real:
        return view(p)
    if p.status not in PRE_APPROVAL:
        major = sorted(set(real) & set(MAJOR_FIELDS))
        if major:
            labels = "、".join(FIELD_LABELS[k] for k in major)
            raise RuleViolation("第十七条", f"项目已立项，{labels}的调整须提交调整申请，经主管部门出具意见后生效")
    candidate = _snapshot(p) | real
    still_pending = bool(incomplete(p)) and not set(real) & {"city_share_fen", "county_share_fen"}
    check_figures(candidate, split_pending=split_pending or still_pending)
    before = {k: getattr(p, k) for k in real}
    for k, v in real.items():
        setattr(p, k, v)
    uow.session.flush()
    uow.audit("project.update", "project", code, {"before": before, "after": real})
    return view(p)


def list_projects(uow: UnitOfWork, year: int | None = None, status: str | None = None,
                  department_id: int | None = None, search: str | None = None,
                  category: str | None = None) -> list[ProjectView]:
    require(uow.actor, "project.read")
    stmt = select(Project).join(Project.department).order_by(Project.year.desc(), Project.code)
    if year is not None:
        year = check_year(year)
        stmt = stmt.where(Project.year == year)
    if status:
        if status not in STATUS_LABELS:
            raise InputError(f"未知的状态：{status}（可用：{'、'.join(STATUS_LABELS)}）")
        stmt = stmt.where(Project.status == status)
    if category:
        stmt = stmt.where(Project.category == category)
    if department_id is not None:
        stmt = stmt.where(Project.department_id == department_id)
    if not can(uow.actor, "project.read_all"):
        stmt = stmt.where(Project.department_id == uow.actor.department_id)
    if search:
        like = f"%{search.strip()}%"
        stmt = stmt.where(or_(Project.name.like(like), Project.code.like(like), Department.name.like(like)))

    return mask_projects(uow.actor, (view(p) for p in uow.session.scalars(stmt).unique()))


def count_by_status(uow: UnitOfWork) -> dict[str, int]:
    stmt = select(Project.status, func.count()).group_by(Project.status)
    if not can(uow.actor, "project.read_all"):
        stmt = stmt.where(Project.department_id == uow.actor.department_id)
    return {s: n for s, n in uow.session.execute(stmt)}


# ---------------------------------------------------------------- materials and estimate


@dataclass(frozen=True)
class MaterialView:
    kind: str
    label: str
    title: str | None
    received_on: dt.date | None
    attachment_id: int | None


def record_material(uow: UnitOfWork, code: str, kind: str, title: str | None = None,
                    received_on: dt.date | None = None, attachment_id: int | None = None) -> MaterialView:
    """Record one of the four application materials (第八条) as received."""
    if kind not in MATERIAL_LABELS:
        raise InputError(f"申请材料类型应为：{'、'.join(f'{k}（{v}）' for k, v in MATERIAL_LABELS.items())}")
    p = load_project(uow, code, "project.register")
    m = uow.session.scalar(select(Material).where(Material.project_id == p.id, Material.kind == kind))
    if m is None:
        m = Material(project_id=p.id, kind=kind)
        uow.session.add(m)
    m.title = title or MATERIAL_LABELS[kind]
    m.received_on = received_on or dt.date.today()
    if attachment_id is not None:
        m.attachment_id = attachment_id
    uow.session.flush()
    uow.audit("material.record", "project", code, {"after": {"kind": kind, "title": m.title,
                                                            "received_on": m.received_on}})
    return MaterialView(kind, MATERIAL_LABELS[kind], m.title, m.received_on, m.attachment_id)


def list_materials(uow: UnitOfWork, code: str) -> list[MaterialView]:
    p = load_project(uow, code)
    have = {m.kind: m for m in p.materials}
    return [MaterialView(k, label, have[k].title if k in have else None,
                         have[k].received_on if k in have else None,
                         have[k].attachment_id if k in have else None) for k, label in MATERIAL_LABELS.items()]


@dataclass(frozen=True)
class EstimateLine:
    section: str
    name: str
    quantity: Decimal
    unit_price_fen: int
    amount_fen: int
    domestic: bool
    unit: str | None = None
    spec: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class EstimateSummary:
    lines: tuple[EstimateLine, ...]
    total_fen: int
    domestic_fen: int

    @property
    def domestic_percent(self) -> Decimal:
        if not self.total_fen:
            return Decimal("0.00")
        return (Decimal(self.domestic_fen) * 100 / Decimal(self.total_fen)).quantize(Decimal("0.01"))


def replace_estimate(uow: UnitOfWork, code: str, lines: list[EstimateLine]) -> EstimateSummary:
    """Replace the project's investment estimate line items (投资概算)."""
    p = load_project(uow, code, "project.register")
    before = estimate_of(p)
    for item in list(p.estimate_items):
        uow.session.delete(item)
    uow.session.flush()
    for seq, line in enumerate(lines, 1):
        if line.amount_fen < 0 or line.unit_price_fen < 0 or line.quantity < 0:
            raise InputError(f"概算第{seq}项“{line.name}”的数量、单价、金额不能为负数")
        uow.session.add(EstimateItem(project_id=p.id, seq=seq, section=line.section, name=line.name, spec=line.spec,
                                     unit=line.unit, quantity=line.quantity, unit_price_fen=line.unit_price_fen,
                                     amount_fen=line.amount_fen, domestic=line.domestic, note=line.note))
    uow.session.flush()
    uow.session.refresh(p)
    after = estimate_of(p)
    uow.audit("estimate.replace", "project", code, {
        "before": {"lines": len(before.lines), "total_fen": before.total_fen, "domestic_fen": before.domestic_fen},
        "after": {"lines": len(after.lines), "total_fen": after.total_fen, "domestic_fen": after.domestic_fen}})
    return after


def estimate_of(p: Project) -> EstimateSummary:
    lines = tuple(EstimateLine(i.section, i.name, Decimal(i.quantity), i.unit_price_fen, i.amount_fen, i.domestic,
                               i.unit, i.spec, i.note) for i in p.estimate_items)
    return EstimateSummary(lines, sum(x.amount_fen for x in lines), sum(x.amount_fen for x in lines if x.domestic))


def get_estimate(uow: UnitOfWork, code: str) -> EstimateSummary:
    return estimate_of(load_project(uow, code))


# ---------------------------------------------------------------- history


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime  # UTC, as stored
    user: str  # the login name
    role: str | None
    action: str
    outcome: str
    detail: dict = field(default_factory=dict)
    user_name: str = ""  # the person's name (姓名), for people to read


def project_history(uow: UnitOfWork, code: str) -> list[HistoryEntry]:
    load_project(uow, code)
    imported = (AuditRecord.action == "project.import") & AuditRecord.detail.like(f'%"{code}"%')
    rows = list(uow.session.scalars(select(AuditRecord).where(
        ((AuditRecord.object_type == "project") & (AuditRecord.object_id == code)) | imported)
        .order_by(AuditRecord.id)))
    names = names_of(uow, {r.user for r in rows})
    return [HistoryEntry(r.at, r.user, r.role, r.action, r.outcome, json.loads(r.detail) if r.detail else {},
                         names.get(r.user, r.user)) for r in rows]


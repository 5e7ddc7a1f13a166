"""Settings, departments (with aliases), contractors and the holiday calendar overrides."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from app.domain import creditcode
from app.domain.inputs import MAX_ID, clean_text, optional_text
from app.domain.names import name_variants, normalize_name
from app.domain.vocabulary import DEFAULT_SETTINGS
from app.errors import InputError, NotFoundError
from app.models import Contractor, Department, DepartmentAlias, Setting
from app.services.permissions import require
from app.services.privacy import mask_contractor, mask_department
from app.storage.database import UnitOfWork

# ---------------------------------------------------------------- settings


def get_settings(uow: UnitOfWork) -> dict[str, str]:
    values = dict(DEFAULT_SETTINGS)
    values.update({s.key: s.value for s in uow.session.scalars(select(Setting))})
    return values


def get_setting(uow: UnitOfWork, key: str) -> str:
    row = uow.session.get(Setting, key)
    if row is not None:
        return row.value
    if key in DEFAULT_SETTINGS:
        return DEFAULT_SETTINGS[key]
    raise NotFoundError(f"没有这项设置：{key}")


def set_setting(uow: UnitOfWork, key: str, value: str) -> None:
    require(uow.actor, "settings.edit")
    row = uow.session.get(Setting, key)
    before = row.value if row else DEFAULT_SETTINGS.get(key)
    if row is None:
        uow.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    uow.audit("settings.change", "setting", key, {"before": before, "after": value})


@dataclass(frozen=True)
class CountySettings:
    county: str
    government: str
    bureau: str
    bureau_short: str
    finance_bureau: str
    doc_prefix: str
    approval_thresholds_fen: tuple[int, ...]
    contract_filing_workdays: int


def county_settings(uow: UnitOfWork) -> CountySettings:
    s = get_settings(uow)
    return CountySettings(
        county=s["county"],
        government=s["government"],
        bureau=s["bureau"],
        bureau_short=s["bureau_short"],
        finance_bureau=s["finance_bureau"],
        doc_prefix=s["doc_prefix"],
        approval_thresholds_fen=tuple(int(v) * 100 for v in json.loads(s["approval_thresholds_yuan"])),
        contract_filing_workdays=int(s["contract_filing_workdays"]),
    )


def init_settings(uow: UnitOfWork, county: str | None = None) -> None:
    """Write the defaults (and a county name, which also renames the county's bodies)."""
    existing = {s.key for s in uow.session.scalars(select(Setting))}
    values = dict(DEFAULT_SETTINGS)
    if county:
        old = DEFAULT_SETTINGS["county"]
        values = {k: v.replace(old, county) if k in ("county", "government", "bureau", "finance_bureau") else v
                  for k, v in values.items()}
        values["county"] = county
    for key, value in values.items():
        if key not in existing or (county and key in ("county", "government", "bureau", "finance_bureau")):
            row = uow.session.get(Setting, key)
            if row is None:
                uow.session.add(Setting(key=key, value=value))
            else:
                row.value = value
    uow.audit("settings.init", "setting", None, {"county": values["county"]})


# ---------------------------------------------------------------- departments

@dataclass(frozen=True)
class DepartmentView:
    id: int
    name: str
    kind: str
    contact: str | None
    phone: str | None
    aliases: tuple[str, ...]
    active: bool


def _dept_view(d: Department) -> DepartmentView:
    return DepartmentView(d.id, d.name, d.kind, d.contact, d.phone, tuple(a.alias for a in d.aliases), d.active)


def list_departments(uow: UnitOfWork) -> list[DepartmentView]:

    rows = uow.session.scalars(select(Department).order_by(Department.id)).unique()
    return [mask_department(uow.actor, _dept_view(d)) for d in rows]


def add_department(uow: UnitOfWork, name: str, kind: str = "县直部门", aliases: list[str] | tuple[str, ...] = (),
                   contact: str | None = None, phone: str | None = None) -> DepartmentView:
    require(uow.actor, "master.edit")
    clean = normalize_name(clean_text(name, "单位名称", 100, required=True))
    contact, phone = optional_text(contact, "联系人", 50), optional_text(phone, "联系电话", 30)
    if not clean:
        raise InputError("单位名称不能为空")
    if find_department(uow, clean) is not None:
        raise InputError(f"单位已存在：{clean}")
    dept = Department(name=clean, kind=kind, contact=contact, phone=phone)
    uow.session.add(dept)
    uow.session.flush()
    for alias in aliases:
        add_alias(uow, dept.id, alias, _audit=False)
    uow.audit("department.add", "department", dept.id, {"after": {"name": clean, "kind": kind,
                                                                   "aliases": list(aliases)}})
    uow.session.flush()
    uow.session.refresh(dept)
    return _dept_view(dept)


def add_alias(uow: UnitOfWork, department_id: int, alias: str, _audit: bool = True) -> None:
    require(uow.actor, "master.edit")
    clean = normalize_name(clean_text(alias, "单位别名", 100, required=True))
    other = find_department(uow, clean)
    if other is not None and other.id != department_id:
        raise InputError(f"别名“{clean}”已被单位“{other.name}”使用")
    if other is None:
        uow.session.add(DepartmentAlias(department_id=department_id, alias=clean))
        uow.session.flush()
    if _audit:
        uow.audit("department.alias", "department", department_id, {"after": {"alias": clean}})


def _department_keys(uow: UnitOfWork) -> dict[str, int]:
    county = get_setting(uow, "county")
    keys: dict[str, int] = {}
    for dept_id, name in uow.session.execute(select(Department.id, Department.name)):
        for variant in name_variants(normalize_name(name), county):
            keys.setdefault(variant, dept_id)
    for dept_id, alias in uow.session.execute(select(DepartmentAlias.department_id, DepartmentAlias.alias)):
        for variant in name_variants(normalize_name(alias), county):
            keys.setdefault(variant, dept_id)
    return keys


def find_department(uow: UnitOfWork, name: str) -> DepartmentView | None:
    """Match a department by name after normalisation, with or without the county's name, or by alias."""
    keys = _department_keys(uow)
    county = get_setting(uow, "county")
    for variant in name_variants(normalize_name(name), county):
        if variant in keys:
            dept = uow.session.get(Department, keys[variant])
            return _dept_view(dept) if dept else None
    return None


def department_matcher(uow: UnitOfWork):  # noqa: ANN201 - returns a callable
    """A fast matcher for bulk imports: name → DepartmentView | None, one query for all names."""
    keys = _department_keys(uow)
    county = get_setting(uow, "county")
    views = {d.id: d for d in list_departments(uow)}

    def match(name: str) -> DepartmentView | None:
        for variant in name_variants(normalize_name(name), county):
            if variant in keys:
                return views.get(keys[variant])
        return None

    return match


def get_department(uow: UnitOfWork, name_or_id: str | int) -> DepartmentView:
    if isinstance(name_or_id, int) or (str(name_or_id).isascii() and str(name_or_id).isdigit()):
        dept = uow.session.get(Department, int(name_or_id)) if 0 < int(name_or_id) <= MAX_ID else None
        if dept:
            return _dept_view(dept)
    found = find_department(uow, str(name_or_id))
    if found is None:
        raise NotFoundError(f"没有找到实施单位：{name_or_id}（可在“基础数据—单位”中添加，或为其设置别名）")
    return found


# ---------------------------------------------------------------- contractors


@dataclass(frozen=True)
class ContractorView:
    id: int
    name: str
    credit_code: str
    county_owned: bool
    contact: str | None
    phone: str | None


def _contractor_view(c: Contractor) -> ContractorView:
    return ContractorView(c.id, c.name, c.credit_code, c.county_owned, c.contact, c.phone)


def add_contractor(uow: UnitOfWork, name: str, credit_code: str, county_owned: bool = False,
                   contact: str | None = None, phone: str | None = None) -> ContractorView:
    require(uow.actor, "master.edit")
    code = creditcode.validate(credit_code)
    clean = normalize_name(clean_text(name, "建设单位名称", 150, required=True))
    contact, phone = optional_text(contact, "联系人", 50), optional_text(phone, "联系电话", 30)
    if not clean:
        raise InputError("建设单位名称不能为空")
    if uow.session.scalar(select(Contractor).where(Contractor.credit_code == code)):
        raise InputError(f"统一社会信用代码已登记：{code}")
    c = Contractor(name=clean, credit_code=code, county_owned=county_owned, contact=contact, phone=phone)
    uow.session.add(c)
    uow.session.flush()
    uow.audit("contractor.add", "contractor", c.id, {"after": {"name": clean, "credit_code": code,
                                                               "county_owned": county_owned}})
    return _contractor_view(c)


def list_contractors(uow: UnitOfWork) -> list[ContractorView]:

    return [mask_contractor(uow.actor, _contractor_view(c))
            for c in uow.session.scalars(select(Contractor).order_by(Contractor.id))]


def find_contractor(uow: UnitOfWork, name_or_code: str) -> Contractor | None:
    key = str(name_or_code).strip()
    if creditcode.is_valid(key):
        found = uow.session.scalar(select(Contractor).where(Contractor.credit_code == creditcode.normalize(key)))
        if found:
            return found
    return uow.session.scalar(select(Contractor).where(Contractor.name == normalize_name(key)))

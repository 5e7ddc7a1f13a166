"""Personal data of contacts (phone numbers, ID numbers) masked in lists and exports unless the role may see it.

Who sees it in full: the reviewer (all departments) and a department's own clerk (its own department's projects
and contacts), through the permission "personal.read"; leader, finance and the three administrators see e.g.
139****1234. The services that build lists apply `mask_projects` / `mask_department` / `mask_contractor` with the
actor of the unit of work, so the window, the command line and the Excel exports show the same thing.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any, TypeVar

from app.domain.actor import Actor
from app.services.permissions import can

PERSONAL_READ = "personal.read"
MASK = "****"

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_DIGIT = re.compile(r"\d")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")

T = TypeVar("T", bound=Any)


def visible(actor: Actor, department_id: int | None = None) -> bool:
    """May this actor see the personal data of that department's contacts (None: contacts of no department)?"""
    return can(actor, PERSONAL_READ, department_id)


def mask_phone(value: str | None) -> str | None:
    """'13935601234' → '139****1234'; '0356-7021234' → '035****1234'; short or odd values → '****'."""
    if not value:
        return value
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return MASK
    return digits[:3] + MASK + digits[-4:]


def mask_id(value: str | None) -> str | None:
    """An ID number keeps its first 6 and last 4 characters: '140521********1234'."""
    if not value:
        return value
    text = value.strip()
    if len(text) <= 10:
        return MASK
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_text(text: str | None) -> str | None:
    """Mask ID numbers and phone numbers written inside free text (a contact field like '张三 13935601234')."""
    if not text or not _DIGIT.search(text):
        return text
    text = _ID.sub(lambda m: mask_id(m.group(1)) or MASK, text)
    return _PHONE.sub(lambda m: mask_phone(m.group(1)) or MASK, text)


def _masked(obj: T, department_id: int | None, actor: Actor, phone: str, text: tuple[str, ...] = (),
            seen: dict[int | None, bool] | None = None) -> T:
    if seen is None:
        seen = {}
    if department_id not in seen:
        seen[department_id] = visible(actor, department_id)
    if seen[department_id]:
        return obj
    changes: dict[str, Any] = {phone: mask_phone(getattr(obj, phone))}
    changes |= {name: mask_text(getattr(obj, name)) for name in text}
    changes = {k: v for k, v in changes.items() if v != getattr(obj, k)}
    if not changes:
        return obj
    new = copy.copy(obj)  # a frozen view; copy and set is ten times faster than dataclasses.replace
    for name, value in changes.items():
        object.__setattr__(new, name, value)
    return new


def mask_project(actor: Actor, v: T, seen: dict[int | None, bool] | None = None) -> T:
    """A ProjectView with the responsible person's phone masked unless the actor may see it."""
    return _masked(v, v.department_id, actor, "responsible_phone", ("responsible_person",), seen)


def mask_projects(actor: Actor, views: Iterable[T]) -> list[T]:
    if can(actor, PERSONAL_READ) and can(actor, "project.read_all"):  # sees every department's: nothing to do
        return list(views)
    seen: dict[int | None, bool] = {}  # visibility per department, asked once
    return [mask_project(actor, v, seen) for v in views]


def mask_department(actor: Actor, v: T) -> T:
    return _masked(v, v.id, actor, "phone", ("contact",))


def mask_contractor(actor: Actor, v: T) -> T:
    return _masked(v, None, actor, "phone", ("contact",))


_PHONE_WORD = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?![0-9A-Za-z])")


def mask_record_text(text: str | None) -> str | None:
    """Phone and ID numbers inside an audit record's detail (before/after values), masked as in every list; a
    digest or code that merely contains such digits (hex, QS-2027-…) is left as it is."""
    if not text or not _DIGIT.search(text):
        return text
    text = _ID.sub(lambda m: mask_id(m.group(1)) or MASK, text)
    return _PHONE_WORD.sub(lambda m: mask_phone(m.group(1)) or MASK, text)

"""第十一条: objections raised during the publicity of the fund allocation plan, and their handling.

`pending_objection_refusal` is the guard the contract signing calls: no contract while an objection to the
project's publicity waits for its handling."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.inputs import check_date, check_id, clean_text, optional_text
from app.domain.vocabulary import OBJECTION_OUTCOMES
from app.errors import InputError, NotFoundError, RuleViolation
from app.models import Project, Publicity, PublicityItem, PublicityObjection
from app.services.permissions import can, require
from app.services.privacy import mask_phone, visible
from app.storage.database import UnitOfWork

_PHONE = re.compile(r"[0-9+\- ()（）转]{3,30}")


@dataclass(frozen=True)
class ObjectionView:
    id: int
    publicity_id: int
    notice: str  # the notice's 文号 (or title)
    code: str | None
    project: str | None
    received_on: dt.date
    objector: str
    phone: str | None  # masked unless the actor may read personal data
    content: str
    handled_on: dt.date | None
    handling: str | None
    outcome: str | None
    outcome_label: str
    handled_by: str | None
    state: str  # 待处理 / 已处理


def _view(uow: UnitOfWork, o: PublicityObjection, pub: Publicity, p: Project | None) -> ObjectionView:
    phone = o.phone if visible(uow.actor, p.department_id if p else None) or can(uow.actor, "objection") \
        else mask_phone(o.phone)
    return ObjectionView(o.id, pub.id, pub.doc_no or pub.title, p.code if p else None, p.name if p else None,
                         o.received_on, o.objector, phone, o.content, o.handled_on, o.handling, o.outcome,
                         OBJECTION_OUTCOMES.get(o.outcome or "", "—"), o.handled_by,
                         "已处理" if o.handled_on else "待处理")


def _notice_of(uow: UnitOfWork, publicity: object, p: Project | None) -> Publicity:
    if publicity not in (None, ""):
        pub = uow.session.get(Publicity, check_id(publicity, "公示编号"))
        if pub is None:
            raise NotFoundError(f"没有这次公示：{publicity}")
        if p is not None and not uow.session.scalar(select(PublicityItem.id).where(
                PublicityItem.publicity_id == pub.id, PublicityItem.project_id == p.id)):
            raise InputError(f"项目 {p.code} 不在公示“{pub.doc_no or pub.title}”中")
        return pub
    if p is None:
        raise InputError("请指明异议针对的公示（公示编号）或项目（项目编号）")
    pub = uow.session.scalar(select(Publicity).join(PublicityItem, PublicityItem.publicity_id == Publicity.id)
                             .where(PublicityItem.project_id == p.id).order_by(Publicity.start_on.desc()).limit(1))
    if pub is None:
        raise InputError(f"项目 {p.code} 尚未公示资金拟分配计划")
    return pub


def record_objection(uow: UnitOfWork, *, received_on: object, objector: str, content: str,
                     publicity: object = None, project: str | None = None, phone: str | None = None) -> ObjectionView:
    """An objection received during the publicity period (第十一条). Before the notice started, or after its
    period ended, it is not an objection to this publicity."""
    require(uow.actor, "objection", action="objection.add", object_id=project or publicity)
    p = None
    if project not in (None, ""):
        p = uow.session.scalar(select(Project).where(Project.code == str(project).strip()))
        if p is None:
            raise NotFoundError(f"没有找到项目：{project}")
    pub = _notice_of(uow, publicity, p)
    day = check_date(received_on, "收到日期", not_after=dt.date.today())
    if day < pub.start_on:
        raise InputError(f"收到日期{day}早于公示开始日期{pub.start_on}")
    if day > pub.end_on:
        raise RuleViolation("第十一条", f"公示期已于{pub.end_on}结束，{day}收到的意见不属于本次公示的异议"
                                      "（可作为来信另行办理）")
    who = clean_text(objector, "异议人", 100, required=True)
    tel = optional_text(phone, "联系电话", 30)
    if tel and not _PHONE.fullmatch(tel):
        raise InputError(f"联系电话只能含数字和 - + ( ) 空格：{tel}")
    text = clean_text(content, "异议内容", 10_000, required=True, multiline=True)
    o = PublicityObjection(publicity_id=pub.id, project_id=p.id if p else None, received_on=day, objector=who,
                           phone=tel, content=text)
    uow.session.add(o)
    uow.session.flush()
    uow.audit("objection.add", "publicity_objection", o.id, {"after": {
        "publicity": pub.doc_no or pub.title, "project": p.code if p else None, "received_on": day, "objector": who}})
    return _view(uow, o, pub, p)


def handle_objection(uow: UnitOfWork, *, id: object, handled_on: object, handling: str,  # noqa: A002
                     outcome: str) -> ObjectionView:
    """How the bureau handled an objection; handling again corrects it (the audit trail keeps the earlier one)."""
    oid = check_id(id, "异议编号")
    require(uow.actor, "objection", action="objection.handle", object_id=oid)
    o = uow.session.get(PublicityObjection, oid)
    if o is None:
        raise NotFoundError(f"没有这条异议：{oid}")
    day = check_date(handled_on, "处理日期", not_after=dt.date.today())
    if day < o.received_on:
        raise InputError(f"处理日期{day}不能早于收到日期{o.received_on}")
    if outcome not in OBJECTION_OUTCOMES:
        raise InputError(f"处理结果应为：{'、'.join(OBJECTION_OUTCOMES.values())}")
    before = {"handled_on": o.handled_on, "handling": o.handling, "outcome": o.outcome}
    o.handled_on, o.outcome = day, outcome
    o.handling = clean_text(handling, "处理情况", 10_000, required=True, multiline=True)
    o.handled_by = uow.actor.display_name or uow.actor.username
    uow.session.flush()
    uow.audit("objection.handle", "publicity_objection", o.id, {"before": before, "after": {
        "handled_on": day, "handling": o.handling, "outcome": outcome}})
    pub = uow.session.get(Publicity, o.publicity_id)
    assert pub is not None
    return _view(uow, o, pub, uow.session.get(Project, o.project_id) if o.project_id else None)


def list_objections(uow: UnitOfWork, publicity_id: int | None = None) -> list[ObjectionView]:
    require(uow.actor, "project.read", action="objection.list")
    stmt = (select(PublicityObjection, Publicity, Project).join(Publicity, PublicityObjection.publicity_id == Publicity.id)
            .outerjoin(Project, PublicityObjection.project_id == Project.id)
            .order_by(PublicityObjection.handled_on.is_not(None), PublicityObjection.received_on.desc(),
                      PublicityObjection.id.desc()))
    if publicity_id is not None:
        stmt = stmt.where(PublicityObjection.publicity_id == publicity_id)
    if not can(uow.actor, "project.read_all"):
        stmt = stmt.where(Project.department_id == uow.actor.department_id)
    return [_view(uow, o, pub, p) for o, pub, p in uow.session.execute(stmt).unique()]


def pending_objection_refusal(uow: UnitOfWork, project_id: int) -> RuleViolation | None:
    """第十一条: while an objection to the project's publicity (naming the project, or the whole notice) waits for
    its handling, the allocation is not settled and no contract is signed."""
    notices = select(PublicityItem.publicity_id).where(PublicityItem.project_id == project_id)
    row = uow.session.scalar(select(PublicityObjection).where(
        PublicityObjection.handled_on.is_(None), PublicityObjection.publicity_id.in_(notices),
        (PublicityObjection.project_id == project_id) | PublicityObjection.project_id.is_(None))
        .order_by(PublicityObjection.received_on).limit(1))
    if row is None:
        return None
    return RuleViolation("第十一条", f"公示期间收到的异议（{row.received_on}，{row.objector}）尚未处理，"
                                   "处理完毕前不能签订合同")

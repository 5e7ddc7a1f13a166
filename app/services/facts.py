"""The facts a project has gathered, read for the rules that judge a new record against them: the day it was
approved, the day its publicity ended, the day its first contract was signed, and so on.

Each fact is a function (uow, project) -> date | None; FACTS names them with their Chinese label, so a rule can be
written as data ("the contract's signing day is not before the approval day") in services/lifecycle.DATE_RULES.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from app.models import (
    Acceptance,
    Approval,
    AutonomyCheck,
    Budget,
    CatalogueItem,
    ChangeRequest,
    Contract,
    Material,
    OmRequest,
    Project,
    Publicity,
    PublicityItem,
    Rectification,
    TechnicalReview,
)
from app.storage.database import UnitOfWork

Fact = Callable[[UnitOfWork, Project], dt.date | None]


def _first(uow: UnitOfWork, column: Any, *where: Any) -> dt.date | None:
    return uow.session.scalar(select(func.min(column)).where(*where))


def _last(uow: UnitOfWork, column: Any, *where: Any) -> dt.date | None:
    return uow.session.scalar(select(func.max(column)).where(*where))


def materials_received(uow: UnitOfWork, p: Project) -> dt.date | None:
    """The day the last of the four materials arrived (the application is complete from then)."""
    return _last(uow, Material.received_on, Material.project_id == p.id)


def review_started(uow: UnitOfWork, p: Project) -> dt.date | None:
    return _last(uow, TechnicalReview.started_on, TechnicalReview.project_id == p.id)


def review_opinion(uow: UnitOfWork, p: Project) -> dt.date | None:
    return _last(uow, TechnicalReview.opinion_on, TechnicalReview.project_id == p.id,
                 TechnicalReview.conclusion.is_not(None))


def approved(uow: UnitOfWork, p: Project) -> dt.date | None:
    return _last(uow, Approval.decided_on, Approval.project_id == p.id, Approval.decision == "approved")


def budget_set(uow: UnitOfWork, p: Project) -> dt.date | None:
    """The day the first construction budget was set (第十一条: publicity follows it)."""
    return _first(uow, Budget.set_on, Budget.project_id == p.id, Budget.kind == "construction")


def publicity_end(uow: UnitOfWork, p: Project) -> dt.date | None:
    """The last day of the project's (latest) publicity of the fund allocation plan (第十一条)."""
    return uow.session.scalar(select(func.max(Publicity.end_on)).join(PublicityItem, PublicityItem.publicity_id ==
                                                                      Publicity.id)
                              .where(PublicityItem.project_id == p.id))


def publicity_start(uow: UnitOfWork, p: Project) -> dt.date | None:
    return uow.session.scalar(select(func.max(Publicity.start_on)).join(PublicityItem, PublicityItem.publicity_id ==
                                                                        Publicity.id)
                              .where(PublicityItem.project_id == p.id))


def first_contract_signed(uow: UnitOfWork, p: Project) -> dt.date | None:
    return _first(uow, Contract.signed_on, Contract.project_id == p.id, Contract.kind == "construction")


def preliminary_accepted(uow: UnitOfWork, p: Project) -> dt.date | None:
    return _last(uow, Acceptance.accepted_on, Acceptance.project_id == p.id, Acceptance.stage == "preliminary",
                 Acceptance.passed.is_(True))


def joint_accepted(uow: UnitOfWork, p: Project) -> dt.date | None:
    return _last(uow, Acceptance.accepted_on, Acceptance.project_id == p.id, Acceptance.stage == "joint",
                 Acceptance.passed.is_(True))


def catalogue_registered(uow: UnitOfWork, p: Project) -> dt.date | None:
    """The day the last of the project's catalogue items was registered on the sharing platform (第十九条)."""
    return _last(uow, CatalogueItem.registered_on, CatalogueItem.project_id == p.id,
                 CatalogueItem.registered.is_(True))


def data_landed(uow: UnitOfWork, p: Project) -> dt.date | None:
    return p.data_landed_on if p.data_landed else None


def autonomy_checked(uow: UnitOfWork, p: Project) -> dt.date | None:
    """The day of the latest 自主可控 check (第二十条: the one acceptance is judged on)."""
    return uow.session.scalar(select(AutonomyCheck.checked_on).where(AutonomyCheck.project_id == p.id)
                              .order_by(AutonomyCheck.id.desc()).limit(1))


def rectification_issued(uow: UnitOfWork, p: Project) -> dt.date | None:
    """The notice day of the open rectification order."""
    return _last(uow, Rectification.issued_on, Rectification.project_id == p.id,
                 Rectification.status.in_(("open", "overdue")))


def change_requested(uow: UnitOfWork, p: Project) -> dt.date | None:
    return _last(uow, ChangeRequest.requested_on, ChangeRequest.project_id == p.id,
                 ChangeRequest.status == "pending")


def om_requested(uow: UnitOfWork, p: Project) -> dt.date | None:
    return _first(uow, OmRequest.requested_on, OmRequest.project_id == p.id, OmRequest.status == "pending")


def om_decided(uow: UnitOfWork, p: Project) -> dt.date | None:
    return _first(uow, OmRequest.decided_on, OmRequest.project_id == p.id, OmRequest.status == "approved")


FACTS: dict[str, tuple[str, Fact]] = {
    "materials_received": ("申请材料收齐日期", materials_received),
    "review_started": ("技术审核开始日期", review_started),
    "review_opinion": ("技术审核意见日期", review_opinion),
    "approved": ("立项批复日期", approved),
    "budget_set": ("预算确定日期", budget_set),
    "publicity_start": ("公示开始日期", publicity_start),
    "publicity_end": ("公示结束日期", publicity_end),
    "first_contract_signed": ("建设合同签订日期", first_contract_signed),
    "preliminary_accepted": ("初步验收日期", preliminary_accepted),
    "joint_accepted": ("联合验收日期", joint_accepted),
    "catalogue_registered": ("信息资源目录注册日期", catalogue_registered),
    "data_landed": ("数据落盘日期", data_landed),
    "autonomy_checked": ("安全自主可控检查日期", autonomy_checked),
    "rectification_issued": ("整改通知日期", rectification_issued),
    "change_requested": ("调整申请日期", change_requested),
    "om_requested": ("运维经费申请日期", om_requested),
    "om_decided": ("运维经费审核日期", om_decided),
}

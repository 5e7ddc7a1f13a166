"""第二十八条: 等级保护测评 and 商用密码应用安全性评估 with their validity; a failed result has a consequence."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.domain.vocabulary import SECURITY_KINDS
from app.errors import RuleViolation
from app.models import SecurityAssessment
from app.storage.database import UnitOfWork

CONSEQUENTIAL_KINDS = ("mlps", "crypto")  # 等级保护和国家密码管理要求


def assessment_refusal(uow: UnitOfWork, project_id: int, on: dt.date | None = None) -> RuleViolation | None:
    """Joint acceptance on `on` is refused while the newest 等保 or 密评 of the project up to that day failed, or had
    expired by then (第二十八条: 严格落实等级保护和国家密码管理要求)."""
    failed, expired = [], []
    for kind in CONSEQUENTIAL_KINDS:
        stmt = select(SecurityAssessment).where(SecurityAssessment.project_id == project_id,
                                                SecurityAssessment.kind == kind)
        if on is not None:
            stmt = stmt.where(SecurityAssessment.assessed_on <= on)
        newest = uow.session.scalar(stmt.order_by(SecurityAssessment.assessed_on.desc(), SecurityAssessment.id.desc())
                                    .limit(1))
        if newest is None:
            continue
        if not newest.passed:
            failed.append(f"{SECURITY_KINDS[kind]}（{newest.assessed_on}）")
        elif on is not None and newest.valid_until is not None and newest.valid_until < on:
            expired.append(f"{SECURITY_KINDS[kind]}（有效期至{newest.valid_until}）")
    if failed:
        return RuleViolation("第二十八条", f"{'、'.join(failed)}未通过，整改并重新测评通过前不能通过联合验收")
    if expired:
        return RuleViolation("第二十八条", f"{'、'.join(expired)}已过有效期，重新测评通过前不能通过联合验收")
    return None


def default_validity(kind: str, level: int | None, assessed_on: dt.date) -> dt.date | None:
    """第三级及以上等级保护每年测评一次，第二级每两年；密评每年一次；风险评估每年一次; a first-level system is
    self-assessed (no date)."""
    years = {"crypto": 1, "risk": 1}.get(kind)
    if kind == "mlps":
        years = 1 if (level or 0) >= 3 else 2 if level == 2 else None
    if years is None:
        return None
    try:
        return assessed_on.replace(year=assessed_on.year + years)
    except ValueError:  # 29 February
        return assessed_on.replace(year=assessed_on.year + years, day=28)

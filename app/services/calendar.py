"""Working-day deadlines with the office's own overrides first (第十五条 contract filing)."""

from __future__ import annotations

import datetime as dt

from app.domain.workdays import Deadline, add_workdays, year_is_known
from app.services.master import get_setting, holiday_overrides
from app.storage.database import UnitOfWork


def deadline_after(uow: UnitOfWork, start: dt.date, workdays: int) -> Deadline:
    return add_workdays(start, workdays, holiday_overrides(uow))


def contract_filing_due(uow: UnitOfWork, signed_on: dt.date) -> Deadline:
    return deadline_after(uow, signed_on, int(get_setting(uow, "contract_filing_workdays")))


def missing_holiday_years(uow: UnitOfWork, years: range | list[int]) -> list[int]:
    """Years for which neither the office nor the package knows the holidays (shown as a warning on screen)."""
    overrides = holiday_overrides(uow)
    return [y for y in years if not year_is_known(y, overrides)]

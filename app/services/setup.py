"""Creating a database's first contents: settings and the default indicator system."""

from __future__ import annotations

from app.services.master import init_settings
from app.services.permissions import require
from app.services.plans import init_indicators
from app.storage.database import UnitOfWork


def initialise(uow: UnitOfWork, county: str | None = None) -> None:
    require(uow.actor, "settings.edit")
    init_settings(uow, county)
    init_indicators(uow)

"""People as others read them: an account's name (姓名) instead of its login name, wherever a record names who
acted (a project's history, the audit list). The program's own actors have their Chinese names."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.domain.actor import SETUP_ACTOR, SYSTEM_ACTOR
from app.models import User
from app.storage.database import UnitOfWork

OWN_ACTORS = {a.username: a.display_name or a.username for a in (SETUP_ACTOR, SYSTEM_ACTOR)}


def names_of(uow: UnitOfWork, usernames: Iterable[str]) -> dict[str, str]:
    """{login name: 姓名} for the given accounts; an account without a name keeps its login name."""
    wanted = {u for u in usernames if u}
    names = {u: OWN_ACTORS[u] for u in wanted if u in OWN_ACTORS}
    rest = wanted - set(names)
    if rest:
        for username, display in uow.session.execute(
                select(User.username, User.display_name).where(User.username.in_(sorted(rest)))):
            names[username] = display or username
    return {u: names.get(u, u) for u in wanted}

"""Who acts: the signed-in account, or one of the program's own actors (setup before the first account, the
system for automatic acts such as a deadline that suspends funds)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who acts: the signed-in account (or the setup account before the first account exists)."""

    username: str
    role: str
    department_id: int | None = None
    display_name: str | None = None
    roles: tuple[str, ...] = ()

    @property
    def all_roles(self) -> tuple[str, ...]:
        return self.roles or (self.role,)


SETUP_ACTOR = Actor("setup", "setup", display_name="初始化账户")
SYSTEM_ACTOR = Actor("system", "system", display_name="系统")

"""What every command handler gets: the opened database and the signed-in account, both opened on first use,
and the small helpers every command module shares (JSON output, a secret asked at the terminal)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from app.domain.actor import SETUP_ACTOR, Actor
from app.errors import InputError

if TYPE_CHECKING:
    from app.storage.database import Database


class Context:
    """What a command handler gets: the opened database and the acting account, both opened on first use."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._db: Any = None
        self._actor: Any = None

    @property
    def db(self) -> Any:
        if self._db is None:
            from app.storage.database import (
                open_database,  # SQLAlchemy only when a command opens the database
            )

            self._db = open_database(self.args.db, create=getattr(self.args, "create_db", False))
        return self._db

    @property
    def actor(self) -> Any:
        if self._actor is None:
            self._actor = resolve_actor(self.args, self.db)
        return self._actor

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def ask_secret(prompt: str, env: str | None = None) -> str:
    if env and os.environ.get(env):
        return os.environ[env]
    if not sys.stdin or not sys.stdin.isatty():
        raise InputError(f"需要{prompt.rstrip('：')}：请在终端中运行" + (f"，或设置环境变量 {env}" if env else ""))
    return getpass.getpass(prompt)


# ---------------------------------------------------------------- sign-in

def resolve_actor(args: argparse.Namespace, db: Database) -> Actor:
    """`--user NAME` / GOVDATA_USER with GOVDATA_PASSWORD or a prompt; the setup account until accounts exist."""
    from app.services import auth  # the ORM only when a command signs in

    username = getattr(args, "user", None) or os.environ.get("GOVDATA_USER")
    with db.uow(SETUP_ACTOR, write=False) as uow:
        has_accounts = auth.any_accounts(uow)
    if not has_accounts:
        return SETUP_ACTOR
    if not username:
        raise InputError("请先登录：使用 --user 用户名（或环境变量 GOVDATA_USER），口令取自 GOVDATA_PASSWORD 或提示输入")
    password = ask_secret("口令：", "GOVDATA_PASSWORD")
    result = auth.sign_in(db, username, password)
    if (result.must_change_password or result.password_expired) and not getattr(args, "changes_own_password", False):
        raise InputError(f"{result.message}：govdata --user {username} user passwd")
    return result.actor

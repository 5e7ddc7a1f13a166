"""What every command handler gets: the opened database and the signed-in account, both opened on first use,
and the small helpers every command module shares (JSON output, a secret asked at the terminal).

A command that only reads takes `ctx.reader` (app.storage.reader: sqlite3, read-only, no SQLAlchemy) and falls
back to `ctx.db` when it is None; the sign-in reads through whichever is open. Sign-in: a valid sign-in token
(app.services.signin_token) first, so a person at a terminal types the password, and pays its hashing, once a
sitting; otherwise `--user` / GOVDATA_USER with the password from GOVDATA_PASSWORD or a prompt, which then keeps
a token.
"""

from __future__ import annotations

import argparse
import getpass
import importlib.util
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.domain.actor import SETUP_ACTOR, Actor
from app.domain.demo import DEMO_DB_NAME, DEMO_PASSWORD, DEMO_USER
from app.errors import DatabaseError, InputError
from app.storage.paths import data_dir

if TYPE_CHECKING:
    from app.storage.database import Database
    from app.storage.reader import SqlReader


class Context:
    """What a command handler gets: the opened database and the acting account, both opened on first use."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._db: Any = None
        self._reader: Any = None  # app.storage.reader.Reader; False: looked, it does not apply
        self._writer: Any = None  # app.storage.writer.Writer; False: looked, it does not apply
        self._actor: Any = None

    @property
    def db(self) -> Any:
        if self._db is None:
            from app.storage.database import (
                open_database,  # SQLAlchemy only when a command opens the database
            )

            demo = getattr(self.args, "demo", False)
            target: str | None
            if demo:  # the demonstration's own file (as the window's --demo), made and filled on first use
                target, create = str(data_dir() / DEMO_DB_NAME), True
            else:
                target = database_target(self.args.db or os.environ.get("GOVDATA_DB"))
                create = getattr(self.args, "create_db", False)
            self._db = open_database(target, create=create)
            if demo:
                fill_demo(self._db)
        return self._db

    @property
    def reader(self) -> Any:
        """The database read-only without SQLAlchemy (a local SQLite file at the current schema), or None:
        then read through `db`. Opened on first use, with the same guards as `db` but no instance lock (WAL:
        readers neither block the one writer nor wait for it)."""
        if self._reader is None:
            if self._db is not None:
                self._reader = False
            else:
                from app.storage.reader import open_reader  # sqlite3 only: the read commands' start

                if getattr(self.args, "demo", False):  # the demonstration's file, once it is made (by `db`)
                    demo = data_dir() / DEMO_DB_NAME
                    self._reader = (open_reader(demo) if demo.is_file() else None) or False
                else:
                    target = database_target(self.args.db or os.environ.get("GOVDATA_DB"))
                    self._reader = open_reader(target) or False
        return self._reader or None

    @property
    def writer(self) -> Any:
        """The database opened for this command's own write transactions without SQLAlchemy (app.storage.writer: a
        local SQLite file at the current schema, the instance lock taken), or None: then write through `db`. Opened on
        first use, before anything else is; once open it is the command's reader too (the sign-in reads through it).
        `db` may still be opened beside it (the lock is the process's own)."""
        if self._writer is None:
            if self._db is not None or self._reader or getattr(self.args, "demo", False):
                self._writer = False
            else:
                from app.storage.writer import open_writer  # sqlite3 only: the Excel commands' start

                self._writer = open_writer(database_target(self.args.db or os.environ.get("GOVDATA_DB"))) or False
                if self._writer:
                    self._reader = self._writer
        return self._writer or None

    def opened(self) -> Database:
        return self.db

    @property
    def actor(self) -> Any:
        if self._actor is None:
            self._actor = resolve_actor(self.args, self._db if self._db is not None else self.opened,
                                        None if self._db is not None else self.reader)
        return self._actor

    def close(self) -> None:
        if self._writer:
            self._writer.close()
        if self._reader and self._reader is not self._writer:
            self._reader.close()
        if self._db is not None:
            self._db.dispose()


def fill_demo(db: Database) -> None:
    """An empty demonstration database gets its county, as the window's --demo does."""
    from app.services.demo import build_demo  # only to build it
    from app.services.projects import count_by_status

    with db.uow(SETUP_ACTOR, write=False) as uow:
        empty = not count_by_status(uow)
    if empty:
        build_demo(db, SETUP_ACTOR, password=DEMO_PASSWORD)


# the driver module each PostgreSQL address needs, and the package that brings it
PG_DRIVERS = {"psycopg": ("psycopg", '".[postgres]"（或 "psycopg[binary]"）'),
              "psycopg2": ("psycopg2", '"psycopg2-binary"')}
PG_FORM = "postgresql+psycopg://用户:口令@服务器:5432/数据库"


def database_target(target: str | None) -> str | None:
    """The address to open, or DatabaseError naming what this program cannot use, before anything connects or
    creates a file: a server kind other than SQLite and PostgreSQL, or PostgreSQL without its driver installed.
    A plain postgresql:// address means the driver the [postgres] extra installs (psycopg 3)."""
    if not target or "://" not in target:
        return target
    scheme, rest = target.split("://", 1)
    backend, _, driver = scheme.lower().partition("+")
    if backend == "sqlite":
        return target
    if backend in ("postgresql", "postgres"):
        driver = driver or "psycopg"
        if driver not in PG_DRIVERS:
            raise DatabaseError(f"PostgreSQL 驱动“{driver}”不受支持；请写作 {PG_FORM}")
        module, package = PG_DRIVERS[driver]
        if importlib.util.find_spec(module) is None:
            raise DatabaseError(f"连接 PostgreSQL 需要驱动 {module}，本机尚未安装。请在程序目录中运行 "
                                f"pip install {package}，然后再试。")
        return f"postgresql+{driver}://{rest}"
    raise DatabaseError(f"不支持的数据库类型“{backend}”：本程序只支持本机 SQLite 文件和 PostgreSQL（{PG_FORM}）。")


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def ask_secret(prompt: str, env: str | None = None) -> str:
    if env and os.environ.get(env):
        return os.environ[env]
    if not sys.stdin or not sys.stdin.isatty():
        raise InputError(f"需要{prompt.rstrip('：')}：请在终端中运行" + (f"，或设置环境变量 {env}" if env else ""))
    return getpass.getpass(prompt)


# ---------------------------------------------------------------- sign-in

def resolve_actor(args: argparse.Namespace, db: Database | Callable[[], Database],
                  reader: SqlReader | None = None) -> Actor:
    """The setup account until accounts exist; then a valid sign-in token of this database (of `--user NAME` /
    GOVDATA_USER, or without a name the only one kept); else a real sign-in of `--user` with GOVDATA_PASSWORD
    or a prompt, which keeps a token. `db` is the opened database, or what opens it (only a real sign-in needs it);
    `reader` reads without it. `args.fresh_sign_in` (govdata login) skips the token."""
    from app.services import quickread, signin_token  # SQL text only: no ORM for a signed-in read
    from app.storage.reader import RawReader

    username = getattr(args, "user", None) or os.environ.get("GOVDATA_USER")
    demo = getattr(args, "demo", False)
    if demo and not username:
        username = DEMO_USER  # the demonstration opens as its reviewer, as the window does
    raw = None
    if reader is None:
        db = db() if callable(db) else db
        reader = raw = RawReader(db)
    try:
        if not quickread.any_accounts(reader):
            return SETUP_ACTOR
        resumed = None if getattr(args, "fresh_sign_in", False) else signin_token.resume(reader, username)
    finally:
        if raw is not None:
            raw.close()
    if resumed is not None:
        return resumed.actor
    if not username:
        raise InputError("请先登录：使用 --user 用户名（或环境变量 GOVDATA_USER），口令取自 GOVDATA_PASSWORD 或提示输入"
                         "；登录后一段时间内无需再次输入口令（govdata logout 退出登录）")
    if demo and not os.environ.get("GOVDATA_PASSWORD"):
        password = DEMO_PASSWORD  # printed in the README and on the demo's sign-in dialog: it protects nothing
    else:
        password = ask_secret("口令：", "GOVDATA_PASSWORD")
    from app.services import auth  # the ORM and the password hash: a real sign-in only

    db = db() if callable(db) else db
    # a command that only reads signs in without writing (a busy or read-only database still reads)
    result = auth.sign_in(db, username, password, record=not getattr(args, "read_only", False))
    if result.must_change_password or result.password_expired:
        if not getattr(args, "changes_own_password", False):
            raise InputError(f"{result.message}：govdata --user {username} user passwd")
        return result.actor
    raw = RawReader(db)
    try:
        signin_token.issue(raw, username)
    finally:
        raw.close()
    return result.actor

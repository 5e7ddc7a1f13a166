"""`govdata login` and `govdata logout`: sign in once at a terminal, and sign out (app.services.signin_token).

A command module: each handler imports its services when it runs, so one command loads only what it uses."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from app.cli.context import Context
from app.errors import GovDataError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("login", help="登录（--user 用户名）：此后在空闲锁定时限内的命令无需再次输入口令")
    p.set_defaults(handler=cmd_login, fresh_sign_in=True)
    p = sub.add_parser("logout", help="退出登录：删除本机保存的登录凭据（--all：所有数据库的）")
    p.add_argument("--all", action="store_true", help="删除本用户在本机保存的全部登录凭据")
    p.set_defaults(handler=cmd_logout)


def cmd_login(args: argparse.Namespace, ctx: Context) -> int:
    from app.services import signin_token

    if not (getattr(args, "user", None) or os.environ.get("GOVDATA_USER")):
        from app.errors import InputError

        raise InputError("请用 --user 用户名 指明登录的账户（或设置环境变量 GOVDATA_USER）")
    actor = ctx.actor  # a real sign-in (fresh_sign_in): the password, recorded, and a new token
    if actor.role == "setup":
        print("尚未创建任何账户：命令以初始化账户运行，无需登录。")
        return 0
    reader = ctx.reader
    kept = signin_token.kept(reader.url if reader is not None else ctx.db.url, actor.username)
    who = actor.display_name or actor.username
    if kept:
        print(f"已登录：{who}（{actor.username}）。在系统设置的空闲锁定时限内，后续命令无需再次输入口令；"
              "govdata logout 退出登录。")
    else:
        print(f"已登录：{who}（{actor.username}）；本次未保存登录凭据，后续命令仍需输入口令。")
    return 0


def cmd_logout(args: argparse.Namespace, ctx: Context) -> int:
    """Remove the token(s) first (that is the sign-out), then record it when a valid one was removed."""
    from app.services import signin_token

    username = getattr(args, "user", None) or os.environ.get("GOVDATA_USER")
    sql: Any = ctx.reader
    raw = None
    if sql is None:
        from app.storage.reader import RawReader

        sql = raw = RawReader(ctx.db)
    try:
        resumed = signin_token.resume(sql, username)
        url = sql.url
    finally:
        if raw is not None:
            raw.close()
    removed = signin_token.remove_all() if args.all else signin_token.remove(url, username)
    if resumed is not None:
        try:
            from app.services import auth  # the ORM: the sign-out is written to the audit trail

            auth.sign_out(ctx.db, resumed.actor, "sign_out")
        except GovDataError as exc:
            sys.stderr.write(f"提示：已退出登录，但未能记入审计日志：{exc.message}\n")
    if removed:
        print(f"已退出登录（删除登录凭据 {removed} 份）。")
    else:
        print("本机没有保存的登录凭据。")
    return 0

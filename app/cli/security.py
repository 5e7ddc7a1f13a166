"""Accounts and the audit trail: `user add/list/roles/lock/unlock/passwd/disable/enable`, `verify`,
`audit list/export/archive`, `security status`; the sign-in itself is app.cli.context.

A command module: each handler imports its services when it runs, so one command loads only what it uses
(`govdata --help` loads neither the ORM nor openpyxl nor ReportLab)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from typing import Any

from app.cli.args import int_arg
from app.cli.context import Context, ask_secret, print_json
from app.errors import InputError

NEW_PASSWORD_ENV = "GOVDATA_NEW_PASSWORD"
AUDIT_PASSPHRASE_ENV = "GOVDATA_AUDIT_PASSPHRASE"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("user", help="账户：添加、列出、角色、锁定、解锁、口令")
    us = p.add_subparsers(dest="sub", required=True, metavar="SUBCOMMAND")
    q = us.add_parser("add", help="添加账户（系统管理员；尚无账户时用于创建第一批管理员）")
    q.add_argument("username", help="用户名（字母、数字和 ._-）")
    q.add_argument("--role", action="append", required=True,
                   help="角色（可重复）：reviewer finance clerk leader sysadmin secadmin auditor")
    q.add_argument("--department", help="所属单位（实施单位填报员必填）")
    q.add_argument("--name", help="姓名")
    q.add_argument("--phone", help="联系电话")
    q.set_defaults(handler=cmd_user_add)
    q = us.add_parser("list", help="列出账户")
    q.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    q.set_defaults(handler=cmd_user_list, read_only=True)
    q = us.add_parser("roles", help="设置角色（安全管理员）")
    q.add_argument("username", help="用户名")
    q.add_argument("--role", action="append", required=True,
                   help="新的角色（可重复，取代原有角色）：reviewer finance clerk leader sysadmin secadmin auditor")
    q.set_defaults(handler=cmd_user_roles)
    for name, text, fn in (("lock", "锁定账户（安全管理员）", cmd_user_lock),
                           ("unlock", "解锁账户（安全管理员）", cmd_user_unlock),
                           ("disable", "停用账户（系统管理员）", cmd_user_disable),
                           ("enable", "启用账户（系统管理员）", cmd_user_enable)):
        q = us.add_parser(name, help=text)
        q.add_argument("username", help="用户名")
        q.set_defaults(handler=fn)
    q = us.add_parser("passwd", help=f"修改自己的口令；安全管理员指定他人账户时为重置（新口令取自 {NEW_PASSWORD_ENV} 或提示输入）")
    q.add_argument("username", nargs="?", help="要重置口令的账户（不填则修改自己的口令）")
    q.set_defaults(handler=cmd_user_passwd, changes_own_password=True)

    p = sub.add_parser("verify", help="核验审计记录的完整性（校验链与锚点）；退出码 0 完好，1 发现异常")
    p.add_argument("--archive", help="同时核验一个审计归档文件")
    p.add_argument("--anchor", metavar="锚点文件", help="同时对照审计管理员留存的外部锚点（govdata audit head --out 导出的文件）")
    p.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    p.set_defaults(handler=cmd_verify, read_only=True)  # records itself when it can

    p = sub.add_parser("audit", help="审计记录：查询、导出、归档（审计管理员）")
    aus = p.add_subparsers(dest="sub", required=True, metavar="SUBCOMMAND")
    for name, text, fn in (("list", "查询审计记录", cmd_audit_list), ("export", "导出为 Excel", cmd_audit_export)):
        q = aus.add_parser(name, help=text)
        if name == "export":
            q.add_argument("out", metavar="OUT.xlsx", help="输出的 Excel 文件")
        # --by-user, not --user: `govdata --user auditor audit list --by-user clerk` (--user is the sign-in)
        q.add_argument("--by-user", help="只看该账户的记录")
        q.add_argument("--action", help="只看该操作的记录（操作键，如 project.register）")
        q.add_argument("--object", help="只看该对象的记录（如项目编号）")
        q.add_argument("--outcome", choices=["ok", "refused", "failed"], help="结果：ok 成功，refused 拒绝，failed 失败")
        q.add_argument("--since", type=_date, help="起始日期 YYYY-MM-DD")
        q.add_argument("--until", type=_date, help="截止日期 YYYY-MM-DD（含当天）")
        q.add_argument("--text", help="在修改前后内容中查找")
        q.add_argument("--limit", type=int_arg("条数", 1, 1_000_000), default=100 if name == "list" else None,
                       help="最多几条（查询默认 100）")
        q.add_argument("--json", action="store_true", help="以 JSON 格式输出")
        q.set_defaults(handler=fn, read_only=name == "list")
    q = aus.add_parser("archive", help="把某日期之前的审计记录归档为签名文件（记录仍保留在数据库中）")
    q.add_argument("out", metavar="OUT.json", help="归档文件")
    q.add_argument("--before", type=_date, required=True, help="归档此日期之前的记录 YYYY-MM-DD")
    q.set_defaults(handler=cmd_audit_archive)
    q = aus.add_parser("head", help="显示审计链头（记录数、最后一条编号、摘要、时间），供审计管理员打印或另行保存（外部锚点）")
    q.add_argument("--out", metavar="锚点文件", help="同时保存为外部锚点文件（供 govdata verify --anchor 核对）")
    q.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    q.set_defaults(handler=cmd_audit_head)

    p = sub.add_parser("security", help="日常安全监测（第二十六条）")
    ss = p.add_subparsers(dest="sub", required=True, metavar="SUBCOMMAND")
    q = ss.add_parser("status", help="失败登录、锁定账户、完整性、备份、审计链状态")
    q.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    q.add_argument("--export", metavar="OUT.xlsx", help="同时导出为 Excel（留存当日监测记录）")
    q.set_defaults(handler=cmd_security_status)
    q = ss.add_parser("incidents", help="安全事件登记（第二十九条）")
    q.add_argument("--open", action="store_true", help="只列未办结的事件")
    q.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    q.add_argument("--export", metavar="OUT.xlsx", help="导出为 Excel")
    q.set_defaults(handler=cmd_security_incidents)
    q = ss.add_parser("key", help=f"审计密钥：status 查看，wrap 用管理员口令保护（口令取自 {AUDIT_PASSPHRASE_ENV} 或提示输入），"
                                  "unlock 在本机解锁，new 原密钥丢失时启用新密钥")
    q.add_argument("action", choices=["status", "wrap", "unlock", "new"], metavar="操作",
                   help="status 查看、wrap 用管理员口令保护、unlock 在本机解锁、new 启用新密钥")
    q.set_defaults(handler=cmd_security_key, read_only=True)  # a PC without the key must still sign in to unlock it
    q = ss.add_parser("drills", help="应急演练记录（第二十九条）")
    q.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    q.add_argument("--export", metavar="OUT.xlsx", help="导出为 Excel")
    q.set_defaults(handler=cmd_security_drills)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _new_password() -> str:
    if os.environ.get(NEW_PASSWORD_ENV):
        return os.environ[NEW_PASSWORD_ENV]
    first = ask_secret("新口令：")
    if ask_secret("再次输入新口令：") != first:
        raise InputError("两次输入的口令不一致")
    return first


# ---------------------------------------------------------------- accounts

def _print_user(v: Any) -> None:
    state = "停用" if not v.active else ("锁定" if v.locked else "正常")
    print(f"{v.username}\t{v.display_name or ''}\t{v.role_labels}\t{v.department or ''}\t{state}")


def cmd_user_add(args: argparse.Namespace, ctx: Context) -> int:
    from app.domain.inputs import check_username
    from app.services import auth

    check_username(args.username)  # before asking for a password
    actor = ctx.actor
    password = _new_password()
    with ctx.db.uow(actor) as uow:
        v = auth.add_user(uow, args.username, password, args.role, department=args.department,
                          display_name=args.name, phone=args.phone)
        uow.commit()
    print(f"已添加账户：{v.username}（{v.role_labels}），首次登录须修改口令")
    return 0


def cmd_user_list(args: argparse.Namespace, ctx: Context) -> int:
    from dataclasses import asdict

    from app.services import auth

    with ctx.db.uow(ctx.actor) as uow:
        users = auth.list_users(uow)
    if args.json:
        print_json([asdict(u) for u in users])
    else:
        for u in users:
            _print_user(u)
    return 0


def _one(ctx: Context, fn_name: str, username: str, *extra: Any) -> Any:
    from app.services import auth

    with ctx.db.uow(ctx.actor) as uow:
        v = getattr(auth, fn_name)(uow, username, *extra)
        uow.commit()
    return v


def cmd_user_roles(args: argparse.Namespace, ctx: Context) -> int:
    v = _one(ctx, "set_roles", args.username, args.role)
    print(f"{v.username} 的角色：{v.role_labels}")
    return 0


def cmd_user_lock(args: argparse.Namespace, ctx: Context) -> int:
    _one(ctx, "lock_user", args.username)
    print(f"已锁定账户：{args.username}")
    return 0


def cmd_user_unlock(args: argparse.Namespace, ctx: Context) -> int:
    _one(ctx, "unlock_user", args.username)
    print(f"已解锁账户：{args.username}")
    return 0


def cmd_user_disable(args: argparse.Namespace, ctx: Context) -> int:
    _one(ctx, "set_active", args.username, False)
    print(f"已停用账户：{args.username}")
    return 0


def cmd_user_enable(args: argparse.Namespace, ctx: Context) -> int:
    _one(ctx, "set_active", args.username, True)
    print(f"已启用账户：{args.username}")
    return 0


def cmd_user_passwd(args: argparse.Namespace, ctx: Context) -> int:
    from app.services import auth

    actor = ctx.actor
    target = args.username or actor.username
    if target != actor.username:
        new = _new_password()
        with ctx.db.uow(actor) as uow:
            auth.reset_password(uow, target, new)
            uow.commit()
        print(f"已重置 {target} 的口令，该账户下次登录须修改口令")
        return 0
    if actor.role == "setup":
        raise InputError("初始化账户没有口令；请用 --user 指定账户")
    old = ask_secret("原口令：", "GOVDATA_PASSWORD")
    new = _new_password()
    with ctx.db.uow(actor) as uow:
        auth.change_password(uow, target, old, new)
        uow.commit()
    print("口令已修改")
    return 0


# ---------------------------------------------------------------- audit

def cmd_verify(args: argparse.Namespace, ctx: Context) -> int:
    # read in a read transaction (writers go on meanwhile), then the verification recorded in a short write one
    report, archive = None, None
    writer = None if args.archive or args.anchor else ctx.writer  # a local file: sqlite3 alone, before the sign-in
    if writer is not None:
        from app.services.auditsql import verify_and_record_sql  # sqlite3 only: no ORM for the common case

        report, unrecorded = verify_and_record_sql(writer, ctx.actor)
        if report is not None and unrecorded:  # a damaged trail or no key here: recorded the full way
            from app.services.audit import record_verification  # the ORM: the chain-break record first

            record_verification(ctx.db, ctx.actor, report)
    if report is None:
        from app.services import audit  # PostgreSQL, a read-only file, an archive or an anchor file to check

        report, archive = audit.verify_and_record(ctx.db, ctx.actor, args.archive, args.anchor)
    ok = report.ok and (archive is None or archive.ok)
    if args.json:
        out: dict[str, Any] = {"ok": ok, "checked": report.checked, "first_broken": report.first_broken,
                               "problems": report.problems, "breaks": report.breaks}
        if archive is not None:
            out["archive"] = {"ok": archive.ok, "checked": archive.checked, "first_broken": archive.first_broken,
                              "problems": archive.problems}
        print_json(out)
    else:
        print(report.summary())
        if args.anchor:
            print("外部锚点核对" + ("一致。" if not [p for p in report.problems if "外部锚点" in p] else "发现不符（见上）。"))
        if archive is not None:
            print(("归档文件完好：" if archive.ok else "归档文件异常：") + archive.summary())
        if report.not_recorded:
            sys.stderr.write(f"提示：本次核验未能记入审计日志：{report.not_recorded}\n")
    return 0 if ok else 1


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    until = dt.datetime.combine(args.until + dt.timedelta(days=1), dt.time()) if args.until else None
    since = dt.datetime.combine(args.since, dt.time()) if args.since else None
    return {"user": args.by_user, "action": args.action, "object_id": args.object, "outcome": args.outcome,
            "since": since, "until": until, "text": args.text, "limit": args.limit, "newest_first": True}


def cmd_audit_list(args: argparse.Namespace, ctx: Context) -> int:
    from dataclasses import asdict

    from app.services import audit

    with ctx.db.uow(ctx.actor, write=False) as uow:
        entries = audit.list_entries(uow, **_filters(args))
    if args.json:
        print_json([asdict(e) for e in entries])
    else:
        for e in entries:
            print(f"#{e.id}\t{e.at:%Y-%m-%d %H:%M:%S}\t{e.user}\t{e.action}\t{e.object_id or ''}\t{e.outcome_label}")
    return 0


def cmd_audit_export(args: argparse.Namespace, ctx: Context) -> int:
    from app.services import audit

    with ctx.db.uow(ctx.actor) as uow:
        n = audit.export_entries(uow, args.out, **_filters(args))
        uow.commit()
    print(f"已导出 {n} 条审计记录：{args.out}")
    return 0


def cmd_audit_archive(args: argparse.Namespace, ctx: Context) -> int:
    from app.services import audit

    with ctx.db.uow(ctx.actor) as uow:
        n = audit.archive_before(uow, args.out, dt.datetime.combine(args.before, dt.time()))
        uow.commit()
    print(f"已将 {n} 条审计记录归档到签名文件：{args.out}（可用 govdata verify --archive 核验）")
    with ctx.db.uow(ctx.actor, write=False) as uow:
        doc = audit.auditchain.head(uow.session)
    print("请打印或另行保存本次归档时的审计链头（外部锚点，归档文件中也有一份）：")
    for line in audit.head_lines(doc):
        print(line)
    return 0


def cmd_audit_head(args: argparse.Namespace, ctx: Context) -> int:
    from app.services import audit

    with ctx.db.uow(ctx.actor) as uow:
        doc = audit.trail_head(uow, args.out)
        uow.commit()
    if args.json:
        print_json(doc)
        return 0
    for line in audit.head_lines(doc):
        print(line)
    if args.out:
        print(f"已保存外部锚点：{args.out}（请另行保管，核对：govdata verify --anchor {args.out}）")
    return 0


def cmd_security_key(args: argparse.Namespace, ctx: Context) -> int:
    from app.services import security

    if args.action == "status":
        with ctx.db.uow(ctx.actor, write=False) as uow:
            lines = security.key_status_lines(uow)
        print("\n".join(lines))
        return 0
    if args.action == "new":
        with ctx.db.uow(ctx.actor) as uow:
            message = security.replace_lost_key(uow)
            uow.commit()
        print(message)
        return 0
    passphrase = ask_secret("审计密钥口令：", AUDIT_PASSPHRASE_ENV)
    if args.action == "wrap" and not os.environ.get(AUDIT_PASSPHRASE_ENV) and (
            ask_secret("再次输入审计密钥口令：") != passphrase):
        raise InputError("两次输入的口令不一致，未保存。")
    with ctx.db.uow(ctx.actor) as uow:
        message = security.wrap_key(uow, passphrase) if args.action == "wrap" else security.unlock_key(uow, passphrase)
        uow.commit()
    print(message)
    return 0


def cmd_security_status(args: argparse.Namespace, ctx: Context) -> int:
    from dataclasses import asdict

    from app.services.security import export_monitoring, monitoring

    with ctx.db.uow(ctx.actor) as uow:
        m = export_monitoring(uow, args.export) if args.export else monitoring(uow)
        uow.commit()
    if args.json:
        print_json(asdict(m) | {"all_ok": m.all_ok})
        return 0
    print(f"近 24 小时失败登录：{m.failed_sign_ins} 次" + (
        "（" + "、".join(f"{u} {n} 次" for u, n in m.failed_by_user) + "）" if m.failed_by_user else ""))
    print(f"被拒绝的操作：{m.refused_actions} 次")
    print("锁定的账户：" + ("、".join(m.locked_accounts) or "无"))
    print(f"密码模块：{m.crypto_module}，自检{'通过' if m.crypto_self_test_ok else '未通过'}")
    print(m.integrity_message)
    print(m.backup_message)
    print(m.audit_message)
    if args.export:
        print(f"已导出日常安全监测记录：{args.export}")
    return 0


def cmd_security_incidents(args: argparse.Namespace, ctx: Context) -> int:
    from dataclasses import asdict

    from app.services import security

    with ctx.db.uow(ctx.actor) as uow:
        if args.export:
            n = security.export_incidents(uow, args.export, open_only=args.open)
            uow.commit()
            print(f"已导出 {n} 条安全事件：{args.export}")
            return 0
        items = security.list_incidents(uow, open_only=args.open)
    if args.json:
        print_json([asdict(i) for i in items])
        return 0
    for i in items:
        state = f"{i.closed_on:%Y-%m-%d} 办结" if i.closed_on else "处置中"
        print(f"#{i.id}\t{i.occurred_at:%Y-%m-%d %H:%M}\t{i.severity}\t{i.title}\t{state}")
    return 0


def cmd_security_drills(args: argparse.Namespace, ctx: Context) -> int:
    from dataclasses import asdict

    from app.services import security

    with ctx.db.uow(ctx.actor) as uow:
        if args.export:
            n = security.export_drills(uow, args.export)
            uow.commit()
            print(f"已导出 {n} 条应急演练记录：{args.export}")
            return 0
        items = security.list_drills(uow)
    if args.json:
        print_json([asdict(d) for d in items])
        return 0
    for d in items:
        print(f"{d.drilled_on:%Y-%m-%d}\t{d.plan_title}\t{d.scenario}\t{d.result or ''}")
    return 0

"""The rules' own commands: `govdata run-due` (deadlines that act, 第二十二条), `govdata duties` (who may do what),
`govdata numbers list/export` (the register of issued 文号, 第八条), `govdata notices` (what the program did by
itself).

A command module: each handler imports its services when it runs, so one command loads only what it uses."""

from __future__ import annotations

import argparse

from app.cli.context import Context, print_json
from app.cli.core import JSON_HELP


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run-due", help="执行到期事项：整改期限届满的项目自动暂停拨付资金（第二十二条），并列出逾期和即将到期的事项",
                       description="整改期限已届满而未完成整改的项目，由系统暂停拨付项目建设和运维资金并登记通知；"
                                   "同时列出逾期未备案的合同、逾期未验收的项目和即将到期的等保、密评（按工作日计算）。"
                                   "窗口打开时和每天也会自动执行。")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_run_due)

    p = sub.add_parser("duties", help="职责分工表：各角色可办理的事项（第四条），安全管理员查看")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_duties)

    p = sub.add_parser("numbers", help="文号登记簿（第八条）：已使用的文号，查看或导出")
    nsub = p.add_subparsers(dest="sub", required=True, metavar="SUBCOMMAND")
    q = nsub.add_parser("list", help="列出已使用的文号")
    q.add_argument("--year", type=int, metavar="年度", help="只列出某一年度")
    q.add_argument("--kind", metavar="类别", help="只列出某一类：approval 立项批复、review 技术审核意见、rectification 整改通知、"
                                                 "publicity 公示、external 手工录入")
    q.add_argument("--json", action="store_true", help=JSON_HELP)
    q.set_defaults(handler=cmd_numbers_list)
    q = nsub.add_parser("export", help="导出文号登记簿为 Excel")
    q.add_argument("out", metavar="OUT.xlsx", help="输出的 Excel 文件")
    q.add_argument("--year", type=int, metavar="年度", help="只导出某一年度")
    q.set_defaults(handler=cmd_numbers_export)

    p = sub.add_parser("notices", help="系统登记的通知（如整改期满自动暂停拨付资金的通知）")
    p.add_argument("--project", metavar="项目编号", help="只列出某个项目的通知")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_notices)


def cmd_run_due(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.deadlines import run_due

    result = run_due(ctx.db, started_by=ctx.actor)
    if args.json:
        print_json({"today": result.today.isoformat(),
                    "suspended": [{"code": s.code, "name": s.name, "deadline": s.deadline.isoformat(),
                                   "order_no": s.order_no, "notice_id": s.notice_id} for s in result.suspended],
                    "failed": [{"code": c, "reason": why} for c, why in result.failed],
                    "due": [{"kind": i.kind, "code": i.code, "what": i.what, "due": i.due and i.due.isoformat(),
                             "overdue": i.overdue, "workdays_left": i.workdays_left,
                             "workdays_overdue": i.workdays_overdue} for i in result.due]})
        return 0
    print(f"{result.today}：到期事项已执行（系统自动执行，记入审计日志）")
    if not result.visible:
        print("  （当前账户不能查看项目，具体项目不在此列出）")
        return 0
    for s in result.suspended:
        print(f"  暂停拨付：{s.code} {s.name}（{s.department}）整改期限 {s.deadline} 已届满（第二十二条），已登记通知")
    for code, why in result.failed:
        print(f"  未能暂停：{code}：{why}")
    if not result.suspended and not result.failed:
        print("  没有需要暂停拨付资金的项目")
    for i in sorted(result.due, key=lambda x: (not x.overdue, x.due or result.today)):
        when = (f"已逾期 {i.workdays_overdue} 个工作日" if i.overdue else
                "今天到期" if i.workdays_left == 0 else f"剩 {i.workdays_left} 个工作日")
        print(f"  {i.kind_label}  {when}  {i.code} {i.project}：{i.what}")
    return 0


def cmd_duties(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.lifecycle import action_duties
    from app.services.permissions import duty_table

    table = duty_table()
    actions = action_duties()
    if args.json:
        print_json({"roles": [{"role": k, "label": v} for k, v in table.roles],
                    "permissions": [{"permission": r.permission, "label": r.label, "roles": list(r.roles)}
                                    for r in table.rows],
                    "actions": [{"action": a.key, "label": a.label, "stage": a.stage_label, "article": a.article,
                                 "permission": a.permission, "roles": list(a.roles)} for a in actions],
                    "rules": list(table.rules)})
        return 0
    labels = dict(table.roles)
    print("职责分工表（第四条）")
    print("一、项目各环节由谁办理")
    for a in actions:
        who = "、".join(labels[r] for r in a.roles) or "（无）"
        print(f"  {a.stage_label}  {a.label}（{a.article or '—'}）：{who}")
    print("二、各角色的权限")
    for r in table.rows:
        print(f"  {r.label}：{'、'.join(labels[x] for x in r.roles) or '（仅初始化账户）'}")
    print("三、不相容职责")
    for rule in table.rules:
        print(f"  {rule}")
    return 0


def cmd_numbers_list(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.numbering import list_numbers

    with ctx.db.uow(ctx.actor, write=False) as uow:
        rows = list_numbers(uow, year=args.year, kind=args.kind)
    if args.json:
        print_json([{"number": n.number, "kind": n.kind, "kind_label": n.kind_label, "year": n.year, "seq": n.seq,
                     "purpose": n.purpose} for n in rows])
        return 0
    for n in rows:
        print(f"  {n.number}  {n.kind_label}  {n.purpose or ''}")
    print(f"共 {len(rows)} 个文号")
    return 0


def cmd_numbers_export(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.numbering import export_numbers

    with ctx.db.uow(ctx.actor) as uow:
        n = export_numbers(uow, args.out, year=args.year)
        uow.commit()
    print(f"已导出 {n} 个文号：{args.out}")
    return 0


def cmd_notices(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.deadlines import list_notices

    with ctx.db.uow(ctx.actor, write=False) as uow:
        rows = list_notices(uow, args.project)
    if args.json:
        print_json([{"id": n.id, "code": n.code, "kind": n.kind, "issued_on": n.issued_on.isoformat(),
                     "title": n.title, "body": n.body, "issued_by": n.issued_by} for n in rows])
        return 0
    for n in rows:
        print(f"{n.issued_on}  {n.code}  {n.title}（{n.issued_by}）")
        print(f"    {n.body}")
    print(f"共 {len(rows)} 份通知")
    return 0

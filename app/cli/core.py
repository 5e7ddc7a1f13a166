"""The register's commands: init, demo, departments, contractors, projects, register, advance, plan, history,
calendar.

A command module: each handler imports its services when it runs, so one command loads only what it uses
(`govdata --help` loads neither the ORM nor openpyxl nor ReportLab)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from app.cli.args import int_arg, year_arg
from app.cli.context import Context, print_json
from app.domain.describe import local_time, summarize
from app.domain.fields import heading, label
from app.domain.money import format_yuan, parse_amount
from app.domain.vocabulary import CATEGORIES, NATURES, STATUS_LABELS, action_label, outcome_label
from app.errors import InputError

JSON_HELP = "以 JSON 格式输出"
CODE_HELP = "项目编号，如 QS-2026-0001"
DATE_HELP = "日期，如 2027-03-05"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="创建或升级数据库")
    p.add_argument("--county", help="县名，如 沁水县（同时设置县政府、主管部门、财政局的名称）")
    p.set_defaults(handler=cmd_init, create_db=True)

    p = sub.add_parser("demo", help="在新数据库中生成演示数据（一个县的单位、项目和各环节记录）")
    p.add_argument("--password", help="演示账户的口令（不填则生成并显示）")
    p.set_defaults(handler=cmd_demo, create_db=True)

    p = sub.add_parser("departments", help="实施单位")
    dsub = p.add_subparsers(dest="sub", required=True, metavar="SUBCOMMAND")
    q = dsub.add_parser("add", help="添加单位")
    q.add_argument("names", nargs="+", metavar="NAME", help="单位全称（可多个）")
    q.add_argument("--kind", default="县直部门", choices=["县直部门", "乡镇", "开发区"], help="单位类别（默认县直部门）")
    q.add_argument("--alias", action="append", default=[], help="别名（可重复；只用于单个单位）")
    q.set_defaults(handler=cmd_departments_add)
    q = dsub.add_parser("list", help="列出单位")
    q.add_argument("--json", action="store_true", help=JSON_HELP)
    q.set_defaults(handler=cmd_departments_list, read_only=True)
    q = dsub.add_parser("alias", help="为单位添加别名")
    q.add_argument("department", help="单位（全称、简称或已有别名）")
    q.add_argument("aliases", nargs="+", help="新别名（可多个）")
    q.set_defaults(handler=cmd_departments_alias)

    p = sub.add_parser("contractors", help="项目建设单位")
    csub = p.add_subparsers(dest="sub", required=True, metavar="SUBCOMMAND")
    q = csub.add_parser("add", help="添加建设单位（校验统一社会信用代码）")
    q.add_argument("name", help="建设单位全称")
    q.add_argument("credit_code", help="统一社会信用代码（18位）")
    q.add_argument("--county-owned", action="store_true", help="县属企业")
    q.set_defaults(handler=cmd_contractors_add)
    q = csub.add_parser("list", help="列出建设单位")
    q.add_argument("--json", action="store_true", help=JSON_HELP)
    q.set_defaults(handler=cmd_contractors_list, read_only=True)

    p = sub.add_parser("projects", help="列出项目")
    p.add_argument("--year", type=year_arg(), help="只列该年度的项目")
    p.add_argument("--status", help="状态（英文键）：" + " ".join(STATUS_LABELS))
    p.add_argument("--department", help="只列该实施单位的项目（全称、简称或别名）")
    p.add_argument("--search", help="按项目名称或编号中的文字查找")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_projects, read_only=True)

    p = sub.add_parser("show", help="查看一个项目及可办理的操作")
    p.add_argument("code", help=CODE_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_show, read_only=True)

    p = sub.add_parser("register", help="登记项目")
    p.add_argument("--name", required=True, help="项目名称")
    p.add_argument("--department", required=True, help="实施单位（全称、简称或别名）")
    p.add_argument("--category", required=True, help="：".join(["第三条类别", " ".join(CATEGORIES)]))
    p.add_argument("--nature", required=True, help=" ".join(NATURES))
    p.add_argument("--year", type=year_arg(), required=True, help="项目年度")
    p.add_argument("--total", required=True, help=heading("total_fen") + "；资金来源不填时全部计为县级财政资金")
    p.add_argument("--county-funds", help=heading("county_fen") + "；默认为总投资减去上级补助和其他资金")
    p.add_argument("--upper-funds", default="0", help=heading("upper_fen"))
    p.add_argument("--other-funds", default="0", help=heading("other_fen"))
    p.add_argument("--year-request", default="0", help=heading("year_request_fen"))
    p.add_argument("--content", help=label("content"))
    p.add_argument("--period-months", type=int_arg("建设周期（月）", 1, 120), help=heading("period_months"))
    p.add_argument("--responsible", help=label("responsible_person"))
    p.add_argument("--cobuilt", action="store_true", help=f"{label('cobuilt')}（第十二条）")
    p.add_argument("--city-share", default="0", help=heading("city_share_fen"))
    p.add_argument("--county-share", default="0", help=heading("county_share_fen"))
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_register)

    p = sub.add_parser("advance", help="办理项目的一个环节（与窗口同一套规则），如 submit、approve、sign-contract",
                       description="govdata advance CODE ACTION [--字段 值 ...]；govdata advance --list 列出全部操作和字段")
    p.add_argument("code", nargs="?", help=CODE_HELP)
    p.add_argument("action", nargs="?", help="操作（英文键，如 submit；--list 列出全部）")
    p.add_argument("--list", action="store_true", help="列出全部操作及其字段")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_advance, allow_extra=True)

    p = sub.add_parser("plan", help="年度计划（第六条）")
    psub = p.add_subparsers(dest="sub", required=True, metavar="SUBCOMMAND")
    q = psub.add_parser("add", help="将项目列入年度计划")
    q.add_argument("year", type=year_arg(), help="计划年度")
    q.add_argument("codes", nargs="+", help="项目编号（可多个）")
    q.add_argument("--doc-no", help="年度计划的文号")
    q.set_defaults(handler=cmd_plan_add)
    q = psub.add_parser("show", help="查看年度计划")
    q.add_argument("year", type=year_arg(), help="计划年度")
    q.add_argument("--json", action="store_true", help=JSON_HELP)
    q.set_defaults(handler=cmd_plan_show, read_only=True)

    p = sub.add_parser("attach", help="为项目上传附件（以 SM3 摘要保存）；--material 指明是哪项申请材料")
    p.add_argument("code", help=CODE_HELP)
    p.add_argument("file", help="要上传的文件")
    p.add_argument("--material", choices=["proposal", "feasibility", "design", "estimate"],
                   help="申请材料：proposal 项目建议书、feasibility 可行性研究报告、design 初步设计方案、estimate 投资概算")
    p.set_defaults(handler=cmd_attach)
    p = sub.add_parser("attachments", help="列出项目的附件；--get ID --out 文件 取出附件（核对摘要）")
    p.add_argument("code", help=CODE_HELP)
    p.add_argument("--get", type=int_arg("附件编号", 1), metavar="ID", help="取出该编号的附件")
    p.add_argument("--out", help="取出的附件保存为此文件")
    p.set_defaults(handler=cmd_attachments)

    p = sub.add_parser("history", help="项目的历史记录")
    p.add_argument("code", help=CODE_HELP)
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(handler=cmd_history, read_only=True)

    p = sub.add_parser("calendar", help="工作日历（法定节假日和调休）")
    ksub = p.add_subparsers(dest="sub", required=True, metavar="SUBCOMMAND")
    q = ksub.add_parser("set", help="录入某天为工作日或休息日（优先于内置日历）")
    q.add_argument("date", help=DATE_HELP)
    q.add_argument("kind", choices=["workday", "holiday"], help="workday 工作日（含调休上班），holiday 休息日")
    q.add_argument("--note", help="说明，如 春节调休")
    q.set_defaults(handler=cmd_calendar_set)
    q = ksub.add_parser("import", help="从表格导入节假日安排（列：日期、类型（工作日/调休上班 或 休息日/节假日）、说明）")
    q.add_argument("file", help="节假日表格（.xlsx）")
    q.add_argument("--complete", action="store_true", help="表格是该年完整的放假安排：导入后声明该年节假日已完整（第十五条）")
    q.set_defaults(handler=cmd_calendar_import)
    q = ksub.add_parser("complete", help="声明某年的法定节假日安排已全部录入（此后该年期限不再按周一至周五暂算，第十五条）")
    q.add_argument("year", type=int_arg("年度", 2000, 2100), metavar="年度", help="年度，如 2027")
    q.add_argument("--undo", action="store_true", help="撤回声明（该年的期限重新标为暂算）")
    q.add_argument("--note", metavar="说明", help="说明，如 依据国办发明电〔2026〕X号")
    q.set_defaults(handler=cmd_calendar_complete)
    q = ksub.add_parser("years", help="各年度的节假日安排是否完整（内置日历、本单位声明或暂算）")
    q.add_argument("--json", action="store_true", help=JSON_HELP)
    q.set_defaults(handler=cmd_calendar_years)
    q = ksub.add_parser("deadline", help="计算某日之后第 N 个工作日")
    q.add_argument("date", help=DATE_HELP)
    q.add_argument("--days", type=int_arg("工作日数", 0, 1000), default=5, help="工作日数（默认 5）")
    q.set_defaults(handler=cmd_calendar_deadline, read_only=True)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"日期格式应为 2027-03-05：{text}") from None


# ---------------------------------------------------------------- handlers


def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.setup import initialise

    with ctx.db.uow(ctx.actor) as uow:
        initialise(uow, args.county)
        uow.commit()
    print(f"数据库已就绪：{ctx.db.display_name}")
    return 0


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.demo import build_demo

    summary = build_demo(ctx.db, ctx.actor, password=args.password)
    print(f"演示数据已生成：{summary['departments']}个单位、{summary['projects']}个项目（{ctx.db.display_name}）")
    for line in summary.get("notes", []):
        print(line)
    return 0


def cmd_departments_add(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.master import add_department

    if args.alias and len(args.names) > 1:
        raise InputError("别名只能用于单个单位")
    with ctx.db.uow(ctx.actor) as uow:
        added = [add_department(uow, n, kind=args.kind, aliases=args.alias) for n in args.names]
        uow.commit()
    for d in added:
        print(f"已添加单位：{d.name}")
    return 0


def cmd_departments_list(args: argparse.Namespace, ctx: Context) -> int:
    if ctx.reader is not None:  # a read: sqlite3, no ORM
        from app.services.quickread import list_departments as quick_departments

        rows: list[Any] = quick_departments(ctx.reader, ctx.actor)
    else:
        from app.services.master import list_departments

        with ctx.db.uow(ctx.actor, write=False) as uow:
            rows = list_departments(uow)
    if args.json:
        print_json([{"id": d.id, "name": d.name, "kind": d.kind, "aliases": list(d.aliases)} for d in rows])
    else:
        for d in rows:
            alias = f"（别名：{'、'.join(d.aliases)}）" if d.aliases else ""
            print(f"{d.id:>4}  {d.name}  {d.kind}{alias}")
    return 0


def cmd_departments_alias(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.master import add_alias, get_department

    with ctx.db.uow(ctx.actor) as uow:
        dept = get_department(uow, args.department)
        for a in args.aliases:
            add_alias(uow, dept.id, a)
        uow.commit()
    print(f"已为“{dept.name}”添加别名：{'、'.join(args.aliases)}")
    return 0


def cmd_contractors_add(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.master import add_contractor

    with ctx.db.uow(ctx.actor) as uow:
        c = add_contractor(uow, args.name, args.credit_code, args.county_owned)
        uow.commit()
    print(f"已添加建设单位：{c.name}（{c.credit_code}）")
    return 0


def cmd_contractors_list(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.master import list_contractors

    with ctx.db.uow(ctx.actor, write=False) as uow:
        rows = list_contractors(uow)
    if args.json:
        print_json([{"id": c.id, "name": c.name, "credit_code": c.credit_code, "county_owned": c.county_owned}
                    for c in rows])
    else:
        for c in rows:
            print(f"{c.id:>4}  {c.credit_code}  {c.name}{'（县属企业）' if c.county_owned else ''}")
    return 0


def cmd_projects(args: argparse.Namespace, ctx: Context) -> int:
    """The register, streamed: rows are read and printed one at a time (100,000 projects in little memory)."""
    from app.services import quickread  # SQL text: no ORM objects for a list

    if ctx.reader is not None:
        sql: Any = ctx.reader
        raw = None
    else:
        from app.storage.reader import RawReader

        sql = raw = RawReader(ctx.db)
    try:
        actor = ctx.actor
        dept_id = quickread.department_id(sql, args.department) if args.department else None
        filters = {"year": args.year, "status": args.status, "department_id": dept_id, "search": args.search}
        if args.json:
            quickread.write_project_json(sys.stdout, sql, actor, **filters)
            return 0
        count = total = 0
        write = sys.stdout.write
        for code, year, label, fen, dept, name in quickread.iter_project_lines(sql, actor, **filters):
            write(f"{code}  {year}  {label:<6}  {format_yuan(fen):>16} 元  {dept}  {name}\n")
            count += 1
            total += fen
        print(f"共 {count} 个项目，总投资合计 {format_yuan(total)} 元")
        return 0
    finally:
        if raw is not None:
            raw.close()


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    from app.domain.money import to_capital
    from app.services.lifecycle import available_actions, split_findings
    from app.services.projects import get_project, list_materials, to_json
    from app.services.splits import describe

    with ctx.db.uow(ctx.actor, write=False) as uow:
        v = get_project(uow, args.code)
        materials = list_materials(uow, args.code)
        actions = available_actions(uow, args.code)
        splits = split_findings(uow, args.code)  # 第九条: what the reviewer weighs at review
    if args.json:
        print_json(to_json(v) | {"materials": [m.kind for m in materials if m.received_on],
                                 "actions": [{"action": a.key, "enabled": a.enabled, "reason": a.reason}
                                             for a in actions],
                                 "split_findings": [f.as_dict() for f in splits]})
        return 0
    print(f"{v.code}  {v.name}")
    print(f"  {label('department')}：{v.department}    {label('year')}：{v.year}    {label('status')}：{v.status_label}")
    print(f"  {label('category')}：{v.category}    {label('nature')}：{v.nature}    "
          f"{label('period_months')}：{v.period_months or '—'}个月")
    print(f"  {label('total_fen')}：{format_yuan(v.total_fen)} 元（{to_capital(v.total_fen)}）")
    print("  资金来源：" + "  ".join(f"{label(k)} {format_yuan(getattr(v, k))}"
                                  for k in ("county_fen", "upper_fen", "other_fen")))
    print("  申请材料：" + "  ".join(f"{m.label}{'✓' if m.received_on else '✗'}" for m in materials))
    print("  可办理：" + "、".join(f"{a.key}（{a.label}）" for a in actions if a.enabled))
    for line in describe(splits):
        print(f"  {line}")
    return 0


def cmd_register(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.projects import ProjectInput, register_project, to_json

    total = parse_amount(args.total, what=label("total_fen"))
    upper = parse_amount(args.upper_funds, what=label("upper_fen"))
    other = parse_amount(args.other_funds, what=label("other_fen"))
    # a county project is paid by the county unless said otherwise: what the other sources leave of the total
    county = parse_amount(args.county_funds, what=label("county_fen")) if args.county_funds is not None else max(
        total - upper - other, 0)
    data = ProjectInput(
        name=args.name, department=args.department, category=args.category, nature=args.nature, year=args.year,
        total_fen=total, county_fen=county, upper_fen=upper, other_fen=other,
        year_request_fen=parse_amount(args.year_request, what=label("year_request_fen")), content=args.content,
        period_months=args.period_months, responsible_person=args.responsible, cobuilt=args.cobuilt,
        city_share_fen=parse_amount(args.city_share, what=label("city_share_fen")),
        county_share_fen=parse_amount(args.county_share, what=label("county_share_fen")))
    with ctx.db.uow(ctx.actor) as uow:
        v = register_project(uow, data)
        uow.commit()
    if args.json:
        print_json(to_json(v))
    else:
        print(f"已登记项目：{v.code} {v.name}")
    return 0


def _extra_fields(tokens: list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.startswith("--"):
            raise InputError(f"无法识别的参数：{tok}（字段写作 --名称 值）")
        name = tok[2:]
        if "=" in name:
            name, value = name.split("=", 1)
            i += 1
        elif i + 1 < len(tokens) and not tokens[i + 1].startswith("--"):
            value = tokens[i + 1]
            i += 2
        else:
            value = "yes"
            i += 1
        fields[name.replace("-", "_")] = value
    return fields


def cmd_advance(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.lifecycle import ACTIONS, advance

    if args.list or not args.action:
        for spec in ACTIONS.values():
            states = "、".join(STATUS_LABELS[s] for s in spec.from_states)
            print(f"{spec.key}  {spec.label}  {spec.article}  （可在：{states}）")
            for name, f in spec.fields.items():
                req = "必填" if f.required else "可选"
                extra = f"  {f.help}" if f.help else ""
                print(f"    --{name.replace('_', '-')}  {f.label}（{req}）{extra}")
        return 0 if args.list else 1
    fields = _extra_fields(args.extra)
    result = advance(ctx.db, ctx.actor, args.code, args.action, **fields)
    if args.json:
        print_json({"code": result.code, "action": result.action, "status": result.status,
                    "status_label": result.status_label, "message": result.message,
                    "warnings": list(result.warnings), "data": result.data})
        return 0
    print(f"{result.code}：{result.message}（当前状态：{result.status_label}）")
    for w in result.warnings:
        sys.stderr.write(f"提示：{w}\n")
    return 0


def cmd_plan_add(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.plans import add_to_annual_plan

    with ctx.db.uow(ctx.actor) as uow:
        n = add_to_annual_plan(uow, args.year, args.codes, doc_no=args.doc_no)
        uow.commit()
    print(f"已列入{args.year}年度计划：{n}个项目")
    return 0


def cmd_plan_show(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.plans import get_annual_plan
    from app.services.projects import to_json

    with ctx.db.uow(ctx.actor, write=False) as uow:
        plan = get_annual_plan(uow, args.year)
    if plan is None:
        raise InputError(f"{args.year}年度计划尚未编制")
    if args.json:
        print_json({"year": plan.year, "title": plan.title, "doc_no": plan.doc_no,
                    "projects": [to_json(v) for v in plan.projects]})
        return 0
    print(plan.title + (f"（{plan.doc_no}）" if plan.doc_no else ""))
    for v, planned in zip(plan.projects, plan.planned_fen, strict=True):
        print(f"  {v.code}  {v.category}  {format_yuan(planned):>16} 元  {v.name}")
    print(f"  合计 {format_yuan(plan.total_fen)} 元")
    return 0


def cmd_history(args: argparse.Namespace, ctx: Context) -> int:
    """The project's history as the window's 历史 tab reads it: local time, the person's name, every action by its
    Chinese label (app.domain.vocabulary, never its key), the outcome (拒绝 for a refused attempt), a summary of
    what was recorded (app.domain.describe) or the refusal's reason."""
    from app.services.lifecycle import ACTIONS
    from app.services.projects import project_history

    with ctx.db.uow(ctx.actor, write=False) as uow:
        rows = project_history(uow, args.code)
    if args.json:
        print_json([{"at": r.at.isoformat(), "user": r.user, "action": r.action, "action_label": action_label(r.action),
                     "outcome": r.outcome, "outcome_label": outcome_label(r.outcome), "detail": r.detail}
                    for r in rows])
        return 0
    for r in rows:
        spec = ACTIONS.get(r.action.removeprefix("lifecycle.")) if r.action.startswith("lifecycle.") else None
        if r.outcome == "ok":
            labels = {n: f.label for n, f in spec.fields.items()} if spec else None
            kinds = {n: f.kind for n, f in spec.fields.items()} if spec else None
            msg = summarize(r.action, r.detail, None, labels, kinds)
        else:
            msg = str(r.detail.get("message", "")) if isinstance(r.detail, dict) else ""
        print(f"{local_time(r.at)}  {r.user_name or r.user}  {action_label(r.action)}  {outcome_label(r.outcome)}  "
              f"{msg}".rstrip())
    return 0


def cmd_calendar_set(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.calendar import set_holiday, year_statuses

    day = _date(args.date)
    with ctx.db.uow(ctx.actor) as uow:
        set_holiday(uow, day, args.kind == "workday", args.note)
        uow.commit()
        [status] = year_statuses(uow, [day.year])
    print(f"已将 {day} 设为{'工作日' if args.kind == 'workday' else '休息日'}")
    if not status.known:
        sys.stderr.write(f"提示：{day.year}年的节假日安排尚未声明完整，该年的期限仍按周一至周五暂算；全部录入后请运行 "
                         f"govdata calendar complete {day.year}\n")
    return 0


def cmd_calendar_deadline(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.calendar import deadline_after

    with ctx.db.uow(ctx.actor, write=False) as uow:
        d = deadline_after(uow, _date(args.date), args.days)
    print(f"{args.date} 之后第 {args.days} 个工作日：{d.due}" + ("（暂按周一至周五计算）" if d.provisional else ""))
    if d.warning:
        sys.stderr.write(f"提示：{d.warning}\n")
    return 0


def cmd_calendar_import(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.calendar import import_holidays

    with ctx.db.uow(ctx.actor) as uow:
        result = import_holidays(uow, args.file, complete=args.complete)
        uow.commit()
    print(f"已导入 {result.days} 天：工作日 {result.workdays} 天，休息日 {result.holidays} 天"
          + ("；已声明这些年度的节假日安排完整" if args.complete else ""))
    return 0


def cmd_calendar_complete(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.calendar import declare_year_complete

    with ctx.db.uow(ctx.actor) as uow:
        declare_year_complete(uow, args.year, complete=not args.undo, note=args.note)
        uow.commit()
    print(f"已撤回{args.year}年节假日安排完整的声明：该年期限按周一至周五暂算" if args.undo else
          f"已声明{args.year}年的法定节假日安排完整：该年的期限按已录入的节假日和周一至周五计算")
    return 0


def cmd_calendar_years(args: argparse.Namespace, ctx: Context) -> int:
    from app.services import clock
    from app.services.calendar import year_statuses

    this = clock.today().year
    with ctx.db.uow(ctx.actor, write=False) as uow:
        rows = year_statuses(uow, range(this - 1, this + 3))
    if args.json:
        print_json([{"year": r.year, "known": r.known, "source": r.source, "holidays": r.holidays,
                     "workdays": r.workdays, "declared_on": r.declared_on and r.declared_on.isoformat(),
                     "declared_by": r.declared_by} for r in rows])
        return 0
    for r in rows:
        extra = f"（{r.declared_on} {r.declared_by} 声明）" if r.declared_on else ""
        print(f"  {r.year}年  {r.source}{extra}  已录入：休息日 {r.holidays} 天、调休上班 {r.workdays} 天")
    return 0


def cmd_attach(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from app.services.attachments import MAX_BYTES, add_attachment
    from app.storage.fileio import read_limited

    path = Path(args.file)
    data = read_limited(path, MAX_BYTES, "附件")
    with ctx.db.uow(ctx.actor) as uow:
        a = add_attachment(uow, args.code, path.name, data, material=args.material)
        uow.commit()
    print(f"已保存附件 {a.id}：{a.filename}（{a.size} 字节，SM3 {a.digest}）")
    return 0


def cmd_attachments(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.attachments import list_attachments, read_attachment

    with ctx.db.uow(ctx.actor, write=False) as uow:
        if args.get is not None:
            if not args.out:
                raise InputError("取出附件需要 --out 文件名")
            a, data = read_attachment(uow, args.get, args.code)
        else:
            for a in list_attachments(uow, args.code):
                print(f"{a.id:>5}  {a.uploaded_at:%Y-%m-%d}  {a.size:>10}  {a.filename}  SM3 {a.digest}")
            return 0
    from app.storage.fileio import write_bytes

    write_bytes(args.out, data)
    print(f"已取出附件 {a.filename} → {args.out}（摘要核对一致）")
    return 0

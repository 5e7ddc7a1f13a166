"""The records kept on paper until now: `govdata records KIND list|add|export|VERB …` for each record declared in
app.services.recordkinds (第六、十一、二十一、二十二、二十八、二十九条), and `govdata funds compare` (第十六条).

A command module: each handler imports its services when it runs, so one command loads only what it uses (building
the options reads the declarations, which load no database layer)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from app.cli.context import Context, print_json
from app.cli.core import JSON_HELP
from app.errors import InputError
from app.services.recordkinds import KINDS
from app.services.recordkit import Field, RecordKind, Verb, cell_text


def _field_help(f: Field) -> str:
    text = f.label + ("（必填）" if f.required else "")
    if f.choices:
        text += "：" + " / ".join(label for _k, label in f.choices)
    elif f.kind == "date":
        text += "，如 2026-03-05"
    elif f.kind == "money":
        text += "，单位：元"
    elif f.kind == "bool":
        text += "：是 / 否"
    if f.help:
        text += f"（{f.help}）"
    return text


PLACEHOLDERS = {"date": "日期", "money": "金额", "year": "年度", "int": "整数", "project": "项目编号",
                "department": "单位", "ref": "编号", "bool": "是或否", "choice": "选项", "longtext": "文字"}


def _add_fields(q: argparse.ArgumentParser, fields: tuple[Field, ...]) -> None:
    for f in fields:
        q.add_argument(f.option, dest=f"f_{f.name}", metavar=PLACEHOLDERS.get(f.kind, "文字"), help=_field_help(f))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("records", help="专项记录：规划备案、年度计划批准、公示异议、原有系统运维、整改与问责、应急预案与演练、"
                                       "安全事件、等保与密评",
                       description="govdata records 记录类别 操作 [--字段 值 …]；记录类别：" + "  ".join(
                           f"{k}（{v.label}，{v.article}）" for k, v in KINDS.items()))
    ks = p.add_subparsers(dest="kind", required=True, metavar="KIND")
    for key, kind in KINDS.items():
        k = ks.add_parser(key, help=f"{kind.label}（{kind.article}）", description=kind.hint)
        vs = k.add_subparsers(dest="verb", required=True, metavar="VERB")
        q = vs.add_parser("list", help=f"列出{kind.label}")
        q.add_argument("--json", action="store_true", help=JSON_HELP)
        q.set_defaults(handler=cmd_list, kind_key=key)
        q = vs.add_parser("export", help=f"导出{kind.label}为 Excel")
        q.add_argument("out", metavar="OUT.xlsx", help="输出的 Excel 文件")
        q.set_defaults(handler=cmd_export, kind_key=key)
        for verb in kind.verbs:
            q = vs.add_parser(verb.key, help=verb.label)
            if verb.on_record:
                q.add_argument("id", metavar="ID", help=f"{kind.label}的编号（govdata records {key} list）")
            _add_fields(q, verb.fields)
            q.add_argument("--json", action="store_true", help=JSON_HELP)
            q.set_defaults(handler=cmd_verb, kind_key=key, verb_key=verb.key)
        if key == "assessment":
            q = vs.add_parser("expiring", help="已到期、即将到期或未通过的等保和密评（第二十八条提醒）")
            q.add_argument("--days", type=int, help="提前提醒的天数（默认取设置 security.reminder_days）")
            q.add_argument("--json", action="store_true", help=JSON_HELP)
            q.set_defaults(handler=cmd_expiring, kind_key=key)

    p = sub.add_parser("funds", help="资金使用对照分析（第十六条）")
    fs = p.add_subparsers(dest="sub", required=True, metavar="SUBCOMMAND")
    q = fs.add_parser("compare", help="按项目和年度对照预算与拨付：预算、已拨付、结余、执行率，分资金来源")
    q.add_argument("--year", help="年度（预算年度和拨付年度）")
    q.add_argument("--project", help="项目编号")
    q.add_argument("--export", metavar="OUT.xlsx", help="导出为 Excel")
    q.add_argument("--pdf", metavar="OUT.pdf", help="打印为 PDF（资金使用对照分析表，带编号和校验码）")
    q.add_argument("--json", action="store_true", help=JSON_HELP)
    q.set_defaults(handler=cmd_funds_compare)


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) and not isinstance(value, type) else value


def _print_rows(kind: RecordKind, rows: list[Any]) -> None:
    print("\t".join(c.label for c in kind.columns))
    for r in rows:
        print("\t".join(cell_text(c.kind, getattr(r, c.key, None)).replace("\n", " ") for c in kind.columns))
    print(f"共 {len(rows)} 条")


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.records import list_records  # the ORM only when a command runs

    kind = KINDS[args.kind_key]
    with ctx.db.uow(ctx.actor, write=False) as uow:
        rows = list_records(uow, args.kind_key)
    if args.json:
        print_json([_plain(r) for r in rows])
    else:
        _print_rows(kind, rows)
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.records import export_records  # the ORM and openpyxl only when a command runs

    with ctx.db.uow(ctx.actor) as uow:
        n = export_records(uow, args.kind_key, args.out)
        uow.commit()
    print(f"已导出 {n} 条{KINDS[args.kind_key].label}：{args.out}")
    return 0


def _verb_values(verb: Verb, args: argparse.Namespace) -> dict[str, Any]:
    values = {f.name: getattr(args, f"f_{f.name}") for f in verb.fields if getattr(args, f"f_{f.name}") is not None}
    if verb.on_record:
        values["id"] = args.id
    return values


def cmd_verb(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.records import run_verb  # the ORM only when a command runs

    kind = KINDS[args.kind_key]
    verb = kind.verb(args.verb_key)
    with ctx.db.uow(ctx.actor) as uow:
        result = run_verb(uow, args.kind_key, args.verb_key, _verb_values(verb, args))
        uow.commit()
    if args.json:
        print_json(_plain(result))
        return 0
    rid = getattr(result, kind.id_attr, None) if result is not None else None
    print(f"已{verb.label}：{kind.label}" + (f" {rid}" if rid is not None else ""))
    return 0


def cmd_expiring(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.safety import expiring_assessments  # the ORM only when a command runs

    with ctx.db.uow(ctx.actor, write=False) as uow:
        rows = expiring_assessments(uow, within_days=args.days)
    if args.json:
        print_json([_plain(r) for r in rows])
        return 0
    for a in rows:
        print(f"{a.code}\t{a.name}\t{a.kind_label}\t{a.valid_until or ''}\t{a.state}")
    print(f"共 {len(rows)} 项需要处理")
    return 0


def cmd_funds_compare(args: argparse.Namespace, ctx: Context) -> int:
    from app.services import funds  # the ORM only when a command runs

    if args.export and args.pdf:
        raise InputError("--export 和 --pdf 请分两次运行")
    if args.pdf:
        return _funds_pdf(args, ctx)
    with ctx.db.uow(ctx.actor) as uow:
        if args.export:
            n = funds.export_comparison(uow, args.export, args.year, args.project)
            uow.commit()
            print(f"已导出资金使用对照分析（{n} 行）：{args.export}")
            return 0
        c = funds.compare(uow, args.year, args.project)
    if args.json:
        print_json({"year": c.year, "project": c.project, "budget_fen": c.budget_fen, "paid_fen": c.paid_fen,
                    "rate": c.rate, "rows": [_plain(r) for r in c.rows]})
        return 0
    print("项目编号\t年度\t资金类型\t资金来源\t预算（元）\t已拨付（元）\t结余（元）\t执行率\t说明\t项目名称")
    for r in c.rows:
        print("\t".join((r.code, str(r.year), r.kind_label, r.source_label, cell_text("money", r.budget_fen),
                         cell_text("money", r.paid_fen), cell_text("money", r.balance_fen), r.rate, r.note, r.name)))
    print(f"合计：预算 {cell_text('money', c.budget_fen)} 元，已拨付 {cell_text('money', c.paid_fen)} 元，"
          f"执行率 {c.rate}")
    if not c.rows:
        sys.stderr.write("提示：没有符合条件的预算或拨付记录\n")
    return 0


def _funds_pdf(args: argparse.Namespace, ctx: Context) -> int:
    from app.domain.inputs import check_year  # what --year holds, checked before anything is printed
    from app.services.forms import print_form, void_print  # ReportLab only for a print
    from app.storage.fileio import write_bytes

    year = check_year(args.year) if args.year else None
    result = print_form(ctx.db, ctx.actor, "fund-comparison", project_code=args.project, year=year)
    try:
        write_bytes(args.pdf, result.pdf)
    except BaseException:
        with ctx.db.uow(ctx.actor) as uow:  # the file was not written: the print did not happen
            void_print(uow, result.serial, "文件未能保存")
            uow.commit()
        raise
    print(f"已生成{result.title}：{args.pdf}（编号 {result.serial}，校验码 {result.digest}）")
    return 0

"""`govdata report KIND (--project CODE | --year Y) --out FILE.pdf` and `govdata verify-form SERIAL DIGEST`.

A command module: each handler imports its services when it runs, so one command loads only what it uses
(`govdata --help` loads neither the ORM nor openpyxl nor ReportLab)."""

from __future__ import annotations

import argparse

from app.cli.context import Context
from app.domain.vocabulary import FORM_KINDS as KINDS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="打印表单（PDF）：" + "、".join(f"{k} {v}" for k, v in KINDS.items()))
    p.add_argument("kind", choices=list(KINDS), metavar="KIND", help="表单类型：" + "、".join(KINDS))
    who = p.add_mutually_exclusive_group()
    who.add_argument("--project", help="项目编号（项目类表单）")
    who.add_argument("--year", type=int, help="年度（公示、年度计划、台账）")
    p.add_argument("--status", help="台账按状态筛选（英文状态键，如 under_construction）")
    p.add_argument("--out", required=True, help="输出的 PDF 文件")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("verify-form", help="核验打印的表单：编号和校验码（二维码内容）是否与系统记录一致")
    p.add_argument("serial", help="表单编号，如 BD2027000012")
    p.add_argument("digest", help="SM3 校验码（64位十六进制）")
    p.set_defaults(handler=cmd_verify)


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.forms import build_form
    from app.storage.fileio import write_bytes

    with ctx.db.uow(ctx.actor) as uow:
        result = build_form(uow, args.kind, project_code=args.project, year=args.year, status=args.status)
        write_bytes(args.out, result.pdf)
        uow.commit()
    print(f"已生成{result.title}：{args.out}（编号 {result.serial}，校验码 {result.digest}）")
    return 0


def cmd_verify(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.forms import verify_form

    with ctx.db.uow(ctx.actor, write=False) as uow:
        v = verify_form(uow, args.serial, args.digest)
    print(v.message)
    if v.printed_at:
        print(f"打印时间：{v.printed_at:%Y-%m-%d %H:%M}")
    return 0 if v.ok else 1

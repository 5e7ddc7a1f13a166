"""`govdata report 表单类型 (--project CODE | --year Y) --out FILE.pdf` and `govdata verify-form TEXT [DIGEST]`.

A command module: each handler imports its services when it runs, so one command loads only what it uses
(`govdata --help` loads neither the ORM nor openpyxl nor ReportLab)."""

from __future__ import annotations

import argparse
import sys

from app.cli.args import year_arg
from app.cli.context import Context
from app.domain.vocabulary import FORM_KINDS as KINDS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="打印表单（PDF）：" + "、".join(f"{k} {v}" for k, v in KINDS.items()))
    p.add_argument("kind", choices=list(KINDS), metavar="表单类型", help="表单类型：" + "、".join(KINDS))
    who = p.add_mutually_exclusive_group()
    who.add_argument("--project", help="项目编号（项目类表单）")
    who.add_argument("--year", type=year_arg(), help="年度（公示、年度计划、台账）")
    p.add_argument("--status", help="台账按状态筛选（英文状态键，如 under_construction）")
    p.add_argument("--contract", metavar="合同编号", help="合同备案表：合同编号（项目有多份合同时选择其一；默认最新一份）")
    p.add_argument("--notice", metavar="公示文号", help="公示：公示文号或编号（一年有多次公示时选择其一；默认最新一次）")
    p.add_argument("--list", action="store_true", help="列出可选的合同或公示，不打印")
    p.add_argument("--out", help="输出的 PDF 文件")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("verify-form", help="核验打印的表单：编号和校验码（或扫描二维码得到的文字）是否与系统记录一致；"
                                           "退出码 0 一致，4 打印后记录已变更，5 非本系统打印或校验码不符")
    p.add_argument("serial", metavar="编号或二维码文字", help="表单编号（如 BD2027000012），或二维码文字 GOVDATA-FORM|编号|校验码")
    p.add_argument("digest", nargs="*", metavar="校验码", help="SM3 校验码（64位十六进制，可按4位一组输入）")
    p.set_defaults(handler=cmd_verify)


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\r正在排版：{done}/{total} 行")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    from app.errors import InputError
    from app.services.forms import list_contracts, list_publicities, print_form, void_print
    from app.storage.fileio import write_bytes

    if args.list:
        with ctx.db.uow(ctx.actor, write=False) as uow:
            if args.kind == "contract-filing" and args.project:
                choices = list_contracts(uow, args.project)
            elif args.kind == "publicity":
                choices = list_publicities(uow, args.year)
            else:
                raise InputError("--list 用于合同备案表（--project）和公示（--year）")
        for c in choices:
            print(c.label)
        if not choices:
            print("（无）")
        return 0
    if not args.out:
        raise InputError("请用 --out 指定输出的 PDF 文件")
    choice = args.contract or args.notice
    if args.contract and args.kind != "contract-filing":
        raise InputError("--contract 只用于合同备案表（contract-filing）")
    if args.notice and args.kind != "publicity":
        raise InputError("--notice 只用于公示（publicity）")
    progress = _progress if args.kind in ("ledger", "annual-plan") and sys.stderr.isatty() else None
    result = print_form(ctx.db, ctx.actor, args.kind, project_code=args.project, year=args.year, status=args.status,
                        choice=choice, progress=progress)
    try:
        write_bytes(args.out, result.pdf)
    except BaseException:
        with ctx.db.uow(ctx.actor) as uow:  # the file was not written: the print did not happen
            void_print(uow, result.serial, "文件未能保存")
            uow.commit()
        raise
    print(f"已生成{result.title}：{args.out}（编号 {result.serial}，校验码 {result.digest}）")
    return 0


def cmd_verify(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.forms import verify_text

    digest = "".join(args.digest) if args.digest else None
    with ctx.db.uow(ctx.actor, write=False) as uow:
        v = verify_text(uow, args.serial, digest)
    print(v.message)
    if v.printed_at:
        print(f"打印时间：{v.printed_at:%Y-%m-%d %H:%M}")
    for name in v.changed[:50]:
        print(f"  已变更：{name}")
    if len(v.changed) > 50:
        print(f"  ……共 {len(v.changed)} 项")
    return v.exit_code

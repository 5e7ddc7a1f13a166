"""Excel commands: import-projects, import-estimate, export-projects, export-template.

Exit codes: 0 imported (or a clean dry run), 1 refused input (nothing written), 2 unreadable file.

A command module: each handler imports its services when it runs, so one command loads only what it uses
(`govdata --help` loads neither the ORM nor openpyxl nor ReportLab).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.args import year_arg
from app.cli.context import Context, print_json
from app.domain.fields import label
from app.domain.money import format_yuan
from app.domain.vocabulary import STATUS_LABELS
from app.errors import GovDataError, UnreadableError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import-projects", help="从 Excel 导入项目（预算申报汇总表、台账或填报模板）")
    p.add_argument("file", metavar="FILE", help="单位报来的表格（.xlsx/.xlsm/.xls/.ods）")
    p.add_argument("--sheet", help="工作表名称（默认按内容和年度自动识别；有两张可能的表时必须指定）")
    p.add_argument("--year", type=year_arg(), help="导入的年度，如 2027（表中没有年度列时作为各项目的年度；工作表须为该年度）")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入；显示各列的读法、跳过的行和合计")
    p.add_argument("--add-departments", action="store_true", help="名录中没有的实施单位自动添加")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    p.set_defaults(handler=cmd_import_projects)

    p = sub.add_parser("import-estimate", help="从 Excel 导入一个项目的投资概算表")
    p.add_argument("file", metavar="FILE", help="投资概算表（.xlsx/.xlsm/.xls/.ods）")
    p.add_argument("--project", required=True, metavar="CODE", help="项目编号")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    p.set_defaults(handler=cmd_import_estimate)

    p = sub.add_parser("export-projects", help="导出项目台账（.xlsx）")
    p.add_argument("out", metavar="OUT.xlsx", help="输出的 Excel 文件")
    p.add_argument("--year", type=year_arg(), help="只导出该年度的项目")
    p.add_argument("--status", help="状态（英文键）：" + " ".join(STATUS_LABELS))
    p.set_defaults(handler=cmd_export_projects)

    p = sub.add_parser("export-template", help="导出供各单位填报的项目申报模板（.xlsx）")
    p.add_argument("out", metavar="OUT.xlsx", help="输出的 Excel 文件")
    p.add_argument("--year", type=year_arg(), help="申报年度（默认明年）")
    p.set_defaults(handler=cmd_export_template)


def _unreadable_json(exc: UnreadableError) -> dict:
    return {"ok": False, "created": 0, "updated": 0, "unchanged": 0, "skipped_rows": [],
            "errors": [{"sheet": None, "row": None, "column": None, "letter": None, "kind": "unreadable",
                        "message": exc.message}], "totals": {}}


def _where(e: Any) -> str:
    column = f"{e.letter} 列“{e.column}”" if getattr(e, "letter", None) and e.column else (
        f"“{e.column}”列" if e.column else "")
    return "".join(x for x in (f"工作表“{e.sheet}”" if e.sheet else "", f"第 {e.row} 行" if e.row else "", column))


def _print_errors(errors: list) -> None:
    for e in errors:
        where = _where(e)
        sys.stderr.write(f"  {where}{'：' if where else ''}{e.message}\n")


def print_reading(report: Any, out: Any = None) -> None:
    """The reading of the sheet, before anything is written: header → field and unit, rows, skipped rows and why,
    unrecognised columns, totals."""
    out = out or sys.stdout
    write = out.write
    write(f"工作表“{report.sheet}”，表头在第 {'、'.join(map(str, report.header_rows))} 行"
          f"{f'，年度 {report.year}' if report.year else ''}：\n")
    for c in report.columns:
        unit = f"，单位 {c.unit}（{c.unit_source}）" if c.unit else ""
        write(f"  {c.letter} 列“{c.header}” → {c.label}{unit}\n")
    for u in report.unrecognised:
        write(f"  {u.letter} 列“{u.header}” → 未识别的列{'（含数字，未导入）' if u.numeric else '（未导入）'}\n")
    write(f"读取项目 {report.rows_read} 行")
    if report.skipped:
        by_kind: dict[str, list[int]] = {}
        for s in report.skipped:
            by_kind.setdefault(s.reason, []).append(s.row)
        write("；跳过 " + "，".join(f"{why} 第 {'、'.join(map(str, rows))} 行" for why, rows in by_kind.items()))
    write("\n")
    t = report.totals_fen
    if t:
        write("合计：" + "，".join(f"{label(k)} {format_yuan(t.get(k, 0))} 元"
                                  for k in ("total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen"))
              + "\n")


def _refuse(args: argparse.Namespace, ctx: Context, report: Any, action: str) -> int:
    """An import with errors: nothing was written; the refusal is recorded here, at the boundary."""
    from app.services.audit import record_refusal  # the ORM: refusals are recorded through it
    from app.services.importcore import refusal

    exc = refusal(report, action)
    record_refusal(ctx.db, ctx.actor, exc)
    if args.json:
        print_json(report.as_json())
        return 1
    sys.stderr.write(f"导入被拒绝，未写入任何数据。共 {len(report.errors)} 处错误：\n")
    _print_errors(report.errors)
    return 1


def cmd_import_projects(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.importcore import gc_paused  # the reader and the algorithm: no SQLAlchemy yet

    with gc_paused():  # the rows read are written next: no collection in between walks them all (≈ 0.01 s)
        return _import_projects(args, ctx)


def _import_projects(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.importcore import read_for_import  # loaded by cmd_import_projects

    try:
        writer = ctx.writer  # a local file at the current schema: the import's own SQL, without the ORM
        actor = ctx.actor
        result = read_for_import(args.file, sheet=args.sheet, year=args.year)
        report = None
        if writer is not None:
            from app.services.importsql import run_import_sql

            try:
                report = run_import_sql(writer, actor, result, dry_run=args.dry_run,
                                        add_departments=args.add_departments)
            except GovDataError:
                ctx.opened()  # the boundary (cli.main) records the refusal through the full database
                raise
        if report is None:  # PostgreSQL, a database to upgrade, rows that update projects or add departments
            from app.services.imports import run_import

            report = run_import(ctx.db, actor, result, dry_run=args.dry_run, add_departments=args.add_departments)
    except UnreadableError as exc:
        from app.services.audit import record_refusal  # the ORM: refusals are recorded through it

        record_refusal(ctx.db, ctx.actor, exc)
        if args.json:
            print_json(_unreadable_json(exc))
            return exc.exit_code
        raise  # the boundary (cli.main) prints it
    if args.dry_run and not args.json and report.columns:
        print_reading(report, sys.stdout if report.ok else sys.stderr)
    if not report.ok:
        return _refuse(args, ctx, report, "project.import")
    if args.json:
        print_json(report.as_json())
        return 0
    verb = "检查通过（试导入，未写入）" if args.dry_run else "导入完成"
    print(f"{verb}：工作表“{report.sheet}”，新增 {len(report.created)} 个，更新 {len(report.updated)} 个，"
          f"未变 {len(report.unchanged)} 个，跳过 {len(report.skipped)} 行。")
    if report.added_departments:
        print("新添加的实施单位：" + "、".join(report.added_departments))
    if not args.dry_run:
        print(f"总投资合计 {format_yuan(report.totals_fen.get('total_fen', 0))} 元")
    for w in report.warnings:
        print(f"提示：{w}")
    return 0


def cmd_import_estimate(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.imports import run_estimate_import

    try:
        report = run_estimate_import(ctx.db, ctx.actor, args.file, args.project, dry_run=args.dry_run)
    except UnreadableError as exc:
        if args.json:
            from app.services.audit import record_refusal

            record_refusal(ctx.db, ctx.actor, exc)
            print_json(_unreadable_json(exc) | {"project": args.project})
            return exc.exit_code
        raise
    if not report.ok:
        if args.json:
            from app.services.audit import record_refusal
            from app.services.imports import refusal

            record_refusal(ctx.db, ctx.actor, refusal(report, "estimate.import"))
            print_json(report.as_json())
            return 1
        return _refuse(args, ctx, report, "estimate.import")
    if args.json:
        print_json(report.as_json())
        return 0
    verb = "检查通过（试导入，未写入）" if args.dry_run else "概算已导入"
    print(f"{verb}：项目 {args.project}，{report.lines} 项，合计 {format_yuan(report.total_fen)} 元，"
          f"其中国产/自主可控 {format_yuan(report.domestic_fen)} 元")
    return 0


def cmd_export_projects(args: argparse.Namespace, ctx: Context) -> int:
    writer = ctx.writer
    if writer is not None:  # a local file at the current schema: the rows and the record in SQL, without the ORM
        from app.services.ledgerexport import export_ledger_sql  # no reader, no calamine

        try:
            n, recorded = export_ledger_sql(writer, ctx.actor, args.out, year=args.year, status=args.status)
        except GovDataError:
            ctx.opened()  # the boundary (cli.main) records the refusal through the full database
            raise
        if not recorded:  # the audit trail needs auditchain's way (a chain break to record, a key to unlock)
            from app.services.imports import record_export

            with ctx.db.uow(ctx.actor) as uow:
                record_export(uow, args.out, n, year=args.year, status=args.status)
                uow.commit()
    else:
        from app.services.imports import export_ledger

        n = export_ledger(ctx.db, ctx.actor, args.out, year=args.year, status=args.status)
    print(f"已导出 {n} 个项目：{args.out}")
    return 0


def cmd_export_template(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.imports import export_template

    done = export_template(ctx.db, ctx.actor, args.out, args.year)
    print(f"已导出填报模板（{done.year}年度，{done.departments} 个单位可选）：{args.out}")
    return 0

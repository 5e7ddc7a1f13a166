"""`govdata smoke`: check this installation in a temporary folder (database, window, PDF, Excel)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.main import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("smoke", help="冒烟检查：在临时目录中建库、生成演示数据、离屏绘制窗口、输出 PDF 和 Excel")
    p.add_argument("--keep", type=Path, metavar="DIR", help="把检查产生的文件留在此目录（默认用后即删）")
    p.add_argument("--report", type=Path, metavar="FILE", help="把结果写成 JSON 文件（无控制台的 Windows 窗口版用）")
    p.add_argument("--first-paint", action="store_true", help="只计时：打开主窗口，首次绘制后退出")
    p.set_defaults(handler=cmd_smoke)


def cmd_smoke(args: argparse.Namespace, ctx: Context) -> int:
    from app.smoke import first_paint, format_step, run_smoke, summary_line, write_report

    if args.first_paint:
        print(f"主窗口首次绘制：{first_paint():.3f} 秒")
        return 0
    result = run_smoke(keep=args.keep, report=lambda step: print(format_step(step), flush=True))
    print(summary_line(result))
    if args.report:
        write_report(result, args.report)
    return 0 if result.ok else 1

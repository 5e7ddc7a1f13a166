"""`govdata [--db URL] COMMAND ...`: the command line, over the same services as the window.

Exit codes: 0 success, 1 refused input or rule, 2 unreadable file or database (or no desktop for the window),
3 internal error (logged), 141 output closed by its reader (`govdata projects | head`, as other Unix tools).
Each area adds its commands from its own module (COMMAND_MODULES), exposing `register(subparsers)`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import select
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from app import APP_NAME, __version__
from app.cli import parser as zh
from app.cli.context import Context
from app.errors import GovDataError, PermissionDenied
from app.storage import dberrors

if TYPE_CHECKING:
    import logging

zh.install()  # argparse speaks Chinese (app/cli/parser.py says why this way)
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE: what `yes | head` leaves, so scripts see the same as with other tools

COMMAND_MODULES = [
    "app.cli.core",
    "app.cli.maintenance",
    "app.cli.excel",
    "app.cli.security",
    "app.cli.reports",
    "app.cli.records",
    "app.cli.rules",
    "app.cli.smoke",
    "app.cli.session",
]

# the module that registers each command: a process that runs one command imports and builds only that module's
# parsers (the others' imports and parsers were a third of a small command's start-up). A command missing here, or
# registered elsewhere, is still parsed, by the whole parser (tests/unit/test_cli_parser.py checks the table).
COMMAND_OWNERS = {
    **dict.fromkeys(("advance", "attach", "attachments", "calendar", "contractors", "demo", "departments", "history",
                     "init", "plan", "projects", "register", "show"), "app.cli.core"),
    **dict.fromkeys(("backup", "check", "restore", "unlock-db"), "app.cli.maintenance"),
    **dict.fromkeys(("export-projects", "export-template", "import-estimate", "import-projects"), "app.cli.excel"),
    **dict.fromkeys(("audit", "security", "user", "verify"), "app.cli.security"),
    **dict.fromkeys(("report", "verify-form"), "app.cli.reports"),
    **dict.fromkeys(("funds", "records"), "app.cli.records"),
    **dict.fromkeys(("duties", "notices", "numbers", "run-due"), "app.cli.rules"),
    "smoke": "app.cli.smoke",
    **dict.fromkeys(("login", "logout"), "app.cli.session"),
}



def _log() -> logging.Logger:
    import logging  # 8 ms with traceback and string, at every command's start: only errors and warnings log here

    return logging.getLogger("govdata")


GLOBAL_DESTS = ("db", "user", "demo", "command")  # no subcommand may reuse these (tests/unit/test_cli_parser.py)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command's, or (`command`) only the commands of the module that registers
    that one (the whole parser when the module does not register it after all)."""
    module = COMMAND_OWNERS.get(command or "")
    parser = zh.ChineseParser(prog="govdata",
                              description=f"{APP_NAME}：政务大数据项目全生命周期管理（不带命令时打开窗口）")
    parser.add_argument("--version", action="version", version=f"govdata {__version__}", help="显示版本号并退出")
    parser.add_argument("--db", help="数据库：文件路径或 SQLAlchemy 地址（如 postgresql+psycopg://…）；默认读取 GOVDATA_DB")
    parser.add_argument("--user", help="登录账户（或环境变量 GOVDATA_USER；口令取自 GOVDATA_PASSWORD 或提示输入）")
    parser.add_argument("--demo", action="store_true",
                        help="使用独立的演示数据库（不存在时自动生成；以演示账户 reviewer 登录，口令 demo-2026）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=zh.ChineseParser)
    for name in [module] if module else COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    if module and command not in sub.choices:
        return build_parser()
    return zh.localise(parser)


def command_named(argv: Sequence[str]) -> str | None:
    """The command that argv plainly names: the first word after the global options written out in full (--db X,
    --db=X, --user X, --user=X, --demo). None for anything else (--help, --version, an abbreviated option, no
    command): the whole parser reads it."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("--db", "--user"):
            i += 2
        elif word.startswith(("--db=", "--user=")) or word == "--demo":
            i += 1
        elif word.startswith("-"):
            return None
        else:
            return word
    return None


def _setup_logging() -> str:
    import logging  # only for an internal error (see _log)

    from app.storage.paths import log_dir

    path = log_dir() / "govdata.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        parser = build_parser(command_named(argv))
        args, extra = parser.parse_known_args(argv)
        if extra and not getattr(args, "allow_extra", False):
            zh.innermost(parser).error("无法识别的参数：" + " ".join(extra))
        if args.demo and args.db:
            parser.error("--demo 使用独立的演示数据库，不能与 --db 同时使用")
    except SystemExit:  # --help, --version, a usage error: their text is flushed here, where a closed pipe shows
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            return _closed_pipe()
        raise
    except BrokenPipeError:  # `govdata --help | head -1`
        return _closed_pipe()
    args.extra = extra
    if not args.command:
        return main_gui_args(args)
    handler: Callable[[argparse.Namespace, Context], int] = args.handler
    ctx = Context(args)
    try:
        code = int(handler(args, ctx) or 0)
        unrecorded = [*(getattr(ctx._db, "not_recorded", None) or ()), *(getattr(ctx._writer, "not_recorded", None) or ())]
        for why in dict.fromkeys(unrecorded):  # a read done, its record not
            sys.stderr.write(f"提示：{why}。\n")
        sys.stdout.flush()  # a reader that stopped early is found here, not at interpreter exit
        return code
    except BrokenPipeError:
        if not _stdout_closed():
            return _internal_error(args)
        return _closed_pipe()
    except GovDataError as exc:
        _record_refusal(ctx, args, exc)
        sys.stderr.write(f"错误：{exc.message}\n")
        for err in getattr(exc, "errors", None) or []:
            sys.stderr.write(f"  {describe_cell_error(err)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("已取消。\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - the one boundary where bugs are caught, logged and apologised for
        known = dberrors.user_error(exc)  # a busy, read-only, full, damaged… database: the user's message, exit 2
        if known is None:
            return _internal_error(args)
        sys.stderr.write(f"错误：{known.message}\n")
        return known.exit_code
    finally:
        ctx.close()


def _internal_error(args: argparse.Namespace) -> int:
    try:
        path = _setup_logging()
    except OSError:
        path = "（无法写入日志）"
    import traceback  # only for an internal error, as logging (see _log)

    _log().error("unexpected error in %s\n%s", args.command, traceback.format_exc())
    sys.stderr.write(f"抱歉，程序内部出错，操作未完成。详细信息已记录在日志：{path}\n")
    return 3


def _stdout_closed() -> bool:
    """Whether standard output's reader has gone: a pipe with no reader polls as an error."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    if not hasattr(select, "poll"):  # Windows: a broken pipe there is the console's or a pipe's reader gone
        return True
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _fd, events in poller.poll(0))


def _closed_pipe() -> int:
    """The reader of our output stopped reading (`| head`): leave quietly. Standard output is pointed at the null
    device so the interpreter's last flush finds nowhere to complain (as the Python documentation advises)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return EXIT_CLOSED_PIPE


def _record_refusal(ctx: Context, args: argparse.Namespace, exc: GovDataError) -> None:
    """A refused action leaves one audit record (app.services.audit.record_refusal), also after a command that
    only read (through ctx.reader): then the database is opened to write it."""
    if ctx._actor is None or not (ctx._db is not None or ctx._reader):
        return  # nothing was opened, nobody signed in: nothing to record against
    if exc.audit_recorded or (exc.audit_context is None and not isinstance(exc, PermissionDenied)):
        return  # not a recorded kind (record_refusal would say so): no need to open the database for it
    try:
        db = ctx.db
    except GovDataError as why:  # e.g. the window holds the database: the user still gets the refusal
        _log().warning("could not open the database to record a refusal: %s", why.message)
        return
    from app.services.audit import record_refusal  # the ORM only when a command opened the database

    project = getattr(args, "code", None)
    try:
        record_refusal(db, ctx._actor, exc, "project" if project else None, project, f"command.{args.command}")
    except Exception as why:  # a busy, read-only or full database: the user still gets the refusal
        if dberrors.user_error(why) is None:
            raise
        _log().warning("could not record a refusal: %s", why)


def describe_cell_error(err: Any) -> str:
    """'工作表“汇总表”第12行“总投资”列：…' from an error with sheet, row, column and message."""
    d = err.as_dict() if hasattr(err, "as_dict") else err if isinstance(err, dict) else {"message": str(err)}
    where = ""
    if d.get("sheet"):
        where += f"工作表“{d['sheet']}”"
    if d.get("row"):
        where += f"第{d['row']}行"
    if d.get("column"):
        where += f"“{d['column']}”列"
    return f"{where}：{d.get('message', '')}" if where else str(d.get("message", ""))


def main_gui_args(args: argparse.Namespace) -> int:
    # only to open the window: ctypes and socket stay out of every command's start
    from app.cli import display

    problem = display.desktop_problem()  # before Qt, which aborts the process when it cannot open a display
    if problem:
        sys.stderr.write(problem + "\n")
        return 2
    try:
        from app.ui.app import run
    except ImportError as exc:
        sys.stderr.write(f"无法打开窗口：{exc}\n")
        return 2
    return int(run(db_arg=args.db, demo=args.demo) or 0)


def main_gui() -> int:
    """Entry point of the windowed launcher (govdata-gui)."""
    return main(sys.argv[1:])


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())


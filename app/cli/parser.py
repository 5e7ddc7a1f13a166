"""argparse in Chinese: its own messages, the help's headings, the placeholders in a usage line, exit code 1.

argparse looks every message up through the module-level `_` and `ngettext` it imported from gettext, at the
moment it shows the message. `install()` points those two names at the table below. That is the smallest way to
reach every message argparse can print ("usage:", "invalid choice", "the following arguments are required", the
-h help, …) without rewriting its parser: a gettext catalogue (.mo) would need a compiled file and a locale
setting (LANG=C on many PCs would silently fall back to English), and subclassing reaches only the usage prefix
and the headings. A message the table does not know stays as argparse wrote it; tests/unit/test_cli_parser.py
fails when the running Python's argparse has a message the table lacks.

Placeholders: argparse shows an option's value as its dest in capitals (`--year YEAR`) and a positional by its
dest (`code`), also in its error messages. `localise(parser)` gives every argument without a metavar the
Chinese name below (by dest), and replaces the few English placeholders command modules spell out (COMMAND,
SUBCOMMAND, FILE, OUT.xlsx …), so help and errors say 年度 and 项目编号.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any, NoReturn

# argparse's messages (Python 3.11–3.13), in the order of the argparse source
MESSAGES: dict[str, str] = {
    "usage: ": "用法：",
    "%(heading)s:": "%(heading)s：",
    "positional arguments": "位置参数",
    "options": "选项",
    "subcommands": "子命令",
    " (default: %(default)s)": "（默认：%(default)s）",
    "show this help message and exit": "显示帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "argument '%(argument_name)s' is deprecated": "参数“%(argument_name)s”已不再使用",
    "option '%(option)s' is deprecated": "选项“%(option)s”已不再使用",
    "command '%(parser_name)s' is deprecated": "命令“%(parser_name)s”已不再使用",
    ".__call__() not defined": ".__call__() 未定义",
    "conflicting subparser: %s": "子命令重复：%s",
    "conflicting subparser alias: %s": "子命令别名重复：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可选：%(choices)s）",
    "argument \"-\" with mode %r": "参数“-”不能以 %r 方式打开",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "cannot merge actions - two groups are named %r": "无法合并参数：有两个名为 %r 的分组",
    "'required' is an invalid argument for positionals": "位置参数不能使用 required",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r":
        "选项 %(option)r 无效：应以字符 %(prefix_chars)r 开头",
    "dest= is required for options like %r": "选项 %r 需要 dest=",
    "invalid conflict_resolution value: %r": "conflict_resolution 的值无效：%r",
    "conflicting option string: %s": "选项重复：%s",
    "conflicting option strings: %s": "选项重复：%s",
    "mutually exclusive arguments must be optional": "互斥的参数必须是可选参数",
    "cannot have multiple subparser arguments": "只能有一组子命令",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 须给出其中之一",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "%r is not callable": "%r 不可调用",
    "invalid %(type)s value: %(value)r": "%(type)s 的值无效：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s：提示：%(message)s\n",
}

# the placeholder shown for an argument that names none, by its dest
METAVARS: dict[str, str] = {
    "action": "操作", "alias": "别名", "aliases": "别名", "archive": "归档文件", "before": "日期",
    "by_user": "用户名", "category": "类别", "city_share": "金额", "code": "项目编号", "codes": "项目编号",
    "content": "内容", "county": "县名", "county_funds": "金额", "county_share": "金额", "credit_code": "信用代码",
    "date": "日期", "days": "天数", "db": "数据库", "department": "单位", "digest": "摘要", "doc_no": "文号",
    "export": "输出.xlsx", "file": "文件", "get": "附件编号", "keep": "文件夹", "limit": "条数", "name": "名称",
    "names": "名称", "nature": "性质", "note": "说明", "object": "对象", "other_funds": "金额", "out": "输出文件",
    "password": "口令", "period_months": "月数", "phone": "电话", "project": "项目编号", "report": "文件",
    "responsible": "姓名", "role": "角色", "search": "文字", "serial": "编号", "sheet": "工作表",
    "since": "日期", "src": "备份文件", "status": "状态", "text": "文字", "total": "金额", "until": "日期",
    "upper_funds": "金额", "user": "用户名", "username": "用户名", "year": "年度", "year_request": "金额",
}

# English placeholders spelled out by command modules
ENGLISH_METAVARS: dict[str, str] = {
    "COMMAND": "命令", "SUBCOMMAND": "子命令", "FILE": "文件", "NAME": "名称", "CODE": "项目编号", "ID": "编号",
    "DIR": "文件夹", "OUT": "输出文件", "IN": "备份文件", "OUT.xlsx": "输出.xlsx", "OUT.json": "输出.json",
    "OUT.pdf": "输出.pdf", "FILE.xlsx": "文件.xlsx", "FILE.pdf": "文件.pdf", "YEAR": "年度", "DATE": "日期",
}

TYPE_NAMES: dict[Any, str] = {int: "整数", float: "数字"}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    message = singular if n == 1 else plural
    return MESSAGES.get(message, message)


def install() -> None:
    """Point argparse's message look-ups at the Chinese table (idempotent; affects this process's argparse)."""
    setattr(argparse, "_", _gettext)  # noqa: B010 - the module globals argparse calls when it shows a message
    setattr(argparse, "ngettext", _ngettext)  # noqa: B010


def display_width(text: str) -> int:
    """Columns a terminal gives the text: a Chinese character (or full-width mark) takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns: Chinese may break between any two characters, other text at spaces."""
    lines: list[str] = []
    line, used = "", 0
    for word in _words(" ".join(text.split())):
        w = display_width(word)
        if line and used + w > width:
            lines.append(line.rstrip())
            line, used = "", 0
            if word == " ":
                continue
        line += word
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _words(text: str) -> Iterator[str]:
    """Runs of non-wide characters stay whole; each wide character and each space is its own piece."""
    run = ""
    for ch in text:
        if ch == " " or unicodedata.east_asian_width(ch) in "WF":
            if run:
                yield run
                run = ""
            yield ch
        else:
            run += ch
    if run:
        yield run


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Aligns and wraps help by the columns Chinese text takes, and heads each section with a full-width colon."""

    class _Section(argparse.HelpFormatter._Section):
        def format_help(self) -> str:
            text: str = super().format_help()
            if self.heading:  # Python 3.11/3.12 write the colon themselves
                text = text.replace(f"{self.heading}:\n", f"{self.heading}：\n", 1)
            return text

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:  # the help column by the columns the invocations take
            width = display_width(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        head = " " * self._current_indent + self._format_action_invocation(action)
        rest = text[len(head):]
        if not text.startswith(head) or not rest.startswith(" "):
            return text  # no help, or the help already on the next line
        help_position = min(self._action_max_length + 2, self._max_help_position)
        used = display_width(head)
        if used + 2 <= help_position:
            return head + " " * (help_position - used) + rest.lstrip(" ")
        return head + "\n" + " " * help_position + rest.lstrip(" ")


class ChineseParser(argparse.ArgumentParser):
    """argparse with Chinese messages and exit code 1 (refused input) for a usage error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)

    _innermost: ChineseParser | None = None  # the subcommand that parsed last (argparse reports its leftovers on top)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:  # the one signature of the overloads
        ChineseParser._innermost = None
        result = super().parse_known_args(*args, **kwargs)
        if ChineseParser._innermost is None:  # a subcommand's parser returns first: the innermost one
            ChineseParser._innermost = self
        return result

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"错误：{message}\n")
        sys.stderr.write(f"（{self.prog} -h 显示帮助）\n")
        raise SystemExit(1)

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError:
            kind = TYPE_NAMES.get(action.type)
            if kind is None:
                raise
            raise argparse.ArgumentError(action, f"应为{kind}：{arg_string}") from None


def innermost(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The subcommand's parser of the last parse (the parser itself without one): arguments it did not know are
    named with its usage and its help."""
    return ChineseParser._innermost or parser


def walk(parser: argparse.ArgumentParser) -> Iterator[tuple[argparse.ArgumentParser, argparse.Action]]:
    """Every (parser, argument) of a parser and of its subcommands, depth first."""
    for action in parser._actions:
        yield parser, action
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases share their parser
                yield from walk(sub)


def localise(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Chinese placeholders for every argument of the parser and its subcommands (see the module's docstring)."""
    for _parser, action in walk(parser):
        if isinstance(action.metavar, str):
            action.metavar = ENGLISH_METAVARS.get(action.metavar, action.metavar)
        elif action.metavar is None and action.nargs != 0 and not isinstance(action, argparse._SubParsersAction):
            if action.choices is not None:
                if not action.option_strings:  # shown as {a,b} in usage; named so in errors too
                    action.metavar = "{" + ",".join(map(str, action.choices)) + "}"
            elif action.dest in METAVARS:
                action.metavar = METAVARS[action.dest]
    return parser

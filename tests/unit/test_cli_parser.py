"""The command line's parser speaks Chinese: argparse's own messages, every option's help, the placeholders; no
subcommand option shadows a global one."""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import parser as zh
from app.cli.main import COMMAND_MODULES, COMMAND_OWNERS, GLOBAL_DESTS, build_parser, command_named, main

ROOT = Path(__file__).parents[2]
ENGLISH_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def argparse_messages() -> set[str]:
    """Every message the running Python's argparse looks up through _() or ngettext()."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            for arg in node.args[: 1 if node.func.id == "_" else 2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def test_every_argparse_message_of_this_python_has_a_chinese_form() -> None:
    messages = argparse_messages()
    assert "usage: " in messages and "invalid choice: %(value)r (choose from %(choices)s)" in messages
    missing = sorted(messages - set(zh.MESSAGES))
    assert not missing, f"add to app/cli/parser.py MESSAGES: {missing}"
    for english, chinese in zh.MESSAGES.items():  # the same placeholders, so formatting never fails
        assert re.findall(r"%\(\w+\)[rsd]|%[rsd]", english) == re.findall(r"%\(\w+\)[rsd]|%[rsd]", chinese), english


def all_parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    found: list[tuple[str, argparse.ArgumentParser]] = []

    def visit(prog: str, p: argparse.ArgumentParser) -> None:
        found.append((prog, p))
        for a in p._actions:
            if isinstance(a, argparse._SubParsersAction):
                for name, sub in a.choices.items():
                    visit(f"{prog} {name}", sub)

    visit("govdata", build_parser())
    return found


def test_every_argument_has_a_chinese_help_and_placeholder() -> None:
    for prog, p in all_parsers():
        for a in p._actions:
            name = "/".join(a.option_strings) or a.dest
            if isinstance(a, argparse._SubParsersAction):
                assert all(c.help for c in a._choices_actions), prog  # each subcommand says what it does
                continue
            assert a.help and re.search(r"[\u4e00-\u9fff]", a.help), f"{prog} {name}: no Chinese help"
            if a.nargs != 0 and not a.choices:
                assert a.metavar and re.search(r"[\u4e00-\u9fff]", a.metavar), f"{prog} {name}: {a.metavar!r}"
            if isinstance(a.metavar, str) and not a.metavar.startswith("{"):  # a choice's placeholder is Chinese too
                assert re.search(r"[\u4e00-\u9fff]", a.metavar), f"{prog} {name}: {a.metavar!r}"


def test_help_of_every_command_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    for prog, p in all_parsers():
        text = p.format_help()
        assert text.startswith(f"用法：{prog}"), prog
        assert "usage" not in text and "show this help" not in text and "options" not in text, prog
        assert "显示帮助并退出" in text, prog
        assert not re.search(r"positional arguments|subcommands|\(default:|[A-Za-z]:\n", text), prog


def test_no_subcommand_option_shadows_a_global_one() -> None:
    """`govdata --user auditor audit list --by-user clerk`: a subcommand's own --user would overwrite the
    sign-in (argparse keeps the last value of a dest)."""
    top = build_parser()
    global_flags = {s for a in top._actions for s in a.option_strings}
    for prog, p in all_parsers()[1:]:
        for a in p._actions:
            assert a.dest not in GLOBAL_DESTS or isinstance(a, argparse._SubParsersAction) and a.dest != "command", (
                prog, a.dest)
            assert not (set(a.option_strings) & global_flags - {"-h", "--help"}), (prog, a.option_strings)


@pytest.mark.parametrize("args, expected", [
    (["calendar", "set", "2027-01-01", "someday"], "无效的选择：'someday'"),
    (["register", "--name", "甲"], "缺少必需的参数：--department"),
    (["projects", "--year", "明年"], "错误：参数 --year：年度应为整数：明年"),
    (["calendar"], "缺少必需的参数：子命令"),
    (["frobnicate"], "无效的选择：'frobnicate'"),
    (["projects", "--bogus"], "无法识别的参数：--bogus"),
    (["--demo", "--db", "x.sqlite3", "projects"], "不能与 --db 同时使用"),
])
def test_usage_errors_in_chinese_exit_1(capsys: pytest.CaptureFixture[str], args: list[str], expected: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 1
    assert err.startswith("用法：govdata") and expected in err, err
    assert not {"usage", "error", "invalid", "required", "argument", "choose"} & set(ENGLISH_WORD.findall(err))


def test_help_from_the_shell_is_chinese() -> None:
    proc = subprocess.run([sys.executable, "-m", "app", "calendar", "deadline", "--help"], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.startswith("用法：govdata calendar deadline [-h] [--days 天数] 日期")
    assert "工作日数（默认 5）" in proc.stdout and "  -h, --help   显示帮助并退出\n  --days 天数  工作日数（默认 5）\n" in proc.stdout


def test_wide_characters_are_aligned_and_wrapped_by_their_columns() -> None:
    assert zh.display_width("年度 2026") == 9
    lines = zh.wrap("只列该年度的项目 and some words " * 4, 20)
    assert all(zh.display_width(line) <= 20 for line in lines) and len(lines) > 3
    starts = set()
    for line in build_parser().format_help().splitlines():
        m = re.match(r"(  --(?:db|user|demo)(?: \S+)?)( {2,})", line)
        if m:
            starts.add(zh.display_width(m.group(1) + m.group(2)))
    assert len(starts) == 1, starts  # their help starts in one column on the terminal


@pytest.mark.parametrize("args, prog", [
    (["calendar", "deadline", "2026-02-03", "5"], "govdata calendar deadline"),
    (["projects", "--bogus"], "govdata projects"),
    (["records", "incident", "list", "--zz"], "govdata records incident list"),
    (["--bogus"], "govdata"),
])
def test_an_unknown_argument_is_named_with_its_subcommands_usage(capsys: pytest.CaptureFixture[str], args: list[str],
                                                                 prog: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 1
    assert err.startswith(f"用法：{prog} [-h]") and err.rstrip().endswith(f"（{prog} -h 显示帮助）"), err


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def test_each_command_is_parsed_by_its_own_modules_parser_alone() -> None:
    # the table says which module registers each command (a process builds only that module's parsers): it must
    # name every command, each by the module that registers it
    import importlib

    owners = {}
    for name in COMMAND_MODULES:
        p = zh.ChineseParser(prog="govdata")
        importlib.import_module(name).register(p.add_subparsers(dest="command", parser_class=zh.ChineseParser))
        owners |= dict.fromkeys(_commands(p), name)
    assert COMMAND_OWNERS == owners
    full = _commands(build_parser())
    for command in full:
        alone = _commands(build_parser(command))
        assert command in alone and set(alone) <= set(full)
        assert alone[command].format_help() == full[command].format_help(), command
    assert set(_commands(build_parser("no-such-command"))) == set(full)


@pytest.mark.parametrize(("argv", "command"), [
    (["import-projects", "a.xlsx"], "import-projects"), (["--db", "x.db", "projects", "--json"], "projects"),
    (["--db=x.db", "--user", "alice", "--demo", "show", "QS-1"], "show"), (["--user=bob", "verify"], "verify"),
    (["--help"], None), (["--version"], None), (["--us", "alice", "show"], None), ([], None), (["--db", "x"], None)])
def test_the_command_named_is_read_only_past_the_global_options_written_out(argv: list[str],
                                                                           command: str | None) -> None:
    assert command_named(argv) == command


def test_a_command_runs_without_loading_the_other_commands_modules() -> None:
    code = ("import sys; from app.cli.main import main\n"
            "try:\n    main(['import-projects', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('app.cli.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    loaded = ast.literal_eval(out.strip().splitlines()[-1])
    assert "app.cli.excel" in loaded and not {"app.cli.core", "app.cli.records", "app.cli.security"} & set(loaded)

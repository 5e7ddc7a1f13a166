"""The README cannot drift: its first session runs as written, its commands and options exist, its install lines
match what CI runs, and the system libraries it lists are the ones the desktop check looks for."""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import tomllib
from pathlib import Path

import pytest

from app.cli import display
from app.cli.main import build_parser, main
from app.storage.paths import data_dir

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def code_blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", README, flags=re.M | re.S)


def session_block() -> list[str]:
    [block] = [b for b in code_blocks("sh") if b.startswith("export GOVDATA_DB=")]
    return [line for line in block.splitlines() if line.strip()]


def test_the_first_session_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str], demo_template: Path) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(demo_template, data_dir() / "demo.sqlite3")  # what `govdata --demo` builds on first use
    lines = session_block()
    assert len(lines) >= 10
    for line in lines:
        command, _, comment = line.partition("  # ")
        words = shlex.split(command)
        if words[0] == "export":
            name, value = words[1].split("=", 1)
            monkeypatch.setenv(name, value)
            continue
        assert words[0] == "govdata", line
        expected = int(re.match(r"exit (\d+)", comment).group(1)) if comment.startswith("exit") else 0
        code = main(words[1:])
        out = capsys.readouterr()
        assert code == expected, (line, out.err)
        assert "程序内部出错" not in out.err and "Traceback" not in out.err, line
        if expected:
            reason = re.match(r"exit \d+: ([^（]+)", comment).group(1)
            assert reason in out.err, (line, out.err)  # the reason the comment gives is the one printed
        elif "--json" not in words:
            assert out.out.strip(), line  # every example shows something
    assert (tmp_path / "try.sqlite3").exists()


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for a in parser._actions:
        if isinstance(a, argparse._SubParsersAction):
            return dict(a.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> set[str]:
    found = {s for a in parser._actions for s in a.option_strings}
    for sub in _commands(parser).values():
        found |= _options(sub)
    return found


def readme_examples() -> list[str]:
    """Every `govdata …` the README shows: inline code and lines of its code blocks."""
    spans = re.findall(r"`(govdata(?: [^`]*)?)`", README)
    lines = [ln.strip() for b in code_blocks("sh") for ln in b.splitlines() if ln.strip().startswith("govdata")]
    return spans + lines


def test_every_command_and_option_the_readme_names_exists() -> None:
    top = build_parser()
    commands = _commands(top)
    global_options = {s for a in top._actions for s in a.option_strings}
    examples = readme_examples()
    assert len(examples) > 30
    for example in examples:
        command = None
        for part in example.removeprefix("govdata").split(" / "):  # `backup OUT / restore IN / check [--full]`
            words = [w.lstrip("[(") for w in part.replace("…", " ").replace("|", " ").split()]
            rest = [w for i, w in enumerate(words) if not w.startswith("-") and (i == 0 or words[i - 1] not in (
                "--db", "--user")) and not w.strip("[]()").isupper() and w.strip(".")]
            if rest and rest[0].strip("[]()") in commands:
                command = rest[0].strip("[]()")
            elif rest and command is None:
                raise AssertionError(f"README names `govdata {rest[0]}`, which does not exist")
            known = (_options(commands[command]) if command else set()) | global_options
            for w in words:
                opt = re.match(r"(--[a-z][a-z-]*)", w)
                if opt and command != "advance":  # its fields are the action's (run in the first session)
                    assert opt.group(1) in known, f"README: `{example}` uses {opt.group(1)}, unknown to {command}"


def test_the_command_table_lists_every_command() -> None:
    named = set()
    for row in re.findall(r"^\| (`govdata.*?) \| ", README, flags=re.M):
        named |= set(re.findall(r"`govdata ([a-z-]+)", row))
        named |= set(re.findall(r" / ([a-z-]+)", row))  # `backup OUT / restore IN / check …`
    missing = set(_commands(build_parser())) - named
    assert not missing, f"commands missing from the README's table: {sorted(missing)}"


def test_install_and_test_lines_are_what_ci_runs() -> None:
    first, second = code_blocks("sh")[:2]
    assert first.strip() == "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/govdata --demo"
    assert second.strip() in CI.replace(" -q ", " ")  # the README's test command is CI's
    assert ".venv/bin/python -m pytest -m slow" in CI and ".venv/bin/python -m pytest -m slow" in README
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["govdata"] == "app.cli.main:main"
    for extra in re.findall(r'-e "\.\[(\w+)\]"', README):
        assert extra in project["optional-dependencies"], extra
    [windows] = code_blocks("powershell")
    assert windows.startswith("py -3.11 -m venv .venv\n") and ".venv\\Scripts\\govdata --demo" in windows


def test_window_libraries_listed_where_they_are_needed() -> None:
    packages = set(display.XCB_LIBRARIES.values())
    [apt] = [b for b in code_blocks("sh") if b.startswith("sudo apt install")]
    listed = set(apt.replace("\\", " ").split()[3:])
    assert packages <= listed, packages - listed
    ci_listed = set(CI.replace("\\", " ").split())
    assert listed <= ci_listed, listed - ci_listed  # CI installs what the README tells a PC to install


def test_demo_accounts_and_password_are_the_programs() -> None:
    from app.domain.demo import DEMO_PASSWORD, DEMO_USER
    from app.services.auth import DEMO_ACCOUNTS

    section = README[README.index("**Demo accounts.**"):README.index("**Windows**")]
    assert f"`{DEMO_PASSWORD}`" in section and f"as `{DEMO_USER}`" in section
    for username, _role, _name in DEMO_ACCOUNTS:
        assert f"`{username}`" in section, username


def test_exit_codes_documented_are_the_programs() -> None:
    from app.cli.main import EXIT_CLOSED_PIPE
    from app.errors import DatabaseError, InputError

    section = README[README.index("## Command line"):README.index("| command | what |")]
    for code in (0, InputError.exit_code, DatabaseError.exit_code, 3, EXIT_CLOSED_PIPE):
        assert re.search(rf"\b{code} ", section), code

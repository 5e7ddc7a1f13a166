"""Rules of the test suite itself, so that it passes however it is run (whole, one folder, one file)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parents[1]


def test_no_test_imports_a_conftest_by_its_bare_name() -> None:
    """`from conftest import Walker` gets whichever conftest.py was imported last (tests/ui/ has one too): in a
    whole run that is the window's, and every such test errors. Import `tests.conftest` instead."""
    bare = re.compile(r"^\s*(from conftest import|import conftest\b)", re.M)
    offenders = [str(p.relative_to(TESTS)) for p in TESTS.rglob("*.py") if bare.search(p.read_text("utf-8"))]
    assert not offenders, offenders


def test_no_test_leaves_the_interpreter_with_os_exit() -> None:
    """Exit clean-ups (temporary files, the instance locks) must run at the end of a test run."""
    assert "os._exit" not in (TESTS / "conftest.py").read_text("utf-8")
    assert "os._exit" not in (TESTS / "ui" / "conftest.py").read_text("utf-8")

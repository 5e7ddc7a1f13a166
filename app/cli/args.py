"""argparse types over the input rules (app.domain.inputs): a bad number on the command line is refused with the
same Chinese message as in the window, before anything opens the database."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from app.domain.inputs import MAX_ID, check_int, check_year
from app.errors import InputError


def year_arg(what: str = "年度") -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            return check_year(text, what)
        except InputError as exc:
            raise argparse.ArgumentTypeError(exc.message) from None
    return parse


def int_arg(what: str, lo: int = 0, hi: int = MAX_ID) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            return check_int(text, what, lo, hi)
        except InputError as exc:
            raise argparse.ArgumentTypeError(exc.message) from None
    return parse

"""Numbers as the settings' patterns write them: a batch of codes is written as each one alone would be."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.domain.numberformat import format_number, format_numbers
from app.errors import InputError


def _outcome(fn: Callable[[], list[str]]) -> list[str] | str:
    """The numbers, or the refusal's message."""
    try:
        return fn()
    except InputError as exc:
        return exc.message


@pytest.mark.parametrize("pattern", ["QS-{year}-{seq:04d}", "{prefix}〔{year}〕{seq}号", "X{seq:>6}", "a}}b{{c{seq}",
                                     "{year!r}-{seq:,}", "{0}", "{}", "{nope}", "{seq:q}", "{", "{seq:{year}}"])
def test_a_batch_is_numbered_as_each_number_alone(pattern: str) -> None:
    seqs = range(998, 1003)
    alone = _outcome(lambda: [format_number(pattern, "沁审管发", 2027, s) for s in seqs])
    assert _outcome(lambda: format_numbers(pattern, "沁审管发", 2027, seqs)) == alone
    if pattern == "QS-{year}-{seq:04d}":
        assert alone == ["QS-2027-0998", "QS-2027-0999", "QS-2027-1000", "QS-2027-1001", "QS-2027-1002"]
    if pattern in ("{0}", "{nope}", "{"):
        assert isinstance(alone, str) and alone.startswith("编号格式设置有误")

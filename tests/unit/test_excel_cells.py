"""Cell values as people type them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.errors import InputError
from app.excel import cells
from app.excel.layout import clean_header, match_field
from app.excel.summary import SYNONYMS


@pytest.mark.parametrize("value,unit,fen", [
    ("１２３．４５", "万元", 123_450_000), ("1,234.56", "元", 123_456), (" 12 ", "元", 1200), (0.1 + 0.2, "万元", 300_000),
    ("—", "万元", 0), ("-", "元", 0), ("", "元", 0), (None, "元", 0), ("¥1,000元", "元", 100_000),
    (123.456789, "万元", 123_456_789), (-5, "元", -500), ("12万元", "元", 12_000_000),
])
def test_amounts(value: object, unit: str, fen: int) -> None:
    assert cells.amount_fen(value, unit) == fen


def test_amount_below_the_fen_and_words_are_refused() -> None:
    with pytest.raises(InputError, match="最多保留两位小数"):
        cells.amount_fen("1.234", "元")
    with pytest.raises(InputError, match="不是有效的数字"):
        cells.amount_fen("一百万", "元")
    assert cells.amount_fen("", "元", blank_is_zero=False) is None


def test_quantities_years_booleans() -> None:
    assert cells.quantity("12个月") == (Decimal(12), "个月")
    assert cells.quantity("１套") == (Decimal(1), "套")
    assert cells.quantity(2.5) == (Decimal("2.5"), "")
    assert cells.whole_number("12个月", "建设周期") == 12
    assert cells.whole_number("—", "建设周期") is None
    assert [cells.year(v) for v in (2027, 2027.0, "2027年", "２０２７年度", "")] == [2027, 2027, 2027, 2027, None]
    assert [cells.boolean(v, "x") for v in ("是", "否", "√", "×", " Y ", "")] == [True, False, True, False, True, None]
    with pytest.raises(InputError, match="应填“是”或“否”"):
        cells.boolean("可能", "是否国产")


def test_header_wording() -> None:
    assert clean_header("总投资\n（万元）*") == "总投资"
    for word, field in [("项目名称", "name"), ("名称", "name"), ("申报单位", "department"), ("项目单位", "department"),
                        ("项目总投资（万元）", "total"), ("总投资额", "total"), ("本年度申请资金(万元)", "year_request"),
                        ("县级 财政资金", "county"), ("上级补助", "upper"), ("建设周期（月）", "period")]:
        assert match_field(word, SYNONYMS) == field, word
    assert match_field("2027年度政务大数据项目预算申报汇总表", SYNONYMS) is None


def _outcome(fn, value):
    try:
        return fn(value)
    except InputError as exc:
        return exc.message


def test_fast_amount_reader_agrees_with_the_exact_decimal_path() -> None:
    """The reader's float fast path gives what cells.amount_fen gives (the value or the refusal), cell by cell."""
    import random

    from app.excel.summary import _amount_reader

    rng = random.Random(3)
    values: list[object] = [0.1 + 0.2, 1e-7, 5e-7, 0.0000005, 0.000001, 123.4567891, 123.456789, 1e15, 1e16,
                            9.99999999999999e8, -0.0, -1.25, float("nan"), float("inf"), 1.0000000000001,
                            12345678901.23, 1234567890123.45, 3, -7, None, "", "—", "1,2", True]
    for _ in range(20_000):
        digits = rng.randint(0, 8)
        values.append(round(rng.uniform(-1e6, 1e9), digits))
        values.append(rng.randint(0, 10**12) / 10 ** rng.randint(0, 7))
    for unit in ("元", "万元"):
        for blank_is_zero in (True, False):
            fast = _amount_reader(unit, "总投资", blank_is_zero)
            def exact(x: object, unit: str = unit, blank_is_zero: bool = blank_is_zero) -> int | None:
                return cells.amount_fen(x, unit, "总投资", blank_is_zero=blank_is_zero)

            for v in values:
                assert _outcome(fast, v) == _outcome(exact, v), (v, unit)

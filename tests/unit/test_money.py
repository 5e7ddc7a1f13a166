"""Exact money: parsing as people type it, fen arithmetic, capitals as on paper."""

from decimal import Decimal

import pytest

from app.domain.money import fen_to_yuan_str, format_yuan, parse_amount, to_capital, wan_to_fen, yuan_to_fen
from app.errors import InputError


@pytest.mark.parametrize("fen, text", [
    (318_404_000, "人民币叁佰壹拾捌万肆仟零肆拾元整"),
    (100, "人民币壹元整"),
    (0, "人民币零元整"),
    (1050, "人民币壹拾元伍角"),
    (1001, "人民币壹拾元零壹分"),
    (12, "人民币壹角贰分"),
    (100_000_000, "人民币壹佰万元整"),
    (1_000_000_100, "人民币壹仟万零壹元整"),
    (100_001, "人民币壹仟元零壹分"),
    (10_000_000_000, "人民币壹亿元整"),
    (10_005_000_000, "人民币壹亿零伍万元整"),
    (10_050_000_000, "人民币壹亿零伍拾万元整"),
    (10_000_100_000, "人民币壹亿零壹仟元整"),
    (567_430_000, "人民币伍佰陆拾柒万肆仟叁佰元整"),
])
def test_capitals(fen, text):
    assert to_capital(fen) == text


@pytest.mark.parametrize("raw, fen", [
    ("5,674,300.00", 567_430_000), ("１２３．４５", 12_345), (" 12 ", 1200), ("￥1,000元", 100_000),
    (Decimal("0.01"), 1), (7, 700), (0.1, 10), (1234.5, 123_450),
])
def test_yuan_parsing(raw, fen):
    assert yuan_to_fen(raw) == fen


def test_float_noise_never_leaks():
    # 0.1 + 0.2 in binary is 0.30000000000000004: refused rather than silently rounded
    with pytest.raises(InputError, match="两位小数"):
        yuan_to_fen(0.1 + 0.2)
    assert sum(yuan_to_fen("0.10") for _ in range(3)) == 30


def test_wan_and_formats():
    assert wan_to_fen("318.404") == 318_404_000
    assert parse_amount("1.5", "万元") == 1_500_000
    assert fen_to_yuan_str(567_430_000) == "5674300.00"
    assert format_yuan(318_404_000) == "3,184,040.00"
    with pytest.raises(InputError):
        yuan_to_fen("12.345")
    with pytest.raises(InputError, match="不是有效的数字"):
        yuan_to_fen("abc")


def test_yuan_text_is_the_decimal_form_exactly() -> None:
    import random
    from decimal import Decimal

    rng = random.Random(7)
    for fen in [0, 1, -1, 99, 100, -150, 10**14, -(10**14)] + [rng.randint(-10**15, 10**15) for _ in range(2000)]:
        exact = (Decimal(fen) / 100).quantize(Decimal("0.01"))
        assert fen_to_yuan_str(fen) == str(exact)
        assert format_yuan(fen) == f"{exact:,}"

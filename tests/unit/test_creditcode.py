"""统一社会信用代码 check digit (GB 32100-2015)."""

import pytest

from app.domain import creditcode
from app.errors import InputError

REAL = ["91350100M000100Y43", "91110000600037341L", "91440300708461136T", "91110000802100433B"]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_pass(code):
    assert creditcode.is_valid(code)


@pytest.mark.parametrize("code", REAL)
def test_any_changed_check_digit_fails(code):
    for ch in creditcode.CHARSET:
        if ch != code[-1]:
            assert not creditcode.is_valid(code[:-1] + ch)


def test_problems_are_named():
    assert "18位" in creditcode.problem("9135010")
    assert "不允许的字符" in creditcode.problem("91350100M000100YI3")
    assert creditcode.problem("91350100M000100Y40") == "统一社会信用代码校验位错误：第18位应为3，现为0"
    assert "行政区划码" in creditcode.problem(creditcode.make("9135A100M000100Y4"))
    with pytest.raises(InputError, match="GB 32100-2015"):
        creditcode.validate("91110000600037341X")


def test_full_width_and_lower_case_are_normalised():
    assert creditcode.validate("９１１１００００６０００３７３４１ｌ") == "91110000600037341L"


def test_make_completes_a_code():
    assert creditcode.is_valid(creditcode.make("91140521MA0K00001"))

"""The input rules in one place (app.domain.inputs): each bound refuses with a Chinese message naming the field."""

import datetime as dt
import sys
import unicodedata
from decimal import Decimal

import pytest

from app.domain.inputs import (
    MAX_FEN,
    check_amount,
    check_date,
    check_id,
    check_int,
    check_username,
    check_year,
    clean_text,
)
from app.domain.money import parse_amount, wan_to_fen, yuan_to_fen
from app.errors import InputError


@pytest.mark.parametrize("fen", [0, 1, 123_456, MAX_FEN, Decimal(500)])
def test_amount_in_range(fen):
    assert check_amount(fen, "总投资") == int(fen)


@pytest.mark.parametrize("fen, words", [
    (-1, "不能为负数"), (MAX_FEN + 1, "超出范围"), (2**63, "超出范围"), (True, "应为"), (1.5, "应为"),
    ("100", "应为"), (Decimal("1e400"), "超出范围"),
])
def test_amount_refused(fen, words):
    with pytest.raises(InputError) as e:
        check_amount(fen, "总投资")
    assert "总投资" in e.value.message and words in e.value.message


@pytest.mark.parametrize("text", ["1e20", "1e309", "9.2e16", "1e999999999", "-1e999999999", "1000000000000.01"])
def test_huge_amounts_refused_before_arithmetic(text):
    with pytest.raises(InputError, match="批复金额超出范围"):
        yuan_to_fen(text, "批复金额")


@pytest.mark.parametrize("text", ["1e20", "1e309", "100000000.000001", "1e999999999"])
def test_huge_amounts_in_wan_refused(text):
    with pytest.raises(InputError, match="超出范围"):
        wan_to_fen(text, "批复金额")


def test_largest_amount_parses_exactly():
    assert parse_amount("1000000000000", "元") == MAX_FEN
    assert parse_amount("100000000", "万元") == MAX_FEN
    assert parse_amount("5674300.00") == 567_430_000


@pytest.mark.parametrize("year", [2000, 2027, 2100, "2027", "２０２７", " 2030 "])
def test_year_ok(year):
    assert check_year(year) == int(str(year).strip().translate(str.maketrans("０１２３４５６７８９", "0123456789")))


@pytest.mark.parametrize("year", [0, -5, 99999, 1999, 2101, "1e21", 10**21, "0x7e3", "", None, True, 2027.5,
                                  "1" * 5000])
def test_year_refused(year):
    with pytest.raises(InputError) as e:
        check_year(year, "预算年度")
    assert "预算年度" in e.value.message


def test_int_bounds_and_ids():
    assert check_int("5", "工作日数", 0, 1000) == 5
    with pytest.raises(InputError, match="工作日数"):
        check_int(-5, "工作日数", 0, 1000)
    with pytest.raises(InputError, match="工作日数"):
        check_int(1_000_000_000, "工作日数", 0, 1000)
    assert check_id("17") == 17
    with pytest.raises(InputError, match="附件编号"):
        check_id("1" * 30, "附件编号")
    with pytest.raises(InputError, match="附件编号"):
        check_id(0, "附件编号")


@pytest.mark.parametrize("day", ["2000-01-01", "2027-03-05", "2100-12-31", dt.date(2027, 3, 5),
                                 dt.datetime(2027, 3, 5, 10, 0)])
def test_date_ok(day):
    assert isinstance(check_date(day, "意见日期"), dt.date)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", "2027-02-30",
                                 "27-3-5", "", None, 20270305, "2027-03-05T00:00"])
def test_date_refused(day):
    with pytest.raises(InputError) as e:
        check_date(day, "意见日期")
    assert "意见日期" in e.value.message


def test_date_not_after():
    today = dt.date(2027, 3, 5)
    assert check_date("2027-03-05", "验收日期", not_after=today) == today
    with pytest.raises(InputError, match="不能晚于 2027-03-05"):
        check_date("2027-03-06", "验收日期", not_after=today)


@pytest.mark.parametrize("value, clean", [
    ("  县政务云平台扩容  ", "县政务云平台扩容"), ("\u3000智慧城管\u3000", "智慧城管"), (None, ""), ("", ""),
    ("A-1 (二期)", "A-1 (二期)"),
])
def test_text_ok(value, clean):
    assert clean_text(value, "项目名称", 200) == clean


@pytest.mark.parametrize("value, words", [
    ("\x1b[31m红色\x1b[0m", "控制字符"), ("两行\n名称", "控制字符"), ("空\x00字符", "控制字符"),
    ("\u202e名称反转", "格式字符"), ("\u2066隔离\u2069", "格式字符"), ("零\u200b宽", "格式字符"),
    ("零\u200d宽", "格式字符"), ("\ufeff名称", "格式字符"), ("孤立\udc80代理", "孤立代理项"),
    ("行\u2028分隔", "行分隔符"), ("x" * 201, "过长"),
])
def test_text_refused(value, words):
    with pytest.raises(InputError) as e:
        clean_text(value, "项目名称", 200)
    assert "项目名称" in e.value.message and words in e.value.message


def test_text_multiline_keeps_newlines_only():
    assert clean_text("第一行\r\n第二行\t说明\r", "建设内容", 100, multiline=True) == "第一行\r\n第二行\t说明"
    with pytest.raises(InputError, match="控制字符"):
        clean_text("第一行\x1b[2J", "建设内容", 100, multiline=True)


def test_text_required():
    with pytest.raises(InputError, match="项目名称不能为空"):
        clean_text("   ", "项目名称", 200, required=True)


@pytest.mark.parametrize("name", ["admin", "zhang.san", "li_si-2", "A" * 64])
def test_username_ok(name):
    assert check_username(name) == name


@pytest.mark.parametrize("name", ["аdmin", "admin\x1b[0m", "ad\u202emin", "ad min", "", "A" * 65, "张三", None,
                                  "admin\u200b", "admin\n"])
def test_username_refused(name):
    with pytest.raises(InputError, match="用户名只能由"):
        check_username(name)


def test_message_never_shows_raw_control_characters():
    with pytest.raises(InputError) as e:
        check_username("evil\x1b]0;title\x07")
    assert "\x1b" not in e.value.message and "\x07" not in e.value.message


def test_every_refused_character_is_refused_inside_printable_looking_text():
    """clean_text looks at text character by character only when str.isprintable() is False: every character of a
    refused category (control, format, surrogate, line and paragraph separators) must make it False, in any text."""
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            assert not f"项目{ch}名称".isprintable(), hex(code)
            if code not in (0x09, 0x0A, 0x0D):  # tab and line breaks: free text keeps them
                with pytest.raises(InputError):
                    clean_text(f"项目{ch}名称", "项目名称", 200, multiline=True)

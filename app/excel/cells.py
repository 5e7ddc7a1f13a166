"""Cell values as people type them: text numbers, thousands separators, full-width digits, dashes for zero,
"12个月" for 12, 是/否 for booleans, stray spaces. Floats from the reader are taken at Excel's 15 digits."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from app.domain.money import FEN_PER_WAN, FEN_PER_YUAN
from app.errors import InputError

ZERO_MARKS = {"", "-", "—", "——", "－", "–", "/", "／", "无", "0", "〇"}
TRUE_WORDS = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "国产", "自主可控", "有"}
FALSE_WORDS = {"否", "×", "✗", "x", "n", "no", "false", "0", "非国产", "进口", "无", "不是"}
_SPACES = re.compile(r"\s+")
_LEADING_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*([^\d\s].*)?$")


def text(value: object) -> str:
    """Cell → clean text: full-width folded (NFKC), spaces squeezed, ends stripped. Whole floats lose '.0'."""
    if value.__class__ is str:  # the usual case first
        s = value
        if not s.isascii() and not unicodedata.is_normalized("NFKC", s):
            s = unicodedata.normalize("NFKC", s)
        if "  " in s or not s.isprintable():
            s = _SPACES.sub(" ", s)
        return s.strip()
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    s = str(value)
    if not unicodedata.is_normalized("NFKC", s):
        s = unicodedata.normalize("NFKC", s)
    if "  " in s or not s.isprintable():
        s = _SPACES.sub(" ", s)
    return s.strip()


def free_text(value: object) -> str:
    """Free text (建设内容, 备注) as written: line breaks, inner spaces and full-width punctuation kept (a ledger
    read back gives what was stored), only the ends stripped as the project form strips them."""
    if value.__class__ is str:
        return value.strip()
    return text(value)


def key(value: object) -> str:
    """Text for matching: no spaces at all (also inside), NFKC, '(' for '（'."""
    return text(value).replace(" ", "")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def decimal(value: object, what: str = "数值") -> Decimal:
    """'1,234.50', '１２３．４５', ' 12 ', 12.34 (float, read at 15 significant digits), '¥12元' → Decimal."""
    if isinstance(value, bool):
        raise InputError(f"{what}不是数字：{value}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{what}不是有效的数字：{value}")
        return Decimal(format(value, ".15g"))
    s = key(value).replace(",", "").replace("￥", "").replace("¥", "")
    s = s.removesuffix("元")
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise InputError(f"{what}不是有效的数字：“{text(value)}”") from None
    if not d.is_finite():
        raise InputError(f"{what}不是有效的数字：“{text(value)}”")
    return d


def amount_fen(value: object, unit: str, what: str = "金额", blank_is_zero: bool = True) -> int | None:
    """An amount in 元 or 万元 → fen. Dashes and blanks are zero (funding columns), or None when not allowed."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        d = decimal(value, what) * (FEN_PER_WAN if unit == "万元" else FEN_PER_YUAN)
        if d != d.to_integral_value():
            raise InputError(f"{what}（{unit}）最多保留{'六' if unit == '万元' else '两'}位小数（到分）：{text(value)}")
        return int(d)
    s = key(value)
    if s in ZERO_MARKS:
        return 0 if blank_is_zero or s else None
    if s.startswith("万元") or s.endswith("万元"):
        unit, value = "万元", s.replace("万元", "")
    factor = FEN_PER_WAN if unit == "万元" else FEN_PER_YUAN
    d = decimal(value, what) * factor
    if d != d.to_integral_value():
        places = "六" if unit == "万元" else "两"
        raise InputError(f"{what}（{unit}）最多保留{places}位小数（到分）：{text(value)}")
    return int(d)


def quantity(value: object, what: str = "数量") -> tuple[Decimal, str]:
    """'12个月' → (12, '个月'); '1套' → (1, '套'); 3.0 → (3, '')."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return decimal(value, what), ""
    s = key(value).replace(",", "")
    m = _LEADING_NUMBER.match(s)
    if not m:
        raise InputError(f"{what}不是有效的数字：“{text(value)}”")
    return Decimal(m.group(1)), (m.group(2) or "")


def whole_number(value: object, what: str) -> int | None:
    """'12个月' → 12; '' → None; '1.5' refused."""
    if is_blank(value) or key(value) in ("-", "—", "/"):
        return None
    n, _unit = quantity(value, what)
    if n != n.to_integral_value():
        raise InputError(f"{what}应为整数：{text(value)}")
    return int(n)


def boolean(value: object, what: str) -> bool | None:
    """是/否, √/×, Y/N, 1/0, 国产/进口 → bool; blank → None."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    s = key(value).lower()
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise InputError(f"{what}应填“是”或“否”：{text(value)}")


def year(value: object) -> int | None:
    """2027, '2027', '2027年', '2027年度' → 2027."""
    if is_blank(value):
        return None
    m = re.fullmatch(r"((?:19|20)\d\d)(?:\.0)?(?:年度?)?", key(value))
    if not m:
        raise InputError(f"年度不是有效的年份：{text(value)}")
    return int(m.group(1))

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
    if value.__class__ is int:  # 序号 and other whole numbers: ASCII digits, already clean
        return str(value)
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


def name_text(value: object) -> str:
    """A name as written (全角 brackets kept: no NFKC), runs of spaces folded to one, ends stripped."""
    if value.__class__ is str:
        s = value
        if "  " in s or not s.isprintable() or "\u3000" in s:
            s = _SPACES.sub(" ", s)
        return s.strip()
    return text(value)


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


UNIT_FEN = {"元": FEN_PER_YUAN, "千元": 1000 * FEN_PER_YUAN, "万元": FEN_PER_WAN}
UNIT_PLACES = {"元": "两", "千元": "五", "万元": "六"}
_CELL_UNITS = (("万元", "万元"), ("千元", "千元"), ("元", "元"), ("万", "万元"))


def amount_unit(value: object, unit: str, what: str = "金额", blank_is_zero: bool = True) -> tuple[int | None, str | None]:
    """An amount → (fen, the unit written in the cell or None). A unit in the cell ("1,286,000.00元", "128.6万",
    "5千元") wins over the column's `unit` (元, 千元 or 万元). Dashes and blanks are zero (or None when not allowed)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        d = decimal(value, what) * UNIT_FEN[unit]
        if d != d.to_integral_value():
            raise InputError(f"{what}（{unit}）最多保留{UNIT_PLACES[unit]}位小数（到分）：{text(value)}")
        return int(d), None
    s = key(value).replace(",", "").replace("￥", "").replace("¥", "")
    if s in ZERO_MARKS:
        return (0 if blank_is_zero or s else None), None
    own = None
    for suffix, written in _CELL_UNITS:
        if s.endswith(suffix) and len(s) > len(suffix):
            own, s = written, s[: -len(suffix)]
            break
    use = own or unit
    d = decimal(s, what) * UNIT_FEN[use]
    if d != d.to_integral_value():
        raise InputError(f"{what}（{use}）最多保留{UNIT_PLACES[use]}位小数（到分）：{text(value)}")
    return int(d), own


def amount_fen(value: object, unit: str, what: str = "金额", blank_is_zero: bool = True) -> int | None:
    """An amount in 元, 千元 or 万元 → fen (a unit written in the cell wins). Dashes and blanks are zero (funding
    columns), or None when not allowed."""
    return amount_unit(value, unit, what, blank_is_zero)[0]


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


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(\d+|[零〇一二两三四五六七八九十]+)"
_DASHES = str.maketrans({c: "-" for c in "—–－~～〜至到"})
_P_MONTHS = re.compile(rf"^{_NUM}(个)?月$")
_P_YEARS = re.compile(rf"^{_NUM}(?:\.(5))?年(半)?(?:(?:零)?{_NUM}个?月)?$")
_P_DECIMAL_YEARS = re.compile(r"^(\d+\.\d+)年$")
_P_RANGE = re.compile(r"^(\d{4})(?:年|\.|/|-)(\d{1,2})月?(?:份)?-(?:(\d{4})(?:年|\.|/|-))?(\d{1,2})月?(?:份)?$")
PERIOD_HELP = "请填写月数（如 12 或“12个月”）、年数（如“1年”“1年6个月”）或起止年月（如“2027年3月-2027年12月”）"


def _cn_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    if len(s) == 1:
        return _CN_DIGITS[s]
    raise ValueError(s)


def period_months(value: object, what: str = "建设周期") -> int | None:
    """建设周期 as people write it → whole months: 12, "12个月", "18月", "1年", "一年", "两年", "一年半", "1年6个月",
    "半年", "２４个月", ranges counted inclusively ("2027年3月-2027年12月", "2027.3-2027.12", "2027.03—2027.12" are 10
    months). Blank or a dash → None. Anything else (待定, 按合同, 3-6个月, "6月" which may be June) is refused."""
    if is_blank(value) or key(value) in ("-", "—", "/", "／", "无"):
        return None
    if isinstance(value, bool):
        raise InputError(f"{what}无法识别：{text(value)}。{PERIOD_HELP}")
    if isinstance(value, (int, float)):
        d = decimal(value, what)
        if d != d.to_integral_value():
            raise InputError(f"{what}应为整月数：{text(value)}。{PERIOD_HELP}")
        return int(d)
    s = key(value).translate(_DASHES)
    try:
        if s.isdigit():
            return int(s)
        if s == "半年":
            return 6
        m = _P_MONTHS.match(s)
        if m:
            n = _cn_int(m.group(1))
            if m.group(2) is None and n <= 12:
                raise InputError(f"{what}“{text(value)}”可能是月份也可能是月数，请写成“{n}个月”")
            return n
        m = _P_YEARS.match(s)
        if m:
            months = _cn_int(m.group(1)) * 12 + (6 if (m.group(2) or m.group(3)) else 0)
            return months + (_cn_int(m.group(4)) if m.group(4) else 0)
        m = _P_DECIMAL_YEARS.match(s)
        if m:
            d = Decimal(m.group(1)) * 12
            if d == d.to_integral_value():
                return int(d)
        m = _P_RANGE.match(s)
        if m:
            y1, m1, y2, m2 = int(m.group(1)), int(m.group(2)), int(m.group(3) or m.group(1)), int(m.group(4))
            months = (y2 - y1) * 12 + m2 - m1 + 1
            if 1 <= m1 <= 12 and 1 <= m2 <= 12 and months >= 1:
                return months
    except (KeyError, ValueError):
        pass
    raise InputError(f"{what}“{text(value)}”无法识别。{PERIOD_HELP}")

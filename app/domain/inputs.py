"""Input rules in one place: the bounds every face and every import applies before a value reaches a service.

Each check returns the clean value or raises InputError with a Chinese message naming the field (`what`). The
command line, the window, the Excel import and the services call these; nobody writes a second version.

- amounts: integer 分, 0 ≤ fen ≤ 10^14 (up to 10^12 元: more than any county's budget, far below SQLite's 2^63)
- years: 2000–2100
- dates: 2000-01-01 .. 2100-12-31, and not after a given day (e.g. today) where the measure needs a past fact
- text: stripped; no control characters (ESC, NUL, newlines unless the field is multi-line), no bidi overrides
  or isolates, no zero-width or other invisible format marks, no lone surrogates; at most the schema's length
- user names: ASCII letters, digits and . _ - (1–64), so a look-alike of `admin` in another script is refused
- counts and record ids: whole numbers within a stated range (a 30-digit id is refused, not passed to SQL)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from app.errors import InputError

MAX_FEN = 10**14  # 10^12 元
MIN_YEAR, MAX_YEAR = 2000, 2100
MIN_DATE, MAX_DATE = dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)
TEXT_MAX = 10_000  # an unbounded Text column (建设内容, 意见, 备注): a page of text, not a 99 KB paste
MAX_ID = 2**63 - 1  # the largest row id either database stores
USERNAME_MAX = 64
_USERNAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９－＋", "0123456789-+")

# Unicode general categories refused in any text: control (Cc: NUL, ESC, newlines, DEL, C1), format (Cf: bidi
# embeddings, overrides and isolates, LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM, soft hyphen, tag
# characters), surrogates (Cs: a lone half of a pair cannot be stored as UTF-8), and the line/paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_KIND = {"Cc": "控制字符", "Cf": "不可见的格式字符（双向文字控制符、零宽字符等）", "Cs": "无效的字符（孤立代理项）",
         "Zl": "行分隔符", "Zp": "段分隔符"}
_MULTILINE_OK = {"\n", "\r", "\t"}
_STRIP = " \t\r\n\u3000\u00a0"


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def check_amount(fen: object, what: str = "金额") -> int:
    """An amount in integer 分: 0 ≤ fen ≤ 10^14 (10^12 元). bool, float and text are refused: parse first."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        if isinstance(fen, Decimal) and fen.is_finite() and fen == fen.to_integral_value():
            if abs(fen.adjusted()) > 20:
                raise InputError(f"{what}超出范围：应在 0 至 1,000,000,000,000 元之间")
            fen = int(fen)
        else:
            raise InputError(f"{what}应为以分计的整数金额：{fen!r}")
    assert isinstance(fen, int)
    if fen < 0:
        raise InputError(f"{what}不能为负数")
    if fen > MAX_FEN:
        raise InputError(f"{what}超出范围：应在 0 至 1,000,000,000,000 元之间")
    return fen


def check_int(value: object, what: str, lo: int, hi: int) -> int:
    """A whole number lo ≤ n ≤ hi, given as int or as digits ('12', '１２'). The digits are counted first, so a
    huge number is refused without being converted."""
    if isinstance(value, bool):
        raise InputError(f"{what}应为整数：{value!r}")
    if isinstance(value, int):
        n = value
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        n = int(value)  # spreadsheet readers give whole numbers as floats
    elif isinstance(value, str | Decimal | float):
        text = str(value).strip().translate(_FULLWIDTH_DIGITS)
        if not re.fullmatch(r"[-+]?[0-9]{1,30}", text):
            raise InputError(f"{what}应为整数：{_show(value)}（{lo}—{hi}）")
        if len(text.lstrip("+-").lstrip("0")) > 19:
            raise InputError(f"{what}超出范围：应为 {lo}—{hi}")
        n = int(text)
    else:
        raise InputError(f"{what}应为整数：{_show(value)}")
    if not lo <= n <= hi:
        raise InputError(f"{what}超出范围：应为 {lo}—{hi}（收到：{n}）")
    return n


def check_year(year: object, what: str = "年度") -> int:
    """A year 2000–2100 (a project code like QS-2027-0001 carries it)."""
    return check_int(year, what, MIN_YEAR, MAX_YEAR)


def check_id(value: object, what: str = "编号") -> int:
    """A record id: 1 ≤ n < 2^63."""
    return check_int(value, what, 1, MAX_ID)


def check_date(day: object, what: str, *, not_after: dt.date | None = None) -> dt.date:
    """A date 2000-01-01..2100-12-31 (a date or 'YYYY-MM-DD'); `not_after`: a fact that cannot be in the future."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if not isinstance(day, dt.date):
        text = str(day).strip().translate(_FULLWIDTH_DIGITS) if isinstance(day, str) else None
        if not text or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise InputError(f"{what}的格式应为 2027-03-05：{_show(day)}")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(f"{what}不是有效的日期：{_show(text)}") from None
    assert isinstance(day, dt.date)
    if not MIN_DATE <= day <= MAX_DATE:
        raise InputError(f"{what}超出范围：应在 {MIN_DATE} 至 {MAX_DATE} 之间（收到：{day}）")
    if not_after is not None and day > not_after:
        raise InputError(f"{what}不能晚于 {not_after}（收到：{day}）")
    return day


def clean_text(value: object, what: str, max_len: int, *, required: bool = False, multiline: bool = False) -> str:
    """Text as stored: stripped, at most `max_len` characters, with no control or invisible format characters.

    `multiline` lets line breaks (\\n, \\r) and tabs through (建设内容, 备注), kept as typed so that an Excel
    round trip gives back the same text. An empty value is '' (refused when `required`).
    """
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        raise InputError(f"{what}应为文字：{value!r}")
    elif isinstance(value, int | Decimal):
        text = str(value)
    else:
        raise InputError(f"{what}应为文字：{_show(value)}")
    text = text.strip(_STRIP)
    if not text.isprintable():  # printable text has no character of the refused categories (Cc Cf Cs Zl Zp are
        for pos, ch in enumerate(text, 1):  # all non-printable): only the rest is looked at character by character
            if multiline and ch in _MULTILINE_OK:
                continue
            cat = unicodedata.category(ch)
            if cat in _REFUSED_CATEGORIES:
                raise InputError(f"{what}含有{_KIND[cat]}（第{pos}个字符，{_char_name(ch)}），请删除后重试")
    if required and not text:
        raise InputError(f"{what}不能为空")
    if len(text) > max_len:
        raise InputError(f"{what}过长：最多 {max_len} 个字符（收到 {len(text)} 个）")
    return text


def optional_text(value: object, what: str, max_len: int, *, multiline: bool = False) -> str | None:
    """clean_text for an optional column: empty becomes None."""
    return clean_text(value, what, max_len, multiline=multiline) or None


def check_username(name: object) -> str:
    """A user name: 1–64 ASCII letters, digits and . _ - (no spaces, no look-alike letters of other scripts)."""
    if not isinstance(name, str) or not _USERNAME.fullmatch(name):
        raise InputError(f"用户名只能由英文字母、数字和 . _ - 组成（1—{USERNAME_MAX}个字符）：{_show(name)}")
    return name


def decimal_in_range(value: Decimal, what: str, lo: Decimal, hi: Decimal) -> Decimal:
    """A finite Decimal lo ≤ d ≤ hi (scores, percentages, quantities)."""
    try:
        ok = value.is_finite() and lo <= value <= hi
    except InvalidOperation:
        ok = False
    if not ok:
        raise InputError(f"{what}超出范围：应为 {lo}—{hi}（收到：{_show(value)}）")
    return value


def _show(value: object, limit: int = 40) -> str:
    """A value quoted in a message: control and format characters escaped, long values cut."""
    text = value if isinstance(value, str) else repr(value)
    out = []
    for ch in text[:limit]:
        out.append(ch if unicodedata.category(ch) not in _REFUSED_CATEGORIES else f"\\u{ord(ch):04x}")
    return "".join(out) + ("…" if len(text) > limit else "")

"""Exact money. Amounts are stored as integer 分 (fen); Decimal at the edges; never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.domain.inputs import MAX_FEN
from app.errors import InputError

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000  # 万元 = 10,000 yuan = 1,000,000 fen


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")


def to_decimal(value: object, what: str = "金额") -> Decimal:
    """Parse an amount as people type it: '1,234.50', '１２３．４５', ' 12 ', Decimal, int. Floats are refused."""
    if isinstance(value, bool):
        raise InputError(f"{what}不是数字：{value!r}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # floats only come from spreadsheet readers; take their shortest repr, never binary noise
        return Decimal(repr(value))
    text = str(value).translate(_FULLWIDTH).replace(",", "").replace(" ", "").replace("\u3000", "")
    text = text.replace("￥", "").replace("¥", "")
    if text.endswith("元"):
        text = text[:-1]
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise InputError(f"{what}不是有效的数字：{value!r}") from None
    if not d.is_finite():
        raise InputError(f"{what}不是有效的数字：{value!r}")
    return d


def _scaled(value: object, per: int, what: str) -> Decimal:
    """value × per, refusing a magnitude beyond 10^12 元 before the multiplication (1e309, 1e999999999)."""
    d = to_decimal(value, what)
    if d and d.adjusted() > 16:
        raise InputError(f"{what}超出范围：应在 0 至 1,000,000,000,000 元之间")
    d = d * per
    if abs(d) > MAX_FEN:
        raise InputError(f"{what}超出范围：应在 0 至 1,000,000,000,000 元之间")
    return d


def yuan_to_fen(value: object, what: str = "金额") -> int:
    """'5674300.00' 元 → 567430000 分. More than two decimals is refused (no silent rounding)."""
    d = _scaled(value, FEN_PER_YUAN, what)
    if d != d.to_integral_value():
        raise InputError(f"{what}最多保留两位小数（到分）：{value!r}")
    return int(d)


def wan_to_fen(value: object, what: str = "金额") -> int:
    """万元 with up to six decimals → 分."""
    d = _scaled(value, FEN_PER_WAN, what)
    if d != d.to_integral_value():
        raise InputError(f"{what}（万元）最多保留六位小数（到分）：{value!r}")
    return int(d)


def parse_amount(value: object, unit: str = "元", what: str = "金额") -> int:
    """Parse an amount in the given unit ('元' or '万元') to fen."""
    if unit == "万元":
        return wan_to_fen(value, what)
    return yuan_to_fen(value, what)


def fen_to_decimal(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def fen_to_yuan_str(fen: int) -> str:
    """567430000 → '5674300.00' (the JSON form). Integer arithmetic: exact, and fast for 100,000 rows."""
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def fen_to_wan(fen: int, places: int = 2) -> Decimal:
    q = Decimal(1).scaleb(-places)
    return (Decimal(fen) / FEN_PER_WAN).quantize(q, rounding=ROUND_HALF_UP)


def format_yuan(fen: int) -> str:
    """567430000 → '5,674,300.00'."""
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def format_wan(fen: int, places: int = 2) -> str:
    return f"{fen_to_wan(fen, places):,}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


def _four(n: int) -> str:
    """0 < n < 10000 in capitals, zeros folded (e.g. 1040 → 壹仟零肆拾)."""
    out: list[str] = []
    zero = False
    for pos in range(3, -1, -1):
        d = n // (10**pos) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[d] + _SMALL_UNITS[pos])
    return "".join(out)


def to_capital(fen: int, prefix: str = "人民币") -> str:
    """Amount in Chinese capitals as on a cheque or form.

    318404000 分 → '人民币叁佰壹拾捌万肆仟零肆拾元整'; 1050 → '人民币壹拾元零伍角'.
    """
    if fen < 0:
        return prefix + "负" + to_capital(-fen, prefix="")
    yuan, rest = divmod(fen, 100)
    jiao, fen_part = divmod(rest, 10)
    text = ""
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        parts: list[str] = []
        need_zero = False
        for idx in range(len(groups) - 1, -1, -1):
            g = groups[idx]
            if g == 0:
                need_zero = bool(parts)
                continue
            if parts and (need_zero or g < 1000):
                parts.append("零")
            need_zero = False
            parts.append(_four(g) + _BIG_UNITS[idx])
        text = "".join(parts) + "元"
    if not jiao and not fen_part:
        return prefix + (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen_part:
        text += _DIGITS[fen_part] + "分"
    else:
        text += "整" if not jiao else ""
    return prefix + text

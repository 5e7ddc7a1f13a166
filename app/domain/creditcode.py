"""统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters, check digit mod 31."""

from __future__ import annotations

import unicodedata

from app.errors import InputError

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(CHARSET)}


def normalize(code: str) -> str:
    """Full-width forms folded, spaces removed, upper case: '９１１１…３４１ｌ' → '9111…341L'."""
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


def check_digit(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """What is wrong with a code, in Chinese, or None when it is valid."""
    c = normalize(code)
    if len(c) != 18:
        return f"统一社会信用代码应为18位，现为{len(c)}位"
    bad = sorted({ch for ch in c if ch not in _VALUE})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用I、O、S、V、Z）"
    if not c[2:8].isdigit():
        return "统一社会信用代码第3—8位应为登记管理机关行政区划码（数字）"
    expected = check_digit(c[:17])
    if c[17] != expected:
        return f"统一社会信用代码校验位错误：第18位应为{expected}，现为{c[17]}"
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def validate(code: str) -> str:
    """Return the normalised code, or raise InputError naming the problem (GB 32100-2015)."""
    p = problem(code)
    if p:
        raise InputError(f"{p}（GB 32100-2015）：{code}")
    return normalize(code)


def make(prefix17: str) -> str:
    """Complete 17 characters with their check digit (for demo data and tests)."""
    return prefix17 + check_digit(prefix17)

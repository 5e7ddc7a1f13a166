"""Chinese line breaking for paper: what never breaks, what never starts or ends a line, and where lines end.

Text is cut into *tokens*, the smallest pieces a line may end between:
- a number, an amount or a code never breaks (3,184,040.00  QS-2027-0001  0356-7022345  91140521MA0K12345X
  75.00%  〔2027〕12号), nor does a short bracketed or quoted group (（元） （签字） （第八条） “一网通办”);
- 禁则 (GB/T 15834 and common Chinese typesetting): closing punctuation (，。、；：？！）》” …) is bound to the token
  before it, so it never starts a line; an opening bracket or quote (（《“〔) is bound to the token after it, so it
  never ends one;
- every other character (a hanzi) is a token of its own; a space is a break opportunity that disappears at a
  line's end.

`greedy` fills lines in order; `balanced` finds the fewest lines and then the narrowest measure that still gives
that many, so a title or a label never leaves one character alone on its last line. Widths come from a
`measure(text) -> points` callable, so this module knows nothing of fonts and is tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

OPENING = "（《〈「『“‘〔【(["
CLOSING = "，。、；：？！）》〉」』”’〕】…,.;:?!)]%．"

_ATOM = re.compile(
    r"〔\d{4}〕\d+号"  # the number part of a 文号 (沁审管发〔2027〕12号: the prefix may break before 〔)
    r"|[0-9A-Za-z](?:[0-9A-Za-z\-_.,:/%+#@·'’]*[0-9A-Za-z%)])?"  # numbers, amounts, codes, phones, ISO dates
    r"|（[^（）\s]{1,6}）|\([^()\s]{1,6}\)"  # short bracket groups: （元） （签字） （第八条）
    r"|“[^“”\s]{1,6}”"  # a short quotation: “一网通办”
    r"|——|……"
)

# words a title keeps whole when it wraps (GB/T 9704 7.3.3: 回行时要做到词意完整): the words of the program's
# titles and the common words of project names, matched longest first from the left
TITLE_WORDS = tuple(sorted({
    "关于", "沁水县", "年度", "政务", "大数据", "项目", "资金", "拟分配", "计划", "公示", "限期", "整改", "通知",
    "暂停", "拨付", "建设", "应用", "管理", "平台", "系统", "数据", "服务", "信息", "共享", "交换", "升级", "改造",
    "审批", "立项", "技术", "审核", "意见书", "合同", "备案", "变更", "调整", "申请表", "验收", "联合", "绩效",
    "评价", "报告", "台账", "使用", "对照", "分析表", "智慧", "一网通办", "治理", "监测", "监管", "融合", "平台",
    "二期", "三期", "一期", "工程", "校园", "数字", "政府", "县域", "基层", "社会", "网格化", "安全", "运营", "中心",
    "资源", "智能", "分析", "支撑", "一体化", "子系统", "城乡", "扩容", "电子", "县级", "政务服务",
}, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=8)
def _atoms(words: tuple[str, ...]) -> re.Pattern[str]:
    if not words:
        return _ATOM
    return re.compile(_ATOM.pattern + "|" + "|".join(re.escape(w) for w in words))


# a unit after a number stays with it (2027年 3月 5日 12号 80% 3,184,040.00 元), so neither starts a line alone
UNITS = frozenset("年月日时分秒号个项次期级条款页元角万亿岁倍")

Measure = Callable[[str], float]


def tokens(text: str, words: tuple[str, ...] = ()) -> list[str]:
    """The unbreakable pieces of one line of text, with 禁则 applied; spaces are tokens of their own; `words` are
    kept whole too (a title's)."""
    raw: list[str] = []
    pos = 0
    for m in _atoms(words).finditer(text):
        raw.extend(text[pos:m.start()])
        raw.append(m.group())
        pos = m.end()
    raw.extend(text[pos:])
    out: list[str] = []
    carry = ""  # opening punctuation waiting for the token after it
    for tok in raw:
        if tok.isspace():
            if carry:
                out.append(carry)
                carry = ""
            if out and out[-1].isspace():
                continue  # one break opportunity for a run of spaces
            out.append(" ")
            continue
        if tok[0] in CLOSING and out and not out[-1].isspace() and not carry:
            out[-1] += tok
            continue
        if tok in UNITS and not carry and out:
            if out[-1][-1:].isdigit():
                out[-1] += tok
                continue
            if out[-1] == " " and len(out) > 1 and out[-2][-1:].isdigit():
                out.pop()
                out[-1] += " " + tok
                continue
        if len(tok) == 1 and tok in OPENING:
            carry += tok
            continue
        out.append(carry + tok)
        carry = ""
    if carry:
        if out and not out[-1].isspace():
            out[-1] += carry
        else:
            out.append(carry)
    return out


@dataclass(frozen=True)
class Line:
    """One laid-out line: its tokens (no space at either end) and their natural width."""

    parts: tuple[str, ...]
    width: float
    last: bool = False  # the last line of its paragraph (not justified)
    overflow: bool = False  # a token wider than the measure had to be cut (never for numbers or codes that fit)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _cut(token: str, measure: Measure, width: float) -> list[str]:
    """Last resort for a token wider than the whole measure: cut it by characters."""
    out, cur = [], ""
    for ch in token:
        if cur and measure(cur + ch) > width:
            out.append(cur)
            cur = ch
        else:
            cur += ch
    return out + ([cur] if cur else [])


def greedy(text: str, measure: Measure, width: float, first_indent: float = 0.0,
           words: tuple[str, ...] = ()) -> list[Line]:
    """Fill lines in order. Explicit newlines end a line. An empty text gives no lines."""
    lines: list[Line] = []
    for para in text.split("\n"):
        lines.extend(_greedy_para(tokens(para, words), measure, width, first_indent if not lines else 0.0))
    return lines


def _greedy_para(toks: Sequence[str], measure: Measure, width: float, first_indent: float) -> list[Line]:
    out: list[Line] = []
    cur: list[str] = []
    cur_w = 0.0
    space_w = 0.0
    avail = width - first_indent
    pending_space = False
    overflow = False

    def flush(last: bool) -> None:
        nonlocal cur, cur_w, avail, overflow
        out.append(Line(tuple(cur), cur_w, last, overflow))
        cur, cur_w, avail, overflow = [], 0.0, width, False

    for tok in toks:
        if tok == " ":
            pending_space = bool(cur)
            continue
        w = measure(tok)
        extra = (space_w or measure(" ")) if pending_space else 0.0
        if cur and cur_w + extra + w > avail + 1e-6:
            flush(False)
            extra = 0.0
        if not cur and w > avail + 1e-6:
            pieces = _cut(tok, measure, avail)
            for piece in pieces[:-1]:
                cur, cur_w, overflow = [piece], measure(piece), True
                flush(False)
            tok, w, overflow = pieces[-1], measure(pieces[-1]), True
        if extra:
            cur.append(" ")
            cur_w += extra
        cur.append(tok)
        cur_w += w
        pending_space = False
    if cur or not out:
        flush(True)
    else:
        out[-1] = Line(out[-1].parts, out[-1].width, True, out[-1].overflow)
    return out


def balanced(text: str, measure: Measure, width: float, words: tuple[str, ...] = ()) -> list[Line]:
    """As few lines as greedy filling needs, each as near the same length as the breaks allow.

    A title of 29 characters on a 28-character measure becomes 15 + 14, never 28 + 1. With `words` (a title's),
    a line breaks between words where that takes no more lines and leaves no line shorter than two characters.
    """
    plain = _balanced(text, measure, width, ())
    if not words or len(plain) <= 1:
        return plain
    kept = _balanced(text, measure, width, words)
    if len(kept) == len(plain) and not any(x.overflow for x in kept) and min(len(x.text) for x in kept) >= 2:
        return kept
    return plain


def _balanced(text: str, measure: Measure, width: float, words: tuple[str, ...]) -> list[Line]:
    lines = greedy(text, measure, width, words=words)
    if len(lines) <= 1 or "\n" in text:
        return lines
    n = len(lines)
    lo, hi = sum(line.width for line in lines) / n, width
    best = lines
    for _ in range(24):  # binary search on the measure: the narrowest that still gives n lines
        mid = (lo + hi) / 2
        trial = greedy(text, measure, mid, words=words)
        if len(trial) <= n and not any(line.overflow for line in trial):
            best, hi = trial, mid
        else:
            lo = mid
        if hi - lo < 0.25:
            break
    # filled from the end, the first line is the short one (a 正梯形 title; 县级财政/资金（元）)
    rev = _reverse_fill(tokens(text, words), measure, hi)
    if rev is not None and len(rev) == len(best):
        return rev
    return best


def _reverse_fill(toks: Sequence[str], measure: Measure, width: float) -> list[Line] | None:
    groups: list[list[str]] = []
    cur: list[str] = []
    cur_w = 0.0
    for tok in reversed(toks):
        if tok == " ":
            if cur:
                cur.insert(0, " ")
                cur_w += measure(" ")
            continue
        w = measure(tok)
        if w > width + 1e-6:
            return None
        if cur and cur_w + w > width + 1e-6:
            groups.append(cur)
            cur, cur_w = [], 0.0
        cur.insert(0, tok)
        cur_w += w
    if cur:
        groups.append(cur)
    out = []
    for i, g in enumerate(reversed(groups)):
        while g and g[0] == " ":
            g.pop(0)
        while g and g[-1] == " ":
            g.pop()
        out.append(Line(tuple(g), sum(measure(p) for p in g), i == len(groups) - 1))
    return out


def justify_gaps(line: Line, width: float, measure: Measure) -> list[float]:
    """x offset of each part when the line is stretched to `width` (the slack shared between the parts)."""
    widths = [measure(p) if p != " " else measure(" ") for p in line.parts]
    natural = sum(widths)
    gaps = len(widths) - 1
    extra = (width - natural) / gaps if gaps > 0 and not line.last and width > natural else 0.0
    xs, x = [], 0.0
    for w in widths:
        xs.append(x)
        x += w + extra
    return xs

"""The renderer: a Doc's blocks laid out with ReportLab's page machinery and this module's own flowables.

Our flowables break lines with app.reports.typeset (numbers and codes never break, 禁则), size table columns
to their widest value, and paginate long lists themselves: a list is measured one page at a time and drawn
as one page-sized piece after another, so a ledger of 100,000 rows costs the same per row as one of 1,000.
Rules a page keeps: a list's header repeats at the top of each page; a group heading never ends a page and a
subtotal never starts one; a page never holds signature rows (or a notice's signature) alone; a note stays
with the table it explains; a notice's 版记 sits at the foot of the last page.

Notices follow GB/T 9704-2012: A4, 天头 37 mm, 订口 28 mm, text area 156 × 225 mm; body in 3号 仿宋 on a grid of
22 lines of 28 characters, justified to both margins; the red 发文机关标志 35 mm under the top of the text area;
page numbers "— 1 —" in 4号 宋体 7 mm under the text area, odd pages right, even pages left.
"""

from __future__ import annotations

import io
import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from reportlab import rl_config
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from app.errors import GovDataError
from app.reports import doc as d
from app.reports import typeset as ts
from app.reports.fonts import MISSING_MARK, Face, FontSet, fonts

# Page streams compressed but not ASCII85-encoded: standard PDF, a quarter smaller and faster to write.
rl_config.useA85 = 0

# ---------------------------------------------------------------- sizes (points)

TITLE_PT = 18  # 小二: form titles (黑体)
CELL_PT = 10.5  # 五号: table cells (宋体)
NOTE_PT = 9  # 小五
STAMP_PT = 7  # serial and digest on every page: at least 7 pt
PAD_X, PAD_Y = 4.0, 3.0  # cell padding
LEADING = 1.45  # cell line spacing, in em
NOTICE_TITLE_PT = 22  # 二号 小标宋
NOTICE_BODY_PT = 16  # 三号 仿宋
NOTICE_PAGE_PT = 14  # 四号 宋体 page numbers
NOTICE_CHARS, NOTICE_LINES = 28, 22
QR_SIZE = 18 * mm
QR_EDGE = 10 * mm  # the QR code keeps at least this far from the paper's edge
QR_PREFIX = "GOVDATA-FORM"
RED = colors.HexColor("#E60012")
GRID_W, BOX_W = 0.6, 1.2
HEAD_BG, BOLD_BG = colors.HexColor("#EEEEEE"), colors.HexColor("#F6F6F6")
SIGN_ROOM = 32 * mm  # blank room after 签字： for a signature


class PrintCancelled(GovDataError):
    """The person cancelled the print while it was laid out."""

    def __init__(self) -> None:
        super().__init__("已取消打印，未生成表单。")


@dataclass(frozen=True)
class Layout:
    kind: str = "portrait"  # portrait landscape notice

    @property
    def pagesize(self) -> tuple[float, float]:
        return landscape(A4) if self.kind == "landscape" else A4

    @property
    def margins(self) -> tuple[float, float, float, float]:
        """left, right, top, bottom."""
        if self.kind == "notice":  # GB/T 9704: 天头 37 mm, 订口 28 mm, text area 156 × 225 mm
            return 28 * mm, 26 * mm, 37 * mm, 35 * mm
        if self.kind == "landscape":
            return 20 * mm, 20 * mm, 18 * mm, 31 * mm
        return 25 * mm, 20 * mm, 20 * mm, 32 * mm

    @property
    def width(self) -> float:
        left, right, _t, _b = self.margins
        return self.pagesize[0] - left - right

    @property
    def height(self) -> float:
        _l, _r, top, bottom = self.margins
        return self.pagesize[1] - top - bottom


NOTICE = Layout("notice")
NOTICE_PITCH = NOTICE.width / NOTICE_CHARS  # 5.57 mm: 28 characters a line
NOTICE_LEADING = NOTICE.height / NOTICE_LINES  # 10.23 mm: 22 lines a page
NOTICE_TRACK = NOTICE_PITCH - NOTICE_BODY_PT  # the character spacing that puts 28 三号 characters on 156 mm


# ---------------------------------------------------------------- measuring and drawing text


def measurer(face: Face, size: float, tracking: float = 0.0) -> ts.Measure:
    """text -> width in points, in this face at this size (characters it lacks count one em)."""
    return _measurer(face, size, tracking)


@lru_cache(maxsize=256)
def _measurer(face: Face, size: float, tracking: float) -> ts.Measure:
    get = face.widths.get
    ascii_w = [get(chr(i), 1.0) * size + tracking for i in range(128)]
    at = ascii_w.__getitem__

    def m(text: str) -> float:
        if text.isascii():
            return sum(map(at, text.encode("ascii")))
        return sum(get(c, 1.0) for c in text) * size + tracking * len(text)

    return m


@dataclass
class Ctx:
    """One build: the faces, and the person's progress and cancel callables."""

    fs: FontSet
    progress: Callable[[int, int], None] | None = None
    cancelled: Callable[[], bool] | None = None
    total: int = 0
    done: int = 0
    frame_h: float = 0.0  # the body frame's height: a table at the top of a fresh page must make progress

    def face(self, role: str) -> Face:
        return self.fs.face(role)

    def tick(self, n: int) -> None:
        self.done += n
        if self.cancelled is not None and self.cancelled():
            raise PrintCancelled()
        if self.progress is not None and self.total:
            self.progress(min(self.done, self.total), self.total)


def _runs(fs: FontSet, face: Face, text: str) -> list[tuple[Face, str]]:
    """The text in runs of one face: the base face, a fallback face for a rare character, or 〓."""
    if face.widths.keys() >= set(text):
        return [(face, text)]
    out: list[tuple[Face, str]] = []
    for ch in text:
        f = face if face.has(ch) else next((fb for fb in fs.fallbacks if fb.has(ch)), None)
        if f is None:
            f, ch = face, MISSING_MARK
        if out and out[-1][0] is f:
            out[-1] = (f, out[-1][1] + ch)
        else:
            out.append((f, ch))
    return out


class Painter:
    """Many lines of text in one text object (one BT … ET for a page of a table)."""

    def __init__(self, canv: Canvas, fs: FontSet) -> None:
        self.canv, self.fs = canv, fs
        self.to = canv.beginText()
        self.font: tuple[str, float] | None = None

    def text(self, x: float, y: float, text: str, face: Face, size: float) -> None:
        to = self.to
        to.setTextOrigin(x, y)
        runs = _runs(self.fs, face, text)
        for f, run in runs:
            if self.font != (f.name, size):
                to.setFont(f.name, size)
                self.font = (f.name, size)
            if len(runs) == 1:  # the next line sets its own origin: no need to measure this one to advance
                to._code.append(to._formatText(run))
            else:
                to.textOut(run)

    def close(self) -> None:
        self.canv.drawText(self.to)


def draw_text(canv: Canvas, fs: FontSet, x: float, y: float, text: str, face: Face, size: float,
              tracking: float = 0.0) -> None:
    """One line at (x, baseline y), with per-character fallback; characters no font has print as 〓."""
    to = canv.beginText(x, y)
    if tracking:
        to.setCharSpace(tracking)
    for f, run in _runs(fs, face, text):
        to.setFont(f.name, size)
        to.textOut(run)
    canv.drawText(to)


def baseline(top: float, leading: float, size: float) -> float:
    """The baseline of a line whose cell starts at `top`: the em box (0.88 up, 0.12 down) centred in the cell."""
    return top - (leading - size) / 2 - 0.88 * size


# ---------------------------------------------------------------- text


class TextFlow(Flowable):
    """A paragraph: greedy (or balanced) lines, aligned l c r or j (justified: every line but the last reaches
    both margins); splits between lines, never leaving one line alone at either end of a page."""

    def __init__(self, text: str, face: Face, size: float, leading: float, fs: FontSet, align: str = "l",
                 indent: float = 0.0, balanced: bool = False, tracking: float = 0.0, number: str = "",
                 number_face: Face | None = None, color: Any = None, space_after: float = 0.0,
                 lines: list[ts.Line] | None = None, first: bool = True) -> None:
        super().__init__()
        self.text, self.face, self.size, self.leading, self.fs = text, face, size, leading, fs
        self.align, self.indent, self.balanced, self.tracking = align, indent, balanced, tracking
        self.number, self.number_face = number, number_face or face
        self.color, self.space_after = color, space_after
        self.measure = measurer(face, size, tracking)
        self._lines = lines
        self._width = 0.0
        self.first = first

    @property
    def number_width(self) -> float:
        return measurer(self.number_face, self.size, self.tracking)(self.number) if self.number else 0.0

    def lines(self, width: float) -> list[ts.Line]:
        if self._lines is None or (self._width != width and self.first and self._width):
            lead = self.indent + self.number_width
            if self.balanced:
                self._lines = ts.balanced(self.text, self.measure, width, ts.TITLE_WORDS)  # titles: words whole
            else:
                self._lines = ts.greedy(self.text, self.measure, width, lead)
            self._width = width
        return self._lines

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = len(self.lines(aw)) * self.leading + self.space_after
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        lines = self.lines(aw)
        n = len(lines)
        fit = int((ah + 1e-6) // self.leading)
        if fit >= n:
            return [self]
        if n - fit < 2:
            fit = n - 2
        if fit < 2:
            return []
        return [self._piece(lines[:fit], self.first, 0.0), self._piece(lines[fit:], False, self.space_after)]

    def _piece(self, lines: list[ts.Line], first: bool, space_after: float) -> TextFlow:
        t = TextFlow(self.text, self.face, self.size, self.leading, self.fs, self.align, self.indent, False,
                     self.tracking, self.number if first else "", self.number_face, self.color, space_after,
                     lines, first)
        t._width = self._width
        return t

    def draw(self) -> None:
        canv = self.canv
        if self.color is not None:
            canv.setFillColor(self.color)
        width = self.width
        top = self.height
        for i, line in enumerate(self.lines(width)):
            y = baseline(top - i * self.leading, self.leading, self.size)
            x0 = 0.0
            avail = width
            if i == 0 and self.first:
                x0 = self.indent
                if self.number:
                    draw_text(canv, self.fs, x0, y, self.number, self.number_face, self.size, self.tracking)
                    x0 += self.number_width
                avail = width - x0
            if self.align == "j" and not line.last and len(line.parts) > 1:
                for x, part in zip(ts.justify_gaps(line, avail, self.measure), line.parts, strict=True):
                    if part != " ":
                        draw_text(canv, self.fs, x0 + x, y, part, self.face, self.size, self.tracking)
                continue
            x = x0
            if self.align == "c":
                x = x0 + (avail - line.width) / 2
            elif self.align == "r":
                x = x0 + avail - line.width
            draw_text(canv, self.fs, x, y, line.text, self.face, self.size, self.tracking)


class KeepTail(Flowable):
    """A paragraph and what closes it (a notice's signature): at least two lines of text go with it, taken from the
    paragraph before when the last one is a single line (GB/T 9704 7.3.5: no seal on a page without text)."""

    def __init__(self, para: TextFlow, tail: Flowable, before: TextFlow | None = None) -> None:
        super().__init__()
        self.para, self.tail, self.before = para, tail, before

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        bh = self.before.wrap(aw, ah)[1] if self.before is not None else 0.0
        _w, ph = self.para.wrap(aw, ah - bh)
        _w, th = self.tail.wrap(aw, ah - bh - ph)
        self.width, self.height = aw, bh + ph + th
        self._bh, self._ph = bh, ph
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self.wrap(aw, ah)
        lines = self.para.lines(aw)
        if self.before is not None:
            if len(lines) >= 2:  # the last paragraph has lines enough: the one before goes as any paragraph
                if self._bh <= ah + 1e-6:
                    return [self.before, KeepTail(self.para, self.tail)]
                parts = self.before.split(aw, ah)
                return [*parts[:-1], KeepTail(self.para, self.tail, parts[-1])] if len(parts) > 1 else []
            blines = self.before.lines(aw)
            need = 2 - len(lines)
            fit = min(int((ah + 1e-6) // self.before.leading), len(blines) - need)
            if fit < 2:
                return []
            head = self.before._piece(blines[:fit], self.before.first, 0.0)
            rest = self.before._piece(blines[fit:], False, self.before.space_after)
            return [head, KeepTail(self.para, self.tail, rest)]
        keep = min(2, len(lines))
        fit = min(int((ah + 1e-6) // self.para.leading), len(lines) - keep)
        if fit < 2:
            return []
        head = self.para._piece(lines[:fit], self.para.first, 0.0)
        rest = self.para._piece(lines[fit:], False, self.para.space_after)
        return [head, KeepTail(rest, self.tail)]

    def draw(self) -> None:
        if self.before is not None:
            self.before.drawOn(self.canv, 0, self.height - self._bh)
        self.para.drawOn(self.canv, 0, self.height - self._bh - self._ph)
        self.tail.drawOn(self.canv, 0, 0)


class MetaFlow(Flowable):
    """A line of labelled items (项目编号：… left, 文号：… right); items that do not fit share it as columns."""

    def __init__(self, items: Sequence[str], ctx: Ctx, size: float = CELL_PT) -> None:
        super().__init__()
        self.items, self.ctx, self.size = list(items), ctx, size
        self.leading = size * 1.5

    def _columns(self, aw: float) -> list[list[ts.Line]]:
        m = measurer(self.ctx.face("song"), self.size)
        n = len(self.items)
        widths = [m(t) for t in self.items]
        gap = 2 * self.size
        if sum(widths) + gap * (n - 1) <= aw:
            return [[ts.Line(tuple(ts.tokens(t)), w, True)] for t, w in zip(self.items, widths, strict=True)]
        share = (aw - gap * (n - 1)) / n
        return [ts.greedy(t, m, share) for t in self.items]

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self._cols = self._columns(aw)
        self.height = max(len(c) for c in self._cols) * self.leading + 2
        return aw, self.height

    def draw(self) -> None:
        face = self.ctx.face("song")
        n = len(self._cols)
        gap = 2 * self.size
        share = (self.width - gap * (n - 1)) / n
        for i, col in enumerate(self._cols):
            for k, line in enumerate(col):
                y = baseline(self.height - 2 - k * self.leading, self.leading, self.size)
                if i == n - 1 and n > 1:
                    x = self.width - line.width
                elif i == 0:
                    x = 0.0
                else:
                    x = i * (share + gap) + (share - line.width) / 2
                draw_text(self.canv, self.ctx.fs, x, y, line.text, face, self.size)


# ---------------------------------------------------------------- tables


@dataclass
class PCell:
    """A prepared cell: its lines (and a signature block at its foot), ready to draw."""

    lines: list[str]
    align: str  # l c r
    face: Face
    size: float
    span: int = 1
    rowspan: int = 1
    col: int = -1  # the first column it occupies (-1: count along the row)
    covered: bool = False  # under a cell merged from above
    sign: list[tuple[str, str]] = field(default_factory=list)  # (text, align) at the foot
    valign: str = "m"  # m middle, t top
    label: bool = False  # a form's label: repeated where its row goes on over a page

    @property
    def leading(self) -> float:
        return self.size * LEADING

    def height(self) -> float:
        n = len(self.lines) + len(self.sign) + (1 if self.sign and self.lines else 0)
        return n * self.leading + 2 * PAD_Y


@dataclass
class PRow:
    cells: list[PCell]
    height: float
    kind: str = "d"  # d data, g group heading, s subtotal, t total, h header, x signature row
    background: Any = None


def _head_lines(text: str, m: ts.Measure, width: float) -> list[str]:
    """A header: on one line if it fits; else its unit on a line of its own (县级财政资金/（元）); else evenly."""
    if m(text) <= width + 0.01:
        return [text]
    name, unit = head_split(text)
    if unit and m(name) <= width + 0.01:
        return [name, unit]
    return [line.text for line in ts.balanced(text, m, width)]


def _prep_lines(text: str, m: ts.Measure, width: float) -> list[str]:
    if not text:
        return []
    if "\n" not in text and m(text) <= width:
        return [text]
    return [line.text for line in ts.greedy(text, m, width)]


def _sign_lines(sign: d.Sign, m: ts.Measure, width: float) -> list[tuple[str, str]]:
    """The foot of an opinion: names and 签字：(room) right-aligned, then 盖章, then the date."""
    room = "\u3000" * max(1, int(SIGN_ROOM // max(m("\u3000"), 1)))
    out: list[tuple[str, str]] = []
    names = "\u3000".join(sign.names)
    signer = sign.signer + room if sign.signer else ""
    if names and signer and m(names + "\u3000\u3000" + signer) <= width:
        out.append((names + "\u3000\u3000" + signer, "r"))
    else:
        out += [(t, "r") for t in _prep_lines(names, m, width)]
        if signer:
            out.append((signer, "r"))
    if sign.seal:
        out += [(t, "r") for t in _prep_lines(sign.seal, m, width)]
    if sign.date:
        out.append((sign.date, "r"))
    return out


def split_row(r: PRow, avail: float, keep_last: int = 0) -> tuple[PRow, PRow] | None:
    """A row taller than a page, cut between two of its lines: what fits on this page, and the rest (labels
    repeated, a signature block kept at the foot of the rest), which holds at least `keep_last` lines. None when it
    cannot be cut (merged cells, or too little room)."""
    if any(c.rowspan > 1 or c.covered for c in r.cells):
        return None
    lead = max(c.leading for c in r.cells)
    n = min(int((avail - 2 * PAD_Y) // lead), max(len(c.lines) for c in r.cells) - keep_last)
    if n < 1:
        return None
    first: list[PCell] = []
    second: list[PCell] = []
    for c in r.cells:
        if c.height() <= n * lead + 2 * PAD_Y:  # the whole cell fits on this page
            first.append(c)
            second.append(replace(c, lines=list(c.lines) if c.label else [], sign=[]))
        else:
            first.append(replace(c, lines=c.lines[:n], sign=[], valign="t"))
            second.append(replace(c, lines=c.lines[n:], valign="t"))
    h1 = max(c.height() for c in first)
    h2 = max(max(c.height() for c in second), lead + 2 * PAD_Y)
    return PRow(first, h1, r.kind, r.background), PRow(second, h2, r.kind, r.background)


class TableFlow(Flowable):
    """A ruled table laid out one page at a time: header rows repeated, keep rules kept, a caption above the first
    piece and a note below the last. `row(i)` prepares row i (lazily: a long list is never prepared whole)."""

    def __init__(self, widths: Sequence[float], nrows: int, row: Callable[[int], PRow], ctx: Ctx,
                 header: Sequence[PRow] = (), lead: Flowable | None = None, tail: Flowable | None = None,
                 start: int = 0, first: bool = True, box: bool = True) -> None:
        super().__init__()
        self.widths = list(widths)
        self.nrows, self.row, self.ctx = nrows, row, ctx
        self.header = list(header)
        self.lead, self.tail = lead, tail
        self.start, self.first = start, first
        self.box = box
        self._cache: dict[int, PRow] = {}

    # --- planning a page

    def _get(self, i: int) -> PRow:
        r = self._cache.get(i)
        if r is None:
            r = self._cache[i] = self.row(i)
        return r

    def _extra(self, aw: float, ah: float) -> tuple[float, float]:
        lead = self.lead.wrap(aw, ah)[1] if (self.lead is not None and self.first) else 0.0
        tail = self.tail.wrap(aw, ah)[1] if self.tail is not None else 0.0
        return lead, tail

    def _avail(self, aw: float, ah: float) -> float:
        lead, _tail = self._extra(aw, ah)
        return ah - lead - sum(r.height for r in self.header)

    def _fit(self, aw: float, ah: float) -> tuple[int, bool, int]:
        """(rows from start that go on this page, whether all the rest and the tail fit here, rows that fit
        before any keep rule)."""
        _lead, tail = self._extra(aw, ah)
        avail = self._avail(aw, ah)
        used, k = 0.0, 0
        i = self.start
        while i < self.nrows:
            h = self._get(i).height
            if used + h > avail + 1e-6:
                break
            used += h
            k += 1
            i += 1
        raw = k
        rest = self.nrows - self.start
        if k == rest and used + tail <= avail + 1e-6:
            return k, True, raw
        if k == rest:
            k = rest - 1  # the tail does not fit: the last row goes over with it
        k = self._keep_rules(k)
        return k, False, raw

    def _keep_rules(self, k: int) -> int:
        s = self.start
        while k > 0:
            last, nxt = self._get(s + k - 1), (self._get(s + k) if s + k < self.nrows else None)
            if last.kind == "g":  # a group heading never ends a page
                k -= 1
                continue
            if nxt is not None and nxt.kind in ("s", "t") and last.kind != "g":
                k -= 1  # a subtotal never starts a page: one row of its group goes with it
                continue
            if nxt is not None and all(self._get(j).kind == "x" for j in range(s + k, self.nrows)):
                k -= 1  # the rows going over are all signatures: the row before them goes too
                continue
            break
        return k

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        _k, whole, _raw = self._fit(aw, ah)
        if whole:
            lead, tail = self._extra(aw, ah)
            self.height = lead + tail + sum(r.height for r in self.header) + sum(
                self._get(i).height for i in range(self.start, self.nrows))
        else:
            self.height = ah + 1  # does not fit here: the frame asks for a split
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        k, whole, raw = self._fit(aw, ah)
        if whole:
            return [self]
        if k <= 0:
            fresh = ah >= self.ctx.frame_h - 2  # the top of a page, where the keep rules cannot be kept
            tall = raw == 0 and self._get(self.start).height > self.ctx.frame_h - sum(r.height for r in self.header)
            if not fresh and not tall:
                return []  # nothing goes here: the table goes on on the next page
            if raw == self.nrows - self.start:  # every row fits, the tail does not: the tail goes on alone
                head = self._part(self.nrows, None)
                return [head, self.tail] if self.tail is not None else [head]
            last = self.start + raw - 1  # the last row above the signatures that would go over
            while last >= self.start and self._get(last).kind == "x":
                last -= 1
            if last >= self.start and raw < self.nrows - self.start and all(
                    self._get(j).kind == "x" for j in range(last + 1, self.nrows)):
                # only signatures would go over: the last lines of the row above them go along
                used = sum(self._get(j).height for j in range(self.start, last))
                parts = split_row(self._get(last), self._avail(aw, ah) - used, keep_last=2)
                if parts is not None:
                    return self._cut_at(last, parts)
            if raw > 0:
                k = raw
            else:  # the first row alone is taller than a page: its lines go on over the page
                parts = split_row(self._get(self.start), self._avail(aw, ah))
                if parts is None:
                    return []
                return self._cut_at(self.start, parts)
        head = self._part(self.start + k, None)
        head._cache = {i: self._cache[i] for i in range(self.start, self.start + k)}
        rest = self._part(self.nrows, self.tail, self.start + k, False)
        rest._cache = {i: r for i, r in self._cache.items() if i >= self.start + k}
        self._cache = {}
        return [head, rest]

    def _cut_at(self, i: int, parts: tuple[PRow, PRow]) -> list[Flowable]:
        """This page: the rows before i and the first part of row i; the next: the rest of row i and what follows."""
        head = self._part(i + 1, None)
        head._cache = {j: self._cache[j] for j in range(self.start, i)} | {i: parts[0]}
        rest = self._part(self.nrows, self.tail, i, False)
        rest._cache = {j: r for j, r in self._cache.items() if j > i} | {i: parts[1]}
        self._cache = {}
        return [head, rest]

    def _part(self, nrows: int, tail: Flowable | None, start: int | None = None,
              first: bool | None = None) -> TableFlow:
        return TableFlow(self.widths, nrows, self.row, self.ctx, self.header, self.lead, tail,
                         self.start if start is None else start, self.first if first is None else first, self.box)

    # --- drawing a page

    def draw(self) -> None:
        canv, fs = self.canv, self.ctx.fs
        aw = self.width
        y = self.height
        if self.lead is not None and self.first:
            _w, lh = self.lead.wrap(aw, y)
            self.lead.drawOn(canv, 0, y - lh)
            y -= lh
        rows = self.header + [self._get(i) for i in range(self.start, self.nrows)]
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        top = y
        tops = []
        for r in rows:
            tops.append(y)
            y -= r.height
        bottom = y
        # backgrounds
        for r, t in zip(rows, tops, strict=True):
            if r.background is not None:
                canv.setFillColor(r.background)
                canv.rect(0, t - r.height, xs[-1], r.height, stroke=0, fill=1)
        canv.setFillColor(colors.black)
        # merged cells: a cell merged downwards spans the rows below it on this page
        spans: dict[tuple[int, int], float] = {}
        covered_at = [{cell.col for cell in r.cells if cell.covered} for r in rows]
        first_body = len(self.header)
        for ri, r in enumerate(rows):
            for cell in r.cells:
                if cell.rowspan > 1 or (cell.covered and ri == first_body):
                    h = r.height
                    rj = ri + 1
                    while rj < len(rows) and cell.col in covered_at[rj]:
                        h += rows[rj].height
                        rj += 1
                    spans[(ri, cell.col)] = h
        # text
        painter = Painter(canv, fs)
        for ri, (r, t) in enumerate(zip(rows, tops, strict=True)):
            c = 0
            for cell in r.cells:
                c = cell.col if cell.col >= 0 else c
                x, w = xs[c], xs[c + cell.span] - xs[c]
                c0 = c
                c += cell.span
                if cell.covered and (ri, c0) not in spans:
                    continue
                h = spans.get((ri, c0), r.height)
                self._draw_cell(painter, cell, x, t, w, h)
        painter.close()
        # rules: each column boundary as long vertical runs, each row boundary as long horizontal runs
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(GRID_W)
        ncol = len(self.widths)
        open_v: dict[int, float] = {}  # column boundary -> top of the run being drawn
        hsegs: list[tuple[float, float, float, float]] = []
        segs: list[tuple[float, float, float, float]] = []
        for ri, (r, t) in enumerate(zip(rows, tops, strict=True)):
            bounds: set[int] = set()
            tops_drawn: list[tuple[int, int]] = []
            c = 0
            for cell in r.cells:
                c = cell.col if cell.col >= 0 else c
                if c > 0:
                    bounds.add(c)
                if ri > 0 and (not cell.covered or ri == first_body):
                    tops_drawn.append((c, c + cell.span))
                c += cell.span
            for b in range(1, ncol):
                if b in bounds and b not in open_v:
                    open_v[b] = t
                elif b not in bounds and b in open_v:
                    segs.append((xs[b], open_v.pop(b), xs[b], t))
            if tops_drawn:  # merge adjacent pieces of the row's top edge
                tops_drawn.sort()
                a, z = tops_drawn[0]
                for a2, z2 in tops_drawn[1:]:
                    if a2 == z:
                        z = z2
                    else:
                        hsegs.append((xs[a], t, xs[z], t))
                        a, z = a2, z2
                hsegs.append((xs[a], t, xs[z], t))
        for b, t0 in open_v.items():
            segs.append((xs[b], t0, xs[b], bottom))
        canv.lines(segs + hsegs)
        canv.setLineWidth(BOX_W if self.box else GRID_W)
        canv.rect(0, bottom, xs[-1], top - bottom, stroke=1, fill=0)
        if self.tail is not None:
            _w, th = self.tail.wrap(aw, bottom)
            self.tail.drawOn(canv, 0, bottom - th)
        self.ctx.tick(self.nrows - self.start)

    def _draw_cell(self, painter: Painter, cell: PCell, x: float, top: float, w: float, h: float) -> None:
        lead = cell.leading
        size = cell.size
        m = measurer(cell.face, size)
        inner = w - 2 * PAD_X
        if cell.valign == "t" or cell.sign:
            ty = top - PAD_Y
        else:
            ty = top - (h - len(cell.lines) * lead) / 2
        for line in cell.lines:
            by = baseline(ty, lead, size)
            if cell.align == "l":
                lx = x + PAD_X
            elif cell.align == "r":
                lx = x + w - PAD_X - m(line)
            else:
                lx = x + PAD_X + (inner - m(line)) / 2
            painter.text(lx, by, line, cell.face, size)
            ty -= lead
        if cell.sign:
            sy = top - h + PAD_Y + len(cell.sign) * lead
            for text, align in cell.sign:
                by = baseline(sy, lead, size)
                lx = x + w - PAD_X - m(text) if align == "r" else x + PAD_X
                painter.text(lx, by, text, cell.face, size)
                sy -= lead


# ---------------------------------------------------------------- grids (forms)


def label_widths(grids: Sequence[d.Grid], ctx: Ctx) -> tuple[float, float]:
    """The two label columns of a form's grids: as wide as the widest label in each (the same on every grid of
    the form), so a label wraps only where its text says (申请材料/（第八条）), or evenly when very long."""
    m = measurer(ctx.face("song"), CELL_PT)
    cap = 34 * mm
    widest = [0.0, 0.0]
    for g in grids:
        for row in g.rows:
            c = 0
            for cell in row.cells:
                if cell.label and c in (0, 2):
                    widest[c // 2] = max(widest[c // 2], max(m(part) for part in cell.text.split("\n")))
                c += cell.span
    l0 = min(widest[0] + 2 * PAD_X + 0.5, cap)
    l2 = min(widest[1] + 2 * PAD_X + 0.5, cap) if widest[1] else l0
    return l0, l2


def grid_flow(g: d.Grid, ctx: Ctx, width: float, labels: tuple[float, float], lead: Flowable | None = None,
              tail: Flowable | None = None) -> TableFlow:
    """A four-column form grid: label, value, label, value; the value columns share what the labels leave."""
    l0, l2 = labels
    v = (width - l0 - l2) / 2
    widths = [l0, v, l2, v]

    rows = [_grid_row(row, widths, ctx) for row in g.rows]
    return TableFlow(widths, len(rows), rows.__getitem__, ctx, lead=lead, tail=tail)


def _grid_row(row: d.Row, widths: list[float], ctx: Ctx) -> PRow:
    song = ctx.face("song")
    m = measurer(song, CELL_PT)
    cells: list[PCell] = []
    c = 0
    for cell in row.cells:
        w = sum(widths[c:c + cell.span]) - 2 * PAD_X
        c += cell.span
        if cell.label:
            parts = cell.text.split("\n")
            lines = [ln.text for p in parts for ln in (ts.balanced(p, m, w) if m(p) > w else [ts.Line((p,), m(p))])]
            cells.append(PCell(lines, cell.align or "c", song, CELL_PT, cell.span, label=True))
            continue
        lines = _prep_lines(cell.text, m, w)
        sign = _sign_lines(cell.sign, m, w) if cell.sign is not None else []
        cells.append(PCell(lines, cell.align or "l", song, CELL_PT, cell.span, sign=sign,
                           valign="t" if cell.sign is not None else "m"))
    h = max(max(x.height() for x in cells), row.min_mm * mm, CELL_PT * LEADING + 2 * PAD_Y)
    return PRow(cells, h, "x" if row.sign else "d")


# ---------------------------------------------------------------- lists


NOMINAL_ASCII = 0.6  # em: wider than any face's digits, so a fit decided on it holds in every face


def nominal(size: float) -> ts.Measure:
    """Font-independent width (hanzi 1 em, anything narrower 0.6 em): the content's decisions (元 or 万元) use it,
    so the printed text, and so the digest, never depends on the PC's fonts."""
    def m(text: str) -> float:
        return sum(NOMINAL_ASCII if ord(c) < 0x2E80 else 1.0 for c in text) * size
    return m


def head_split(text: str) -> tuple[str, str]:
    """A header's name and its unit: ('县级财政资金', '（元）'); (text, '') without one."""
    i = text.rfind("（")
    if i > 0 and text.endswith("）") and len(text) - i <= 5:
        return text[:i], text[i:]
    return text, ""


def head_min(text: str, m: ts.Measure) -> float:
    """The narrowest a header may be: short ones (序号 年度 性质) never wrap; one with a unit puts the unit on a
    line of its own; a long one wraps into two even lines."""
    name, unit = head_split(text)
    if len(name) <= 4 or (unit and len(name) <= 6):
        return max(m(name), m(unit))
    toks = [t for t in ts.tokens(text) if t != " "]
    widths = [m(t) for t in toks]
    total = sum(widths)
    best, acc = total, 0.0
    for w in widths[:-1]:
        acc += w
        best = min(best, max(acc, total - acc))
    return best


def fit_columns(t: d.ListTable, width: float, m: ts.Measure, bold_m: ts.Measure | None = None,
                head_m: ts.Measure | None = None) -> list[float] | None:
    """Column widths for a list: a fix column as wide as its widest value; text columns share what is left
    (the narrower ones get their whole text first, the widest takes the rest), none narrower than its
    min_chars; None when that does not fit (the caller prints in 万元, goes landscape or smaller)."""
    bold_m = bold_m or m
    head_m = head_m or m
    pad = 2 * PAD_X + 0.5
    merged = t.merged()
    fixed: dict[int, float] = {}
    natural: dict[int, float] = {}
    least: dict[int, float] = {}
    unit = m("\u4e00")
    for ci, col in enumerate(t.columns):
        hmin = head_min(col.header, head_m)
        widest = 0.0
        widest_tok = 0.0
        for ri, r in enumerate(t.rows):
            text = r[ci]
            if not text:
                continue
            if ri in merged and merged[ri][0] <= ci <= merged[ri][1]:
                continue  # a merged cell is as wide as the columns it spans
            w = (bold_m if t.kind(ri) in "gst" else m)(text)
            if w > widest:
                widest = w
            if col.kind != "fix" and w > widest_tok:
                widest_tok = max(widest_tok, max((m(x) for x in ts.tokens(text) if x != " "), default=0.0))
        if col.kind == "fix":
            fixed[ci] = max(widest, hmin) + pad
        else:
            natural[ci] = max(widest, hmin) + pad
            least[ci] = min(max(col.min_chars * unit, widest_tok, hmin) + pad, natural[ci])
    remain = width - sum(fixed.values())
    if sum(least.values()) > remain + 1e-6:
        return None
    out = dict(fixed)
    if not natural:
        extra = remain
        for ci in out:
            out[ci] += extra / len(out)
        return [out[i] for i in range(len(t.columns))]
    # max-min fair shares: the narrow text columns get all they want, the wide ones split the rest
    left = dict(natural)
    budget = remain
    while left:
        share = budget / len(left)
        small = {ci: w for ci, w in left.items() if w <= share}
        if not small:
            over = {ci: max(least[ci], share) for ci in left}
            excess = sum(over.values()) - budget
            if excess > 1e-6:  # some took their minimum above the share: the others give it back
                flexible = [ci for ci in left if over[ci] > least[ci]]
                room = sum(over[ci] - least[ci] for ci in flexible) or 1.0
                for ci in flexible:
                    over[ci] -= excess * (over[ci] - least[ci]) / room
            out.update(over)
            break
        for ci, w in small.items():
            out[ci] = w
            budget -= w
            del left[ci]
    used = sum(out.values())
    if used < width - 1e-6:  # everyone has their whole text: the widest text column takes what is left
        widest_col = max(natural, key=lambda c: natural[c])
        out[widest_col] += width - used
    return [out[i] for i in range(len(t.columns))]


def list_flow(t: d.ListTable, ctx: Ctx, width: float, lead: Flowable | None = None,
              tail: Flowable | None = None) -> TableFlow:
    song, hei = ctx.face("song"), ctx.face("hei")
    size = t.size
    widths = None
    while widths is None:
        m, bm = measurer(song, size), measurer(hei, size)
        widths = fit_columns(t, width, m, bm, bm)
        if widths is None:
            size -= 0.5  # the content was fitted on nominal widths; a face wider still prints a little smaller
            if size < 6:
                raise RuntimeError("table does not fit")  # pragma: no cover
    m, bm = measurer(song, size), measurer(hei, size)
    inner = [w - 2 * PAD_X for w in widths]
    lead_sz = size * LEADING
    aligns = [c.align for c in t.columns]
    head_cells = [PCell(_head_lines(c.header, bm, inner[i]), "c", hei, size) for i, c in enumerate(t.columns)]
    header = [PRow(head_cells, max(x.height() for x in head_cells), "h", HEAD_BG)]
    covered: dict[tuple[int, int], int] = {}
    head_of: dict[tuple[int, int], int] = {}  # a covered cell -> the row its merged cell starts on
    for col, r0, r1 in t.spans:
        covered[(r0, col)] = r1 - r0 + 1
        for r in range(r0 + 1, r1 + 1):
            covered[(r, col)] = 0
            head_of[(r, col)] = r0
    rows, kinds = t.rows, t.kinds
    merged = t.merged()
    charset = song.widths.keys()
    one_line = lead_sz + 2 * PAD_Y

    def row(i: int) -> PRow:
        r = rows[i]
        kind = kinds[i] if kinds else "d"
        bold = kind in "gst"
        face, meas = (hei, bm) if bold else (song, m)
        cells = []
        lines_max = 1
        c0, c1 = merged.get(i, (-1, -1))
        ci = 0
        n = len(r)
        while ci < n:
            text = r[ci]
            span = covered.get((i, ci), 1)
            if span == 0:  # drawn only where a page starts inside the merged cell: its label again
                label = rows[head_of[(i, ci)]][ci]
                cells.append(PCell(_prep_lines(label, meas, inner[ci]), aligns[ci], face, size, col=ci, covered=True))
                ci += 1
                continue
            across = c1 - c0 + 1 if ci == c0 else 1
            width = sum(inner[ci:ci + across]) + 2 * PAD_X * (across - 1)
            if not bold and charset >= set(text) and meas(text) <= width:
                lines = [text] if text else []
            else:
                lines = _prep_lines(text, meas, width)
            if span == 1:
                lines_max = max(lines_max, len(lines))
            cells.append(PCell(lines, aligns[ci] if across == 1 else ("l" if kind == "g" else "c"),
                               face, size, across, span, col=ci))
            ci += across
        h = one_line if lines_max == 1 else lines_max * lead_sz + 2 * PAD_Y
        return PRow(cells, h, kind, BOLD_BG if bold else None)

    return TableFlow(widths, len(rows), row, ctx, header=header, lead=lead, tail=tail)


# ---------------------------------------------------------------- notices


class NoticeHeadFlow(Flowable):
    """版头: the red mark with its top edge 35 mm under the text area's top, the 发文字号 two lines under it,
    the red separator 4 mm under the 发文字号; the title starts two lines under the separator."""

    MARK_TOP = 35 * mm

    def __init__(self, b: d.NoticeHead, ctx: Ctx) -> None:
        super().__init__()
        self.b, self.ctx = b, ctx
        face = ctx.face("title")
        self.mark_size = min(40.0, NOTICE.width / max(measurer(face, 1)(b.mark), 1) * 0.98)

    def layout(self) -> dict[str, float]:
        """Distances from the top of the text area (points, downwards)."""
        s = self.mark_size
        mark_base = self.MARK_TOP + 0.88 * s
        doc_cell = mark_base + 0.12 * s + 2 * NOTICE_LEADING  # 空二行 under the mark
        doc_base = doc_cell + NOTICE_LEADING - (NOTICE_LEADING - NOTICE_BODY_PT) / 2 - 0.12 * NOTICE_BODY_PT
        rule = doc_base + 0.12 * NOTICE_BODY_PT + 4 * mm
        # the title two lines under the separator, on the body's grid of lines
        end = math.ceil((rule + 2 * NOTICE_LEADING - 1e-6) / NOTICE_LEADING) * NOTICE_LEADING
        return {"mark_base": mark_base, "doc_base": doc_base, "rule": rule, "end": end}

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self.layout()["end"]
        return aw, self.height

    def draw(self) -> None:
        canv, fs = self.canv, self.ctx.fs
        lay = self.layout()
        top = self.height
        face = self.ctx.face("title")
        m = measurer(face, self.mark_size)
        canv.setFillColor(RED)
        draw_text(canv, fs, (self.width - m(self.b.mark)) / 2, top - lay["mark_base"], self.b.mark, face,
                  self.mark_size)
        canv.setFillColor(colors.black)
        if self.b.doc_no:
            fang = self.ctx.face("fang")
            w = measurer(fang, NOTICE_BODY_PT)(self.b.doc_no)
            draw_text(canv, fs, (self.width - w) / 2, top - lay["doc_base"], self.b.doc_no, fang, NOTICE_BODY_PT)
        canv.setStrokeColor(RED)
        canv.setLineWidth(0.5 * mm)
        canv.line(0, top - lay["rule"], self.width, top - lay["rule"])
        canv.setStrokeColor(colors.black)


class ClosingFlow(Flowable):
    """发文机关署名 centred over the 成文日期, the date 右空四字; two blank lines above them for the seal."""

    def __init__(self, b: d.Closing, ctx: Ctx) -> None:
        super().__init__()
        self.b, self.ctx = b, ctx

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        fang = self.ctx.face("fang")
        m = measurer(fang, NOTICE_BODY_PT, NOTICE_TRACK)
        date_w = m(self.b.date)
        self._issuer = ts.balanced(self.b.issuer, m, min(aw, max(date_w * 1.6, aw * 0.5)))
        self.height = (2 + len(self._issuer) + 1) * NOTICE_LEADING
        return aw, self.height

    def draw(self) -> None:
        fang = self.ctx.face("fang")
        m = measurer(fang, NOTICE_BODY_PT, NOTICE_TRACK)
        date_w = m(self.b.date)
        date_x = self.width - 4 * NOTICE_PITCH - date_w  # 右空四字
        centre = date_x + date_w / 2
        top = self.height - 2 * NOTICE_LEADING
        for i, line in enumerate(self._issuer):
            x = min(centre - line.width / 2, self.width - line.width)
            draw_text(self.canv, self.ctx.fs, x, baseline(top - i * NOTICE_LEADING, NOTICE_LEADING, NOTICE_BODY_PT),
                      line.text, fang, NOTICE_BODY_PT, NOTICE_TRACK)
        y = baseline(top - len(self._issuer) * NOTICE_LEADING, NOTICE_LEADING, NOTICE_BODY_PT)
        draw_text(self.canv, self.ctx.fs, date_x, y, self.b.date, fang, NOTICE_BODY_PT, NOTICE_TRACK)


class EndFlow(Flowable):
    """The signature, then the 版记 at the foot of the same page: they never part."""

    def __init__(self, closing: Flowable, colophon: ColophonFlow) -> None:
        super().__init__()
        self.closing, self.colophon = closing, colophon

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self._ch = self.closing.wrap(aw, ah)[1]
        need = self._ch + self.colophon.content_height(aw) + NOTICE_LEADING
        self.height = max(need, ah - 0.01) if need <= ah else need
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        self.closing.drawOn(self.canv, 0, self.height - self._ch)
        h = self.colophon.content_height(self.width)
        self.colophon.wrap(self.width, h)
        self.colophon.drawOn(self.canv, 0, 0)


class ColophonFlow(Flowable):
    """版记 at the foot of the last page: thick rules first and last (the last on the text area's bottom edge), a
    thin rule between 抄送 and 印发; 4号 仿宋, one character in from each side."""

    SIZE = 14

    def __init__(self, b: d.Colophon, ctx: Ctx) -> None:
        super().__init__()
        self.b, self.ctx = b, ctx
        self.leading = 7 * mm

    def _lines(self, aw: float) -> tuple[list[ts.Line], str, str]:
        fang = self.ctx.face("fang")
        m = measurer(fang, self.SIZE)
        copy_line, issuer, date = d.colophon_lines(self.b)
        inner = aw - 2 * self.SIZE
        copy = ts.greedy(copy_line, m, inner) if copy_line else []
        return copy, issuer, date

    def content_height(self, aw: float) -> float:
        copy, _i, _d = self._lines(aw)
        return (len(copy) + 1) * self.leading + 1 * mm

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        need = self.content_height(aw)
        self.height = max(need, ah - 0.01) if need <= ah else need
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canv, fs = self.canv, self.ctx.fs
        fang = self.ctx.face("fang")
        m = measurer(fang, self.SIZE)
        copy, issuer, date = self._lines(self.width)
        n = len(copy) + 1
        top = n * self.leading
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(0.35 * mm)
        canv.line(0, top, self.width, top)
        canv.line(0, 0, self.width, 0)
        y = top
        for line in copy:
            draw_text(canv, fs, self.SIZE, baseline(y, self.leading, self.SIZE), line.text, fang, self.SIZE)
            y -= self.leading
        if copy:
            canv.setLineWidth(0.25 * mm)
            canv.line(0, y, self.width, y)
        by = baseline(y, self.leading, self.SIZE)
        draw_text(canv, fs, self.SIZE, by, issuer, fang, self.SIZE)
        draw_text(canv, fs, self.width - self.SIZE - m(date), by, date, fang, self.SIZE)


# ---------------------------------------------------------------- QR code and the page's decoration


def qr_payload(serial: str, digest: str) -> str:
    """What the QR code holds: 'GOVDATA-FORM|<serial>|<SM3 hex>'."""
    return f"{QR_PREFIX}|{serial}|{digest}"


def parse_qr_payload(text: str) -> tuple[str, str]:
    """(serial, digest) from a scanned 'GOVDATA-FORM|serial|digest'; ValueError for anything else."""
    parts = text.strip().split("|")
    if len(parts) != 3 or parts[0].strip().upper() != QR_PREFIX:
        raise ValueError(text)
    return parts[1].strip(), parts[2].strip()


def qr_widget(serial: str, digest: str) -> QrCodeWidget:
    return QrCodeWidget(qr_payload(serial, digest), barLevel="M", barBorder=2)


@lru_cache(maxsize=8)
def qr_modules(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules, encoded once per payload (not once per page)."""
    qr = QrCodeWidget(payload, barLevel="M", barBorder=2).qr
    qr.make()
    return tuple(tuple(bool(v) for v in row) for row in qr.modules)


def group_digest(digest: str, group: int = 4) -> str:
    """'a1b2c3d4…' → 'a1b2 c3d4 …' (read aloud and compared by hand in groups of four)."""
    return " ".join(digest[i:i + group] for i in range(0, len(digest), group))


def _define_qr(c: Canvas, payload: str) -> str:
    name = "govdataQR"
    if getattr(c, "_qr_defined", False):
        return name
    modules = qr_modules(payload)
    border = 2
    n = len(modules) + 2 * border
    box = QR_SIZE / n
    c.beginForm(name, 0, 0, QR_SIZE, QR_SIZE)
    c.setFillColor(colors.white)
    c.rect(0, 0, QR_SIZE, QR_SIZE, stroke=0, fill=1)
    c.setFillColor(colors.black)
    p = c.beginPath()
    for r, row in enumerate(modules):
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                p.rect((start + border) * box, QR_SIZE - (r + border + 1) * box, (col - start) * box, box)
            else:
                col += 1
    c.drawPath(p, stroke=0, fill=1)
    c.endForm()
    c._qr_defined = True
    return name


@dataclass(frozen=True)
class Stamp:
    """What every page carries: the title, serial and digest (not part of the content: the print's own)."""

    title: str
    serial: str
    digest: str
    layout: Layout
    printed_on: str = ""  # 制表日期 (the day of printing), on tables that need it


def missing_note(missing: Sequence[str]) -> str:
    """What a page says when the faces lack a character it prints as 〓: its code point, to be written in by hand."""
    if not missing:
        return ""
    points = "、".join(f"U+{ord(ch):04X}" for ch in missing[:8]) + ("等" if len(missing) > 8 else "")
    return f"注：{MISSING_MARK}处为字库中没有的字（{points}），请对照原始记录手工填写。"


def _decorate(c: Canvas, stamp: Stamp, fs: FontSet, page: int, pages: int, missing: str = "") -> None:
    w, h = stamp.layout.pagesize
    left, right, top, bottom = stamp.layout.margins
    song = fs.song
    c.saveState()
    c.setFillColor(colors.black)
    if missing:  # above the text area, left: a rare character the faces lack, named by its code point
        y = h - QR_EDGE - 3 * mm if stamp.layout.kind == "notice" else h - top + 3 * mm
        draw_text(c, fs, left, y, missing, song, STAMP_PT if stamp.layout.kind == "notice" else NOTE_PT)
    qr = _define_qr(c, qr_payload(stamp.serial, stamp.digest))
    grouped = group_digest(stamp.digest)
    if stamp.layout.kind == "notice":
        # GB/T 9704: 4号 half-width numbers between dashes, 7 mm under the text area; odd right, even left
        text = f"— {page} —"
        m = measurer(song, NOTICE_PAGE_PT)
        y = bottom - 7 * mm - 0.88 * NOTICE_PAGE_PT
        x = w - right - NOTICE_PAGE_PT - m(text) if page % 2 else left + NOTICE_PAGE_PT
        draw_text(c, fs, x, y, text, song, NOTICE_PAGE_PT)
        # in the 天头, right: the QR code 10 mm from the top edge, the serial and digest beside it
        qx, qy = w - right - QR_SIZE, h - QR_EDGE - QR_SIZE
        c.saveState()
        c.translate(qx, qy)
        c.doForm(qr)
        c.restoreState()
        sm = measurer(song, STAMP_PT)
        halves = (group_digest(stamp.digest[:32]), group_digest(stamp.digest[32:]))
        lines = [f"编号：{stamp.serial}", "打印校验（SM3）：", *halves]
        for i, t in enumerate(lines):
            draw_text(c, fs, qx - 2 * mm - sm(t), h - QR_EDGE - 3 * mm - i * STAMP_PT * 1.35, t, song, STAMP_PT)
    else:
        sm = measurer(song, NOTE_PT)
        serial = f"编号：{stamp.serial}"
        draw_text(c, fs, w - right - sm(serial), h - top + 3 * mm, serial, song, NOTE_PT)
        pn = f"第 {page} 页 共 {pages} 页"
        draw_text(c, fs, (w - sm(pn)) / 2, bottom - 8 * mm, pn, song, NOTE_PT)
        c.saveState()
        c.translate(w - right - QR_SIZE, QR_EDGE)
        c.doForm(qr)
        c.restoreState()
        line1 = f"{stamp.title}　编号 {stamp.serial}　打印校验（SM3）："
        draw_text(c, fs, left, QR_EDGE + 6 * mm, line1, song, STAMP_PT)
        draw_text(c, fs, left, QR_EDGE + 2 * mm, grouped, song, STAMP_PT)
    c.restoreState()


def _numbered_canvas(stamp: Stamp, fs: FontSet, missing: str = "") -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps each page until the end so every page can say how many pages there are."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            state = dict(self.__dict__)
            # the page's drawing kept compressed until the end (a ledger of 100,000 rows has 5,000 pages)
            state["_code"] = zlib.compress("\n".join(self._code).encode("utf-8"), 1)
            self._pages.append(state)
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for n, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._code = [zlib.decompress(state["_code"]).decode("utf-8")]
                _decorate(self, stamp, fs, n, total, missing)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


# ---------------------------------------------------------------- the story


def _title_flow(text: str, ctx: Ctx, width: float) -> TextFlow:
    return TextFlow(text, ctx.face("hei"), TITLE_PT, TITLE_PT * 1.4, ctx.fs, "c", balanced=True,
                    space_after=3 * mm)


def _note_flow(text: str, ctx: Ctx) -> TextFlow:
    return TextFlow(text, ctx.face("song"), NOTE_PT, NOTE_PT * 1.5, ctx.fs, "j")


def _caption_flow(text: str, ctx: Ctx) -> TextFlow:
    return TextFlow(text, ctx.face("song"), CELL_PT, CELL_PT * 1.6, ctx.fs, "l")


def _notice_para(b: d.Para, ctx: Ctx) -> TextFlow:
    return TextFlow(b.text, ctx.face("fang"), NOTICE_BODY_PT, NOTICE_LEADING, ctx.fs, "j",
                    indent=2 * NOTICE_PITCH if b.indent else 0.0, tracking=NOTICE_TRACK, number=b.number,
                    number_face=ctx.face("hei"))


class Gap(Spacer):
    """Vertical space between blocks that gives way at the foot of a page (never a page of its own)."""

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return aw, max(0.0, min(self.height, ah - 0.01))


class Stack(Flowable):
    """Flowables one under another, as one (a table's note and its 编制单位 line)."""

    def __init__(self, parts: Sequence[Flowable]) -> None:
        super().__init__()
        self.parts = list(parts)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self._hs = [p.wrap(aw, ah)[1] for p in self.parts]
        self.height = sum(self._hs)
        return aw, self.height

    def draw(self) -> None:
        y = self.height
        for p, h in zip(self.parts, self._hs, strict=True):
            y -= h
            p.drawOn(self.canv, 0, y)


class FooterFlow(Flowable):
    """编制单位（盖章） left and 制表日期 right, with room above for the seal."""

    ROOM = 12 * mm

    def __init__(self, b: d.Footer, ctx: Ctx) -> None:
        super().__init__()
        self.meta = MetaFlow([d.meta_text(k, v) for k, v in b.items], ctx)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self.ROOM + self.meta.wrap(aw, ah)[1]
        return aw, self.height

    def draw(self) -> None:
        self.meta.drawOn(self.canv, 0, 0)


def story(doc: d.Doc, ctx: Ctx) -> list[Flowable]:
    layout = Layout(doc.layout)
    width = layout.width
    out: list[Flowable] = []
    blocks = list(doc.blocks)
    labels = label_widths([g for g in blocks if isinstance(g, d.Grid)], ctx)
    i = 0
    while i < len(blocks):
        b = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(b, d.Title):
            out.append(_title_flow(b.text, ctx, width))
        elif isinstance(b, d.Meta):
            out.append(MetaFlow([d.meta_text(k, v) for k, v in b.items], ctx))
        elif isinstance(b, d.Caption | d.Grid | d.ListTable):
            lead = None
            if isinstance(b, d.Caption):
                lead = _caption_flow(b.text, ctx)
                i += 1
                b = blocks[i]
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            tails: list[Flowable] = []
            # what closes a table goes with its last row: a grid of signatures only, the note, the 编制单位 line
            while isinstance(nxt, d.Note | d.Footer) or (isinstance(nxt, d.Grid) and all(r.sign for r in nxt.rows)):
                if isinstance(nxt, d.Note):
                    tails.append(TextFlow(nxt.text, ctx.face("song"), NOTE_PT, NOTE_PT * 1.5, ctx.fs, "j"))
                elif isinstance(nxt, d.Footer):
                    tails.append(FooterFlow(nxt, ctx))
                else:
                    tails += [Spacer(1, 3 * mm), grid_flow(nxt, ctx, width, labels)]
                i += 1
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            tail = Stack([Spacer(1, 1.5 * mm), *tails]) if tails else None
            if isinstance(b, d.Grid):
                out.append(grid_flow(b, ctx, width, labels, lead, tail))
            elif isinstance(b, d.ListTable):
                out.append(list_flow(b, ctx, width, lead, tail))
            else:  # pragma: no cover - a caption with nothing under it
                raise TypeError(type(b).__name__)
            if i + 1 < len(blocks):
                out.append(Gap(1, 3 * mm))
        elif isinstance(b, d.Note):
            out.append(_note_flow(b.text, ctx))
        elif isinstance(b, d.Footer):
            out.append(FooterFlow(b, ctx))
        elif isinstance(b, d.NoticeHead):
            out.append(NoticeHeadFlow(b, ctx))
        elif isinstance(b, d.NoticeTitle):
            out.append(TextFlow(b.text, ctx.face("title"), NOTICE_TITLE_PT, NOTICE_LEADING * 1.2, ctx.fs, "c",
                                balanced=True, space_after=NOTICE_LEADING))
        elif isinstance(b, d.Para):
            para = _notice_para(b, ctx)
            after = blocks[i + 2] if i + 2 < len(blocks) else None
            # the paragraph before the last, when the last is a single line, gives the signature its second line
            before = out.pop() if isinstance(nxt, d.Closing) and i > 0 and isinstance(blocks[i - 1], d.Para) \
                and out and isinstance(out[-1], TextFlow) else None
            if isinstance(nxt, d.Closing) and isinstance(after, d.Colophon):
                out.append(KeepTail(para, EndFlow(ClosingFlow(nxt, ctx), ColophonFlow(after, ctx)), before))
                i += 2
            elif isinstance(nxt, d.Closing):
                out.append(KeepTail(para, ClosingFlow(nxt, ctx), before))
                i += 1
            else:
                out.append(para)
        elif isinstance(b, d.Closing):
            out.append(ClosingFlow(b, ctx))
        elif isinstance(b, d.Colophon):
            out.append(ColophonFlow(b, ctx))
        else:  # pragma: no cover
            raise TypeError(type(b).__name__)
        i += 1
    return out


def count_rows(doc: d.Doc) -> int:
    n = 0
    for b in doc.blocks:
        if isinstance(b, d.ListTable):
            n += len(b.rows)
        elif isinstance(b, d.Grid):
            n += len(b.rows)
    return max(n, 1)


def build_pdf(doc: d.Doc, stamp: Stamp, subject: str = "", progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> bytes:
    """Lay out the document on A4 with the page decoration; returns the PDF bytes.

    progress(done, total) is called as rows are laid out; cancelled() is asked as often, and PrintCancelled is
    raised when it says yes.
    """
    fs = fonts()
    ctx = Ctx(fs, progress, cancelled, count_rows(doc))
    if cancelled is not None and cancelled():
        raise PrintCancelled()
    buf = io.BytesIO()
    layout = stamp.layout
    left, right, top, bottom = layout.margins
    w, h = layout.pagesize
    tpl = BaseDocTemplate(buf, pagesize=layout.pagesize, leftMargin=left, rightMargin=right, topMargin=top,
                          bottomMargin=bottom, title=stamp.title, author="政务大数据项目管理",
                          subject=subject or stamp.serial, creator="govdata", invariant=1,
                          initialFontName=fs.song.name)  # no unembedded Helvetica in the file
    # the frame is a hair taller than the text area so that 22 lines of exactly 225/22 mm fit
    frame = Frame(left, bottom - 0.01, w - left - right, h - top - bottom + 0.02, id="body", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    ctx.frame_h = frame._aH
    tpl.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    missing = missing_note(fs.missing_chars(d.printed_text(doc)))
    tpl.build(story(doc, ctx), canvasmaker=_numbered_canvas(stamp, fs, missing))
    if progress is not None:
        progress(ctx.total, ctx.total)
    return buf.getvalue()

"""Building blocks shared by every form: page template, styles, ruled tables, amounts, dates, QR code."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.money import format_yuan, to_capital
from app.reports.fonts import FontSet, fonts

# Chinese line-breaking (避头): ReportLab's list of characters that cannot start a line is Japanese-minded and
# lacks the full-width comma, semicolon, colon, question and exclamation marks, closing quotes and 》.
_NO_LINE_START = "，；：？！）》〉」』”’、。"
for _module in ("reportlab.lib.textsplit", "reportlab.platypus.paragraph"):  # both keep their own copy
    _m: Any = importlib.import_module(_module)
    _m.ALL_CANNOT_START += "".join(c for c in _NO_LINE_START if c not in _m.ALL_CANNOT_START)

# Type sizes (points), the same on every form: 小二 title, 四号 subtitle, 五号 cells, 小五 notes.
TITLE_PT = 18
SUB_PT = 12
CELL_PT = 10.5
NOTE_PT = 9
# Notices (GB/T 9704-2012): 二号 title, 三号 body, 四号 page numbers.
NOTICE_TITLE_PT = 22
NOTICE_BODY_PT = 16
NOTICE_PAGE_PT = 14

QR_SIZE = 20 * mm
QR_PREFIX = "GOVDATA-FORM"
RED = colors.HexColor("#E60012")


@dataclass(frozen=True)
class Layout:
    landscape: bool = False
    notice: bool = False

    @property
    def pagesize(self) -> tuple[float, float]:
        return landscape(A4) if self.landscape else A4

    @property
    def margins(self) -> tuple[float, float, float, float]:
        """left, right, top, bottom."""
        if self.notice:  # GB/T 9704: 天头 37 mm, 订口 28 mm, text area 156 × 225 mm
            return 28 * mm, 26 * mm, 37 * mm, 35 * mm
        return 25 * mm, 20 * mm, 22 * mm, 28 * mm


# ---------------------------------------------------------------- text

def cn_date(day: dt.date | None) -> str:
    """2027年3月5日; a blank to fill in by hand when unknown."""
    if day is None:
        return "　　年　　月　　日"
    return f"{day.year}年{day.month}月{day.day}日"


def amount_line(fen: int | None) -> str:
    """Figures and capitals: '5,674,300.00 元（大写：人民币伍佰陆拾柒万肆仟叁佰元整）'."""
    if fen is None:
        return "—"
    return f"{format_yuan(fen)} 元（大写：{to_capital(fen)}）"


def yes_no(value: bool | None, yes: str = "是", no: str = "否", unknown: str = "未填写") -> str:
    return unknown if value is None else (yes if value else no)


def percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    tenths = (part * 1000 * 2 + whole) // (whole * 2)  # half up, integer arithmetic
    return f"{tenths // 10}.{tenths % 10}%"


class Styles:
    """Paragraph styles built on the discovered faces."""

    def __init__(self, fs: FontSet) -> None:
        self.fs = fs
        song, hei, fang = fs.song.name, fs.hei.name, fs.fang.name
        self.title = ParagraphStyle("title", fontName=hei, fontSize=TITLE_PT, leading=TITLE_PT * 1.4,
                                    alignment=TA_CENTER, spaceAfter=4 * mm)
        self.subtitle = ParagraphStyle("sub", fontName=song, fontSize=SUB_PT, leading=SUB_PT * 1.5,
                                       alignment=TA_CENTER, spaceAfter=2 * mm)
        self.meta = ParagraphStyle("meta", fontName=song, fontSize=CELL_PT, leading=CELL_PT * 1.5)
        self.meta_right = ParagraphStyle("meta_r", parent=self.meta, alignment=TA_RIGHT)
        self.cell = ParagraphStyle("cell", fontName=song, fontSize=CELL_PT, leading=CELL_PT * 1.45,
                                   alignment=TA_JUSTIFY, wordWrap="CJK")
        self.cell_center = ParagraphStyle("cell_c", parent=self.cell, alignment=TA_CENTER)
        self.cell_right = ParagraphStyle("cell_r", parent=self.cell, alignment=TA_RIGHT)
        self.cell_left = ParagraphStyle("cell_l", parent=self.cell, alignment=TA_LEFT)
        self.head = ParagraphStyle("head", parent=self.cell_center, fontName=hei)
        self.note = ParagraphStyle("note", fontName=song, fontSize=NOTE_PT, leading=NOTE_PT * 1.5,
                                   wordWrap="CJK")
        self.n_title = ParagraphStyle("n_title", fontName=hei, fontSize=NOTICE_TITLE_PT,
                                      leading=NOTICE_TITLE_PT * 1.5, alignment=TA_CENTER, spaceAfter=7 * mm)
        self.n_body = ParagraphStyle("n_body", fontName=fang, fontSize=NOTICE_BODY_PT, leading=28.5,
                                     alignment=TA_JUSTIFY, firstLineIndent=2 * NOTICE_BODY_PT, wordWrap="CJK")
        self.n_plain = ParagraphStyle("n_plain", parent=self.n_body, firstLineIndent=0)
        self.n_right = ParagraphStyle("n_right", parent=self.n_plain, alignment=TA_RIGHT)
        self.n_head1 = ParagraphStyle("n_head1", parent=self.n_body, fontName=hei)


_styles: Styles | None = None


def styles() -> Styles:
    global _styles
    if _styles is None or _styles.fs is not fonts():
        _styles = Styles(fonts())
    return _styles


def P(text: str | None, style: ParagraphStyle | None = None, role: str | None = None) -> Paragraph:
    """A paragraph from plain text (escaped; rare characters in a fallback face)."""
    st = style or styles().cell
    fs = fonts()
    if role is None:
        role = {fs.hei.name: "hei", fs.fang.name: "fang", fs.kai.name: "kai"}.get(st.fontName, "song")
    return Paragraph(fs.markup(text or "", role), st)


# ---------------------------------------------------------------- tables

GRID = [
    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
    ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


def table_style(cmds: Sequence[tuple]) -> TableStyle:
    """A TableStyle whose plain-string cells (empty spans) use the embedded face, not Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts().song.name), *cmds])


def _cell(value: object, style: ParagraphStyle) -> object:
    if isinstance(value, Flowable | list):
        return value
    return P("" if value is None else str(value), style)


def form_table(rows: Sequence[Sequence[object]], widths: Sequence[float], spans: Sequence[tuple] = (),
               label_cells: Sequence[tuple[int, int]] = (), extra: Sequence[tuple] = (),
               min_heights: dict[int, float] | None = None) -> Table:
    """A ruled key/value grid: strings become wrapping paragraphs; label cells are centred.

    spans: (col0, row0, col1, row1) merged cells. min_heights: row → minimum height (space for seals).
    """
    st = styles()
    labels = set(label_cells)
    data = [[_cell(v, st.cell_center if (c, r) in labels else st.cell) for c, v in enumerate(row)]
            for r, row in enumerate(rows)]
    heights = None
    if min_heights:
        heights = [min_heights.get(r, 0) for r in range(len(rows))]
    t = Table(data, colWidths=list(widths), minRowHeights=heights, splitInRow=1, hAlign="CENTER")
    cmds = list(GRID) + [("SPAN", (a, b), (c, d)) for a, b, c, d in spans] + list(extra)
    t.setStyle(table_style(cmds))
    return t


def list_table(header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
               aligns: str, bold_rows: Sequence[int] = (), size: float = CELL_PT) -> Table:
    """A ruled list that splits across pages with its header repeated. aligns: one of 'lcr' per column."""
    st = styles()
    by = {"l": st.cell_left, "c": st.cell_center, "r": st.cell_right}
    if size != CELL_PT:
        by = {k: ParagraphStyle(f"{k}{size}", parent=v, fontSize=size, leading=size * 1.4) for k, v in by.items()}
    bold = set(bold_rows)
    head = ParagraphStyle(f"head{size}", parent=st.head, fontSize=size, leading=size * 1.4)
    data: list[list[object]] = [[P(h, head) for h in header]]
    for r, row in enumerate(rows):
        data.append([
            _cell(v, ParagraphStyle(f"b{a}", parent=by[a], fontName=st.fs.hei.name) if r in bold else by[a])
            for v, a in zip(row, aligns, strict=True)
        ])
    t = Table(data, colWidths=list(widths), repeatRows=1, splitInRow=1, hAlign="CENTER")
    cmds = list(GRID) + [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE"))]
    cmds += [("BACKGROUND", (0, r + 1), (-1, r + 1), colors.HexColor("#F6F6F6")) for r in bold]
    t.setStyle(table_style(cmds))
    return t


def opinion_cell(text: str | None, signer: str = "负责人（签字）：", day: dt.date | None = None,
                 seal: str | None = "（盖章）", space: float = 14 * mm) -> list[Flowable]:
    """An opinion with room to sign and seal, then the date, right-aligned."""
    st = styles()
    out: list[Flowable] = [P(text or "", st.cell_left), Spacer(1, space)]
    tail = f"{signer}　　　　　　　　" + (f"　{seal}" if seal else "")
    out.append(P(tail, st.cell_right))
    out.append(P(cn_date(day), st.cell_right))
    return out


# ---------------------------------------------------------------- QR and page decoration

def qr_payload(serial: str, digest: str) -> str:
    """What the QR code holds: 'GOVDATA-FORM|<serial>|<SM3 hex>'."""
    return f"{QR_PREFIX}|{serial}|{digest}"


def parse_qr_payload(text: str) -> tuple[str, str]:
    prefix, serial, digest = text.split("|")
    if prefix != QR_PREFIX:
        raise ValueError(text)
    return serial, digest


def qr_widget(serial: str, digest: str) -> QrCodeWidget:
    return QrCodeWidget(qr_payload(serial, digest), barLevel="M", barBorder=2)


def draw_qr(c: Canvas, x: float, y: float, serial: str, digest: str, size: float = QR_SIZE) -> None:
    """Draw the QR modules straight on the canvas (ReportLab's encoder; no font resource, no Drawing)."""
    qr = qr_widget(serial, digest).qr
    qr.make()
    border = 2
    box = size / (qr.getModuleCount() + 2 * border)
    c.setFillColor(colors.white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(colors.black)
    for r, row in enumerate(qr.modules):
        col = 0
        for dark, run in itertools.groupby(bool(v) for v in row):
            n = len(list(run))
            if dark:
                c.rect(x + (col + border) * box, y + size - (r + border + 1) * box, n * box, box, stroke=0, fill=1)
            col += n


@dataclass(frozen=True)
class Stamp:
    """What every page carries."""

    title: str
    serial: str
    digest: str
    layout: Layout


def _decorate(c: Canvas, stamp: Stamp, page: int, pages: int) -> None:
    fs = fonts()
    w, h = stamp.layout.pagesize
    left, right, top, bottom = stamp.layout.margins
    c.saveState()
    c.setFillColor(colors.black)
    if stamp.layout.notice:
        # GB/T 9704: 4号 half-width numbers with dashes, 7 mm under the text area; odd right, even left
        text = f"— {page} —"
        y = bottom - 7 * mm - NOTICE_PAGE_PT
        if page % 2:
            fs.draw(c, w - right - NOTICE_PAGE_PT, y, text, NOTICE_PAGE_PT, anchor="right")
        else:
            fs.draw(c, left + NOTICE_PAGE_PT, y, text, NOTICE_PAGE_PT)
        draw_qr(c, w - right - QR_SIZE, h - 4 * mm - QR_SIZE, stamp.serial, stamp.digest)
        fs.draw(c, w - right - QR_SIZE - 2 * mm, h - 8 * mm, f"编号：{stamp.serial}", 7, anchor="right")
        fs.draw(c, w - right - QR_SIZE - 2 * mm, h - 11 * mm, f"SM3 {stamp.digest}", 5, anchor="right")
    else:
        fs.draw(c, w - right, h - top + 4 * mm, f"编号：{stamp.serial}", NOTE_PT, anchor="right")
        fs.draw(c, w / 2, bottom - 10 * mm, f"第 {page} 页 共 {pages} 页", NOTE_PT, anchor="center")
        draw_qr(c, w - right - QR_SIZE, 4 * mm, stamp.serial, stamp.digest)
        fs.draw(c, left, 9 * mm, f"{stamp.title}　编号 {stamp.serial}　打印校验（SM3）：", 6.5)
        fs.draw(c, left, 5 * mm, stamp.digest, 6)
    c.restoreState()


def _numbered_canvas(stamp: Stamp) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps each page until the end so every page can say how many pages there are."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for n, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _decorate(self, stamp, n, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def build_pdf(story: list[Flowable], stamp: Stamp, subject: str = "") -> bytes:
    """Lay out the story on A4 (portrait or landscape) with the page decoration; returns the PDF bytes."""
    buf = io.BytesIO()
    layout = stamp.layout
    left, right, top, bottom = layout.margins
    w, h = layout.pagesize
    doc = BaseDocTemplate(buf, pagesize=layout.pagesize, leftMargin=left, rightMargin=right, topMargin=top,
                          bottomMargin=bottom, title=stamp.title, author="政务大数据项目管理",
                          subject=subject or stamp.serial, creator="govdata", invariant=1,
                          initialFontName=fonts().song.name)  # no unembedded Helvetica in the file
    frame = Frame(left, bottom, w - left - right, h - top - bottom, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_numbered_canvas(stamp))
    return buf.getvalue()


def text_width(layout: Layout) -> float:
    left, right, _top, _bottom = layout.margins
    return layout.pagesize[0] - left - right

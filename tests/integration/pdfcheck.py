"""Reading a printed PDF back the way a clerk reads it: words where they stand (poppler's pdftotext -bbox), the
ruled lines (pypdf, with the current transformation), each table cell's lines of text, fonts, red ink.

Coordinates are points from the page's top-left corner (as poppler gives them); 1 mm = 72 / 25.4 points.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader

MM = 72 / 25.4
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdftoppm"),
                                   reason="poppler-utils not installed")

# what never breaks: amounts (3,184,040.00 / 318.4040), codes and numbers (QS-2027-0001, 0356-7022345,
# 91140521MA0K12345X, BD2027000012), percentages, the number part of a 文号
UNBREAKABLE = re.compile(r"\d[\d,]*\.\d+%?|[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+|[A-Z0-9]{6,}|\d{3,}|〔\d{4}〕\d+号")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Page:
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    hlines: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, x1, y, width
    vlines: list[tuple[float, float, float]] = field(default_factory=list)  # x, y0, y1

    def text(self) -> str:
        return "".join(w.text for w in self.words)

    def lines(self, tol: float = 2.0) -> list[list[Word]]:
        """Words on the same baseline, top to bottom, left to right."""
        rows: list[list[Word]] = []
        for w in sorted(self.words, key=lambda w: (w.y1, w.x0)):
            if rows and abs(rows[-1][0].y1 - w.y1) <= tol:
                rows[-1].append(w)
            else:
                rows.append([w])
        return [sorted(r, key=lambda w: w.x0) for r in rows]


def words(pdf: bytes) -> list[Page]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", str(path), "-"], check=True,
                             capture_output=True).stdout.decode("utf-8")
    pages: list[Page] = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        page = Page(float(m.group(1)), float(m.group(2)))
        for w in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             m.group(3)):
            page.words.append(Word(html.unescape(w.group(5)), *(float(w.group(i)) for i in range(1, 5))))
        pages.append(page)
    _add_rules(pdf, pages)
    return pages


def _add_rules(pdf: bytes, pages: list[Page]) -> None:
    """The ruled lines of each page (m … l segments), in page coordinates from the top."""
    reader = PdfReader(io.BytesIO(pdf))
    for page, p in zip(reader.pages, pages, strict=True):
        start: list[tuple[float, float] | None] = [None]
        width = [1.0]
        pending: list[list[tuple[float, float]]] = []

        def add(ax: float, ay: float, bx: float, by: float) -> None:
            if abs(ay - by) < 0.01:
                p.hlines.append((min(ax, bx), max(ax, bx), p.height - ay, width[0]))
            elif abs(ax - bx) < 0.01:
                p.vlines.append((ax, p.height - max(ay, by), p.height - min(ay, by)))

        def before(op: bytes, args: list, cm: list, tm: list) -> None:
            if op == b"w":
                width[0] = float(args[0])
            if op == b"re":  # a ruled box (stroked rectangles only matter; filled ones are backgrounds)
                x, y, w, h = (float(a) for a in args)
                pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
                tr = [(cm[0] * a + cm[2] * b + cm[4], cm[1] * a + cm[3] * b + cm[5]) for a, b in pts]
                pending.append(tr)
                return
            if op == b"S":
                for tr in pending:
                    for (ax, ay), (bx, by) in zip(tr, tr[1:], strict=False):
                        add(ax, ay, bx, by)
                pending.clear()
                return
            if op in (b"f", b"n", b"f*", b"B"):
                pending.clear()
            if op not in (b"m", b"l"):
                return
            x, y = float(args[0]), float(args[1])
            px, py = cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]
            if op == b"m":
                start[0] = (px, py)
                return
            if start[0] is None:
                return
            (ax, ay), (bx, by) = start[0], (px, py)
            add(ax, ay, bx, by)
            start[0] = (px, py)

        page.extract_text(visitor_operand_before=before)


def cells(page: Page) -> dict[tuple[float, float, float, float], list[str]]:
    """Each table cell's lines of text: words placed by their centre between the rules around them."""
    out: dict[tuple[float, float, float, float], list[list[Word]]] = defaultdict(list)
    for w in page.words:
        lefts = [x for x, y0, y1 in page.vlines if x <= w.x0 + 0.5 and y0 - 0.5 <= w.cy <= y1 + 0.5]
        rights = [x for x, y0, y1 in page.vlines if x >= w.x1 - 0.5 and y0 - 0.5 <= w.cy <= y1 + 0.5]
        tops = [y for x0, x1, y, _w in page.hlines if y <= w.y0 + 0.5 and x0 - 0.5 <= w.cx <= x1 + 0.5]
        bottoms = [y for x0, x1, y, _w in page.hlines if y >= w.y1 - 0.5 and x0 - 0.5 <= w.cx <= x1 + 0.5]
        if not (lefts and rights and tops and bottoms):
            continue  # not in a table
        key = (max(lefts), min(rights), max(tops), min(bottoms))
        out[key].append([w])
    result = {}
    for key, ws in out.items():
        cell = Page(0, 0, [w[0] for w in ws])
        result[key] = ["".join(x.text for x in line) for line in cell.lines()]
    return result


def split_across(lines: list[str]) -> list[str]:
    """Numbers and codes cut between two consecutive lines (the join makes a longer match than either line has)."""
    bad = []
    for a, b in zip(lines, lines[1:], strict=False):
        joined = a + b
        for m in UNBREAKABLE.finditer(joined):
            if m.start() < len(a) < m.end():
                head, tail = a[m.start():], b[: m.end() - len(a)]
                if head and tail and not head.endswith(("；", "，", "。", "：")):
                    bad.append(f"{head}|{tail}")
    return bad


def fonts_of(pdf: bytes) -> list[set[str]]:
    """The BaseFont names used on each page (subset tag removed)."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for page in reader.pages:
        names = set()
        for ref in page["/Resources"]["/Font"].values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
        out.append(names)
    return out


def text_fonts(pdf: bytes, page_no: int = 0) -> list[tuple[str, str, float, float]]:
    """(text, font, size, y from the top) of each text run on a page (pypdf)."""
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[page_no]
    height = float(page.mediabox.height)
    out: list[tuple[str, str, float, float]] = []

    def visit(text: str, cm: list, tm: list, font: dict | None, size: float) -> None:
        if text.strip() and font is not None:
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            out.append((text.strip(), str(font["/BaseFont"]).split("+", 1)[-1], size * scale, height - y))

    page.extract_text(visitor_text=visit)
    return out


def red_top(pdf: bytes, page: int = 1, dpi: int = 300) -> float | None:
    """The top edge of the red ink on a page, in mm from the paper's top (the 发文机关标志)."""
    from PIL import Image  # Pillow comes with ReportLab

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), str(path),
                        str(Path(tmp) / "p")], check=True, capture_output=True)
        img = Image.open(next(Path(tmp).glob("p*.png"))).convert("RGB")
        w, h = img.size
        px = img.load()
        for y in range(h):
            for x in range(0, w, 2):
                r, g, b = px[x, y]
                if r > 180 and g < 90 and b < 90:
                    return y / dpi * 25.4
    return None


def forms_placed(pdf: bytes) -> list[list[tuple[float, float]]]:
    """Where each page draws a form XObject (the QR code): its lower-left corner, points from the bottom-left."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for page in reader.pages:
        spots: list[tuple[float, float]] = []

        def before(op: bytes, args: list, cm: list, tm: list, spots: list = spots) -> None:
            if op == b"Do":
                spots.append((cm[4], cm[5]))

        page.extract_text(visitor_operand_before=before)
        out.append(spots)
    return out

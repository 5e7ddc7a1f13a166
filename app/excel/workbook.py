"""Read a sniffed workbook once: every sheet's rows (python-calamine), its merged ranges and its hidden rows.

python-calamine gives the values of .xlsx, .xls and .ods alike and the merges of .xlsx and .xls, but neither hidden
rows nor the merges of .ods. Those come from the file itself: the worksheet XML of an .xlsx (`<row hidden="1">`),
the ROW records of an .xls (read with xlrd, the well-kept reader of the legacy format, for the row flags only) and
the content.xml of an .ods (`table:visibility="collapse"`, `table:number-rows-spanned`).

A sheet of the summary reader is streamed: its first HEAD_ROWS rows are kept as lists (the header, the preview),
the rest is read again from calamine's own compact copy of the sheet each time it is walked (`Sheet.iter_rows`), so
a 100,000-row sheet is never held as Python lists.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from defusedxml import ElementTree as SafeET
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from app.errors import UnreadableError
from app.excel.sniff import SniffedFile, sheet_part

Merge = tuple[tuple[int, int], tuple[int, int]]  # ((row, col), (row, col)), 0-based, inclusive


HEAD_ROWS = 500  # rows kept as lists: the header is looked for in the first 30, the wizard previews 500


@dataclass
class Sheet:
    """A sheet's rows from A1 (row i is Excel row i+1): `head` holds the first HEAD_ROWS (all of them when `source`
    is None), `iter_rows(start)` walks them all from `start`, each walk a fresh list per row."""

    name: str
    head: list[list]
    merged: list[Merge]
    hidden: bool = False
    hidden_rows: frozenset[int] = field(default_factory=frozenset)  # 0-based
    n_rows: int = -1  # -1: len(head)
    source: Any = None  # the calamine sheet the rows after the head are read from again

    def __post_init__(self) -> None:
        if self.n_rows < 0:
            self.n_rows = len(self.head)

    @property
    def rows(self) -> list[list]:
        """Every row as a list (the readers of small sheets: estimates, calendars)."""
        return self.head if self.source is None else list(self.iter_rows())

    def top(self, n: int) -> list[list]:
        """The first n rows (fewer when the sheet is shorter)."""
        if n <= len(self.head) or self.source is None:
            return self.head[:n]
        return list(islice(self.iter_rows(), n))

    def iter_rows(self, start: int = 0) -> Iterator[list]:
        """The rows from 0-based row `start` to the end, as lists padded from column A (shorter rows stay short).
        Chained iterators, no generator of ours: a 100,000-row walk goes at the readers' own speed."""
        head = islice(self.head, start, None)
        if self.source is None:
            return head
        # calamine's iter_rows gives every row from the first, but its cells from the first used column only
        pad = [""] * (self.source.start[1] if self.source.start else 0)
        rest = islice(self.source.iter_rows(), max(start, len(self.head)), None)
        return chain(head, map(pad.__add__, rest) if pad else rest)


@dataclass
class Book:
    """A workbook read once: the wizard re-interprets it (another sheet, another mapping) without reading again."""

    sniffed: SniffedFile
    names: list[tuple[str, bool]]  # (name, hidden) in workbook order
    _book: CalamineWorkbook
    _sheets: dict[str, Sheet] = field(default_factory=dict)
    _layout: dict[str, tuple[set[int], list[Merge]]] | None = None

    @property
    def path(self) -> str:
        return str(self.sniffed.path)

    @property
    def fmt(self) -> str:
        return self.sniffed.fmt

    def sheet(self, name: str) -> Sheet:
        if name not in self._sheets:
            self._sheets[name] = self._load(name)
        return self._sheets[name]

    def _load(self, name: str) -> Sheet:
        try:
            sh = self._book.get_sheet_by_name(name)
            head = sh.to_python(skip_empty_area=False, nrows=HEAD_ROWS)
            n_rows = max(sh.end[0] + 1 if sh.end else 0, len(head))
            merged = list(sh.merged_cell_ranges or [])
        except CalamineError as exc:
            raise UnreadableError(f"文件“{self.sniffed.path.name}”的工作表“{name}”无法读取（{type(exc).__name__}）") from None
        hidden_rows: set[int] = set()
        if self.fmt == "xlsx":
            hidden_rows = _xlsx_hidden_rows(self.sniffed, name)
        elif self.fmt in ("xls", "ods"):
            if self._layout is None:
                self._layout = (_xls_layout if self.fmt == "xls" else _ods_layout)(self.sniffed.data)
            hidden_rows, extra = self._layout.get(name, (set(), []))
            if self.fmt == "ods":
                merged = extra
        hidden = dict(self.names).get(name, False)
        return Sheet(name, head, merged, hidden, frozenset(r for r in hidden_rows if r < n_rows), n_rows,
                     sh if n_rows > len(head) else None)


def open_book(sniffed: SniffedFile) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(sniffed.data))
    except PasswordError:
        raise UnreadableError(f"文件“{sniffed.path.name}”设有打开密码，请取消密码后再导入") from None
    except (CalamineError, ValueError, OSError) as exc:
        raise UnreadableError(f"文件“{sniffed.path.name}”已损坏，无法读取（{type(exc).__name__}）") from None


def read_book(sniffed: SniffedFile) -> Book:
    book = open_book(sniffed)
    return Book(sniffed, sheet_names(book), book)


def sheet_names(book: CalamineWorkbook) -> list[tuple[str, bool]]:
    """(name, hidden) of every worksheet, in workbook order."""
    return [(m.name, m.visible != SheetVisibleEnum.Visible) for m in book.sheets_metadata]


def load_sheet(book: CalamineWorkbook, sniffed: SniffedFile, name: str) -> Sheet:
    """One sheet's values and merges (no hidden rows): for callers that read one sheet (estimates)."""
    try:
        sh = book.get_sheet_by_name(name)
        rows = sh.to_python(skip_empty_area=False)
        merged = sh.merged_cell_ranges or []
    except CalamineError as exc:
        raise UnreadableError(f"文件“{sniffed.path.name}”的工作表“{name}”无法读取（{type(exc).__name__}）") from None
    return Sheet(name, rows, list(merged))


# ---------------------------------------------------------------- hidden rows and .ods merges

_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


def _xlsx_hidden_rows(sniffed: SniffedFile, name: str) -> set[int]:
    part = sheet_part(sniffed.data, name)
    if part is None or (sniffed.hidden_parts is not None and part not in sniffed.hidden_parts):
        return set()  # the guard inflated every part: this one has no hidden="…" (nor would zf.read find it)
    with zipfile.ZipFile(io.BytesIO(sniffed.data)) as zf:
        try:
            xml = zf.read(part)
        except KeyError:
            return set()
    if b'hidden="' not in xml:
        return set()
    out: set[int] = set()
    for m in _ROW_TAG.finditer(xml):
        tag = m.group()
        if _HIDDEN.search(tag):
            n = _ROW_NUMBER.search(tag)
            if n:
                out.add(int(n.group(1)) - 1)
    return out


def _xls_layout(data: bytes) -> dict[str, tuple[set[int], list[Merge]]]:
    import xlrd  # only for a legacy .xls: its row flags

    try:
        wb = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception:  # noqa: BLE001 - calamine read the values; without the flags no row is taken as hidden
        return {}
    out: dict[str, tuple[set[int], list[Merge]]] = {}
    try:
        for i, name in enumerate(wb.sheet_names()):
            sh = wb.sheet_by_index(i)
            out[name] = ({r for r, info in sh.rowinfo_map.items() if info.hidden}, [])
            wb.unload_sheet(i)
    except Exception:  # noqa: BLE001 - as above
        return out
    finally:
        wb.release_resources()
    return out


_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_REPEAT_CAP = 1 << 20  # LibreOffice repeats an empty row to the sheet's end (1,048,576 rows)


def _ods_layout(data: bytes) -> dict[str, tuple[set[int], list[Merge]]]:
    """Hidden rows and merged ranges per table of an .ods, from content.xml (streamed; repeated rows counted)."""
    out: dict[str, tuple[set[int], list[Merge]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            fh = zf.open("content.xml")
        except KeyError:
            return out
        with fh:
            hidden: set[int] = set()
            merges: list[Merge] = []
            row = 0
            in_row = False
            col = 0
            get: Callable[[str, str], str]
            for event, el in SafeET.iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == _T + "table":
                        hidden, merges, row = set(), [], 0
                    elif tag == _T + "table-row":
                        in_row, col = True, 0
                    elif in_row and tag in (_T + "table-cell", _T + "covered-table-cell"):
                        get = el.get
                        rs = int(get(_T + "number-rows-spanned", "1") or 1)
                        cs = int(get(_T + "number-columns-spanned", "1") or 1)
                        if (rs > 1 or cs > 1) and tag == _T + "table-cell":
                            merges.append(((row, col), (row + rs - 1, col + cs - 1)))
                        col += min(int(get(_T + "number-columns-repeated", "1") or 1), _REPEAT_CAP)
                    continue
                if tag == _T + "table-row":
                    n = min(int(el.get(_T + "number-rows-repeated", "1") or 1), _REPEAT_CAP)
                    if el.get(_T + "visibility") in ("collapse", "filter"):
                        hidden.update(range(row, row + min(n, 10_000)))
                    row += n
                    in_row = False
                    el.clear()
                elif tag == _T + "table":
                    out[el.get(_T + "name") or ""] = (hidden, merges)
                    el.clear()
    return out

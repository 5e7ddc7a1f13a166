"""Read a sniffed workbook once: every sheet's rows (python-calamine), its merged ranges and its hidden rows.

python-calamine gives the values of .xlsx, .xls and .ods alike and the merges of .xlsx and .xls, but neither hidden
rows nor the merges of .ods. Those come from the file itself: the worksheet XML of an .xlsx (`<row hidden="1">`),
the ROW records of an .xls (read with xlrd, the well-kept reader of the legacy format, for the row flags only) and
the content.xml of an .ods (`table:visibility="collapse"`, `table:number-rows-spanned`).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeET
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from app.errors import UnreadableError
from app.excel.sniff import SniffedFile, sheet_part

Merge = tuple[tuple[int, int], tuple[int, int]]  # ((row, col), (row, col)), 0-based, inclusive


@dataclass
class Sheet:
    name: str
    rows: list[list]  # from A1; row i is Excel row i+1
    merged: list[Merge]
    hidden: bool = False
    hidden_rows: frozenset[int] = field(default_factory=frozenset)  # 0-based


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
            rows = sh.to_python(skip_empty_area=False)
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
        return Sheet(name, rows, merged, hidden, frozenset(r for r in hidden_rows if r < len(rows)))


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
    if part is None:
        return set()
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

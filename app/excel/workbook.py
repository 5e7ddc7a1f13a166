"""Read a sniffed workbook with python-calamine: sheet names, rows as lists, merged ranges."""

from __future__ import annotations

import io
from dataclasses import dataclass

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from app.errors import UnreadableError
from app.excel.sniff import SniffedFile


@dataclass
class Sheet:
    name: str
    rows: list[list]  # from A1; row i is Excel row i+1
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    hidden: bool = False


def open_book(sniffed: SniffedFile) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(sniffed.data))
    except PasswordError:
        raise UnreadableError(f"文件“{sniffed.path.name}”设有打开密码，请取消密码后再导入") from None
    except (CalamineError, ValueError, OSError) as exc:
        raise UnreadableError(f"文件“{sniffed.path.name}”已损坏，无法读取（{type(exc).__name__}）") from None


def sheet_names(book: CalamineWorkbook) -> list[tuple[str, bool]]:
    """(name, hidden) of every worksheet, in workbook order."""
    return [(m.name, m.visible != SheetVisibleEnum.Visible) for m in book.sheets_metadata]


def load_sheet(book: CalamineWorkbook, sniffed: SniffedFile, name: str) -> Sheet:
    try:
        sh = book.get_sheet_by_name(name)
        rows = sh.to_python(skip_empty_area=False)
        merged = sh.merged_cell_ranges or []
    except CalamineError as exc:
        raise UnreadableError(f"文件“{sniffed.path.name}”的工作表“{name}”无法读取（{type(exc).__name__}）") from None
    return Sheet(name, rows, list(merged))

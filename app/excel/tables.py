"""A titled register as a workbook: title and subtitle rows, a bold header, one row per record, an optional totals
row; for the paper records' exports (openpyxl write-only, saved through a temporary file and renamed).

Amounts arrive in 分 and are written as numbers in 元 (exact Decimals, two places); dates as dates; text that
Excel or WPS could run as a formula is written as text (see app.excel.writers)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from app.domain.money import FEN_PER_YUAN
from app.excel.sniff import col_letter
from app.excel.writers import excel_text, needs_quote, sheet_layout, streamed_workbook
from app.storage.fileio import atomic_path

YUAN_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
KINDS = ("text", "int", "money", "date", "bool", "percent")
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEAD_FONT = Font(name="黑体", bold=True)
_BOLD = Font(bold=True)
_TITLE_FONT = Font(name="黑体", size=16, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class TableColumn:
    key: str  # attribute of the row object
    label: str
    kind: str = "text"  # text int money date bool percent
    width: float = 14


def yuan(fen: int) -> Decimal:
    return (Decimal(int(fen)) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def _cell(ws: Any, kind: str, value: Any, bold: bool = False) -> Any:
    if isinstance(value, dt.datetime):
        value = value.strftime("%Y-%m-%d %H:%M")
    if value is None or value == "":
        cell = WriteOnlyCell(ws, None)
    elif kind == "money":
        cell = WriteOnlyCell(ws, yuan(value))
        cell.number_format = YUAN_FORMAT
    elif kind == "date" and isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value)
        cell.number_format = DATE_FORMAT
    elif kind == "bool":
        cell = WriteOnlyCell(ws, "是" if value else "否")
    elif kind == "int" and isinstance(value, int):
        cell = WriteOnlyCell(ws, value)
    elif kind == "percent" and isinstance(value, int | Decimal):
        cell = WriteOnlyCell(ws, f"{Decimal(value):.1f}%")
    else:
        text = value if isinstance(value, str) else str(value)
        cell = WriteOnlyCell(ws, excel_text(text))
        if needs_quote(text):
            cell.data_type = "s"
            cell.quotePrefix = True
    if bold:
        cell.font = _BOLD
    return cell


def write_table(path: str | os.PathLike[str], sheet: str, title: str, subtitle: str,
                columns: Sequence[TableColumn], rows: Iterable[Any], *, totals: Mapping[str, Any] | None = None,
                bold: Callable[[Any], bool] | None = None, numbered: bool = True) -> int:
    """Write the register; returns the number of rows written. `totals` fills a 合计 row (values by column key);
    `bold(row)` marks subtotal lines. The file appears whole or not at all."""
    with streamed_workbook(path) as wb:
        ws = wb.create_sheet(sheet[:31])
        cols = ([TableColumn("#", "序号", "int", 6)] if numbered else []) + list(columns)
        sheet_layout(ws, [col.width for col in cols], "A4", "3:3")
        last = col_letter(len(cols) - 1)
        title_cell = WriteOnlyCell(ws, excel_text(title))
        title_cell.font, title_cell.alignment = _TITLE_FONT, _CENTER
        ws.append([title_cell])
        ws.append([_cell(ws, "text", subtitle)])
        head = []
        for col in cols:
            cell = WriteOnlyCell(ws, col.label)
            cell.font, cell.fill, cell.alignment, cell.border = _HEAD_FONT, _HEAD_FILL, _CENTER, _BORDER
            head.append(cell)
        ws.append(head)
        n = 0
        shown = 0
        for row in rows:
            n += 1
            strong = bool(bold and bold(row))
            if not strong:
                shown += 1
            out = []
            for col in cols:
                value = (shown if not strong else None) if col.key == "#" else getattr(row, col.key, None)
                out.append(_cell(ws, col.kind, value, strong))
            ws.append(out)
        if totals is not None:
            line = [_cell(ws, "text", "合计", True)]
            for col in cols[1:]:
                line.append(_cell(ws, col.kind, totals.get(col.key), True))
            ws.append(line)
        ws.auto_filter.ref = f"A3:{last}{3 + n}"
        with atomic_path(Path(path)) as tmp:
            wb.save(tmp)
    return n

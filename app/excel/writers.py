"""Writers: the project ledger (项目台账) and the fill-in template for departments (openpyxl).

Text that Excel or WPS could run as a formula (starting with = + - @, a tab or a carriage return) is written
as a text cell with the quote prefix, so it shows as typed and stays text when the cell is edited; amounts
are numbers (negative ones too), in 万元 with up to six decimals so that every fen survives the round trip.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet import _writer as sheet_writer
from openpyxl.worksheet.datavalidation import DataValidation

from app.domain.fields import field
from app.domain.money import FEN_PER_WAN
from app.domain.vocabulary import CATEGORIES, NATURES
from app.excel.sniff import col_letter
from app.storage.fileio import atomic_path, guard_output

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WAN_FORMAT = "#,##0.00####"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEAD_FONT = Font(name="黑体", bold=True)
_TITLE_FONT = Font(name="黑体", size=16, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

@contextmanager
def streamed_workbook(path: str | os.PathLike[str]) -> Iterator[Workbook]:
    """A write-only workbook for `path`, the output guarded before anything is built. When the block fails (the
    output refused at the rename, an export cancelled, a database error midway), each sheet's stream is closed and
    its temporary file removed: openpyxl would otherwise keep the half-written sheet in the temporary folder until
    the program ends, its stream open until the garbage collector closes it onto a closed file."""
    guard_output(path)
    wb = Workbook(write_only=True)
    try:
        yield wb
    except BaseException:
        discard_workbook(wb)
        raise


def discard_workbook(wb: Workbook) -> None:
    """Close and remove what a write-only workbook that will not be saved has written so far."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)  # openpyxl's WorksheetWriter: the sheet's stream and temporary file
        if writer is None or ws.closed:
            continue
        with suppress(Exception):  # cleaning up after the failure being raised: never mask it
            ws.close()
        out = writer.out
        if isinstance(out, str):
            with suppress(OSError):
                os.remove(out)
            with suppress(ValueError):
                sheet_writer.ALL_TEMP_FILES.remove(out)


LEDGER_UNIT = "万元"  # budget sheets count in 万元; six decimals keep every 分
# (field key or "#" for the row number, column width); headings, kinds and units come from app.domain.fields
LEDGER_LAYOUT: tuple[tuple[str, float], ...] = (
    ("#", 6), ("code", 14), ("name", 36), ("department", 22), ("year", 7), ("category", 20), ("nature", 10),
    ("status", 11), ("total_fen", 14), ("county_fen", 14), ("upper_fen", 14), ("other_fen", 14),
    ("year_request_fen", 14), ("period_months", 9), ("responsible_person", 10), ("responsible_phone", 14),
    ("cobuilt", 8), ("city_share_fen", 12), ("county_share_fen", 12), ("content", 40), ("note", 20),
)
_KINDS = {"money": "wan", "bool": "bool", "int": "int"}


def _column(key: str, width: float) -> tuple[str, str | None, str, str, float]:
    """(header top, header bottom or None, attribute, kind, width); kind: text int wan bool."""
    if key == "#":
        return ("序号", None, "#", "int", width)
    f = field(key)
    kind = _KINDS.get(f.kind, "text")
    attr = "status_label" if key == "status" else key  # the view's Chinese label of the state
    unit = LEDGER_UNIT if f.kind == "money" else None
    if f.group:
        return (f"{f.group}（{unit}）" if unit else f.group, f.label, attr, kind, width)
    return (f.heading(unit), None, attr, kind, width)


LEDGER_COLUMNS: tuple[tuple[str, str | None, str, str, float], ...] = tuple(_column(k, w) for k, w in LEDGER_LAYOUT)


def wan(fen: int) -> Decimal:
    """Fen → 万元, exact (six decimals at most), trailing zeros dropped."""
    return (Decimal(fen) / FEN_PER_WAN).normalize()


def needs_quote(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f]")
_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def excel_text(value: str) -> str:
    """Text as the xlsx file must hold it to read back exactly: a carriage return (which XML turns into a line
    break) and the control characters XML cannot hold become _x000D_-style escapes, as Excel itself writes them;
    text that merely looks like such an escape gets its underscore escaped (_x005F_). Excel, WPS and the reader
    (calamine) turn them back."""
    if "_x" in value:
        value = _ESCAPE_LIKE.sub("_x005F_", value)
    if not value.isprintable():
        value = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value


def _text_cell(ws: Any, value: str | None, style: dict | None = None) -> Any:
    cell = WriteOnlyCell(ws, value if value is None else excel_text(value))
    if needs_quote(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    for k, v in (style or {}).items():
        setattr(cell, k, v)
    return cell


def _header(ws: Any, columns: Sequence[tuple[str, str | None, str, str, float]], first_row: int) -> None:
    top, low = [], []
    for c, (h1, h2, *_rest) in enumerate(columns):
        top.append(_text_cell(ws, h1 if (c == 0 or columns[c - 1][0] != h1 or h2 is None) else None,
                              {"font": _HEAD_FONT, "fill": _HEAD_FILL, "alignment": _CENTER, "border": _BORDER}))
        low.append(_text_cell(ws, h2, {"font": _HEAD_FONT, "fill": _HEAD_FILL, "alignment": _CENTER,
                                       "border": _BORDER}))
    ws.append(top)
    ws.append(low)
    c = 0
    while c < len(columns):
        h1, h2 = columns[c][0], columns[c][1]
        if h2 is None:
            ws.merged_cells.add(f"{col_letter(c)}{first_row}:{col_letter(c)}{first_row + 1}")
            c += 1
            continue
        end = c
        while end + 1 < len(columns) and columns[end + 1][0] == h1 and columns[end + 1][1] is not None:
            end += 1
        if end > c:
            ws.merged_cells.add(f"{col_letter(c)}{first_row}:{col_letter(end)}{first_row}")
        c = end + 1


def sheet_layout(ws: Any, widths: Sequence[float], freeze: str, title_rows: str) -> None:
    """A printed register's sheet: column widths, title and subtitle merged across, frozen panes, header rows
    repeated on each page, A4 landscape one page wide."""
    for c, width in enumerate(widths):
        ws.column_dimensions[col_letter(c)].width = width
    last = col_letter(len(widths) - 1)
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")
    ws.freeze_panes = freeze
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _setup_sheet(ws: Any, columns: Sequence, title: str, subtitle: str) -> None:
    sheet_layout(ws, [col[4] for col in columns], "D5", "3:4")
    ws.print_options.horizontalCentered = True
    ws.append([_text_cell(ws, title, {"font": _TITLE_FONT, "alignment": _CENTER})])
    ws.append([_text_cell(ws, subtitle)])
    _header(ws, columns, 3)


# the values of one ledger row after its number, in column order: what write_ledger_rows takes
LEDGER_ATTRS: tuple[str, ...] = tuple(c[2] for c in LEDGER_COLUMNS[1:])


def write_ledger(path: str | os.PathLike[str], projects: Iterable[Any], title: str = "政务大数据项目台账",
                 subtitle: str | None = None, progress: Callable[[int, int], None] | None = None,
                 total: int = 0) -> int:
    """Write the ledger; `projects` are ProjectView-like objects (attributes named as in LEDGER_COLUMNS).
    Returns the number of project rows. The file appears atomically (no half-written file on failure)."""
    values = attrgetter(*LEDGER_ATTRS)
    return write_ledger_rows(path, (values(p) for p in projects), title, subtitle, progress, total)


def write_ledger_rows(path: str | os.PathLike[str], rows: Iterable[Sequence[Any]],
                      title: str = "政务大数据项目台账", subtitle: str | None = None,
                      progress: Callable[[int, int], None] | None = None, total: int = 0) -> int:
    """The ledger from plain rows (the values of LEDGER_ATTRS in order, amounts in fen), taken as `rows` yields them:
    a database cursor streams straight into the file. Returns the number of rows."""
    with streamed_workbook(path) as wb:
        ws = wb.create_sheet("项目台账")
        _setup_sheet(ws, LEDGER_COLUMNS, title, subtitle or f"导出日期：{dt.date.today():%Y年%m月%d日}　金额单位：万元")
        kinds = [c[3] for c in LEDGER_COLUMNS[1:]]
        money = [i for i, k in enumerate(kinds) if k == "wan"]
        flags = [i for i, k in enumerate(kinds) if k == "bool"]
        texts = [i for i, k in enumerate(kinds) if k == "text"]
        sums = [0] * len(money)
        styled = WriteOnlyCell(ws, 0)
        styled.number_format = WAN_FORMAT  # the amount style registered once; every amount cell shares its style array
        wan_style = styled._style
        n = 0
        for n, values in enumerate(rows, 1):
            row: list[Any] = [n, *values]
            for j, i in enumerate(money):
                fen = values[i] or 0
                sums[j] += fen
                # openpyxl writes any number as "%.16g" of a float; fen / FEN_PER_WAN is the float nearest the exact
                # 万元 (one correctly rounded division), so the file holds what wan(fen) would give, and it reads back
                # to the fen (15 significant digits: app.excel.cells)
                cell = WriteOnlyCell(ws, fen / FEN_PER_WAN)
                cell._style = wan_style
                row[i + 1] = cell
            for i in flags:
                row[i + 1] = "是" if values[i] else "否"
            for i in texts:
                v = values[i]
                if v.__class__ is str and v:
                    if v.startswith(FORMULA_STARTS):
                        row[i + 1] = _text_cell(ws, v)
                    elif not v.isprintable() or "_x" in v:
                        row[i + 1] = excel_text(v)
            ws.append(row)
            if progress is not None and n % 500 == 0:
                progress(n, total)
        last_data = 4 + n
        totals: list[Any] = [_text_cell(ws, "合计", {"font": _HEAD_FONT})] + [None] * len(kinds)
        for j, i in enumerate(money):
            cell = WriteOnlyCell(ws, wan(sums[j]))
            cell.number_format = WAN_FORMAT
            cell.font = _HEAD_FONT
            totals[i + 1] = cell
        ws.append(totals)
        ws.auto_filter.ref = f"A4:{col_letter(len(LEDGER_COLUMNS) - 1)}{last_data}"
        with atomic_path(Path(path)) as tmp:
            wb.save(tmp)
    return n


TEMPLATE_COLUMNS = tuple(c for c in LEDGER_COLUMNS if c[2] not in ("status_label",))
TEMPLATE_ROWS = 200
INSTRUCTIONS = (
    "填表说明",
    "1. 每个项目填一行；请勿修改表头、勿插入或删除列；可删除未用的空行。",
    "2. 实施单位、项目类别、建设性质请从下拉列表中选择。",
    "3. 项目类别依据《政务大数据项目建设应用管理办法》第三条：" + "、".join(CATEGORIES) + "。",
    "4. 建设性质：" + "、".join(NATURES) + "。",
    ("5. 金额单位为万元，可保留到小数点后六位（到分）；县级财政资金、上级补助资金、其他资金之和应等于总投资；"
     "本年申请资金不得超过总投资；没有的资金来源填0或留空。"),
    ("6. 建设周期填月数（如 12）；市县协同建设填“是”或“否”（第十二条），填“是”的项目应按事权划分填写市级承担、"
     "县级承担资金，两者之和等于总投资。"),
    "7. 项目编号由主管部门登记后生成，新申报项目请留空。",
    "8. 填好后直接发回，无需另存为其他格式。",
)


def write_template(path: str | os.PathLike[str], departments: Sequence[str], year: int,
                   title: str | None = None) -> None:
    """The fill-in template: the ledger's columns, drop-down lists for 实施单位/项目类别/建设性质 (kept on a
    hidden sheet, so long lists work), 是/否 for 市县协同建设, and instructions on a second sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "项目申报表"
    for c, col in enumerate(TEMPLATE_COLUMNS):
        ws.column_dimensions[col_letter(c)].width = col[4]
    last = col_letter(len(TEMPLATE_COLUMNS) - 1)
    ws.append([title or f"{year}年度政务大数据项目预算申报表"])
    ws["A1"].font = _TITLE_FONT
    ws["A1"].alignment = _CENTER
    ws.merge_cells(f"A1:{last}1")
    ws.append(["填报单位：　　　　　　　　　　　　　　　金额单位：万元"])
    ws.merge_cells(f"A2:{last}2")
    top = [h1 for h1, *_ in TEMPLATE_COLUMNS]
    low = [h2 for _h1, h2, *_ in TEMPLATE_COLUMNS]
    ws.append(top)
    ws.append(low)
    c = 0
    while c < len(TEMPLATE_COLUMNS):
        h1, h2 = TEMPLATE_COLUMNS[c][0], TEMPLATE_COLUMNS[c][1]
        end = c
        while h2 is not None and end + 1 < len(TEMPLATE_COLUMNS) and TEMPLATE_COLUMNS[end + 1][0] == h1:
            end += 1
        if h2 is None:
            ws.merge_cells(f"{col_letter(c)}3:{col_letter(c)}4")
        elif end > c:
            ws.merge_cells(f"{col_letter(c)}3:{col_letter(end)}3")
        c = end + 1
    for row in ws.iter_rows(min_row=3, max_row=4, max_col=len(TEMPLATE_COLUMNS)):
        for cell in row:
            cell.font, cell.fill, cell.alignment, cell.border = _HEAD_FONT, _HEAD_FILL, _CENTER, _BORDER
    first, lastrow = 5, 4 + TEMPLATE_ROWS
    for r in range(first, lastrow + 1):
        for c, col in enumerate(TEMPLATE_COLUMNS, 1):
            if col[3] == "wan":
                ws.cell(r, c).number_format = WAN_FORMAT
    lists = wb.create_sheet("选项")
    lists.sheet_state = "hidden"
    for i, name in enumerate(departments, 1):
        lists.cell(i, 1, name).data_type = "s"
    for i, name in enumerate(CATEGORIES, 1):
        lists.cell(i, 2, name)
    for i, name in enumerate(NATURES, 1):
        lists.cell(i, 3, name)
    idx = {col[2]: col_letter(c) for c, col in enumerate(TEMPLATE_COLUMNS)}

    def choose(attr: str, formula: str, what: str) -> None:
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                            errorTitle="输入有误", error=f"请从下拉列表中选择{what}")
        dv.add(f"{idx[attr]}{first}:{idx[attr]}{lastrow}")
        ws.add_data_validation(dv)

    if departments:
        choose("department", f"'选项'!$A$1:$A${len(departments)}", "实施单位")
    choose("category", f"'选项'!$B$1:$B${len(CATEGORIES)}", "项目类别")
    choose("nature", f"'选项'!$C$1:$C${len(NATURES)}", "建设性质")
    choose("cobuilt", '"是,否"', "“是”或“否”")
    ws.freeze_panes = "D5"
    ws.print_title_rows = "3:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9
    help_ws = wb.create_sheet("填表说明", 1)
    help_ws.column_dimensions["A"].width = 110
    for i, line in enumerate(INSTRUCTIONS, 1):
        cell = help_ws.cell(i, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = _TITLE_FONT
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)

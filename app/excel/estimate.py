"""The investment estimate reader (投资概算表) for one project: line items under 一、二、… headings."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from app.errors import InputError, UnreadableError
from app.excel import cells
from app.excel.layout import build_synonyms, is_column_number_row, locate
from app.excel.sniff import sniff, uncached_formulas
from app.excel.summary import _NOTE, _SUBTOTAL, _TOTAL, CellError, SkippedRow, _fmt
from app.excel.workbook import load_sheet, open_book, sheet_names

ESTIMATE_FIELDS: dict[str, tuple[str, ...]] = {
    "seq": ("序号",),
    "name": ("名称", "项目名称", "设备名称", "品名", "费用名称", "产品名称", "建设内容", "名称及规格", "货物名称",
             "设备及软件名称", "项目"),
    "spec": ("规格", "规格型号", "型号", "技术参数", "主要参数", "配置", "技术要求", "主要技术参数", "品牌型号"),
    "unit": ("单位", "计量单位"),
    "quantity": ("数量", "数量/工作量", "工作量"),
    "price": ("单价", "综合单价", "单价元"),
    "amount": ("金额", "合价", "总价", "小计金额", "投资金额", "合计金额", "费用", "估算金额", "概算金额", "总金额"),
    "domestic": ("是否国产", "自主可控", "是否自主可控", "国产化", "是否国产化", "安全自主可控", "国产/自主可控",
                 "是否安全自主可控", "国产"),
    "note": ("备注", "说明"),
}
SYNONYMS = build_synonyms(ESTIMATE_FIELDS)
_NUMERAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]?|[(（][一二三四五六七八九十]+[)）])$")
_SECTION_NAME = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])(.+)$")


def _heading(seq: str, name: str) -> str | None:
    """'一、' + '硬件设备' or '' + '一、硬件设备' → '硬件设备'; None for an item row."""
    if seq and _NUMERAL.match(seq) and name:
        return name[:50]
    m = _SECTION_NAME.match(name) or (_SECTION_NAME.match(seq) if not name else None)
    return m.group(1)[:50] if m else None


@dataclass(frozen=True)
class EstimateRow:
    row: int
    section: str
    name: str
    quantity: Decimal
    unit_price_fen: int
    amount_fen: int
    domestic: bool
    unit: str | None = None
    spec: str | None = None
    note: str | None = None
    computed: bool = False  # amount computed from quantity × price (formula saved without its value)


@dataclass
class EstimateReadResult:
    path: str
    fmt: str
    sheet: str | None
    rows: list[EstimateRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stated_total_fen: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_fen(self) -> int:
        return sum(r.amount_fen for r in self.rows)

    @property
    def domestic_fen(self) -> int:
        return sum(r.amount_fen for r in self.rows if r.domestic)


def read_estimate(path: str | os.PathLike[str], sheet: str | None = None) -> EstimateReadResult:
    """Read an estimate. Checks amount = quantity × unit price (to the fen), section 小计 and the 合计."""
    sniffed = sniff(path)
    book = open_book(sniffed)
    try:
        names = [n for n, hidden in sheet_names(book) if not hidden or n == sheet]
        if sheet is not None and sheet not in names:
            raise UnreadableError(f"工作簿中没有名为“{sheet}”的工作表")
        found = None
        for n in [sheet] if sheet else names:
            sh = load_sheet(book, sniffed, n)
            layout = locate(sh.rows, SYNONYMS, sh.merged)
            if layout and {"name", "amount"} <= set(layout.columns):
                found = (sh, layout)
                break
    finally:
        book.close()
    if found is None:
        res = EstimateReadResult(str(path), sniffed.fmt, sheet)
        res.errors.append(CellError(sheet or (names[0] if names else ""), None, None,
                                    "未找到可识别的概算表：表头中应有“名称”“数量”“单价”“金额”等列"))
        return res
    sh, layout = found
    res = EstimateReadResult(str(path), sniffed.fmt, sh.name)
    cols = layout.columns
    unit_price = layout.unit_of("price", "元")
    unit_amount = layout.unit_of("amount", "元")
    uncached = uncached_formulas(sniffed, sh.name)
    section = "未分类"
    section_sum = all_sum = 0
    unreadable = False  # an amount that could not be read: sums are not checked
    errors = res.errors
    for r in range(layout.first_data_row, len(sh.rows)):
        row = sh.rows[r]
        excel_row = r + 1

        def get(fld: str, row=row):
            c = cols.get(fld)
            return "" if c is None or c.index >= len(row) else row[c.index]

        if all(cells.is_blank(v) for v in row):
            continue
        if r == layout.first_data_row and is_column_number_row(row):
            res.skipped.append(SkippedRow(excel_row, "栏次行", "column-numbers"))
            continue
        label = cells.key(get("seq")) + cells.key(get("name"))
        first_text = next((cells.key(v) for v in row if not cells.is_blank(v)), "")
        if _TOTAL.search(cells.key(get("seq"))) or _TOTAL.search(cells.key(get("name"))) or _TOTAL.search(first_text):
            if not unreadable:
                _check(res, sh.name, excel_row, "合计", get("amount"), unit_amount, all_sum, cols["amount"].header)
            res.skipped.append(SkippedRow(excel_row, "合计行"))
            break
        if _SUBTOTAL.search(label):
            if not unreadable:
                _check(res, sh.name, excel_row, "小计", get("amount"), unit_amount, section_sum, cols["amount"].header)
            res.skipped.append(SkippedRow(excel_row, "小计行"))
            continue
        if _NOTE.search(first_text):
            res.skipped.append(SkippedRow(excel_row, "说明行"))
            continue
        heading = _heading(cells.key(get("seq")), cells.key(get("name"))) \
            if cells.is_blank(get("quantity")) and cells.is_blank(get("price")) else None
        if heading is not None:
            section, section_sum = heading, 0
            res.skipped.append(SkippedRow(excel_row, "分组行"))
            continue
        item, amount = _parse_item(res, sh.name, excel_row, row, cols, section, unit_price, unit_amount, uncached)
        if amount is None:
            unreadable = True
        else:
            section_sum += amount
            all_sum += amount
        if item is not None:
            res.rows.append(item)
    if not res.rows and not errors:
        errors.append(CellError(sh.name, None, None, "概算表中没有明细行"))
    return res


def _check(res: EstimateReadResult, sheet: str, excel_row: int, what: str, value: object, unit: str, read: int,
           header: str) -> None:
    if cells.is_blank(value):
        return
    try:
        shown = cells.amount_fen(value, unit, header)
    except InputError as exc:
        res.errors.append(CellError(sheet, excel_row, header, exc.message))
        return
    if what == "合计":
        res.stated_total_fen = shown
    if shown != read:
        res.errors.append(CellError(sheet, excel_row, header,
                                    f"{what}与明细之和不符：表中为 {_fmt(shown or 0, unit)}，逐项相加为 {_fmt(read, unit)}"))


def _parse_item(res: EstimateReadResult, sheet: str, excel_row: int, row: list, cols: dict, section: str,
                unit_price: str, unit_amount: str, uncached: set) -> tuple[EstimateRow | None, int | None]:
    """The item (None when the row has errors) and its amount as written (None when unreadable)."""
    errors = res.errors
    before = len(errors)

    def get(fld: str):
        c = cols.get(fld)
        return "" if c is None or c.index >= len(row) else row[c.index]

    def err(fld: str, message: str) -> None:
        c = cols.get(fld)
        errors.append(CellError(sheet, excel_row, c.header if c else fld, message))

    name = cells.text(get("name"))
    if not name:
        err("name", "名称为空")
    qty, qty_unit = Decimal(1), ""
    if "quantity" in cols and not cells.is_blank(get("quantity")):
        try:
            qty, qty_unit = cells.quantity(get("quantity"))
        except InputError as exc:
            err("quantity", exc.message)
    price = None
    if "price" in cols and not cells.is_blank(get("price")):
        try:
            price = cells.amount_fen(get("price"), unit_price, "单价")
        except InputError as exc:
            err("price", exc.message)
    amount = None
    amount_col = cols["amount"]
    computed = False
    if (excel_row - 1, amount_col.index) in uncached:
        if price is not None and "quantity" in cols and not cells.is_blank(get("quantity")):
            amount = _times(qty, price)
            computed = True
        else:
            err("amount", f"单元格 {amount_col.letter}{excel_row} 是公式但文件中没有保存计算结果，且无法由数量×单价算出")
    elif cells.is_blank(get("amount")):
        if price is not None:
            amount, computed = _times(qty, price), True
        else:
            err("amount", "金额为空")
    else:
        try:
            amount = cells.amount_fen(get("amount"), unit_amount, "金额")
        except InputError as exc:
            err("amount", exc.message)
    if price is None and amount is not None:
        price = amount if qty == 1 else None
        if price is None and qty:
            exact = Decimal(amount) / qty
            price = int(exact) if exact == exact.to_integral_value() else None
    if amount is not None and amount < 0 or (price is not None and price < 0) or qty < 0:
        err("amount", "数量、单价、金额不能为负数")
    if amount is not None and price is not None and not computed and _times(qty, price) != amount:
        err("amount", f"金额与数量×单价不符：{cells.text(get('quantity')) or 1} × {_fmt(price, '元')} = "
                      f"{_fmt(_times(qty, price), '元')}，表中为 {_fmt(amount, '元')}")
    domestic = None
    try:
        domestic = cells.boolean(get("domestic"), "是否国产/自主可控")
    except InputError as exc:
        err("domestic", exc.message)
    if len(errors) > before or amount is None:
        return None, amount
    unit = cells.text(get("unit")) or qty_unit or None
    return EstimateRow(excel_row, section, name, qty, price or 0, amount, bool(domestic), unit,
                       cells.text(get("spec")) or None, cells.text(get("note")) or None, computed), amount


def _times(qty: Decimal, price_fen: int) -> int:
    return int((qty * price_fen).quantize(Decimal(1), rounding=ROUND_HALF_UP))

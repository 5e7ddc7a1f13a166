"""The project summary sheet reader (预算申报汇总表): one row per project, amounts in fen."""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter

from app.domain.fields import label
from app.domain.money import FEN_PER_WAN, FEN_PER_YUAN, fen_to_wan
from app.domain.vocabulary import CATEGORIES, NATURES
from app.errors import InputError, UnreadableError
from app.excel import cells
from app.excel.layout import Column, Layout, build_synonyms, locate, unit_in
from app.excel.sniff import SniffedFile, col_index, sniff, uncached_formulas
from app.excel.workbook import Sheet, load_sheet, open_book, sheet_names

SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号序号"),
    "code": ("项目编号", "项目代码", "项目编码"),
    "name": ("项目名称", "名称", "项目", "建设项目名称", "项目名"),
    "department": ("实施单位", "申报单位", "项目单位", "单位名称", "项目实施单位", "责任单位", "填报单位", "主管部门",
                   "单位", "部门", "实施部门"),
    "year": ("年度", "年份", "申报年度", "项目年度", "计划年度"),
    "category": ("项目类别", "类别", "项目类型", "建设类别", "类型"),
    "nature": ("建设性质", "性质", "项目性质"),
    "status": ("状态", "项目状态"),
    "total": ("总投资", "项目总投资", "总投资额", "投资总额", "概算总投资", "计划总投资", "总金额", "总投资估算"),
    "county": ("县级财政资金", "县级财政", "县财政资金", "县财政", "本级财政资金", "本级财政", "县级资金", "县本级财政资金",
               "县级财政预算资金"),
    "upper": ("上级补助资金", "上级补助", "上级资金", "上级财政资金", "省市补助资金", "上级专项资金"),
    "other": ("其他资金", "其他", "自筹资金", "单位自筹", "社会资金", "其他来源"),
    "year_request": ("本年申请资金", "本年申请", "本年度申请资金", "年度申请资金", "本年申请金额", "本年度申请金额",
                     "本年预算", "本年度预算", "申请金额", "申请资金", "本年度预算申请", "本年资金需求"),
    "period": ("建设周期", "建设期", "建设工期", "工期", "周期", "建设周期月"),
    "content": ("建设内容", "主要建设内容", "项目内容", "建设内容及规模", "项目主要内容"),
    "person": ("项目责任人", "责任人", "负责人", "项目负责人"),
    "phone": ("联系电话", "电话", "责任人电话", "联系方式"),
    "cobuilt": ("市县协同建设", "市县协同", "是否市县协同建设", "是否市县协同"),
    "city_share": ("市级承担", "市级承担资金", "市级承担金额", "市级承担建设资金"),
    "county_share": ("县级承担", "县级承担资金", "县级承担金额", "县级承担建设资金"),
    "note": ("备注", "说明"),
}
SYNONYMS = build_synonyms(SUMMARY_FIELDS)
AMOUNT_FIELDS = ("total", "county", "upper", "other", "year_request", "city_share", "county_share")
# the sheet's field names → the project's fields (app.domain.fields)
FIELD_ATTRS = {"code": "code", "name": "name", "department": "department", "year": "year", "category": "category",
               "nature": "nature", "status": "status", "total": "total_fen", "county": "county_fen",
               "upper": "upper_fen", "other": "other_fen", "year_request": "year_request_fen",
               "period": "period_months", "content": "content", "person": "responsible_person",
               "phone": "responsible_phone", "cobuilt": "cobuilt", "city_share": "city_share_fen",
               "county_share": "county_share_fen", "note": "note"}
FIELD_LABELS = {k: label(v) for k, v in FIELD_ATTRS.items()}

CATEGORY_SYNONYMS = {
    "采集": "数据采集", "数据采集": "数据采集", "清洗": "数据清洗", "数据清洗": "数据清洗", "数据治理": "数据清洗",
    "标注": "数据标注", "数据标注": "数据标注",
    "数据交易": "数据交易和开发利用", "开发利用": "数据交易和开发利用", "数据开发利用": "数据交易和开发利用",
    "数据交易及开发利用": "数据交易和开发利用", "数据交易和开发利用": "数据交易和开发利用",
    "应用系统": "信息应用系统开发", "应用系统开发": "信息应用系统开发", "信息系统开发": "信息应用系统开发",
    "软件开发": "信息应用系统开发", "系统开发": "信息应用系统开发", "信息应用系统": "信息应用系统开发",
    "信息应用系统开发": "信息应用系统开发",
    "网络及软硬件": "信息网络及软硬件支撑系统", "软硬件支撑系统": "信息网络及软硬件支撑系统",
    "信息网络": "信息网络及软硬件支撑系统", "基础设施": "信息网络及软硬件支撑系统", "硬件": "信息网络及软硬件支撑系统",
    "信息网络及软硬件支撑": "信息网络及软硬件支撑系统", "信息网络和软硬件支撑系统": "信息网络及软硬件支撑系统",
    "信息网络及软硬件支撑系统": "信息网络及软硬件支撑系统",
    "网络安全": "网络信息安全系统", "信息安全": "网络信息安全系统", "网络信息安全": "网络信息安全系统",
    "安全系统": "网络信息安全系统", "网络安全系统": "网络信息安全系统", "网络信息安全系统": "网络信息安全系统",
}
NATURE_SYNONYMS = {
    "新建": "新建", "新建项目": "新建", "扩建": "扩建", "扩容": "扩建", "扩建项目": "扩建",
    "改造升级": "改造升级", "升级改造": "改造升级", "改造": "改造升级", "升级": "改造升级", "改扩建": "改造升级",
    "运行维护": "运行维护", "运维": "运行维护", "运维项目": "运行维护", "运营维护": "运行维护",
}
_GROUP = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部类])")
_TOTAL = re.compile(r"^(?:合计|总计|总合计|全县合计|共计)$|^(?:合计|总计)[:：(（]")
_SUBTOTAL = re.compile(r"^(?:小计|其中小计|分类小计)|小计$")
_NOTE = re.compile(r"^(?:注|说明|备注|填报人|填表人|制表人?|审核人?|负责人|单位负责人|联系人|联系电话|填报日期|填表日期|"
                   r"日期|单位[(（]?盖章|盖章|签字|主要负责人|分管领导|经办人)")


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None  # Excel row number (1-based)
    column: str | None  # the column's header as the sheet shows it
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class SkippedRow:
    row: int
    reason: str  # 分组行 小计行 合计行 说明行 栏次行 …

    def as_dict(self) -> dict:
        return {"row": self.row, "reason": self.reason}


@dataclass(frozen=True)
class SummaryRow:
    row: int  # Excel row number
    name: str
    department: str
    year: int
    category: str
    nature: str
    total_fen: int
    county_fen: int
    upper_fen: int
    other_fen: int
    year_request_fen: int
    code: str | None = None
    period_months: int | None = None
    content: str | None = None
    responsible_person: str | None = None
    responsible_phone: str | None = None
    cobuilt: bool = False
    note: str | None = None
    city_share_fen: int = 0
    county_share_fen: int = 0


@dataclass(frozen=True)
class ColumnInfo:
    field: str
    letter: str
    header: str
    unit: str | None  # None for columns without amounts


@dataclass
class SummaryReadResult:
    path: str
    fmt: str
    sheet: str | None
    sheets: list[str]
    header_rows: list[int] = field(default_factory=list)  # Excel row numbers
    columns: list[ColumnInfo] = field(default_factory=list)
    rows: list[SummaryRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def preview(self, n: int = 20) -> list[SummaryRow]:
        return self.rows[:n]

    def totals_fen(self) -> dict[str, int]:
        return {f"{k}_fen": sum(map(attrgetter(f"{k}_fen"), self.rows)) for k in AMOUNT_FIELDS}


def _pick_sheet(book, sniffed: SniffedFile, wanted: str | None) -> tuple[Sheet, Layout | None]:
    names = sheet_names(book)
    if wanted is not None:
        match = [n for n, _h in names if n == wanted or cells.key(n) == cells.key(wanted)]
        if not match:
            raise UnreadableError(f"工作簿中没有名为“{wanted}”的工作表（现有：{'、'.join(n for n, _ in names)}）")
        sheet = load_sheet(book, sniffed, match[0])
        return sheet, locate(sheet.rows, SYNONYMS, sheet.merged)
    best: tuple[int, Sheet, Layout] | None = None
    first: Sheet | None = None
    for name, hidden in names:
        if hidden:
            continue
        sheet = load_sheet(book, sniffed, name)
        first = first or sheet
        layout = locate(sheet.rows, SYNONYMS, sheet.merged)
        if layout and ("name" in layout.columns):
            score = len(layout.columns)
            if best is None or score > best[0]:
                best = (score, sheet, layout)
    if best is None:
        if first is None:
            raise UnreadableError(f"文件“{sniffed.path.name}”中没有可见的工作表")
        return first, None
    return best[1], best[2]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic garbage collection inside: a bulk read or write allocates objects by the hundred thousand
    (none in reference cycles) and the collector's full passes over them cost a seventh of an import."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read_summary(path: str | os.PathLike[str], sheet: str | None = None,
                 mapping_override: dict[str, str] | None = None, year: int | None = None,
                 unit_override: str | None = None,
                 cancelled: Callable[[], bool] | None = None) -> SummaryReadResult:
    """Read a project summary sheet. Raises UnreadableError for files that are not a readable workbook;
    everything else (no table found, bad cells, totals that disagree) is listed in `result.errors`.

    mapping_override: field → column letter ('name': 'B'), applied over the detected mapping.
    year: the year for rows when the sheet has no 年度 column and no year in its title.
    unit_override: '元' or '万元' for every amount column.
    """
    with gc_paused():
        return _read_summary(path, sheet, mapping_override, year, unit_override, cancelled)


def _read_summary(path: str | os.PathLike[str], sheet: str | None, mapping_override: dict[str, str] | None,
                  year: int | None, unit_override: str | None,
                  cancelled: Callable[[], bool] | None) -> SummaryReadResult:
    sniffed = sniff(path)
    book = open_book(sniffed)
    try:
        sh, layout = _pick_sheet(book, sniffed, sheet)
        result = SummaryReadResult(str(path), sniffed.fmt, sh.name, [n for n, _ in sheet_names(book)])
    finally:
        book.close()
    if layout is None:
        result.errors.append(CellError(sh.name, None, None,
                                       "未找到可识别的项目表：表头中应有“项目名称”“实施单位”“总投资”等列"))
        return result
    if mapping_override:
        _apply_override(layout, mapping_override)
    _read_rows(sh, layout, result, sniffed, year, unit_override, cancelled)
    return result


def _apply_override(layout: Layout, override: dict[str, str]) -> None:

    for fld, letter in override.items():
        if fld not in SUMMARY_FIELDS:
            raise InputError(f"未知的字段：{fld}")
        for other in [f for f, c in layout.columns.items() if c.letter == letter.upper()]:
            del layout.columns[other]
        if not letter:
            layout.columns.pop(fld, None)
            continue
        idx = col_index(letter.upper())
        label = layout.labels[idx] if idx < len(layout.labels) else letter.upper()
        layout.columns[fld] = Column(fld, idx, label or letter.upper(), unit_in(label))
    layout.duplicates = [d for d in layout.duplicates if d[0] not in override]


def _read_rows(sh: Sheet, layout: Layout, result: SummaryReadResult, sniffed: SniffedFile, year: int | None,
               unit_override: str | None, cancelled: Callable[[], bool] | None) -> None:
    errors = result.errors
    name = sh.name
    cols = layout.columns
    result.header_rows = [r + 1 for r in layout.header_rows]
    for fld, a, b in layout.duplicates:
        errors.append(CellError(name, layout.header_rows[-1] + 1, b.header,
                                f"“{FIELD_LABELS.get(fld, a.header)}”出现在两列（{a.letter} 列“{a.header}”和 {b.letter} 列"
                                f"“{b.header}”），请删除多余的一列或在导入时指定"))
    if "department" not in cols and not layout.preamble_department:
        errors.append(CellError(name, None, None, "未找到“实施单位”列，表头上方也没有“填报单位：…”"))
    for fld in ("name", "total", "category", "nature"):
        if fld not in cols:
            errors.append(CellError(name, None, None, f"未找到“{FIELD_LABELS[fld]}”列"))
    if not any(f in cols for f in ("county", "upper", "other")):
        errors.append(CellError(name, None, None, "未找到资金来源列（县级财政资金、上级补助资金、其他资金）"))
    sheet_year = year or layout.preamble_year
    if "year" not in cols and sheet_year is None:
        errors.append(CellError(name, None, None, "未找到“年度”列，标题中也没有年份（如“2027年度…”）"))
    if errors:
        return
    units: dict[str, str] = {}
    if unit_override:
        units = dict.fromkeys(AMOUNT_FIELDS, unit_override)
    else:
        if not layout.sheet_unit and not any(cols[f].unit for f in AMOUNT_FIELDS if f in cols):
            result.warnings.append("表中未注明金额单位，按“万元”读取")
        units = {f: layout.unit_of(f, "万元") for f in AMOUNT_FIELDS}
    result.columns = [ColumnInfo(c.field, c.letter, c.header, units.get(c.field)) for c in
                      sorted(cols.values(), key=lambda c: c.index)]
    uncached = uncached_formulas(sniffed, sh.name)
    amount_cols = [cols[f] for f in AMOUNT_FIELDS if f in cols]
    amount_idx = [c.index for c in amount_cols]
    name_idx = cols["name"].index
    label_idx = sorted({cols["name"].index, cols["seq"].index if "seq" in cols else 0, 0})
    group_sum: dict[str, int] = dict.fromkeys(AMOUNT_FIELDS, 0)
    all_sum: dict[str, int] = dict.fromkeys(AMOUNT_FIELDS, 0)
    bad_group: set[str] = set()
    bad_all: set[str] = set()
    group_start = None  # (row, sums shown) of a group row with its own figures
    seen: dict[tuple, int] = {}
    after_total = False
    parser = _RowParser(name, cols, units, layout, sheet_year, uncached)
    key, is_blank = cells.key, cells.is_blank
    rows = sh.rows
    for r in range(layout.first_data_row, len(rows)):
        if cancelled is not None and r % 1000 == 0 and cancelled():
            errors.append(CellError(name, None, None, "已取消"))
            return
        row = rows[r]
        width = len(row)
        excel_row = r + 1
        for first in row:
            if not is_blank(first):
                break
        else:
            continue  # a blank row
        name_cell = row[name_idx] if name_idx < width else ""
        name_key = key(name_cell)
        first_text = name_key if first is name_cell else key(first)
        label = ""
        for i in label_idx:
            if i < width and isinstance(row[i], str):
                label += name_key if i == name_idx else key(row[i])
        has_amounts = False
        for i in amount_idx:
            if i < width and not is_blank(row[i]):
                has_amounts = True
                break
        if _TOTAL.search(label) or _TOTAL.search(first_text):
            _check_sums(result, name, excel_row, "合计", row, amount_cols, units, all_sum, bad_all)
            result.skipped.append(SkippedRow(excel_row, "合计行"))
            after_total = True
            continue
        if _SUBTOTAL.search(label):
            if group_start is not None:  # the group row carried figures too: both must agree with the rows
                _check_sums(result, name, group_start[0], "分组小计", group_start[1], amount_cols, units, group_sum,
                            bad_group)
            _check_sums(result, name, excel_row, "小计", row, amount_cols, units, group_sum, bad_group)
            result.skipped.append(SkippedRow(excel_row, "小计行"))
            group_start, group_sum, bad_group = None, dict.fromkeys(AMOUNT_FIELDS, 0), set()
            continue
        if _NOTE.search(first_text) or (after_total and not has_amounts):
            result.skipped.append(SkippedRow(excel_row, "说明行"))
            continue
        if _GROUP.search(name_key) or (_GROUP.search(label) and is_blank(name_cell)):
            if group_start is not None:
                _check_sums(result, name, group_start[0], "分组小计", group_start[1], amount_cols, units, group_sum,
                            bad_group)
            group_start = (excel_row, row) if has_amounts else None
            group_sum, bad_group = dict.fromkeys(AMOUNT_FIELDS, 0), set()
            result.skipped.append(SkippedRow(excel_row, "分组行"))
            continue
        if is_blank(name_cell) and not has_amounts and name_idx < width:
            result.skipped.append(SkippedRow(excel_row, "说明行"))
            continue
        fen: dict[str, int] = {}
        parsed = parser.parse(excel_row, row, errors, fen)
        if len(fen) == len(AMOUNT_FIELDS):
            for f, v in fen.items():
                group_sum[f] += v
                all_sum[f] += v
        else:
            for f in AMOUNT_FIELDS:
                if f in fen:
                    group_sum[f] += fen[f]
                    all_sum[f] += fen[f]
                else:
                    bad_group.add(f)
                    bad_all.add(f)
        if parsed is None:
            continue
        k = (parsed.year, parsed.department.replace(" ", ""), parsed.name.replace(" ", ""))  # cells.key of clean text
        if k in seen:
            errors.append(CellError(name, excel_row, cols["name"].header,
                                    f"与第 {seen[k]} 行重复（同一年度、实施单位和项目名称）"))
            continue
        seen[k] = excel_row
        result.rows.append(parsed)
    if group_start is not None:
        _check_sums(result, name, group_start[0], "分组小计", group_start[1], amount_cols, units, group_sum,
                    bad_group)
    if not result.rows and not errors:
        errors.append(CellError(name, None, None, "表中没有项目数据行"))


def _check_sums(result: SummaryReadResult, sheet: str, excel_row: int, what: str, row: list,
                amount_cols: list[Column], units: dict[str, str], sums: dict[str, int], bad: set[str]) -> None:
    """Compare a 小计/合计 row with the amounts read above it (columns with an unreadable cell are skipped)."""
    for c in amount_cols:
        v = row[c.index] if c.index < len(row) else ""
        if cells.is_blank(v) or c.field in bad:
            continue
        try:
            shown = cells.amount_fen(v, units[c.field], c.header)
        except InputError as exc:
            result.errors.append(CellError(sheet, excel_row, c.header, exc.message))
            continue
        read = sums[c.field]
        if shown != read:
            u = units[c.field]
            result.errors.append(CellError(
                sheet, excel_row, c.header,
                f"{what}与明细之和不符：表中为 {_fmt(shown or 0, u)}，逐行相加为 {_fmt(read, u)}"))


def _fmt(fen: int, unit: str) -> str:
    if unit == "万元":
        return f"{fen_to_wan(fen, 6).normalize():f} 万元"
    return f"{fen / 100:,.2f} 元"


def _memo(fn: Callable[[object], object]) -> Callable[[object], tuple[object, str | None]]:
    """fn(value) → (result, None) or (None, message of its InputError), cached per distinct cell value.
    For the columns that repeat a few values (department, year, category, nature, period, 是/否)."""
    cache: dict[tuple[type, object], tuple[object, str | None]] = {}

    def call(value: object) -> tuple[object, str | None]:
        k = (value.__class__, value)
        hit = cache.get(k)
        if hit is None:
            try:
                hit = (fn(value), None)
            except InputError as exc:
                hit = (None, exc.message)
            cache[k] = hit
        return hit

    return call


def _amount_reader(unit: str, what: str, blank_is_zero: bool) -> Callable[[object], int | None]:
    """cells.amount_fen for one column, with fast paths for what readers mostly return (floats, ints, blanks).

    A float whose product with the unit is an exact integer below 10**15 fen is that integer: the decimal the
    sheet shows (15 significant digits) times the unit gives the same integer (the product is within 2**-53 of
    it, far inside half a unit of the 15th digit). Anything else goes the exact Decimal way.
    """
    factor = FEN_PER_WAN if unit == "万元" else FEN_PER_YUAN
    blank = 0 if blank_is_zero else None

    def read(value: object) -> int | None:
        t = value.__class__
        if t is float:
            x = float(value) * factor  # type: ignore[arg-type]
            if x.is_integer() and -1e15 < x < 1e15:
                return int(x)
        elif t is int:
            return value * factor  # type: ignore[operator]
        elif value is None or value == "":
            return blank
        return cells.amount_fen(value, unit, what, blank_is_zero=blank_is_zero)

    return read


def _category(value: object) -> str:
    found = _choice(value, CATEGORY_SYNONYMS)
    if found is None:
        shown = cells.text(value)
        raise InputError(f"项目类别“{shown}”不在第三条所列类别中：{'、'.join(CATEGORIES)}" if shown else "项目类别为空")
    return found


def _nature(value: object) -> str:
    found = _choice(value, NATURE_SYNONYMS)
    if found is None:
        shown = cells.text(value)
        raise InputError(f"建设性质“{shown}”应为：{'、'.join(NATURES)}" if shown else "建设性质为空")
    return found


def _period(value: object) -> int | None:
    period = cells.whole_number(value, "建设周期")
    if period is not None and not (0 < period <= 120):
        raise InputError("建设周期应为1—120个月")
    return period


class _RowParser:
    """One project row → SummaryRow, with the columns, units and converters worked out once per sheet."""

    OPTIONAL_TEXT = (("code", "code"), ("person", "responsible_person"), ("phone", "responsible_phone"))
    FREE_TEXT = (("content", "content"), ("note", "note"))  # kept as written: see cells.free_text

    def __init__(self, sheet: str, cols: dict[str, Column], units: dict[str, str], layout: Layout,
                 sheet_year: int | None, uncached: set) -> None:
        self.sheet, self.cols, self.units = sheet, cols, units
        self.sheet_year, self.preamble_department = sheet_year, layout.preamble_department or ""
        self.header = {f: c.header for f, c in cols.items()}
        self.width = max(c.index for c in cols.values()) + 1  # shorter rows are padded with blanks
        i = {f: c.index for f, c in cols.items()}
        self.i_name, self.i_category, self.i_nature = i["name"], i["category"], i["nature"]  # checked present
        self.i_department, self.i_year = i.get("department"), i.get("year")
        self.i_period, self.i_cobuilt = i.get("period"), i.get("cobuilt")
        self.texts = [(attr, i[f], cells.text) for f, attr in self.OPTIONAL_TEXT if f in i] + [
            (attr, i[f], cells.free_text) for f, attr in self.FREE_TEXT if f in i]
        self.department = _memo(cells.text)
        self.year = _memo(cells.year)
        self.category = _memo(_category)
        self.nature = _memo(_nature)
        self.period = _memo(_period)
        self.cobuilt = _memo(lambda v: bool(cells.boolean(v, "市县协同建设")))
        # (field, column index, reader, rows of the column's formulas saved without a value)
        self.amounts = [(f, i[f], _amount_reader(units[f], FIELD_LABELS[f], f != "total"),
                         {r for r, c in uncached if c == i[f]}) for f in AMOUNT_FIELDS if f in cols]
        self.absent = {f: 0 for f in AMOUNT_FIELDS if f not in cols}

    def parse(self, excel_row: int, row: list, errors: list[CellError], fen: dict[str, int]) -> SummaryRow | None:
        """`fen` receives each amount that could be read, even when the row has other errors."""
        before = len(errors)
        if len(row) < self.width:
            row = [*row, *[""] * (self.width - len(row))]

        def err(fld: str, message: str) -> None:
            errors.append(CellError(self.sheet, excel_row, self.header.get(fld) or FIELD_LABELS.get(fld), message))

        text = cells.text
        name = text(row[self.i_name])
        if not name:
            err("name", "项目名称为空")
        i = self.i_department
        department = (self.department(row[i])[0] if i is not None else "") or self.preamble_department
        if not department:
            err("department", "实施单位为空")
        yr, message = self.year(row[self.i_year]) if self.i_year is not None else (None, None)
        if message:
            err("year", message)
        yr = yr or self.sheet_year
        if yr is None and self.i_year is not None:
            err("year", "年度为空")
        category, message = self.category(row[self.i_category])
        if message:
            err("category", message)
        nature, message = self.nature(row[self.i_nature])
        if message:
            err("nature", message)
        fen.update(self.absent)
        for f, i, read, uncached in self.amounts:
            if excel_row - 1 in uncached:
                err(f, f"单元格 {self.cols[f].letter}{excel_row} 是公式但文件中没有保存计算结果，请在 Excel/WPS 中打开并保存后再导入")
                continue
            v = row[i]
            try:
                amount = read(v)
            except InputError as exc:
                err(f, exc.message)
                continue
            if amount is None:
                err(f, "总投资为空")
                continue
            fen[f] = amount
            if amount < 0:
                err(f, f"{FIELD_LABELS[f]}不能为负数：{text(v)}")
        complete = len(fen) == len(AMOUNT_FIELDS)
        total = fen.get("total", 0)
        if complete and min(fen.values()) >= 0:
            sources = fen["county"] + fen["upper"] + fen["other"]
            if sources != total:
                u = self.units["total"]
                err("total", f"资金来源合计 {_fmt(sources, u)} 与总投资 {_fmt(total, u)} 不一致（应精确到分）")
            if fen["year_request"] > total:
                err("year_request", "本年申请资金不能超过总投资")
        period, message = self.period(row[self.i_period]) if self.i_period is not None else (None, None)
        if message:
            err("period", message)
        cobuilt, message = self.cobuilt(row[self.i_cobuilt]) if self.i_cobuilt is not None else (False, None)
        if message:
            err("cobuilt", message)
        cobuilt = bool(cobuilt)
        if complete:
            split = fen["city_share"] + fen["county_share"]
            if cobuilt and split != total:
                u = self.units["total"]
                err("cobuilt", "市县协同建设项目的市级、县级承担资金之和应等于总投资（第十二条）："
                               f"现为 {_fmt(split, u)}，总投资 {_fmt(total, u)}")
            elif not cobuilt and fen["city_share"]:
                err("city_share", "非市县协同建设项目不应填写市级承担资金")
        if len(errors) > before:
            return None
        return SummaryRow(
            row=excel_row, name=name, department=department, year=yr, category=category, nature=nature,  # type: ignore[arg-type]
            total_fen=total, county_fen=fen["county"], upper_fen=fen["upper"], other_fen=fen["other"],
            year_request_fen=fen["year_request"], period_months=period, cobuilt=cobuilt,  # type: ignore[arg-type]
            city_share_fen=fen["city_share"], county_share_fen=fen["county_share"],
            **{attr: convert(row[i]) or None for attr, i, convert in self.texts})


def _choice(value: object, table: dict[str, str]) -> str | None:
    k = cells.key(value)
    if not k:
        return None
    if k in table:
        return table[k]
    k2 = k.removesuffix("类").removesuffix("项目")
    return table.get(k2)

"""The project summary sheet reader (预算申报汇总表): one row per project, amounts in fen, or every error named.

The reading is shown before anything is written (the dry run, the import wizard): which sheet and why, the header
rows, each column's field and unit and where the unit was found, the rows read and the rows skipped and why
(栏次, 合计 / 小计, group rows, example rows, notes, hidden rows), the columns that hold numbers but map to no field,
and the totals. A figure is stored only when the sheet says it plainly; anything else is an error naming the sheet,
the row and the column.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TypeVar

from app.domain.fields import field as field_of
from app.domain.fields import label
from app.domain.inputs import TEXT_MAX, clean_text
from app.domain.money import fen_to_wan
from app.domain.vocabulary import CATEGORIES, NATURES
from app.errors import InputError, UnreadableError
from app.excel import cells
from app.excel.layout import (
    HEADER_SCAN_ROWS,
    Column,
    Layout,
    build_synonyms,
    clean_header,
    is_column_number_row,
    locate,
    unit_in,
)
from app.excel.sniff import col_index, col_letter, sniff, uncached_formulas
from app.excel.workbook import Book, Sheet, read_book

_V = TypeVar("_V")

SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号序号", "编号", "序"),
    "code": ("项目编号", "项目代码", "项目编码"),
    "name": ("项目名称", "名称", "项目", "建设项目名称", "项目名", "项目全称"),
    "department": ("实施单位", "申报单位", "项目单位", "单位名称", "项目实施单位", "责任单位", "填报单位", "主管部门",
                   "单位", "部门", "实施部门", "申报部门"),
    "year": ("年度", "年份", "申报年度", "项目年度", "计划年度", "建设年度"),
    "category": ("项目类别", "类别", "项目类型", "建设类别", "类型", "项目分类"),
    "nature": ("建设性质", "性质", "项目性质"),
    "status": ("状态", "项目状态"),
    "total": ("总投资", "项目总投资", "总投资额", "投资总额", "概算总投资", "计划总投资", "总金额", "总投资估算", "估算总投资",
              "项目总金额"),
    # 县级 / 本级 / 上级 (short forms, as under 资金来源 or after 资金来源-): layout.locate reads a short form under a
    # parent header only when the parent is a money group or 总投资 (under 事权划分 a 县级 is not the county's funds)
    "county": ("县级财政资金", "县级财政", "县财政资金", "县财政", "本级财政资金", "本级财政", "县级资金", "县本级财政资金",
               "县级财政预算资金", "县级财政投入", "县本级资金", "县本级", "县级", "本级", "本级资金", "县级配套资金",
               "县级配套", "县财政配套资金"),
    "upper": ("上级补助资金", "上级补助", "上级资金", "上级财政资金", "省市补助资金", "上级专项资金", "上级", "上级财政",
              "中央和省市资金", "中省市资金"),
    "other": ("其他资金", "其他", "自筹资金", "单位自筹", "社会资金", "其他来源", "自筹", "其他来源资金"),
    # a year in the header ("2027年申请资金", "申请2027年预算资金") is taken out before matching and must be the
    # sheet's year (a "2026年申请资金" column is not this year's request)
    "year_request": ("本年申请资金", "本年申请", "本年度申请资金", "本年度申请", "年度申请资金", "本年申请金额",
                     "本年度申请金额", "本年预算", "本年度预算", "申请金额", "申请资金", "本年度预算申请", "本年资金需求",
                     "申请预算", "申请预算资金", "预算申请", "拟安排资金", "本年拟安排资金", "本年度拟安排资金",
                     "申请年度预算", "年度预算申请", "预算资金需求"),
    "period": ("建设周期", "建设期", "建设工期", "工期", "周期", "建设周期月", "实施周期", "建设期限", "实施期限"),
    "content": ("建设内容", "主要建设内容", "项目内容", "建设内容及规模", "项目主要内容", "项目简介"),
    "person": ("项目责任人", "责任人", "负责人", "项目负责人", "联系人"),
    "phone": ("联系电话", "电话", "责任人电话", "联系方式"),
    "cobuilt": ("市县协同建设", "市县协同", "是否市县协同建设", "是否市县协同"),
    "city_share": ("市级承担", "市级承担资金", "市级承担金额", "市级承担建设资金"),
    "county_share": ("县级承担", "县级承担资金", "县级承担金额", "县级承担建设资金"),
    "note": ("备注", "说明"),
}
SYNONYMS = build_synonyms(SUMMARY_FIELDS)
AMOUNT_FIELDS = ("total", "county", "upper", "other", "year_request", "city_share", "county_share")
SOURCES = ("county", "upper", "other")
REQUIRED = ("name", "total", "category", "nature")
# the sheet's field names → the project's fields (app.domain.fields)
FIELD_ATTRS = {"code": "code", "name": "name", "department": "department", "year": "year", "category": "category",
               "nature": "nature", "status": "status", "total": "total_fen", "county": "county_fen",
               "upper": "upper_fen", "other": "other_fen", "year_request": "year_request_fen",
               "period": "period_months", "content": "content", "person": "responsible_person",
               "phone": "responsible_phone", "cobuilt": "cobuilt", "city_share": "city_share_fen",
               "county_share": "county_share_fen", "note": "note"}
FIELD_LABELS = {k: label(v) for k, v in FIELD_ATTRS.items()} | {"seq": "序号"}
UNIT_SOURCES = {"cell": "单元格", "header": "表头", "parent": "上级表头", "sheet": "表格说明", "default": "未注明，按万元",
                "chosen": "导入时指定"}
SKIP_REASONS = {"column-numbers": "栏次行", "total": "合计行", "subtotal": "小计行", "group": "分组行", "example": "示例行",
                "note": "说明行", "hidden": "隐藏行"}
# a 万元 or 千元 figure of ten hundred-million 元 or more is a figure typed in 元 (no county project costs that)
PLAUSIBLE_MAX_FEN = 10**11
PLAUSIBLE_TOTAL_MIN_FEN = 1000 * 100  # a 总投资 under 1,000 元 in a 元 column is one typed in 万元

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
_GROUP_NUMBER = re.compile(r"^\d{1,2}[.．、]$")  # "1." "2、": a group when the row has no category or nature
_TOTAL = re.compile(r"^(?:合计|总计|总合计|全县合计|共计)$|^(?:合计|总计)[:：(（]")
_SUBTOTAL = re.compile(r"^(?:小计|其中小计|分类小计)|小计$")
_NOTE = re.compile(r"^(?:注|说明|备注|填报人|填表人|制表人?|审核人?|负责人|单位负责人|联系人|联系电话|填报日期|填表日期|"
                   r"日期|单位[(（]?盖章|盖章|签字|主要负责人|分管领导|经办人)")  # the estimate reader's
_NOTE_LINE = re.compile(r"^(?:注|说明|备注)\s*[:：0-9一1、.]|^(?:填报人|填表人|制表人?|审核人?|负责人|单位负责人|联系人|"
                        r"联系电话|填报日期|填表日期|日期|主要负责人|分管领导|经办人|汇总单位|汇总日期|报送日期|审核日期)"
                        r"\s*[:：]|^(?:单位)?[(（]?盖章|^签字")
_LABEL_COLON = re.compile(r"^[\u4e00-\u9fff]{1,8}[:：]")  # 镇长：李军 · 经办人：宋佳
_EXAMPLE_SEQ = re.compile(r"^(?:例|示例|样例|范例|举例|例子|填写示例|填表示例)\d*[:：.]?$")
_PLACEHOLDER = re.compile(r"[Xx×]{2,}|某某")
_YEAR_TOKEN = re.compile(r"((?:19|20)\d\d)年度?")
_SHEET_YEAR = re.compile(r"((?:19|20)\d\d)")
_UNIT_NOTE = re.compile(r"(?:金额)?单位\s*(?:[:：]|为|是)\s*(万元|千元|元)")


@dataclass(frozen=True, slots=True)
class CellError:
    sheet: str | None
    row: int | None  # Excel row number (1-based)
    column: str | None  # the column's header as the sheet shows it
    message: str
    letter: str | None = None  # the column's letter
    kind: str | None = None  # e.g. unit-contradiction, sum-mismatch, missing-required-column, ambiguous-sheet

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "letter": self.letter,
                "kind": self.kind, "message": self.message}


@dataclass(frozen=True, slots=True)
class SkippedRow:
    row: int
    reason: str  # 分组行 小计行 合计行 说明行 栏次行 示例行 隐藏行
    kind: str = "note"  # group subtotal total note column-numbers example hidden

    def as_dict(self) -> dict:
        return {"row": self.row, "kind": self.kind, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning of the reading, shown with it (and with the import's result)."""

    message: str
    row: int | None = None
    kind: str | None = None  # hidden-row cobuilt-split-missing unrecognised-column default-unit

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "kind": self.kind, "message": self.message}


@dataclass(slots=True)
class SummaryRow:
    """A project row as read (not frozen: a frozen dataclass's __init__ sets each of its 21 fields through
    object.__setattr__, 2 µs a row; nothing changes a row once read)."""

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
    split_pending: bool = False  # co-built on a sheet without the split columns: to be entered (第十二条)


@dataclass(frozen=True)
class ColumnInfo:
    field: str
    letter: str
    header: str
    unit: str | None  # None for columns without amounts
    unit_from: str | None = None  # key of UNIT_SOURCES

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)

    @property
    def unit_source(self) -> str:
        return UNIT_SOURCES.get(self.unit_from or "", "")

    def as_dict(self) -> dict:
        return {"letter": self.letter, "header": self.header, "field": FIELD_ATTRS.get(self.field, self.field),
                "label": self.label, "unit": self.unit,
                "unit_from": UNIT_SOURCES.get(self.unit_from or "", None)}


@dataclass(frozen=True)
class UnrecognisedColumn:
    letter: str
    header: str
    numeric: bool  # holds numbers in project rows (reported as 未识别的列)

    def as_dict(self) -> dict:
        return {"letter": self.letter, "header": self.header, "numeric": self.numeric}


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
    warnings: list[Notice] = field(default_factory=list)
    unrecognised: list[UnrecognisedColumn] = field(default_factory=list)
    departments_seen: list[tuple[int, str]] = field(default_factory=list)  # (row, as written) of every project row
    year: int | None = None  # the year the rows were read for
    sheet_year: int | None = None  # the year the sheet states (title, name, headers)
    candidates: list[str] = field(default_factory=list)  # the sheets that could be meant, when ambiguous
    labels: list[str] = field(default_factory=list)  # header text per column (index 0 = A)
    preview: list[list] = field(default_factory=list)  # the sheet's first rows as read (for the wizard)
    table_rows: int = 0  # rows below the header that look like projects, counted up to 3 (choosing the sheet)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def department_column(self) -> str | None:
        return next((c.header for c in self.columns if c.field == "department"), None)

    def totals_fen(self) -> dict[str, int]:
        return {f"{k}_fen": sum(map(attrgetter(f"{k}_fen"), self.rows)) for k in AMOUNT_FIELDS}


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


def match_header(text: str) -> str | None:
    """A header's field: exact wording after folding (units in brackets, a year, a leading 其中： taken out)."""
    c = clean_header(text)
    if not c:
        return None
    if c in SYNONYMS:
        return SYNONYMS[c]
    c = _YEAR_TOKEN.sub("", c)
    for prefix in _HEADER_PREFIXES:  # 其中：县级财政, 资金来源-上级, 资金来源：其他
        if c.startswith(prefix) and len(c) > len(prefix):
            c = c.removeprefix(prefix).lstrip("-—–_:：/、")
            break
    if c in SYNONYMS:
        return SYNONYMS[c]
    if c.startswith("项目") and c[2:] in SYNONYMS:  # 项目建设周期, 项目建设性质, 项目责任人
        return SYNONYMS[c[2:]]
    return None


# what clerks put before a field's own wording in one header cell (longest first)
_HEADER_PREFIXES = ("资金来源构成", "资金来源", "资金构成", "资金筹措", "其中")


def header_year(text: str) -> int | None:
    m = _YEAR_TOKEN.search(cells.key(text))
    return int(m.group(1)) if m else None


PREVIEW_ROWS = 500


def read_summary(source: str | os.PathLike[str] | Book, sheet: str | None = None,
                 mapping_override: dict[str, str] | None = None, year: int | None = None,
                 unit_override: str | None = None,
                 cancelled: Callable[[], bool] | None = None) -> SummaryReadResult:
    """Read a project summary sheet. Raises UnreadableError for files that are not a readable workbook;
    everything else (no table found, bad cells, totals that disagree, two sheets that could be meant) is listed
    in `result.errors`.

    source: a path, or a Book already read (the wizard reads the file once and interprets it again).
    sheet: the sheet to read (default: chosen by content and by the year).
    mapping_override: field → column letter ('name': 'B'; '' for none), applied over the detected mapping.
    year: the year being imported: the sheet must be of that year (title, name, headers), and it is the rows' year
        when the sheet has no 年度 column.
    unit_override: '元', '千元' or '万元' for every amount column.
    """
    with gc_paused():
        book = source if isinstance(source, Book) else read_book(sniff(source))
        return _read(book, sheet, mapping_override, year, unit_override, cancelled)


def _read(book: Book, sheet: str | None, override: dict[str, str] | None, year: int | None,
          unit_override: str | None, cancelled: Callable[[], bool] | None) -> SummaryReadResult:
    names = [n for n, _ in book.names]
    if sheet is not None:
        match = [n for n in names if n == sheet or cells.key(n) == cells.key(sheet)]
        if not match:
            raise UnreadableError(f"工作簿中没有名为“{sheet}”的工作表（现有：{'、'.join(names)}）")
        return _interpret(book, book.sheet(match[0]), year, override, unit_override, cancelled, chosen=True)
    results = []
    for name, hidden in book.names:
        if hidden:
            continue  # drop-down lists, superseded copies: never chosen unless named
        results.append(_interpret(book, book.sheet(name), year, override, unit_override, cancelled))
    if not results:
        raise UnreadableError(f"文件“{book.sniffed.path.name}”中没有可见的工作表")
    tables = [r for r in results if r.table_rows]
    if not tables:
        with_layout = [r for r in results if r.labels]
        return with_layout[0] if with_layout else results[0]
    pool = tables
    if year is not None:
        same = [r for r in tables if r.sheet_year == year]
        unknown = [r for r in tables if r.sheet_year is None]
        pool = same or unknown
        if not pool:
            other = "、".join(f"“{r.sheet}”（{r.sheet_year}年）" for r in tables)
            first = tables[0]
            out = SummaryReadResult(book.path, book.fmt, None, names, year=year, candidates=[r.sheet or "" for r in tables])
            out.errors.append(CellError(None, None, None, f"工作簿中没有{year}年度的项目表：{other}。请确认导入的年度，"
                                        "或用 --sheet 指定工作表", kind="wrong-year"))
            out.labels, out.preview = first.labels, first.preview
            return out
    if len(pool) > 1:
        listed = "、".join(f"“{r.sheet}”" for r in pool)
        out = SummaryReadResult(book.path, book.fmt, None, names, year=year, candidates=[r.sheet or "" for r in pool])
        out.errors.append(CellError(None, None, None, f"工作簿中有 {len(pool)} 张工作表都像是{f'{year}年度的' if year else ''}"
                                    f"项目表：{listed}，无法确定导入哪一张。请用 --sheet 指定（在窗口中选择工作表）",
                                    kind="ambiguous-sheet"))
        out.labels, out.preview = pool[0].labels, pool[0].preview
        return out
    return pool[0]


def _sheet_year(sheet_name: str, layout: Layout, request_years: set[int]) -> int | None:
    if layout.preamble_year:
        return layout.preamble_year
    m = _SHEET_YEAR.search(cells.key(sheet_name))
    if m:
        return int(m.group(1))
    return next(iter(request_years)) if len(request_years) == 1 else None


def _interpret(book: Book, sh: Sheet, year: int | None, override: dict[str, str] | None,
               unit_override: str | None, cancelled: Callable[[], bool] | None,
               chosen: bool = False) -> SummaryReadResult:
    name = sh.name
    result = SummaryReadResult(book.path, book.fmt, name, [n for n, _ in book.names], year=year)
    result.preview = sh.top(PREVIEW_ROWS)
    layout = locate(sh.top(HEADER_SCAN_ROWS + 1), SYNONYMS, sh.merged, match=match_header)
    if layout is None:
        result.errors.append(CellError(name, None, None,
                                       "未找到可识别的项目表：表头中应有“项目名称”“实施单位”“总投资”等列"))
        return result
    result.labels = list(layout.labels)
    if override:
        _apply_override(layout, override)
    result.header_rows = [r + 1 for r in layout.header_rows]
    head_row = result.header_rows[0]
    request_years: set[int] = set()
    for col in [layout.columns.get("year_request")] + [b for f, _a, b in layout.duplicates if f == "year_request"]:
        y = header_year(col.header) if col is not None else None
        if y is not None:
            request_years.add(y)
    result.sheet_year = _sheet_year(name, layout, request_years)
    sheet_year = year or result.sheet_year
    result.year = sheet_year
    _resolve_year_columns(layout, sheet_year)
    result.table_rows = _count_table_rows(sh, layout)
    errors = result.errors
    if year is not None and result.sheet_year is not None and result.sheet_year != year and chosen:
        errors.append(CellError(name, None, None, f"工作表“{name}”是{result.sheet_year}年度的，导入的是{year}年度",
                                kind="wrong-year"))
    cols = layout.columns
    for fld, a, b in layout.duplicates:
        errors.append(CellError(name, layout.header_rows[-1] + 1, b.header,
                                f"“{FIELD_LABELS.get(fld, a.header)}”出现在两列（{a.letter} 列“{a.header}”和 {b.letter} 列"
                                f"“{b.header}”），请删除多余的一列或在导入时指定", letter=b.letter, kind="duplicate-column"))
    if "department" not in cols and not layout.preamble_department:
        errors.append(CellError(name, head_row, None, "未找到“实施单位”列，表头上方也没有“填报单位：…”",
                                kind="missing-required-column"))
    for fld in REQUIRED:
        if fld not in cols:
            errors.append(CellError(name, head_row, None, f"未找到“{FIELD_LABELS[fld]}”列（表头在第 {head_row} 行）",
                                    kind="missing-required-column"))
    if "year_request" not in cols:
        dated = [t for t in layout.labels if header_year(t) and sheet_year and header_year(t) != sheet_year]
        result.warnings.append(Notice(
            "表中没有“本年申请资金”列（如“2027年申请资金”“本年申请”）" + (
                f"，带年份的列（{'、'.join(dated)}）不是{sheet_year}年度的" if dated else "") +
            "：本年申请资金未导入（新项目记为 0，已有项目不变）；如有这一列，请在导入向导中指定", kind="missing-column"))
    if not any(f in cols for f in SOURCES):
        errors.append(CellError(name, head_row, None, "未找到资金来源列（县级财政资金、上级补助资金、其他资金）",
                                kind="missing-required-column"))
    if "year" not in cols and sheet_year is None:
        errors.append(CellError(name, head_row, None, "未找到“年度”列，标题中也没有年份（如“2027年度…”）：请指定导入的年度",
                                kind="missing-year"))
    if errors:  # what was found is still shown (the wizard's mapping), without reading the rows
        result.columns = [ColumnInfo(c.field, c.letter, c.header, *_column_unit(c)) if c.field in AMOUNT_FIELDS else
                          ColumnInfo(c.field, c.letter, c.header, None) for c in sorted(cols.values(),
                                                                                         key=lambda c: c.index)]
        return result
    _read_rows(book, sh, layout, result, sheet_year, year, unit_override, cancelled)
    return result


def _resolve_year_columns(layout: Layout, sheet_year: int | None) -> None:
    """A request column headed with another year ("2026年已安排资金", "2026年申请资金") is not this year's request."""
    cols = layout.columns
    candidates = [c for f, c in cols.items() if f == "year_request"] + [
        b for f, _a, b in layout.duplicates if f == "year_request"]
    if not candidates:
        return
    def fits(c: Column) -> bool:
        y = header_year(c.header)
        return y is None or sheet_year is None or y == sheet_year
    good = [c for c in candidates if fits(c)]
    layout.duplicates = [d for d in layout.duplicates if d[0] != "year_request"]
    cols.pop("year_request", None)
    if good:
        dated = [c for c in good if header_year(c.header)]
        keep = (dated or good)[0]
        cols["year_request"] = keep
        for other in good:
            if other is not keep and header_year(other.header) == header_year(keep.header):
                layout.duplicates.append(("year_request", keep, other))


def _count_table_rows(sh: Sheet, layout: Layout) -> int:
    """Rows that look like projects (a name, not a sum, group, note or example): is this sheet a project table?"""
    cols = layout.columns
    if "name" not in cols:
        return 0
    i = cols["name"].index
    seq = cols["seq"].index if "seq" in cols else None
    n = 0
    for r, row in enumerate(sh.iter_rows(layout.first_data_row), layout.first_data_row):
        v = row[i] if i < len(row) else None
        if cells.is_blank(v) or r in sh.hidden_rows:
            continue
        k = cells.key(v)
        s = cells.key(row[seq]) if seq is not None and seq < len(row) else ""
        if (_TOTAL.search(k) or _TOTAL.search(s) or _SUBTOTAL.search(k) or _SUBTOTAL.search(s) or _GROUP.search(k)
                or _PLACEHOLDER.search(k) or _EXAMPLE_SEQ.match(s) or _NOTE_LINE.search(k)):
            continue
        n += 1
        if n >= 3:
            break  # enough to know the sheet is a table of projects
    return n


def _apply_override(layout: Layout, override: dict[str, str]) -> None:
    for fld, letter in override.items():
        if fld not in SUMMARY_FIELDS:
            raise InputError(f"未知的字段：{fld}")
        letter = (letter or "").upper()
        for other in [f for f, c in layout.columns.items() if c.letter == letter and letter]:
            del layout.columns[other]
        if not letter:
            layout.columns.pop(fld, None)
            continue
        idx = col_index(letter)
        text = layout.labels[idx] if idx < len(layout.labels) else letter
        parts = text.split("/")
        unit = unit_in(parts[-1]) or (unit_in(parts[-2]) if len(parts) > 1 else None)
        layout.columns[fld] = Column(fld, idx, text or letter, unit)
    layout.duplicates = [d for d in layout.duplicates if d[0] not in override]


def _column_unit(col: Column) -> tuple[str | None, str | None]:
    parts = col.header.split("/")
    if unit_in(parts[-1]):
        return unit_in(parts[-1]), "header"
    if len(parts) > 1 and unit_in(parts[-2]):
        return unit_in(parts[-2]), "parent"
    return (col.unit, "header") if col.unit else (None, None)


def _scan_body(sh: Sheet, layout: Layout) -> tuple[list[tuple[int, str]], dict[tuple[int, int], object]]:
    """One walk over the rows under the header, before they are read: the units stated in notes under or beside the
    table ("注：1.金额单位：万元；…", rows with no number in them), and the top cell of each range merged down."""
    first = layout.first_data_row
    tops: dict[tuple[int, int], object] = {}
    top_columns: dict[int, list[int]] = {}  # row → columns of the top cells in it
    for (r0, c0), (r1, _c1) in sh.merged:
        if r1 > r0 and first <= r0 < sh.n_rows and (r0, c0) not in tops:
            tops[r0, c0] = None
            top_columns.setdefault(r0, []).append(c0)
    units: list[tuple[int, str]] = []
    for r, row in enumerate(sh.iter_rows(first), first):
        if r in top_columns:
            for c0 in top_columns[r]:
                tops[r, c0] = row[c0] if c0 < len(row) else None
        for v in row:
            t = v.__class__
            if t is float or t is int or (t is not str and t is not bool and isinstance(v, (int, float))):
                break  # a row with a number in it is no note (most rows: looked at first)
        else:
            _scan_note(r, row, units)
    return units, tops


def _scan_note(r: int, row: list, units: list[tuple[int, str]]) -> None:
    """The money units the cells of a row without numbers state ("注：1.金额单位：万元；…")."""
    for v in row:
        if not isinstance(v, str) or not v.strip():
            continue
        m = _UNIT_NOTE.search(cells.key(v))
        if m:
            units.append((r + 1, m.group(1)))


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, str) and value.strip():
        try:
            cells.amount_unit(value, "元")
        except InputError:
            return False
        return cells.key(value) not in cells.ZERO_MARKS
    return False


Fills = dict[int, list[tuple[int, int, object]]]  # row → (first column, last column, value) to fill where blank


def _body_merges(sh: Sheet, layout: Layout, money: set[int], tops: dict[tuple[int, int], object],
                 result: SummaryReadResult) -> Fills:
    """A value merged down over several rows belongs to each of them (实施单位 over three projects); a merged amount
    cannot be split between projects and is an error. Returns what to fill in the rows below each top cell."""
    fills: Fills = {}
    for (r0, c0), (r1, c1) in sh.merged:
        if (r0, c0) not in tops:
            continue
        value = tops[r0, c0]
        if cells.is_blank(value):
            continue
        if any(c in money for c in range(c0, c1 + 1)):
            result.errors.append(CellError(sh.name, r0 + 1, layout.labels[c0] if c0 < len(layout.labels) else None,
                                           f"金额单元格 {col_letter(c0)}{r0 + 1}:{col_letter(c1)}{r1 + 1} 合并了多行，无法确定"
                                           "每个项目的金额：请拆分单元格，逐行填写", letter=col_letter(c0),
                                           kind="merged-amount"))
            continue
        for r in range(r0 + 1, min(r1, sh.n_rows - 1) + 1):
            fills.setdefault(r, []).append((c0, c1, value))
    return fills


def _filled(rows: Iterator[list], first: int, fills: Fills) -> Iterator[list]:
    """The rows with the merged values filled in (a copy of each row that gets one: the sheet's rows stay as read)."""
    return _fill(rows, first, fills) if fills else rows


def _fill(rows: Iterator[list], first: int, fills: Fills) -> Iterator[list]:
    is_blank = cells.is_blank
    for r, row in enumerate(rows, first):
        fill = fills.get(r)
        if fill is not None:
            row = list(row)
            for c0, c1, value in fill:
                if len(row) <= c1:
                    row.extend([""] * (c1 + 1 - len(row)))
                for c in range(c0, c1 + 1):
                    if is_blank(row[c]):
                        row[c] = value
        yield row


def _read_rows(book: Book, sh: Sheet, layout: Layout, result: SummaryReadResult, sheet_year: int | None,
               asked_year: int | None, unit_override: str | None, cancelled: Callable[[], bool] | None) -> None:
    errors = result.errors
    name = sh.name
    cols = layout.columns
    # units: the cell's own, else the column's header or its parent's, else the sheet's note, else 万元
    notes_below, merge_tops = _scan_body(sh, layout)
    sheet_unit = layout.sheet_unit
    for r, u in notes_below:
        if sheet_unit is None:
            sheet_unit = u
        elif u != sheet_unit:
            errors.append(CellError(name, r, None, f"说明中的金额单位“{u}”与表头上方注明的“{sheet_unit}”不一致，无法确定"
                                    "金额单位", kind="unit-conflict"))
    units: dict[str, str] = {}
    unit_from: dict[str, str] = {}
    defaulted: list[str] = []
    for f in AMOUNT_FIELDS:
        if f not in cols:
            continue
        if unit_override:
            units[f], unit_from[f] = unit_override, "chosen"
            continue
        col_unit, where = _column_unit(cols[f])
        if col_unit is not None:
            units[f], unit_from[f] = col_unit, where or "header"
        elif sheet_unit:
            units[f], unit_from[f] = sheet_unit, "sheet"
        else:
            units[f], unit_from[f] = "万元", "default"
            defaulted.append(cols[f].header)
    if defaulted:
        which = "" if len(defaulted) == len(units) else f"（{'、'.join(defaulted)}）"
        result.warnings.append(Notice(f"表中未注明金额单位{which}，按“万元”读取", kind="default-unit"))
    result.columns = [ColumnInfo(c.field, c.letter, c.header, units.get(c.field), unit_from.get(c.field))
                      for c in sorted(cols.values(), key=lambda c: c.index)]
    mapped = {c.index for c in cols.values()}
    sum_columns = {c for c, text in enumerate(layout.labels)
                   if "/" in text and clean_header(text.split("/")[-1]) in ("小计", "合计") and c not in mapped}
    unmapped = [c for c, text in enumerate(layout.labels) if text and c not in mapped and c not in sum_columns]
    numeric_unmapped: set[int] = set()
    money_idx = {cols[f].index for f in AMOUNT_FIELDS if f in cols}
    fills = _body_merges(sh, layout, money_idx, merge_tops, result)
    uncached = uncached_formulas(book.sniffed, sh.name)
    amount_cols = [cols[f] for f in AMOUNT_FIELDS if f in cols]
    amount_idx = [c.index for c in amount_cols]
    name_idx = cols["name"].index
    seq_idx = cols["seq"].index if "seq" in cols else None
    class_idx = [cols[f].index for f in ("category", "nature", "department") if f in cols]
    dept_idx = cols["department"].index if "department" in cols else None
    group_sum: dict[str, int] = dict.fromkeys(AMOUNT_FIELDS, 0)
    all_sum: dict[str, int] = dict.fromkeys(AMOUNT_FIELDS, 0)
    bad_group: set[str] = set()
    bad_all: set[str] = set()
    group_start = None  # (row, cells) of a group row with its own figures
    totals: list[tuple[int, list]] = []  # 合计 rows, checked against every project row at the end
    seen: dict[tuple, int] = {}
    projects_seen = 0
    after_total = False
    parser = _RowParser(name, cols, units, layout, sheet_year, asked_year, uncached)
    key, is_blank = cells.key, cells.is_blank
    # an example's department ("沁水县XX局"): looked at once per distinct 实施单位
    placeholder_department = _cached(lambda v: _PLACEHOLDER.search(key(v)) is not None)
    present_amounts = [f for f in AMOUNT_FIELDS if f in cols]  # the others are 0 in every row: nothing to add
    hidden_rows = sh.hidden_rows
    skipped = result.skipped

    def skip(excel_row: int, kind: str) -> None:
        skipped.append(SkippedRow(excel_row, SKIP_REASONS[kind], kind))

    first_row = layout.first_data_row
    for r, row in enumerate(_filled(sh.iter_rows(first_row), first_row, fills), first_row):
        if cancelled is not None and r % 1000 == 0 and cancelled():
            errors.append(CellError(name, None, None, "已取消", kind="cancelled"))
            return
        width = len(row)
        excel_row = r + 1
        for first in row:
            if not is_blank(first):
                break
        else:
            continue  # a blank row
        if r in hidden_rows:
            skip(excel_row, "hidden")
            shown = cells.text(row[name_idx]) if name_idx < width else ""
            result.warnings.append(Notice(f"第 {excel_row} 行是隐藏行{f'（{shown}）' if shown else ''}，未导入；"
                                          "如需导入请取消隐藏后再导入", excel_row, "hidden-row"))
            continue
        if not projects_seen and not totals and is_column_number_row(row):
            skip(excel_row, "column-numbers")
            continue
        name_cell = row[name_idx] if name_idx < width else ""
        name_key = key(name_cell)
        seq_cell = row[seq_idx] if seq_idx is not None and seq_idx < width else ""
        seq_key = str(seq_cell) if seq_cell.__class__ is int else key(seq_cell) if seq_cell != "" else ""
        first_text = seq_key if first is seq_cell else name_key if first is name_cell else key(first)
        label = seq_key + name_key if seq_idx is None or seq_idx != name_idx else name_key
        has_numbers = False
        for i in amount_idx:
            if i < width and _is_number(row[i]):
                has_numbers = True
                break
        if (_TOTAL.search(label) or _TOTAL.search(seq_key) or _TOTAL.search(name_key)
                or (first_text is not seq_key and first_text is not name_key and _TOTAL.search(first_text))):
            totals.append((excel_row, row))
            skip(excel_row, "total")
            after_total = True
            continue
        if _SUBTOTAL.search(seq_key) or _SUBTOTAL.search(name_key):
            if group_start is not None:  # the group row carried figures too: both must agree with the rows
                _check_sums(result, name, group_start[0], "分组小计", group_start[1], amount_cols, units, group_sum,
                            bad_group)
            _check_sums(result, name, excel_row, "小计", row, amount_cols, units, group_sum, bad_group)
            skip(excel_row, "subtotal")
            group_start, group_sum, bad_group = None, dict.fromkeys(AMOUNT_FIELDS, 0), set()
            continue
        if (_EXAMPLE_SEQ.match(seq_key) or _PLACEHOLDER.search(name_key)
                or (dept_idx is not None and dept_idx < width and placeholder_department(row[dept_idx]))):
            skip(excel_row, "example")
            continue
        no_class = True
        for i in class_idx:
            if i < width and not is_blank(row[i]):
                no_class = False
                break
        if no_class and ((_GROUP.search(seq_key) or _GROUP_NUMBER.match(seq_key))
                         or (not seq_key and _GROUP.search(name_key))):
            if group_start is not None:
                _check_sums(result, name, group_start[0], "分组小计", group_start[1], amount_cols, units, group_sum,
                            bad_group)
            group_start = (excel_row, row) if has_numbers else None
            group_sum, bad_group = dict.fromkeys(AMOUNT_FIELDS, 0), set()
            skip(excel_row, "group")
            continue
        if not has_numbers and (_NOTE_LINE.search(first_text) or all(
                isinstance(v, str) and _LABEL_COLON.match(key(v)) for v in row if not is_blank(v))):
            skip(excel_row, "note")
            continue
        if (is_blank(name_cell) and not has_numbers) or (after_total and not has_numbers and no_class):
            skip(excel_row, "note")
            continue
        projects_seen += 1
        for c in unmapped:
            if c < width and c not in numeric_unmapped and _is_number(row[c]):
                numeric_unmapped.add(c)
        fen: dict[str, int] = {}
        parsed = parser.parse(excel_row, row, errors, fen, result)
        for f in present_amounts:
            a = fen.get(f)
            if a is None:  # unreadable: the sums of this column are not checked
                bad_group.add(f)
                bad_all.add(f)
            else:
                group_sum[f] += a
                all_sum[f] += a
        if parsed is None:
            continue
        k = (parsed.year, parsed.department.replace(" ", ""), parsed.name.replace(" ", ""))
        if k in seen:
            errors.append(CellError(name, excel_row, cols["name"].header,
                                    f"与第 {seen[k]} 行重复（同一年度、实施单位和项目名称）", letter=cols["name"].letter,
                                    kind="duplicate-project"))
            continue
        seen[k] = excel_row
        result.rows.append(parsed)
    if group_start is not None:
        _check_sums(result, name, group_start[0], "分组小计", group_start[1], amount_cols, units, group_sum,
                    bad_group)
    for excel_row, row in totals:
        _check_sums(result, name, excel_row, "合计", row, amount_cols, units, all_sum, bad_all)
    for c in unmapped:
        header = _raw_header(sh, layout, c)
        numeric = c in numeric_unmapped
        result.unrecognised.append(UnrecognisedColumn(col_letter(c), header, numeric))
        if numeric:
            result.warnings.append(Notice(f"未识别的列：{col_letter(c)} 列“{header}”含有数字，未对应任何项目信息，未导入"
                                          "（如需导入，请在导入向导中指定这一列对应的项目信息）", kind="unrecognised-column"))
    if not result.rows and not errors and not projects_seen:
        errors.append(CellError(name, None, None, "表中没有项目数据行", kind="no-rows"))


def _raw_header(sh: Sheet, layout: Layout, c: int) -> str:
    """A column's lowest header text as the sheet shows it (line breaks and stray spaces folded, not NFKC)."""
    head = sh.top(layout.header_rows[-1] + 1)
    for r in reversed(layout.header_rows):
        row = head[r]
        v = row[c] if c < len(row) else None
        if isinstance(v, str) and v.strip():
            return " ".join(v.split())
        if v is not None and v != "":
            return cells.text(v)
    return cells.text(layout.labels[c].split("/")[-1])


def _check_sums(result: SummaryReadResult, sheet: str, excel_row: int, what: str, row: list,
                amount_cols: list[Column], units: dict[str, str], sums: dict[str, int], bad: set[str]) -> None:
    """Compare a 小计/合计 row with the amounts read above it (columns with an unreadable cell are skipped)."""
    for c in amount_cols:
        v = row[c.index] if c.index < len(row) else ""
        if cells.is_blank(v) or c.field in bad:
            continue
        if isinstance(v, str) and not _is_number(v) and cells.key(v) not in cells.ZERO_MARKS:
            continue  # a label spilling into the column (合计 merged across), not a figure
        try:
            shown = cells.amount_fen(v, units[c.field], c.header)
        except InputError as exc:
            result.errors.append(CellError(sheet, excel_row, c.header, exc.message, letter=c.letter,
                                           kind="unreadable-amount"))
            continue
        read = sums[c.field]
        if shown != read:
            u = units[c.field]
            result.errors.append(CellError(
                sheet, excel_row, c.header,
                f"{what}与明细之和不符：表中为 {_fmt(shown or 0, u)}，逐行相加为 {_fmt(read, u)}", letter=c.letter,
                kind="sum-mismatch"))


def _fmt(fen: int, unit: str) -> str:
    if unit == "万元":
        return f"{fen_to_wan(fen, 6).normalize():f} 万元"
    if unit == "千元":
        return f"{(fen_to_wan(fen, 6) * 10).normalize():f} 千元"
    return f"{fen / 100:,.2f} 元"


def _memo(fn: Callable[[object], object]) -> Callable[[object], tuple[object, str | None]]:
    """fn(value) → (result, None) or (None, message of its InputError), cached per distinct cell value.
    For the columns that repeat a few values (department, year, category, nature, period, 是/否)."""
    cache: dict[tuple[type, object], tuple[object, str | None]] = {}
    texts: dict[str, tuple[object, str | None]] = {}  # text cells, the usual case, looked up without a tuple

    def call(value: object) -> tuple[object, str | None]:
        is_text = value.__class__ is str
        hit = texts.get(value) if is_text else cache.get(k := (value.__class__, value))  # type: ignore[call-overload]
        if hit is None:
            try:
                hit = (fn(value), None)
            except InputError as exc:
                hit = (None, exc.message)
            if is_text:
                texts[value] = hit  # type: ignore[index]
            else:
                cache[k] = hit
        return hit

    return call


def _cached(fn: Callable[[object], _V]) -> Callable[[object], _V]:
    """fn(value), cached per distinct cell value, for a function that raises nothing (see _memo)."""
    texts: dict[str, _V] = {}
    cache: dict[tuple[type, object], _V] = {}

    def call(value: object) -> _V:
        if value.__class__ is str:
            hit = texts.get(value)
            if hit is None:
                hit = texts[value] = fn(value)
            return hit
        k = (value.__class__, value)
        hit = cache.get(k)
        if hit is None:
            hit = cache[k] = fn(value)
        return hit

    return call


def _amount_reader(unit: str, what: str, blank_is_zero: bool) -> Callable[[object], int | None]:
    """cells.amount_fen for one column (fen only); see _unit_reader."""
    read = _unit_reader(unit, what, blank_is_zero)

    def fen(value: object) -> int | None:
        return read(value)[0]

    return fen


def _unit_reader(unit: str, what: str, blank_is_zero: bool) -> Callable[[object], tuple[int | None, str | None]]:
    """cells.amount_unit for one column, with fast paths for what readers mostly return (floats, ints, blanks).

    A float whose product with the unit is an exact integer below 10**15 fen is that integer: the decimal the
    sheet shows (15 significant digits) times the unit gives the same integer (the product is within 2**-53 of
    it, far inside half a unit of the 15th digit). Anything else goes the exact Decimal way.
    """
    factor = cells.UNIT_FEN[unit]
    blank = (0 if blank_is_zero else None), None

    def read(value: object) -> tuple[int | None, str | None]:
        t = value.__class__
        if t is float:
            x = float(value) * factor  # type: ignore[arg-type]
            if x.is_integer() and -1e15 < x < 1e15:
                return int(x), None
        elif t is int:
            return value * factor, None  # type: ignore[operator]
        elif value is None or value == "":
            return blank
        return cells.amount_unit(value, unit, what, blank_is_zero=blank_is_zero)

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
    period = cells.period_months(value, "建设周期")
    if period is not None and not (0 < period <= 120):
        raise InputError(f"建设周期应为1—120个月：{cells.text(value)}")
    return period


_SCALES = (10, 1000, 10_000)  # 千元↔万元, 元↔千元, 元↔万元


class _RowParser:
    """One project row → SummaryRow, with the columns, units and converters worked out once per sheet."""

    OPTIONAL_TEXT = (("code", "code"), ("person", "responsible_person"), ("phone", "responsible_phone"))
    FREE_TEXT = (("content", "content"), ("note", "note"))  # kept as written: see cells.free_text

    def __init__(self, sheet: str, cols: dict[str, Column], units: dict[str, str], layout: Layout,
                 sheet_year: int | None, asked_year: int | None, uncached: set) -> None:
        self.sheet, self.cols, self.units = sheet, cols, units
        self.sheet_year, self.asked_year = sheet_year, asked_year
        self.preamble_department = layout.preamble_department or ""
        self.header = {f: c.header for f, c in cols.items()}
        self.letter = {f: c.letter for f, c in cols.items()}
        self.width = max(c.index for c in cols.values()) + 1  # shorter rows are padded with blanks
        i = {f: c.index for f, c in cols.items()}
        self.i_name, self.i_category, self.i_nature = i["name"], i["category"], i["nature"]  # checked present
        self.i_department, self.i_year = i.get("department"), i.get("year")
        self.i_period, self.i_cobuilt = i.get("period"), i.get("cobuilt")
        self.has_split = "city_share" in cols or "county_share" in cols
        self.year = _memo(cells.year)
        self.category = _memo(_category)
        self.nature = _memo(_nature)
        self.period = _memo(_period)
        self.cobuilt = _memo(lambda v: bool(cells.boolean(v, "市县协同建设")))
        # (field, column index, reader, rows of the column's formulas saved without a value)
        self.amounts = [(f, i[f], _unit_reader(units[f], FIELD_LABELS[f], f != "total"), cells.UNIT_FEN[units[f]],
                         {r for r, c in uncached if c == i[f]}) for f in AMOUNT_FIELDS if f in cols]
        self.absent = {f: 0 for f in AMOUNT_FIELDS if f not in cols}
        # the input rules for text (app.domain.inputs), in the order the errors are reported: name, department,
        # then the other text columns (code, person, phone, content, note), each read and checked in one call; a
        # column that repeats a few values (实施单位, 责任人, 电话, 备注) is read and checked once per distinct value
        self.name_rule = self._text_rule("name")
        # 实施单位: the cell's text and its rule's message (the message reported with the other text rules' at the
        # end of the row); a blank cell is the 填报单位 line's department, checked once
        self.department = _cached(self._text_reader("department", cells.text, memo=False))
        self.preamble_message = self._text_reader("department", cells.text, memo=False)(
            self.preamble_department)[1] if self.preamble_department else None
        self.texts = [(fld, attr, i[fld], self._text_reader(fld, convert, memo=fld in ("person", "phone", "note")))
                      for convert, pairs in ((cells.text, self.OPTIONAL_TEXT), (cells.free_text, self.FREE_TEXT))
                      for fld, attr in pairs if fld in i]

    @staticmethod
    def _text_rule(fld: str) -> Callable[[object], str]:
        """The input rule of a text field: the text as stored, or InputError."""
        f = field_of(FIELD_ATTRS[fld])
        what, max_len, multiline = FIELD_LABELS[fld], f.max_len or TEXT_MAX, f.multiline

        def check(value: object) -> str:
            return clean_text(value, what, max_len, multiline=multiline)

        return check

    @classmethod
    def _text_reader(cls, fld: str, convert: Callable[[object], str],
                     memo: bool) -> Callable[[object], tuple[str | None, str | None]]:
        """A text cell → (its text or None when empty, the input rule's message or None)."""
        rule = cls._text_rule(fld)

        def read(value: object) -> tuple[str | None, str | None]:
            text = convert(value) or None
            if text:
                try:
                    rule(text)
                except InputError as exc:
                    return text, exc.message
            return text, None

        return _cached(read) if memo else read

    def _err(self, errors: list[CellError], excel_row: int, fld: str, message: str, kind: str) -> None:
        errors.append(CellError(self.sheet, excel_row, self.header.get(fld) or FIELD_LABELS.get(fld), message,
                                letter=self.letter.get(fld), kind=kind))

    def parse(self, excel_row: int, row: list, errors: list[CellError], fen: dict[str, int],
              result: SummaryReadResult) -> SummaryRow | None:
        """`fen` receives each amount that could be read, even when the row has other errors. The errors of a row
        are listed in a fixed order: name, department, year, category, nature, amounts, their sums, period, 协同,
        the split, the text rules."""
        before = len(errors)
        if len(row) < self.width:
            row = [*row, *[""] * (self.width - len(row))]
        err = self._err
        name = cells.name_text(row[self.i_name])
        if not name:
            err(errors, excel_row, "name", "项目名称为空", "blank")
        i = self.i_department
        department, department_message = self.department(row[i]) if i is not None else (None, None)
        if not department:
            department, department_message = self.preamble_department, self.preamble_message
        if department:
            result.departments_seen.append((excel_row, department if department.__class__ is str
                                            else str(department)))
        else:
            err(errors, excel_row, "department", "实施单位为空", "blank")
        if self.i_year is not None:
            yr, message = self.year(row[self.i_year])
            if message:
                err(errors, excel_row, "year", message, "unreadable-year")
            if yr is not None and self.asked_year is not None and yr != self.asked_year:
                err(errors, excel_row, "year", f"年度为{yr}年，与导入的{self.asked_year}年度不符", "wrong-year")
            yr = yr or self.sheet_year
            if yr is None:
                err(errors, excel_row, "year", "年度为空", "blank")
        else:
            yr = self.sheet_year
        category, message = self.category(row[self.i_category])
        if message:
            err(errors, excel_row, "category", message, "unknown-category")
        nature, message = self.nature(row[self.i_nature])
        if message:
            err(errors, excel_row, "nature", message, "unknown-nature")
        fen.update(self.absent)
        own: dict[str, str | None] = {}  # the unit written in a cell, where one is (read with .get)
        amount: int | None
        cell_unit: str | None
        for f, i, read, factor, uncached in self.amounts:
            if uncached and excel_row - 1 in uncached:
                err(errors, excel_row, f, f"单元格 {self.letter[f]}{excel_row} 是公式但文件中没有保存计算结果，请在 Excel/WPS "
                                          "中打开并保存后再导入", "uncached-formula")
                continue
            v = row[i]
            t = v.__class__
            if t is float and (x := v * factor).is_integer() and -1e15 < x < 1e15:
                amount, cell_unit = int(x), None  # what _unit_reader would return, without the call
            elif t is int:
                amount, cell_unit = v * factor, None  # as _unit_reader
            else:
                try:
                    amount, cell_unit = read(v)
                except InputError as exc:
                    err(errors, excel_row, f, exc.message, "unreadable-amount")
                    continue
                if amount is None:
                    err(errors, excel_row, f, "总投资为空", "blank")
                    continue
                if cell_unit is not None:
                    own[f] = cell_unit
            fen[f] = amount
            if amount < 0:
                err(errors, excel_row, f, f"{FIELD_LABELS[f]}不能为负数：{cells.text(v)}", "negative")
            elif amount >= PLAUSIBLE_MAX_FEN and cell_unit is None and self.units[f] != "元":
                text = cells.text(v)
                err(errors, excel_row, f, f"单元格 {self.letter[f]}{excel_row} 的“{text}”按本列单位{self.units[f]}为 "
                                          f"{amount / 10**10:,.2f} 亿元，与项目规模相差几个数量级，像是按“元”填写的：请改正，"
                                          f"或在单元格中写明单位（如“{text}元”）", "unit-contradiction")
        complete = len(fen) == len(AMOUNT_FIELDS)
        total = fen.get("total", 0)
        # _check_figures finds nothing to say when the sources add up and the request is within the total
        if (complete and len(errors) == before and (fen["county"] + fen["upper"] + fen["other"] != total
                                                    or fen["year_request"] > total) and min(fen.values()) >= 0):
            self._check_figures(excel_row, errors, row, fen, own)
        if self.i_period is not None:
            read_period, message = self.period(row[self.i_period])
            if message:
                err(errors, excel_row, "period", message, "period-unreadable")
            period = read_period if isinstance(read_period, int) else None
        else:
            period = None
        cobuilt = False
        if self.i_cobuilt is not None:
            read_cobuilt, message = self.cobuilt(row[self.i_cobuilt])
            if message:
                err(errors, excel_row, "cobuilt", message, "unreadable-choice")
            cobuilt = bool(read_cobuilt)
        split_pending = False
        if complete:
            split = fen["city_share"] + fen["county_share"]
            split_field = "city_share" if "city_share" in self.cols else "county_share"
            if cobuilt and self.has_split:
                blank = all(cells.is_blank(row[self.cols[f].index]) for f in ("city_share", "county_share")
                            if f in self.cols)
                if blank:
                    err(errors, excel_row, split_field, "市县协同建设项目应按事权划分填写市级、县级承担资金，两者之和等于"
                                                        "总投资（第十二条）", "cobuilt-split-mismatch")
                elif split != total:
                    u = self.units.get(split_field, "万元")
                    err(errors, excel_row, split_field, "市县协同建设项目的市级、县级承担资金之和应等于总投资（第十二条）："
                                                        f"现为 {_fmt(split, u)}，总投资 {_fmt(total, u)}",
                        "cobuilt-split-mismatch")
            elif cobuilt:
                split_pending = True
            elif split:
                err(errors, excel_row, split_field, "非市县协同建设项目不应填写市级、县级承担资金", "cobuilt-split-mismatch")
        # the input rules: no control characters, NUL, bidi overrides or zero-width marks; the length
        if name:
            try:
                self.name_rule(name)
            except InputError as exc:
                err(errors, excel_row, "name", exc.message, "bad-text")
        if department_message:
            err(errors, excel_row, "department", department_message, "bad-text")
        texts: dict[str, str | None] = {}
        for fld, attr, i, read_text in self.texts:
            texts[attr], message = read_text(row[i])
            if message:
                err(errors, excel_row, fld, message, "bad-text")
        if len(errors) > before:
            return None
        if split_pending:
            result.warnings.append(Notice(
                f"第 {excel_row} 行“{name}”是市县协同建设项目，表中没有市级、县级承担资金列：已导入，承担资金待补充"
                "（第十二条），补充前项目显示为“信息不全”", excel_row, "cobuilt-split-missing"))
        return SummaryRow(excel_row, name, department, yr, category, nature, total, fen["county"],  # type: ignore[arg-type]
                          fen["upper"], fen["other"], fen["year_request"], texts.get("code"), period,
                          texts.get("content"), texts.get("responsible_person"), texts.get("responsible_phone"),
                          cobuilt, texts.get("note"), fen["city_share"], fen["county_share"], split_pending)

    def _check_figures(self, excel_row: int, errors: list[CellError], row: list, fen: dict[str, int],
                       own: dict[str, str | None]) -> None:
        """资金来源 add up to 总投资, 本年申请 within it; where one cell read in another unit would make the row
        agree (1286000 in a 万元 column beside 100 + 28.6), that cell is named as a unit contradiction."""
        total = fen["total"]
        sources = fen["county"] + fen["upper"] + fen["other"]
        if sources != total:
            present = [f for f in ("total", *SOURCES) if f in self.cols]
            suspect = self._rescaled(present, fen, own, lambda g: g["county"] + g["upper"] + g["other"] == g["total"])
            if suspect:
                f, k, up = suspect
                self._err(errors, excel_row, f, self._unit_message(f, row, fen[f], k, up), "unit-contradiction")
            else:
                u = self.units["total"]
                self._err(errors, excel_row, "total", f"资金来源合计 {_fmt(sources, u)} 与总投资 {_fmt(total, u)} 不一致（应精确到分）",
                    "sources-mismatch")
            return
        if fen["year_request"] > total:
            if "year_request" in self.cols and own.get("year_request") is None and any(
                    fen["year_request"] % k == 0 and fen["year_request"] // k <= total for k in _SCALES):
                k = next(k for k in _SCALES if fen["year_request"] % k == 0 and fen["year_request"] // k <= total)
                self._err(errors, excel_row, "year_request", self._unit_message("year_request", row, fen["year_request"], k, False),
                    "unit-contradiction")
            else:
                self._err(errors, excel_row, "year_request", "本年申请资金不能超过总投资", "year-request-exceeds-total")

    def _rescaled(self, fields: list[str], fen: dict[str, int], own: dict[str, str | None],
                  agrees: Callable[[dict[str, int]], bool]) -> tuple[str, int, bool] | None:
        for f in fields:
            if own.get(f) is not None or not fen[f]:
                continue
            for k in _SCALES:
                if fen[f] % k == 0 and agrees(fen | {f: fen[f] // k}):
                    return f, k, False  # typed in a smaller unit than the column's
                if agrees(fen | {f: fen[f] * k}):
                    return f, k, True  # typed in a larger unit
        return None

    def _unit_message(self, f: str, row: list, value: int, k: int, up: bool) -> str:
        u = self.units[f]
        shown = cells.text(row[self.cols[f].index])
        ratio = {10: "十", 1000: "一千", 10_000: "一万"}[k]
        meant = _fmt(value * k if up else value // k, u)
        return (f"单元格的“{shown}”与本列金额单位“{u}”相差{ratio}倍（按{u}应为 {meant}，这一行的金额才能相符），像是按其他单位"
                f"填写的：请按{u}改正，或在单元格中写明单位")


def _choice(value: object, table: dict[str, str]) -> str | None:
    k = cells.key(value)
    if not k:
        return None
    if k in table:
        return table[k]
    k2 = k.removesuffix("类").removesuffix("项目")
    return table.get(k2)

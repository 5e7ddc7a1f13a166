"""Building blocks for a property test of the Excel import: random department sheets whose result is known exactly.

Each part takes a `random.Random` and returns the cells it writes together with what they imply for the expected
result (a project with its exact figures, a row skipped and why, an error and its cell, a warning, an unrecognised
column). `random_workbook(rng)` assembles the parts into a workbook (a list of `Sheet`, written by
tests/fixtures/excel_corpus/sheetmodel.py as .xlsx, .xls or .ods) and an expectation in the same form as one entry of
tests/fixtures/excel_corpus/expected.json. The property to check on top of it: every import of such a workbook is
either exactly the expected projects or a refusal naming (at least) the expected cells — never a stored figure that
differs from the sheet.

    python -m tests.unit.corpus_parts     # from the repository root: writes 5 random workbooks to /tmp

The parts:
  choose_projects            the projects (truth in 分), departments from the test database
  choose_units               the sheet's unit and where the clerk wrote it (title, line above the header, right end
                             of the 填报单位 line, note under the table, only in the headers)
  choose_columns             columns with header synonyms, header units, a 资金来源 or 总投资（元） parent for a
                             two-row header, column order permutations, hidden and unrecognised columns
  title_lines / note_lines   title, 填报单位, unit line; notes and signatures under the table
  money_cell / period_cell / dept_cell / category_cell / nature_cell
                             how a clerk writes one value (text numbers, full-width digits, dashes, units in cells,
                             12个月 / 1年 / 2027.3-2027.12 …, aliases and stray spaces, 运维 …)
  project_line, group_line, subtotal_line, total_line, column_numbers_line, example_line, hidden_old_line
                             one body row each
  inject_errors              turns an ok sheet into one refused for known cells
  extra_sheets               填表说明, empty SheetN, a hidden list sheet, last year's sheet, an ambiguous copy
  trailing_rows              thousands of formatted empty rows
"""

from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tests.fixtures.excel_corpus.make_corpus import (
    CATEGORIES,
    DEPARTMENTS,
    NATURES,
    YEAR,
    Book,
    P,
    amt,
    check_book,
    full_width,
    verify_files,
)
from tests.fixtures.excel_corpus.sheetmodel import Sheet, col_letter, write_book

UNIT_WORDS = {"元": "元", "千元": "千元", "万元": "万元"}

# ---------------------------------------------------------------- projects

_STEMS = ["政务数据共享平台", "视频监控联网", "数据资源采集", "业务系统升级改造", "网络安全防护", "智慧服务平台",
          "档案数字化", "数据清洗治理", "影像资料标注", "专网运维", "指挥调度系统", "信用信息平台", "监测预警系统",
          "电子证照应用", "移动办公平台", "统一身份认证", "数据开放利用", "机房改造", "终端更新", "综合管理平台"]
_SHORT = {d: (d.removeprefix("沁水县")).replace("人力资源和社会保障", "人社").replace("住房和城乡建设", "住建")
          for d in DEPARTMENTS}


def choose_projects(rng: random.Random, n: int | None = None) -> list[P]:
    """1–12 projects with unique names; totals 5–2,000 万元, sources each 0 or at least a tenth of the total."""
    n = n or rng.randint(1, 12)
    depts = rng.sample(sorted(DEPARTMENTS), rng.randint(1, 4))
    out, used = [], set()
    while len(out) < n:
        dept = rng.choice(depts)
        name = _SHORT[dept].removesuffix("局") + rng.choice(_STEMS)
        if rng.random() < 0.3:
            name += rng.choice(["二期", "（一期）", "扩容", "建设项目"])
        if name in used:
            continue
        used.add(name)
        step = rng.choice([10_000, 10_000, 10_000, 100, 1])  # 0.01 万元 mostly, sometimes to the 元 or the 分
        total = rng.randint(5_00, 2000_00) * 10_000 + (rng.randint(1, 9_999) // step * step if step < 10_000 else 0)
        parts = [total]
        if rng.random() < 0.6:  # split into county / upper / other
            upper = rng.randint(total // 10, total // 2) // 10_000 * 10_000
            other = rng.randint(total // 10, total // 4) // 10_000 * 10_000 if rng.random() < 0.3 else 0
            parts = [total - upper - other, upper, other]
        county, upper, other = (parts + [0, 0])[:3]
        year = total if rng.random() < 0.5 else rng.randint(total // 10, total) // 10_000 * 10_000 or total
        months = rng.choice([3, 6, 8, 10, 12, 12, 12, 18, 24, 36, None])
        cat, nat = rng.choice(CATEGORIES), rng.choice(NATURES)
        p = P(name, dept, cat, nat, "0 0 0 0 0", unit="元")
        p.total, p.county, p.upper, p.other, p.year, p.per = total, county, upper, other, year, months
        out.append(p)
    return out


def with_cobuilt(rng: random.Random, projects: list[P], split: bool) -> None:
    """Marks some projects co-built (是否市县协同建设 = 是); with `split`, city + county shares add up to the total."""
    for p in projects:
        if rng.random() < 0.3:
            p.cobuilt = True
            if split:
                city = rng.randint(1, 9) * p.total // 10 // 100 * 100
                p.city_share, p.county_share = city, p.total - city


# ---------------------------------------------------------------- units


@dataclass
class Units:
    sheet: str | None  # the sheet-wide unit, None when only the headers say it
    where: str  # title | above-header | filler-line | below-table | headers-only


def choose_units(rng: random.Random) -> Units:
    where = rng.choice(["title", "above-header", "filler-line", "below-table", "headers-only"])
    return Units(None if where == "headers-only" else rng.choice(["元", "千元", "万元", "万元", "万元"]), where)


def unit_note(rng: random.Random, unit: str) -> str:
    return rng.choice(["单位：{}", "（单位：{}）", "金额单位：{}", "单位:{}"]).format(unit)


# ---------------------------------------------------------------- columns

SYNONYMS = {
    "seq": ["序号", "编号"],
    "name": ["项目名称", "项目\n名称", "项目名"],
    "dept": ["实施单位", "申报单位", "项目实施单位", "项目单位"],
    "category": ["项目类别", "类别", "项目类型"],
    "nature": ["建设性质", "性质"],
    "total": ["总投资", "项目总投资", "投资总额", "总投资额"],
    # the holdout's wordings (tests/fixtures/excel_holdout): 其中：…, 资金来源-…, 县本级, the short forms
    "county": ["县级财政资金", "县级资金", "县财政资金", "其中：县级财政", "资金来源-县级", "县本级资金", "县级"],
    "upper": ["上级补助资金", "上级资金", "上级补助", "其中：上级补助", "资金来源-上级", "上级"],
    "other": ["其他资金", "自筹资金", "其他", "其中：其他资金", "资金来源-其他"],
    "year": [f"{YEAR}年申请预算", f"{YEAR}年申请资金", f"申请{YEAR}年预算资金", "本年度申请", f"{YEAR}年度拟安排资金",
             "本年申请资金", "本年申请"],
    "period": ["建设周期", "实施周期", "建设期限", "项目建设周期"],
    "cobuilt": ["是否市县协同建设"],
    "city_share": ["市级承担资金"],
    "county_share": ["县级承担资金"],
    "note": ["备注"],
}
MONEY_FIELDS = ("total", "county", "upper", "other", "year", "city_share", "county_share")
UNRECOGNISED = ["备用金额", "其中：设备购置", f"{YEAR - 1}年已安排资金", "上年结转资金"]


@dataclass
class Column:
    field: str  # a key of SYNONYMS, or "extra" (numeric, maps to nothing) or "code" (text, maps to nothing)
    header: str
    unit: str | None = None  # for money columns: the unit its figures are written in
    parent: str | None = None  # the parent header of a two-row header
    hidden: bool = False


def _with_unit(rng: random.Random, header: str, unit: str) -> str:
    return header + rng.choice(["（{}）", "({})", "\n（{}）"]).format(unit)


def choose_columns(rng: random.Random, units: Units, *, dept_column: bool = True, cobuilt: str = "none",
                   two_rows: bool | None = None) -> list[Column]:
    """Columns in a random order (序号 first). Money columns take the sheet's unit unless their header (or their
    parent's) says another; with `units.sheet` None every money column says its unit. `cobuilt`: none | flag | split."""
    two_rows = rng.random() < 0.4 if two_rows is None else two_rows
    fields = ["name", "category", "nature", "period"] + (["dept"] if dept_column else [])
    if cobuilt != "none":
        fields.append("cobuilt")
    if rng.random() < 0.3:
        fields.append("note")
    cols: dict[str, Column] = {f: Column(f, rng.choice(SYNONYMS[f])) for f in fields}
    money = ["total", "county", "upper", "other", "year"] + (["city_share", "county_share"] if cobuilt == "split" else [])

    def money_unit(header_unit_chance: float) -> tuple[str, bool]:
        if units.sheet is None or rng.random() < header_unit_chance:
            return rng.choice(["元", "千元", "万元"]), True
        return units.sheet, False

    for f in money:
        unit, in_header = money_unit(0.15)
        header = rng.choice(SYNONYMS[f])
        cols[f] = Column(f, _with_unit(rng, header, unit) if in_header else header, unit)
    blocks: list[list[Column]] = []
    if two_rows:
        kind = rng.choice(["sources", "total-and-sources"])
        unit, in_header = money_unit(0.5)
        if kind == "sources":
            parent = _with_unit(rng, "资金来源", unit) if in_header else "资金来源"
            members = [cols.pop(f) for f in ("county", "upper", "other")]
        else:
            parent = _with_unit(rng, "总投资", unit) if in_header else "总投资"
            members = [cols.pop(f) for f in ("total", "county", "upper", "other")]
            members[0].header = "合计"
        for m in members:
            m.parent, m.unit = parent, unit
            m.header = re.sub(r"\n?[（(][^）)]*[）)]$", "", m.header)  # the parent carries the unit
        blocks.append(members)
    blocks += [[c] for c in cols.values()]
    for i, header in enumerate(rng.sample(UNRECOGNISED, rng.choice([0, 0, 1, 2]))):
        blocks.append([Column(f"extra{i}", header, units.sheet or "万元", hidden=rng.random() < 0.3)])
    if rng.random() < 0.3:
        blocks.append([Column("code", "项目编码", hidden=rng.random() < 0.5)])
    if rng.random() < 0.5:  # the usual order, or a permutation
        rng.shuffle(blocks)
    else:
        order = ["name", "dept", "category", "nature", "total", "county", "upper", "other", "year", "period"]
        blocks.sort(key=lambda b: order.index(b[0].field) if b[0].field in order else len(order))
    return [Column("seq", rng.choice(SYNONYMS["seq"]))] + [c for b in blocks for c in b]


# ---------------------------------------------------------------- single cells


def money_cell(rng: random.Random, value: int, unit: str) -> object:
    """One amount (分) as a clerk writes it in a column of `unit`."""
    if value == 0:
        return rng.choice([Decimal(0), "0", "0.00", "—", "-", "/", None, "无"])
    d = amt(value, unit)
    x = rng.random()
    if x < 0.5:
        return d
    if x < 0.62:
        return format(d, ",f")
    if x < 0.7:
        return full_width(format(d, "f"))
    if x < 0.78 and d == d.quantize(Decimal("0.01")):
        return f"{d:,.2f}"
    own = rng.choice(["元", "万元", "千元"])
    e = amt(value, own)
    if own == "元":
        return f"{e:,.2f}元" if rng.random() < 0.5 else f"{e}元"
    return f"{e}{rng.choice(['万元', '万']) if own == '万元' else '千元'}"


_CN = {1: "一", 2: "两", 3: "三"}


def period_cell(rng: random.Random, months: int | None) -> object:
    """建设周期 as written; every form means exactly `months` (ranges are counted inclusively)."""
    if months is None:
        return None
    forms: list[object] = [f"{months}个月", months, full_width(f"{months}") + "个月"]
    if months > 12:
        forms.append(f"{months}月")  # "6月" would read as June; only above 12 is 月 a duration
    if months % 12 == 0:
        forms += [f"{months // 12}年"] + ([f"{_CN[months // 12]}年"] if months // 12 in _CN else [])
    elif months > 12:
        forms.append(f"{months // 12}年{months % 12}个月")
    if months == 6:
        forms.append("半年")
    if months == 18:
        forms.append("一年半")
    start = rng.randint(1, 12)
    end = start + months - 1
    ey, em = YEAR + (end - 1) // 12, (end - 1) % 12 + 1
    if ey <= YEAR + 2:
        forms += [f"{YEAR}年{start}月-{ey}年{em}月", f"{YEAR}.{start}-{ey}.{em}", f"{YEAR}.{start:02d}—{ey}.{em:02d}",
                  f"{YEAR}年{start}月至{ey}年{em}月"]
        if ey == YEAR:  # the year said once (the holdout's 2027年1月至12月, 2027年1-12月)
            forms += [f"{YEAR}年{start}月至{em}月", f"{YEAR}年{start}-{em}月"]
    return rng.choice(forms)


UNREADABLE_PERIODS = ["待定", "按合同", f"{YEAR}-?", "3-6个月", "视情况"]


def _spaced(rng: random.Random, text: str) -> str:
    if len(text) > 2 and rng.random() < 0.3:
        i = rng.randint(1, len(text) - 1)
        text = text[:i] + rng.choice([" ", "\u3000"]) + text[i:]
    if rng.random() < 0.15:
        text = " " + text + " "
    return text


def dept_cell(rng: random.Random, dept: str) -> str:
    return _spaced(rng, rng.choice([dept] + DEPARTMENTS[dept]))


def category_cell(rng: random.Random, category: str) -> str:
    return category


def nature_cell(rng: random.Random, nature: str) -> str:
    return {"运行维护": rng.choice(["运行维护", "运维"]), "改造升级": rng.choice(["改造升级", "升级改造"])}.get(nature, nature)


def name_cell(rng: random.Random, name: str) -> str:
    return _spaced(rng, name)


# ---------------------------------------------------------------- body rows


@dataclass
class Line:
    """One body row: cells by column field (or by 1-based column number for free text), and what it implies."""

    kind: str  # project | example | group | subtotal | total | column-numbers | note | hidden | blank
    cells: dict[object, object] = field(default_factory=dict)
    project: P | None = None
    members: list[P] = field(default_factory=list)  # for group / subtotal / total rows
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column field, kind)
    warnings: list[str] = field(default_factory=list)


def _money_cells(rng: random.Random, cols: list[Column], values: dict[str, int], plain: bool = False) -> dict:
    out = {}
    for c in cols:
        if c.field in values and values[c.field] is not None:
            out[c.field] = amt(values[c.field], c.unit) if plain else money_cell(rng, values[c.field], c.unit)
    return out


def _figures(p: P) -> dict[str, int | None]:
    return {"total": p.total, "county": p.county, "upper": p.upper, "other": p.other, "year": p.year,
            "city_share": p.city_share, "county_share": p.county_share}


def project_line(rng: random.Random, p: P, cols: list[Column], seq: object) -> Line:
    fields = {c.field for c in cols}
    cells: dict[object, object] = {"seq": seq, "name": name_cell(rng, p.name), "category": category_cell(rng, p.cat),
                                   "nature": nature_cell(rng, p.nat), "period": period_cell(rng, p.per)}
    if "dept" in fields:
        cells["dept"] = dept_cell(rng, p.dept)
    if "cobuilt" in fields:
        cells["cobuilt"] = "是" if p.cobuilt else rng.choice(["否", None])
    if "note" in fields and rng.random() < 0.3:
        cells["note"] = rng.choice(["续建", "新增", "含等保测评", "已完成可研"])
    if "code" in fields:
        cells["code"] = f"XM-{YEAR}-{rng.randint(1, 999):03d}"
    for f in fields:
        if f.startswith("extra"):  # a numeric column that maps to no field
            cells[f] = amt(rng.randint(1, max(p.total // 20_000, 1)) * 10_000, "万元") if rng.random() < 0.8 else None
    cells.update(_money_cells(rng, cols, _figures(p)))
    line = Line("project", cells, project=p)
    if p.cobuilt and "city_share" not in fields:
        line.warnings.append("cobuilt-split-missing")
    return line


def _sum(ps: list[P]) -> dict[str, int]:
    return {k: sum(_figures(p)[k] or 0 for p in ps) for k in MONEY_FIELDS}


def group_line(rng: random.Random, marker: str, title: str, members: list[P], cols: list[Column],
               with_figures: bool) -> Line:
    cells = {"seq": marker, "name": title}
    if with_figures:
        cells.update(_money_cells(rng, cols, {k: v for k, v in _sum(members).items() if k in ("total", "county",
                                                                                               "upper", "other",
                                                                                               "year")}, plain=True))
    return Line("group", cells, members=members)


GROUP_MARKERS = [["一、", "二、", "三、"], ["（一）", "（二）", "（三）"], ["(一)", "(二)", "(三)"], ["1.", "2.", "3."]]
TOTAL_LABELS = ["合计", "合  计", "合 计", "总计", "总计：", "合计："]


def subtotal_line(rng: random.Random, members: list[P], cols: list[Column]) -> Line:
    cells = {rng.choice(["seq", "name"]): rng.choice(["小计", "小  计"])}
    cells.update(_money_cells(rng, cols, _sum(members), plain=True))
    return Line("subtotal", cells, members=members)


def total_line(rng: random.Random, members: list[P], cols: list[Column]) -> Line:
    cells = {rng.choice(["seq", "name"]): rng.choice(TOTAL_LABELS)}
    cells.update(_money_cells(rng, cols, _sum(members), plain=True))
    return Line("total", cells, members=members)


def column_numbers_line(rng: random.Random, cols: list[Column]) -> Line:
    """栏次: 1 2 3 … in every column, or 甲 乙 丙 … for the text columns and 1 2 3 … for the figures."""
    if rng.random() < 0.5:
        return Line("column-numbers", {i + 1: rng.choice([i + 1, str(i + 1)]) for i in range(len(cols))})
    cells, k, n = {}, 0, 0
    for i, c in enumerate(cols):
        if c.field in MONEY_FIELDS or c.field == "period" or c.field.startswith("extra"):
            n += 1
            cells[i + 1] = n
        else:
            cells[i + 1] = "甲乙丙丁戊己庚辛壬癸"[k % 10]
            k += 1
    return Line("column-numbers", cells)


def example_line(rng: random.Random, cols: list[Column]) -> Line:
    marker = rng.choice(["例", "示例", "样例", None])
    name = rng.choice(["XX项目", "XXX系统建设项目", "XX局XX平台建设项目", "XXX数据采集项目"])
    fake = P(name, "沁水县公安局", rng.choice(CATEGORIES), rng.choice(NATURES), "100 60 40 0 100")
    cells = {"seq": marker, "name": name, "dept": rng.choice(["沁水县XX局", "XX局", "XX镇"]), "category": fake.cat,
             "nature": fake.nat, "period": "12个月"}
    cells.update(_money_cells(rng, cols, _figures(fake), plain=True))
    return Line("example", cells)


def hidden_old_line(rng: random.Random, cols: list[Column], dept: str) -> Line:
    """An old, cancelled project the clerk hid instead of deleting: not imported, reported (skipped + warning)."""
    old = P(f"{YEAR - 2}年{rng.choice(_STEMS)}（已取消）", dept, rng.choice(CATEGORIES), rng.choice(NATURES),
            "40 40 0 0 40")
    cells = {"seq": "", "name": old.name, "dept": dept_cell(rng, dept), "category": old.cat, "nature": old.nat,
             "period": "12个月"}
    cells.update(_money_cells(rng, cols, _figures(old), plain=True))
    return Line("hidden", cells, warnings=["hidden-row"])


def note_lines(rng: random.Random, units: Units) -> list[Line]:
    out = []
    if units.where == "below-table":
        out.append(Line("note", {1: f"注：1.{unit_note(rng, units.sheet)}；2.建设周期按月填写。"}))
    elif rng.random() < 0.5:
        out.append(Line("note", {1: "注：请于1月15日前报送县行政审批服务管理局。"}))
    if rng.random() < 0.7:
        out.append(Line("note", {1: "填报人：张三", 3: "审核人：李四", 5: "联系电话：0356-7012345"}))
    return out


# ---------------------------------------------------------------- above the table


def title_lines(rng: random.Random, units: Units, ncols: int, filler: str | None) -> list[dict[int, object]]:
    """Free rows above the header: a title, the 填报单位 line (required when there is no 实施单位 column) and the
    unit, wherever the clerk put it."""
    rows: list[dict[int, object]] = []
    title = rng.choice([f"沁水县{YEAR}年度政务大数据项目预算申报汇总表", f"{YEAR}年度政务信息化项目申报表"])
    if units.where == "title":
        title += rng.choice(["（单位：{}）", "(单位：{})"]).format(units.sheet)
    if units.where == "title" or rng.random() < 0.8:
        rows.append({1: title})
    if filler or units.where == "filler-line":
        row = {1: f"填报单位：{filler or '沁水县行政审批服务管理局'}"}
        if units.where == "filler-line":
            row[ncols] = unit_note(rng, units.sheet)
        rows.append(row)
    if units.where == "above-header":
        rows.append({1: unit_note(rng, units.sheet)})
    return rows


# ---------------------------------------------------------------- errors


def inject_errors(rng: random.Random, lines: list[Line], cols: list[Column], kinds: list[str]) -> None:
    """Make the sheet wrong in known cells. Each kind is applied to a different project row where possible."""
    fields = {c.field: c for c in cols}
    projects = [ln for ln in lines if ln.kind == "project"]
    rng.shuffle(projects)
    for kind in kinds:
        if kind == "sum-mismatch":
            sums = [ln for ln in lines if ln.kind in ("group", "subtotal", "total") and "total" in ln.cells]
            if sums:
                ln = rng.choice(sums)
                ln.cells["total"] = ln.cells["total"] + amt(rng.choice([100, 10_000, 90_000_000]),
                                                            fields["total"].unit)
                ln.errors.append(("total", "sum-mismatch"))
            continue
        if not projects:
            return
        ln = projects.pop()
        if kind == "unit-contradiction":
            # the clerk typed the total in 元 into a 万元 column: 1286000 for 128.6 (only for 100 万元 and more, so
            # that the figure is off by orders of magnitude from anything a county project costs)
            big = [x for x in [ln] + projects if x.project.total >= 100_000_000]
            if fields["total"].unit != "万元" or not big:
                projects.append(ln)
                continue
            if big[0] is not ln:
                projects.append(ln)
                projects.remove(big[0])
                ln = big[0]
            ln.cells["total"] = Decimal(ln.project.total) / 100
            ln.errors.append(("total", kind))
        elif kind == "period-unreadable":
            ln.cells["period"] = rng.choice(UNREADABLE_PERIODS)
            ln.errors.append(("period", kind))
        elif kind == "unknown-department" and "dept" in fields:
            ln.cells["dept"] = rng.choice(["沁水县大数据发展中心", "县信息中心", "沁水县智慧城市办"])
            ln.errors.append(("dept", kind))
        elif kind == "unknown-category":
            ln.cells["category"] = rng.choice(["大数据应用", "信息化建设", "其他"])
            ln.errors.append(("category", kind))
        elif kind == "sources-mismatch":
            ln.cells["county"] = amt(ln.project.county + 10_000_000, fields["county"].unit)
            ln.errors.append(("county", kind))
        else:
            projects.append(ln)


# ---------------------------------------------------------------- other sheets


def instructions_sheet() -> Sheet:
    s = Sheet("填表说明")
    for text in ("填表说明", "1.项目名称填写全称；2.总投资、资金来源、本年申请资金按表头所注单位填写；",
                 "3.项目类别按管理办法第三条填写；4.建设周期填写月数。"):
        s.add(text)
    return s


def lists_sheet() -> Sheet:
    s = Sheet("下拉选项", hidden=True)
    s.add("项目类别", "建设性质")
    for i in range(len(CATEGORIES)):
        s.add(CATEGORIES[i], NATURES[i] if i < len(NATURES) else None)
    return s


def last_year_sheet(rng: random.Random) -> Sheet:
    s = Sheet(f"{YEAR - 1}年（已批复）")
    s.add(f"{YEAR - 1}年度政务信息化项目批复表")
    s.add("单位：万元")
    s.add("序号", "项目名称", "实施单位", "项目类别", "建设性质", "总投资", "县级财政资金", "上级补助资金", "其他资金",
          f"{YEAR - 1}年批复资金", "建设周期")
    for i in range(1, rng.randint(2, 5)):
        s.add(i, f"{YEAR - 1}年{rng.choice(_STEMS)}", "县公安局", CATEGORIES[0], NATURES[0], 50, 50, 0, 0, 50, "12个月")
    return s


def extra_sheets(rng: random.Random) -> tuple[list[Sheet], list[Sheet], bool]:
    """Sheets before and after the main one, and whether the main one must carry the year in its name."""
    before, after, year_named = [], [], False
    if rng.random() < 0.3:
        before.append(instructions_sheet())
    if rng.random() < 0.3:
        (before if rng.random() < 0.5 else after).append(last_year_sheet(rng))
        year_named = True
    if rng.random() < 0.3:
        after.append(lists_sheet())
    if rng.random() < 0.4:
        after += [Sheet("Sheet2"), Sheet("Sheet3")]
    return before, after, year_named


def trailing_rows(rng: random.Random, fmt: str) -> tuple[int, int] | None:
    if rng.random() < 0.3:
        return (rng.randint(100, 800 if fmt == ".xls" else 3000), rng.randint(8, 14))
    return None


# ---------------------------------------------------------------- assembly


@dataclass
class Drawn:
    sheets: list[Sheet]
    expected: dict


def _layout_body(rng: random.Random, projects: list[P], cols: list[Column], units: Units) -> list[Line]:
    lines: list[Line] = []
    tail: list[Line] = []
    if rng.random() < 0.25:
        lines.append(column_numbers_line(rng, cols))
    top_total = rng.random() < 0.2
    if top_total:
        lines.append(total_line(rng, projects, cols))
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        lines.append(example_line(rng, cols))
    n_groups = rng.choice([1, 1, 2, 3]) if len(projects) >= 3 else 1
    cuts = sorted(rng.sample(range(1, len(projects)), n_groups - 1)) if n_groups > 1 else []
    groups = [projects[a:b] for a, b in zip([0] + cuts, cuts + [len(projects)])]
    markers = rng.choice(GROUP_MARKERS)
    subtotals = n_groups > 1 and rng.random() < 0.5
    restart = rng.random() < 0.5
    seq = 0
    for gi, group in enumerate(groups):
        if n_groups > 1:
            lines.append(group_line(rng, markers[gi], rng.choice(["新建项目", "续建项目", "运维项目", "其他项目"]) + "",
                                    group, cols, with_figures=not subtotals and rng.random() < 0.8))
        if rng.random() < 0.5:  # departments together, so that a merged 实施单位 makes sense
            group.sort(key=lambda p: p.dept)
        for i, p in enumerate(group, 1):
            seq = i if restart else seq + 1
            lines.append(project_line(rng, p, cols, seq if rng.random() < 0.9 else str(seq)))
            if rng.random() < 0.08:
                lines.append(hidden_old_line(rng, cols, p.dept))
        if subtotals:
            lines.append(subtotal_line(rng, group, cols))
    if not top_total and rng.random() < 0.8:
        lines.append(total_line(rng, projects, cols))
    if rng.random() < 0.5:
        tail.append(Line("blank"))
    tail += note_lines(rng, units)
    return lines + tail


def random_workbook(rng: random.Random, fmt: str = ".xlsx", error_rate: float = 0.3) -> Drawn:
    """One random workbook and its expected result (the same form as an entry of expected.json)."""
    projects = choose_projects(rng)
    units = choose_units(rng)
    one_dept = len({p.dept for p in projects}) == 1
    dept_column = not one_dept or rng.random() < 0.6
    cobuilt = rng.choice(["none", "none", "flag", "split"])
    if cobuilt != "none":
        with_cobuilt(rng, projects, cobuilt == "split")
    cols = choose_columns(rng, units, dept_column=dept_column, cobuilt=cobuilt)
    filler = None if dept_column else dept_cell(rng, projects[0].dept)
    lines = _layout_body(rng, projects, cols, units)
    kinds: list[str] = []
    if rng.random() < error_rate:
        kinds = rng.sample(["sum-mismatch", "unit-contradiction", "period-unreadable", "unknown-department",
                            "unknown-category", "sources-mismatch"], rng.randint(1, 3))
        inject_errors(rng, lines, cols, kinds)
    before, after, year_named = extra_sheets(rng)
    ambiguous = rng.random() < 0.05
    name = f"{YEAR}年申报" if year_named or ambiguous else rng.choice(["Sheet1", "汇总表", "申报表", "项目表", f"{YEAR}年申报"])
    s = Sheet(name)
    ncols = len(cols)
    for row in title_lines(rng, units, ncols, filler):
        r = s.add()
        for c, v in row.items():
            s.cells[(r, c)] = v
        if len(row) == 1 and 1 in row and str(row[1]).startswith(("沁水县", f"{YEAR}")) and ncols > 1:
            s.merge(f"A{r}:{col_letter(ncols)}{r}")
    # header
    two = any(c.parent for c in cols)
    h1 = s.add(*[c.parent or c.header for c in cols])
    if two:
        h2 = s.add(*[c.header if c.parent else None for c in cols])
        i = 0
        while i < ncols:
            c = cols[i]
            if c.parent:
                j = i
                while j + 1 < ncols and cols[j + 1].parent == c.parent:
                    j += 1
                for k in range(i + 1, j + 1):
                    s.cells.pop((h1, k + 1), None)
                s.merge(f"{col_letter(i + 1)}{h1}:{col_letter(j + 1)}{h1}")
                i = j + 1
            else:
                s.merge(f"{col_letter(i + 1)}{h1}:{col_letter(i + 1)}{h2}")
                i += 1
    header_last = s.row_no
    s.wrap = True
    index = {c.field: i + 1 for i, c in enumerate(cols)}
    skipped, warnings, errors, expected_projects = [], [], [], []
    for ln in lines:
        r = s.add()
        for key, v in ln.cells.items():
            c = index.get(key) if isinstance(key, str) else key
            if c is not None and v is not None and v != "":
                s.cells[(r, c)] = v
        if ln.kind == "project":
            ln.project.row = r
            expected_projects.append(ln.project)
        elif ln.kind != "blank":
            skipped.append((r, ln.kind))
        if ln.kind == "hidden":
            s.hide_row(r)
        warnings += [(r, w) for w in ln.warnings]
        errors += [{"sheet": name, "row": r, "column": col_letter(index[f]), "header": cols[index[f] - 1].header,
                    "kind": k} for f, k in ln.errors]
    last_body = max([r for r, why in skipped if why != "note"] + [p.row for p in expected_projects] + [header_last])
    s.box = (header_last - (1 if two else 0), 1, last_body, ncols)
    # merged 实施单位 over runs of the same written department (only when every cell of the run is written alike)
    if "dept" in index and rng.random() < 0.5:
        c = index["dept"]
        run: list[int] = []
        for ln in lines + [Line("blank")]:
            key = ln.cells.get("dept") if ln.kind == "project" else None
            if run and key is not None and key == s.cells.get((run[0], c)) and ln.project.row == run[-1] + 1:
                run.append(ln.project.row)
                continue
            if len(run) > 1:
                for rr in run[1:]:
                    s.cells.pop((rr, c), None)
                s.merge(f"{col_letter(c)}{run[0]}:{col_letter(c)}{run[-1]}")
            run = [ln.project.row] if key is not None else []
    for i, c in enumerate(cols, 1):
        if c.hidden:
            s.hidden_cols.add(i)
    s.trailing = trailing_rows(rng, fmt)
    for i, c in enumerate(cols, 1):
        if c.field in MONEY_FIELDS:
            for r in range(header_last + 1, last_body + 1):
                if isinstance(s.cells.get((r, i)), Decimal):
                    s.formats[(r, i)] = "#,##0.00"
    sheets = before + [s] + after
    if ambiguous:
        copy = Sheet(f"{YEAR}年申报（修改稿）", cells=dict(s.cells), merges=list(s.merges),
                     hidden_rows=set(s.hidden_rows), hidden_cols=set(s.hidden_cols), box=s.box, row_no=s.row_no)
        sheets.insert(sheets.index(s) + 1, copy)
        expected = {"outcome": "refused", "errors": [{"sheet": None, "row": None, "column": None, "header": None,
                                                      "kind": "ambiguous-sheet", "sheets": [s.name, copy.name]}]}
    elif errors:
        expected = {"outcome": "refused", "errors": errors}
    else:
        expected = {"outcome": "ok", "sheet": name, "year": YEAR, "projects": [p.expect() for p in expected_projects],
                    "skipped": [{"row": r, "why": w} for r, w in skipped],
                    "warnings": [{"row": r, "kind": k} for r, k in warnings],
                    "warnings_contain": sorted({"协同" if k.startswith("cobuilt") else "隐藏" for _, k in warnings}),
                    "unrecognised_columns": [{"header": c.header, "letter": col_letter(i)}
                                             for i, c in enumerate(cols, 1) if c.field.startswith("extra")]}
    return Drawn(sheets, expected)


def main() -> int:
    """Self-check: five random workbooks to /tmp/corpus_parts, each read back and checked against its expectation
    (the rows named hold what they should, the figures obey the program's checks), and their expected JSON."""
    out = Path("/tmp/corpus_parts")
    out.mkdir(exist_ok=True)
    rng = random.Random(20270108)
    problems = []
    for i, fmt in enumerate([".xlsx", ".xls", ".ods", ".xlsx", ".ods"], 1):
        drawn = random_workbook(rng, fmt)
        book = Book(f"random_{i}{fmt}", drawn.sheets, drawn.expected, [])
        write_book(out / book.file, drawn.sheets)
        problems += check_book(book) + verify_files([book], out)
        print(f"# {out / book.file}")
        print(json.dumps(drawn.expected, ensure_ascii=False, indent=1))
    if problems:
        print("\n".join(problems), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""The summary and estimate readers on awkward sheets built here, amount by amount."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from excel_sheets import (
    estimate_sheet,
    messy_summary,
    sheet_from_rows,
    simple_rows,
    wps_xls_summary,
    write_ods,
)

from app.excel import read_estimate, read_summary


def test_messy_summary_is_read_amount_by_amount(tmp_path: Path) -> None:
    r = read_summary(messy_summary(tmp_path / "a.xlsx"))
    assert r.ok, r.errors
    assert r.sheet == "汇总表" and r.header_rows == [3, 4]
    units = {c.field: c.unit for c in r.columns}
    assert units["total"] == units["county"] == units["year_request"] == "万元"
    got = [(x.row, x.name, x.department, x.year, x.category, x.nature, x.total_fen, x.county_fen, x.upper_fen,
            x.other_fen, x.year_request_fen, x.period_months, x.cobuilt) for x in r.rows]
    assert got == [
        (6, "智慧公安 平台", "沁水县 公安局", 2027, "信息应用系统开发", "新建", 123_450_000, 100_450_000, 23_000_000, 0,
         50_000_000, 12, False),
        (7, "视频专网扩容", "县公安局", 2027, "信息网络及软硬件支撑系统", "扩建", 80_000_000, 80_000_000, 0, 0,
         80_000_000, 6, False),
        (11, "政务云运维", "财政局", 2027, "信息网络及软硬件支撑系统", "运行维护", 1_000_500_000, 1_000_500_000, 0, 0,
         1_000_500_000, 12, False),
    ]
    assert [(s.row, s.reason) for s in r.skipped] == [
        (5, "分组行"), (8, "小计行"), (10, "分组行"), (12, "小计行"), (13, "合计行"), (14, "说明行"), (15, "说明行")]
    assert r.totals_fen()["total_fen"] == 1_203_950_000


def test_subtotal_and_total_that_disagree_are_named(tmp_path: Path) -> None:
    p = messy_summary(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(p)
    ws = wb.active
    ws["F8"] = 203.46  # subtotal off by 100 yuan
    ws["G13"] = 1180.9
    wb.save(p)
    r = read_summary(p)
    msgs = {(e.row, e.column): e.message for e in r.errors}
    assert set(msgs) == {(8, "项目总投资"), (13, "资金来源/县级财政资金")}
    assert "小计与明细之和不符：表中为 203.46 万元，逐行相加为 203.45 万元" in msgs[(8, "项目总投资")]
    assert "合计" in msgs[(13, "资金来源/县级财政资金")]



def _grouped_rows(first_group: float = 300, second_group: float = 7.5, with_subtotal: bool = False) -> list:
    """Group rows that carry their group's figures (no 小计 rows), as many county sheets are laid out."""
    rows = [["2027年度项目汇总表"], ["单位：万元"],
            ["序号", "项目名称", "实施单位", "项目类别", "建设性质", "总投资", "县级财政资金", "上级补助资金", "其他资金"],
            ["一、新建项目", None, None, None, None, first_group, 250, 50, 0],
            [1, "甲平台", "县财政局", "数据采集", "新建", 100, 100, 0, 0],
            [2, "乙平台", "县财政局", "数据采集", "新建", 200, 150, 50, 0]]
    if with_subtotal:
        rows.append(["小计", None, None, None, None, 300, 250, 50, 0])
    rows += [["二、运维项目", None, None, None, None, second_group, 0, 0, 7.5],
             [1, "丙运维", "县财政局", "数据采集", "运维", 7.5, 0, 0, 7.5],
             ["合计", None, None, None, None, 307.5, 250, 50, 7.5]]
    return rows


def test_group_rows_with_their_own_figures_are_checked(tmp_path: Path) -> None:
    r = read_summary(sheet_from_rows(tmp_path / "g.xlsx", _grouped_rows()))
    assert r.ok, r.errors
    assert [(x.row, x.total_fen) for x in r.rows] == [(5, 100_000_000), (6, 200_000_000), (8, 7_500_000)]
    assert [(s.row, s.reason) for s in r.skipped] == [(4, "分组行"), (7, "分组行"), (9, "合计行")]
    wrong = read_summary(sheet_from_rows(tmp_path / "w.xlsx", _grouped_rows(first_group=310, second_group=7.4)))
    assert [(e.row, e.column) for e in wrong.errors] == [(4, "总投资"), (7, "总投资")]  # the last group at the end
    assert "分组小计与明细之和不符：表中为 310 万元，逐行相加为 300 万元" in wrong.errors[0].message
    assert "表中为 7.4 万元，逐行相加为 7.5 万元" in wrong.errors[1].message


def test_group_row_figures_are_checked_when_a_subtotal_follows(tmp_path: Path) -> None:
    r = read_summary(sheet_from_rows(tmp_path / "g.xlsx", _grouped_rows(with_subtotal=True)))
    assert r.ok, r.errors
    wrong = read_summary(sheet_from_rows(tmp_path / "w.xlsx", _grouped_rows(first_group=301, with_subtotal=True)))
    assert [(e.row, e.column, e.message.split("：")[0]) for e in wrong.errors] == [(4, "总投资", "分组小计与明细之和不符")]


def test_group_check_skips_a_column_with_an_unreadable_cell(tmp_path: Path) -> None:
    rows = _grouped_rows()
    rows[4][6] = "一百"  # 甲平台's 县级财政资金: its own error, and no second one for the group's 县级 figure
    r = read_summary(sheet_from_rows(tmp_path / "g.xlsx", rows))
    assert [(e.row, e.column) for e in r.errors] == [(5, "县级财政资金")]


def test_hidden_column_is_read_like_a_visible_one(tmp_path: Path) -> None:
    rows = simple_rows()
    p = sheet_from_rows(tmp_path / "h.xlsx", rows)
    wb = openpyxl.load_workbook(p)
    wb.active.column_dimensions["G"].hidden = True  # 上级补助资金
    wb.save(p)
    r = read_summary(p)
    assert r.ok and [x.upper_fen for x in r.rows] == [20_000_000, 0]


def test_units_from_unit_line_and_text_numbers(tmp_path: Path) -> None:
    r = read_summary(sheet_from_rows(tmp_path / "u.xlsx", simple_rows()))
    assert r.ok, r.errors
    assert [(x.total_fen, x.county_fen, x.upper_fen, x.other_fen, x.year_request_fen, x.category) for x in r.rows] == [
        (50_000_000, 30_000_000, 20_000_000, 0, 10_000_000, "数据采集"),
        (1_234_567, 1_234_567, 0, 0, 0, "网络信息安全系统"),
    ]


def test_unit_in_header_wins_over_default(tmp_path: Path) -> None:
    rows = simple_rows()
    del rows[1]
    rows[1] = ["项目名称", "实施单位", "项目类别", "建设性质", "总投资（元）", "县级财政资金(元)", "上级补助资金（元）",
               "其他资金（元）", "本年申请资金（万元）"]
    rows[2][-1] = 10
    rows[3][-1] = "0.5"
    r = read_summary(sheet_from_rows(tmp_path / "u.xlsx", rows))
    assert r.ok, r.errors
    assert [x.total_fen for x in r.rows] == [50_000_000, 1_234_567]
    assert [x.year_request_fen for x in r.rows] == [10_000_000, 500_000]
    assert not r.warnings


def test_no_unit_anywhere_reads_wan_with_a_warning(tmp_path: Path) -> None:
    rows = simple_rows()
    del rows[1]
    rows[2][4:9] = [5, 3, 2, 0, 1]
    rows[3][4:9] = [1.5, 1.5, 0, 0, 0]
    r = read_summary(sheet_from_rows(tmp_path / "w.xlsx", rows))
    assert r.ok and [str(w) for w in r.warnings] == ["表中未注明金额单位，按“万元”读取"]
    assert [x.total_fen for x in r.rows] == [5_000_000, 1_500_000]


def test_every_row_error_is_listed_with_row_and_column(tmp_path: Path) -> None:
    rows = simple_rows()
    rows.append(["", "县财政局", "数据采集", "新建", 100, 100, 0, 0, 0])  # no name
    rows.append(["乙", "县财政局", "区块链", "新建", 100, 100, 0, 0, 0])  # unknown category
    rows.append(["丙", "县财政局", "数据采集", "续建", 100, 100, 0, 0, 0])  # unknown nature
    rows.append(["丁", "县财政局", "数据采集", "新建", 100, 60, 30, 0, 0])  # sources ≠ total
    rows.append(["戊", "县财政局", "数据采集", "新建", 100, 100, 0, 0, 200])  # request > total
    rows.append(["己", "县财政局", "数据采集", "新建", -100, -100, 0, 0, 0])  # negative
    rows.append(["庚", "县财政局", "数据采集", "新建", "12.345", "12.345", 0, 0, 0])  # below the fen
    rows.append(["辛", "县财政局", "数据采集", "新建", "一百", 100, 0, 0, 0])  # not a number
    rows.append(["数据共享交换平台", "县财政局", "数据采集", "新建", 1, 1, 0, 0, 0])  # duplicate of row 4
    r = read_summary(sheet_from_rows(tmp_path / "e.xlsx", rows))
    got = [(e.row, e.column) for e in r.errors]
    assert got == [(6, "项目名称"), (7, "项目类别"), (8, "建设性质"), (9, "总投资"), (10, "本年申请资金"),
                   (11, "总投资"), (11, "县级财政资金"), (12, "总投资"), (12, "县级财政资金"), (13, "总投资"),
                   (14, "项目名称")]
    assert all(e.sheet == "Sheet1" for e in r.errors)
    assert "第三条" not in r.errors[1].message or "数据采集" in r.errors[1].message
    assert "资金来源合计 90.00 元 与总投资 100.00 元 不一致" in r.errors[3].message
    assert "不能为负数" in r.errors[5].message
    assert "最多保留两位小数" in r.errors[7].message
    assert "与第 4 行重复" in r.errors[-1].message


def test_workbook_without_a_table(tmp_path: Path) -> None:
    r = read_summary(sheet_from_rows(tmp_path / "n.xlsx", [["会议纪要"], ["今天开会"]]))
    assert not r.ok and "未找到可识别的项目表" in r.errors[0].message and r.errors[0].row is None


def test_two_columns_for_one_field_is_an_error(tmp_path: Path) -> None:
    rows = simple_rows()
    rows[2].append("项目总投资")
    r = read_summary(sheet_from_rows(tmp_path / "d.xlsx", rows))
    assert not r.ok and "出现在两列（E 列“总投资”和 J 列“项目总投资”）" in r.errors[0].message


def test_mapping_override_picks_the_column(tmp_path: Path) -> None:
    rows = simple_rows()
    rows[2].append("项目总投资")
    for r_ in rows[3:]:
        r_.append(r_[4])
    r = read_summary(sheet_from_rows(tmp_path / "d.xlsx", rows), mapping_override={"total": "J"})
    assert r.ok, r.errors
    assert [x.total_fen for x in r.rows] == [50_000_000, 1_234_567]


def test_summary_formula_without_cached_value_names_the_cell(tmp_path: Path) -> None:
    rows = simple_rows()
    rows[3][4] = "=F4+G4+H4"
    r = read_summary(sheet_from_rows(tmp_path / "f.xlsx", rows))
    assert [(e.row, e.column) for e in r.errors] == [(4, "总投资")]
    assert "单元格 E4 是公式" in r.errors[0].message


def test_department_and_year_from_the_lines_above_the_table(tmp_path: Path) -> None:
    rows = [["沁水县2028年政务大数据项目申报表"], ["填报单位：县教育局   单位：万元"],
            ["序号", "项目名称", "项目类别", "建设性质", "总投资", "县级财政资金", "上级补助资金", "其他资金"],
            [1, 2, 3, 4, 5, 6, 7, 8],  # the 栏次 row
            [1, "智慧校园", "信息应用系统开发", "新建", 10, 10, 0, 0]]
    r = read_summary(sheet_from_rows(tmp_path / "p.xlsx", rows))
    assert r.ok, r.errors
    assert [(x.department, x.year, x.total_fen) for x in r.rows] == [("县教育局", 2028, 10_000_000)]


def test_sheet_is_chosen_by_content_and_by_name(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    wb.active.append(["2027年项目申报材料"])
    ws = wb.create_sheet("明细")
    for row in simple_rows():
        ws.append(row)
    wb.save(tmp_path / "s.xlsx")
    r = read_summary(tmp_path / "s.xlsx")
    assert r.ok and r.sheet == "明细" and r.sheets == ["封面", "明细"]
    r2 = read_summary(tmp_path / "s.xlsx", sheet="封面")
    assert not r2.ok


def test_ods_is_read(tmp_path: Path) -> None:
    r = read_summary(write_ods(tmp_path / "a.ods", simple_rows()))
    assert r.ok, r.errors
    assert r.fmt == "ods" and [x.total_fen for x in r.rows] == [50_000_000, 1_234_567]


def test_format_comes_from_content_not_extension(tmp_path: Path) -> None:
    p = write_ods(tmp_path / "a.xlsx", simple_rows())  # an .ods named .xlsx
    r = read_summary(p)
    assert r.ok and r.fmt == "ods"
    q = sheet_from_rows(tmp_path / "b.ods", simple_rows())  # an .xlsx named .ods
    assert read_summary(q).fmt == "xlsx"


def test_ods_two_level_header_without_merges(tmp_path: Path) -> None:
    rows = [["2027年项目表"], ["单位：万元"],
            ["项目名称", "实施单位", "项目类别", "建设性质", "总投资", "资金来源", None, None],
            [None, None, None, None, None, "县级", "上级补助", "其他"],
            ["甲", "县财政局", "数据采集", "新建", 3, 1, 1, 1]]
    rows[3][5] = "县级财政资金"
    r = read_summary(write_ods(tmp_path / "t.ods", rows))
    assert r.ok, r.errors
    assert [(c.field, c.header) for c in r.columns if c.field in ("county", "upper", "other")] == [
        ("county", "资金来源/县级财政资金"), ("upper", "资金来源/上级补助"), ("other", "资金来源/其他")]
    assert (r.rows[0].county_fen, r.rows[0].upper_fen, r.rows[0].other_fen) == (1_000_000,) * 3



WPS_XLS_ROWS = [  # row, name, department, year, category, nature, total, county, upper, other, request, period
    (6, "智慧公安平台", "县公安局", 2027, "信息应用系统开发", "新建", 123_450_000, 100_450_000, 23_000_000, 0, 50_000_000, 12),
    (7, "视频专网扩容", "沁水县公安局", 2027, "信息网络及软硬件支撑系统", "扩建", 1_080_123_456, 1_080_123_456, 0, 0,
     80_000_000, 6),
    (10, "政务云运维", "县公安局", 2027, "信息网络及软硬件支撑系统", "运行维护", 10_000, 0, 10_000, 0, 10_000, 12),
]


def _summary_tuples(r) -> list[tuple]:
    return [(x.row, x.name, x.department, x.year, x.category, x.nature, x.total_fen, x.county_fen, x.upper_fen,
             x.other_fen, x.year_request_fen, x.period_months) for x in r.rows]


def test_wps_xls_summary_is_read_amount_by_amount(tmp_path: Path) -> None:
    r = read_summary(wps_xls_summary(tmp_path / "wps.xls"))
    assert r.ok, r.errors
    assert (r.fmt, r.sheet, r.sheets) == ("xls", "预算申报汇总表", ["封面", "下拉选项", "预算申报汇总表"])
    assert r.header_rows == [3, 4] and not r.warnings
    assert {c.field: c.header for c in r.columns}["upper"] == "资金来源/上级补助资金"
    assert _summary_tuples(r) == WPS_XLS_ROWS
    assert [(s.row, s.reason) for s in r.skipped] == [
        (5, "分组行"), (8, "小计行"), (9, "分组行"), (11, "小计行"), (12, "合计行"), (13, "说明行"), (14, "说明行")]


def test_xls_renamed_to_xlsx_is_read_by_content(tmp_path: Path) -> None:
    renamed = tmp_path / "汇总表.xlsx"
    renamed.write_bytes(wps_xls_summary(tmp_path / "wps.xls").read_bytes())
    r = read_summary(renamed)
    assert r.ok, r.errors
    assert r.fmt == "xls" and _summary_tuples(r) == WPS_XLS_ROWS


def test_xls_subtotal_that_disagrees_is_named(tmp_path: Path) -> None:
    r = read_summary(wps_xls_summary(tmp_path / "wps.xls", first_subtotal=1203.57))
    assert [(e.row, e.column) for e in r.errors] == [(8, "总投资")]
    assert "小计与明细之和不符：表中为 1203.57 万元，逐行相加为 1203.573456 万元" in r.errors[0].message


# ---------------------------------------------------------------- estimates


def test_estimate_sections_items_and_checks(tmp_path: Path) -> None:
    e = read_estimate(estimate_sheet(tmp_path / "e.xlsx"))
    assert e.ok, e.errors
    got = [(x.row, x.section, x.name, str(x.quantity), x.unit, x.unit_price_fen, x.amount_fen, x.domestic)
           for x in e.rows]
    assert got == [
        (5, "硬件设备", "服务器", "2", "台", 8_500_000, 17_000_000, True),
        (6, "硬件设备", "交换机", "3", "台", 1_200_050, 3_600_150, False),
        (9, "软件开发", "共享交换平台开发", "12", "个月", 1_000_000, 12_000_000, True),
        (10, "软件开发", "数据库", "1", "套", 3_000_000, 3_000_000, False),
        (12, "其他费用", "监理费", "1", "项", 800_000, 800_000, False),
    ]
    assert e.total_fen == e.stated_total_fen == 36_400_150
    assert e.domestic_fen == 29_000_000


def test_estimate_formula_without_value_is_computed(tmp_path: Path) -> None:
    e = read_estimate(estimate_sheet(tmp_path / "e.xlsx", formula_without_value=True))
    assert e.ok, e.errors
    item = next(x for x in e.rows if x.row == 9)
    assert item.amount_fen == 12_000_000 and item.computed


def test_estimate_formula_that_cannot_be_computed_names_the_cell(tmp_path: Path) -> None:
    p = estimate_sheet(tmp_path / "e.xlsx")
    wb = openpyxl.load_workbook(p)
    wb.active["G12"] = "=1+1"  # 监理费 has no quantity or price
    wb.save(p)
    e = read_estimate(p)
    assert [(x.row, x.column) for x in e.errors] == [(12, "金额")]
    assert "单元格 G12 是公式" in e.errors[0].message


def test_estimate_wrong_product_and_total(tmp_path: Path) -> None:
    p = estimate_sheet(tmp_path / "e.xlsx")
    wb = openpyxl.load_workbook(p)
    wb.active["G5"] = 170001  # 2 × 85,000.00 ≠ 170,001; the subtotal (row 7) agrees with what is written
    wb.active["G7"] = 206002.5
    wb.active["G13"] = 364000  # the sheet's 合计 is wrong
    wb.save(p)
    e = read_estimate(p)
    assert [(x.row, x.column) for x in e.errors] == [(5, "金额"), (13, "金额")]
    assert "金额与数量×单价不符" in e.errors[0].message
    assert "合计与明细之和不符" in e.errors[1].message


@pytest.mark.parametrize("value,expected", [("是", True), ("否", False), ("Y", True), ("国产", True), ("", False)])
def test_estimate_domestic_words(tmp_path: Path, value: str, expected: bool) -> None:
    p = estimate_sheet(tmp_path / "e.xlsx")
    wb = openpyxl.load_workbook(p)
    wb.active["H5"] = value
    wb.save(p)
    e = read_estimate(p)
    assert e.ok and e.rows[0].domestic is expected


def test_cobuilt_needs_the_city_county_split(tmp_path: Path) -> None:
    rows = simple_rows()
    rows[2] += ["是否市县协同", "市级承担（元）", "县级承担（元）"]
    rows[3] += ["是", 200000, 300000]
    rows[4] += ["是", None, None]
    r = read_summary(sheet_from_rows(tmp_path / "c.xlsx", rows))
    # the split left blank on a co-built row is named at the split's column (第十二条)
    assert [(e.row, e.column, e.letter) for e in r.errors] == [(5, "市级承担(元)", "K")]
    assert "第十二条" in r.errors[0].message
    assert (r.rows[0].cobuilt, r.rows[0].city_share_fen, r.rows[0].county_share_fen) == (True, 20_000_000, 30_000_000)

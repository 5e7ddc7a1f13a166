"""The ledger and template writers: layout, formula-safe text, exact amounts."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import openpyxl
from python_calamine import CalamineWorkbook

from app.domain.inputs import MAX_FEN
from app.excel import read_summary, write_ledger, write_template
from app.excel.summary import PLAUSIBLE_MAX_FEN
from app.excel.writers import LEDGER_COLUMNS, wan


def _project(**kw: object) -> SimpleNamespace:
    base = dict(code="QS-2027-0001", name="平台", department="沁水县公安局", year=2027, category="数据采集",  # noqa: C408
                nature="新建", status_label="草稿", total_fen=123_456_789, county_fen=123_456_789, upper_fen=0,
                other_fen=0, year_request_fen=0, period_months=12, responsible_person="张三",
                responsible_phone="0356-1", cobuilt=False, city_share_fen=0, county_share_fen=0, content=None,
                note=None)
    return SimpleNamespace(**(base | kw))


def test_ledger_layout(tmp_path: Path) -> None:
    p = tmp_path / "l.xlsx"
    assert write_ledger(p, [_project(), _project(code="QS-2027-0002", name="二期", total_fen=5, county_fen=5)],
                        title="沁水县政务大数据项目台账") == 2
    ws = openpyxl.load_workbook(p).active
    assert ws["A1"].value == "沁水县政务大数据项目台账"
    assert ws.freeze_panes == "D5" and ws.print_title_rows == "$3:$4" and ws.auto_filter.ref.startswith("A4:")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert "J3:L3" in {str(r) for r in ws.merged_cells.ranges}  # 资金来源 over its three columns
    assert (ws["J3"].value, ws["J4"].value, ws["K4"].value, ws["L4"].value) == (
        "资金来源（万元）", "县级财政资金", "上级补助资金", "其他资金")
    assert ws["I5"].number_format == "#,##0.00####" and ws.column_dimensions["C"].width == 36
    assert ws["A7"].value == "合计"
    # exact to the fen: 123,456,789 fen = 123.456789 万元; 5 fen = 0.000005 万元
    assert str(ws["I5"].value) == "123.456789" and ws["I6"].value == 0.000005
    assert ws["I7"].value == 123.456794
    assert len(LEDGER_COLUMNS) == ws.max_column


def test_formula_like_text_is_written_as_text_and_negative_amounts_stay_numbers(tmp_path: Path) -> None:
    p = tmp_path / "l.xlsx"
    names = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx"]  # (XML turns a stored \r into \n)
    write_ledger(p, [_project(code=f"C{i}", name=n, note=n, total_fen=-100, county_fen=-100)
                     for i, n in enumerate(names)])
    ws = openpyxl.load_workbook(p).active
    for r, n in enumerate(names, 5):
        cell = ws.cell(r, 3)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (n, "s", True)
        assert ws.cell(r, 9).data_type == "n" and ws.cell(r, 9).value == -0.0001
    # a reader sees text, not formulas
    rows = CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    assert [rows[r][2] for r in range(4, 9)] == names
    # and the file's XML holds no formula
    import zipfile

    xml = zipfile.ZipFile(p).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml


def test_template_has_lists_and_instructions(tmp_path: Path) -> None:
    p = tmp_path / "t.xlsx"
    write_template(p, [f"单位{i}" for i in range(80)], 2028)  # longer than Excel's 255-character inline list
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == ["项目申报表", "填表说明", "选项"] and wb["选项"].sheet_state == "hidden"
    ws = wb["项目申报表"]
    formulas = sorted(dv.formula1 for dv in ws.data_validations.dataValidation)
    assert formulas == ['"是,否"', "'选项'!$A$1:$A$80", "'选项'!$B$1:$B$7", "'选项'!$C$1:$C$4"]
    assert "第三条" in wb["填表说明"]["A4"].value
    r = read_summary(p)  # the empty template is recognised: header found, no rows yet
    assert r.header_rows == [3, 4] and [e.message for e in r.errors] == ["表中没有项目数据行"]


TRICKY_TEXTS = ["第一行\r第二行", "Windows\r\n换行", "Excel 换行\n第二行", "字面的 _x000D_ 不是回车", "控制符\x01在内",
                "\r=开头是回车", "建设内容（一期），二期；  两个空格", "_x005F_"]


def test_ledger_text_reads_back_exactly(tmp_path: Path) -> None:
    """A carriage return (which XML would turn into a line break), control characters and text that looks like
    Excel's _xHHHH_ escapes are written so that a reader gets back exactly what was stored."""
    p = tmp_path / "l.xlsx"
    write_ledger(p, [_project(code=f"C{i}", name=f"项目{i}", content=t, note=t) for i, t in enumerate(TRICKY_TEXTS)])
    rows = CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    content_col = [c[2] for c in LEDGER_COLUMNS].index("content")
    note_col = [c[2] for c in LEDGER_COLUMNS].index("note")
    assert [rows[r][content_col] for r in range(4, 4 + len(TRICKY_TEXTS))] == TRICKY_TEXTS
    assert [rows[r][note_col] for r in range(4, 4 + len(TRICKY_TEXTS))] == TRICKY_TEXTS
    r = read_summary(p)  # the summary reader keeps free text as written, and refuses a control character
    assert [(e.row, e.column) for e in r.errors] == [(9, "建设内容"), (9, "备注")]  # "控制符\x01在内" (app.domain.inputs)
    assert all("控制字符" in e.message for e in r.errors)
    kept = [t for t in TRICKY_TEXTS if "\x01" not in t]
    p2 = tmp_path / "l2.xlsx"
    write_ledger(p2, [_project(code=f"C{i}", name=f"项目{i}", content=t, note=t) for i, t in enumerate(kept)])
    r = read_summary(p2)
    assert r.ok, r.errors
    assert [(x.content, x.note) for x in r.rows] == [(t.strip(), t.strip()) for t in kept]
    ws = openpyxl.load_workbook(p).active  # the formula-like one is still a quoted text cell
    assert (ws.cell(10, content_col + 1).data_type, ws.cell(10, content_col + 1).quotePrefix) == ("s", True)


def test_ledger_amounts_read_back_to_the_fen(tmp_path: Path) -> None:
    """Amounts are written as numbers in 万元 with up to six decimals: every fen, up to the largest amount the input
    rules allow (10^12 元), is in the file at Excel's 15 significant digits; the importer reads them back exactly
    (up to the size it takes from a 万元 column), sums included."""
    rng = random.Random(20271)
    amounts = [MAX_FEN, MAX_FEN - 1, 1, 99, 100_000_001, PLAUSIBLE_MAX_FEN - 1] + [
        rng.randrange(0, MAX_FEN) if i % 3 else rng.randrange(0, 10**9) for i in range(600)]
    p = tmp_path / "amounts.xlsx"
    write_ledger(p, [_project(code=f"C{i}", name=f"项目{i}", total_fen=f, county_fen=f // 3, upper_fen=f - f // 3,
                              year_request_fen=f // 7) for i, f in enumerate(amounts)])
    rows = CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    columns = [c[2] for c in LEDGER_COLUMNS]
    total_col, county_col = columns.index("total_fen"), columns.index("county_fen")
    for r, f in enumerate(amounts, 4):
        assert Decimal(format(rows[r][total_col], ".15g")) * 10**6 == f
        assert Decimal(format(rows[r][county_col], ".15g")) * 10**6 == f // 3
    assert rows[4 + len(amounts)][total_col] == float(wan(sum(amounts)))  # the 合计 row
    small = [f for f in amounts if f < PLAUSIBLE_MAX_FEN]  # larger figures in a 万元 column are refused as 元 typos
    write_ledger(p, [_project(code=f"C{i}", name=f"项目{i}", total_fen=f, county_fen=f // 3, upper_fen=f - f // 3,
                              year_request_fen=f // 7) for i, f in enumerate(small)])
    r = read_summary(p)
    assert r.ok, r.errors[:3]
    assert [(x.total_fen, x.county_fen, x.upper_fen, x.year_request_fen) for x in r.rows] == [
        (f, f // 3, f - f // 3, f // 7) for f in small]

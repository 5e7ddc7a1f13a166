"""Awkward sheets built with openpyxl, as departments really send them (shared by the Excel tests)."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def messy_summary(path: Path) -> Path:
    """Title, 填报单位 line with a unit, a merged two-level header, group/subtotal/total rows, blank rows,
    notes, a hidden column, text numbers, full-width digits, dashes, '12个月', 是/否, stray spaces."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ws.append(["2027年度政务大数据项目预算申报汇总表"])
    ws.merge_cells("A1:L1")
    ws.append(["填报单位：沁水县公安局", None, None, None, None, None, None, None, None, None, None, "单位：万元"])
    ws.append(["序号", "项目名称", "申报单位", "项目类别", "建设性质", "项目总投资", "资金来源", None, None,
               "本年申请", "建设周期", "内部编号", "是否市县协同"])
    ws.append([None, None, None, None, None, None, "县级财政资金", "上级补助", "其他资金", None, None, None, None])
    for col in "ABCDEFJKLM":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("G3:I3")
    ws.append(["一、新建项目"])
    ws.append([1, " 智慧公安 平台 ", "沁水县 公安局", "信息应用系统开发", "新建", "１２３．４５", "100.45", "23", "—",
               "50", "12个月", "X-1", "否"])
    ws.append([2, "视频专网扩容", "县公安局", "信息网络及软硬件支撑系统", "扩建", 80, 80, "-", None, "80", 6, "X-2", "否"])
    ws.append(["小计", None, None, None, None, 203.45, 180.45, 23, 0, 130])
    ws.append([])
    ws.append(["二、运维项目"])
    ws.append([3, "政务云运维", "财政局", "信息网络及软硬件支撑系统", "运维", "1,000.5", "1,000.5", "", "", "1000.5",
               "12", "X-3", ""])
    ws.append(["小计", None, None, None, None, 1000.5, 1000.5, 0, 0, 1000.5])
    ws.append(["合计", None, None, None, None, 1203.95, 1180.95, 23, 0, 1130.5])
    ws.append(["注：本表金额单位为万元。"])
    ws.append(["填报人：张三", None, "审核人：李四", None, "联系电话：0356-7012345"])
    ws.column_dimensions["L"].hidden = True
    wb.save(path)
    return path


def write_ods(path: Path, rows: list[list[object]], sheet: str = "表1") -> Path:
    """A minimal OpenDocument spreadsheet written by hand (openpyxl cannot write .ods)."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(v: object) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p>'
                    "</table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def simple_rows() -> list[list[object]]:
    return [
        ["2027年度项目汇总表"],
        ["单位：元"],
        ["项目名称", "实施单位", "项目类别", "建设性质", "总投资", "县级财政资金", "上级补助资金", "其他资金", "本年申请资金"],
        ["数据共享交换平台", "县财政局", "数据采集", "新建", 500000, 300000, 200000, 0, 100000],
        ["等保测评", "县公安局", "网络安全", "改造升级", "12,345.67", "12345.67", "-", "—", ""],
    ]


def sheet_from_rows(path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def estimate_sheet(path: Path, formula_without_value: bool = False, bad_total: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "投资概算"
    ws.append(["某项目投资概算表"])
    ws.append(["单位：元"])
    ws.append(["序号", "名称", "规格型号", "单位", "数量", "单价", "金额", "是否国产", "备注"])
    ws.append(["一", "硬件设备"])
    ws.append([1, "服务器", "2路 64核", "台", 2, "85,000.00", 170000, "是", None])
    ws.append([2, "交换机", None, "台", "３", 12000.5, 36001.5, "否", None])
    ws.append(["小计", None, None, None, None, None, 206001.5])
    ws.append(["二、软件开发"])
    ws.append([1, "共享交换平台开发", None, None, "12个月", 10000, "=E9*F9" if formula_without_value else 120000,
               "√", None])
    ws.append([2, "数据库", None, "套", 1, 30000, 30000, "×", "进口"])
    ws.append(["三、其他费用"])
    ws.append([1, "监理费", None, "项", None, None, 8000, "", None])
    ws.append(["合计", None, None, None, None, None, 364001.5 + (1 if bad_total else 0)])
    ws.append(["编制人：王五"])
    wb.save(path)
    return path


def wps_xls_summary(path: Path, first_subtotal: float = 1203.573456) -> Path:
    """A legacy .xls as WPS users send it (written with xlwt): a cover sheet first, a hidden list sheet, then the
    summary with a merged title, 填报单位 and unit line, a merged two-level header, group, subtotal and total rows,
    amounts as numbers with a number format, as text with thousands separators and full-width digits, and notes.
    `first_subtotal`: the 总投资 of the first 小计 row (1203.573456 agrees with the rows above it)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    cover = wb.add_sheet("封面")
    cover.write(0, 0, "2027年度政务大数据项目预算申报材料")
    lists = wb.add_sheet("下拉选项")
    lists.write(0, 0, "项目名称")  # would look like a header if hidden sheets were searched
    lists.write(0, 1, "总投资")
    lists.visibility = 1
    ws = wb.add_sheet("预算申报汇总表")
    money = xlwt.easyxf(num_format_str="#,##0.00")
    ws.write_merge(0, 0, 0, 10, "2027年度政务大数据项目预算申报汇总表")
    ws.write(1, 0, "填报单位：沁水县公安局")
    ws.write(1, 9, "单位：万元")
    for c, label in enumerate(["序号", "项目名称", "实施单位", "项目类别", "建设性质", "总投资"]):
        ws.write_merge(2, 3, c, c, label)
    ws.write_merge(2, 2, 6, 8, "资金来源")
    for c, label in ((6, "县级财政资金"), (7, "上级补助资金"), (8, "其他资金")):
        ws.write(3, c, label)
    ws.write_merge(2, 3, 9, 9, "本年申请资金")
    ws.write_merge(2, 3, 10, 10, "建设周期")
    rows = [
        ["一、新建项目"],
        [1, "智慧公安平台", "县公安局", "信息应用系统开发", "新建", 123.45, 100.45, 23, 0, 50, "12个月"],
        [2, "视频专网扩容", "沁水县公安局", "信息网络及软硬件支撑系统", "扩建", "1,080.123456", "１０８０．１２３４５６", "—",
         "", "80", 6],
        ["小计", None, None, None, None, first_subtotal, 1180.573456, 23, 0, 130],
        ["二、运维项目"],
        [3, "政务云运维", "县公安局", "信息网络及软硬件支撑系统", "运维", 0.01, 0, 0.01, 0, 0.01, 12],
        ["小计", None, None, None, None, 0.01, 0, 0.01, 0, 0.01],
        ["合计", None, None, None, None, 1203.583456, 1180.573456, 23.01, 0, 130.01],
        ["注：金额单位为万元。"],
        ["填报人：张三", None, "审核人：李四"],
    ]
    for r, values in enumerate(rows, 4):
        for c, v in enumerate(values):
            if v is not None:
                ws.write(r, c, v, money if isinstance(v, float) else xlwt.Style.default_style)
    wb.save(str(path))
    return path

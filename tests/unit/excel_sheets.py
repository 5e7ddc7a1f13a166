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
    ws.append([2, "视频专网扩容", "县公安局", "信息网络及软硬件支撑系统", "扩建", 80, 80, "-", None, "80", 6, "X-2", "是"])
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

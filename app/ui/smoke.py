"""The Qt half of `govdata smoke` (app/cli/smoke.py): the Qt parts a trimmed bundle could lose without the register
window noticing. QtCharts and QtPdf are imported only when the dashboard or a print preview opens, and the ICU
data (sorting Chinese by pinyin, time-zone names) is trimmed in the Linux bundle (installer/icu_trim.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCollator, QLocale, QSize, Qt, QTimeZone
from PySide6.QtWidgets import QApplication

from app.ui.app import make_application
from app.ui.printing import PrintPreviewDialog

# 安 ān < 李 lǐ < 王 wáng < 张 zhāng: code-point order would put 张 (U+5F20) before 李 (U+674E).
PINYIN_ORDER = ["安监局", "李四", "王五", "张三"]


def _colours(image) -> int:  # image: QImage
    return len({image.pixel(x, y) for x in range(0, image.width(), 8) for y in range(0, image.height(), 8)})


def check_chart() -> str:
    """Draw a bar chart with Chinese labels offscreen (QtCharts, loaded lazily by the dashboard)."""
    from PySide6.QtCharts import (  # loaded lazily by the window, so checked here by name
        QBarCategoryAxis,
        QBarSeries,
        QBarSet,
        QChart,
        QChartView,
    )


    make_application([sys.argv[0] or "govdata"])
    chart = QChart()
    chart.setTitle("各年度项目投资（万元）")
    bars = QBarSet("总投资")
    bars.append([120.5, 340.0, 88.25])
    series = QBarSeries()
    series.append(bars)
    chart.addSeries(series)
    axis = QBarCategoryAxis()
    axis.append(["2025", "2026", "2027"])
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(chart)
    view.resize(480, 320)
    view.show()
    QApplication.processEvents()
    image = view.grab().toImage()
    view.close()
    colours = _colours(image)
    if image.width() < 400 or colours < 3:
        raise AssertionError(f"图表为空白（{image.width()}×{image.height()}，{colours} 种颜色）")
    return f"柱状图 {image.width()}×{image.height()}"


def check_pdf_preview(pdf: Path) -> str:
    """Open a PDF in the print preview (QtPdf) and render its first page."""

    make_application([sys.argv[0] or "govdata"])
    dialog = PrintPreviewDialog(pdf.read_bytes(), "冒烟检查")
    try:
        pages = dialog.document.pageCount()
        if pages < 1:
            raise AssertionError(f"PDF 预览无法打开文件（{dialog.document.error()}）")
        image = dialog.document.render(0, QSize(210, 297))
        if image.isNull() or _colours(image) < 2:
            raise AssertionError("PDF 预览第 1 页渲染为空白")
    finally:
        dialog.close()
        dialog.deleteLater()
    return f"PDF 预览 {pages} 页"


def check_icu() -> str:
    """Chinese sorts by pinyin and Beijing time has its Chinese name: both come from the ICU data."""
    zh = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    collator = QCollator(zh)
    got = sorted(["张三", "王五", "安监局", "李四"], key=collator.sortKey)
    if got != PINYIN_ORDER:
        raise AssertionError(f"中文排序不是拼音顺序：{'、'.join(got)}")
    tz = QTimeZone(b"Asia/Shanghai")
    name = tz.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, zh)
    if not tz.isValid() or not name:
        raise AssertionError("时区 Asia/Shanghai 不可用")
    return f"拼音排序、时区“{name}”"

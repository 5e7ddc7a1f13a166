"""Benchmark: one approval form vs a bare one-page ReportLab table with the same cells and font (same run),
and memory over a batch of 200 forms. Run: python bench/bench_reports.py
"""

from __future__ import annotations

import gc
import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from app.reports import render_form
from app.reports.blocks import amount_line, cn_date
from app.reports.fonts import fonts
from app.reports.samples import approval


def bare_table(cells: list[list[str]]) -> bytes:
    """The same cells in the same font as plain wrapped paragraphs in a gridded table, nothing else."""
    st = ParagraphStyle("c", fontName=fonts().song.name, fontSize=10.5, leading=15, wordWrap="CJK")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    t = Table([[Paragraph(c, st) for c in row] for row in cells], colWidths=[77, 157, 77, 157])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, "black")]))
    doc.build([t])
    return buf.getvalue()


def approval_cells() -> list[list[str]]:
    f = approval()
    p = f.project
    return [
        ["项目名称", p.name, "", ""], ["项目编号", p.code, "实施单位", p.department],
        ["项目类别", p.category, "建设性质", p.nature], ["建设年度", f"{p.year}年", "建设周期", f"{p.period_months}个月"],
        ["项目负责人", f"{p.responsible_person} {p.responsible_phone}", "市县协同建设", "否"],
        ["总投资", amount_line(p.total_fen), "", ""], ["资金来源", "县级财政资金…", "", ""],
        ["建设内容", p.content or "", "", ""],
        ["申请材料", "；".join(m.label for m in f.materials), "", ""], ["技术审核结论", f.review_conclusion, "", ""],
        ["列入年度计划", "是", "", ""], ["批准投资额", amount_line(f.approved_fen), "", ""],
        ["主管部门审批意见", f"{f.bureau_opinion} 审批人（签字） {cn_date(f.decided_on)}", "", ""],
        ["县领导意见", f"{f.leader_opinion} 领导（签字）", "", ""],
    ]


def timed(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    t0 = time.perf_counter()
    fonts()
    print(f"font discovery and registration (once): {(time.perf_counter() - t0) * 1000:.0f} ms")
    data, cells = approval(), approval_cells()
    render_form("approval", data, "BD2027000001")  # warm both paths
    bare_table(cells)
    n = 30
    form_s = timed(lambda: render_form("approval", data, "BD2027000001"), n)
    bare_s = timed(lambda: bare_table(cells), n)
    ratio = form_s / bare_s
    print(f"approval form: {form_s * 1000:.1f} ms   bare table: {bare_s * 1000:.1f} ms   ratio {ratio:.2f}x "
          f"(limit 4x) {'OK' if ratio <= 4 else 'TOO SLOW'}")

    gc.collect()
    tracemalloc.start()
    peaks = []
    for i in range(200):
        render_form("approval", data, f"BD2027{i:06d}")
        if i in (19, 99, 199):
            gc.collect()
            peaks.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()
    growth = peaks[-1] - peaks[0]
    print(f"200 forms: traced memory after 20 / 100 / 200 forms: "
          f"{' / '.join(f'{p / 1024:.0f} KiB' for p in peaks)}; growth 20→200: {growth / 1024:.0f} KiB "
          f"({'no growth' if growth < 512 * 1024 else 'GROWS'})")


if __name__ == "__main__":
    main()

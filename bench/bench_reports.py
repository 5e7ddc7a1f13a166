"""Benchmark the printed forms against bare ReportLab doing the same drawing, in the same run.

1. One approval form vs a bare one-page ReportLab table with the same cells and font (limit 4x), and memory over
   a batch of 200 forms (no growth).
2. The ledger of one year at 1,000 / 20,000 / 100,000 projects vs a bare ReportLab table of the same rows, font,
   size and column widths (plain strings, a grid, the header repeated on each page, cut into tables of 200 rows
   so that the bare one grows linearly too). Limit 3x at every size, growing linearly (time per row flat). Each
   size runs in a child process of its own, so its peak memory is its own.

Medians of alternating runs (the machine is shared). Run: python bench/bench_reports.py [--sizes 1000,20000,100000]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from app.reports import compose, render_doc, render_form
from app.reports import data as d
from app.reports import doc as blocks
from app.reports.fonts import fonts
from app.reports.render import Layout, fit_columns, measurer
from app.reports.samples import LH, approval
from app.reports.templates import amount_line, cn_date


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


def alternating(a, b, n: int) -> tuple[float, float]:
    ta, tb = [], []
    for _ in range(n):
        t = time.perf_counter()
        a()
        ta.append(time.perf_counter() - t)
        t = time.perf_counter()
        b()
        tb.append(time.perf_counter() - t)
    return statistics.median(ta), statistics.median(tb)


# ---------------------------------------------------------------- the ledger

DEPTS = ("县行政审批服务管理局", "县卫生健康和体育局", "县教育局", "县公安局", "县市场监督管理局", "龙港镇人民政府",
         "县农业农村局", "沁水经济技术开发区管理委员会")
TOPICS = ("政务服务数据共享平台", "视频资源整合", "健康信息平台数据治理", "智慧校园", "信用监管平台", "基层治理网格",
          "农业大数据采集", "企业服务数据平台升级改造及数据接口开发")
CATS = ("数据采集", "数据清洗", "信息应用系统开发", "信息网络及软硬件支撑系统", "数据交易和开发利用")
STATES = ("建设中", "已初验", "已验收", "运维中", "已列入预算")


def ledger_data(n: int) -> d.Ledger:
    lines = tuple(d.LedgerLine(
        f"QS-2027-{i:06d}", f"{TOPICS[i % len(TOPICS)]}（第{i // len(TOPICS) + 1}期）", DEPTS[i % len(DEPTS)], 2027,
        CATS[i % len(CATS)], "新建" if i % 3 else "改造升级", STATES[i % len(STATES)],
        (i * 7919 % 9_000_000 + 100_000) * 100, (i * 7919 % 8_000_000 + 50_000) * 100, (i * 104_729 % 5_000_000) * 100,
        (i * 1_299_709 % 3_000_000) * 100) for i in range(1, n + 1))
    return d.Ledger(LH, "沁水县政务大数据项目台账", "年度：2027", lines)


def bare_ledger(table: blocks.ListTable, widths: list[float], chunk: int = 200) -> bytes:
    rows = [[c.header for c in table.columns]] + [list(r) for r in table.rows]
    style = TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts().song.name), ("FONTSIZE", (0, 0), (-1, -1), table.size),
                        ("GRID", (0, 0), (-1, -1), 0.6, "black")])
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4))
    story = []
    for i in range(1, len(rows), chunk):
        t = Table([rows[0]] + rows[i:i + chunk], colWidths=widths, repeatRows=1)
        t.setStyle(style)
        story.append(t)
    doc.build(story)
    return buf.getvalue()


def child_ledger(n: int, repeats: int) -> dict:
    """In a process of its own: compose, render and the bare table, alternating; peak memory of the ours."""
    fonts()
    data = ledger_data(n)
    t = time.perf_counter()
    doc = compose("ledger", data)
    compose_s = time.perf_counter() - t
    table = next(b for b in doc.blocks if isinstance(b, blocks.ListTable))
    fs = fonts()
    widths = fit_columns(table, Layout("landscape").width, measurer(fs.song, table.size), measurer(fs.hei, table.size))
    assert widths is not None
    pages: list[int] = []

    def ours() -> None:
        done = []
        pdf = render_doc(doc, "BD2027000001", "a" * 64, progress=lambda a, b: done.append(a), cancelled=lambda: False)
        pages.append(pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages"))

    ours()  # alone first: the peak memory is the layout's own
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    ours_s, bare_s = alternating(ours, lambda: bare_ledger(table, widths), repeats)
    return {"n": n, "compose": compose_s, "render": ours_s, "bare": bare_s, "pages": pages[-1], "rss_mb": rss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,20000,100000")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--repeats", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child_ledger(args.child, args.repeats)))
        return

    t0 = time.perf_counter()
    fonts()
    print(f"font discovery and registration (once): {(time.perf_counter() - t0) * 1000:.0f} ms")
    data, cells = approval(), approval_cells()
    render_form("approval", data, "BD2027000001")  # warm both paths
    bare_table(cells)
    form_s, bare_s = alternating(lambda: render_form("approval", data, "BD2027000001"), lambda: bare_table(cells), 30)
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

    print("\nledger of one year (landscape, 9 pt, every row of the year) vs a bare ReportLab table of the same rows:")
    print(f"{'projects':>9} {'pages':>6} {'compose':>8} {'layout':>8} {'bare':>8} {'ratio':>6} {'+compose':>8} "
          f"{'µs/row':>7} {'bare µs/row':>11} {'peak MB':>8}")
    per_row = []
    for n in (int(x) for x in args.sizes.split(",")):
        repeats = 5 if n <= 2000 else 3 if n <= 30000 else 1
        out = subprocess.run([sys.executable, __file__, "--child", str(n), "--repeats", str(repeats)],
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        ratio = r["render"] / r["bare"]
        whole = (r["render"] + r["compose"]) / r["bare"]
        per_row.append(r["render"] / n)
        print(f"{n:>9,} {r['pages']:>6} {r['compose']:>7.2f}s {r['render']:>7.2f}s {r['bare']:>7.2f}s {ratio:>5.2f}x "
              f"{whole:>7.2f}x {r['render'] / n * 1e6:>7.0f} {r['bare'] / n * 1e6:>11.0f} {r['rss_mb']:>8.0f}"
              f"  {'OK' if whole <= 3 else 'TOO SLOW'}")
    if len(per_row) > 1:
        growth = per_row[-1] / per_row[0]
        print(f"time per row, largest vs smallest: {growth:.2f}x ({'linear' if growth < 1.5 else 'GROWS FASTER THAN THE ROWS'})")


if __name__ == "__main__":
    main()

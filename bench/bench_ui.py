"""Window speed, as ratios against a bare PySide6 QMainWindow + QTableView measured in the same run.

    python bench/bench_ui.py [--runs 3]

1. Cold start (fresh process each run, offscreen): bare window first paint; our main window first paint; our
   register showing its rows on the demo database (built once beforehand; --demo opens signed in as its
   reviewer), the window opening on 项目库.
   Targets (issue 18): painted ≤ 1.5× bare, the register's first screenful ≤ 2× bare.
2. Filtering a register of 20,000 projects by a typed word: worst and median time per keystroke (target < 30 ms;
   bench_scale.py does the same on real databases of 1,000 to 100,000 projects).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = r"""
import time, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
from PySide6.QtGui import QStandardItemModel
from PySide6.QtCore import QObject, QEvent
app = QApplication([])
w = QMainWindow(); t = QTableView(); t.setModel(QStandardItemModel(10, 5)); w.setCentralWidget(t)
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            print("painted", time.time(), flush=True); app.quit()
        return False
f = F(); w.installEventFilter(f); w.resize(1280, 720); w.show(); app.exec()
"""

OURS = r"""
import time, sys
from app.ui import app as ui_app
from PySide6.QtCore import QTimer, QObject, QEvent
app = ui_app.make_application()
w = ui_app.create_window(demo=True, ask_first_run=False)
w.resize(1280, 720)
w.first_painted.connect(lambda: print("painted", time.time(), flush=True))
class RowsPainted(QObject):  # the table's next paint after the first screenful was handed to it
    armed = False
    def eventFilter(self, o, e):
        if self.armed and e.type() == QEvent.Type.Paint:
            self.armed = False
            print("first", time.time(), flush=True)
        return False
rp = RowsPainted()
def built(key, reg):  # the shown page is built right after the window's first paint
    if key != "register":
        return
    reg.table.viewport().installEventFilter(rp)
    reg.first_rows_shown.connect(lambda n: setattr(rp, "armed", True))
    reg.rows_shown.connect(lambda n: (print("rows", time.time(), n, flush=True), app.quit()))
w.page_built.connect(built)
QTimer.singleShot(60000, app.quit)
app.exec()
"""


def spawn(code: str, env: dict[str, str]) -> dict[str, float]:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False,
                         cwd=ROOT).stdout
    marks = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in ("painted", "first", "rows"):
            marks[parts[0]] = float(parts[1]) - start
    return marks


def cold_start(runs: int) -> None:
    home = tempfile.mkdtemp(prefix="govdata-bench-")
    Path(home, "ui.ini").write_text("[window]\nsection=1\n")  # opens on 项目库, as a person who left it there
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVDATA_HOME=home, PYTHONPATH=str(ROOT))
    spawn(OURS, env)  # builds the demo database once
    bare, painted, first, rows = [], [], [], []
    for _ in range(runs):
        bare.append(spawn(BARE, env)["painted"])
        m = spawn(OURS, env)
        painted.append(m["painted"])
        first.append(m.get("first", m["rows"]))  # the full load may come first: then it is what was shown
        rows.append(m["rows"])
    b, p, f, r = (statistics.median(x) for x in (bare, painted, first, rows))
    print(f"cold start, median of {runs} (process start → mark, offscreen)")
    print(f"  bare QMainWindow+QTableView painted  {b:.3f} s  = 1.00×")
    print(f"  main window painted                   {p:.3f} s  = {p / b:.2f}×   (target ≤ 1.5×)")
    print(f"  register's first screenful painted    {f:.3f} s  = {f / b:.2f}×   (target ≤ 2×; pages read with sqlite3)")
    print(f"  register's index loaded (worker)      {r:.3f} s  = {r / b:.2f}×   (filters, sorting and totals ready)")


def filtering() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from app.ui.context import UiContext
    from app.ui.register import RegisterPage

    app = QApplication.instance() or QApplication([])
    from dataclasses import make_dataclass

    fields = ["id", "code", "name", "department", "year", "category", "nature", "status", "status_label",
              "total_fen", "county_fen", "upper_fen", "other_fen", "year_request_fen", "approved_fen",
              "responsible_person"]
    Row = make_dataclass("Row", fields, frozen=True)
    depts = [f"沁水县第{i}局" for i in range(60)]
    rows = [Row(i, f"QS-{2020 + i % 8}-{i:05d}", f"{['智慧', '数据', '平台', '共享'][i % 4]}项目{i}号",
                depts[i % 60], 2020 + i % 8, "信息应用系统开发", "新建", "draft", "草稿", i * 100, i * 100, 0, 0,
                0, None, "张三") for i in range(20_000)]
    page = RegisterPage(UiContext())
    page.resize(1280, 640)
    page.show()
    page.set_projects(rows)
    app.processEvents()
    times = []
    for word in ("智慧项目1", "QS-2027-1", "沁水县第5局", "张三 数据"):
        page.search.clear()
        app.processEvents()
        text = ""
        for ch in word:
            text += ch
            t0 = time.perf_counter()
            page.search.setText(text)
            page.table.viewport().repaint()
            app.processEvents()
            times.append(time.perf_counter() - t0)
    print(f"filtering 20,000 projects, {len(times)} keystrokes (filter + totals + repaint)")
    print(f"  median {statistics.median(times) * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms  "
          f"= {max(times) / 0.03:.2f}× the 30 ms budget")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cold_start(args.runs)
    filtering()

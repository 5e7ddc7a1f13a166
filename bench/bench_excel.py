"""Excel speed and memory, measured in one run, printed as ratios (issue 3).

    /work/venv/bin/python bench/bench_excel.py [--rows 10000] [--memory-rows 100000] [--rounds 3]

1. Importing a generated N-row summary sheet (read, validate, write to a fresh SQLite register) against
   openpyxl's read-only mode merely reading the same cells. Bar: ratio < 0.5 (best of --rounds alternating rounds).
2. Exporting N projects (query + ledger with styles, merged header, totals) against a bare openpyxl
   write-only dump of the same cells. Bar: ratio <= 2.
3. Peak memory (max RSS of a child process) of importing a 100,000-row sheet. Bar: < 500 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEPARTMENTS = [f"沁水县第{i}局" for i in range(1, 41)]
CATEGORIES = ["数据采集", "信息应用系统开发", "信息网络及软硬件支撑系统", "网络信息安全系统"]
HEADER = ["序号", "项目名称", "实施单位", "年度", "项目类别", "建设性质", "总投资（万元）", "县级财政资金（万元）",
          "上级补助资金（万元）", "其他资金（万元）", "本年申请资金（万元）", "建设周期（月）", "备注"]


def make_sheet(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("汇总表")
    ws.append(["2027年度政务大数据项目预算申报汇总表"])
    ws.append(HEADER)
    for i in range(1, rows + 1):
        total = 10 + (i % 997) * 1.25
        ws.append([i, f"项目{i:06d}", DEPARTMENTS[i % len(DEPARTMENTS)], 2027, CATEGORIES[i % 4], "新建", total,
                   total - 5, 5, 0, 10, 12, "备注"])
    wb.save(path)


def openpyxl_read(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    n = 0
    for row in wb.active.iter_rows(values_only=True):
        n += sum(1 for v in row if v is not None)
    wb.close()
    return n


def fresh_db(folder: Path, name: str):
    from app.domain.actor import SETUP_ACTOR
    from app.services.master import add_department
    from app.storage.database import open_database

    db = open_database(folder / name)
    with db.uow(SETUP_ACTOR) as uow:
        for d in DEPARTMENTS:
            add_department(uow, d)
        uow.commit()
    return db


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def bench_import(folder: Path, rows: int, rounds: int) -> None:
    """Rounds alternate the two sides (openpyxl read, then an import into a fresh register), so a burst of load
    from other processes hits both; the ratio is of the best times, and each round's own ratio is printed too."""
    from app.domain.actor import SETUP_ACTOR
    from app.services.imports import run_import

    sheet = folder / "summary.xlsx"
    make_sheet(sheet, rows)
    t_reads, t_imports = [], []
    for n in range(rounds):
        db = fresh_db(folder, f"import{n}.sqlite3")
        t_openpyxl, cells = timed(openpyxl_read, sheet)
        t_import, report = timed(run_import, db, SETUP_ACTOR, sheet)
        assert report.ok and len(report.created) == rows, report.errors[:3]
        db.dispose()
        t_reads.append(t_openpyxl)
        t_imports.append(t_import)
    each = ", ".join(f"{i / r:.2f}" for i, r in zip(t_imports, t_reads, strict=True))
    print(f"import {rows:,} rows: {min(t_imports):.2f} s (read+validate+write); openpyxl read-only read of the same "
          f"{cells:,} cells: {min(t_reads):.2f} s; ratio {min(t_imports) / min(t_reads):.2f} (bar < 0.5; best of "
          f"{rounds} rounds; each round: {each})")


def bench_export(folder: Path, rows: int) -> None:
    from openpyxl import Workbook

    from app.domain.actor import SETUP_ACTOR
    from app.excel.writers import LEDGER_COLUMNS, write_ledger
    from app.services.imports import run_import
    from app.services.projects import list_projects

    sheet = folder / "summary.xlsx"
    if not sheet.exists():
        make_sheet(sheet, rows)
    db = fresh_db(folder, "export.sqlite3")
    assert run_import(db, SETUP_ACTOR, sheet).ok

    def export() -> int:
        with db.uow(SETUP_ACTOR, write=False) as uow:
            projects = list_projects(uow)
        return write_ledger(folder / "ledger.xlsx", projects)

    with db.uow(SETUP_ACTOR, write=False) as uow:
        projects = list_projects(uow)
    values = [[i] + [getattr(p, c[2]) for c in LEDGER_COLUMNS[1:]] for i, p in enumerate(projects, 1)]

    def bare() -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("dump")
        for v in values:
            ws.append(v)
        wb.save(folder / "bare.xlsx")

    t_bare, _ = timed(bare)
    t_export, n = timed(export)
    db.dispose()
    print(f"export {n:,} projects: {t_export:.2f} s (query + styled ledger); bare openpyxl write-only dump of the "
          f"same cells: {t_bare:.2f} s; ratio {t_export / t_bare:.2f} (bar <= 2)")


def memory_child(folder: str, rows: int) -> None:
    from app.domain.actor import SETUP_ACTOR
    from app.services.imports import run_import

    f = Path(folder)
    db = fresh_db(f, "memory.sqlite3")
    report = run_import(db, SETUP_ACTOR, f / "big.xlsx")
    assert report.ok and len(report.created) == rows, report.errors[:3]
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{peak_kb}")


def bench_memory(folder: Path, rows: int) -> None:
    make_sheet(folder / "big.xlsx", rows)
    t = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", str(folder), str(rows)], check=True,
                         capture_output=True, text=True, env=os.environ | {"GOVDATA_HOME": str(folder)})
    peak_mb = int(out.stdout.strip().splitlines()[-1]) / 1024
    print(f"import {rows:,} rows: peak memory {peak_mb:.0f} MB (max RSS of the importing process, bar < 500 MB), "
          f"{time.perf_counter() - t:.1f} s; size of the sheet {(folder / 'big.xlsx').stat().st_size / 1e6:.1f} MB")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        memory_child(sys.argv[2], int(sys.argv[3]))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--memory-rows", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3, help="import rounds (best time counts)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["GOVDATA_HOME"] = str(folder)
        bench_import(folder, args.rows, args.rounds)
        bench_export(folder, args.rows)
        if args.memory_rows:
            bench_memory(folder, args.memory_rows)


if __name__ == "__main__":
    main()

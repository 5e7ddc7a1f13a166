"""Excel speed and memory, whole processes measured in one run, printed as ratios (issues 12 and 18).

    python bench/bench_excel.py [--rows 10000] [--memory-rows 100000] [--export-sizes 1000,20000,100000] [--rounds 5]
                                [--before DIR]

The program's modules are compiled to bytecode first (python -m compileall app, as bench_scale.py does): an installed
program has its bytecode, and a process that compiles its sources at each start (PYTHONDONTWRITEBYTECODE, a
checkout not yet run) measures the compiler. --before DIR: a checkout of another commit (e.g. `git worktree add` or
`git archive main | tar -x -C DIR`), compiled the same way and run in the same alternating rounds, so before and
after are measured side by side.

1. Import: `govdata import-projects` of an N-row sheet into a database that has the departments, as a whole process,
   against python-calamine merely reading the same sheet in a process of its own. Rounds alternate the two sides;
   the ratio of the medians is printed with each round's. Bar: <= 4x. The databases were set up earlier that day
   (their daily backup taken); one more run shows the import as the day's first command, backup included.
2. Peak memory (max RSS) of the whole `govdata import-projects` process at --memory-rows. Bar: < 300 MB.
3. Export: `govdata export-projects` as a whole process against a bare openpyxl write-only dump of the same cells
   (read with sqlite3) in a process of its own, at each size (the databases are filled through the import).
   Bar: <= 1.5x at every size.
4. Start-up: the ten heaviest modules `govdata import-projects` imports (python -X importtime).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEPARTMENTS = [f"沁水县第{i}局" for i in range(1, 41)]
CATEGORIES = ["数据采集", "信息应用系统开发", "信息网络及软硬件支撑系统", "网络信息安全系统"]
HEADER = ["序号", "项目名称", "实施单位", "项目类别", "建设性质", "总投资（万元）", "县级财政资金（万元）",
          "上级补助资金（万元）", "其他资金（万元）", "2027年申请资金（万元）", "建设周期", "项目责任人", "联系电话",
          "备注"]
CALAMINE_READ = ("import sys\nfrom python_calamine import CalamineWorkbook\n"
                 "wb = CalamineWorkbook.from_path(sys.argv[1])\n"
                 "rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)\n"
                 "print(sum(1 for r in rows for v in r if v not in ('', None)))\n")
BARE_DUMP = ("import sqlite3, sys\nfrom openpyxl import Workbook\n"
             "con = sqlite3.connect(sys.argv[1])\n"
             "wb = Workbook(write_only=True)\nws = wb.create_sheet('dump')\n"
             "for n, row in enumerate(con.execute('SELECT p.code, p.name, d.name, p.year, p.category, p.nature, "
             "p.status, p.total_fen / 1000000.0, p.county_fen / 1000000.0, p.upper_fen / 1000000.0, "
             "p.other_fen / 1000000.0, p.year_request_fen / 1000000.0, p.period_months, p.responsible_person, "
             "p.responsible_phone, p.cobuilt, p.city_share_fen / 1000000.0, p.county_share_fen / 1000000.0, "
             "p.content, p.note FROM projects p JOIN departments d ON d.id = p.department_id "
             "ORDER BY p.year DESC, p.code'), 1):\n"
             "    ws.append([n, *row])\n"
             "wb.save(sys.argv[2])\n")


def make_sheet(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("汇总表")
    ws.append(["沁水县2027年度政务大数据项目预算申报汇总表"])
    ws.append(HEADER)
    for i in range(1, rows + 1):
        total = 10 + (i % 997) * 1.25
        ws.append([i, f"项目{i:06d}", DEPARTMENTS[i % len(DEPARTMENTS)], CATEGORIES[i % 4], "新建", total,
                   total - 5, 5, 0, 10, "12个月", "张三", "0356-7012345", "备注"])
    wb.save(path)


def fresh_db(path: Path, backed_up: bool = True) -> None:
    """A database with the departments, as set up earlier: `backed_up`, its backup of the day is taken already
    (the first command of a day backs the database up; an import later that day does not)."""
    from app.domain.actor import SETUP_ACTOR
    from app.services.master import add_department
    from app.storage.backup import daily_backup_if_due
    from app.storage.database import open_database

    db = open_database(path)
    with db.uow(SETUP_ACTOR) as uow:
        for d in DEPARTMENTS:
            add_department(uow, d)
        uow.commit()
    db.dispose()
    if backed_up:
        daily_backup_if_due(path)


def fresh_db_of(root: Path, path: Path, env: dict) -> None:
    """fresh_db by the checkout at `root` (its own schema: a newer migration's database is refused by older code)."""
    code = ("import sys; from pathlib import Path; sys.path.insert(0, 'bench'); from bench_excel import fresh_db; "
            "fresh_db(Path(sys.argv[1]))")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True, cwd=root,
                   env=env | {"PYTHONPATH": str(root)})


def govdata(*args: str) -> list[str]:
    """The command line as the `govdata` entry point runs it, in a process of its own."""
    return [sys.executable, "-c", "import sys; from app.cli.main import main; sys.exit(main(sys.argv[1:]))", *args]


def compile_app(root: Path) -> None:
    """Bytecode for every module of the program under `root`, as an installed program has it."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "app")], check=True,
                   stdout=subprocess.DEVNULL)


def run(cmd: list[str], env: dict) -> float:
    return run_cpu(cmd, env)[0]


def run_cpu(cmd: list[str], env: dict, cwd: Path = ROOT) -> tuple[float, float]:
    """(wall seconds, CPU seconds user + system) of a process of its own: on a shared machine the CPU time says
    what the wall time means."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=cwd)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _cpu_note(ours: list[float], theirs: list[float]) -> str:
    return (f"; CPU {statistics.median(ours):.2f} s vs {statistics.median(theirs):.2f} s, ratio "
            f"{statistics.median(ours) / statistics.median(theirs):.2f}x")


def bench_import(folder: Path, rows: int, rounds: int, env: dict, before: Path | None = None) -> None:
    sheet = folder / "summary.xlsx"
    make_sheet(sheet, rows)
    t_read, t_import, c_read, c_import, t_before, c_before = [], [], [], [], [], []
    for n in range(rounds):
        db = folder / f"import{n}.sqlite3"
        fresh_db(db)
        if before is not None:
            old_db = folder / f"import{n}-before.sqlite3"
            fresh_db_of(before, old_db, env)
            wall, cpu = run_cpu(govdata("--db", str(old_db), "import-projects", str(sheet), "--year", "2027"),
                                env | {"PYTHONPATH": str(before)}, cwd=before)
            t_before.append(wall)
            c_before.append(cpu)
        wall, cpu = run_cpu([sys.executable, "-c", CALAMINE_READ, str(sheet)], env)
        t_read.append(wall)
        c_read.append(cpu)
        wall, cpu = run_cpu(govdata("--db", str(db), "import-projects", str(sheet), "--year", "2027"), env)
        t_import.append(wall)
        c_import.append(cpu)
    each = ", ".join(f"{i / r:.2f}" for i, r in zip(t_import, t_read, strict=True))
    ratio = statistics.median(t_import) / statistics.median(t_read)
    print(f"import {rows:,} rows, whole process: govdata import-projects {statistics.median(t_import):.2f} s, "
          f"python-calamine reading the same sheet {statistics.median(t_read):.2f} s; ratio {ratio:.2f}x "
          f"(bar <= 4x; medians of {rounds} alternating rounds; each round: {each}){_cpu_note(c_import, c_read)}")
    if before is not None:
        print(f"  before ({before}): {statistics.median(t_before):.2f} s, ratio "
              f"{statistics.median(t_before) / statistics.median(t_read):.2f}x{_cpu_note(c_before, c_read)}")
    db = folder / "import-first-of-day.sqlite3"
    fresh_db(db, backed_up=False)
    wall, cpu = run_cpu(govdata("--db", str(db), "import-projects", str(sheet), "--year", "2027"), env)
    print(f"  the same import as the day's first command on its database (the daily backup taken first): {wall:.2f} s, "
          f"CPU {cpu:.2f} s (one run)")


def bench_memory(folder: Path, rows: int, env: dict) -> None:
    sheet = folder / "big.xlsx"
    make_sheet(sheet, rows)
    db = folder / "memory.sqlite3"
    fresh_db(db)
    code = ("import resource, sys; from app.cli.main import main; rc = main(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(rc)")
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, "--db", str(db), "import-projects", str(sheet), "--year",
                          "2027"], check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    peak_mb = int(out.stderr.strip().splitlines()[-1]) / 1024
    elapsed = time.perf_counter() - t
    bare = subprocess.run([sys.executable, "-c", CALAMINE_READ + "import resource; print(resource.getrusage("
                           "resource.RUSAGE_SELF).ru_maxrss)", str(sheet)], check=True, capture_output=True,
                          text=True, env=env, cwd=ROOT)
    bare_mb = int(bare.stdout.strip().splitlines()[-1]) / 1024
    print(f"import {rows:,} rows, whole process: peak memory {peak_mb:.0f} MB (bar < 300 MB), {elapsed:.1f} s; "
          f"python-calamine alone reading the sheet peaks at {bare_mb:.0f} MB")


def bench_export(folder: Path, sizes: list[int], rounds: int, env: dict, before: Path | None = None) -> None:
    for size in sizes:
        sheet = folder / f"export{size}.xlsx"
        make_sheet(sheet, size)
        db = folder / f"export{size}.sqlite3"
        fresh_db(db)
        subprocess.run(govdata("--db", str(db), "import-projects", str(sheet), "--year", "2027"), check=True,
                       capture_output=True, env=env, cwd=ROOT)
        old_db = folder / f"export{size}-before.sqlite3"
        if before is not None:  # its own database: older code refuses a newer schema
            fresh_db_of(before, old_db, env)
            subprocess.run(govdata("--db", str(old_db), "import-projects", str(sheet), "--year", "2027"), check=True,
                           capture_output=True, env=env | {"PYTHONPATH": str(before)}, cwd=before)
        t_bare, t_export, c_bare, c_export, t_before, c_before = [], [], [], [], [], []
        for _ in range(rounds if size < 50_000 else 1):
            if before is not None:
                wall, cpu = run_cpu(govdata("--db", str(old_db), "export-projects", str(folder / "ledger-before.xlsx")),
                                    env | {"PYTHONPATH": str(before)}, cwd=before)
                t_before.append(wall)
                c_before.append(cpu)
            wall, cpu = run_cpu([sys.executable, "-c", BARE_DUMP, str(db), str(folder / "bare.xlsx")], env)
            t_bare.append(wall)
            c_bare.append(cpu)
            wall, cpu = run_cpu(govdata("--db", str(db), "export-projects", str(folder / "ledger.xlsx")), env)
            t_export.append(wall)
            c_export.append(cpu)
        ratio = statistics.median(t_export) / statistics.median(t_bare)
        print(f"export {size:,} projects, whole process: govdata export-projects {statistics.median(t_export):.2f} s, "
              f"bare openpyxl write-only dump of the same cells {statistics.median(t_bare):.2f} s; ratio "
              f"{ratio:.2f}x (bar <= 1.5x){_cpu_note(c_export, c_bare)}")
        if before is not None:
            print(f"  before ({before}): {statistics.median(t_before):.2f} s, ratio "
                  f"{statistics.median(t_before) / statistics.median(t_bare):.2f}x{_cpu_note(c_before, c_bare)}")


def bench_importtime(folder: Path, env: dict) -> None:
    sheet = folder / "small.xlsx"
    make_sheet(sheet, 10)
    db = folder / "small.sqlite3"
    fresh_db(db)
    out = subprocess.run([sys.executable, "-X", "importtime", "-c",
                          "import sys; from app.cli.main import main; sys.exit(main(sys.argv[1:]))",
                          "--db", str(db), "import-projects", str(sheet), "--year", "2027", "--dry-run"],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    rows = []
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
            if parts[1].isdigit():
                rows.append((int(parts[1]), parts[2]))
    top = sorted(rows, reverse=True)[:10]
    print("heaviest imports of `govdata import-projects` (cumulative ms): "
          + ", ".join(f"{name.strip()} {us / 1000:.0f}" for us, name in top))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--memory-rows", type=int, default=100_000)
    ap.add_argument("--export-sizes", default="1000,20000,100000")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--before", type=Path, help="a checkout of another commit, run side by side")
    args = ap.parse_args()
    before = args.before.resolve() if args.before else None
    compile_app(ROOT)
    if before is not None:
        compile_app(before)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = os.environ | {"GOVDATA_HOME": str(folder), "PYTHONPATH": str(ROOT)}
        os.environ["GOVDATA_HOME"] = str(folder)
        bench_importtime(folder, env)
        bench_import(folder, args.rows, args.rounds, env, before)
        if args.memory_rows:
            bench_memory(folder, args.memory_rows, env)
        sizes = [int(s) for s in args.export_sizes.split(",") if s.strip()]
        if sizes:
            bench_export(folder, sizes, args.rounds, env, before)


if __name__ == "__main__":
    main()

"""Issue 18's table at 1,000 / 20,000 / 100,000 projects: every figure against its anchor, measured in one run.

    python bench/bench_scale.py [--sizes 1000,20000,100000] [--runs 3] [--audit 100000,1000000]
                                [--only cli,window,filter,verify,json,signin,imports] [--others]

Whole processes unless said otherwise; each figure is the median of --runs rounds that alternate the anchor and
ours, and the ratio is of the two medians (the machines are shared and noisy: compare within a run). Memory is
the process's peak resident size (wait4). The databases come from bench/builders.py (the demo county grown to N
projects through the projects' own validation and the numbering service; audit trails chained by the chain's own
functions), cached between runs. The program's modules are byte-compiled first, as an installed program's are.

- cli:    `govdata departments list --json` (signed in: a token) vs a bare Python opening the file with sqlite3 and
          printing the table as JSON. Goal ≤ 8×.
- signin: the sign-in a command pays: a real one (`govdata login`: the password hash, recorded) vs a command with
          a token (no hash, nothing written).
- json:   `govdata projects --json` vs a bare Python reading the same rows with sqlite3 and writing the same JSON
          with json.dump (the outputs are compared). Goal ≤ 3× and < 300 MB.
- window: a bare QMainWindow + QTableView painted vs our main window painted (goal ≤ 1.5×), the register's first
          screenful painted (goal ≤ 2×), and the register's index loaded (filters, sorting and totals ready); the
          window's peak memory (goal < 500 MB). The register opens on the given database as the demo's reviewer.
- filter: in the window, typing into the register's search box: each keystroke's time to filter, count and
          repaint (worst < 30 ms), and each sort's (a header click): to the table's paint by the event loop (one
          paint, as a typist sees it; forced only when the loop painted nothing).
- verify: `govdata verify` of N audit records vs a bare loop reading them with sqlite3 and computing the same
          HMAC-SM3 chain (the same canonical bytes and encoder). Goal ≤ 2×, also at 1,000,000.
- imports: the ten heaviest imports of `govdata departments list --json` (python -X importtime, grouped by package).
- --others: also runs bench_excel.py (import and export, issue 12/18) and bench_reports.py (forms and the ledger).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import builders  # noqa: E402

PY = sys.executable
DEMO_PW = builders.DEMO_PASSWORD
AUDITOR_PW = "Audit#2027x"


# ---------------------------------------------------------------- running processes

def spawn(argv: list[str], env: dict[str, str], out: Path | None = None, quiet: bool = False
          ) -> tuple[float, float, int, float]:
    """Run a whole process: (seconds from spawn to exit, peak resident MB, exit code, CPU seconds: user + system)."""
    sink = open(out, "wb") if out else subprocess.DEVNULL  # noqa: SIM115 - closed below
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=sink, stderr=subprocess.PIPE, cwd=ROOT)
        err = proc.stderr.read() if proc.stderr else b""
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if out:
            sink.close()
    if proc.returncode not in (0,) and not quiet:
        sys.stderr.write(f"  ! {' '.join(argv[-4:])}: exit {proc.returncode}\n{err.decode('utf-8', 'replace')[-600:]}\n")
    return elapsed, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime


def govdata(*args: str) -> list[str]:
    return [PY, "-m", "app", *args]


def alternate(runs: int, anchor, ours) -> tuple[list, list]:
    a, o = [], []
    for _ in range(runs):
        a.append(anchor())
        o.append(ours())
    return a, o


def med(values: list[tuple]) -> tuple[float, float]:
    return statistics.median(v[0] for v in values), max(v[1] for v in values)


def cpu(anchor: list[tuple], ours: list[tuple]) -> str:
    """The CPU-time ratio beside the wall-clock one: on a loaded machine it shows what the program itself costs."""
    ca, co = statistics.median(v[3] for v in anchor), statistics.median(v[3] for v in ours)
    return f"[cpu {ca:.2f} s / {co:.2f} s = {co / ca:.2f}×]"


def line(label: str, anchor: float, ours: float, goal: str, extra: str = "") -> None:
    print(f"  {label:<44} {anchor:8.3f} s  {ours:8.3f} s  {ours / anchor:6.2f}×  {goal:<8} {extra}", flush=True)


def header(title: str) -> None:
    print(f"\n{title}")
    print(f"  {'':<44} {'anchor':>10}  {'ours':>10}  {'ratio':>7}  {'goal':<8}")


# ---------------------------------------------------------------- a workspace per database

class Workspace:
    """A data folder and a working copy of a cached database, signed in with a token."""

    def __init__(self, cached: Path, user: str, password: str) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="govdata-scale-"))
        self.db = builders.working_copy(cached, self.dir / "db")
        self.env = dict(os.environ, GOVDATA_HOME=str(self.dir / "home"), PYTHONPATH=str(ROOT),
                        QT_QPA_PLATFORM="offscreen", **builders.key_env())
        self.env.pop("GOVDATA_USER", None)
        self.env.pop("GOVDATA_PASSWORD", None)
        self.user, self.password = user, password
        self.tokens = self.login()[2] == 0
        if not self.tokens:  # a program without sign-in tokens (before issue 18): every command signs in
            self.env.update(GOVDATA_USER=user, GOVDATA_PASSWORD=password)
            print("  (no `govdata login` here: every command signs in with the password)")
        spawn(govdata("--db", str(self.db), "departments", "list"), self.env)  # the day's first backup, once

    def login(self) -> tuple[float, float, int]:
        return spawn(govdata("--db", str(self.db), "--user", self.user, "login"),
                     dict(self.env, GOVDATA_PASSWORD=self.password), quiet=True)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


BARE_TABLE = ("import json, sqlite3, sys\ncon = sqlite3.connect(sys.argv[1])\n"
              "print(json.dumps([{'id': i, 'name': n, 'kind': k} for i, n, k in "
              "con.execute('SELECT id, name, kind FROM departments ORDER BY id')], ensure_ascii=False, indent=2))\n")


def bench_cli(ws: Workspace, runs: int) -> None:
    a, o = alternate(runs, lambda: spawn([PY, "-c", BARE_TABLE, str(ws.db)], ws.env),
                     lambda: spawn(govdata("--db", str(ws.db), "departments", "list", "--json"), ws.env))
    (ta, _), (to, mo) = med(a), med(o)
    line("read command: departments list --json", ta, to, "≤ 8×", f"{mo:.0f} MB {cpu(a, o)}")


def bench_signin(ws: Workspace, runs: int) -> None:
    if not ws.tokens:
        return
    a, o = alternate(runs, ws.login, lambda: spawn(govdata("--db", str(ws.db), "projects", "--year", "2027"), ws.env))
    (ta, _), (to, _) = med(a), med(o)
    print(f"  {'sign-in: a real one (login) vs a token':<44} {ta:8.3f} s  {to:8.3f} s  "
          f"(a command with the token, `projects --year 2027`, costs {to / ta:.2f}× a real sign-in)")


def _json_spec() -> str:
    from app.domain.fields import FIELDS
    from app.domain.vocabulary import STATUS_LABELS

    fields = [(f.key, f.json_key, f.kind) for f in FIELDS if f.json_key]
    return json.dumps({"fields": fields, "labels": STATUS_LABELS}, ensure_ascii=False)


BARE_JSON = r"""
import json, sqlite3, sys
spec = json.loads(sys.argv[2])
con = sqlite3.connect(sys.argv[1])
cols = ", ".join("d.name" if k == "department" else "p." + k for k, _, _ in spec["fields"])
def yuan(f):
    return None if f is None else ("-" if f < 0 else "") + f"{abs(f) // 100}.{abs(f) % 100:02d}"
out = []
for r in con.execute(f"SELECT {cols}, p.status, p.approved_fen FROM projects p "
                     "JOIN departments d ON d.id = p.department_id ORDER BY p.year DESC, p.code"):
    row = {}
    for (key, name, kind), v in zip(spec["fields"], r):
        row[name] = yuan(v) if kind == "money" else bool(v) if kind == "bool" and v is not None else v
    row["status_label"] = spec["labels"].get(r[-2], r[-2])
    row["approved_yuan"] = yuan(r[-1])
    out.append(row)
json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
print()
"""


def bench_json(ws: Workspace, runs: int, n: int) -> None:
    spec = _json_spec()
    bare_out, ours_out = ws.dir / "bare.json", ws.dir / "ours.json"
    a, o = alternate(runs, lambda: spawn([PY, "-c", BARE_JSON, str(ws.db), spec], ws.env, bare_out),
                     lambda: spawn(govdata("--db", str(ws.db), "projects", "--json"), ws.env, ours_out))
    (ta, ma), (to, mo) = med(a), med(o)
    same = "same output" if bare_out.read_bytes() == ours_out.read_bytes() else "OUTPUTS DIFFER"
    line(f"projects --json ({n:,} projects)", ta, to, "≤ 3×", f"{mo:.0f} MB (bare {ma:.0f} MB; goal < 300); {same} {cpu(a, o)}")


# ---------------------------------------------------------------- the window

BARE_WINDOW = r"""
import time, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
from PySide6.QtGui import QStandardItemModel
from PySide6.QtCore import QObject, QEvent
app = QApplication([])
w = QMainWindow(); t = QTableView(); t.setModel(QStandardItemModel(10, 5)); w.setCentralWidget(t)
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            print("painted", time.time(), time.process_time(), flush=True); app.quit()
        return False
f = F(); w.installEventFilter(f); w.resize(1280, 720); w.show(); app.exec()
"""

OUR_WINDOW = r"""
import json, os, sys, time
from app.ui import app as ui_app
from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
# the Qt namespace (QtCore.Qt) only where the typing uses it: its first use builds all its enums (≈ 17 ms), which
# the window leaves until after its first paint and the bare window never pays
w = ui_app.create_window(demo=True, ask_first_run=False)  # as app.ui.app.run: it makes the application once
app = QApplication.instance()
w.resize(1280, 720)
w.first_painted.connect(lambda: print("painted", time.time(), time.process_time(), flush=True))
class RowsPainted(QObject):  # the table's next paint after rows were handed to it
    armed = False
    def eventFilter(self, o, e):
        if self.armed and e.type() == QEvent.Type.Paint:
            self.armed = False
            print("first", time.time(), time.process_time(), flush=True)
        return False
rp = RowsPainted()
reg = None
def built(key, page):  # the register is built right after the window's first paint: hook it then
    global reg
    if key != "register":
        return
    reg = page
    reg.table.viewport().installEventFilter(rp)
    reg.first_rows_shown.connect(lambda n: setattr(rp, "armed", True))
    reg.rows_shown.connect(rows)

class Paints(QObject):  # counts the table's paints: a keystroke is measured to its one paint, as a typist sees it
    count = 0
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            self.count += 1
        return False
paints = Paints()

def settle():  # the event loop paints what the change dirtied; a paint forced only if it did not
    QApplication.processEvents()
    if not paints.count:
        reg.table.viewport().repaint()

def typing():
    reg.table.viewport().installEventFilter(paints)
    out = {"keys": [], "sorts": [], "keys_cpu": [], "sorts_cpu": []}
    for word in sys.argv[1].split("|"):
        reg.search.clear(); QApplication.processEvents()
        text = ""
        for ch in word:
            text += ch
            paints.count = 0
            t0, c0 = time.perf_counter(), time.thread_time()
            reg.search.setText(text)
            settle()
            out["keys"].append((time.perf_counter() - t0) * 1000)
            out["keys_cpu"].append((time.thread_time() - c0) * 1000)
    reg.search.clear(); QApplication.processEvents()
    for col in range(reg.model.columnCount()):
        for how in (0, 1):
            paints.count = 0
            t0, c0 = time.perf_counter(), time.thread_time()
            reg.table.sortByColumn(col, QtCore.Qt.SortOrder(how))
            settle()
            out["sorts"].append((time.perf_counter() - t0) * 1000)
            out["sorts_cpu"].append((time.thread_time() - c0) * 1000)
    print("typing", json.dumps(out), flush=True)

def rows(n):
    print("rows", time.time(), time.process_time(), n, flush=True)
    if len(sys.argv) > 1:
        QTimer.singleShot(0, lambda: (typing(), app.quit()))
    else:
        app.quit()
if hasattr(w, "page_built"):
    w.page_built.connect(built)
else:  # a window that builds the shown page before its first paint
    built("register", w.pages["register"])
QTimer.singleShot(120000, app.quit)
app.exec()
"""


def _marks(out: Path, start: float) -> dict[str, float]:
    marks: dict[str, float] = {}
    for text in out.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = text.split(maxsplit=1)
        if parts and parts[0] in ("painted", "first", "rows"):
            marks[parts[0]] = float(parts[1].split()[0]) - start
            marks[parts[0] + "_cpu"] = float(parts[1].split()[1])  # the process's CPU time so far
        elif parts and parts[0] == "typing":
            marks["typing"] = json.loads(parts[1])  # type: ignore[assignment]
    return marks


def window_run(code: str, env: dict, out: Path, *args: str) -> tuple[dict, float]:
    start = time.time()
    _t, mem, _code, _cpu = spawn([PY, "-c", code, *args], env, out)
    return _marks(out, start), mem


def window_env(ws: Workspace) -> dict[str, str]:
    home = Path(ws.env["GOVDATA_HOME"])
    shutil.copy(ws.db, home / "demo.sqlite3")  # the window's --demo file: opens signed in as the reviewer
    (home / "ui.ini").write_text("[window]\nsection=1\n")  # opens on 项目库, as a person who left it there
    return ws.env


def bench_window(ws: Workspace, runs: int, n: int) -> None:
    env = window_env(ws)
    out = ws.dir / "window.txt"
    window_run(OUR_WINDOW, env, out)  # once: the day's backup of the demo file, caches warm
    bare, painted, first, rows, mems = [], [], [], [], []
    cbare, cpainted, cfirst, crows = [], [], [], []
    nan = float("nan")
    for _ in range(runs):
        m, _ = window_run(BARE_WINDOW, env, out)
        bare.append(m["painted"])
        cbare.append(m["painted_cpu"])
        m, mem = window_run(OUR_WINDOW, env, out)
        painted.append(m["painted"])
        cpainted.append(m.get("painted_cpu", nan))
        first.append(m.get("first", m.get("rows", nan)))
        cfirst.append(m.get("first_cpu", m.get("rows_cpu", nan)))
        rows.append(m.get("rows", nan))
        crows.append(m.get("rows_cpu", nan))
        mems.append(mem)
    b, cb = statistics.median(bare), statistics.median(cbare)

    def c(values: list[float]) -> str:
        v = statistics.median(values)
        return f"[cpu {cb:.2f} s / {v:.2f} s = {v / cb:.2f}×]"

    line(f"window painted ({n:,} projects)", b, statistics.median(painted), "≤ 1.5×", c(cpainted))
    line(f"register's first screenful painted ({n:,})", b, statistics.median(first), "≤ 2×", c(cfirst))
    line(f"register's index loaded ({n:,})", b, statistics.median(rows), "—",
         f"{max(mems):.0f} MB (goal < 500) {c(crows)}")


WORDS = "智慧|QS-2025-1|教育局|张建国 数据|平台（1|治理工程"


def bench_filter(ws: Workspace, n: int) -> None:
    env = window_env(ws)
    m, mem = window_run(OUR_WINDOW, env, ws.dir / "typing.txt", WORDS)
    typing = m.get("typing")
    if not typing:
        print(f"  filtering ({n:,}): no result")
        return
    keys, sorts = typing["keys"], typing["sorts"]
    kc, sc = typing.get("keys_cpu") or [float("nan")], typing.get("sorts_cpu") or [float("nan")]
    print(f"  {'filtering, per keystroke (' + f'{n:,}' + ')':<44} median {statistics.median(keys):6.1f} ms  "
          f"worst {max(keys):6.1f} ms   goal: worst < 30 ms  ({len(keys)} keystrokes) "
          f"[cpu median {statistics.median(kc):.1f} ms, worst {max(kc):.1f} ms]")
    print(f"  {'sorting, per header click (' + f'{n:,}' + ')':<44} median {statistics.median(sorts):6.1f} ms  "
          f"worst {max(sorts):6.1f} ms   goal: < 30 ms  ({len(sorts)} sorts; window {mem:.0f} MB) "
          f"[cpu median {statistics.median(sc):.1f} ms, worst {max(sc):.1f} ms]")


# ---------------------------------------------------------------- verify

BARE_VERIFY = r"""
import hmac as std_hmac, json, os, sqlite3, sys
from cryptography.hazmat.primitives import hashes, hmac
con = sqlite3.connect(sys.argv[1])
key_id = con.execute("SELECT key_id FROM audit_keys ORDER BY id DESC LIMIT 1").fetchone()[0]
with open(os.path.join(os.environ["GOVDATA_KEYSTORE"], f"audit-key-{key_id}.key"), encoding="ascii") as f:
    master = bytes.fromhex(f.read().strip())
h = hmac.HMAC(master, hashes.SM3()); h.update(b"govdata audit chain v1")
base = hmac.HMAC(h.finalize(), hashes.SM3())
encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
prev, bad, n = "0" * 64, 0, 0
cur = con.execute('SELECT id, at, "user", role, host, action, object_type, object_id, outcome, detail, prev_mac, mac '
                  "FROM audit_log ORDER BY id")
for row in cur:
    m = base.copy(); m.update(encode(list(row[:11])).encode("utf-8"))
    if row[10] != prev or not std_hmac.compare_digest(m.finalize().hex(), row[11]):
        bad += 1
    prev = row[11]; n += 1
print(n, bad)
"""


def bench_verify(sizes: list[int], runs: int) -> None:
    for n in sizes:
        ws = Workspace(builders.in_child("audit", n), "auditor", AUDITOR_PW)
        try:
            a, o = alternate(runs, lambda: spawn([PY, "-c", BARE_VERIFY, str(ws.db)], ws.env),
                             lambda: spawn(govdata("--db", str(ws.db), "verify"), ws.env))
            (ta, _), (to, mo) = med(a), med(o)
            line(f"verify, {n:,} audit records", ta, to, "≤ 2×", f"{mo:.0f} MB {cpu(a, o)}")
        finally:
            ws.close()


# ---------------------------------------------------------------- imports

def heaviest_imports(ws: Workspace, count: int = 10) -> list[tuple[str, float]]:
    """Self time of what `govdata departments list --json` imports, grouped: a third-party package as one, each of
    the program's modules on its own."""
    err = subprocess.run([PY, "-X", "importtime", "-m", "app", "--db", str(ws.db), "departments", "list", "--json"],
                         env=ws.env, capture_output=True, text=True, cwd=ROOT).stderr
    total: dict[str, float] = {}
    for text in err.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", text)
        if not m:
            continue
        name = m.group(3)
        key = name if name.startswith("app.") or name == "app" else name.split(".")[0]
        total[key] = total.get(key, 0) + int(m.group(1)) / 1000
    return sorted(total.items(), key=lambda kv: -kv[1])[:count]


def bench_imports(ws: Workspace) -> None:
    rows = heaviest_imports(ws)
    print("  the ten heaviest imports of `govdata departments list --json` (self time, ms, grouped by package):")
    for name, ms in rows:
        print(f"    {ms:7.1f}  {name}")


# ---------------------------------------------------------------- main

def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,20000,100000")
    ap.add_argument("--audit", default="100000,1000000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="cli,signin,json,window,filter,verify,imports")
    ap.add_argument("--others", action="store_true")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    sizes = [int(s) for s in args.sizes.split(",") if s]
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "app")], check=True, stdout=subprocess.DEVNULL)
    print(f"issue 18 at {', '.join(f'{s:,}' for s in sizes)} projects; medians of {args.runs} alternating rounds; "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for n in sizes:
        ws = Workspace(builders.in_child("register", n), "reviewer", DEMO_PW)
        try:
            header(f"{n:,} projects")
            if "cli" in parts:
                bench_cli(ws, args.runs)
            if "signin" in parts:
                bench_signin(ws, args.runs)
            if "json" in parts:
                bench_json(ws, args.runs, n)
            if "window" in parts:
                bench_window(ws, args.runs, n)
            if "filter" in parts:
                bench_filter(ws, n)
            if "imports" in parts and n == sizes[0]:
                bench_imports(ws)
        finally:
            ws.close()
    if "verify" in parts:
        header("audit trail")
        bench_verify([int(s) for s in args.audit.split(",") if s], args.runs)
    if args.others:
        for script in ("bench_excel.py", "bench_reports.py"):
            print(f"\n--- bench/{script} (owned by its engineer) ---", flush=True)
            subprocess.run([PY, str(ROOT / "bench" / script)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()

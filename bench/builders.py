"""Databases for the benchmarks, built quickly and kept between runs (a cache folder keyed by size and schema).

- `register_db(n)`: the demo county (its departments, accounts with the demo password, 36 projects in every state),
  grown to n projects. The extra projects are checked by the same validation the form and the Excel import use
  (app.services.projects.check_figures and app.domain.inputs), numbered as the numbering service numbers them, and
  inserted in one transaction with SQLAlchemy Core (the ORM's unit of work would take minutes for 100,000).
- `audit_db(n)`: a database whose audit trail holds n chained records: each record's MAC and the anchor are
  computed by app.storage.auditchain's own functions (canonical, record_mac, anchor_mac), inserted in batches.

    python bench/builders.py 100000            # build (or reuse) both, print their paths
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CACHE = Path(os.environ.get("GOVDATA_BENCH_CACHE", Path(tempfile.gettempdir()) / "govdata-bench-cache"))
KEYS = CACHE / "keys"  # the cached databases' audit keys (GOVDATA_KEYSTORE for the builders and the benchmarks)
DEMO_PASSWORD = "demo-2026"
WORDS = ("智慧", "数据", "平台", "共享", "治理", "监测", "政务", "应急", "医疗", "教育", "交通", "农业", "网格", "档案")
PERSONS = ("张建国", "李晓红", "王立新", "赵敏", "刘洋", "陈静", "杨帆", "周涛")


def _schema_tag() -> str:
    from app.storage.schema import head_revision

    return f"{head_revision()}k"  # k: the audit key kept in KEYS, not in the database (since 0005)


def _home(folder: Path) -> dict[str, str]:
    return {"GOVDATA_HOME": str(folder / "home"), **key_env()}


def key_env() -> dict[str, str]:
    """The environment that finds the cached databases' audit keys (each database's key, by its id, in KEYS)."""
    KEYS.mkdir(parents=True, exist_ok=True, mode=0o700)
    return {"GOVDATA_KEYSTORE": str(KEYS)}


def register_db(n: int, *, fresh: bool = False) -> Path:
    """A demo database with n projects (n ≥ 36), cached as CACHE/register-<n>-<schema>.sqlite3."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"register-{n}-{_schema_tag()}.sqlite3"
    if path.exists() and not fresh:
        return path
    t0 = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="govdata-build-"))
    os.environ.update(_home(work))
    from app.domain.actor import SETUP_ACTOR
    from app.services.demo import build_demo
    from app.storage.database import open_database

    tmp = work / "register.sqlite3"
    db = open_database(tmp)
    build_demo(db, SETUP_ACTOR, password=DEMO_PASSWORD)
    _grow(db, n)
    db.dispose()
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the cache
    con.close()
    shutil.move(str(tmp), path)
    shutil.rmtree(work, ignore_errors=True)
    print(f"  (built {path.name} in {time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return path


def _grow(db, n: int) -> None:
    from sqlalchemy import func, insert, select

    from app.domain.inputs import check_amount, check_year, clean_text
    from app.domain.vocabulary import CATEGORIES, NATURES, PRE_APPROVAL, STATUS_LABELS
    from app.models import Department, Project
    from app.services.numbering import issue_numbers
    from app.services.projects import check_figures

    rng = random.Random(18)
    with db.uow() as uow:
        s = uow.session
        have = s.scalar(select(func.count()).select_from(Project)) or 0
        depts = [d for d, in s.execute(select(Department.id).order_by(Department.id))]
        years = [check_year(2020 + i % 8) for i in range(have, n)]
        codes = {y: iter(issue_numbers(uow, "project", y, years.count(y), "项目登记（基准数据）")) for y in set(years)}
        states = list(STATUS_LABELS)
        rows = []
        now = dt.datetime(2026, 11, 1)
        for i, year in zip(range(have, n), years, strict=True):
            total = check_amount(rng.randrange(10_000, 500_000) * 1000, "总投资")
            upper = total // 4 if i % 3 == 0 else 0
            name = clean_text(f"{rng.choice(WORDS)}{rng.choice(WORDS)}{['系统', '平台', '工程', '数据库'][i % 4]}"
                              f"（{i}期）", "项目名称", 200, required=True)
            values = {"name": name, "category": CATEGORIES[i % len(CATEGORIES)], "nature": NATURES[i % len(NATURES)],
                      "total_fen": total, "county_fen": total - upper, "upper_fen": upper, "other_fen": 0,
                      "year_request_fen": total // 2, "period_months": 6 + i % 24, "cobuilt": False,
                      "city_share_fen": 0, "county_share_fen": 0}
            check_figures(values)  # the form's and the import's own checks
            status = states[i % len(states)]
            rows.append(values | {
                "code": next(codes[year]), "year": year, "department_id": depts[i % len(depts)], "status": status,
                "content": f"建设{name}，实现数据汇聚共享", "responsible_person": PERSONS[i % 8],
                "responsible_phone": f"139{i:08d}",
                "approved_fen": None if status in PRE_APPROVAL + ("rejected", "withdrawn") else total,
                "data_landed": False, "version": 1, "created_at": now, "updated_at": now})
        for start in range(0, len(rows), 5000):
            s.execute(insert(Project), rows[start:start + 5000])
        uow.audit("project.import", "project", None, {"bench": True, "rows": len(rows)})
        uow.commit()


def audit_db(n: int, *, fresh: bool = False) -> Path:
    """A database whose audit trail holds n chained records, cached as CACHE/audit-<n>-<schema>.sqlite3."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"audit-{n}-{_schema_tag()}.sqlite3"
    if path.exists() and not fresh:
        return path
    t0 = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="govdata-build-"))
    os.environ.update(_home(work))
    from app.domain.actor import SETUP_ACTOR
    from app.services import auth
    from app.storage import auditchain
    from app.storage.database import open_database

    tmp = work / "audit.sqlite3"
    db = open_database(tmp)
    with db.uow(SETUP_ACTOR) as uow:
        auth.add_user(uow, "auditor", "Audit#2027x", ["auditor"], must_change=False)
        auth.add_user(uow, "reviewer", "Review#2027x", ["reviewer"], must_change=False)
        uow.commit()
    with db.uow(SETUP_ACTOR) as uow:
        key = auditchain.chain_key(uow.session)
        uow.commit()
    db.dispose()
    macfn = auditchain.chain_macfn(key)
    con = sqlite3.connect(tmp)
    count, last_id, head = con.execute("SELECT count, last_id, head_mac FROM audit_anchor WHERE id = 1").fetchone()
    at = dt.datetime(2025, 1, 1)
    batch: list[tuple] = []
    for i in range(n - count):
        rid = last_id + 1
        at += dt.timedelta(seconds=7, microseconds=1234)
        fields = [rid, at, "reviewer", "reviewer", auditchain.HOST, "project.update", "project",
                  f"QS-2027-{i % 9999:04d}", "ok",
                  f'{{"after":{{"name":"项目{i}（调整）"}},"before":{{"name":"项目{i}"}}}}', head]
        mac = auditchain.record_mac(macfn, fields)
        batch.append((rid, at.isoformat(sep=" ", timespec="microseconds"), *fields[2:], mac))
        last_id, head, count = rid, mac, count + 1
        if len(batch) == 20_000:
            _insert(con, batch)
    _insert(con, batch)
    con.execute("UPDATE audit_anchor SET count = ?, last_id = ?, head_mac = ?, mac = ? WHERE id = 1",
                (count, last_id, head, auditchain.anchor_mac(macfn, count, last_id, head)))
    con.commit()
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    shutil.move(str(tmp), path)
    shutil.rmtree(work, ignore_errors=True)
    print(f"  (built {path.name} in {time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return path


def _insert(con: sqlite3.Connection, batch: list[tuple]) -> None:
    con.executemany("INSERT INTO audit_log (id, at, user, role, host, action, object_type, object_id, outcome, "
                    "detail, prev_mac, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
    con.commit()
    batch.clear()


def in_child(kind: str, n: int) -> Path:
    """register_db(n) or audit_db(n) built in a process of its own (a benchmark's own process stays small: a child
    forked from it would otherwise count the builder's memory in its peak)."""
    out = subprocess.run([sys.executable, __file__, kind, str(n)], check=True, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=ROOT)
    sys.stderr.write(out.stderr)
    return Path(out.stdout.strip().splitlines()[-1])


def working_copy(cached: Path, folder: Path) -> Path:
    """A copy of a cached database to work on (the benchmarks write sign-ins and records into it)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / cached.name
    shutil.copy(cached, out)
    return out


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in ("register", "audit"):  # in_child
        print((register_db if sys.argv[1] == "register" else audit_db)(int(sys.argv[2])))
    else:
        size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
        print(register_db(size))
        print(audit_db(size))

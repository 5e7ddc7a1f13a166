"""Benchmark: backup and restore of the demo database and of a 20,000-project database.

Prints times measured in this one run and their ratios (restore vs. backup, encrypted vs. plain, per MB).
Run: python bench/bench_backup.py [N_PROJECTS] [--kills K]
  --kills K also runs the crash test's kill loop K times (the CI test does 100) and prints its counts.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from app.domain.actor import SETUP_ACTOR
from app.models import AuditRecord, Department, Project
from app.models.base import utcnow
from app.storage import backup
from app.storage.database import open_database
from app.storage.guard import quick_check


def build_demo(path: Path) -> None:
    from app.services.demo import build_demo as demo

    db = open_database(path)
    demo(db, SETUP_ACTOR, password="Bench-2026-demo")
    db.dispose()


def build_big(path: Path, n: int) -> None:
    """n projects with realistic text, each with an audit record (bulk inserts: this measures backups, not services)."""
    db = open_database(path)
    with db.uow(SETUP_ACTOR) as uow:
        depts = [Department(name=f"县直部门{i}") for i in range(60)]
        uow.session.add_all(depts)
        uow.session.flush()
        now = utcnow()
        for start in range(0, n, 2000):
            rows = [dict(code=f"QS-{2020 + i % 7}-{i:05d}", name=f"政务大数据项目{i}", department_id=depts[i % 60].id,
                         category="信息应用系统开发", nature="新建", year=2020 + i % 7, total_fen=i * 10_000,
                         county_fen=i * 10_000, status="draft", content="建设内容：数据采集、清洗、共享。" * 20,
                         note="由基准测试生成") for i in range(start, min(n, start + 2000))]
            uow.session.execute(insert(Project), rows)
            uow.session.execute(insert(AuditRecord), [
                dict(at=now, user="bench", role="reviewer", host="bench", action="project.register",
                     object_type="project", object_id=r["code"], outcome="ok", detail='{"after": {}}')
                for r in rows])
        uow.commit()
    db.dispose()


def timed(fn, *args, **kwargs) -> float:
    t = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t


def measure(label: str, path: Path, work: Path) -> dict[str, float]:
    work = work / "out"
    work.mkdir(exist_ok=True)
    stem = label.replace(" ", "-")
    mb = path.stat().st_size / 1_048_576
    r = {"mb": mb}
    r["quick_check"] = timed(quick_check, path)
    r["backup"] = timed(backup.backup_to, path, work / f"{stem}.sqlite3")
    r["backup_sm4"] = timed(backup.backup_to, path, work / f"{stem}.sqlite3.sm4",
                            passphrase="bench-passphrase")
    r["inspect"] = timed(backup.inspect_file, work / f"{stem}.sqlite3")
    r["restore"] = timed(backup.restore, work / f"{stem}.sqlite3", path)  # over the live file, keeping it
    r["restore_sm4"] = timed(backup.restore, work / f"{stem}.sqlite3.sm4", work / f"{stem}-new.sqlite3",
                             passphrase="bench-passphrase")
    print(f"{label:>14}: {mb:6.1f} MB | quick_check {r['quick_check']:.3f} s | backup {r['backup']:.3f} s "
          f"| backup SM4 {r['backup_sm4']:.3f} s | restore {r['restore']:.3f} s (incl. check + keeping the old) "
          f"| restore SM4 {r['restore_sm4']:.3f} s")
    print(f"{'':>14}  ratios: restore/backup {r['restore'] / r['backup']:.2f}, SM4/plain backup "
          f"{r['backup_sm4'] / r['backup']:.2f}, backup {mb / r['backup']:.0f} MB/s")
    return r


def main() -> None:
    args = sys.argv[1:]
    kills = 0
    if "--kills" in args:
        i = args.index("--kills")
        kills = int(args[i + 1])
        del args[i:i + 2]
    n = int(args[0]) if args else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["GOVDATA_HOME"] = str(work / "home")
        demo, big = work / "demo.sqlite3", work / "big.sqlite3"
        t = timed(build_demo, demo)
        print(f"built demo database in {t:.1f} s")
        t = timed(build_big, big, n)
        print(f"built {n}-project database in {t:.1f} s")
        d = measure("demo", demo, work)
        b = measure(f"{n} projects", big, work)
        print(f"{n}-project vs demo: size x{b['mb'] / d['mb']:.1f}, backup time x{b['backup'] / d['backup']:.1f}, "
              f"restore time x{b['restore'] / d['restore']:.1f}")
        if kills:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "integration"))
            from test_crash import BATCH, run_kills

            from app.cli import main as cli

            path = work / "crash.sqlite3"
            cli.main(["--db", str(path), "init", "--county", "沁水县"])
            cli.main(["--db", str(path), "departments", "add", "县教育局"])
            t = time.perf_counter()
            stats = run_kills(path, kills, random.Random(7))
            print(f"crash loop: {stats} in {time.perf_counter() - t:.0f} s (batches of {BATCH})")


if __name__ == "__main__":
    main()

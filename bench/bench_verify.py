"""Benchmark: `govdata verify` of 100,000 audit records must take under 5 seconds.

Also measures what the chain costs when appending (chained append vs. a plain insert of the same rows).
Run: python bench/bench_verify.py [N]  (prints times and ratios measured in this one run)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from app.cli.main import main
from app.domain.actor import Actor
from app.models import AuditRecord
from app.models.base import utcnow
from app.storage.auditchain import HOST
from app.storage.database import open_database

BUDGET_S = 5.0
BATCH = 1000


def build(path: Path, n: int, actor: Actor) -> float:
    db = open_database(path)
    t = time.perf_counter()
    for start in range(0, n, BATCH):
        with db.uow(actor) as uow:
            for i in range(start, min(n, start + BATCH)):
                uow.audit("project.update", "project", f"QS-2027-{i % 9999:04d}",
                          {"before": {"name": f"项目{i}"}, "after": {"name": f"项目{i}（调整）"}})
            uow.commit()
    elapsed = time.perf_counter() - t
    db.dispose()
    return elapsed


def plain_inserts(path: Path, n: int, actor: Actor) -> float:
    """The same rows without chain or anchor, in the same batches (the cost the chain is compared with)."""
    db = open_database(path)
    t = time.perf_counter()
    for start in range(0, n, BATCH):
        with db.uow(actor) as uow:
            uow.session.execute(insert(AuditRecord), [{
                "id": i + 1, "at": utcnow(), "user": actor.username, "role": actor.role, "host": HOST, "action": "project.update",
                "object_type": "project", "object_id": f"QS-2027-{i % 9999:04d}", "outcome": "ok",
                "detail": f'{{"after":{{"name":"项目{i}（调整）"}},"before":{{"name":"项目{i}"}}}}'}
                for i in range(start, min(n, start + BATCH))])
            uow.commit()
    elapsed = time.perf_counter() - t
    db.dispose()
    return elapsed


def main_bench(n: int) -> int:
    actor = Actor("bench", "reviewer")
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["GOVDATA_HOME"] = tmp
        chained = build(Path(tmp) / "chained.sqlite3", n, actor)
        plain = plain_inserts(Path(tmp) / "plain.sqlite3", n, actor)
        t = time.perf_counter()
        code = main(["--db", str(Path(tmp) / "chained.sqlite3"), "verify"])
        verify_s = time.perf_counter() - t
    print(f"records: {n}")
    print(f"append with chain: {chained:.2f} s ({n / chained:,.0f}/s); plain insert: {plain:.2f} s; "
          f"chain overhead ratio {chained / plain:.2f}")
    print(f"govdata verify: {verify_s:.2f} s, exit {code}; ratio to the {BUDGET_S:.0f} s budget: "
          f"{verify_s / BUDGET_S:.2f} ({'PASS' if verify_s < BUDGET_S and code == 0 else 'FAIL'})")
    return 0 if verify_s < BUDGET_S and code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main_bench(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))

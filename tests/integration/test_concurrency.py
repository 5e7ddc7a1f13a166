"""Several processes register projects, issue document numbers and edit the same projects at once.

Afterwards: no number duplicated or skipped, every conflict reported to its editor (nothing overwritten
silently), and the audit trail accounts for every change. On SQLite and, with GOVDATA_TEST_PG_URL, PostgreSQL.
CONCURRENCY_OPS sets the operations per process (default 500; 4 processes)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.actor import SETUP_ACTOR
from app.models import AuditRecord, IssuedNumber, Project
from app.services.master import add_department
from app.services.projects import ProjectInput, register_project
from app.services.setup import initialise
from app.storage.database import Database

ROOT = Path(__file__).parents[2]
WORKER = Path(__file__).with_name("concurrency_worker.py")
PROCESSES = 4
OPS = int(os.environ.get("CONCURRENCY_OPS", "500"))


def _prepare(db: Database) -> None:
    with db.uow(SETUP_ACTOR) as uow:
        initialise(uow, "沁水县")
        add_department(uow, "县教育局")
        for i in range(4):
            register_project(uow, ProjectInput(name=f"共享项目{i}", department="县教育局", category="数据采集",
                                               nature="新建", year=2026, total_fen=1000, county_fen=1000),
                             code=f"HOT-{i}")
        uow.commit()


@pytest.mark.slow  # 10–50 s: run by .ci/run (pytest -m slow)
def test_many_writers(db: Database) -> None:
    _prepare(db)
    procs = [subprocess.Popen([sys.executable, str(WORKER), db.url, str(w), str(OPS),
                               str(1000 + w)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for w in range(PROCESSES)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=900)
        assert p.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    registered = [c for r in results for c in r["registered"]]
    numbers = [n for r in results for n in r["numbers"]]
    edits = [tuple(e) for r in results for e in r["edits"]]
    conflicts = sum(r["conflicts"] for r in results)
    attempts = sum(r["attempts"] for r in results)
    ops = PROCESSES * OPS
    assert len(registered) + len(numbers) + attempts == ops

    with db.uow(SETUP_ACTOR, write=False) as uow:
        s = uow.session
        # numbers: unique, and per sequence exactly 1..N with no gap
        issued = s.execute(select(IssuedNumber.key, IssuedNumber.year, IssuedNumber.seq, IssuedNumber.number)).all()
        assert len({r.number for r in issued}) == len(issued)
        by_seq: dict[tuple, list[int]] = {}
        for r in issued:
            by_seq.setdefault((r.key, r.year), []).append(r.seq)
        for key, seqs in by_seq.items():
            assert sorted(seqs) == list(range(1, len(seqs) + 1)), key
        assert set(numbers) <= {r.number for r in issued} and len(set(numbers)) == len(numbers)
        assert len(set(registered)) == len(registered)
        db_codes = set(s.scalars(select(Project.code)))
        assert set(registered) <= db_codes and len(db_codes) == len(registered) + 4
        # edits: every successful save is in the audit trail, every refused one was reported as a conflict
        updates = s.execute(select(AuditRecord.object_id, AuditRecord.detail)
                            .where(AuditRecord.action == "project.update")).all()
        audited = Counter()
        for obj, detail in updates:
            audited[(obj, json.loads(detail)["after"]["content"])] += 1
        assert sorted(audited) == sorted(edits) and all(n == 1 for n in audited.values())
        assert attempts == len(edits) + conflicts
        hot_versions = sum(s.scalar(select(Project.version).where(Project.code == f"HOT-{i}")) - 1 for i in range(4))
        assert hot_versions == len(edits)  # no save happened outside what was audited
        registers = s.scalar(select(func.count()).select_from(AuditRecord)
                             .where(AuditRecord.action == "project.register"))
        assert registers == len(db_codes)
        from app.storage.auditchain import verify

        report = verify(s)
        assert report.ok, report.summary()
    print(f"\nconcurrency ({db.engine.dialect.name}): {ops} operations by {PROCESSES} processes, "
          f"{len(registered)} projects, {len(numbers)} document numbers, {len(edits)} edits, {conflicts} conflicts")
    assert conflicts > 0  # the test did provoke conflicts
    assert re.fullmatch(r".+〔2026〕\d+号", numbers[0])

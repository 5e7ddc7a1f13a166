"""One of several processes of the concurrency test. `python concurrency_worker.py URL WID OPS SEED`

Mixes three operations: register a project (issues a project code), issue a document number, and edit one
of the shared "hot" projects with the version it read earlier (a conflict when someone saved meanwhile).
Prints one JSON line with what it did.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.domain.actor import SETUP_ACTOR
from app.errors import ConflictError
from app.services.numbering import issue_number
from app.services.projects import ProjectInput, get_project, register_project, update_project
from app.storage.database import Database

HOT = [f"HOT-{i}" for i in range(4)]


def main(url: str, wid: int, ops: int, seed: int) -> None:
    rng = random.Random(seed)
    db = Database(url)  # several writers on purpose: no single-instance lock here
    out = {"registered": [], "numbers": [], "edits": [], "conflicts": 0, "attempts": 0}
    for i in range(ops):
        op = rng.random()
        if op < 0.3:
            with db.uow(SETUP_ACTOR) as uow:
                v = register_project(uow, ProjectInput(
                    name=f"并发项目{wid}-{i}", department="县教育局", category="数据采集", nature="新建",
                    year=2026, total_fen=100 * i, county_fen=100 * i))
                uow.commit()
            out["registered"].append(v.code)
        elif op < 0.6:
            with db.uow(SETUP_ACTOR) as uow:
                number = issue_number(uow, "approval", 2026, f"worker {wid} op {i}")
                uow.commit()
            out["numbers"].append(number)
        else:
            code = rng.choice(HOT)
            with db.uow(SETUP_ACTOR, write=False) as uow:
                seen = get_project(uow, code).version
            time.sleep(rng.uniform(0, 0.003))  # the user looks at the form
            value = f"w{wid}-op{i}"
            out["attempts"] += 1
            try:
                with db.uow(SETUP_ACTOR) as uow:
                    update_project(uow, code, {"content": value}, expected_version=seen)
                    uow.commit()
                out["edits"].append([code, value])
            except ConflictError as exc:
                assert exc.mine == {"content": value} and "content" in exc.theirs  # both values shown
                out["conflicts"] += 1
    db.dispose()
    print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))

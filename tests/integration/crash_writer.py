"""A writer for the crash test: imports batches of projects, edits them and makes backups until killed.

`python tests/integration/crash_writer.py DB BATCH` prints "ready" once open, then "batch N" after each commit.
Every batch is one transaction (as an import is): BATCH projects, each with its audit record, tagged in `note`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select

from app import backup
from app.db import SETUP_ACTOR, open_database
from app.models import Project
from app.services.projects import ProjectInput, register_project, update_project


def main(path: str, size: int) -> None:
    db = open_database(path)
    with db.uow(SETUP_ACTOR, write=False) as uow:
        k = uow.session.scalar(select(func.count(func.distinct(Project.note)))) or 0
    print("ready", flush=True)
    while True:
        k += 1
        with db.uow(SETUP_ACTOR) as uow:
            for j in range(size):
                register_project(uow, ProjectInput(
                    name=f"导入项目{k}-{j}", department="县教育局", category="数据采集", nature="新建", year=2026,
                    total_fen=1000 * j + k, county_fen=1000 * j + k, note=f"batch:{k}",
                    content="建设内容" * 50))
            if k > 1:  # a save: edit a project of the previous batch
                code = uow.session.scalar(select(Project.code).where(Project.note == f"batch:{k - 1}").limit(1))
                update_project(uow, code, {"content": f"第{k}次修改"})
            uow.commit()
        print(f"batch {k}", flush=True)
        if k % 3 == 0:
            backup.backup_to(path, Path(path).with_name("manual-backup.sqlite3"))
        if k % 5 == 0:
            backup.automatic_backup(path, "daily")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

"""A writer for the crash test: imports Excel sheets of projects, edits them, makes backups and restores them
until killed.

`python tests/integration/crash_writer.py DB BATCH WORKDIR` prints "ready" once open, then "batch N" after each
commit. Every batch is one import of a sheet of BATCH projects (all or nothing), tagged in 备注 (`note`).
DB is a SQLite path or a PostgreSQL URL; backups and restores only for SQLite. A restore is recorded in the
database it replaces before it starts (as `govdata restore` does), so a kill in its middle leaves that record.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import openpyxl  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.domain.actor import SETUP_ACTOR  # noqa: E402
from app.models import Project  # noqa: E402
from app.services.imports import run_import  # noqa: E402
from app.services.projects import update_project  # noqa: E402
from app.storage import backup  # noqa: E402
from app.storage.database import Database, open_database  # noqa: E402

HEADER = ["项目名称", "实施单位", "项目类别", "建设性质", "总投资", "县级财政资金", "上级补助资金", "其他资金",
          "本年申请资金", "建设内容", "备注"]


def write_sheet(path: Path, k: int, size: int) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年度政务大数据项目预算申报汇总表"])
    ws.append(["单位：元"])
    ws.append(HEADER)
    for j in range(size):
        total = 1000 * j + k
        ws.append([f"导入项目{k}-{j}", "县教育局", "数据采集", "新建", total, total, 0, 0, 0, "建设内容" * 50,
                   f"batch:{k}"])
    wb.save(path)


def restore_over(target: str, manual: Path) -> None:
    """`govdata restore` without the sign-in: recorded in the old database first (with a nonce the test looks for
    after a kill), then replaced."""
    nonce = secrets.token_hex(8)

    def started(check: backup.FileCheck) -> None:
        old = Database(f"sqlite:///{target}")
        try:
            with old.uow(SETUP_ACTOR) as uow:
                uow.audit("database.restore_started", "database", Path(target).name,
                          {"from": str(manual), "nonce": nonce})
                uow.commit()
        finally:
            old.dispose()
        print(f"restore started {nonce}", flush=True)

    backup.restore(manual, target, before=started)
    db = open_database(target)
    with db.uow(SETUP_ACTOR) as uow:
        uow.audit("database.restore", "database", Path(target).name, {"from": str(manual)})
        uow.commit()
    db.dispose()


def last_batch(db: Database) -> int:
    """The highest batch number held (a restore takes the database back: numbers are never reused)."""
    with db.uow(SETUP_ACTOR, write=False) as uow:
        notes = uow.session.scalars(select(Project.note).distinct()).all()
    return max((int(n.split(":")[1]) for n in notes if n and n.startswith("batch:")), default=0)


def main(target: str, size: int, workdir: str) -> None:
    db = open_database(target)
    sqlite = db.is_sqlite
    k = last_batch(db)
    seen = Path(workdir) / "highest-batch"  # across processes: a batch number lost to a restore is not reused
    if seen.exists():
        k = max(k, int(seen.read_text() or 0))
    sheet = Path(workdir) / f"batch-{Path(workdir).name}.xlsx"
    print("ready", flush=True)
    while True:
        k += 1
        seen.write_text(str(k))
        write_sheet(sheet, k, size)
        report = run_import(db, SETUP_ACTOR, sheet)
        if not report.ok:
            raise SystemExit(f"import refused: {report.errors[:3]}")
        if k > 1:  # a save: edit a project of the previous batch
            with db.uow(SETUP_ACTOR) as uow:
                code = uow.session.scalar(select(Project.code).where(Project.note == f"batch:{k - 1}").limit(1))
                if code is not None:  # None: the previous batch went with a restore
                    update_project(uow, code, {"content": f"第{k}次修改"})
                    uow.commit()
        print(f"batch {k}", flush=True)
        if sqlite and k % 3 == 0:
            backup.backup_to(target, Path(target).with_name("manual-backup.sqlite3"))
        if sqlite and k % 5 == 0:
            backup.automatic_backup(target, "daily")
        manual = Path(target).with_name("manual-backup.sqlite3")
        if sqlite and k % 4 == 0 and manual.exists():
            db.dispose()  # the restore takes the instance lock
            restore_over(target, manual)
            print("restored", flush=True)
            db = open_database(target)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])

"""A writer for the crash test: imports Excel sheets of projects, edits them and makes backups until killed.

`python tests/integration/crash_writer.py DB BATCH WORKDIR` prints "ready" once open, then "batch N" after each
commit. Every batch is one import of a sheet of BATCH projects (all or nothing), tagged in 备注 (`note`).
DB is a SQLite path or a PostgreSQL URL; backups only for SQLite.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import openpyxl  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app.domain.actor import SETUP_ACTOR  # noqa: E402
from app.models import Project  # noqa: E402
from app.services.imports import run_import  # noqa: E402
from app.services.projects import update_project  # noqa: E402
from app.storage import backup  # noqa: E402
from app.storage.database import open_database

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


def main(target: str, size: int, workdir: str) -> None:
    db = open_database(target)
    sqlite = db.is_sqlite
    with db.uow(SETUP_ACTOR, write=False) as uow:
        k = uow.session.scalar(select(func.count(func.distinct(Project.note)))) or 0
    sheet = Path(workdir) / f"batch-{Path(workdir).name}.xlsx"
    print("ready", flush=True)
    while True:
        k += 1
        write_sheet(sheet, k, size)
        report = run_import(db, SETUP_ACTOR, sheet)
        if not report.ok:
            raise SystemExit(f"import refused: {report.errors[:3]}")
        if k > 1:  # a save: edit a project of the previous batch
            with db.uow(SETUP_ACTOR) as uow:
                code = uow.session.scalar(select(Project.code).where(Project.note == f"batch:{k - 1}").limit(1))
                update_project(uow, code, {"content": f"第{k}次修改"})
                uow.commit()
        print(f"batch {k}", flush=True)
        if sqlite and k % 3 == 0:
            backup.backup_to(target, Path(target).with_name("manual-backup.sqlite3"))
        if sqlite and k % 5 == 0:
            backup.automatic_backup(target, "daily")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])

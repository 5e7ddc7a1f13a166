"""The smoke check: does this installation work? (`govdata smoke`, run by CI from the installed .deb.)

In a fresh temporary folder (the user's own data is never touched): open a new database (the Alembic
migrations must be shipped and runnable), fill it with the demo county, render the register window offscreen,
write one PDF form and one Excel ledger, and read each file back. Each step reports 通过 / 失败 / 跳过 with a
figure; a step whose engine is not part of this build is skipped and named, never passed silently.

No Qt is imported here: the window steps call app.ui, which owns Qt. Each step imports what it checks when it
runs (a command module: the window, the forms and the Excel engines load only for this command). `register` adds the command.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app import APP_NAME, __version__
from app.cli.context import Context

PASSED, FAILED, SKIPPED = "通过", "失败", "跳过"


@dataclass
class Step:
    name: str
    outcome: str = PASSED
    detail: str = ""
    seconds: float = 0.0


@dataclass
class SmokeResult:
    version: str
    frozen: bool
    platform: str
    steps: list[Step] = field(default_factory=list)
    workdir: str = ""

    @property
    def ok(self) -> bool:
        return all(s.outcome != FAILED for s in self.steps)

    @property
    def skipped(self) -> list[str]:
        return [s.name for s in self.steps if s.outcome == SKIPPED]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


class Skip(Exception):
    """A step that does not apply to this build (a single-PC build without the PostgreSQL client)."""


class SmokeState:
    """What the steps hand on to each other."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.db: Any = None
        self.actor: Any = None
        self.projects: list[Any] = []


@contextlib.contextmanager
def _isolated(workdir: Path) -> Iterator[None]:
    """Point the data folder (and Qt's offscreen platform) at the temp folder for the duration."""
    saved = {k: os.environ.get(k) for k in ("GOVDATA_HOME", "GOVDATA_DB", "QT_QPA_PLATFORM")}
    os.environ["GOVDATA_HOME"] = str(workdir / "home")
    os.environ.pop("GOVDATA_DB", None)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def step_resources(st: SmokeState) -> str:
    from app.storage.paths import resource
    from app.storage.schema import MIGRATIONS_DIR

    missing = [str(p) for p in (resource("icons", "govdata.png"), resource("icons", "govdata.ico"),
                                MIGRATIONS_DIR / "env.py", MIGRATIONS_DIR / "versions") if not p.exists()]
    if missing:
        raise AssertionError("缺少文件：" + "、".join(missing))
    versions = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))
    return f"图标、{len(versions)} 个数据库迁移脚本齐全"


def step_database(st: SmokeState) -> str:
    from app.domain.actor import SETUP_ACTOR
    from app.storage.database import open_database
    from app.storage.schema import current_revision, head_revision

    st.db = open_database(st.workdir / "smoke.sqlite3")
    st.actor = SETUP_ACTOR
    rev = current_revision(st.db.engine)
    if rev != head_revision():
        raise AssertionError(f"数据库版本 {rev}，应为 {head_revision()}")
    return f"新建并升级到 {rev}"


def step_demo(st: SmokeState) -> str:
    from app.services.demo import build_demo
    from app.services.projects import list_projects

    summary = build_demo(st.db, st.actor, password="Smoke-check-1")
    with st.db.uow(st.actor, write=False) as uow:
        st.projects = list(list_projects(uow))
    if not st.projects:
        raise AssertionError("演示数据生成后项目库为空")
    return f"{summary['departments']} 个单位、{len(st.projects)} 个项目"


def step_window(st: SmokeState) -> str:
    from app.ui.app import make_application
    from app.ui.context import UiContext
    from app.ui.mainwindow import MainWindow
    from app.ui.screens import page_factories

    path = st.workdir / "register.png"
    app = make_application([sys.argv[0] or "govdata"])
    ctx = UiContext()
    ctx.db, ctx.actor = st.db, st.actor
    window = MainWindow(ctx, page_factories())
    window.resize(1280, 800)
    window.show()
    ctx.database_opened.emit()
    window.show_section("register")
    deadline = time.monotonic() + 1.5  # let the register's first read come back from the worker
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    image = window.grab().toImage()
    if not image.save(str(path)):
        raise AssertionError("无法保存窗口截图")
    colours = {image.pixel(x, y) for x in range(0, image.width(), 16) for y in range(0, image.height(), 16)}
    window.close()
    ctx.tasks.shutdown()
    app.processEvents()
    if image.width() < 600 or len(colours) < 4:
        raise AssertionError(f"窗口截图为空白（{image.width()}×{image.height()}，{len(colours)} 种颜色）")
    return f"项目库窗口 {image.width()}×{image.height()}，{len(colours)} 种颜色（{path.name}）"


def step_pdf(st: SmokeState) -> str:
    from app.reports import render_form, samples
    from app.services.forms import build_form

    if st.projects:
        with st.db.uow(st.actor) as uow:
            pdf = build_form(uow, "ledger", year=st.projects[0].year).pdf
            uow.commit()
    else:  # the demo step failed: the form engine is still checked on sample data
        pdf = render_form("ledger", samples.ledger(5), serial="SMOKE-0001")
    path = st.workdir / "ledger.pdf"
    path.write_bytes(pdf)
    if not pdf.startswith(b"%PDF") or b"%%EOF" not in pdf[-64:]:
        raise AssertionError("PDF 文件不完整")
    if b"/FontFile2" not in pdf:
        raise AssertionError("PDF 中没有嵌入中文字体")
    return f"项目台账 PDF {len(pdf) // 1024} KB，字体已嵌入"


def step_excel(st: SmokeState) -> str:
    from openpyxl import load_workbook

    from app.excel import write_ledger

    rows = st.projects
    if not rows:
        raise Skip("没有演示项目可写入")
    path = st.workdir / "ledger.xlsx"
    n = write_ledger(path, rows, subtitle=f"冒烟检查 {dt.date.today():%Y年%m月%d日}")
    wb = load_workbook(path, read_only=True)
    try:
        ws = wb.worksheets[0]
        names = [r[0] for r in ws.iter_rows(min_row=5, max_col=3, values_only=True) if r and r[0] not in (None, "合计")]
    finally:
        wb.close()
    if n != len(rows) or len(names) != n:
        raise AssertionError(f"写入 {n} 行，读回 {len(names)} 行，应为 {len(rows)} 行")
    return f"项目台账 Excel {n} 行，读回一致"


def step_charts_preview(st: SmokeState) -> str:
    """QtCharts, the PDF preview and the ICU data: loaded lazily by the window, so checked here by name."""
    from app.ui import smoke as ui_smoke

    pdf = st.workdir / "ledger.pdf"
    if not pdf.exists():
        raise Skip("没有 PDF 可预览")
    return "；".join((ui_smoke.check_chart(), ui_smoke.check_pdf_preview(pdf), ui_smoke.check_icu()))


def step_crypto(st: SmokeState) -> str:
    """SM3 / HMAC-SM3 / PBKDF2-SM3 / SM4-GCM known-answer tests (the cryptography module's own OpenSSL)."""
    from app.storage.crypto import KAT_SM3, SoftwareProvider, self_test

    failed = self_test(SoftwareProvider())
    if failed:
        raise AssertionError("国密算法自检未通过：" + "、".join(failed))
    return f"SM3（{len(KAT_SM3)} 组）、HMAC-SM3、PBKDF2-SM3、SM4-GCM 标准数据一致"


def step_postgres_client(st: SmokeState) -> str:
    """The shared-database client: psycopg and its libpq load (no server is needed to prove that)."""
    try:
        import psycopg
    except ImportError as exc:
        if exc.name == "psycopg":  # a single-PC build (GOVDATA_NO_POSTGRES=1); anything else is a broken client
            raise Skip("本版本不含 PostgreSQL 客户端（单机版）") from None
        raise
    from sqlalchemy import create_engine

    version = psycopg.pq.version()
    engine = create_engine("postgresql+psycopg://govdata@127.0.0.1:1/none")  # dialect and driver load; no connect
    engine.dispose()
    return f"psycopg {psycopg.__version__}（{psycopg.pq.__impl__}），libpq {version // 10000}.{version % 10000}"


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>
<office:spreadsheet><table:table table:name="项目"><table:table-row>
<table:table-cell office:value-type="string"><text:p>项目名称</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>总投资（万元）</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>政务数据共享平台</text:p></table:table-cell>
<table:table-cell office:value-type="float" office:value="318.404"><text:p>318.404</text:p></table:table-cell>
</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>""".replace("\n", "")
# (calamine takes no whitespace between table elements)
ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"""


def step_excel_read(st: SmokeState) -> str:
    """The reader of department sheets (python-calamine: .xlsx/.xls/.ods): read a WPS/LibreOffice .ods back."""
    import zipfile

    from app.excel.sniff import sniff
    from app.excel.workbook import load_sheet, open_book, sheet_names

    path = st.workdir / "部门报表.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", ODS_CONTENT, compress_type=zipfile.ZIP_DEFLATED)
    sniffed = sniff(path)
    book = open_book(sniffed)
    names = [name for name, _hidden in sheet_names(book)]
    rows = load_sheet(book, sniffed, names[0]).rows
    if sniffed.fmt != "ods" or names != ["项目"] or rows[1][:2] != ["政务数据共享平台", 318.404]:
        raise AssertionError(f"读回内容不符：{sniffed.fmt} {names} {rows[:2]}")
    return "OpenDocument 表格读回一致（python-calamine，同一引擎读 .xls/.xlsx）"


STEPS: list[tuple[str, Callable[[SmokeState], str]]] = [
    ("程序文件", step_resources),
    ("数据库", step_database),
    ("演示数据", step_demo),
    ("项目库窗口", step_window),
    ("PDF 表单", step_pdf),
    ("Excel 台账", step_excel),
    ("图表与打印预览", step_charts_preview),
    ("国密算法", step_crypto),
    ("共享数据库客户端", step_postgres_client),
    ("Excel 读取", step_excel_read),
]


def run_smoke(keep: Path | None = None, report: Callable[[Step], None] | None = None) -> SmokeResult:
    """Run every step; a failing step is reported and the next steps still run where they can."""
    result = SmokeResult(__version__, bool(getattr(sys, "frozen", False)), sys.platform)
    workdir = Path(tempfile.mkdtemp(prefix="govdata-smoke-")) if keep is None else keep
    workdir.mkdir(parents=True, exist_ok=True)
    result.workdir = str(workdir)
    st = SmokeState(workdir)
    try:
        with _isolated(workdir):
            for name, fn in STEPS:
                step = Step(name)
                start = time.perf_counter()
                try:
                    step.detail = fn(st)
                except Skip as exc:
                    step.outcome, step.detail = SKIPPED, str(exc)
                except Exception as exc:
                    step.outcome = FAILED
                    step.detail = f"{type(exc).__name__}: {exc}"
                    if os.environ.get("GOVDATA_SMOKE_TRACEBACK"):
                        step.detail += "\n" + traceback.format_exc()
                step.seconds = round(time.perf_counter() - start, 3)
                result.steps.append(step)
                if report is not None:
                    report(step)
    finally:
        if st.db is not None:
            st.db.dispose()
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def format_step(step: Step) -> str:
    mark = {PASSED: "✓", FAILED: "✗", SKIPPED: "-"}[step.outcome]
    return f"{mark} {step.name}：{step.outcome}　{step.detail}（{step.seconds:.2f} 秒）"


def summary_line(result: SmokeResult) -> str:
    head = f"{APP_NAME} {result.version}{'（安装包）' if result.frozen else ''}"
    if not result.ok:
        failed = [s.name for s in result.steps if s.outcome == FAILED]
        return f"{head} 冒烟检查未通过：{'、'.join(failed)}"
    if result.skipped:
        return f"{head} 冒烟检查通过（跳过：{'、'.join(result.skipped)}）"
    return f"{head} 冒烟检查全部通过"


def write_report(result: SmokeResult, path: Path) -> None:
    from app.storage.fileio import (
        write_text,  # the one guard of every output path (not the database, not its -wal)
    )

    write_text(path, json.dumps(result.to_json(), ensure_ascii=False, indent=2))


def first_paint() -> float:
    """Show the main window (no database), return the seconds from here to its first paint, then quit.

    `govdata smoke --first-paint` runs this; installer/ci_build.sh times the whole process around it to
    compare the bundle's cold start with the start from source."""
    from app.ui.app import make_application
    from app.ui.context import UiContext
    from app.ui.mainwindow import MainWindow
    from app.ui.screens import page_factories

    start = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="govdata-paint-"))
    with _isolated(workdir):
        app = make_application([sys.argv[0] or "govdata"])
        window = MainWindow(UiContext(), page_factories())
        painted: list[float] = []

        def on_paint() -> None:
            painted.append(time.perf_counter() - start)
            app.quit()

        window.first_painted.connect(on_paint)
        window.show()
        app.exec()
    shutil.rmtree(workdir, ignore_errors=True)
    if not painted:
        raise AssertionError("主窗口没有绘制")
    return painted[0]


# ---------------------------------------------------------------- the command

def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("smoke", help="冒烟检查：在临时目录中建库、生成演示数据、离屏绘制窗口、输出 PDF 和 Excel")
    p.add_argument("--keep", type=Path, metavar="DIR", help="把检查产生的文件留在此目录（默认用后即删）")
    p.add_argument("--report", type=Path, metavar="FILE", help="把结果写成 JSON 文件（无控制台的 Windows 窗口版用）")
    p.add_argument("--first-paint", action="store_true", help="只计时：打开主窗口，首次绘制后退出")
    p.set_defaults(handler=cmd_smoke)


def cmd_smoke(args: argparse.Namespace, ctx: Context) -> int:
    if args.first_paint:
        print(f"主窗口首次绘制：{first_paint():.3f} 秒")
        return 0
    result = run_smoke(keep=args.keep, report=lambda step: print(format_step(step), flush=True))
    print(summary_line(result))
    if args.report:
        write_report(result, args.report)
    return 0 if result.ok else 1

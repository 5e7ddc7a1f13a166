"""Printing from the project page: the form menu, the in-app preview (QtPdf), save as PDF and print."""

from __future__ import annotations

import io
import threading

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.domain.actor import SETUP_ACTOR, Actor
from app.models import AuditRecord, PrintedForm
from app.services.forms import list_contracts
from app.services.projects import project_history
from app.ui.mainwindow import MainWindow
from app.ui.printing import print_ledger
from app.ui.screens import page_factories
from tests.ui.layoutcheck import clipped, identifiers


@pytest.fixture
def window(ctx, walker, qtbot):
    if not walker.db.is_sqlite:
        pytest.skip("the window test runs on the local database")
    ctx.db, ctx.actor = walker.db, SETUP_ACTOR
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    with qtbot.waitSignal(w.pages["register"].rows_shown, timeout=10000):
        ctx.database_opened.emit()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10000)
    return w


def test_preview_save_and_print_an_approval_form(window, walker, ctx, qtbot, tmp_path):
    code = walker.to("approved", name="雪亮工程视频资源共享平台")
    window.open_project(code)
    page = window.project_page
    qtbot.waitUntil(lambda: page.code == code and ctx.tasks.active == 0, timeout=10000)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    menu = page.forms_menu
    qtbot.waitUntil(menu.isVisible, timeout=5000)
    offered = [a.objectName() for a in menu.actions() if a.isEnabled() and not a.isSeparator()]
    assert offered == ["form_approval", "form_review-opinion"]  # only what can be printed now
    from app.services.forms import PROJECT_KINDS

    later = len(PROJECT_KINDS) - len(offered)
    assert [a.text() for a in menu.actions() if not a.isEnabled()] == [f"其余 {later} 种表单到相应阶段后可打印"]
    [item] = [a for a in menu.actions() if a.objectName() == "form_approval"]
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())
    qtbot.waitUntil(lambda: getattr(page, "preview", None) is not None and page.preview.isVisible(), timeout=15000)
    preview = page.preview
    assert "立项审批表" in preview.windowTitle()
    pages = preview.document.pageCount()
    assert pages >= 1

    assert preview.default_path().endswith(f"{code}-政务大数据项目立项审批表.pdf")
    saved = preview.save_pdf(str(tmp_path / "审批表.pdf"))
    assert preview.where.text() == f"已保存到 {tmp_path / '审批表.pdf'}"
    assert window.statusBar().currentMessage() == f"表单已保存到 {tmp_path / '审批表.pdf'}"
    data = (tmp_path / "审批表.pdf").read_bytes()
    assert saved and data == preview.pdf and data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "雪亮工程视频资源共享平台" in text and code in text

    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert preview.print_document(printer)
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == pages

    with walker.db.uow(SETUP_ACTOR, write=False) as uow:
        prints = [h for h in project_history(uow, code) if h.action == "print"]
    assert len(prints) == 1  # the print is recorded in the project's history


def demo_window(ctx, db, qtbot, actor):
    ctx.db, ctx.actor = db, actor
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=20000)
    return w


def open_menu(w, ctx, qtbot, code):
    w.open_project(code)
    page = w.project_page
    qtbot.waitUntil(lambda: page.code == code and page.bundle is not None and ctx.tasks.active == 0, timeout=20000)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.forms_menu.isVisible, timeout=5000)
    return page, page.forms_menu


def test_each_contract_and_the_suspension_notice_can_be_printed(ctx, demo_db, qtbot) -> None:
    w = demo_window(ctx, demo_db, qtbot, Actor("zhangsan", "reviewer"))
    page, menu = open_menu(w, ctx, qtbot, "QS-2026-0001")  # two contracts
    [item] = [a for a in menu.actions() if a.objectName() == "form_contract-filing"]
    sub = item.menu()
    assert sub is not None and item.text() == "合同备案表（2 份合同）"
    with demo_db.uow(SETUP_ACTOR, write=False) as uow:
        contracts = list_contracts(uow, "QS-2026-0001")
    assert [a.text() for a in sub.actions()] == [c.label for c in contracts]
    assert clipped(menu) == [] and identifiers(menu) == []
    older = contracts[-1]
    sub.actions()[-1].trigger()
    menu.close()
    qtbot.waitUntil(lambda: getattr(page, "preview", None) is not None and page.preview.isVisible(), timeout=20000)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(page.preview.pdf)).pages)
    assert older.key in text and contracts[0].key not in text  # the contract the person chose, not the newest
    page.preview.reject()
    page.preview = None

    page, menu = open_menu(w, ctx, qtbot, "QS-2026-0005")  # funds suspended (第二十二条)
    [item] = [a for a in menu.actions() if a.objectName() == "form_suspension"]
    assert item.isEnabled() and item.text() == "暂停拨付资金通知书"
    item.trigger()
    menu.close()
    qtbot.waitUntil(lambda: getattr(page, "preview", None) is not None and page.preview.isVisible(), timeout=20000)
    assert "暂停拨付资金通知书" in page.preview.windowTitle()
    assert page.preview.default_path().endswith("QS-2026-0005-暂停拨付资金通知书.pdf")


def test_a_cancelled_print_voids_its_serial_and_says_so(ctx, demo_db, qtbot) -> None:
    w = demo_window(ctx, demo_db, qtbot, Actor("zhangsan", "reviewer"))
    register = w.show_section("register")
    gate = threading.Event()
    ctx.tasks.run(lambda _t: gate.wait(20), long=True)  # the long thread busy: the print waits its turn
    print_ledger(ctx, None, None, register)
    task = next(t for t in ctx.tasks._running if t.label and "项目台账" in t.label)
    task.cancel()  # what 取消 on the progress dialog does
    gate.set()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=20000)
    assert getattr(register, "preview", None) is None and register.print_cancelled
    assert w.statusBar().currentMessage() == "已取消打印项目台账，未生成表单（编号已作废）"
    with demo_db.uow(SETUP_ACTOR, write=False) as uow:
        voided = uow.session.scalars(select(AuditRecord).where(AuditRecord.action == "print.void")).all()
        assert len(voided) == 1 and "已取消打印" in voided[0].detail
        serial = voided[0].object_id
        assert uow.session.scalar(select(PrintedForm).where(PrintedForm.serial == serial)) is None


def test_a_year_with_several_notices_asks_which(ctx, demo_db, qtbot) -> None:
    w = demo_window(ctx, demo_db, qtbot, Actor("zhangsan", "reviewer"))
    page = w.pages["budget"]
    page.year.setValue(2026)
    with qtbot.waitSignal(page.loaded, timeout=20000):
        w.show_section("budget")
        page.reload()
    notices = [page.models[1].record(r) for r in range(page.models[1].rowCount())]
    assert len(notices) == 3
    page.tables[1].clearSelection()
    qtbot.mouseClick(page.printButton, Qt.MouseButton.LeftButton)
    menu = page.notices_menu
    qtbot.waitUntil(menu.isVisible, timeout=5000)
    assert len(menu.actions()) == 3 and all(n.title in a.text() for n, a in zip(notices, menu.actions(), strict=True))
    assert clipped(menu) == [] and identifiers(menu) == []
    menu.actions()[1].trigger()
    menu.close()
    qtbot.waitUntil(lambda: getattr(page, "preview", None) is not None and page.preview.isVisible(), timeout=20000)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(page.preview.pdf)).pages).replace(" ", "")
    assert notices[1].title.replace(" ", "")[:12] in text

"""Printing from the project page: the form menu, the in-app preview (QtPdf), save as PDF and print."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from app.domain.actor import SETUP_ACTOR
from app.services.projects import project_history
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories


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

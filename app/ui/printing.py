"""Print preview (QtPdf) with print (the system dialog) and save-as-PDF, over the forms service.

The service gathers the form, issues its serial, records the print and renders the PDF on the worker; the window
only shows the bytes. Printing renders each page to the printer at its resolution.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QPointF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.reports import KINDS
from app.services.forms import PROJECT_KINDS, build_form
from app.storage.fileio import write_bytes
from app.ui.context import UiContext


def tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


class PrintPreviewDialog(QDialog):
    def __init__(self, pdf: bytes, title: str, serial: str = "", parent: QWidget | None = None) -> None:
        from PySide6.QtPdf import QPdfDocument  # QtPdf only when a preview opens
        from PySide6.QtPdfWidgets import QPdfView

        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(tr("打印预览 — {0}").format(title))
        self.pdf = pdf
        self.title = title
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        info = QLabel(tr("共 {0} 页　表单编号 {1}").format(self.document.pageCount(), serial) if serial
                      else tr("共 {0} 页").format(self.document.pageCount()))
        info.setObjectName("hint")
        self.print_button = QPushButton(tr("打印…"))
        self.print_button.setObjectName("primary")
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton(tr("另存为PDF…"))
        self.save_button.setObjectName("savePdf")
        self.save_button.clicked.connect(lambda: self.save_pdf())
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(info)
        row.addStretch(1)
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        self.resize(900, 700)

    def save_pdf(self, path: str | None = None) -> str | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("另存为PDF"), f"{self.title}.pdf", "PDF (*.pdf)")
            if not path:
                return None

        write_bytes(path, self.pdf)
        return path

    def print_document(self, printer: Any = None) -> bool:
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintDialog(printer, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                rect = painter.viewport()
                size = self.document.pagePointSize(page)
                scale = min(rect.width() / size.width(), rect.height() / size.height())
                target = QSize(int(size.width() * scale), int(size.height() * scale))
                image = self.document.render(page, target)
                painter.drawImage(QPointF(0, 0), image)
        finally:
            painter.end()
        return True


def show_printed(ctx: UiContext, build: Any, parent: QWidget) -> None:
    """build(uow) → PrintedResult on the worker (the print is recorded), then the preview."""

    def done(result: Any) -> None:
        dialog = PrintPreviewDialog(result.pdf, result.title, result.serial, parent)
        parent.preview = dialog  # type: ignore[attr-defined]
        dialog.open()

    ctx.write(build, done, label=tr("正在生成表单…"), parent=parent)


def print_ledger(ctx: UiContext, year: int | None, status: str | None, parent: QWidget,
                 codes: list[str] | None = None) -> None:
    """The ledger form; with `codes`, exactly the rows shown on screen (search and filters), in their order."""

    show_printed(ctx, lambda uow: build_form(uow, "ledger", year=year, status=status, codes=codes), parent)


def project_forms_menu(ctx: UiContext, code: str, parent: QWidget) -> QMenu:

    menu = QMenu(parent)
    for kind in PROJECT_KINDS:
        action = menu.addAction(KINDS.get(kind, kind))
        action.setObjectName(f"form_{kind}")
        action.triggered.connect(lambda _c=False, k=kind: show_printed(
            ctx, lambda uow: build_form(uow, k, project_code=code), parent))
    return menu

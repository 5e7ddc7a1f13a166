"""Print preview (QtPdf) with print (the system dialog) and save-as-PDF, over the forms service.

The service gathers the form, issues its serial and records the print, then lays it out outside any transaction (on
the long reads' thread, with progress and 取消: a cancelled layout voids its serial); the window only shows the bytes.
Printing renders each page to the printer at its resolution.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QPointF,
    QSettings,
    QSize,
    QStandardPaths,
    Qt,
    Signal,
)
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

from app.reports import KINDS, PrintCancelled
from app.services.forms import PrintedResult, print_form
from app.storage.fileio import write_bytes
from app.storage.paths import data_dir
from app.ui.context import UiContext
from app.ui.tasks import Cancelled
from app.ui.widgets import fit_dialog


def tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


def safe_file_name(text: str) -> str:
    """A name Windows and Linux both accept: no path separators or reserved characters."""
    return "".join("－" if c in '\\/:*?"<>|' else c for c in text).strip(" .") or tr("表单")


class PrintPreviewDialog(QDialog):
    saved = Signal(str)

    def __init__(self, pdf: bytes, title: str, serial: str = "", parent: QWidget | None = None,
                 file_stem: str = "") -> None:
        from PySide6.QtPdf import QPdfDocument  # QtPdf only when a preview opens
        from PySide6.QtPdfWidgets import QPdfView

        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(tr("打印预览 — {0}").format(title))
        self.pdf = pdf
        self.title = title
        self.file_stem = safe_file_name(file_stem or title)
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
        self.info = info
        self.where = QLabel()  # where the PDF was saved, after saving
        self.where.setObjectName("capital")
        self.where.setProperty("verbatim", True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        row.addWidget(self.where, 1)
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        fit_dialog(self, 900, 700)

    def default_path(self) -> str:
        """The file the save dialog proposes: the form's kind and project code, in the last folder used."""
        folder = QSettings(str(data_dir() / "ui.ini"), QSettings.Format.IniFormat).value("print/folder") or \
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return str(Path(str(folder)) / f"{self.file_stem}.pdf")

    def save_pdf(self, path: str | None = None) -> str | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("另存为PDF"), self.default_path(), tr("PDF 文件 (*.pdf)"))
            if not path:
                return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        write_bytes(path, self.pdf)
        QSettings(str(data_dir() / "ui.ini"), QSettings.Format.IniFormat).setValue("print/folder",
                                                                                  str(Path(path).parent))
        self.where.setText(tr("已保存到 {0}").format(path))
        self.where.setToolTip(path)
        window = self.parent().window() if self.parent() is not None else None
        if window is not None and hasattr(window, "statusBar"):
            window.statusBar().showMessage(tr("表单已保存到 {0}").format(path), 15000)
        self.saved.emit(path)
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


def show_printed(ctx: UiContext, kind: str, parent: QWidget, file_stem: str = "", **form: Any) -> Any:
    """Print a form in the three steps of app.services.forms.print_form, on the long reads' thread: gather (a read),
    record the serial (a short write), lay it out outside any transaction with progress and 取消; then the preview.
    A layout cancelled or failed voids its serial (the audit trail says so) and the person is told.

    `form` are print_form's keywords (project_code, year, status, codes, choice); `file_stem` names the saved PDF
    (project code and form kind, e.g. QS-2026-0001-立项审批表)."""

    def work(db: Any, actor: Any, task: Any) -> PrintedResult:
        def progress(done: int, total: int) -> None:
            try:
                task.progress(done, total)
            except Cancelled:  # the layout notices through cancelled() and voids its serial itself
                pass

        return print_form(db, actor, kind, progress=progress, cancelled=task.cancelled, **form)

    def done(result: PrintedResult) -> None:
        dialog = PrintPreviewDialog(result.pdf, result.title, result.serial, parent,
                                    file_stem=file_stem or result.title)
        parent.preview = dialog  # type: ignore[attr-defined]
        dialog.open()

    def failed(exc: BaseException) -> bool:
        if isinstance(exc, PrintCancelled):  # the person's own cancel: said where they look, no message box
            window = parent.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(tr("已取消打印{0}，未生成表单（编号已作废）").format(KINDS.get(kind, "")),
                                               15000)
            parent.print_cancelled = True  # type: ignore[attr-defined]
            return True
        return False

    return ctx.long(work, done, changed=str(form.get("project_code") or ""), on_error=failed,
                    label=tr("正在生成{0}…").format(KINDS.get(kind, tr("表单"))), parent=parent)


def print_ledger(ctx: UiContext, year: int | None, status: str | None, parent: QWidget,
                 codes: list[str] | None = None) -> Any:
    """The ledger form; with `codes`, exactly the rows shown on screen (search and filters), in their order."""
    stem = tr("项目台账") + (f"-{year}" if year else "") + f"-{dt.date.today().isoformat()}"
    return show_printed(ctx, "ledger", parent, stem, year=year, status=status, codes=codes)


def year_form(ctx: UiContext, kind: str, year: int, parent: QWidget, choice: str | None = None) -> None:
    """A year's form (年度计划表, 公示): named after the year and its kind; `choice` picks one of a year's notices."""
    show_printed(ctx, kind, parent, f"{year}-{KINDS.get(kind, kind)}", year=year, choice=choice)


def choices_menu(parent: QWidget, choices: list[Any], pick: Any, name: str) -> QMenu:
    """One line per record when there are several of a form (a project's contracts, a year's notices)."""
    menu = QMenu(parent)
    menu.setObjectName(name)
    for c in choices:
        action = menu.addAction(c.label)
        action.setObjectName(f"choice_{c.id}")
        action.triggered.connect(lambda _c=False, key=str(c.id): pick(key))
    return menu


def project_forms_menu(ctx: UiContext, code: str, forms: list[Any], parent: QWidget,
                       contracts: list[Any] | None = None) -> QMenu:
    """The project's forms that this account can print now (app.services.forms.printable_forms); the others
    are not offered, and the menu's last line says so. A project with several contracts offers each contract's
    filing form (app.services.forms.list_contracts) in a submenu."""
    menu = QMenu(parent)
    menu.setObjectName("formsMenu")
    ready = [f for f in forms if f.ready]

    def printer(kind: str) -> Any:
        def go(choice: str | None = None) -> None:
            show_printed(ctx, kind, parent, f"{code}-{KINDS.get(kind, kind)}", project_code=code, choice=choice)

        return go

    for f in ready:
        if f.kind == "contract-filing" and contracts and len(contracts) > 1:
            sub = choices_menu(menu, contracts, printer(f.kind), "contractsMenu")
            sub.setTitle(tr("{0}（{1} 份合同）").format(f.label, len(contracts)))
            menu.addMenu(sub).setObjectName(f"form_{f.kind}")
            continue
        action = menu.addAction(f.label)
        action.setObjectName(f"form_{f.kind}")
        action.triggered.connect(lambda _c=False, go=printer(f.kind): go())
    later = [f for f in forms if not f.ready]
    if later:
        if ready:
            menu.addSeparator()
        note = menu.addAction(tr("其余 {0} 种表单到相应阶段后可打印").format(len(later)) if ready
                              else tr("本项目尚无可打印的表单"))
        note.setEnabled(False)
        note.setToolTip("\n".join(f"{f.label}：{f.reason}" for f in later))
        menu.setToolTipsVisible(True)
    return menu

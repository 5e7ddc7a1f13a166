"""帮助 → 用户手册 (F1): the user guide shipped with the program (docs/user-guide.md and its pictures), shown in
the window offline. In a bundle or an installed package it lies in resources/guide; in a source checkout, in docs/.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from app.storage.paths import resource, resources_dir
from app.ui.widgets import fit_dialog

GUIDE = "user-guide.md"


def tr(text: str) -> str:
    return QCoreApplication.translate("GuideWindow", text)


def guide_path() -> Path | None:
    for candidate in (resource("guide", GUIDE), resources_dir().parent / "docs" / GUIDE):
        if candidate.is_file():
            return candidate
    return None


class GuideWindow(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideWindow")
        self.setWindowTitle(tr("用户手册"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("guide")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        self.path = guide_path()
        if self.path is not None:
            self.browser.setSearchPaths([str(self.path.parent)])
            self.browser.setSource(QUrl.fromLocalFile(str(self.path)), QTextDocument.ResourceType.MarkdownResource)
        else:
            self.browser.setPlainText(tr("没有找到用户手册文件（{0}）。请联系系统管理员重新安装程序。").format(GUIDE))
        self.back = QPushButton(tr("返回"))
        self.back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back.setEnabled)
        self.back.setEnabled(False)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.close)
        where = QLabel(tr("离线手册，随程序安装"))
        where.setObjectName("hint")
        row = QHBoxLayout()
        row.addWidget(self.back)
        row.addWidget(where, 1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(row)
        fit_dialog(self, 980, 700)

"""帮助 → 用户手册 (F1) shows the user guide offline, with its pictures; the guide names only pictures that exist, and
every picture in docs/img is in a document (docs/screenshots.py makes the window's)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from app.ui.mainwindow import MainWindow

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_f1_opens_the_guide_with_its_pictures(ctx, qtbot) -> None:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    assert w.guide_action.shortcut().toString() == "F1"
    guide = w.show_guide()
    assert guide.isVisible() and guide.path is not None
    text = guide.browser.toPlainText()
    assert text.startswith("政务大数据项目管理 — 用户手册") and "可办理" in text
    image = guide.browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl("img/project.png"))
    assert image is not None and not image.isNull()


def test_the_guide_and_its_pictures_agree() -> None:
    def named(doc: Path) -> set[str]:
        return set(re.findall(r"\]\(img/([\w-]+\.png)\)", doc.read_text(encoding="utf-8")))

    present = {p.name for p in (DOCS / "img").glob("*.png")}
    guide = named(DOCS / "user-guide.md")
    assert guide and guide <= present  # every picture the guide shows is there
    windows = {p for p in present if not p.startswith("form-")}  # form-*.png: the printed forms (docs/forms.md)
    assert windows == guide  # and no picture of the window is left that the guide does not show

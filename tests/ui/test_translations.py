"""Qt's own dialogs speak Chinese, from the catalogue shipped in resources/translations (a bundle need not keep
Qt's translations folder)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from app.storage.paths import resource
from app.ui import app as ui_app


def test_the_file_dialog_speaks_chinese(gapp, qtbot) -> None:
    dialog = QFileDialog(None, "另存为PDF")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter("PDF 文件 (*.pdf)")
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {w.text() for w in dialog.findChildren(QLabel)}
    assert {"查找范围(&L)：", "文件类型(&T)："} <= labels, labels
    assert not {"&Look in:", "Files of &type:"} & labels


def test_qt_catalogue_comes_from_resources_when_qt_has_none(gapp, monkeypatch) -> None:
    assert (resource("translations") / "qtbase_zh_CN.qm").is_file()
    app = QApplication.instance()
    for t in app.findChildren(QTranslator):
        app.removeTranslator(t)
    monkeypatch.setattr(ui_app.QLibraryInfo, "path", staticmethod(lambda _which: "/nonexistent"))
    try:
        assert len(ui_app.install_translators(app)) == 3
        assert QCoreApplication.translate("QFileDialog", "Look in:") == "查找范围："
    finally:
        monkeypatch.undo()

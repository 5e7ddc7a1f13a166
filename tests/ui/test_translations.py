"""Qt's own dialogs speak Chinese, from the catalogue shipped in resources/translations (a bundle need not keep
Qt's translations folder)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
)

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


def test_the_edit_menus_and_standard_buttons_speak_chinese(gapp, qtbot) -> None:
    """What a clerk right-clicks in any field: 撤销/重做/剪切/复制/粘贴 as Office and WPS say them; and the
    buttons of Qt's own message and input boxes."""
    edit, text = QLineEdit("沁水县"), QPlainTextEdit("主要内容")
    qtbot.addWidget(edit)
    qtbot.addWidget(text)
    for widget in (edit, text):
        menu = widget.createStandardContextMenu()
        words = [a.text().split("(")[0].split("\t")[0] for a in menu.actions() if not a.isSeparator()]
        assert words[:5] == ["撤销", "重做", "剪切", "复制", "粘贴"], words
        assert all(not any("a" <= ch.lower() <= "z" for ch in w.replace("&", "")) for w in words), words
    box = QMessageBox(QMessageBox.Icon.Question, "确认", "删除这条记录？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Ok
                      | QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Save
                      | QMessageBox.StandardButton.Close)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["是(&Y)", "否(&N)", "确定", "取消", "保存", "关闭"])
    ask = QInputDialog()
    qtbot.addWidget(ask)
    ask.show()
    assert {b.text() for b in ask.findChildren(QPushButton)} == {"确定", "取消"}

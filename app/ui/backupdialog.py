"""文件 → 备份数据库: the window's face of `govdata backup` (app.services.backups, the same service).

A save dialog in Chinese (Qt's own, so its words are ours on every system), a passphrase for a confidential (SM4)
backup, the backup on the long reads' thread with its progress and cancel button (app.ui.tasks), and at the end
where it went and the digest beside it. The output guard is the service's: never the database, its -wal/-shm or
lock, nor a file the program holds; a refusal is shown as every user's error is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import GovDataError
from app.services.backups import BackupResult, backup_database, suggested_name
from app.storage.crypto import MIN_PASSPHRASE
from app.storage.fileio import guard_output
from app.ui.context import UiContext
from app.ui.crash import show_user_error


def tr(text: str) -> str:
    return QCoreApplication.translate("Backup", text)


PLAIN_FILTER = "数据库备份 (*.sqlite3)"
SM4_FILTER = "涉密备份，SM4 加密 (*.sm4)"


class BackupFileDialog(QFileDialog):
    """Where to save the backup: Qt's own dialog, in Chinese from the catalogue the program ships (a native one would
    speak the system's language, which on a UOS or Kylin PC set up in English is not Chinese)."""

    def __init__(self, parent: QWidget | None, folder: Path, name: str) -> None:
        super().__init__(parent, tr("备份数据库"), str(folder / name))
        self.setObjectName("backupFileDialog")
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.setOption(QFileDialog.Option.DontConfirmOverwrite, True)  # asked in Chinese, after the output guard
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.setFileMode(QFileDialog.FileMode.AnyFile)
        self.setNameFilters([tr(PLAIN_FILTER), tr(SM4_FILTER)])  # its own words: Qt's catalogue (resources/)

    def encrypted(self) -> bool:
        return self.selectedNameFilter() == tr(SM4_FILTER)


class PassphraseDialog(QDialog):
    """The passphrase of a confidential backup, typed twice; needed again to restore it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupPassphraseDialog")
        self.setWindowTitle(tr("涉密备份口令"))
        self.first, self.second = QLineEdit(), QLineEdit()
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._check)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("备份口令："), self.first)
        form.addRow(tr("再次输入："), self.second)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("备份"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("备份将用 SM4 加密；恢复时须输入同一口令，口令遗失则无法恢复。")))
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._check()

    def problem(self) -> str | None:
        if len(self.first.text()) < MIN_PASSPHRASE:
            return tr("口令至少 {0} 个字符").format(MIN_PASSPHRASE)
        if self.second.text() != self.first.text():
            return tr("两次输入的口令不一致")
        return None

    def _check(self) -> None:
        why = self.problem()
        self.note.setText(why or tr("口令可用"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(why is None)

    def passphrase(self) -> str:
        return self.first.text()


class BackupFlow(QObject):
    """One backup from the window: choose the file, (the passphrase), run, say where it went."""

    finished = Signal(object)  # the BackupResult, after the message is shown

    def __init__(self, ctx: UiContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window = parent
        self.file_dialog: BackupFileDialog | None = None
        self.passphrase_dialog: PassphraseDialog | None = None
        self.done_box: QMessageBox | None = None
        self.replace_box: QMessageBox | None = None
        self.task: Any = None

    def _folder(self) -> Path:
        saved = self.ctx.settings.value("backup/folder", "")
        if saved and Path(str(saved)).is_dir():
            return Path(str(saved))
        return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())

    def start(self) -> BackupFileDialog | None:
        try:
            name = suggested_name(self.ctx.db)
        except GovDataError as exc:  # a shared (PostgreSQL) database: backed up on its server
            show_user_error(exc, self.window)
            return None
        dialog = BackupFileDialog(self.window, self._folder(), name)
        dialog.fileSelected.connect(self._chosen)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def _chosen(self, path: str) -> None:
        dialog = self.file_dialog
        encrypted = dialog is not None and dialog.encrypted()
        if encrypted and not path.endswith(".sm4"):
            path += ".sm4"
        try:  # at once, before a passphrase or a question: never the database or a file the program holds
            guard_output(path)  # (the service guards again when it writes)
        except GovDataError as exc:
            show_user_error(exc, self.window)
            return
        if Path(path).exists():
            box = QMessageBox(QMessageBox.Icon.Question, tr("备份数据库"),
                              tr("文件 {0} 已存在。要用本次备份替换它吗？").format(path), parent=self.window)
            box.setObjectName("backupReplaceBox")
            replace = box.addButton(tr("替换"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(tr("取消"), QMessageBox.ButtonRole.RejectRole)
            box.buttonClicked.connect(lambda b: self._ask(path, encrypted) if b is replace else None)
            self.replace_box = box
            box.open()
            return
        self._ask(path, encrypted)

    def _ask(self, path: str, encrypted: bool) -> None:
        if encrypted:
            ask = PassphraseDialog(self.window)
            ask.accepted.connect(lambda: self.run(path, ask.passphrase()))
            self.passphrase_dialog = ask
            ask.open()
            return
        self.run(path, None)

    def run(self, path: str, passphrase: str | None) -> None:
        self.ctx.settings.setValue("backup/folder", str(Path(path).parent))

        def work(db: Any, actor: Any, task: Any) -> BackupResult:
            return backup_database(db, actor, path, passphrase=passphrase, progress=task.progress)

        self.task = self.ctx.long(work, self._done, label=tr("正在备份数据库…"), parent=self.window)

    def _done(self, result: BackupResult) -> None:
        text = tr("已备份到 {0}（{1}{2}）。\n\nSM3 摘要 {3}… 保存在同一文件夹的 {4}，恢复前据此核对备份未被改动。").format(
            result.path, result.size_text, tr("，已 SM4 加密") if result.encrypted else "", result.digest[:16],
            result.digest_file.name)
        box = QMessageBox(QMessageBox.Icon.Information, tr("备份完成"), text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("backupDoneBox")
        self.done_box = box
        box.open()
        self.finished.emit(result)

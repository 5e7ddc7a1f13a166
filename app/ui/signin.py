"""The sign-in dialog (accounts of issue 6): the password is checked by app.services.auth on the worker."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import GovDataError
from app.ui.context import UiContext


def tr(text: str) -> str:
    return QCoreApplication.translate("SignInDialog", text)


class SignInDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("signInDialog")
        self.setWindowTitle(tr("登录"))
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("用户名"), self.username)
        form.addRow(tr("口令"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if ctx.demo:
            from app.ui.app import DEMO_PASSWORD

            hint = QLabel(tr("演示数据库：用户名 reviewer（审核员）、finance、clerk、leader，口令 {0}").format(
                DEMO_PASSWORD))
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
            self.username.setText("reviewer")
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(380, 0)

    def try_sign_in(self) -> None:
        from app.services import auth

        user, password = self.username.text().strip(), self.password.text()
        if not user or not password:
            self.message.setText(tr("请输入用户名和口令"))
            return
        self.buttons.setEnabled(False)
        db = self.ctx.db

        def failed(exc: BaseException) -> bool:
            self.buttons.setEnabled(True)
            if isinstance(exc, GovDataError):
                self.message.setText(str(exc))
                self.password.clear()
                self.password.setFocus()
                return True
            return False

        def done(result: Any) -> None:
            self.buttons.setEnabled(True)
            self.ctx.actor = result.actor
            self.accept()

        self.ctx.tasks.run(lambda _t: auth.sign_in(db, user, password), done, on_error=failed, parent=self)


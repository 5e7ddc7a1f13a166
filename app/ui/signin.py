"""The sign-in dialog (accounts of issue 6): the password is checked by app.services.auth on the worker.

A first sign-in (or one after a reset) and an expired password ask for the new password, twice, right here; the
password policy is the auth service's, and its Chinese messages are shown as they come. The locked window's
dialog (UnlockDialog) is the same dialog for the same account. This module loads when someone signs in or the
window locks, not on the window's start path.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import GovDataError
from app.ui import remember
from app.ui.context import DEMO_PASSWORD, UiContext
from app.ui.widgets import fit_dialog


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
        self.rules = QLabel()  # the password policy, while a new password is asked
        self.rules.setObjectName("hint")
        self.rules.setWordWrap(True)
        self.rules.hide()
        self.new_password = QLineEdit()
        self.new_password.setObjectName("newPassword")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_again = QLineEdit()
        self.new_again.setObjectName("newPasswordAgain")
        self.new_again.setEchoMode(QLineEdit.EchoMode.Password)
        self._changing: tuple[Any, str] | None = None  # (actor, old password) while a new password is asked
        self.form = form = QFormLayout()
        form.addRow(tr("用户名"), self.username)
        form.addRow(tr("口令"), self.password)
        form.addRow(tr("新口令"), self.new_password)
        form.addRow(tr("再次输入新口令"), self.new_again)
        for field in (self.new_password, self.new_again):
            form.setRowVisible(field, False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if ctx.demo:
            hint = QLabel(tr("演示数据库：用户名 reviewer（审核员）、finance、clerk、leader，口令 {0}").format(
                DEMO_PASSWORD))
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
            self.username.setText("reviewer")
        layout.addLayout(form)
        layout.addWidget(self.rules)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if not self.username.text():
            self.ctx.tasks.run(lambda _t: remember.last_user(), self._fill_last_user)  # the OS keyring, on the worker
        fit_dialog(self, 400)

    def _fill_last_user(self, name: str | None) -> None:
        if name and not self.username.text() and not self.username.isReadOnly():
            self.username.setText(name)
            self.password.setFocus()

    def try_sign_in(self) -> None:
        from app.services import auth  # the start path: the ORM loads after the first paint

        if self._changing is not None:
            self.try_change_password()
            return
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
            if result.must_change_password or result.password_expired:
                self.ask_new_password(result.actor, password, result.message)
                return
            self.ctx.actor = result.actor
            self.accept()

        def work(_task: Any) -> Any:
            result = auth.sign_in(db, user, password)
            remember.remember_user(user)  # the next sign-in on this PC starts with the name filled in
            return result

        self.ctx.tasks.run(work, done, on_error=failed, parent=self)

    def ask_new_password(self, actor: Any, old: str, why: str | None) -> None:
        """The password was right but must be changed before the session starts."""
        self._changing = (actor, old)
        self.setWindowTitle(tr("修改口令"))
        self.username.setEnabled(False)
        self.form.setRowVisible(self.password, False)
        for field in (self.new_password, self.new_again):
            self.form.setRowVisible(field, True)
        self.message.setText((why or tr("请先修改口令")) + tr("。请输入新口令两次。"))
        self.new_password.setFocus()
        fit_dialog(self, 400)  # two more rows
        db = self.ctx.db

        def rules(_task: Any) -> Any:
            from app.services import auth  # the start path: the ORM loads after the first paint

            with db.uow(actor, write=False) as uow:
                return auth.policy(uow)

        self.ctx.tasks.run(rules, self._show_rules, parent=self)

    def _show_rules(self, p: Any) -> None:
        """What the new password must be, before the person types it (auth.password_problems judges the same)."""
        self.rules.setText(tr("新口令至少 {0} 位，包含大写字母、小写字母、数字、符号中的至少 {1} 类，不能包含用户名，"
                              "也不能是常见或容易猜到的口令。").format(p.min_length, p.classes))
        self.rules.show()
        fit_dialog(self, 400)

    def try_change_password(self) -> None:
        from app.services import auth  # the start path: the ORM loads after the first paint

        assert self._changing is not None
        actor, old = self._changing
        new, again = self.new_password.text(), self.new_again.text()
        if not new:
            self.message.setText(tr("请输入新口令"))
            self.new_password.setFocus()
            return
        if new != again:
            self.message.setText(tr("两次输入的新口令不一致，请重新输入"))
            self.new_again.clear()
            self.new_again.setFocus()
            return
        self.buttons.setEnabled(False)
        db = self.ctx.db

        def work(_task: Any) -> None:
            with db.uow(actor) as uow:
                auth.change_password(uow, actor.username, old, new)
                uow.commit()

        def failed(exc: BaseException) -> bool:
            self.buttons.setEnabled(True)
            if isinstance(exc, GovDataError):
                self.message.setText(str(exc))
                self.new_password.clear()
                self.new_again.clear()
                self.new_password.setFocus()
                return True
            return False

        def done(_result: Any) -> None:
            self.buttons.setEnabled(True)
            self._changing = None
            self.rules.hide()
            self.ctx.actor = actor
            self.accept()

        self.ctx.tasks.run(work, done, on_error=failed, parent=self)


def session_tr(text: str) -> str:
    return QCoreApplication.translate("Session", text)  # the lock's texts keep their translation context


class UnlockDialog(SignInDialog):
    """The locked window's dialog: the same account's password, or sign out so someone else can sign in."""

    def __init__(self, ctx: Any, username: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("unlockDialog")
        self.setWindowTitle(session_tr("窗口已锁定"))
        self.username.setText(username)
        self.username.setReadOnly(True)
        note = QLabel(session_tr("窗口已锁定。请输入 {0} 的口令解锁，或退出登录换人使用。").format(username))
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.layout().insertWidget(0, note)
        self.buttons.button(self.buttons.StandardButton.Ok).setText(session_tr("解锁"))
        self.buttons.button(self.buttons.StandardButton.Cancel).hide()
        self.sign_out_button = QPushButton(session_tr("退出登录"))
        self.sign_out_button.setObjectName("signOutButton")
        self.buttons.addButton(self.sign_out_button, self.buttons.ButtonRole.ResetRole)
        self.sign_out_button.clicked.connect(lambda: self.done(2))
        fit_dialog(self, 400)  # the note above the fields
        self.password.setFocus()

    def reject(self) -> None:  # Esc and the close box do not unlock
        pass

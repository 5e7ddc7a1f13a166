"""Signing in, the idle lock, unlocking and signing out, through the window; the demo database opens signed in."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.domain.actor import SETUP_ACTOR
from app.services import audit, auth
from app.services.master import add_department
from app.ui.mainwindow import MainWindow
from app.ui.signin import SignInDialog, UnlockDialog

PW = "Qinshui#2027"


@pytest.fixture
def accounts(sqlite_db, monkeypatch):
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)  # the hash's cost is not what these tests measure
    with sqlite_db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县教育局")
        auth.create_demo_accounts(uow, PW, clerk_department="县教育局")
        uow.commit()
    return sqlite_db


def press_ok(qtbot, dialog: SignInDialog, user: str, password: str) -> None:
    dialog.username.setText(user)
    dialog.password.setText(password)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.ctx.tasks.active == 0, timeout=5000)


def sign_outs(db) -> list[tuple[str, str]]:
    with db.uow(SETUP_ACTOR, write=False) as uow:
        return [(e.user, json.loads(e.detail)["reason"]) for e in audit.search(uow.session, action="sign_out",
                                                                                newest_first=False)]


def test_sign_in_dialog_wrong_password_lockout_and_success(ctx, accounts, qtbot) -> None:
    ctx.db = accounts
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.message.text() == "请输入用户名和口令"
    press_ok(qtbot, dialog, "reviewer", "wrong")
    assert dialog.message.text() == "用户名或口令不正确"
    assert dialog.password.text() == "" and dialog.isVisible() and ctx.actor is None
    for _ in range(4):
        press_ok(qtbot, dialog, "reviewer", "wrong")
    assert dialog.message.text().startswith("连续 5 次口令错误，账户已锁定至")
    press_ok(qtbot, dialog, "reviewer", PW)  # the right password does not open a locked account
    assert dialog.message.text().startswith("账户已锁定至") and ctx.actor is None
    press_ok(qtbot, dialog, "finance", PW)
    assert dialog.result() == SignInDialog.DialogCode.Accepted and not dialog.isVisible()
    assert ctx.actor.username == "finance" and ctx.actor.role == "finance"


def signed_in_window(ctx, db, qtbot) -> MainWindow:
    ctx.db = db
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    assert not w.lock_action.isEnabled() and not w.sign_out_action.isEnabled()  # nobody to lock yet
    w.ask_sign_in(first=True)
    assert not w.centralWidget().isVisible() and w.user_label.text() == "未登录"
    press_ok(qtbot, w.session_dialog, "reviewer", PW)
    qtbot.waitUntil(lambda: w.idle.active, timeout=5000)
    return w


def test_idle_lock_hides_the_pages_and_the_password_unlocks(ctx, accounts, qtbot) -> None:
    w = signed_in_window(ctx, accounts, qtbot)
    assert w.centralWidget().isVisible() and w.user_label.text() == "用户：审核员"
    assert w.idle.timer.interval() == 15 * 60_000  # the account policy's default
    assert w.lock_action in w.toolbar.actions() and w.sign_out_action in w.toolbar.actions()

    # any key press or mouse use restarts the countdown
    w.idle.start(60_000)
    qtbot.waitUntil(lambda: w.idle.timer.remainingTime() < 59_700, timeout=3000)
    qtbot.keyClick(w, Qt.Key.Key_Shift)
    assert w.idle.timer.remainingTime() > 59_800

    about = w.show_about()  # a dialog open over the pages is hidden with them
    w.idle.start(200)  # a short timeout instead of 15 minutes
    qtbot.waitUntil(lambda: w.locked, timeout=3000)
    assert not about.isVisible()
    dialog = w.session_dialog
    assert isinstance(dialog, UnlockDialog) and dialog.isVisible()
    assert dialog.username.text() == "reviewer" and dialog.username.isReadOnly()
    assert not w.centralWidget().isVisible() and not w.menuBar().isEnabled() and not w.lock_action.isEnabled()
    dialog.reject()  # Esc does not unlock
    assert dialog.isVisible() and w.locked
    press_ok(qtbot, dialog, "reviewer", "wrong")
    assert dialog.message.text() == "用户名或口令不正确" and w.locked
    press_ok(qtbot, dialog, "reviewer", PW)
    assert not w.locked and w.centralWidget().isVisible() and w.menuBar().isEnabled() and about.isVisible()
    qtbot.waitUntil(lambda: w.idle.active, timeout=5000)
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=5000)
    assert sign_outs(accounts) == [("reviewer", "idle_lock")]


def test_lock_and_sign_out_are_one_click(ctx, accounts, qtbot) -> None:
    w = signed_in_window(ctx, accounts, qtbot)
    reloaded = []
    ctx.database_opened.connect(lambda: reloaded.append(ctx.actor.username))
    about = w.show_about()
    w.sign_out_action.trigger()
    dialog = w.session_dialog
    assert type(dialog) is SignInDialog and dialog.isVisible() and ctx.actor is None
    assert not w.centralWidget().isVisible() and w.user_label.text() == "未登录"
    press_ok(qtbot, dialog, "finance", PW)
    assert w.user_label.text() == "用户：财政人员" and reloaded == ["finance"]  # pages reload for finance
    assert not about.isVisible()  # what reviewer had open is closed, not shown to finance
    w.lock_action.trigger()
    assert w.locked and isinstance(w.session_dialog, UnlockDialog)
    w.session_dialog.sign_out_button.click()  # someone else takes the desk
    assert type(w.session_dialog) is SignInDialog and not w.locked
    press_ok(qtbot, w.session_dialog, "leader", PW)
    assert w.user_label.text() == "用户：领导"
    w.close()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=5000)
    assert sign_outs(accounts) == [("reviewer", "sign_out"), ("finance", "idle_lock"), ("leader", "window_closed")]


def test_setup_account_has_nothing_to_lock(ctx, sqlite_db, qtbot) -> None:
    ctx.db, ctx.actor = sqlite_db, SETUP_ACTOR
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.session_started()
    w.lock()
    assert not w.locked and not w.idle.active and not w.lock_action.isEnabled()
    assert QApplication.activeModalWidget() is None


def test_demo_opens_signed_in_as_reviewer_without_hashing(tmp_path, monkeypatch) -> None:
    from app.ui import app as ui_app

    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)
    path = str(tmp_path / "demo.sqlite3")
    db, actor, signed_in = ui_app.open_database_for_window(path, demo=True)  # builds the demo
    db.dispose()

    def no_hashing(*_a, **_k):
        raise AssertionError("the demo must not hash a password")

    monkeypatch.setattr(auth, "verify_password", no_hashing)
    db, actor, signed_in = ui_app.open_database_for_window(path, demo=True)
    assert (actor.username, actor.role, actor.display_name, signed_in) == ("reviewer", "reviewer", "审核员", True)
    with db.uow(SETUP_ACTOR, write=False) as uow:
        entry = audit.search(uow.session, action="sign_in", user="reviewer")[0]
    assert json.loads(entry.detail)["reason"] == "demo database"
    db.dispose()
    # the same file opened as an ordinary database asks who signs in
    db, actor, signed_in = ui_app.open_database_for_window(path, demo=False)
    assert actor is None and signed_in
    db.dispose()


def change_step(qtbot, dialog: SignInDialog, new: str, again: str) -> None:
    dialog.new_password.setText(new)
    dialog.new_again.setText(again)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.ctx.tasks.active == 0, timeout=5000)


def test_first_sign_in_asks_for_a_new_password_twice_under_the_policy(ctx, accounts, qtbot) -> None:
    with accounts.uow(SETUP_ACTOR) as uow:
        auth.reset_password(uow, "clerk", "Reset#2027a")  # the holder must change it at the next sign-in
        uow.commit()
    ctx.db = accounts
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.new_password.isVisible()
    press_ok(qtbot, dialog, "clerk", "Reset#2027a")
    assert dialog.isVisible() and ctx.actor is None  # signed in, but not before the change
    assert dialog.new_password.isVisible() and dialog.new_again.isVisible() and not dialog.password.isVisible()
    assert dialog.message.text() == "首次登录（或口令被重置）后须先修改口令。请输入新口令两次。"
    change_step(qtbot, dialog, "Better#2027b", "Better#2027c")
    assert dialog.message.text() == "两次输入的新口令不一致，请重新输入" and dialog.isVisible()
    change_step(qtbot, dialog, "short", "short")
    assert dialog.message.text().startswith("口令不符合要求：口令至少 8 位")
    change_step(qtbot, dialog, "Reset#2027a", "Reset#2027a")
    assert dialog.message.text() == "新口令不能与原口令相同" and ctx.actor is None
    change_step(qtbot, dialog, "Better#2027b", "Better#2027b")
    assert dialog.result() == SignInDialog.DialogCode.Accepted and ctx.actor.username == "clerk"
    result = auth.sign_in(accounts, "clerk", "Better#2027b")
    assert not result.must_change_password and not result.password_expired
    with pytest.raises(auth.SignInError):
        auth.sign_in(accounts, "clerk", "Reset#2027a")


def test_expired_password_is_changed_at_sign_in(ctx, accounts, qtbot) -> None:
    import datetime as dt

    from sqlalchemy import update

    from app.models import User

    with accounts.uow(SETUP_ACTOR) as uow:
        uow.session.execute(update(User).where(User.username == "finance")
                            .values(password_changed_at=dt.datetime(2020, 1, 1)))
        uow.commit()
    ctx.db = accounts
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    press_ok(qtbot, dialog, "finance", PW)
    assert dialog.message.text() == "口令已超过 90 天未修改，请先修改口令。请输入新口令两次。"
    change_step(qtbot, dialog, PW, PW)
    assert dialog.message.text() == "新口令不能与原口令相同"
    change_step(qtbot, dialog, "Fresh#2028x", "Fresh#2028x")
    assert dialog.result() == SignInDialog.DialogCode.Accepted and ctx.actor.username == "finance"
    assert not auth.sign_in(accounts, "finance", "Fresh#2028x").password_expired


def test_nothing_of_the_previous_user_stays_after_sign_out(ctx, demo_db, qtbot) -> None:
    from app.ui.screens import page_factories

    ctx.db = demo_db
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.ask_sign_in(first=True)
    dashboard = w.pages["dashboard"]
    with qtbot.waitSignal(dashboard.loaded, timeout=20000):
        press_ok(qtbot, w.session_dialog, "reviewer", "demo-2026")
    qtbot.waitUntil(lambda: dashboard.category_chart is not None, timeout=20000)
    assert dashboard.cards["under_construction"].text() not in ("—", "0") and dashboard.due_model.rowCount()
    register = w.show_section("register")
    qtbot.waitUntil(lambda: register.model.total_count() > 0, timeout=20000)
    register.search.setText("平台")
    register.status.setCurrentIndex(register.status.findData("under_construction"))
    code = register.model.record(0).code
    with qtbot.waitSignal(w.ensure_project_page().loaded, timeout=20000):
        w.open_project(code)
    w.sign_out_action.trigger()
    # the sign-in dialog is up: everything the reviewer saw is gone, not only covered
    assert [c.text() for c in dashboard.cards.values()] == ["—"] * len(dashboard.cards)
    assert dashboard.due_model.rowCount() == 0 and dashboard.chart_area.count() == 0
    assert dashboard.date_label.text() == ""
    assert register.model.total_count() == 0 and register.search.text() == ""
    assert register.status.currentIndex() == 0 and register.year.count() == 1
    page = w.project_page
    assert page.code is None and page.title.text() == "" and page.history.rowCount() == 0
    assert page.facts.form.name.text() == "" and not page.action_buttons or all(
        not b.isVisible() for b in page.action_buttons.values())
    assert w.stack.currentWidget() is not page
    # the next user starts from a fresh window showing only what this account may see
    with qtbot.waitSignal(dashboard.loaded, timeout=20000):
        press_ok(qtbot, w.session_dialog, "clerk", "demo-2026")
    register = w.show_section("register")
    qtbot.waitUntil(lambda: register.model.total_count() > 0 and ctx.tasks.active == 0, timeout=20000)
    departments = {register.model.record(r).department for r in range(register.model.rowCount())}
    assert len(departments) == 1 and register.search.text() == ""

"""What the PC remembers, in the OS keyring: the shared database's password and the last user name; with no
keyring, nothing is stored and the password is asked (the dialog says why)."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.actor import SETUP_ACTOR
from app.errors import DatabaseError
from app.services import auth
from app.storage import keystore
from app.ui import app as ui_app
from app.ui import remember
from app.ui.mainwindow import MainWindow
from app.ui.signin import SignInDialog

URL = "postgresql+psycopg://govdata@10.1.2.3:5432/govdata"


class MemoryKeyring(KeyringBackend):
    """An OS keyring for the test: a dictionary."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def ring():
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    keystore.reset_notice()
    yield memory
    keyring.set_keyring(before)
    keystore.reset_notice()


def test_password_kept_under_the_address_without_it(ring) -> None:
    assert remember.split_password(URL.replace("govdata@", "govdata:p%40ss@")) == (URL, "p@ss")
    assert remember.needs_password(URL) and not remember.needs_password("sqlite:///x.sqlite3")
    assert remember.fill_password(URL) == (URL, False)
    assert remember.remember_password(remember.with_password(URL, "p@ss"))
    assert list(ring.secrets.values()) == ["p@ss"]
    assert remember.fill_password(URL) == (URL.replace("govdata@", "govdata:p%40ss@"), True)
    remember.forget_password(URL)
    assert not ring.secrets


def test_no_keyring_no_secret_anywhere_and_said_once(monkeypatch) -> None:
    keystore.reset_notice()
    assert not keystore.available()  # the tests' process has the fail backend
    assert not remember.remember_password(remember.with_password(URL, "s3cret"))
    assert remember.fill_password(URL) == (URL, False)
    assert "每次询问" in remember.keyring_notice() and remember.keyring_notice() is None


class FakeDb:
    is_sqlite = False
    url = URL
    display_name = "共享数据库 10.1.2.3:5432/govdata"


def test_asked_once_then_remembered(ring, ctx, qtbot, monkeypatch) -> None:
    tried: list[str | None] = []

    def fake_open(target, demo, first_run=None):
        tried.append(target)
        if not target or remember.split_password(target)[1] != "right":
            raise DatabaseError("无法连接共享数据库：password authentication failed for user \"govdata\"")
        return FakeDb(), SETUP_ACTOR, False

    monkeypatch.setattr(ui_app, "open_database_for_window", fake_open)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    ui_app.open_in_background(window, URL, demo=False)
    qtbot.waitUntil(lambda: getattr(window, "password_dialog", None) is not None, timeout=10000)
    assert tried == []  # nothing remembered: asked before trying
    dialog = window.password_dialog
    dialog.setTextValue("wrong")
    dialog.accept()
    qtbot.waitUntil(lambda: window.password_dialog is not dialog, timeout=10000)
    assert "口令不正确" in window.password_dialog.labelText() and not ring.secrets
    window.password_dialog.setTextValue("right")
    window.password_dialog.accept()
    qtbot.waitUntil(lambda: ctx.db is not None, timeout=10000)
    assert list(ring.secrets.values()) == ["right"]  # kept for the next start
    # the next start: nothing asked
    ctx.db = None
    window.password_dialog = None
    ui_app.open_in_background(window, URL, demo=False)
    qtbot.waitUntil(lambda: ctx.db is not None, timeout=10000)
    assert window.password_dialog is None and remember.split_password(tried[-1])[1] == "right"
    # the server's password changed: the remembered one is forgotten and asked again
    ring.secrets[next(iter(ring.secrets))] = "stale"
    ctx.db = None
    ui_app.open_in_background(window, URL, demo=False)
    qtbot.waitUntil(lambda: window.password_dialog is not None, timeout=10000)
    assert "记住的口令已不正确" in window.password_dialog.labelText() and not ring.secrets
    window.password_dialog.reject()


def test_the_last_user_name_is_filled_in(ring, ctx, sqlite_db, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)
    with sqlite_db.uow(SETUP_ACTOR) as uow:
        auth.create_demo_accounts(uow, "Qinshui#2027")
        uow.commit()
    ctx.db = sqlite_db
    first = SignInDialog(ctx)
    qtbot.addWidget(first)
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10000)
    assert first.username.text() == ""
    first.username.setText("finance")
    first.password.setText("Qinshui#2027")
    with qtbot.waitSignal(first.accepted, timeout=10000):
        first.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert ring.secrets == {("govdata", "last-user"): "finance"}
    second = SignInDialog(ctx)
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: second.username.text() == "finance", timeout=10000)
    assert second.password.hasFocus() or not second.isVisible()

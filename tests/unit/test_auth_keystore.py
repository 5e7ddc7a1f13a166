"""The OS keyring: used when present, never a crash and never a plain-text file when absent."""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from app.storage import keystore


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError

        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise RuntimeError("D-Bus went away")

    set_password = get_password


@pytest.fixture
def restore_keyring():
    old = keyring.get_keyring()
    keystore.reset_notice()
    yield
    keyring.set_keyring(old)
    keystore.reset_notice()


def test_present_keyring_stores_and_returns(restore_keyring):
    mem = MemoryKeyring()
    keyring.set_keyring(mem)
    assert keystore.available() and keystore.absence_notice() is None
    assert keystore.put(keystore.BACKUP_KEY, "k3y") is True
    assert keystore.get(keystore.BACKUP_KEY) == "k3y"
    assert mem.items == {("govdata", "backup-key"): "k3y"}
    assert keystore.delete(keystore.BACKUP_KEY) and keystore.get(keystore.BACKUP_KEY) is None
    assert keystore.delete(keystore.BACKUP_KEY) is False  # nothing left: no exception


def test_absent_keyring_says_so_once_and_writes_nothing(restore_keyring, tmp_path, monkeypatch):
    keyring.set_keyring(fail.Keyring())
    monkeypatch.chdir(tmp_path)
    assert not keystore.available()
    assert keystore.put(keystore.LAST_USER, "zhangsan") is False
    assert keystore.get(keystore.LAST_USER) is None
    assert keystore.delete(keystore.LAST_USER) is False
    assert "没有可用的系统密钥环" in keystore.absence_notice()
    assert keystore.absence_notice() is None  # once
    home = Path(os.environ["GOVDATA_HOME"])
    written = [p for d in (tmp_path, home) for p in d.rglob("*") if p.is_file()]
    assert not any(b"zhangsan" in p.read_bytes() for p in written)


def test_a_failing_backend_is_treated_as_absent_values(restore_keyring):
    keyring.set_keyring(BrokenKeyring())
    assert keystore.get("x") is None and keystore.put("x", "y") is False


def test_plain_text_backends_are_refused(restore_keyring):
    class PlainText(MemoryKeyring):
        pass

    PlainText.__module__ = "keyrings.alt.file"
    keyring.set_keyring(PlainText())
    assert not keystore.available() and keystore.put("x", "secret") is False

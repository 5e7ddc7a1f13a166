"""`govdata demo --password 123456`: the business accounts get the weak demonstration password, the three
administrators never do (a strong generated one, printed once); the window's --demo the same (issue 14, item 14)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.cli.main import main
from app.services import auth
from app.storage.database import open_database


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch):
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)


@pytest.mark.parametrize("weak", ["123456", "demo-2026"])
def test_a_weak_demo_password_never_reaches_the_administrators(tmp_path: Path, capsys, weak: str) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--password", weak]) == 0
    out = capsys.readouterr().out
    found = re.search(r"三员账户（admin、security、auditor）的口令：(\S+?)（", out)
    assert found, out
    admin_password = found.group(1)
    assert admin_password != weak and not auth.password_problems(auth.PasswordPolicy(), admin_password)
    db = open_database(path)
    try:
        for admin in ("admin", "security", "auditor"):
            with pytest.raises(auth.SignInError):
                auth.sign_in(db, admin, weak, record=False)
            assert auth.sign_in(db, admin, admin_password, record=False).actor.role in auth.ADMIN_ROLES
        assert auth.sign_in(db, "reviewer", weak, record=False).actor.role == "reviewer"
    finally:
        db.dispose()

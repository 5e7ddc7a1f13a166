"""One account in two sessions at once (a clerk with the window open and a terminal, two PCs on the shared
database) never conflicts on its own users row: each sign-in, failed attempt and sign-out of one session while the
other does the same ends as it should, and every one is in the audit trail. On SQLite and, with
GOVDATA_TEST_PG_URL, PostgreSQL (where the row's version once made the second session's sign-in a StaleDataError,
exit 3)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.actor import SETUP_ACTOR
from app.models import AuditRecord, User
from app.services import auth
from app.services.master import add_department
from app.storage.database import Database

ROOT = Path(__file__).parents[2]
PW = "Qinshui#2027"
ROUNDS = 15


@pytest.fixture
def accounts(db: Database) -> Database:
    with db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县教育局")
        auth.create_demo_accounts(uow, PW, admin_password="Kx7-quiet-lantern-42")
        uow.commit()
    return db


def _count(db: Database, action: str, outcome: str = "ok") -> int:
    with db.uow(SETUP_ACTOR, write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.action == action, AuditRecord.outcome == outcome, AuditRecord.object_id == "reviewer")) or 0)


@pytest.mark.slow  # 30–40 s on a loaded machine: run by .ci/run (pytest -m slow)
def test_two_sessions_of_one_account_sign_in_and_out_at_once(accounts: Database, monkeypatch) -> None:
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)
    sessions = [Database(accounts.url) for _ in range(2)]  # two engines: two PCs, or the window and a terminal
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def work(db: Database) -> None:
        try:
            start.wait()
            for _ in range(ROUNDS):
                actor = auth.sign_in(db, "reviewer", PW).actor
                with pytest.raises(auth.SignInError):
                    auth.sign_in(db, "reviewer", "Wrong#2027x")  # a mistyped attempt counts on the same row
                auth.sign_out(db, actor)
        except BaseException as exc:  # noqa: BLE001 - collected and shown below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(db,)) for db in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    for db in sessions:
        db.dispose()
    assert not errors, errors
    assert _count(accounts, "sign_in") == 2 * ROUNDS
    assert _count(accounts, "sign_in", "failed") == 2 * ROUNDS
    assert _count(accounts, "sign_out") == 2 * ROUNDS
    with accounts.uow(SETUP_ACTOR, write=False) as uow:
        row = uow.session.scalar(select(User).where(User.username == "reviewer"))
        assert row.locked_until is None or row.failed_logins < 5  # successes in between reset the count


@pytest.mark.slow
def test_two_terminals_of_one_account_at_once(accounts: Database, tmp_path: Path) -> None:
    """`govdata login` in two processes at once, each with its own sign-in folder: every one exits 0. (The shared
    database only: a local SQLite file has one writing instance at a time, by its instance lock.)"""
    if accounts.is_sqlite:
        pytest.skip("one writing instance per local file (storage.guard's instance lock)")
    env = {**os.environ, "GOVDATA_USER": "reviewer", "GOVDATA_PASSWORD": PW}
    script = ("import sys\nfrom app.cli.main import main\n"
              f"codes = [main(['--db', sys.argv[1], 'login']) for _ in range({ROUNDS})]\n"
              "print('codes', *codes)\n")
    procs = []
    for i in range(2):
        home = tmp_path / f"home{i}"
        home.mkdir()
        procs.append(subprocess.Popen([sys.executable, "-c", script, accounts.url], cwd=ROOT, text=True,
                                      env={**env, "GOVDATA_HOME": str(home)}, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE))
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
        assert out.split("codes")[-1].split() == ["0"] * ROUNDS, (out[-2000:], err[-2000:])
    assert _count(accounts, "sign_in") == 2 * ROUNDS

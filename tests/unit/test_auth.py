"""Accounts, 三员分立, password hashing and policy, lockout, first sign-in change, audit of sign-ins and refusals."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from app.domain.actor import SETUP_ACTOR, Actor
from app.errors import InputError, PermissionDenied
from app.models import AuditRecord, Setting, User
from app.models.base import utcnow
from app.services import audit, auth
from app.services.auth import PasswordPolicy, SignInError

PW = "Qinshui#2027"


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch):
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)


@pytest.fixture
def accounts(db):
    """A department and one account per role, all with PW, no forced change."""
    from app.services.master import add_department

    with db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县教育局")
        add_department(uow, "县卫健委")
        for name, role in [("admin", "sysadmin"), ("sec", "secadmin"), ("aud", "auditor"), ("rev", "reviewer"),
                           ("fin", "finance"), ("lead", "leader")]:
            auth.add_user(uow, name, PW, [role], must_change=False)
        auth.add_user(uow, "clerk", PW, ["clerk"], department="县教育局", must_change=False)
        uow.commit()
    return db


def actor(db, name: str) -> Actor:
    return auth.sign_in(db, name, PW).actor


def _trail(db, action: str | None = None) -> list[tuple]:
    with db.uow(SETUP_ACTOR, write=False) as uow:
        return [(e.user, e.action, e.object_id, e.outcome)
                for e in audit.search(uow.session, action=action, newest_first=False)]


# ---------------------------------------------------------------- pure

def test_hash_records_scheme_and_verifies():
    h = auth.hash_password("秘密Pass1")
    scheme, it, salt, digest = h.split("$")
    assert (scheme, it, len(salt), len(digest)) == ("pbkdf2-sm3", "1000", 32, 64)
    assert auth.verify_password("秘密Pass1", h)
    assert not auth.verify_password("秘密Pass2", h)
    assert auth.hash_password("秘密Pass1") != h  # salted
    assert not auth.verify_password("x", "scrypt$1$00$00") and not auth.verify_password("x", "garbage")


def test_password_policy():
    p = PasswordPolicy()
    assert auth.password_problems(p, "Kx7#qlnt-wv") == []
    assert auth.password_problems(p, "Ab1#e") == ["口令至少 8 位"]
    assert auth.password_problems(p, "abcdefgh1") == ["口令须包含大写字母、小写字母、数字、符号中的至少 3 类"]
    assert auth.password_problems(p, "Zhangsan#1", "zhangsan") == ["口令不能包含用户名"]
    q = auth.policy_from({"security.password_min_length": "12", "security.password_classes": "4",
                          "security.lockout_threshold": "x"})
    assert (q.min_length, q.classes, q.lockout_threshold) == (12, 4, 5)
    with pytest.raises(InputError, match="至少 12 位"):
        auth.check_password(q, "Kx7#qlnt-wv")


@pytest.mark.parametrize("common", ["Password1!", "Qwer1234!", "Admin@123", "P@ssw0rd2027", "Abcd1234#"])
def test_common_passwords_are_refused_by_zxcvbn(common):
    """They pass length and the classes; zxcvbn's lists and patterns refuse them (issue 14 item 6)."""
    problems = auth.password_problems(PasswordPolicy(), common)
    assert problems and "太常见" in problems[0]


def test_three_administrators_are_separate():
    assert auth.validate_roles(["reviewer", "leader"], None) == ("reviewer", "leader")
    with pytest.raises(InputError, match="不能由同一账户兼任"):
        auth.validate_roles(["sysadmin", "auditor"], None)
    with pytest.raises(InputError, match="不能兼任业务角色"):
        auth.validate_roles(["secadmin", "reviewer"], None)
    with pytest.raises(InputError, match="必须指定所属单位"):
        auth.validate_roles(["clerk"], None)
    with pytest.raises(InputError, match="未知角色"):
        auth.validate_roles(["root"], None)


# ---------------------------------------------------------------- accounts through the service layer

def test_sign_in_success_and_failure_are_audited(accounts):
    s = auth.sign_in(accounts, "rev", PW)
    assert s.actor == Actor("rev", "reviewer", None, None, ("reviewer",)) and not s.must_change_password
    with pytest.raises(SignInError, match="用户名或口令不正确"):
        auth.sign_in(accounts, "rev", "wrong")
    with pytest.raises(SignInError, match="^用户名或口令不正确$"):
        auth.sign_in(accounts, "nobody", PW)
    auth.sign_out(accounts, s.actor)
    assert _trail(accounts, "sign_in") == [("rev", "sign_in", "rev", "ok"), ("rev", "sign_in", "rev", "failed"),
                                           ("nobody", "sign_in", "nobody", "failed")]
    assert _trail(accounts, "sign_out") == [("rev", "sign_out", "rev", "ok")]


def test_five_failures_lock_for_fifteen_minutes_then_unlock(accounts):
    now = utcnow()
    for _i in range(4):  # one message, the same as for an account that does not exist
        with pytest.raises(SignInError) as e:
            auth.sign_in(accounts, "fin", "bad", now=now)
        assert e.value.message == auth.WRONG
        with pytest.raises(SignInError) as e:
            auth.sign_in(accounts, "nobody", "bad", now=now)
        assert e.value.message == auth.WRONG
    with pytest.raises(SignInError, match="连续 5 次口令错误，账户已锁定"):
        auth.sign_in(accounts, "fin", "bad", now=now)
    with pytest.raises(SignInError, match="账户已锁定"):  # even the right password
        auth.sign_in(accounts, "fin", PW, now=now + dt.timedelta(minutes=14))
    with pytest.raises(SignInError) as e:  # a wrong one is not told the account is locked
        auth.sign_in(accounts, "fin", "bad", now=now + dt.timedelta(minutes=14))
    assert e.value.message == auth.WRONG
    assert auth.sign_in(accounts, "fin", PW, now=now + dt.timedelta(minutes=15, seconds=1)).actor.username == "fin"
    # locked again, and unlocked by the security administrator before the time is up
    for _ in range(5):
        with pytest.raises(SignInError):
            auth.sign_in(accounts, "fin", "bad", now=now + dt.timedelta(minutes=20))
    sec = actor(accounts, "sec")
    with accounts.uow(sec) as uow:
        assert {u.username: u.locked for u in auth.list_users(uow)}["fin"]
        auth.unlock_user(uow, "fin")
        uow.commit()
    assert auth.sign_in(accounts, "fin", PW, now=now + dt.timedelta(minutes=21)).actor.role == "finance"
    assert ("sec", "user.unlock", "fin", "ok") in _trail(accounts, "user.unlock")


def test_lockout_settings_are_configurable(accounts):
    with accounts.uow(SETUP_ACTOR) as uow:
        uow.session.add_all([Setting(key="security.lockout_threshold", value="2"),
                             Setting(key="security.lockout_minutes", value="60"),
                             Setting(key="security.idle_lock_minutes", value="5")])
        uow.commit()
    with accounts.uow(SETUP_ACTOR, write=False) as uow:
        assert auth.idle_lock_minutes(uow) == 5
    now = utcnow()
    for _ in range(2):
        with pytest.raises(SignInError):
            auth.sign_in(accounts, "lead", "bad", now=now)
    with pytest.raises(SignInError, match="锁定"):
        auth.sign_in(accounts, "lead", PW, now=now + dt.timedelta(minutes=59))


def test_first_sign_in_must_change_and_history_refuses_reuse(accounts):
    with accounts.uow(actor(accounts, "admin")) as uow:
        auth.add_user(uow, "wang", PW, ["reviewer"], display_name="王五")
        uow.commit()
    s = auth.sign_in(accounts, "wang", PW)
    assert s.must_change_password and "须先修改口令" in s.message
    history = [PW] + [f"Kx{i}-quiet-lantern-{i}{i}" for i in range(1, 6)]
    with accounts.uow(s.actor) as uow, pytest.raises(InputError, match="原口令不正确"):
        auth.change_password(uow, "wang", "wrong", "Other#123")
    for old, new in itertools.pairwise(history):
        with accounts.uow(s.actor) as uow:
            auth.change_password(uow, "wang", old, new)
            uow.commit()
    assert not auth.sign_in(accounts, "wang", history[-1]).must_change_password
    with accounts.uow(s.actor) as uow:  # the last 5 are refused, the 6th back (PW) is allowed
        with pytest.raises(InputError, match="最近 5 次"):
            auth.change_password(uow, "wang", history[-1], history[2])
        auth.change_password(uow, "wang", history[-1], PW)
        uow.commit()
    with accounts.uow(s.actor) as uow, pytest.raises(PermissionDenied, match="只能修改自己的口令"):
        auth.change_password(uow, "rev", PW, "Another#1")


def test_password_expires_after_max_age(accounts):
    s = auth.sign_in(accounts, "rev", PW, now=utcnow() + dt.timedelta(days=91))
    assert s.password_expired and "90 天" in s.message
    assert not auth.sign_in(accounts, "rev", PW, now=utcnow() + dt.timedelta(days=89)).password_expired


def test_reset_by_security_admin_forces_change(accounts):
    with accounts.uow(actor(accounts, "sec")) as uow:
        auth.reset_password(uow, "clerk", "Reset#2027")
        uow.commit()
    assert auth.sign_in(accounts, "clerk", "Reset#2027").must_change_password


def test_disabled_account_cannot_sign_in(accounts):
    with accounts.uow(actor(accounts, "admin")) as uow:
        auth.set_active(uow, "lead", False)
        uow.commit()
    with pytest.raises(SignInError, match="已停用"):
        auth.sign_in(accounts, "lead", PW)


ACCOUNT_ACTIONS = {
    "add": lambda uow: auth.add_user(uow, "new1", PW, ["leader"]),
    "list": lambda uow: auth.list_users(uow),
    "roles": lambda uow: auth.set_roles(uow, "lead", ["leader", "reviewer"]),
    "lock": lambda uow: auth.lock_user(uow, "lead"),
    "unlock": lambda uow: auth.unlock_user(uow, "lead"),
    "reset": lambda uow: auth.reset_password(uow, "lead", "Reset#2027"),
    "deactivate": lambda uow: auth.set_active(uow, "lead", False),
}
ALLOWED = {
    "admin": {"add", "list", "deactivate"},
    "sec": {"list", "roles", "lock", "unlock", "reset"},
    "aud": set(), "rev": set(), "fin": set(), "lead": set(), "clerk": set(),
}


def test_each_role_manages_exactly_what_it_may(accounts):
    for name, allowed in ALLOWED.items():
        a = actor(accounts, name)
        done = set()
        for what, fn in ACCOUNT_ACTIONS.items():
            with accounts.uow(a) as uow:
                try:
                    fn(uow)
                    done.add(what)
                except PermissionDenied as exc:
                    assert "无权" in exc.message
                    refusal = exc
                else:
                    refusal = None
                # never committed: each attempt starts from the same state
            if refusal is not None:  # what the command line and the window do with it: one record
                assert audit.record_refusal(accounts, a, refusal) is True
        assert done == allowed, name
    refused = [r for r in _trail(accounts) if r[3] == "refused"]
    assert ("aud", "user.add", "new1", "refused") in refused and len(refused) == sum(
        len(ACCOUNT_ACTIONS) - len(v) for v in ALLOWED.values())


def test_demo_accounts_one_per_role(db):
    from app.services.master import add_department

    with db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县教育局")
        with pytest.raises(InputError, match="太常见|不符合要求"):  # never a weak password for the three administrators
            auth.create_demo_accounts(uow, "demo2027")
        assert auth.create_demo_accounts(uow, "demo2027", admin_password="Kx7-quiet-lantern-42") == [
            "admin", "security", "auditor", "reviewer", "director", "finance", "clerk", "leader"]
        uow.commit()
    admins = {u for u, r, _ in auth.DEMO_ACCOUNTS if r in auth.ADMIN_ROLES}
    for u in admins:
        with pytest.raises(SignInError):
            auth.sign_in(db, u, "demo2027")
    got = {u: auth.sign_in(db, u, "Kx7-quiet-lantern-42" if u in admins else "demo2027").actor
           for u, _, _ in auth.DEMO_ACCOUNTS}
    assert {u: a.role for u, a in got.items()} == {u: r for u, r, _ in auth.DEMO_ACCOUNTS}
    assert got["clerk"].department_id is not None
    with db.uow(SETUP_ACTOR, write=False) as uow:
        assert uow.session.scalar(select(User.password_hash).where(User.username == "admin")).startswith("pbkdf2-sm3$")
        assert not uow.session.scalars(select(AuditRecord).where(AuditRecord.detail.contains("demo2027"))).all()


def test_weak_hash_is_upgraded_at_sign_in(accounts, monkeypatch):
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 2000)
    auth.sign_in(accounts, "rev", PW)
    with accounts.uow(SETUP_ACTOR, write=False) as uow:
        assert uow.session.scalar(select(User.password_hash).where(User.username == "rev")).split("$")[1] == "2000"
    assert auth.sign_in(accounts, "rev", PW).actor.username == "rev"

"""Accounts, roles (三员分立), passwords (PBKDF2-HMAC-SM3, scheme recorded), policy, lockout, sign-in and sign-out.

Who manages accounts: the system administrator creates and deactivates them (users.manage); the security
administrator assigns roles, resets passwords, locks and unlocks (users.security); everyone changes their own
password. Before the first account exists, the setup account may do all of it (the first administrators).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import string
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError

from app.domain.actor import Actor
from app.domain.demo import DEMO_PASSWORD
from app.domain.inputs import check_username, optional_text
from app.domain.vocabulary import ROLE_LABELS
from app.errors import GovDataError, InputError, NotFoundError, PermissionDenied
from app.models import Department, PasswordHistory, Setting, User
from app.models.base import utcnow
from app.services.master import get_department
from app.services.permissions import can, require
from app.storage import crypto
from app.storage.database import Database, UnitOfWork

SCHEME = "pbkdf2-sm3"
PBKDF2_ITERATIONS = 300_000  # about 0.1 s here; recorded in each hash, so it can be raised later

ADMIN_ROLES = ("sysadmin", "secadmin", "auditor")
BUSINESS_ROLES = ("reviewer", "bureau_leader", "finance", "clerk", "leader")
ROLES = BUSINESS_ROLES + ADMIN_ROLES

POLICY_DEFAULTS: dict[str, int] = {
    "security.password_min_length": 8,
    "security.password_classes": 3,  # of lower case, upper case, digits, symbols
    "security.password_max_age_days": 90,  # 0: never expires
    "security.password_history": 5,
    "security.lockout_threshold": 5,
    "security.lockout_minutes": 15,
    "security.idle_lock_minutes": 15,
}


class SignInError(GovDataError):
    """Wrong user name or password, or a locked or disabled account."""


# ---------------------------------------------------------------- passwords

def hash_password(password: str, iterations: int | None = None) -> str:
    """`pbkdf2-sm3$iterations$salt$hash` (hex)."""
    it = iterations or PBKDF2_ITERATIONS
    salt = secrets.token_bytes(16)
    digest = crypto.pbkdf2_sm3(password.encode("utf-8"), salt, it, 32)
    return f"{SCHEME}${it}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        scheme, it, salt, digest = stored.split("$")
        if scheme != SCHEME:
            return False
        got = crypto.pbkdf2_sm3(password.encode("utf-8"), bytes.fromhex(salt), int(it), len(digest) // 2)
    except ValueError:
        return False
    return crypto.constant_time_equal(got.hex(), digest)


def needs_rehash(stored: str) -> bool:
    parts = stored.split("$")
    return parts[0] != SCHEME or len(parts) != 4 or int(parts[1]) < PBKDF2_ITERATIONS


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    classes: int = 3
    max_age_days: int = 90
    history: int = 5
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 15


def policy_from(values: dict[str, str]) -> PasswordPolicy:
    def num(key: str) -> int:
        try:
            return max(0, int(values.get(key, POLICY_DEFAULTS[key])))
        except ValueError:
            return POLICY_DEFAULTS[key]

    return PasswordPolicy(*(num(k) for k in POLICY_DEFAULTS))


def policy(uow: UnitOfWork) -> PasswordPolicy:
    rows = uow.session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(POLICY_DEFAULTS)))
    return policy_from({k: v for k, v in rows})


def idle_lock_minutes(uow: UnitOfWork) -> int:
    """Minutes of inactivity after which the window locks itself (0: never)."""
    return policy(uow).idle_lock_minutes


def password_problems(p: PasswordPolicy, password: str, username: str | None = None,
                      common: bool = True) -> list[str]:
    problems = []
    if len(password) < p.min_length:
        problems.append(f"口令至少 {p.min_length} 位")
    kinds = [any(c.islower() for c in password), any(c.isupper() for c in password),
             any(c.isdigit() for c in password), any(not c.isalnum() for c in password)]
    if sum(kinds) < min(p.classes, 4):
        problems.append(f"口令须包含大写字母、小写字母、数字、符号中的至少 {p.classes} 类")
    if username and username.lower() in password.lower():
        problems.append("口令不能包含用户名")
    if common and not problems and guessable(password, username):
        problems.append("口令太常见或太容易猜到（如 Password1!、Qwer1234、年份加姓名），请换用更长、不常见的组合")
    return problems


MIN_STRENGTH = 3  # zxcvbn's score 0-4; 3: "safely unguessable" against an online attack with throttling


def guessable(password: str, username: str | None = None) -> bool:
    """Common or easily guessed, judged by zxcvbn (Dropbox's estimator: 30,000 common passwords, names, words,
    keyboard patterns, dates, l33t substitutions), not a hand-written list."""
    from zxcvbn import zxcvbn  # its word lists load in ~0.1 s: only when a password is set

    inputs = [u for u in (username, "govdata", DEMO_PASSWORD) if u]  # the demonstration's, printed in the README
    return int(zxcvbn(password[:100], user_inputs=inputs)["score"]) < MIN_STRENGTH


def check_password(p: PasswordPolicy, password: str, username: str | None = None) -> None:
    problems = password_problems(p, password, username)
    if problems:
        raise InputError("口令不符合要求：" + "；".join(problems))


def generate_password(p: PasswordPolicy | None = None) -> str:
    p = p or PasswordPolicy()
    alphabet = string.ascii_letters + string.digits + "#%+=@"
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(max(12, p.min_length)))
        if not password_problems(p, pw):
            return pw


# ---------------------------------------------------------------- roles

def validate_roles(roles: list[str] | tuple[str, ...], department_id: int | None) -> tuple[str, ...]:
    """Known roles; at most one of the three administrators, never with a business role (三员分立)."""
    roles = tuple(dict.fromkeys(r.strip() for r in roles if r.strip()))
    if not roles:
        raise InputError("请至少指定一个角色：" + "、".join(f"{r}（{ROLE_LABELS[r]}）" for r in ROLES))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise InputError(f"未知角色：{'、'.join(unknown)}；可选：" + "、".join(f"{r}（{ROLE_LABELS[r]}）" for r in ROLES))
    admins = [r for r in roles if r in ADMIN_ROLES]
    if len(admins) > 1:
        raise InputError("三员分立：系统管理员、安全管理员、审计管理员不能由同一账户兼任")
    if admins and len(roles) > 1:
        raise InputError(f"三员分立：{ROLE_LABELS[admins[0]]}不能兼任业务角色（不得操作项目数据）")
    if "clerk" in roles and department_id is None:
        raise InputError("实施单位填报员必须指定所属单位")
    return roles


# ---------------------------------------------------------------- accounts

@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str | None
    department: str | None
    roles: tuple[str, ...]
    role_labels: str
    active: bool
    locked: bool
    locked_until: dt.datetime | None
    failed_logins: int
    must_change_password: bool
    password_changed_at: dt.datetime | None
    last_login_at: dt.datetime | None


def _roles(u: User) -> tuple[str, ...]:
    return tuple(r for r in (u.roles or "").split(",") if r)


def _view(uow: UnitOfWork, u: User, now: dt.datetime | None = None) -> UserView:
    now = now or utcnow()
    dept = uow.session.get(Department, u.department_id) if u.department_id else None
    roles = _roles(u)
    return UserView(u.username, u.display_name, dept.name if dept else None, roles,
                    "、".join(ROLE_LABELS.get(r, r) for r in roles), u.active,
                    bool(u.locked_until and u.locked_until > now), u.locked_until, u.failed_logins,
                    u.must_change_password, u.password_changed_at, u.last_login_at)


def actor_of(u: User) -> Actor:
    roles = _roles(u)
    return Actor(u.username, roles[0] if roles else "", u.department_id, u.display_name, roles)


def any_accounts(uow: UnitOfWork) -> bool:
    return bool(uow.session.scalar(select(func.count()).select_from(User)))


def _get(uow: UnitOfWork, username: str) -> User:
    u = uow.session.scalar(select(User).where(User.username == username))
    if u is None:
        raise NotFoundError(f"没有这个账户：{username}")
    return u


def _department_id(uow: UnitOfWork, department: str | int | None) -> int | None:
    if department is None or department == "":
        return None

    return get_department(uow, department).id


def add_user(uow: UnitOfWork, username: str, password: str, roles: list[str] | tuple[str, ...],
             department: str | int | None = None, display_name: str | None = None,
             phone: str | None = None, must_change: bool = True) -> UserView:
    require(uow.actor, "users.manage", action="user.add", object_id=username)
    username = check_username(username.strip() if isinstance(username, str) else username)
    display_name = optional_text(display_name, "姓名", 64)
    phone = optional_text(phone, "电话", 30)
    same = uow.session.scalar(select(User.username).where(func.lower(User.username) == username.lower()))
    if same is not None:
        raise InputError(f"账户已存在：{same}" + ("" if same == username else "（用户名不区分大小写）"))
    if username in ("setup", "system"):
        raise InputError(f"用户名 {username} 为程序保留")
    dept_id = _department_id(uow, department)
    role_keys = validate_roles(roles, dept_id)
    check_password(policy(uow), password, username)
    now = utcnow()
    u = User(username=username, display_name=display_name, department_id=dept_id, roles=",".join(role_keys),
             password_hash=hash_password(password), password_changed_at=now, must_change_password=must_change,
             failed_logins=0, phone=phone, active=True)
    uow.session.add(u)
    uow.session.flush()
    uow.session.add(PasswordHistory(user_id=u.id, password_hash=u.password_hash, changed_at=now))
    uow.audit("user.add", "user", username, {"after": {"roles": list(role_keys), "department_id": dept_id,
                                                       "display_name": display_name}})
    return _view(uow, u)


def list_users(uow: UnitOfWork) -> list[UserView]:
    if not (can(uow.actor, "users.manage") or can(uow.actor, "users.security")):
        require(uow.actor, "users.manage", action="user.list")
    return [_view(uow, u) for u in uow.session.scalars(select(User).order_by(User.username))]


def get_user(uow: UnitOfWork, username: str) -> UserView:
    if username != uow.actor.username and not (can(uow.actor, "users.manage") or can(uow.actor, "users.security")):
        require(uow.actor, "users.manage", action="user.view", object_id=username)
    return _view(uow, _get(uow, username))


def set_roles(uow: UnitOfWork, username: str, roles: list[str] | tuple[str, ...]) -> UserView:
    require(uow.actor, "users.security", action="user.roles", object_id=username)
    u = _get(uow, username)
    if username == uow.actor.username:
        raise PermissionDenied("不能修改自己的角色")
    role_keys = validate_roles(roles, u.department_id)
    before = _roles(u)
    u.roles = ",".join(role_keys)
    uow.audit("user.roles", "user", username, {"before": list(before), "after": list(role_keys)})
    return _view(uow, u)


def lock_user(uow: UnitOfWork, username: str, until: dt.datetime | None = None) -> UserView:
    """Lock an account (until a time, or until unlocked)."""
    require(uow.actor, "users.security", action="user.lock", object_id=username)
    u = _get(uow, username)
    u.locked_until = until or dt.datetime(9999, 12, 31)
    uow.audit("user.lock", "user", username, {"until": u.locked_until})
    return _view(uow, u)


def unlock_user(uow: UnitOfWork, username: str) -> UserView:
    require(uow.actor, "users.security", action="user.unlock", object_id=username)
    u = _get(uow, username)
    before = {"locked_until": u.locked_until, "failed_logins": u.failed_logins}
    u.locked_until = None
    u.failed_logins = 0
    uow.audit("user.unlock", "user", username, {"before": before})
    return _view(uow, u)


def set_active(uow: UnitOfWork, username: str, active: bool) -> UserView:
    require(uow.actor, "users.manage", action="user.activate" if active else "user.deactivate", object_id=username)
    u = _get(uow, username)
    if username == uow.actor.username and not active:
        raise InputError("不能停用自己的账户")
    u.active = active
    uow.audit("user.activate" if active else "user.deactivate", "user", username, {"after": {"active": active}})
    return _view(uow, u)


def _set_password(uow: UnitOfWork, u: User, new: str, must_change: bool) -> None:
    p = policy(uow)
    check_password(p, new, u.username)
    recent = uow.session.scalars(select(PasswordHistory.password_hash).where(PasswordHistory.user_id == u.id)
                                 .order_by(PasswordHistory.id.desc()).limit(max(p.history, 1)))
    if p.history and any(verify_password(new, h) for h in recent):
        raise InputError(f"新口令不能与最近 {p.history} 次使用过的口令相同")
    now = utcnow()
    u.password_hash = hash_password(new)
    u.password_changed_at = now
    u.must_change_password = must_change
    uow.session.add(PasswordHistory(user_id=u.id, password_hash=u.password_hash, changed_at=now))


def change_password(uow: UnitOfWork, username: str, old: str, new: str) -> None:
    """The account holder changes their own password (also the forced change at first sign-in)."""
    u = _get(uow, username)
    if username != uow.actor.username and uow.actor.role != "setup":
        raise PermissionDenied("只能修改自己的口令；重置他人口令请由安全管理员办理")
    if not verify_password(old, u.password_hash):
        uow.rollback()
        uow.audit("user.password", "user", username, {"message": "原口令不正确"}, outcome="failed")
        uow.commit()
        raise InputError("原口令不正确")
    if old == new:
        raise InputError("新口令不能与原口令相同")
    _set_password(uow, u, new, must_change=False)
    uow.audit("user.password", "user", username)


def reset_password(uow: UnitOfWork, username: str, new: str) -> None:
    """The security administrator sets a new password; the holder must change it at next sign-in."""
    require(uow.actor, "users.security", action="user.password_reset", object_id=username)
    u = _get(uow, username)
    _set_password(uow, u, new, must_change=True)
    uow.audit("user.password_reset", "user", username)


# ---------------------------------------------------------------- sign-in

@dataclass(frozen=True)
class SignIn:
    actor: Actor
    must_change_password: bool
    password_expired: bool
    message: str | None = None


_DUMMY_HASH: str | None = None


WRONG = "用户名或口令不正确"  # the one message for a missing account and a wrong password


def _record_failure(db: Database, username: str, user_id: int | None, p: PasswordPolicy,
                    now: dt.datetime) -> dt.datetime | None:
    """Count a failed attempt (atomically, without touching the row's version: another session of the same account
    never conflicts) and record it; lock the account at the threshold. Returns the lock's end when it locked now.
    Best effort: a database that cannot be written (busy, read-only, no audit key here) still refuses the sign-in."""
    locked_until = None
    try:
        with db.uow(Actor(username or "?", "", None)) as uow:
            detail: dict = {"reason": "wrong password" if user_id is not None else "no such user"}
            if user_id is not None:
                uow.session.execute(update(User).where(User.id == user_id)
                                    .values(failed_logins=func.coalesce(User.failed_logins, 0) + 1)
                                    .execution_options(synchronize_session=False))
                failed = int(uow.session.scalar(select(User.failed_logins).where(User.id == user_id)) or 0)
                detail["failed_logins"] = failed
                if p.lockout_threshold and failed >= p.lockout_threshold:
                    locked_until = now + dt.timedelta(minutes=p.lockout_minutes)
                    uow.session.execute(update(User).where(User.id == user_id)
                                        .values(failed_logins=0, locked_until=locked_until)
                                        .execution_options(synchronize_session=False))
                    detail["locked_until"] = locked_until
            uow.audit("sign_in", "user", username, detail, outcome="failed")
            if locked_until is not None:
                uow.audit("user.lock", "user", username, {"reason": "too many failures", "until": locked_until})
            uow.commit()
    except GovDataError:
        logging.getLogger("govdata").warning("a failed sign-in of %r could not be recorded", username)
    except DBAPIError:
        logging.getLogger("govdata").warning("a failed sign-in of %r could not be recorded", username, exc_info=True)
    return locked_until


def sign_in(db: Database, username: str, password: str, now: dt.datetime | None = None,
            record: bool = True) -> SignIn:
    """Check a password. One message for an unknown account and a wrong password; whether an account is locked or
    disabled is told only to whoever gave its right password. Failures are always counted and recorded (N lock the
    account for M minutes); a success is recorded when `record` (a command that only reads passes False, so signing
    in never needs a write: a busy or read-only database still reads)."""
    global _DUMMY_HASH
    now = now or utcnow()
    with db.uow(Actor(username or "?", "", None), write=False) as uow:
        p = policy(uow)
        u = uow.session.scalar(select(User).where(User.username == username)) if isinstance(username, str) else None
        if u is None:
            _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
            verify_password(password, _DUMMY_HASH)  # same time as a real check: names cannot be probed
            user_id = None
        else:
            user_id, actor = u.id, actor_of(u)
            good = verify_password(password, u.password_hash)
            active, locked_until, stored = u.active, u.locked_until, u.password_hash or ""
            must_change, changed_at = u.must_change_password, u.password_changed_at
    if u is None or not good:
        locked_now = _record_failure(db, username, user_id, p, now)
        if locked_now is not None:
            raise SignInError(f"连续 {p.lockout_threshold} 次口令错误，" + _locked_message(locked_now))
        raise SignInError(WRONG)
    if not active:
        _record_refusal_best_effort(db, actor, username, "disabled")
        raise SignInError("账户已停用，请联系系统管理员")
    if locked_until and locked_until > now:
        _record_refusal_best_effort(db, actor, username, "locked")
        raise SignInError(_locked_message(locked_until))
    expired = bool(p.max_age_days and changed_at and changed_at + dt.timedelta(days=p.max_age_days) <= now)
    if record:  # best effort as the failures' records: read-only, busy or full, the face says it was not recorded
        with db.recording(actor) as uow:
            values: dict = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
            if needs_rehash(stored):
                values["password_hash"] = hash_password(password)
            # a plain UPDATE, not the versioned ORM flush: two sessions of one account never conflict here
            uow.session.execute(update(User).where(User.id == user_id).values(**values)
                                .execution_options(synchronize_session=False))
            uow.audit("sign_in", "user", username)
            uow.commit()
    message = None
    if must_change:
        message = "首次登录（或口令被重置）后须先修改口令"
    elif expired:
        message = f"口令已超过 {p.max_age_days} 天未修改，请先修改口令"
    return SignIn(actor, must_change, expired, message)


def _record_refusal_best_effort(db: Database, actor: Actor, username: str, reason: str) -> None:
    try:
        with db.uow(actor) as uow:
            uow.audit("sign_in", "user", username, {"reason": reason}, outcome="refused")
            uow.commit()
    except (GovDataError, DBAPIError):
        logging.getLogger("govdata").warning("a refused sign-in of %r could not be recorded", username)


def _locked_message(until: dt.datetime) -> str:
    if until.year >= 9999:
        return "账户已被锁定，请联系安全管理员解锁"
    local = until.replace(tzinfo=dt.UTC).astimezone()
    return f"账户已锁定至 {local:%H:%M}，请稍后再试或联系安全管理员解锁"


def sign_out(db: Database, actor: Actor, reason: str = "sign_out") -> None:
    """Record a sign-out (reason: sign_out, idle_lock, window_closed)."""
    with db.uow(actor) as uow:
        uow.audit("sign_out", "user", actor.username, {"reason": reason})
        uow.commit()


# ---------------------------------------------------------------- demo accounts

DEMO_ACCOUNTS = (  # username, role, display name
    ("admin", "sysadmin", "系统管理员"),
    ("security", "secadmin", "安全管理员"),
    ("auditor", "auditor", "审计管理员"),
    ("reviewer", "reviewer", "审核员"),
    ("director", "bureau_leader", "局领导"),
    ("finance", "finance", "财政人员"),
    ("clerk", "clerk", "填报员"),
    ("leader", "leader", "领导"),
)


def create_demo_accounts(uow: UnitOfWork, password: str, clerk_department: str | int | None = None,
                         admin_password: str | None = None) -> list[str]:
    """One account per role with `password` (no forced change: it is a demonstration), except the three
    administrators: they get `admin_password`, which must pass the full policy (a weak demo password such as
    123456 never reaches an account that manages users, keys or the audit trail)."""
    require(uow.actor, "users.manage", action="user.add", object_id="demo")
    problems = password_problems(PasswordPolicy(min_length=6, classes=1), password, common=False)
    if problems:
        raise InputError("口令不符合要求：" + "；".join(problems))
    admin_password = admin_password or password
    check_password(policy(uow), admin_password)
    dept_id = _department_id(uow, clerk_department)
    if dept_id is None:
        dept_id = uow.session.scalar(select(Department.id).order_by(Department.id).limit(1))
    made = []
    for username, role, name in DEMO_ACCOUNTS:
        if uow.session.scalar(select(User.id).where(User.username == username)) is not None:
            continue
        u = User(username=username, display_name=name, department_id=dept_id if role == "clerk" else None,
                 roles=role, password_changed_at=utcnow(),
                 password_hash=hash_password(admin_password if role in ADMIN_ROLES else password),
                 must_change_password=False, failed_logins=0, active=True)
        uow.session.add(u)
        uow.session.flush()
        uow.session.add(PasswordHistory(user_id=u.id, password_hash=u.password_hash))
        uow.audit("user.add", "user", username, {"after": {"roles": [role], "demo": True}})
        made.append(username)
    return made

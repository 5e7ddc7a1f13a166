"""The daily monitoring view (第二十六条), the incident register and the drill log (第二十九条)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from app.domain.actor import SETUP_ACTOR
from app.errors import InputError, PermissionDenied
from app.services import auth, security
from app.services.auth import SignInError

PW = "Qinshui#2027"


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch):
    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)


@pytest.fixture
def demo(sqlite_db):
    from app.services.master import add_department

    with sqlite_db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县教育局")
        auth.create_demo_accounts(uow, PW)
        uow.commit()
    return sqlite_db


def _as(db, name):
    return auth.sign_in(db, name, PW).actor


def test_monitoring_shows_failures_locks_backup_and_chain(demo, tmp_path):
    for _ in range(5):
        with pytest.raises(SignInError):
            auth.sign_in(demo, "finance", "bad")
    with pytest.raises(SignInError):
        auth.sign_in(demo, "ghost", "bad")
    sec = _as(demo, "security")
    with demo.uow(sec) as uow:
        m = security.monitoring(uow)
    assert m.failed_sign_ins == 6 and dict(m.failed_by_user) == {"finance": 5, "ghost": 1}
    assert m.locked_accounts == ("finance",)
    assert m.crypto_self_test_ok and m.integrity_ok and m.audit_ok
    assert m.backup_newest is None and m.backup_message == "尚无备份" and not m.all_ok

    from app.storage import backup

    backup.automatic_backup(tmp_path / "test.sqlite3", "manual")
    with demo.uow(sec) as uow:
        m = security.monitoring(uow)
    assert m.backup_newest is not None and m.all_ok

    con = sqlite3.connect(tmp_path / "test.sqlite3")
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("UPDATE audit_log SET outcome = CASE outcome WHEN 'ok' THEN 'refused' ELSE 'ok' END WHERE id = 9")
    con.commit()
    con.close()
    with demo.uow(sec) as uow:
        m = security.monitoring(uow)
    assert not m.audit_ok and m.audit_first_broken == 9 and "#9" in m.audit_message and not m.all_ok


def test_monitoring_is_for_the_administrators_only(demo):
    with demo.uow(_as(demo, "reviewer")) as uow, pytest.raises(PermissionDenied, match="日常安全监测"):
        security.monitoring(uow)
    for name in ("admin", "security", "auditor"):
        with demo.uow(_as(demo, name)) as uow:
            assert security.monitoring(uow).audit_ok


def test_incident_register_and_drill_log(demo):
    rev = _as(demo, "reviewer")
    with demo.uow(rev) as uow:
        inc = security.record_incident(uow, "门户网站遭篡改", dt.datetime(2027, 3, 5, 9, 30), "较大",
                                       description="首页被植入链接")
        with pytest.raises(InputError, match="事件级别"):
            security.record_incident(uow, "x", dt.datetime(2027, 3, 5), "严重")
        security.update_incident(uow, inc.id, handling="恢复页面，修补漏洞", reported_to="县委网信办",
                                 reported_on=dt.date(2027, 3, 5), closed_on=dt.date(2027, 3, 6))
        plan = security.add_plan(uow, "政务云平台网络安全事件应急预案", version="2027版")
        other = security.add_plan(uow, "数据泄露应急预案")
        security.record_drill(uow, plan, dt.date(2027, 3, 20), "勒索病毒感染", participants="信息中心、承建单位",
                              result="2小时内恢复")
        uow.commit()
    with demo.uow(rev, write=False) as uow:
        [i] = security.list_incidents(uow)
        assert (i.severity, i.reported_to, i.closed_on) == ("较大", "县委网信办", dt.date(2027, 3, 6))
        assert security.list_incidents(uow, open_only=True) == []
        assert [d.plan_title for d in security.list_drills(uow)] == ["政务云平台网络安全事件应急预案"]
        assert security.plans_without_recent_drill(uow, dt.date(2027, 6, 1)) == ["数据泄露应急预案"]
        assert other
    with demo.uow(_as(demo, "leader")) as uow, pytest.raises(PermissionDenied):
        security.record_incident(uow, "x", dt.datetime(2027, 3, 5))

"""Security records of the measure exported to Excel (第二十六、二十九条): incidents, drills, daily monitoring."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.services import audit, auth, security
from app.services.projects import ProjectInput, register_project
from app.storage import auditchain
from app.storage.database import open_database

PW = "Qinshui#2027"


@pytest.fixture
def dbfile(tmp_path, monkeypatch):
    from app.services.master import add_department

    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)
    path = tmp_path / "sec.sqlite3"
    db = open_database(path)
    with db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县公安局")
        auth.create_demo_accounts(uow, PW)
        p = register_project(uow, ProjectInput(name="政务云", department="县公安局", category="信息应用系统开发",
                                               nature="新建", year=2027, total_fen=100, county_fen=100))
        pid = p.id
        uow.commit()
    rev = auth.sign_in(db, "reviewer", PW).actor
    with db.uow(rev) as uow:
        inc = security.record_incident(uow, "门户网站遭篡改", dt.datetime(2027, 3, 5, 9, 30), "较大", project_id=pid,
                                       description="首页被植入链接")
        security.update_incident(uow, inc.id, handling="恢复页面，修补漏洞", reported_to="县委网信办",
                                 reported_on=dt.date(2027, 3, 5), closed_on=dt.date(2027, 3, 6))
        security.record_incident(uow, "=HYPERLINK(\"http://x\",\"点我\")", dt.datetime(2027, 4, 1, 8, 0))
        plan = security.add_plan(uow, "政务云平台网络安全事件应急预案", version="2027版")
        security.record_drill(uow, plan, dt.date(2027, 3, 20), "勒索病毒感染", participants="信息中心、承建单位",
                              result="2小时内恢复", issues="-备份恢复慢")
        uow.commit()
    db.dispose()
    return path, p.code


def cli(path, monkeypatch, user, *argv):
    monkeypatch.setenv("GOVDATA_USER", user)
    monkeypatch.setenv("GOVDATA_PASSWORD", PW)
    return main(["--db", str(path), *argv])


def sheet(path):
    ws = openpyxl.load_workbook(path).active
    return ws, [list(r) for r in ws.iter_rows(values_only=True)]


def trail(path, **kw):
    db = open_database(path)
    with db.uow(SETUP_ACTOR, write=False) as uow:
        assert auditchain.verify(uow.session).ok
        got = audit.search(uow.session, newest_first=False, **kw)
    db.dispose()
    return got


def test_incident_register_export(dbfile, tmp_path, monkeypatch, capsys):
    path, code = dbfile
    out = tmp_path / "incidents.xlsx"
    assert cli(path, monkeypatch, "reviewer", "security", "incidents", "--export", str(out)) == 0
    assert "已导出 2 条安全事件" in capsys.readouterr().out
    ws, rows = sheet(out)
    assert ws.title == "安全事件登记"
    assert rows[0] == list(security.INCIDENT_HEADERS)
    newest, older = rows[1], rows[2]
    assert older == [2, "2027-03-05 09:30", "较大", "门户网站遭篡改", code, "首页被植入链接", "恢复页面，修补漏洞",
                     "县委网信办", "2027年3月5日", "2027年3月6日", "已办结"]
    assert newest[3] == "=HYPERLINK(\"http://x\",\"点我\")" and newest[-1] == "处置中"
    assert ws.cell(2, 4).data_type == "s"  # text, not a formula Excel would run
    [rec] = trail(path, action="incident.export")
    assert rec.user == "reviewer" and '"count": 2' in rec.detail
    out2 = tmp_path / "open.xlsx"
    assert cli(path, monkeypatch, "reviewer", "security", "incidents", "--open", "--export", str(out2)) == 0
    assert [r[3] for r in sheet(out2)[1][1:]] == ["=HYPERLINK(\"http://x\",\"点我\")"]


def test_drill_log_export_and_listing(dbfile, tmp_path, monkeypatch, capsys):
    path, _ = dbfile
    out = tmp_path / "drills.xlsx"
    assert cli(path, monkeypatch, "clerk", "security", "drills", "--export", str(out)) == 0
    ws, rows = sheet(out)
    assert rows == [list(security.DRILL_HEADERS),
                    [1, "2027年3月20日", "政务云平台网络安全事件应急预案", "勒索病毒感染", "信息中心、承建单位", "2小时内恢复",
                     "-备份恢复慢"]]
    assert ws.cell(2, 7).data_type == "s"
    capsys.readouterr()
    assert cli(path, monkeypatch, "reviewer", "security", "drills") == 0
    assert "勒索病毒感染" in capsys.readouterr().out
    assert cli(path, monkeypatch, "reviewer", "security", "incidents", "--open") == 0
    assert "处置中" in capsys.readouterr().out
    assert [r.user for r in trail(path, action="drill.export")] == ["clerk"]


def test_leader_may_not_export_security_records(dbfile, tmp_path, monkeypatch, capsys):
    path, _ = dbfile
    out = tmp_path / "x.xlsx"
    assert cli(path, monkeypatch, "leader", "security", "incidents", "--export", str(out)) == 1
    assert "无权" in capsys.readouterr().err
    assert not out.exists()
    assert [(r.user, r.action) for r in trail(path, outcome="refused")] == [("leader", "incident.list")]


def test_daily_monitoring_export(dbfile, tmp_path, monkeypatch, capsys):
    path, _ = dbfile
    assert cli(path, monkeypatch, "finance", "security", "status") == 1  # one refusal to see in the view
    out = tmp_path / "monitoring.xlsx"
    assert cli(path, monkeypatch, "security", "security", "status", "--export", str(out)) == 0
    assert "已导出日常安全监测记录" in capsys.readouterr().out
    _, rows = sheet(out)
    table = {r[0]: (r[1], r[2]) for r in rows[1:]}
    assert rows[0] == ["检查项", "情况", "结论"]
    assert table["被拒绝的操作"] == ("1 次", "异常")
    assert table["审计记录校验链"][1] == "正常" and "审计记录完整" in table["审计记录校验链"][0]
    assert table["备份"][1] == "正常" and "最近一次备份" in table["备份"][0]  # the daily one, taken at open
    assert table["总体"] == ("各项检查均正常", "正常")
    assert [r.user for r in trail(path, action="security.monitoring.export")] == ["security"]


def test_audit_export_writes_formula_like_text_as_text(tmp_path):
    out = audit.write_sheet(tmp_path / "t.xlsx", "表", ("a", "b"), [["=1+1", "@SUM(A1)"], [1, "正常"]])
    ws = openpyxl.load_workbook(out).active
    assert [[c.value for c in r] for r in ws.iter_rows()] == [["a", "b"], ["=1+1", "@SUM(A1)"], [1, "正常"]]
    assert ws.cell(2, 1).data_type == "s" and ws.cell(2, 2).data_type == "s"

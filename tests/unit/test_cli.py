"""The command line: exit codes, Chinese messages, JSON, no traceback, and every rule reachable from the shell."""

import json
import subprocess
import sys

import pytest

from app.cli.main import main


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def dbfile(tmp_path):
    return str(tmp_path / "cli.sqlite3")


def test_init_register_and_list(capsys, dbfile):
    assert run(capsys, "--db", dbfile, "init", "--county", "沁水县")[0] == 0
    assert run(capsys, "--db", dbfile, "departments", "add", "沁水县公安局", "沁水县教育局")[0] == 0
    code, out, _ = run(capsys, "--db", dbfile, "departments", "list", "--json")
    assert [d["name"] for d in json.loads(out)] == ["沁水县公安局", "沁水县教育局"]
    code, out, err = run(capsys, "--db", dbfile, "register", "--name", "雪亮工程", "--department", "县公安局",
                         "--category", "信息应用系统开发", "--nature", "新建", "--year", "2027",
                         "--total", "5674300", "--county-funds", "5000000", "--upper-funds", "674300",
                         "--year-request", "3000000", "--json")
    assert code == 0, err
    assert json.loads(out)["code"] == "QS-2027-0001"
    code, out, _ = run(capsys, "--db", dbfile, "projects", "--json")
    [p] = json.loads(out)
    assert p["total_investment_yuan"] == "5674300.00" and p["upper_funds_yuan"] == "674300.00"
    assert p["status"] == "draft" and p["status_label"] == "草稿" and p["city_county_cobuilt"] is False
    for key in ("code", "name", "department", "category", "nature", "year", "period_months", "county_funds_yuan",
                "other_funds_yuan", "year_request_yuan"):
        assert key in p


def test_rule_refusal_exits_1_with_the_article(capsys, dbfile):
    run(capsys, "--db", dbfile, "init")
    run(capsys, "--db", dbfile, "departments", "add", "沁水县公安局")
    run(capsys, "--db", dbfile, "register", "--name", "甲", "--department", "公安局", "--category", "数据采集",
        "--nature", "新建", "--year", "2027", "--total", "100", "--county-funds", "100")
    code, out, err = run(capsys, "--db", dbfile, "advance", "QS-2027-0001", "submit")
    assert code == 1 and "第八条" in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", dbfile, "advance", "QS-2027-0001", "add-material", "--kind", "proposal",
                       "--received-on", "2027-01-04")
    assert code == 0, err
    code, _, err = run(capsys, "--db", dbfile, "advance", "QS-2027-0001", "approve")
    assert code == 1 and "第八条" in err


def test_bad_input_exits_1(capsys, dbfile):
    run(capsys, "--db", dbfile, "init")
    code, _, err = run(capsys, "--db", dbfile, "contractors", "add", "某公司", "91110000600037341X")
    assert code == 1 and "校验位" in err
    code, _, err = run(capsys, "--db", dbfile, "projects", "--status", "nonsense")
    assert code == 1 and "未知的状态" in err
    code, _, err = run(capsys, "--db", dbfile, "advance", "NOPE", "submit")
    assert code == 1 and "没有找到项目" in err


def test_unreadable_database_exits_2(capsys, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    code, _, err = run(capsys, "--db", str(bad), "projects")
    assert code == 2 and "Traceback" not in err and err.strip()


def test_missing_database_is_not_created_by_read_commands(capsys, tmp_path):
    code, _, err = run(capsys, "--db", str(tmp_path / "new.sqlite3"), "projects")
    assert code == 2 and "govdata init" in err


def test_help_everywhere():
    for args in (["--help"], ["advance", "--help"], ["projects", "--help"], ["departments", "add", "--help"]):
        proc = subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and "usage" in proc.stdout.lower()


def test_advance_list_names_every_action(capsys):
    from app.services.lifecycle import ACTIONS

    code, out, _ = run(capsys, "advance", "--list")
    assert code == 0
    for key in ("submit", "review", "approve", "reject", "budget", "publicize", "sign-contract", "file-contract",
                "pay", "request-change", "decide-change", "accept-preliminary", "accept-joint", "operate",
                "order-rectification", "suspend", "terminate", "evaluate", "withdraw"):
        assert key in ACTIONS and f"\n{key}  " in "\n" + out


def test_calendar_override_from_the_shell(capsys, dbfile):
    run(capsys, "--db", dbfile, "init")
    code, out, err = run(capsys, "--db", dbfile, "calendar", "deadline", "2027-01-29")
    assert code == 0 and "暂按" in out and "2027年" in err
    run(capsys, "--db", dbfile, "calendar", "set", "2027-02-01", "holiday")
    code, out2, _ = run(capsys, "--db", dbfile, "calendar", "deadline", "2027-01-29")
    assert "2027-02-05" in out and "2027-02-08" in out2


def test_no_display_gives_a_message_not_an_abort(monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert main([]) == 2
    assert "图形桌面" in capsys.readouterr().err

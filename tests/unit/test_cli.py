"""The command line: exit codes, Chinese messages, JSON, no traceback, and every rule reachable from the shell."""

import json
import os
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
                       "--received-on", "2026-11-04")
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
    before = set(tmp_path.iterdir())
    for args in (["projects"], ["departments", "list"], ["history", "QS-2026-0001"], ["check"]):
        code, out, err = run(capsys, "--db", str(tmp_path / "new.sqlite3"), *args)
        assert code == 2 and ("govdata init" in err or "找不到数据库文件" in err) and "Traceback" not in err, (args, err)
    code, _, err = run(capsys, "--db", str(tmp_path / "missing" / "new.sqlite3"), "projects")
    assert code == 2 and "govdata init" in err
    assert set(tmp_path.iterdir()) == before  # no file, lock, -wal or folder left behind
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert run(capsys, "--db", str(empty), "projects")[0] == 2
    assert empty.stat().st_size == 0 and set(tmp_path.iterdir()) == before | {empty}
    assert run(capsys, "--db", str(tmp_path / "new.sqlite3"), "init")[0] == 0  # init does create it
    assert (tmp_path / "new.sqlite3").stat().st_size > 0


def test_help_everywhere():
    for args, shows in ((["--help"], ["用法：govdata [-h]", "命令", "显示帮助并退出", "打开窗口"]),
                        (["advance", "--help"], ["用法：govdata advance [-h]", "项目编号", "列出全部操作及其字段"]),
                        (["projects", "--help"], ["用法：govdata projects [-h] [--year 年度]", "只列该年度的项目"]),
                        (["departments", "add", "--help"], ["用法：govdata departments add", "单位全称（可多个）"])):
        proc = subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        for text in shows:
            assert text in proc.stdout, (args, text)
        assert "usage" not in proc.stdout.lower() and "show this help" not in proc.stdout


def _closed_pipe_run(args, tmp_path):
    """Run govdata with its standard output a pipe whose reader has already gone (`govdata … | head`)."""
    r, w = os.pipe()
    os.close(r)
    try:
        proc = subprocess.run([sys.executable, "-m", "app", *args], stdout=w, stderr=subprocess.PIPE, text=True,
                              timeout=120, env={**os.environ, "GOVDATA_HOME": str(tmp_path)})
    finally:
        os.close(w)
    return proc


@pytest.mark.parametrize("args", [["advance", "--list"], ["--help"], ["projects", "--json"], ["projects"]])
def test_closed_pipe_ends_quietly(tmp_path, capsys, args):
    db = str(tmp_path / "pipe.sqlite3")
    if args[0] == "projects":
        run(capsys, "--db", db, "init")
        run(capsys, "--db", db, "departments", "add", "沁水县公安局")
        for i in range(3):
            run(capsys, "--db", db, "register", "--name", f"项目{i}", "--department", "公安局", "--category",
                "数据采集", "--nature", "新建", "--year", "2027", "--total", "100")
        args = ["--db", db, *args]
    proc = _closed_pipe_run(args, tmp_path)
    assert proc.returncode == (0 if args == ["--help"] else 141), proc.stderr  # argparse's help ignores it itself
    assert proc.stderr == ""  # no 程序内部出错, no "Exception ignored … BrokenPipeError"
    assert not (tmp_path / "logs").exists() or not any((tmp_path / "logs").iterdir())


def test_a_broken_pipe_that_is_not_standard_output_is_a_bug(capsys, monkeypatch, tmp_path):
    from app.cli import core

    def handler(args, ctx):
        raise BrokenPipeError(32, "Broken pipe")  # e.g. a child process's pipe: our output is fine

    monkeypatch.setattr(core, "cmd_advance", handler)
    code, _, err = run(capsys, "advance", "--list")
    assert code == 3 and "程序内部出错" in err


@pytest.mark.parametrize("url, says", [
    ("mysql://u:p@localhost/govdata", "不支持的数据库类型“mysql”"),
    ("oracle+cx_oracle://u:p@host/db", "不支持的数据库类型“oracle”"),
    ("mssql+pyodbc://u:p@host/db", "不支持的数据库类型“mssql”"),
    ("postgresql+pg8000://u:p@host/db", "PostgreSQL 驱动“pg8000”不受支持"),
])
def test_unsupported_database_named(capsys, url, says):
    code, _, err = run(capsys, "--db", url, "projects")
    assert code == 2 and says in err and "程序内部出错" not in err, err


def test_postgresql_without_its_driver_says_what_to_install(capsys, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "psycopg" else real(name, *a))
    for url in ("postgresql+psycopg://u:p@127.0.0.1:1/db", "postgresql://u:p@127.0.0.1:1/db"):
        code, _, err = run(capsys, "--db", url, "projects")
        assert code == 2 and 'pip install ".[postgres]"' in err and "程序内部出错" not in err, err


def test_plain_postgresql_address_uses_the_installed_driver():
    from app.cli.context import database_target

    assert database_target("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert database_target("sqlite:///x.sqlite3") == "sqlite:///x.sqlite3"
    assert database_target("plain/path.sqlite3") == "plain/path.sqlite3"


def test_register_as_the_readme_shows_funds_default_to_the_county(capsys, dbfile):
    run(capsys, "--db", dbfile, "init")
    run(capsys, "--db", dbfile, "departments", "add", "沁水县公安局")
    code, out, err = run(capsys, "--db", dbfile, "register", "--name", "雪亮工程", "--department", "县公安局",
                         "--category", "信息应用系统开发", "--nature", "新建", "--year", "2027", "--total", "5674300",
                         "--upper-funds", "674300", "--json")
    assert code == 0, err
    p = json.loads(out)
    assert (p["county_funds_yuan"], p["upper_funds_yuan"], p["other_funds_yuan"]) == ("5000000.00", "674300.00",
                                                                                      "0.00")
    code, _, err = run(capsys, "--db", dbfile, "register", "--name", "乙", "--department", "县公安局", "--category",
                       "数据采集", "--nature", "新建", "--year", "2027", "--total", "100", "--county-funds", "50")
    assert code == 1 and "资金来源合计" in err  # given sources still have to add up


def test_history_speaks_chinese_and_shows_a_refusal(capsys, dbfile):
    run(capsys, "--db", dbfile, "init")
    run(capsys, "--db", dbfile, "departments", "add", "沁水县公安局")
    run(capsys, "--db", dbfile, "register", "--name", "甲", "--department", "公安局", "--category", "数据采集",
        "--nature", "新建", "--year", "2027", "--total", "100")
    assert run(capsys, "--db", dbfile, "advance", "QS-2027-0001", "submit")[0] == 1
    code, out, err = run(capsys, "--db", dbfile, "history", "QS-2027-0001")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 2 and "成功" in lines[0], lines
    assert "提交申报" in lines[1] and "  拒绝  " in lines[1] and "第八条" in lines[1], lines[1]
    assert "refused" not in out and "lifecycle." not in out


def test_history_names_every_recorded_action_in_chinese(capsys, dbfile):
    """Every action the program records (the scan of tests/unit/test_vocabulary.py), written against one project,
    reads in `govdata history` by its label: no key, no 其他操作, a refused one as 拒绝 with its reason."""
    from app.domain.actor import SETUP_ACTOR
    from app.domain.vocabulary import action_label
    from app.storage.database import open_database
    from tests.unit.test_vocabulary import IDENTIFIER, recorded_actions

    run(capsys, "--db", dbfile, "init")
    run(capsys, "--db", dbfile, "departments", "add", "沁水县公安局")
    assert run(capsys, "--db", dbfile, "register", "--name", "甲", "--department", "公安局", "--category",
               "数据采集", "--nature", "新建", "--year", "2027", "--total", "100")[0] == 0
    actions = sorted(recorded_actions())
    assert len(actions) > 50  # the scan found the program's actions, not an empty set
    database = open_database(dbfile)
    with database.uow(SETUP_ACTOR) as uow:
        for i, action in enumerate(actions):
            refused = i % 2 == 1
            uow.audit(action, "project", "QS-2027-0001", {"message": f"未予办理{i}"} if refused else {},
                      outcome="refused" if refused else "ok")
        uow.commit()
    database.dispose()
    code, out, err = run(capsys, "--db", dbfile, "history", "QS-2027-0001")
    assert code == 0, err
    lines = out.strip().splitlines()[-len(actions):]
    assert len(lines) == len(actions)
    for i, (action, line) in enumerate(zip(actions, lines, strict=True)):
        assert f"  {action_label(action)}  " in line, (action, line)
        assert ("  拒绝  " in line and f"未予办理{i}" in line) if i % 2 else "  成功" in line, (action, line)
    assert "其他操作" not in out and not IDENTIFIER.findall(out.replace("QS-2027-0001", "")), out


def test_sign_in_user_is_not_overwritten_by_the_audit_filter(capsys, dbfile, monkeypatch):
    from app.services import auth

    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)
    run(capsys, "--db", dbfile, "init")
    monkeypatch.setenv("GOVDATA_NEW_PASSWORD", "Kx7-quiet-lantern-42")
    assert run(capsys, "--db", dbfile, "user", "add", "aud", "--role", "auditor")[0] == 0  # by the setup account
    monkeypatch.setenv("GOVDATA_PASSWORD", "Kx7-quiet-lantern-42")
    monkeypatch.setenv("GOVDATA_NEW_PASSWORD", "Kx7-other-lantern-43")
    assert run(capsys, "--db", dbfile, "--user", "aud", "user", "passwd")[0] == 0  # the first sign-in's change
    monkeypatch.setenv("GOVDATA_PASSWORD", "Kx7-other-lantern-43")
    code, out, err = run(capsys, "--db", dbfile, "--user", "aud", "audit", "list", "--by-user", "setup", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and {r["user"] for r in rows} == {"setup"}
    code, out, err = run(capsys, "--db", dbfile, "--user", "aud", "audit", "list", "--by-user", "aud", "--json")
    assert code == 0 and {r["user"] for r in json.loads(out)} == {"aud"}


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
    assert "没有图形桌面环境" in capsys.readouterr().err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 displays are a Linux matter here")
@pytest.mark.parametrize("env", [{"DISPLAY": ":87"}, {"DISPLAY": ":87", "QT_QPA_PLATFORM": "xcb"},
                                 {"WAYLAND_DISPLAY": "wayland-87", "QT_QPA_PLATFORM": "wayland"}])
def test_a_display_that_cannot_be_opened_gives_the_chinese_message(tmp_path, env):
    """A stale DISPLAY (no X server behind it): Qt would abort (exit 134) with English messages."""
    clean = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    proc = subprocess.run([sys.executable, "-m", "app", "--demo"], capture_output=True, text=True, timeout=60,
                          env={**clean, **env, "GOVDATA_HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path)})
    assert proc.returncode == 2, proc.stderr
    assert "没有图形桌面环境" in proc.stderr and "qt." not in proc.stderr.lower()
    assert not (tmp_path / "demo.sqlite3").exists()  # nothing was opened


def test_desktop_probe_sees_a_running_x_server(tmp_path, monkeypatch):
    import shutil

    from app.cli import display

    if not sys.platform.startswith("linux") or not shutil.which("Xvfb"):
        pytest.skip("needs Xvfb (apt-get install xvfb)")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    server = subprocess.Popen(["Xvfb", ":86", "-nolisten", "tcp", "-displayfd", "1"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout.readline().strip() == "86"  # the server is ready
        monkeypatch.setenv("DISPLAY", ":86")
        assert display.missing_libraries() == [] or display.desktop_problem().startswith("无法打开窗口：缺少")
        if not display.missing_libraries():
            assert display.desktop_problem() is None
        monkeypatch.setenv("DISPLAY", ":85")
        assert "DISPLAY=:85" in display.desktop_problem()
    finally:
        server.kill()
        server.wait()
        server.stdout.close()


def test_missing_x11_libraries_are_named_with_their_packages(monkeypatch):
    from app.cli import display

    real = display.ctypes.CDLL

    def cdll(name, *a, **k):
        if name == "libxcb-cursor.so.0":
            raise OSError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(display.ctypes, "CDLL", cdll)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    problem = display.desktop_problem()
    assert problem.startswith("无法打开窗口：缺少") and problem.endswith("sudo apt install libxcb-cursor0")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert display.desktop_problem() is None  # tests and remote rendering need no display


def test_demo_option_reads_the_demo_database(capsys, monkeypatch, tmp_path):
    from app.services import auth
    from app.storage.paths import data_dir

    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)
    code, out, err = run(capsys, "--demo", "projects", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) >= 30 and len({r["status"] for r in rows}) >= 15  # the demonstration county, every state
    assert (data_dir() / "demo.sqlite3").exists() and not (data_dir() / "govdata.sqlite3").exists()
    code, out2, _ = run(capsys, "--demo", "projects", "--json")
    assert code == 0 and json.loads(out2) == rows  # built once, then read

"""The paper records from the shell: `govdata records KIND add/list/export/VERB` and `govdata funds compare`, with
the same rules, Chinese refusals naming their article, exit codes and JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from app.cli.main import main


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def dbfile(walker, tmp_path):
    """A database with two departments and contractors (the walker's), as a file the command line opens."""
    return walker.db.url.removeprefix("sqlite:///")


@pytest.fixture
def sqlite_only(db):
    if not db.is_sqlite:
        pytest.skip("the command line opens the SQLite file")


def test_every_kind_lists_as_json(capsys, dbfile, sqlite_only):
    from app.services.recordkinds import KINDS

    for key in KINDS:
        code, out, err = run(capsys, "--db", dbfile, "records", key, "list", "--json")
        assert code == 0, (key, err)
        assert json.loads(out) == []


def test_department_plan_add_list_export(capsys, dbfile, sqlite_only, tmp_path):
    code, out, err = run(capsys, "--db", dbfile, "records", "dept-plan", "add", "--department", "县教育局",
                         "--title", "教育信息化三年规划", "--start-year", "2026", "--end-year", "2028",
                         "--filed-on", "2026-05-06", "--received-by", "王审核", "--json")
    assert code == 0, err
    assert json.loads(out)["period"] == "2026—2028年"
    code, out, _ = run(capsys, "--db", dbfile, "records", "dept-plan", "list")
    assert "教育信息化三年规划" in out and "2026-05-06" in out and "共 1 条" in out
    target = tmp_path / "备案.xlsx"
    code, out, _ = run(capsys, "--db", dbfile, "records", "dept-plan", "export", str(target))
    assert code == 0 and "已导出 1 条部门规划备案" in out
    ws = openpyxl.load_workbook(target).active
    assert ws.cell(4, 4).value == "教育信息化三年规划"


def test_refusals_exit_1_in_chinese_with_the_article(capsys, dbfile, sqlite_only, walker):
    code = walker.to("reviewed")
    exit_code, _, err = run(capsys, "--db", dbfile, "plan", "add", "2026", code)
    assert exit_code == 0, err
    exit_code, _, err = run(capsys, "--db", dbfile, "advance", code, "approve", "--on", "2026-01-20")
    assert exit_code == 1 and "尚未经县人民政府批准" in err and "第六条" in err
    exit_code, out, err = run(capsys, "--db", dbfile, "records", "plan-approval", "add", "--year", "2026",
                              "--approved-on", "2026-01-10", "--doc-no", "沁政函〔2026〕1号")
    assert exit_code == 0, err
    exit_code, _, err = run(capsys, "--db", dbfile, "advance", code, "approve", "--on", "2026-01-20")
    assert exit_code == 0, err
    exit_code, _, err = run(capsys, "--db", dbfile, "records", "dept-plan", "add", "--department", "县教育局",
                            "--title", "规划", "--start-year", "2026", "--end-year", "2028")
    assert exit_code == 1 and "缺少：备案日期" in err and "Traceback" not in err
    exit_code, _, err = run(capsys, "--db", dbfile, "records", "incident", "add", "--title", "攻击",
                            "--occurred-at", "昨天", "--severity", "一般")
    assert exit_code == 1 and "发生时间的格式" in err


def test_incident_from_entry_to_close(capsys, dbfile, sqlite_only):
    base = ("--db", dbfile, "records", "incident")
    code, out, err = run(capsys, *base, "add", "--title", "门户网站被篡改", "--occurred-at", "2026-10-08 07:40",
                         "--severity", "重大", "--json")
    assert code == 0, err
    iid = str(json.loads(out)["id"])
    code, _, err = run(capsys, *base, "close", iid, "--closed-on", "2026-10-10")
    assert code == 1 and "第二十九条" in err
    assert run(capsys, *base, "handle", iid, "--handling", "恢复页面，封堵漏洞")[0] == 0
    assert run(capsys, *base, "report", iid, "--reported-to", "县委网信办", "--reported-on", "2026-10-08")[0] == 0
    code, out, err = run(capsys, *base, "close", iid, "--closed-on", "2026-10-10", "--json")
    assert code == 0, err
    assert json.loads(out)["state"] == "已办结"


def test_funds_compare_prints_exports_and_json(capsys, dbfile, sqlite_only, walker, tmp_path):
    code = walker.to("under_construction")
    walker.go(code, "pay", amount="250000", paid_on="2026-04-01", source="county")
    exit_code, out, err = run(capsys, "--db", dbfile, "funds", "compare", "--year", "2026", "--json")
    assert exit_code == 0, err
    data = json.loads(out)
    assert data["budget_fen"] == 100_000_000 and data["paid_fen"] == 25_000_000 and data["rate"] == "25.0%"
    exit_code, out, _ = run(capsys, "--db", dbfile, "funds", "compare", "--project", code)
    assert exit_code == 0 and "执行率 25.0%" in out
    target = tmp_path / "funds.xlsx"
    exit_code, out, _ = run(capsys, "--db", dbfile, "funds", "compare", "--year", "2026", "--export", str(target))
    assert exit_code == 0 and target.exists()


def test_help_loads_no_database_layer():
    """Building the records' options reads the declarations only (the command line stays light)."""
    probe = ("import sys; from app.cli.main import build_parser; build_parser(); "
             "print('sqlalchemy' in sys.modules, 'openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_funds_compare_prints_a_pdf(capsys, dbfile, sqlite_only, walker, tmp_path):
    walker.to("under_construction")
    target = tmp_path / "对照.pdf"
    code, out, err = run(capsys, "--db", dbfile, "funds", "compare", "--year", "2026", "--pdf", str(target))
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF") and "资金使用对照分析表" in out and "编号" in out
    code, _, err = run(capsys, "--db", dbfile, "funds", "compare", "--year", "2031", "--pdf", str(tmp_path / "x.pdf"))
    assert code == 1 and "无需打印" in err and not (tmp_path / "x.pdf").exists()

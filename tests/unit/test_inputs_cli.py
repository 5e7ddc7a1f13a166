"""The 38 inputs of issue 14 (items 10 and 11), one row each, through the command line.

Each is refused with a Chinese message (exit 1 for bad input, 2 for an unreadable file or database), never with
"程序内部出错" (exit 3), and nothing it names is stored: the rows of the tables it would change are unchanged.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from app.cli.main import main
from app.domain.actor import SETUP_ACTOR
from app.storage.database import open_database

NAME = "--name"
REG = ["register", "--department", "县公安局", "--category", "信息应用系统开发", "--nature", "新建"]


def reg(*extra: str, name: str = "正常名称", year: str = "2027", total: str = "100") -> list[str]:
    return [*REG, NAME, name, "--year", year, "--total", total, "--county-funds", total, *extra]


# (row id, argv with {db}/{dir}/{A}/{B}/{C}/{C_ATT} placeholders, exit code, words the message must contain)
ROWS: list[tuple[str, list[str], int, str]] = [
    # item 10: sixteen inputs that ended in 抱歉，程序内部出错
    ("10.01 amount 1e20", reg(total="1e20"), 1, "总投资超出范围"),
    ("10.02 amount 1e309", reg(total="1e309"), 1, "总投资超出范围"),
    ("10.03 amount 9.2e16", reg(total="9.2e16"), 1, "总投资超出范围"),
    ("10.04 approve amount 1e20", ["advance", "{A}", "approve", "--amount", "1e20"], 1, "超出范围"),
    ("10.05 deadline days -5", ["calendar", "deadline", "2027-03-05", "--days", "-5"], 1, "工作日数"),
    ("10.06 deadline 9999-12-31", ["calendar", "deadline", "9999-12-31"], 1, "超出范围"),
    ("10.07 deadline days 1e9", ["calendar", "deadline", "2027-03-05", "--days", "1000000000"], 1, "工作日数"),
    ("10.08 projects year 1e21", ["projects", "--year", "1e21"], 1, "年度"),
    ("10.09 projects year 10^21", ["projects", "--year", "1" + "0" * 21], 1, "年度"),
    ("10.10 attachment id 30 digits", ["attachments", "{A}", "--get", "1" * 30, "--out", "{dir}/x.bin"], 1,
     "附件编号"),
    ("10.11 lone surrogate in a name", reg(name="智慧\udcff平台"), 1, "孤立代理项"),
    ("10.12 attach /dev/zero", ["attach", "{A}", "/dev/zero"], 2, "不是普通文件"),
    ("10.13 import-projects /dev/zero", ["import-projects", "/dev/zero"], 2, "不是普通文件"),
    ("10.14 --db mysql://", ["--db", "mysql://u:p@127.0.0.1/govdata", "projects"], 2, "数据库"),
    ("10.15 backup onto the -wal", ["backup", "{db}-wal"], 1, "日志文件"),
    ("10.16 import-estimate /dev/zero", ["import-estimate", "/dev/zero", "--project", "{A}"], 2, "不是普通文件"),
    # item 11: twenty-two inputs accepted that should have been refused
    ("11.01 approve amount -1", ["advance", "{A}", "approve", "--amount", "-1"], 1, "不能为负数"),
    ("11.02 year 0", reg(year="0"), 1, "年度"),
    ("11.03 year -5", reg(year="-5"), 1, "年度"),
    ("11.04 year 99999", reg(year="99999"), 1, "年度"),
    ("11.05 review on 0001-01-01", ["advance", "{B}", "review", "--conclusion", "pass", "--on", "0001-01-01"], 1,
     "超出范围"),
    ("11.06 review on 9999-12-31", ["advance", "{B}", "review", "--conclusion", "pass", "--on", "9999-12-31"], 1,
     "超出范围"),
    ("11.07 ANSI escape in a name", reg(name="\x1b[31m红色项目\x1b[0m"), 1, "控制字符"),
    ("11.08 newline in a name", reg(name="两行\n名称"), 1, "控制字符"),
    ("11.09 bidi override in a name", reg(name="名称\u202e反转"), 1, "格式字符"),
    ("11.10 zero-width mark in a name", reg(name="零\u200b宽"), 1, "格式字符"),
    ("11.11 NUL in a name via .xls", ["import-projects", "{dir}/nul.xls"], 1, "控制字符"),
    ("11.12 99 KB name", reg(name="长" * 99 * 1024), 1, "过长"),
    ("11.13 escape codes in a user name", ["user", "add", "admin\x1b[2J", "--role", "sysadmin"], 1, "用户名只能"),
    ("11.14 bidi mark in a user name", ["user", "add", "ad\u202emin", "--role", "sysadmin"], 1, "用户名只能"),
    ("11.15 Cyrillic look-alike of admin", ["user", "add", "\u0430dmin", "--role", "sysadmin"], 1, "用户名只能"),
    ("11.16 attachments CODE --get another project's file",
     ["attachments", "{A}", "--get", "{C_ATT}", "--out", "{dir}/other.bin"], 1, "没有编号为"),
    ("11.17 plan year 0", ["plan", "add", "0", "{A}"], 1, "年度"),
    ("11.18 NUL in a department name", ["departments", "add", "坏\x00单位"], 1, "控制字符"),
    ("11.19 bidi isolates in a contractor name", ["contractors", "add", "\u2066某公司\u2069", "91140521MA0K000019"],
     1, "格式字符"),
    ("11.20 terminal title escape in an opinion",
     ["advance", "{A}", "approve", "--opinion", "同意\x1b]0;pwned\x07"], 1, "控制字符"),
    ("11.21 calendar day 0001-01-01", ["calendar", "set", "0001-01-01", "holiday"], 1, "超出范围"),
    ("11.22 200 KB of content", reg("--content", "内容" * 100_000), 1, "过长"),
]

TABLES = ("projects", "users", "departments", "department_aliases", "contractors", "holiday_overrides",
          "attachments", "annual_plan_items", "approvals", "technical_reviews")


def fingerprint(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(path)
    try:
        out: dict[str, object] = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        out["projects"] = conn.execute("SELECT group_concat(code || status || coalesce(approved_fen, '-'), ',') "
                                       "FROM projects").fetchone()[0]
        return out
    finally:
        conn.close()


def _nul_xls(path: Path) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("汇总表")
    rows = [["项目名称", "实施单位", "年度", "项目类别", "建设性质", "总投资", "县级财政资金", "上级补助资金", "其他资金"],
            ["坏\x00名称", "县公安局", 2027, "数据采集", "新建", 100, 100, 0, 0]]
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            ws.write(r, c, v)
    wb.save(str(path))
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    from app.services.attachments import add_attachment
    from tests.conftest import Walker

    folder = tmp_path_factory.mktemp("inputs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOVDATA_HOME", str(folder / "home"))
        db = open_database(folder / "template.sqlite3")
        try:
            walker = Walker(db, SETUP_ACTOR)
            a = walker.to("reviewed")
            b = walker.advance_to(walker.register(), "in_review")
            c = walker.register()
            with db.uow(SETUP_ACTOR) as uow:
                att = add_attachment(uow, c, "方案.pdf", b"%PDF-1.4 test")
                uow.commit()
        finally:
            db.dispose()
    return folder / "template.sqlite3", {"A": a, "B": b, "C": c, "C_ATT": str(att.id)}


@pytest.mark.parametrize("row, argv, exit_code, words", ROWS, ids=[r[0] for r in ROWS])
def test_each_bad_input_is_refused_and_nothing_is_stored(template, tmp_path, capsys, row, argv, exit_code, words):
    if "/dev/zero" in argv and not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    source, codes = template
    db = tmp_path / "t.sqlite3"
    shutil.copyfile(source, db)
    _nul_xls(tmp_path / "nul.xls")
    before = fingerprint(db)
    subs = {"{db}": str(db), "{dir}": str(tmp_path)} | {f"{{{k}}}": v for k, v in codes.items()}
    args = []
    for a in argv:
        for key, value in subs.items():
            a = a.replace(key, value)
        args.append(a)
    if args[0] != "--db":
        args = ["--db", str(db), *args]
    try:
        code = main(args)
    except SystemExit as exc:  # argparse refuses a bad number before any command runs
        code = exc.code
    err = capsys.readouterr().err
    assert code == exit_code, err
    assert words in err, err
    assert "内部出错" not in err and "Traceback" not in err
    assert "\x1b" not in err and "\x00" not in err and "\u202e" not in err  # the message never replays them
    assert fingerprint(db) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".bin")]  # no output file written
    assert sys.getsizeof(err) < 100_000  # a 99 KB name is not echoed back whole


def test_there_are_38_rows():
    assert len(ROWS) == 38 and len({r[0] for r in ROWS}) == 38

"""Document numbers and project codes: no gap, no duplicate, also with two writer processes at once."""

import json
import subprocess
import sys
import textwrap

import openpyxl
import pytest
from sqlalchemy import select

from app.errors import RuleViolation
from app.models import IssuedNumber
from app.services.numbering import check_doc_no, issue_number, list_numbers
from app.services.setup import initialise


def test_sequence_per_year_and_shared_pattern(db, actor):
    with db.uow(actor) as uow:
        initialise(uow)
        a = issue_number(uow, "approval", 2027)
        b = issue_number(uow, "rectification", 2027)  # same 沁审管发 pattern: same sequence
        c = issue_number(uow, "approval", 2028)
        p = issue_number(uow, "project", 2027)
        uow.commit()
    assert (a, b, c, p) == ("沁审管发〔2027〕1号", "沁审管发〔2027〕2号", "沁审管发〔2028〕1号", "QS-2027-0001")


def test_rolled_back_action_gives_its_number_back(db, actor):
    with db.uow(actor) as uow:
        initialise(uow)
        uow.commit()
    with db.uow(actor) as uow:
        issue_number(uow, "approval", 2027)
        uow.rollback()
    with db.uow(actor) as uow:
        assert issue_number(uow, "approval", 2027) == "沁审管发〔2027〕1号"


WORKER = textwrap.dedent("""
    import sys
    from app.domain.actor import SETUP_ACTOR
    from app.storage.database import Database
    from app.services.numbering import issue_number
    db = Database(sys.argv[1])  # bypasses the single-instance lock on purpose: the sequence itself must hold
    for _ in range(int(sys.argv[2])):
        with db.uow(SETUP_ACTOR) as uow:
            issue_number(uow, "approval", 2027, "worker")
            uow.commit()
""")


def test_two_processes_never_duplicate_or_skip(db, actor, tmp_path):
    with db.uow(actor) as uow:
        initialise(uow)
        uow.commit()
    n = 60
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, db.url, str(n)]) for _ in range(2)]
    assert [p.wait(timeout=180) for p in procs] == [0, 0]
    with db.uow(actor) as uow:
        rows = uow.session.execute(select(IssuedNumber.seq, IssuedNumber.number)
                                   .where(IssuedNumber.key == "approval")).all()
    assert sorted(seq for seq, _ in rows) == list(range(1, 2 * n + 1))
    assert len({number for _, number in rows}) == 2 * n


# ---------------------------------------------------------------- 文号 typed by hand (第八条)


@pytest.mark.parametrize("typed, why", [
    ("沁审管发[2026]05号", "六角括号"),
    ("沁审管发【2026】5号", "六角括号"),
    ("沁审管发（2026）5号", "六角括号"),
    ("沁审管发〔2026〕05号", "不编虚位"),
    ("沁审管发〔2026〕5", ""),
    ("沁政发〔2026〕5号", ""),  # another body's prefix where the bureau's pattern is asked for
])
def test_a_hand_typed_number_is_checked_against_the_pattern(db, actor, typed, why):
    with db.uow(actor) as uow:
        initialise(uow)
        with pytest.raises(RuleViolation) as exc:
            check_doc_no(uow, "approval", typed, 2026)
    assert exc.value.article == "第八条" and "沁审管发〔2026〕5号" in exc.value.message and why in exc.value.message


def test_the_year_of_the_number_is_the_year_of_the_act(db, actor):
    with db.uow(actor) as uow:
        initialise(uow)
        assert check_doc_no(uow, "approval", " 沁审管发〔2026〕12号 ", 2026) == "沁审管发〔2026〕12号"
        with pytest.raises(RuleViolation, match="年份2025"):
            check_doc_no(uow, "approval", "沁审管发〔2025〕12号", 2026)
        assert check_doc_no(uow, "review", "沁审管技审〔2026〕3号", 2026)
        assert check_doc_no(uow, None, "沁财预〔2026〕3号") == "沁财预〔2026〕3号"  # another body's number
        with pytest.raises(RuleViolation):
            check_doc_no(uow, None, "沁财预[2026]3号")


def test_the_lifecycle_refuses_a_malformed_number_and_registers_a_good_one(walker):
    code = walker.to("reviewed")
    walker.plan(code)
    with pytest.raises(RuleViolation) as exc:
        walker.go(code, "approve", on="2026-01-20", doc_no="沁审管发[2026]05号")
    assert exc.value.article == "第八条" and walker.status(code) == "reviewed"
    walker.go(code, "approve", on="2026-01-20", doc_no="沁审管发〔2026〕88号")
    with walker.db.uow(walker.actor, write=False) as uow:
        numbers = [n.number for n in list_numbers(uow, year=2026)]
    assert "沁审管发〔2026〕88号" in numbers
    with pytest.raises(RuleViolation):
        walker.go(code, "budget", amount="1000", on="2026-02-10", doc_no="沁财预[2026]3号")


def test_the_register_lists_and_exports(walker, tmp_path, capsys):
    from app.cli.main import main

    code = walker.to("approved")  # the review's and the approval's numbers
    with walker.db.uow(walker.actor, write=False) as uow:
        rows = list_numbers(uow)
        assert [n.number for n in rows] == ["沁审管发〔2026〕1号", "沁审管技审〔2026〕1号"]
        assert all(code in (n.purpose or "") for n in rows)
        assert [n.number for n in list_numbers(uow, kind="project")] == [code]
    if not walker.db.is_sqlite:
        return
    dbfile = walker.db.url.removeprefix("sqlite:///")
    assert main(["--db", dbfile, "numbers", "list", "--json"]) == 0
    assert [r["number"] for r in json.loads(capsys.readouterr().out)] == [n.number for n in rows]
    out = tmp_path / "文号.xlsx"
    assert main(["--db", dbfile, "numbers", "export", str(out)]) == 0
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]][:3] == ["序号", "文号", "序列"] and ws.cell(2, 2).value == "沁审管发〔2026〕1号"
    assert main(["--db", dbfile, "numbers", "list", "--kind", "nonsense"]) == 1

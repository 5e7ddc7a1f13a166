"""Document numbers and project codes: no gap, no duplicate, also with two writer processes at once."""

import subprocess
import sys
import textwrap

from sqlalchemy import select

from app.models import IssuedNumber
from app.services.numbering import issue_number
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

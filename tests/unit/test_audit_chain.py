"""The audit chain: every kind of tampering is caught, untouched trails raise no alarm, the database refuses edits."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.domain.actor import Actor
from app.services import audit
from app.storage import auditchain
from app.storage.auditchain import GENESIS, AnchorState, chain_macfn, record_mac, verify_rows

KEY = b"\x11" * 32
MACFN = chain_macfn(KEY)
T0 = dt.datetime(2027, 3, 5, 8, 0, 0)


def make_chain(n: int, macfn=MACFN, start_id: int = 1) -> tuple[list[tuple], AnchorState]:
    rows, prev = [], GENESIS
    for i in range(start_id, start_id + n):
        fields = (i, T0 + dt.timedelta(seconds=i, microseconds=i % 1000), f"user{i % 7}", "reviewer", "PC-01",
                  "project.update", "project", f"QS-2027-{i:04d}", "ok",
                  '{"after":{"name":"新名称"},"before":{"name":"旧名称"}}' if i % 3 else None, prev)
        mac = record_mac(macfn, fields)
        rows.append((*fields, mac))
        prev = mac
    return rows, AnchorState(n, rows[-1][0] if rows else 0, prev, auditchain.anchor_mac(macfn, n, rows[-1][0], prev))


def _set(row: tuple, index: int, value) -> tuple:
    r = list(row)
    r[index] = value
    return tuple(r)


# each case: (rows, anchor, rng) -> (rows, anchor, id of the first record that must be named, or None)
def change(rows, anchor, rng):
    k = rng.randrange(len(rows))
    col = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9])
    old = rows[k][col]
    new = old + dt.timedelta(seconds=1) if col == 1 else (old or "") + "x"
    rows[k] = _set(rows[k], col, new)
    return rows, anchor, rows[k][0]


def delete(rows, anchor, rng):
    k = rng.randrange(len(rows) - 1)
    rid = rows[k + 1][0]
    del rows[k]
    return rows, anchor, rid


def insert(rows, anchor, rng):
    # a replayed copy of an existing record, or a forged one, placed between two records (ids renumbered)
    k = rng.randrange(1, len(rows))
    forged = rows[rng.randrange(len(rows))] if rng.random() < 0.5 else _set(rows[k], 9, '{"forged":1}')
    rows.insert(k, forged)
    rows = [_set(r, 0, i + 1) for i, r in enumerate(rows)]
    return rows, anchor, k + 1


def reorder(rows, anchor, rng):
    k = rng.randrange(len(rows) - 1)
    a, b = rows[k], rows[k + 1]
    rows[k], rows[k + 1] = _set(b, 0, a[0]), _set(a, 0, b[0])  # contents swapped, ids kept in order
    return rows, anchor, rows[k][0]


def truncate(rows, anchor, rng):
    m = rng.randrange(1, 20)
    return rows[:-m], anchor, None


def rechain(rows, anchor, rng):
    # change a record and recompute every later MAC and the anchor with a key that is not the program's
    k = rng.randrange(len(rows))
    rows[k] = _set(rows[k], 5, "project.delete")
    forger = chain_macfn(rng.randbytes(32))
    prev = rows[k - 1][11] if k else GENESIS
    for i in range(k, len(rows)):
        r = _set(rows[i], 10, prev)
        rows[i] = (*r[:11], record_mac(forger, r))
        prev = rows[i][11]
    return rows, AnchorState(anchor.count, anchor.last_id, prev, auditchain.anchor_mac(forger, anchor.count,
                                                                                   anchor.last_id, prev)), rows[k][0]


def head_replaced(rows, anchor, rng):
    # the last record swapped for another well-formed one (a replay of an older record, renumbered)
    old = rows[rng.randrange(len(rows) - 1)]
    rows[-1] = _set(_set(old, 0, rows[-1][0]), 10, rows[-2][11])
    return rows, anchor, rows[-1][0]


def anchor_rewound(rows, anchor, rng):
    # truncate and write the anchor to match, without the key
    m = rng.randrange(1, 20)
    rows = rows[:-m]
    return rows, AnchorState(len(rows), rows[-1][0], rows[-1][11], anchor.mac), None


CASES = [change, delete, insert, reorder, truncate, rechain, head_replaced, anchor_rewound]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_every_tampering_is_caught_and_the_first_broken_record_named(case):
    rng = random.Random(case.__name__)
    base_rows, base_anchor = make_chain(500)
    misses = 0
    for _ in range(200):
        rows, anchor, expect_first = case(list(base_rows), base_anchor, rng)
        report = verify_rows(rows, MACFN, anchor)
        if report.ok:
            misses += 1
            continue
        if expect_first is not None:
            assert report.first_broken == expect_first, (case.__name__, report.problems[:3])
    assert misses == 0


def test_a_chain_alone_misses_truncation_the_anchor_catches_it():
    rows, anchor = make_chain(300)
    rng = random.Random(1)
    chain_only = anchored = 0
    for _ in range(200):
        cut = rows[: -rng.randrange(1, 50)]
        chain_only += not verify_rows(cut, MACFN, AnchorState(*_fake_anchor(cut))).ok
        anchored += not verify_rows(cut, MACFN, anchor).ok
    assert (chain_only, anchored) == (0, 200)


def _fake_anchor(rows):
    return len(rows), rows[-1][0], rows[-1][11], auditchain.anchor_mac(MACFN, len(rows), rows[-1][0], rows[-1][11])


def test_no_false_alarm_on_100000_untouched_records():
    rows, anchor = make_chain(100_000)
    report = verify_rows(rows, MACFN, anchor)
    assert report.ok and report.checked == 100_000, report.problems[:3]


def test_empty_trail_is_sound_and_a_missing_anchor_is_not():
    assert verify_rows([], MACFN, None).ok
    rows, _ = make_chain(3)
    assert "锚点缺失" in verify_rows(rows, MACFN, None).summary()


# ---------------------------------------------------------------- through the database

ACTOR = Actor("zhangsan", "reviewer", 1, "张三")


def _append_n(db, n: int, actor: Actor = ACTOR) -> None:
    with db.uow(actor) as uow:
        for i in range(n):
            uow.audit("project.update", "project", f"QS-2027-{i:04d}", {"before": {"x": i}, "after": {"x": i + 1}})
        uow.commit()


def _verify(db) -> auditchain.ChainReport:
    with db.uow(ACTOR, write=False) as uow:
        return auditchain.verify(uow.session)


def test_appends_chain_across_transactions_and_verify(db):
    _append_n(db, 5)
    _append_n(db, 3)
    with db.uow(ACTOR) as uow:
        uow.audit("sign_in", "user", "zhangsan")
        # not committed: rolled back with its transaction, and the anchor with it
    report = _verify(db)
    assert report.ok and report.checked == 8, report.problems
    with db.uow(ACTOR, write=False) as uow:
        entries = audit.search(uow.session, action="project.update", text='"x": 4')
    assert [e.object_id for e in entries] == ["QS-2027-0004", "QS-2027-0003"]


def test_rollback_then_more_appends_in_the_same_session(db):
    _append_n(db, 2)
    with db.uow(ACTOR) as uow:
        uow.audit("a")
        uow.rollback()
        uow.audit("b")
        uow.commit()
    report = _verify(db)
    assert report.ok and report.checked == 3, report.problems
    with db.uow(ACTOR, write=False) as uow:
        assert [e.action for e in audit.search(uow.session, limit=1)] == ["b"]


def test_the_program_cannot_update_or_delete_audit_rows(db):
    _append_n(db, 3)
    for sql in ("UPDATE audit_log SET action = 'x' WHERE id = 2", "DELETE FROM audit_log WHERE id = 3",
                "DELETE FROM audit_anchor", "UPDATE audit_anchor SET count = 1"):
        with db.uow(ACTOR) as uow, pytest.raises(DBAPIError, match="audit_(log|anchor)"):
            uow.session.execute(text(sql))
    assert _verify(db).ok


def _tamper(path, *sql):
    """What someone with the file and a SQLite tool could do: drop the triggers, then edit."""
    con = sqlite3.connect(path)
    for t in ("audit_log_no_update", "audit_log_no_delete", "audit_anchor_no_delete", "audit_anchor_no_shrink"):
        con.execute(f"DROP TRIGGER IF EXISTS {t}")
    for s in sql:
        con.execute(s)
    con.commit()
    con.close()


@pytest.mark.parametrize("sql, first", [
    (["UPDATE audit_log SET user = 'lisi' WHERE id = 4"], 4),
    (["DELETE FROM audit_log WHERE id = 4"], 5),
    (["UPDATE audit_log SET id = 100 WHERE id = 4", "UPDATE audit_log SET id = 4 WHERE id = 5",
      "UPDATE audit_log SET id = 5 WHERE id = 100"], 4),
    (["DELETE FROM audit_log WHERE id >= 9"], None),
    (["DELETE FROM audit_log WHERE id >= 9", "UPDATE audit_anchor SET count = 8, last_id = 8"], None),
    (["INSERT INTO audit_log (id, at, user, action, outcome, prev_mac, mac) "
      "SELECT 11, at, user, action, outcome, mac, mac FROM audit_log WHERE id = 10"], 11),
])
def test_tampering_with_the_file_is_caught(sqlite_db, tmp_path, sql, first):
    _append_n(sqlite_db, 10)
    _tamper(tmp_path / "test.sqlite3", *sql)
    report = _verify(sqlite_db)
    assert not report.ok
    assert report.first_broken == first, report.problems


def test_archive_round_trip_and_tampered_archive(db, tmp_path):
    _append_n(db, 6)
    path = tmp_path / "archive.json"
    with db.uow(ACTOR, write=False) as uow:
        assert audit.archive(uow.session, path, dt.datetime(2100, 1, 1)) == 6
        assert audit.verify_archive(uow.session, path).ok
    path.write_text(path.read_text(encoding="utf-8").replace("QS-2027-0003", "QS-2027-0009"), encoding="utf-8")
    with db.uow(ACTOR, write=False) as uow:
        report = audit.verify_archive(uow.session, path)
    assert not report.ok and report.first_broken == 4 and "签名" in report.summary()


def test_export_to_excel(db, tmp_path):
    from openpyxl import load_workbook

    _append_n(db, 4)
    with db.uow(ACTOR, write=False) as uow:
        out = audit.export_xlsx(audit.search(uow.session, newest_first=False), tmp_path / "a.xlsx")
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "时间（UTC）", "用户") and len(rows) == 5 and rows[1][8] == "成功"

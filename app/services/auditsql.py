"""`govdata verify` on a sqlite3 writer (app.storage.writer): the command line's way on a local database file, in SQL
text, without loading SQLAlchemy or the ORM (their import costs more than verifying 100,000 records' chain).

    report, unrecorded = verify_and_record_sql(writer, actor)   # report None: audit.verify_and_record instead
    if unrecorded: audit.record_verification(db, actor, report)

As audit.verify_and_record: the permission first; the trail read in one read snapshot (BEGIN … ROLLBACK: writers go
on meanwhile) and checked by app.storage.chain.verify_sql, which reads the keys, the anchor and the rows with the SQL
auditchain.verify uses and checks them with the same verify_rows; then the verification recorded in a short write
transaction, the record audit.record_verification writes (chain.append_sql, as the import records itself). When the
trail is not the sound common case for an append (damage found before the record, a key this PC does not hold:
chain.sql_chain_state is None), nothing is written here and `unrecorded` is True: the caller records it the full way,
which writes the chain-break record first or says why nothing could be recorded. A database that is busy past the
timeout or full: the verification stands and `report.not_recorded` says why it was not recorded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from app.domain.actor import Actor
from app.services.permissions import require
from app.storage import dberrors
from app.storage.chain import ChainReport, append_sql, sql_chain_state, verify_sql
from app.storage.writer import Writer

VERIFY_ACTION = "audit.verify"


def verification_record(report: ChainReport, archive: ChainReport | None = None,
                        anchor_path: str | Path | None = None) -> tuple[dict, str]:
    """The detail and outcome of the record of a verification (both ways write this one)."""
    ok = report.ok and (archive is None or archive.ok)
    return ({"ok": ok, "checked": report.checked, "first_broken": report.first_broken,
             "anchor": str(anchor_path) if anchor_path else None}, "ok" if ok else "failed")


def verify_and_record_sql(writer: Writer, actor: Actor, progress: Callable[[int, int], None] | None = None
                          ) -> tuple[ChainReport | None, bool]:
    """The trail verified through `writer` and the verification recorded (see the module's docstring). Returns the
    report (None: auditchain must verify, nothing was written) and whether the caller must still record it."""
    require(actor, "audit.view")
    con = writer.con
    con.execute("BEGIN")  # one snapshot of keys, anchor and records (a read transaction: WAL lets writers go on)
    try:
        report = verify_sql(con, progress)
    finally:
        con.rollback()
    if report is None:
        return None, False
    detail, outcome = verification_record(report)
    try:
        with writer.transaction() as con:
            chain = sql_chain_state(con)
            if chain is None:
                return report, True
            append_sql(con, chain, actor, VERIFY_ACTION, "audit_log", None, detail, outcome)
    except sqlite3.DatabaseError as exc:  # busy past the timeout, a full disk: the verification stands, unrecorded
        why = dberrors.not_recorded(exc)
        if why is None:
            raise
        report.not_recorded = why
    return report, False

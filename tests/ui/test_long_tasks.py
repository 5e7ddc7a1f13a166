"""Long reads (an export, the audit verification) run beside the worker: the pages' reads do not wait for them,
and cancelling stops them at their next progress step with nothing delivered."""

from __future__ import annotations

import threading

from app.domain.actor import SETUP_ACTOR
from app.services import audit
from app.ui.tasks import TaskManager


def test_a_long_read_does_not_hold_the_worker(gapp, qtbot) -> None:
    tasks = TaskManager()
    release = threading.Event()
    got: list = []
    try:
        tasks.run(lambda task: release.wait(30) and "long", got.append, long=True)
        with qtbot.waitSignal(tasks.task_finished, timeout=10_000):  # the worker's read finishes meanwhile
            tasks.run(lambda task: "read", got.append)
        assert got == ["read"]
        with qtbot.waitSignal(tasks.task_finished, timeout=10_000):
            release.set()
        assert got == ["read", "long"]
    finally:
        release.set()
        tasks.shutdown()


def test_cancel_stops_a_long_read_at_its_next_progress(gapp, qtbot) -> None:
    tasks = TaskManager()
    started, steps, got = threading.Event(), [], []

    def work(task) -> str:
        for i in range(10_000):
            task.progress(i, 10_000)
            steps.append(i)
            started.set()
            threading.Event().wait(0.001)
        return "finished"

    try:
        task = tasks.run(work, got.append, long=True)
        assert started.wait(10)
        with qtbot.waitSignal(tasks.task_finished, timeout=10_000):
            task.cancel()
        assert got == [] and len(steps) < 10_000  # stopped, nothing delivered
    finally:
        tasks.shutdown()


def test_verify_from_the_window_reads_then_records_once(ctx, sqlite_db, qtbot) -> None:
    ctx.db, ctx.actor = sqlite_db, SETUP_ACTOR
    with sqlite_db.uow(SETUP_ACTOR) as uow:
        for i in range(30):
            uow.audit("project.update", "project", f"QS-2027-{i:04d}", {"after": {"name": f"项目{i}"}})
        uow.commit()
    seen: list = []

    def work(db, actor, task):
        return audit.verify_and_record(db, actor, progress=lambda d, t: (seen.append((d, t)), task.progress(d, t)))

    results: list = []
    with qtbot.waitSignal(ctx.tasks.task_finished, timeout=20_000):
        ctx.long(work, results.append)
    report, archive = results[0]
    assert report.ok and report.checked == 30 and archive is None
    assert seen[0] == (0, 30) and seen[-1] == (30, 30)
    with sqlite_db.uow(SETUP_ACTOR, write=False) as uow:
        records = [e for e in audit.search(uow.session, action="audit.verify")]
    assert len(records) == 1 and records[0].outcome == "ok"


def test_the_ledger_prints_while_the_worker_is_busy(ctx, demo_db, qtbot) -> None:
    """打印台账 is laid out beside the worker: it comes out while a task holds the worker, and is recorded."""
    from PySide6.QtWidgets import QWidget

    from app.models import PrintedForm
    from app.ui.printing import print_ledger

    ctx.db, ctx.actor = demo_db, SETUP_ACTOR
    parent = QWidget()
    release = threading.Event()
    try:
        ctx.tasks.run(lambda task: release.wait(30))  # the worker is busy until released
        print_ledger(ctx, None, None, parent)
        qtbot.waitUntil(lambda: getattr(parent, "preview", None) is not None, timeout=30_000)
        assert not release.is_set() and parent.preview.pdf.startswith(b"%PDF")
    finally:
        release.set()
    with demo_db.uow(SETUP_ACTOR, write=False) as uow:
        from sqlalchemy import select

        row = uow.session.scalars(select(PrintedForm).order_by(PrintedForm.id.desc())).first()
        assert row is not None and row.kind == "ledger" and row.serial in parent.preview.info.text()


def test_a_cancelled_ledger_is_voided_and_shows_nothing(ctx, demo_db, qtbot) -> None:
    from PySide6.QtWidgets import QWidget
    from sqlalchemy import select

    from app.models import PrintedForm
    from app.ui.printing import print_ledger

    ctx.db, ctx.actor = demo_db, SETUP_ACTOR
    parent = QWidget()
    errors: list = []
    ctx.tasks.on_user_error = lambda exc, _parent: errors.append(exc)
    with qtbot.waitSignal(ctx.tasks.task_finished, timeout=30_000):
        print_ledger(ctx, None, None, parent).cancel()
    assert getattr(parent, "preview", None) is None and errors == []
    with demo_db.uow(SETUP_ACTOR, write=False) as uow:
        assert uow.session.scalars(select(PrintedForm).where(PrintedForm.kind == "ledger")).first() is None
        voided = [e for e in audit.search(uow.session, action="print.void")]
    assert len(voided) == 1 and "已取消打印" in voided[0].detail

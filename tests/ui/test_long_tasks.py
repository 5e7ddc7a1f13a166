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

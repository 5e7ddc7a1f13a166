"""The window runs the deadlines once the database is open and again when the day changes (第二十二条)."""

from __future__ import annotations

import datetime as dt

from app.domain.actor import SETUP_ACTOR
from app.services import clock
from app.ui.duetimer import DueRunner


def test_deadlines_act_when_the_window_opens_and_the_next_day(ctx, walker, qtbot, monkeypatch) -> None:
    late = walker.to("under_construction")
    walker.go(late, "order-rectification", reason="other", requirements="补充材料", on="2026-11-02",
              deadline="2026-11-30")
    ctx.db, ctx.actor = walker.db, SETUP_ACTOR
    runner = DueRunner(ctx)
    with qtbot.waitSignal(runner.ran, timeout=20000) as got:
        ctx.database_opened.emit()
    assert [s.code for s in got.args[0].suspended] == [late] and walker.status(late) == "funds_suspended"
    runner.run_if_new_day()  # the same day: nothing to do
    assert not runner.running
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 2))
    with qtbot.waitSignal(runner.ran, timeout=20000) as again:
        runner.run_if_new_day()
    assert again.args[0].today == dt.date(2026, 12, 2) and again.args[0].suspended == ()
    assert runner.timer.isActive()

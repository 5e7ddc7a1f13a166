"""The references the Qt binding hands back, and why app/ui/__init__.py makes None, True and False immortal.

PySide6 6.12 returns None from every void call and True from every signal's emit without a reference of its own
(right on Python 3.12, whose None and True are immortal). On Python 3.11 (the program's) each call takes one count
away for good, and the interpreter aborts when one reaches zero (bool_dealloc, none_dealloc)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import app.ui

CALLS = 2000


class _Emitter(QObject):
    changed = Signal()


def _run_down() -> tuple[int, int]:
    """How many counts None and True lost to CALLS void calls and CALLS emits."""
    obj = _Emitter()
    obj.changed.connect(lambda: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        obj.setObjectName("x")  # a void call: returns None
    for _ in range(CALLS):
        obj.changed.emit()  # returns True
    return none_before - sys.getrefcount(None), true_before - sys.getrefcount(True)


def test_none_true_and_false_cannot_be_counted_down_to_zero() -> None:
    """Whatever the installed binding does, no run of the program can count None, True or False down to zero."""
    _run_down()
    for obj in (None, True, False):
        assert sys.getrefcount(obj) > app.ui.IMMORTAL_COUNT // 2, obj


def test_the_binding_loses_at_most_one_count_per_call() -> None:
    """What app.ui makes up for: at most one lost count per call (a binding that lost more, or lost counts of other
    objects, would need more than immortal None and True)."""
    lost_none, lost_true = _run_down()
    assert lost_none <= CALLS + CALLS // 10 and lost_true <= CALLS + CALLS // 10, (lost_none, lost_true)

"""The Qt binding keeps the references it hands back.

PySide6 6.12.0 returns None from every void call and True from every signal's emit without a reference of its
own. On Python 3.11 (the program's), where None and True are not yet immortal, each call takes one count away
for good: the window aborts after long use and the test run at its exit (bool_dealloc, none_dealloc). The
versions pyproject.toml allows must keep the counts; this measures it on the one installed."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

CALLS = 2000


class _Emitter(QObject):
    changed = Signal()


def _counts() -> tuple[int, int]:
    return sys.getrefcount(None), sys.getrefcount(True)


def test_void_calls_keep_none_and_emits_keep_true() -> None:
    obj = _Emitter()
    obj.changed.connect(lambda: None)
    none_before, true_before = _counts()
    for _ in range(CALLS):
        obj.setObjectName("x")  # a void call: returns None
    none_after = sys.getrefcount(None)
    for _ in range(CALLS):
        obj.changed.emit()  # returns True
    true_after = sys.getrefcount(True)
    # a binding that drops the reference loses one count per call (-2000); a few come and go meanwhile
    assert none_after - none_before > -CALLS // 10, f"None lost {none_before - none_after} references"
    assert true_after - true_before > -CALLS // 10, f"True lost {true_before - true_after} references"

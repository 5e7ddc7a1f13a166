"""The desktop program: PySide6 windows, dialogs, table models and background tasks. Qt lives only here.

On Python 3.11 the interpreter's None, True and False are made immortal here, before any Qt module loads, as
Python 3.12 makes them: PySide6 6.12 hands them back (None from every void call, True from every signal's emit)
without a reference of its own, as 3.12's immortal objects allow. On 3.11 each such call takes one count away for
good, and after enough of them the interpreter frees None or True and aborts (bool_dealloc, none_dealloc; the
test run at its exit, the window after long use). tests/ui/test_qt_references.py measures both."""

from __future__ import annotations

import ctypes
import importlib
import sys

IMMORTAL_COUNT = 1 << 40  # what no program's calls can count down; 3.12 marks immortal objects alike


def _make_immortal() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or hasattr(sys, "getobjects"):
        return  # immortal already (PEP 683); or not CPython's object layout (a trace-refs build puts links first)
    for obj in (None, True, False):
        before = sys.getrefcount(obj)
        ctypes.c_ssize_t.from_address(id(obj)).value += IMMORTAL_COUNT  # ob_refcnt, the object's first field
        assert abs(sys.getrefcount(obj) - before - IMMORTAL_COUNT) < 1000, "ob_refcnt is not where 3.11 keeps it"


_make_immortal()

# The window's modules that do not use Qt, loaded here before any Qt module: after PySide6 loads, its import hook
# reads the whole source of every module imported (shibokensupport.feature looks for `from __feature__`), which
# cost the window's start about 10 ms CPU before its first paint. A module missing here only loads later, as usual.
PRELOADED = ("json", "logging", "socket", "traceback", "urllib.parse", "app.domain.actor", "app.domain.demo",
             "app.domain.vocabulary", "app.services.clock", "app.services.permissions", "app.storage.dberrors",
             "app.storage.fileio", "app.storage.keystore", "app.storage.paths")
for _name in PRELOADED:
    importlib.import_module(_name)

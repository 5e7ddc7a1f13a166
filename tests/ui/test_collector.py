"""A Qt object dies on the thread it lives on: cycles are collected on the GUI thread only (app.ui.collector), and a
task's function, which may hold the last reference to a widget, is let go on the GUI thread (app.ui.tasks)."""

from __future__ import annotations

import gc
import threading
import weakref

from app.ui.collector import MainThreadCollector


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_a_task_lets_go_of_its_function_on_the_gui_thread(ctx, qtbot) -> None:
    freed_on: list[bool] = []

    class Holder:
        pass

    holder = Holder()
    weakref.finalize(holder, lambda: freed_on.append(threading.current_thread() is threading.main_thread()))
    ctx.tasks.run(lambda task, held=holder: held.__class__.__name__)
    del holder
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)
    assert freed_on == [True]


def test_cycles_are_never_collected_on_a_worker_thread(gapp) -> None:
    collector = gapp.findChild(MainThreadCollector)
    assert collector is not None and collector.timer.isActive() and not gc.isenabled()
    freed_on: list[bool] = []
    node = Node()
    weakref.finalize(node, lambda: freed_on.append(threading.current_thread() is threading.main_thread()))
    del node

    def allocate() -> None:  # far more new objects than the collector's threshold
        for _ in range(50):
            [[i] for i in range(10_000)]

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert freed_on == []  # the worker's allocations collected nothing
    while not freed_on and collector.collect_if_due():
        pass
    gc.collect()  # what the collector's timer does on the GUI thread once a generation is due
    assert freed_on == [True]

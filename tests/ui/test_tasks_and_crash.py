from __future__ import annotations

import threading

from PySide6.QtWidgets import QProgressDialog, QPushButton

from app.errors import InputError
from app.storage.paths import log_dir
from app.ui import crash
from app.ui.tasks import Cancelled


def test_result_arrives_on_gui_thread(ctx, qtbot) -> None:
    seen = {}

    def work(task):
        seen["worker"] = threading.current_thread().name
        return 6 * 7

    with qtbot.waitSignal(ctx.tasks.task_finished, timeout=5000):
        ctx.tasks.run(work, lambda r: seen.update(result=r, gui=threading.current_thread().name))
    assert seen["result"] == 42
    assert seen["worker"].startswith("govdata-db")
    assert seen["gui"] == threading.main_thread().name


def test_one_worker_runs_tasks_in_order(ctx, qtbot) -> None:
    order = []
    for i in range(5):
        ctx.tasks.run(lambda t, i=i: i, order.append)
    qtbot.waitUntil(lambda: len(order) == 5, timeout=5000)
    assert order == [0, 1, 2, 3, 4]


def test_user_error_is_a_message_not_an_apology(ctx, qtbot) -> None:
    def work(task):
        raise InputError("项目名称不能为空")

    with qtbot.waitSignal(ctx.tasks.task_finished, timeout=5000):
        ctx.tasks.run(work)
    boxes = crash.open_boxes()
    assert [b.objectName() for b in boxes][-1] == "userErrorBox"
    assert boxes[-1].text() == "项目名称不能为空"
    for b in boxes:
        b.done(0)
    assert not log_dir().joinpath("govdata-ui.log").exists()


def test_bug_is_logged_apologised_for_and_program_lives_on(ctx, qtbot) -> None:
    def work(task):
        return {}["missing"]

    with qtbot.waitSignal(ctx.tasks.task_finished, timeout=5000):
        ctx.tasks.run(work)
    box = [b for b in crash.open_boxes() if b.objectName() == "crashBox"][-1]
    log = log_dir() / "govdata-ui.log"
    assert "KeyError: 'missing'" in log.read_text(encoding="utf-8")
    assert "很抱歉" in box.text() and str(log) in box.text()
    assert "Traceback" not in box.text()
    box.done(0)
    results = []
    with qtbot.waitSignal(ctx.tasks.task_finished, timeout=5000):
        ctx.tasks.run(lambda t: "still alive", results.append)
    assert results == ["still alive"]


def test_bug_in_a_slot_goes_to_the_crash_handler(gapp, qtbot) -> None:
    from PySide6.QtCore import QTimer

    crash.install()

    def slot():
        raise ZeroDivisionError("boom")

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: any(b.objectName() == "crashBox" for b in crash.open_boxes()), timeout=5000)
    assert "ZeroDivisionError: boom" in (log_dir() / "govdata-ui.log").read_text(encoding="utf-8")
    for b in crash.open_boxes():
        b.done(0)


def test_progress_dialog_appears_only_for_slow_work_and_cancels(ctx, qtbot) -> None:
    release = threading.Event()
    quick = []
    with qtbot.waitSignal(ctx.tasks.task_finished, timeout=5000):
        ctx.tasks.run(lambda t: 1, quick.append, label="快")
    qtbot.wait(600)
    assert not [w for w in gapp_widgets() if isinstance(w, QProgressDialog) and w.isVisible()]

    def slow(task):
        for i in range(1000):
            task.progress(i, 1000)
            if task.cancelled():
                raise Cancelled
            release.wait(0.01)
        return "finished"

    results = []
    task = ctx.tasks.run(slow, results.append, label="正在导入…")
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=3000)
    assert task.dialog.labelText() == "正在导入…"
    with qtbot.waitSignal(ctx.tasks.task_finished, timeout=5000):
        task.dialog.findChild(QPushButton).click()
    assert task.cancelled() and results == []  # cancelled: no result, no message
    assert not crash.open_boxes() or all(b.objectName() != "crashBox" for b in crash.open_boxes())


def gapp_widgets():
    from PySide6.QtWidgets import QApplication

    return QApplication.topLevelWidgets()

"""A refusal in the window leaves exactly one audit record, as on the command line."""

from __future__ import annotations

from app.domain.actor import SETUP_ACTOR
from app.services import audit, auth
from app.services.projects import ProjectInput, get_project, register_project
from app.ui import crash

PW = "Qinshui#2027"


def test_refused_read_and_lifecycle_action_each_leave_one_record(ctx, qtbot, sqlite_db, monkeypatch) -> None:
    from app.services.lifecycle import advance
    from app.services.master import add_department

    monkeypatch.setattr(auth, "PBKDF2_ITERATIONS", 1000)
    with sqlite_db.uow(SETUP_ACTOR) as uow:
        add_department(uow, "县公安局")
        add_department(uow, "县教育局")
        auth.create_demo_accounts(uow, PW, clerk_department="县教育局")
        code = register_project(uow, ProjectInput(name="雪亮工程", department="县公安局", category="信息应用系统开发",
                                                  nature="新建", year=2027, total_fen=100, county_fen=100)).code
        uow.commit()
    ctx.db, ctx.actor = sqlite_db, auth.sign_in(sqlite_db, "clerk", PW).actor
    with qtbot.waitSignal(ctx.tasks.task_finished, timeout=5000):
        ctx.read(lambda uow: get_project(uow, code))
    with qtbot.waitSignal(ctx.tasks.task_finished, timeout=5000):
        ctx.tasks.run(lambda _t: advance(sqlite_db, ctx.actor, code, "submit"))
    boxes = crash.open_boxes()
    assert len(boxes) >= 2 and all(b.text().startswith("无权操作其他单位的项目") for b in boxes[-2:])
    for b in boxes:
        b.done(0)
    with sqlite_db.uow(SETUP_ACTOR, write=False) as uow:
        got = [(e.user, e.action, e.object_id) for e in audit.search(uow.session, outcome="refused",
                                                                    newest_first=False)]
    assert got == [("clerk", "project.read", None), ("clerk", "lifecycle.submit", code)]

"""Each role sees the lifecycle buttons its permissions allow on a project page, and no others (第二十四条:
who may do what is enforced in the services; the window shows it). Demo database, accounts signed in for real."""

from __future__ import annotations

from app.domain.demo import DEMO_PASSWORD
from app.services import auth
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories

PW = DEMO_PASSWORD  # the demo_db fixture's accounts


def enabled_buttons(window, ctx, qtbot, actor, code) -> dict[str, str]:
    """{action key: tooltip} of the project page's buttons for `actor`; enabled ones have an empty tooltip key."""
    ctx.actor = actor
    window.open_project(code)
    page = window.project_page
    qtbot.waitUntil(lambda: page.code == code and ctx.tasks.active == 0, timeout=15000)
    return {k: ("" if b.isEnabled() else b.toolTip()) for k, b in page.action_buttons.items()}


def test_buttons_follow_the_role(ctx, demo_db, qtbot) -> None:
    sqlite_db = demo_db
    actors = {name: auth.sign_in(sqlite_db, name, PW).actor for name in ("reviewer", "finance", "leader", "clerk")}
    ctx.db, ctx.actor = sqlite_db, actors["reviewer"]
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=20000)

    approved = "QS-2026-0008"  # 农业农村大数据采集, 已立项
    reviewer = enabled_buttons(w, ctx, qtbot, actors["reviewer"], approved)
    finance = enabled_buttons(w, ctx, qtbot, actors["finance"], approved)
    leader = enabled_buttons(w, ctx, qtbot, actors["leader"], approved)
    assert {k for k, tip in finance.items() if not tip} == {"budget"}
    assert reviewer["budget"] and "无权" in reviewer["budget"]  # the budget is the finance bureau's
    assert not reviewer["order-rectification"]
    assert {k for k, tip in leader.items() if not tip} == set()  # read-only
    assert "无权" in leader["order-rectification"]

    own = "QS-2026-0014"  # the demo clerk's own department (发改局), 已验收
    clerk = enabled_buttons(w, ctx, qtbot, actors["clerk"], own)
    assert not clerk["request-om"]  # a department applies for its O&M money (第二十一条)
    assert "无权" in clerk["accept-joint"] and "无权" in clerk["evaluate"]  # the bureau's acts
    assert "无权" in clerk["decide-om"]

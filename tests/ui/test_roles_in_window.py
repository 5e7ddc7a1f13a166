"""Each role sees the lifecycle buttons its permissions allow on a project page, and no others (第二十四条:
who may do what is enforced in the services; the window shows it). Demo database, accounts signed in for real."""

from __future__ import annotations

from app.domain.demo import DEMO_PASSWORD
from app.services import auth
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories

PW = DEMO_PASSWORD  # the demo_db fixture's accounts


def enabled_buttons(window, ctx, qtbot, actor, code) -> dict[str, str]:
    """{action key: what the page says beside it} for `actor`: '' for what can be done now."""
    ctx.actor = actor
    window.open_project(code)
    page = window.project_page
    qtbot.waitUntil(lambda: page.code == code and ctx.tasks.active == 0, timeout=15000)
    said = {k: page.reason_of(k) for k in page.states}
    assert all(b.isEnabled() == (said[k] == "") for k, b in page.action_buttons.items())
    assert not set(page.action_buttons) & {k for k, s in page.states.items() if not s.permitted}  # not offered
    return said


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
    assert "budget" in {k for k, tip in finance.items() if not tip}
    assert {k for k, tip in finance.items() if not tip} <= {"budget", "budget-om", "correct-catalogue"}
    assert reviewer["budget"] == "由财政人员办理"  # the budget is the finance bureau's, and it says so
    assert not reviewer["order-rectification"]
    assert {k for k, tip in leader.items() if not tip} == set()  # read-only
    assert leader["order-rectification"] == "由主管部门审核员办理"
    assert "budget" not in w.project_page.action_buttons  # nothing offered that the leader may not do

    own = "QS-2026-0014"  # the demo clerk's own department (发改局), 已验收
    clerk = enabled_buttons(w, ctx, qtbot, actors["clerk"], own)
    assert not clerk["request-om"]  # a department applies for its O&M money (第二十一条)
    assert clerk["accept-joint"] == clerk["evaluate"] == "由主管部门审核员办理"  # the bureau's acts
    assert clerk["decide-om"].startswith("由") and clerk["decide-om"].endswith("办理")  # whose it is, said

"""The project page as a clerk meets it: nothing silent, nothing a slip of the mouse can do, defaults that say
what they are, refused attempts that do not read as decisions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.domain.actor import SETUP_ACTOR, Actor
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories


@pytest.fixture
def window(ctx, walker, qtbot):
    if not walker.db.is_sqlite:
        pytest.skip("the window test runs on the local database")
    ctx.db, ctx.actor = walker.db, SETUP_ACTOR
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10000)
    return w


def opened(window, qtbot, code: str):
    page = window.ensure_project_page()
    with qtbot.waitSignal(page.loaded, timeout=15000):
        window.open_project(code)
    qtbot.waitUntil(lambda: window.ctx.tasks.active == 0, timeout=10000)
    return page


def test_destructive_acts_are_apart_red_and_need_a_tick(window, walker, qtbot) -> None:
    code = walker.to("reviewed")
    page = opened(window, qtbot, code)
    header = [page.next_row.itemAt(i).widget() for i in range(page.next_row.count())]
    danger = [page.danger_row.itemAt(i).widget() for i in range(page.danger_row.count())]
    assert "reject" not in [b.property("key") for b in header]  # never among the everyday buttons
    assert {b.property("key") for b in danger} == {"reject", "withdraw"}
    assert {b.objectName() for b in danger} == {"danger"}
    dialog = page.start_action("reject")
    dialog.inputs["opinion"].setPlainText("不符合集约化建设要求")
    assert not dialog.ok.isEnabled() and not dialog.ok.isDefault() and dialog.cancel.isDefault()
    assert "勾选确认" in dialog.ok.toolTip()
    dialog.confirm.setChecked(True)
    assert dialog.ok.isEnabled() and not dialog.ok.isDefault()
    dialog.reject()
    assert walker.status(code) == "reviewed"


def test_the_order_of_the_buttons_is_the_lifecycles(window, walker, qtbot) -> None:
    from app.services.lifecycle import ACTIONS

    order = list(ACTIONS)
    for state in ("approved", "under_construction"):
        page = opened(window, qtbot, walker.to(state))
        keys = [page.next_row.itemAt(i).widget().property("key") for i in range(page.next_row.count())]
        assert keys == sorted(keys, key=order.index) and keys


def test_defaults_say_what_they_are_and_the_year_is_the_projects(window, walker, qtbot) -> None:
    code = walker.to("in_review", year=2027)
    page = opened(window, qtbot, code)
    review = page.start_action("review")
    policy = review.inputs["policy_ok"]  # 第九条 checks have no default: each must be answered
    assert [policy.itemText(i) for i in range(policy.count())] == ["（请选择）", "是", "否"]
    assert policy.currentData() is None and "请填写" in review.ok.toolTip()
    review.reject()
    walker.advance_to(code, "reviewed")
    walker.plan(code, 2027)
    walker.go(code, "approve")  # today: after the 2027 plan was approved (第六条)
    page = opened(window, qtbot, code)
    budget = page.start_action("budget")
    assert budget.inputs["year"].text() == "2027"  # 预算年度: the project's year, not today's
    budget.reject()
    building = opened(window, qtbot, walker.to("under_construction"))
    change = building.start_action("request-change")
    major = change.inputs["major"]  # a default says what it is, and is chosen
    assert major.currentText() == "是（默认）" and major.currentData() is True
    assert [major.itemText(i) for i in range(major.count())] == ["是（默认）", "否"]
    change.reject()


def test_after_a_refusal_enter_sends_again(window, walker, qtbot) -> None:
    code = walker.to("publicized")
    page = opened(window, qtbot, code)
    dialog = page.start_action("sign-contract")
    dialog.inputs["contract_no"].setText("HT-9")
    dialog.inputs["contractor"].setText("山西示例科技有限公司")
    dialog.inputs["amount"].edit.setText("99999999")  # more than approved: refused by the service
    dialog.inputs["selection_method"].setCurrentIndex(dialog.inputs["selection_method"].findData("公开招标"))
    assert dialog.ok.isEnabled(), dialog.ok.toolTip()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "第" in dialog.message.text(), timeout=10000)
    assert dialog.isVisible() and dialog.ok.isEnabled() and dialog.ok.isDefault() and not dialog.cancel.isDefault()
    dialog.reject()


def test_a_refused_attempt_is_an_attempt_not_a_decision(window, walker, qtbot) -> None:
    from app.errors import GovDataError
    from app.services.audit import record_refusal

    code = walker.to("reviewed")  # not in the annual plan: approval refused (第六、八条)
    try:
        walker.go(code, "approve")
    except GovDataError as exc:
        record_refusal(walker.db, SETUP_ACTOR, exc)  # as the window's boundary does
    else:
        pytest.fail("approval without the annual plan went through")
    page = opened(window, qtbot, code)
    last = page.history.record(page.history.rowCount() - 1)
    assert (last.action, last.outcome) == ("审批立项", "未办成")
    assert last.message.startswith("系统未予办理：") and "年度计划" in last.message
    approval = page.stage_tabs["approval"].records
    assert all(approval.record(r).outcome == "完成" for r in range(approval.rowCount()))
    assert "被拒绝" not in " ".join(page.history.record(r).outcome for r in range(page.history.rowCount()))
    assert page.history.record(0).user == "初始化账户"  # the person's name, not the login name


def test_a_role_without_the_permission_is_told_before_filling_the_form(window, qtbot) -> None:
    window.ctx.actor = Actor("shenji", "auditor", display_name="审计员")
    window.session_started()
    assert not window.new_action.isEnabled() and "无权" in window.new_action.toolTip()
    window.new_project()
    box = window.refused_box
    assert box.isVisible() and box.text() == ("无权登记、修改项目（当前角色：审计管理员）"
                                             "（第四条 分工负责：“登记、修改项目”由主管部门审核员、实施单位填报员办理）")
    assert getattr(window, "new_dialog", None) is None
    box.close()


def test_a_clerk_registers_for_the_own_department_only(window, walker, qtbot) -> None:
    from app.services.master import list_departments

    with walker.db.uow(SETUP_ACTOR, write=False) as uow:
        own = next(d for d in list_departments(uow) if d.name == "沁水县教育局")
    window.ctx.actor = Actor("li", "clerk", department_id=own.id, display_name="李填报")
    window.session_started()
    window.new_project()
    qtbot.waitUntil(lambda: getattr(window, "new_dialog", None) is not None, timeout=10000)
    combo = window.new_dialog.form.department
    assert [combo.itemText(i) for i in range(combo.count())] == ["沁水县教育局"]
    window.new_dialog.reject()

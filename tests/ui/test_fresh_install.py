"""The first day on a fresh PC, as the people meet it: the setup account makes the accounts and signs out to them
without a restart; an empty database's dashboard says there is nothing yet instead of drawing empty axes; the
monitoring names what needs handling; a clerk's new project starts with the clerk's own department; an administrator
on a project page reads why it is empty."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.actor import SETUP_ACTOR, Actor
from app.services import auth, master, setup
from app.ui.mainwindow import SECTIONS, MainWindow
from app.ui.screens import page_factories
from tests.ui.layoutcheck import clipped, identifiers

PASSWORD = "Lz#8vq-Tm2&wK"


def window_as(ctx, db, qtbot, actor, signed_in=True):
    ctx.db, ctx.actor, ctx.signed_in = db, actor, signed_in
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.session_started()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=20000)
    return w


def fresh(db):
    with db.uow(SETUP_ACTOR) as uow:
        setup.initialise(uow)
        uow.commit()


def test_the_setup_account_signs_out_to_the_accounts_it_made(ctx, sqlite_db, qtbot) -> None:
    fresh(sqlite_db)
    w = window_as(ctx, sqlite_db, qtbot, SETUP_ACTOR, signed_in=False)
    assert "退出登录" in w.banner.text()
    assert w.sign_out_action.isEnabled() and not w.lock_action.isEnabled()
    w.sign_out_action.trigger()  # no account yet: signing out would leave nobody to sign in
    qtbot.waitUntil(lambda: "尚未建立账户" in w.statusBar().currentMessage(), timeout=10000)
    assert getattr(w, "session_dialog", None) is None and w.centralWidget().isVisible()
    with sqlite_db.uow(SETUP_ACTOR) as uow:
        auth.add_user(uow, "shenhe", PASSWORD, ["reviewer"], display_name="张审核", must_change=False)
        uow.commit()
    security = w.show_section("security")
    security.account_created.emit("shenhe")  # as 新建账户 says when the account is made
    assert w.banner.text().startswith("账户已建立") and "退出登录" in w.banner.text()
    w.sign_out_action.trigger()
    qtbot.waitUntil(lambda: getattr(w, "session_dialog", None) is not None and w.session_dialog.isVisible(),
                    timeout=10000)
    d = w.session_dialog
    qtbot.keyClicks(d.username, "shenhe")
    qtbot.keyClicks(d.password, PASSWORD)
    qtbot.mouseClick(d.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not d.isVisible(), timeout=20000)
    assert ctx.actor.username == "shenhe" and ctx.signed_in
    assert w.user_label.text() == "用户：张审核" and not w.banner.isVisible()


def test_a_new_password_is_told_its_rules_first(ctx, sqlite_db, qtbot) -> None:
    fresh(sqlite_db)
    with sqlite_db.uow(SETUP_ACTOR) as uow:
        auth.add_user(uow, "shenhe", PASSWORD, ["reviewer"], must_change=True)
        uow.commit()
    ctx.db = sqlite_db
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.ask_sign_in(first=True)
    d = w.session_dialog
    qtbot.keyClicks(d.username, "shenhe")
    qtbot.keyClicks(d.password, PASSWORD)
    qtbot.mouseClick(d.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.rules.isVisible(), timeout=20000)
    assert "至少 8 位" in d.rules.text() and "不能包含用户名" in d.rules.text()
    qtbot.waitUntil(lambda: d.rules.height() >= d.rules.heightForWidth(d.rules.width()), timeout=5000)
    assert clipped(d) == []


def test_an_empty_database_draws_no_empty_charts(ctx, sqlite_db, qtbot) -> None:
    fresh(sqlite_db)
    w = window_as(ctx, sqlite_db, qtbot, Actor("shenhe", "reviewer"))
    page = w.pages["dashboard"]
    qtbot.waitUntil(lambda: page.data is not None, timeout=20000)
    assert page.year_chart is None and page.category_chart is None
    page.lower_tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.chart_area.count() == 1 and page.chart_area.itemAt(0).widget().isVisible(),
                    timeout=5000)
    assert page.chart_area.itemAt(0).widget().text().startswith("尚无项目投资数据")
    assert page.due_title.text() == "待办事项" and page.empty_label.text() == "暂无待办事项"


def test_the_monitoring_names_what_needs_handling(ctx, sqlite_db, qtbot) -> None:
    fresh(sqlite_db)
    w = window_as(ctx, sqlite_db, qtbot, Actor("anquan", "secadmin"))
    page = w.pages["security"]
    with qtbot.waitSignal(page.loaded, timeout=20000):
        w.show_section("security")
    page.tabs.setCurrentIndex(page.tab_keys.index("monitor"))
    text = page.monitor_labels["overall"].text()
    assert text.startswith("有需要处理的事项：") and "尚无备份" in text  # a fresh database has no backup yet


def test_a_clerk_registers_for_the_own_department_at_once(ctx, sqlite_db, qtbot) -> None:
    fresh(sqlite_db)
    with sqlite_db.uow(SETUP_ACTOR) as uow:
        master.add_department(uow, "沁水县教育局")
        police = master.add_department(uow, "沁水县公安局")
        uow.commit()
        pid = police.id if hasattr(police, "id") else next(d.id for d in master.list_departments(uow)
                                                            if d.name == "沁水县公安局")
    w = window_as(ctx, sqlite_db, qtbot, Actor("tianbao", "clerk", department_id=pid))
    w.new_action.trigger()
    qtbot.waitUntil(lambda: getattr(w, "new_dialog", None) is not None and w.new_dialog.isVisible(), timeout=20000)
    form = w.new_dialog.form
    assert form.department.currentText() == "沁水县公安局" and form.department.count() == 1
    form.name.setText("县域数据共享交换平台")
    form.money["total_fen"].edit.setText("1280000")
    form.money["county_fen"].edit.setText("1280000")
    assert w.new_dialog.save.isEnabled(), form.problem_label.text()
    page = w.ensure_project_page()
    w.show_section("settings")  # the person came from elsewhere
    with qtbot.waitSignal(page.loaded, timeout=20000):
        qtbot.mouseClick(w.new_dialog.save, Qt.MouseButton.LeftButton)
    assert w.navigation.currentItem().text() == "项目库"  # where the person is, not the last section
    facts = page.facts
    assert not facts.form.year.isEnabled() and "登记后不能修改" in facts.form.year.toolTip()
    assert not facts.save_button.isEnabled() and facts.save_button.toolTip().startswith("尚未修改")
    facts.form.name.setText("县域数据共享交换平台（一期）")
    assert facts.save_button.isEnabled() and facts.save_button.toolTip() == ""


def test_an_administrator_reads_why_a_project_page_is_empty(ctx, sqlite_db, qtbot) -> None:
    fresh(sqlite_db)
    w = window_as(ctx, sqlite_db, qtbot, Actor("shenji", "auditor"))
    for key, _label in SECTIONS:
        page = w.show_section(key)
        qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=20000)
        if getattr(page, "read_permission", None) == "project.read":
            assert page.denied_note.isVisible(), key
            assert page.denied_note.text().startswith("无权查看项目（当前角色：审计管理员）"), key
            assert not any(t.isEnabled() for t in page.tables), key
            assert clipped(w) == [] and identifiers(w) == [], key
    register = w.show_section("register")
    assert register.totals.text().startswith("无权查看项目")

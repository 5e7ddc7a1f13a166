"""工作台 on the demo database: what a person sees on 2026-11-25, and a double-click opens the project."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.domain.actor import SETUP_ACTOR, Actor
from app.services.reminders import paper_reminders
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories
from tests.ui.layoutcheck import clipped, identifiers


def demo_window(ctx, db, qtbot, actor=SETUP_ACTOR):
    ctx.db, ctx.actor = db, actor
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    page = w.pages["dashboard"]
    page.today = dt.date(2026, 11, 25)
    with qtbot.waitSignal(page.loaded, timeout=20000):
        w.show()  # the shown dashboard loads itself
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=20000)
    return w, page


def cells(page, row: int) -> list[str]:
    m = page.due_model
    return [m.data(m.index(row, c)) for c in range(m.columnCount())]


def test_due_items_overdue_in_red_with_working_days_left(ctx, demo_db, qtbot) -> None:
    _w, page = demo_window(ctx, demo_db, qtbot)
    m = page.due_model
    rows = [cells(page, r) for r in range(m.rowCount())]
    by_code_kind = {(r[3], r[0]): r for r in rows}
    # a contract signed 2026-11-20 must be filed within 5 working days: 2 left on Wednesday the 25th
    assert by_code_kind[("QS-2026-0020", "合同备案")][1:3] == ["剩 2 个工作日", "2026-11-27"]
    # a rectification deadline of 2026-10-01 has passed by 55 days, and its row is painted red
    late = next(r for r in range(m.rowCount()) if cells(page, r)[3] == "QS-2026-0005")
    assert cells(page, late)[:3] == ["限期整改", "已逾期 55 天", "2026-10-01"]
    assert m.data(m.index(late, 0), Qt.ItemDataRole.ForegroundRole).color() == QColor("#b3261e")
    on_time = rows.index(by_code_kind[("QS-2026-0020", "合同备案")])
    assert m.data(m.index(on_time, 0), Qt.ItemDataRole.ForegroundRole) is None
    # every kind the service knows of in the demo appears; overdue ones first, the waiting lists last
    kinds = [r[0] for r in rows]
    assert {"合同备案", "限期整改", "待审核立项", "验收逾期", "公示即将结束", "待审调整申请"} <= set(kinds)
    overdue = [m.record(r).overdue for r in range(m.rowCount())]
    assert overdue == sorted(overdue, reverse=True)
    # three overdue of the lifecycle, and the 等保 of 2025 whose one-year validity has run out (第二十八条)
    assert sum(o for o, k in zip(overdue, kinds, strict=True) if k != "等保/密评") == 3
    assert "等保/密评" in kinds
    assert "QS-2025-0007" not in {r[3] for r in rows}  # terminated: its rectification order ended with it
    assert rows[-1][1] == "" and rows[-1][2] == ""
    assert page.due_title.text().startswith(f"待办事项 {len(rows)} 项，其中逾期 6 项")
    # counts by state on the cards
    assert page.cards["under_construction"].text() == "5" and page.cards["in_operation"].text() == "9"
    assert page.date_label.text() == "今天：2026年11月25日"


def test_charts_from_money_by_year_and_category(ctx, demo_db, qtbot) -> None:
    _w, page = demo_window(ctx, demo_db, qtbot)
    year_series = page.year_chart.chart().series()[0]
    year_axis = page.year_chart.chart().axes(Qt.Orientation.Horizontal)[0]
    assert year_axis.categories() == ["2025", "2026", "2027"]
    values = [year_series.barSets()[0].at(i) for i in range(3)]
    assert values == [page.data.money_by_year[y] / 1_000_000 for y in (2025, 2026, 2027)]
    assert values[1] == 2835.3  # 2026: 2,835.30 万元 of active projects
    cat_axis = page.category_chart.chart().axes(Qt.Orientation.Horizontal)[0]
    assert "应用系统" in cat_axis.categories() and len(cat_axis.categories()) == 7
    assert "2026：2,835.30 万元" in page.year_chart.toolTip()


def test_clicking_an_item_opens_the_project(ctx, demo_db, qtbot) -> None:
    w, page = demo_window(ctx, demo_db, qtbot)
    row = next(r for r in range(page.due_model.rowCount()) if cells(page, r)[0] == "验收逾期")
    code = cells(page, row)[3]
    project = w.ensure_project_page()
    with qtbot.waitSignal(project.loaded, timeout=20000):
        page.due_table.doubleClicked.emit(page.due_model.index(row, 4))
    assert w.stack.currentWidget() is project and project.code == code


def test_a_clerk_sees_only_the_own_department(ctx, demo_db, qtbot) -> None:
    from app.services.master import find_department

    sqlite_db = demo_db
    with sqlite_db.uow(SETUP_ACTOR, write=False) as uow:
        dept = find_department(uow, "沁水县教育局")
    ctx.db, ctx.actor = sqlite_db, Actor("clerk", "clerk", dept.id)
    from app.ui.dashboard import DashboardPage

    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.today = dt.date(2026, 11, 25)
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.reload()
    assert {r.department for r in page.due_rows()} == {"沁水县教育局"}


def test_an_administrator_is_told_plainly_and_nothing_is_refused(ctx, sqlite_db, qtbot) -> None:
    from app.ui.dashboard import DashboardPage

    ctx.db, ctx.actor = sqlite_db, Actor("admin", "sysadmin")
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.reload()
    assert ctx.tasks.active == 0 and page.due_model.rowCount() == 0
    assert "当前角色不查看项目数据" in page.empty_label.text()


def test_reminders_of_the_paper_records_open_their_tab(ctx, demo_db, qtbot) -> None:
    w, page = demo_window(ctx, demo_db, qtbot, Actor("zhangsan", "reviewer"))
    with demo_db.uow(Actor("zhangsan", "reviewer"), write=False) as uow:
        expected = [r for r in paper_reminders(uow, dt.date(2026, 11, 25)) if r.kind != "assessment"]
    assert expected  # the demo has objections, O&M requests, plans without approval…
    m = page.remind_model
    shown = [m.record(r) for r in range(m.rowCount())]
    assert [r.text for r in shown] == [r.text for r in expected]
    assert page.remind_table.isVisible() and page.lower_tabs.tabText(0) == f"提醒 {len(expected)} 项"
    assert "双击" in page.remind_title.text()
    assert all(m.data(m.index(r, 4)) for r in range(m.rowCount())) and shown[0].kind_label
    qtbot.waitUntil(lambda: page.date_label.width() >= page.date_label.sizeHint().width())  # laid out
    w.grab().save("/tmp/govdata_shots/dashboard_reminders.png")
    assert clipped(w) == [] and identifiers(w) == []
    row = next(r for r in range(m.rowCount()) if m.record(r).kind == shown[-1].kind)
    page.remind_table.doubleClicked.emit(m.index(row, 0))
    records = w.pages["records"]
    assert w.current_section() == "records"
    assert records.groups.currentWidget().currentWidget() is records.tabs[shown[-1].kind]


def test_auditor_sees_a_damaged_trail_in_red(ctx, demo_db, qtbot) -> None:
    import sqlite3

    w, page = demo_window(ctx, demo_db, qtbot, Actor("shenji", "auditor"))
    assert page.trail_label.isVisible() and page.trail_label.text().startswith("审计记录完整")
    assert page.trail_label.property("damaged") is False
    assert not page.due_table.isVisible() and not page.lower_tabs.isVisible()  # no project data for the auditor
    con = sqlite3.connect(demo_db.url.removeprefix("sqlite:///"))
    con.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    con.execute("UPDATE audit_log SET user = 'someone' WHERE id = 3")
    con.commit()
    con.close()
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.reload()
    assert page.trail_label.property("damaged") is True
    assert "#3" in page.trail_label.text() and "安全管理" in page.trail_label.text()
    qtbot.waitUntil(lambda: page.trail_label.height() >= page.trail_label.heightForWidth(page.trail_label.width()))
    assert clipped(w) == []
    image = page.trail_label.grab().toImage()
    red = QColor("#b3261e")
    assert any(image.pixelColor(x, image.height() // 2) == red for x in range(image.width()))  # a red frame/text
    w.grab().save("/tmp/govdata_shots/dashboard_auditor_damaged.png")

"""基础数据 and 系统设置 driven like a person: departments with aliases, a contractor whose credit code is checked as
typed, a holiday entered for a year nobody knows yet, number patterns with a live example, indicator weights."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QTableWidgetItem

from app.domain import creditcode
from app.domain.actor import SETUP_ACTOR, Actor
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories


@pytest.fixture
def window(ctx, sqlite_db, qtbot):
    from app.services import master, setup

    with sqlite_db.uow(SETUP_ACTOR) as uow:
        setup.initialise(uow)
        master.add_department(uow, "沁水县公安局", aliases=["沁水公安"])
        uow.commit()
    ctx.db, ctx.actor = sqlite_db, SETUP_ACTOR
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def show(window, qtbot, key: str):
    page = window.pages[key]
    with qtbot.waitSignal(page.loaded, timeout=15000):
        window.show_section(key)
    return page


def read(window, fn):
    with window.ctx.db.uow(SETUP_ACTOR, write=False) as uow:
        return fn(uow)


def test_departments_and_aliases(window, qtbot) -> None:
    page = show(window, qtbot, "master")
    for m in page.models:
        QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Fatal)
    police = [page.models[0].record(r) for r in range(page.models[0].rowCount())
              if page.models[0].record(r).name == "沁水县公安局"]
    assert police[0].aliases == "沁水公安"
    page.dept_name.setText("沁水县教育局")
    page.dept_aliases.setText("教育体育局，教体局")
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(page.add_dept, Qt.MouseButton.LeftButton)
    rows = {page.models[0].record(r).name: page.models[0].record(r) for r in range(page.models[0].rowCount())}
    assert set(rows["沁水县教育局"].aliases.split("、")) == {"教育体育局", "教体局"}
    page.tables[0].selectRow(page.models[0].row_of(rows["沁水县公安局"].id))
    page.dept_aliases.setText("公安")
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(page.alias_button, Qt.MouseButton.LeftButton)
    from app.services.master import find_department

    assert read(window, lambda uow: find_department(uow, "公安")).name == "沁水县公安局"
    window.grab().save("/tmp/govdata_shots/master_departments.png")


def test_contractor_credit_code_checked_as_typed(window, qtbot) -> None:
    page = show(window, qtbot, "master")
    page.tabs.setCurrentIndex(1)
    page.contractor_name.setText("沁水县数字科技发展有限公司")
    good = creditcode.make("91140521MA0K00001")
    qtbot.keyClicks(page.credit_code.edit, good[:-1] + ("0" if good[-1] != "0" else "1"))
    assert page.credit_code.note.text() and not page.add_contractor_button.isEnabled()
    page.credit_code.edit.clear()
    qtbot.keyClicks(page.credit_code.edit, good)
    assert page.credit_code.note.text() == "" and page.add_contractor_button.isEnabled()
    page.county_owned.setChecked(True)
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(page.add_contractor_button, Qt.MouseButton.LeftButton)
    rec = page.models[1].record(0)
    assert (rec.name, rec.credit_code, rec.county_owned) == ("沁水县数字科技发展有限公司", good, True)
    window.grab().save("/tmp/govdata_shots/master_contractors.png")


def test_holiday_override_and_provisional_warning(window, qtbot) -> None:
    page = show(window, qtbot, "master")
    page.tabs.setCurrentIndex(2)
    year = dt.date.today().year
    from app.domain.workdays import year_is_known

    unknown = [y for y in (year, year + 1) if not year_is_known(y)]
    assert all(f"{y}年" in page.provisional.text() for y in unknown) and bool(page.provisional.text()) == bool(unknown)
    day = dt.date(year + 1, 1, 1)
    page.holiday_day.setDate(QDate(day.year, day.month, day.day))
    page.holiday_note.setText("元旦")
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(page.findChild(type(page.add_dept), "addHoliday"), Qt.MouseButton.LeftButton)
    rec = page.models[2].record(0)
    assert (rec.day, rec.kind) == (day, "休息日")
    # one holiday entered does not make the year known (第十五条): only the office's word that its list is complete
    assert (f"{year + 1}年" in page.provisional.text()) == (year + 1 in unknown)
    from app.services.calendar import holiday_overrides

    assert read(window, holiday_overrides) == {day: False}
    window.grab().save("/tmp/govdata_shots/master_holidays.png")


def test_settings_patterns_and_indicator_weights(window, qtbot) -> None:
    page = show(window, qtbot, "settings")
    year = dt.date.today().year
    assert page.examples["pattern.approval"].text() == f"沁审管发〔{year}〕12号"
    assert page.examples["pattern.project"].text() == f"QS-{year}-0012"
    page.edits["doc_prefix"].setText("阳审管发")
    assert page.examples["pattern.approval"].text() == f"阳审管发〔{year}〕12号"
    page.edits["pattern.project"].setText("YC-{year}-{sq}")
    assert page.examples["pattern.project"].objectName() == "error" and not page.save_button.isEnabled()
    page.edits["pattern.project"].setText("YC-{year}-{seq:05d}")
    assert page.examples["pattern.project"].text() == f"YC-{year}-00012" and page.save_button.isEnabled()
    assert page.weight_label.text() == "权重合计 100"
    page.indicators.setItem(0, 3, QTableWidgetItem("5"))
    assert page.weight_label.text() == "权重合计 101（应为100）" and not page.save_button.isEnabled()
    page.indicators.setItem(1, 3, QTableWidgetItem("3"))
    assert page.save_button.isEnabled()
    assert "sqlite" in page.db_label.text() and page.db_url.text().startswith("sqlite:///")
    from app.ui.settingspage import safe_url

    assert safe_url("postgresql+psycopg://gd:s3cret@10.0.0.5:5432/govdata") == \
        "postgresql+psycopg://gd:***@10.0.0.5:5432/govdata"
    window.grab().save("/tmp/govdata_shots/settings.png")
    with qtbot.waitSignal(page.saved, timeout=15000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    from app.services.master import get_settings
    from app.services.plans import list_indicators

    values = read(window, get_settings)
    assert values["doc_prefix"] == "阳审管发" and values["pattern.project"] == "YC-{year}-{seq:05d}"
    weights = [i.weight for i in read(window, list_indicators)]
    assert weights[:2] == [5, 3] and sum(weights) == 100
    assert page.message.text() == "已保存 3 项修改"


def test_settings_are_read_only_for_whoever_may_not_save_them(window, qtbot) -> None:
    from app.domain.actor import Actor

    window.ctx.actor = Actor("wang", "reviewer", display_name="王审核")
    page = show(window, qtbot, "settings")
    assert page.read_only_note.isVisible()
    assert page.read_only_note.text() == "只读：系统设置由系统管理员修改（当前角色：主管部门审核员）。"
    assert not page.save_button.isVisible() and not page.add_indicator.isVisible()
    assert all(edit.isReadOnly() for edit in page.edits.values())
    assert page.indicators.editTriggers() == page.indicators.EditTrigger.NoEditTriggers
    window.ctx.actor = Actor("admin", "sysadmin", display_name="系统管理员")
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.reload()
    assert not page.read_only_note.isVisible() and page.save_button.isVisible()
    assert not any(edit.isReadOnly() for key, edit in page.edits.items())


def test_master_data_is_read_only_for_who_may_not_maintain_it(window, ctx, qtbot) -> None:
    ctx.actor = Actor("anquan", "secadmin")
    page = show(window, qtbot, "master")
    assert page.models[0].rowCount() == 1  # the departments are shown
    assert page.read_only_note.isVisible() and page.read_only_note.text().startswith("只读：无权维护基础数据")
    assert not any(w.isEnabled() for w in page.editors())  # nothing to type before hearing 无权
    assert page.add_dept.toolTip().startswith("无权维护基础数据")
    ctx.actor = SETUP_ACTOR
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.reload()
    assert not page.read_only_note.isVisible() and page.add_dept.isEnabled()
    assert not page.add_contractor_button.isEnabled()
    assert page.add_contractor_button.toolTip() == "填写建设单位全称和统一社会信用代码后可添加"

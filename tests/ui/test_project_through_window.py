"""One project from registration to evaluation, driven through the window by clicks and typing.

Chinese text is entered with setText (qtbot.keyClicks with Chinese aborts on the offscreen platform); digits
and Latin letters are typed with keyClicks. The project is put into the year's annual plan (第六条) on the 年度计划
page, as the bureau does before approval, and opened again from that page's table.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
)

from app.domain import creditcode
from app.domain.actor import SETUP_ACTOR
from app.ui.actiondialog import ActionDialog, ScoresEdit
from app.ui.mainwindow import MainWindow
from app.ui.projectform import NewProjectDialog
from app.ui.screens import page_factories
from app.ui.widgets import CreditCodeEdit, MoneyEdit

YEAR = dt.date.today().year
# the rules judge dates against each other (第九、十一条: the contract after the publicity, which follows the budget
# and the approval): the earlier steps are dated back from today, the contract is signed today
TODAY = dt.date.today()


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


ANSWERS = {"art7_catalogue": True, "art7_sharing": True, "art7_intensive": True, "art7_autonomy": True,
           "policy_ok": True, "interconnect_ok": True, "not_built_before": True, "not_disguised": True}


@pytest.fixture
def window(ctx, sqlite_db, qtbot):
    from app.services import master, setup

    with sqlite_db.uow(SETUP_ACTOR) as uow:
        setup.initialise(uow)
        master.add_department(uow, "沁水县公安局", aliases=["县公安局"])
        master.add_department(uow, "沁水县教育局")
        uow.commit()
    ctx.db, ctx.actor = sqlite_db, SETUP_ACTOR
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    with qtbot.waitSignal(w.pages["register"].rows_shown, timeout=10000):
        ctx.database_opened.emit()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10000)  # the dashboard's load too
    return w


def idle(ctx, qtbot) -> None:
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=15000)


def current_dialog(cls):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]
    assert found, f"no {cls.__name__} open"
    return found[-1]


def fill(dialog: ActionDialog, values: dict, qtbot) -> None:
    for name, value in values.items():
        w = dialog.inputs[name]
        if isinstance(w, MoneyEdit):
            w.edit.clear()
            qtbot.keyClicks(w.edit, value)
        elif isinstance(w, CreditCodeEdit):
            qtbot.keyClicks(w.edit, value)
        elif isinstance(w, QComboBox):
            i = w.findData(value)
            assert i >= 0, (name, value)
            w.setCurrentIndex(i)
        elif isinstance(w, QDateEdit):
            w.setDate(QDate(value.year, value.month, value.day))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(value)
        elif isinstance(w, ScoresEdit):
            w.set_scores(value)
        elif isinstance(w, QLineEdit):
            w.clear()
            if value.isascii():
                qtbot.keyClicks(w, value)
            else:
                w.setText(value)


def act(w: MainWindow, qtbot, key: str, values: dict | None = None, expect: str | None = None) -> None:
    page = w.project_page
    button = page.action_buttons[key]
    assert button.isEnabled(), f"{key}: {page.reason_of(key)}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    if "scores" in page._specs[key].fields:
        qtbot.waitUntil(lambda: getattr(page, "current_dialog", None) is not None
                        and page.current_dialog.spec.key == key, timeout=10000)
    dialog = page.current_dialog
    assert dialog.spec.key == key
    fill(dialog, values or {}, qtbot)
    assert dialog.ok.isEnabled(), dialog.ok.toolTip()
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    idle(w.ctx, qtbot)  # a load queued before the action's may have been the one that signalled
    if expect:
        assert page.bundle.project.status == expect, (key, dialog.message.text())


def test_register_to_evaluation_by_clicks(window, ctx, qtbot) -> None:
    w = window
    # ---- register: Ctrl+N opens the form, which validates as you type
    w.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(isinstance(x, NewProjectDialog) and x.isVisible()
                                for x in QApplication.topLevelWidgets()), timeout=10000)
    dialog = current_dialog(NewProjectDialog)
    form = dialog.form
    form.name.setText("智慧警务数据共享平台")
    form.department.setCurrentText("沁水县公安局")
    form.category.setCurrentText("信息应用系统开发")
    form.year.setValue(YEAR)
    qtbot.keyClicks(form.money["total_fen"].edit, "1,000,000")
    assert form.money["total_fen"].note.text() == "人民币壹佰万元整"
    qtbot.keyClicks(form.money["county_fen"].edit, "600000")
    assert "不一致" in form.problem_label.text() and not dialog.save.isEnabled()
    qtbot.keyClicks(form.money["upper_fen"].edit, "400000.001")
    assert "两位小数" in form.money["upper_fen"].note.text() and not dialog.save.isEnabled()
    qtbot.keyClick(form.money["upper_fen"].edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(form.money["year_request_fen"].edit, "500000")
    assert form.problem() is None and dialog.save.isEnabled()
    with qtbot.waitSignal(w.ensure_project_page().loaded, timeout=15000):
        qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    page = w.project_page
    code = page.code
    assert w.current_section() == "project" and page.bundle.project.status == "draft"
    assert page.bundle.project.total_fen == 100_000_000

    # ---- lifecycle buttons follow the rules; what cannot be done says why beside it, with the article
    assert page.tabs.currentIndex() == 0  # a new project opens on its first tab
    assert not page.action_buttons["submit"].isEnabled()
    assert "第八条" in page.reason_of("submit") and page.stage_tabs["materials"].rows["submit"].note.isVisibleTo(page.stage_tabs["materials"])
    assert "提交申报暂不能办理" in page.blocked.text() and "第八条" in page.blocked.text()  # in the header too
    assert "第九条" in page.reason_of("sign-contract")  # 不得未批先建
    # ---- the four materials as one checklist with their dates
    qtbot.mouseClick(page.action_buttons["add-material"], Qt.MouseButton.LeftButton)
    materials = page.current_dialog
    assert not materials.save.isEnabled() and materials.save.toolTip()
    for kind in ("proposal", "feasibility", "design", "estimate"):
        box = materials.checks[kind]
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        day = ago(90)
        materials.dates[kind].setDate(QDate(day.year, day.month, day.day))
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(materials.save, Qt.MouseButton.LeftButton)
    idle(ctx, qtbot)
    received = [page.materials.record(r) for r in range(page.materials.rowCount())]
    assert [r.received for r in received] == [ago(90).isoformat()] * 4 and all(r.title for r in received)
    act(w, qtbot, "submit", expect="submitted")
    act(w, qtbot, "start-review", {"on": ago(80)}, expect="in_review")
    act(w, qtbot, "review", {"conclusion": "pass", "opinion": "同意建设", "on": ago(70)} | ANSWERS, expect="reviewed")
    assert "第六、八条" in page.reason_of("approve")  # not in the annual plan yet: said, not hidden
    assert "审批立项暂不能办理" in page.blocked.text() and "年度计划" in page.blocked.text()
    # ---- 年度计划: tick the project in 加入年度计划…, then open it again from the plan by a double click
    qtbot.mouseClick(w.navigation.viewport(), Qt.MouseButton.LeftButton,
                     pos=w.navigation.visualItemRect(w.navigation.item(2)).center())
    plans = w.pages["plans"]
    assert w.current_section() == "plans"
    qtbot.waitUntil(lambda: plans.plan is not None and plans.plan.year == YEAR
                    and any(r.code == code for r in plans.plan.candidates), timeout=10000)
    qtbot.mouseClick(plans.addButton, Qt.MouseButton.LeftButton)  # 加入年度计划…
    listing = plans.add_dialog.listing
    item = next(listing.item(i) for i in range(listing.count()) if listing.item(i).data(Qt.ItemDataRole.UserRole) == code)
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center())
    qtbot.keyClick(listing, Qt.Key.Key_Space)
    assert item.checkState() == Qt.CheckState.Checked
    with qtbot.waitSignal(plans.loaded, timeout=15000):
        qtbot.mouseClick(plans.add_dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)
    idle(ctx, qtbot)
    from app.services.plans import add_to_annual_plan  # 县人民政府批准年度计划 (第六条)

    with ctx.db.uow(ctx.actor) as uow:
        add_to_annual_plan(uow, YEAR, [], approved_on=dt.date(YEAR, 1, 1))
        uow.commit()
    table, model = plans.tables[0], plans.models[0]
    row = model.row_of(code)
    assert row >= 0 and "共 1 个项目" in plans.status.text()
    where = table.visualRect(model.index(row, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    idle(ctx, qtbot)
    assert w.current_section() == "project" and page.code == code
    assert page.action_buttons["approve"].isEnabled(), page.reason_of("approve")
    act(w, qtbot, "approve", {"amount": "950000", "on": ago(60)}, expect="approved")
    act(w, qtbot, "budget", {"amount": "600000", "source": "county", "on": ago(50)}, expect="budgeted")
    act(w, qtbot, "budget", {"amount": "350000", "source": "upper", "on": ago(50)}, expect="budgeted")
    act(w, qtbot, "publicize", {"start_on": ago(40), "end_on": ago(30)}, expect="publicized")
    # a refusal stays in the dialog with its article; nothing is written
    assert page.action_buttons["sign-contract"].isEnabled(), page.action_buttons["sign-contract"].toolTip()
    page.action_buttons["sign-contract"].click()
    dialog = page.current_dialog
    fill(dialog, {"contract_no": "HT-001", "contractor": "山西示例科技有限公司", "amount": "2000000",
                  "signed_on": dt.date.today(), "selection_method": "公开招标"}, qtbot)
    fill(dialog, {"credit_code": creditcode.make("91140521MA0K00001")}, qtbot)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "第十四、十七条" in dialog.message.text(), timeout=10000)
    assert dialog.isVisible()
    dialog.inputs["amount"].edit.clear()
    qtbot.keyClicks(dialog.inputs["amount"].edit, "900000")
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert page.bundle.project.status == "under_construction"
    act(w, qtbot, "file-contract")
    act(w, qtbot, "pay", {"amount": "300000", "source": "county"})
    act(w, qtbot, "accept-preliminary", {"passed": True}, expect="preliminarily_accepted")
    assert "第十九条" in page.reason_of("accept-joint")
    act(w, qtbot, "register-catalogue", {"name": "警务数据资源目录", "registered": True})
    act(w, qtbot, "land-data")
    # the autonomy check is judged on the investment estimate (第二十条): the estimate as the import would store it
    from decimal import Decimal

    from app.services.projects import EstimateLine, replace_estimate

    with ctx.db.uow(SETUP_ACTOR) as uow:
        replace_estimate(uow, code, [EstimateLine("一、硬件设备", "国产服务器", Decimal(1), 60_000_000, 60_000_000, True),
                                     EstimateLine("四、其他费用", "集成", Decimal(1), 40_000_000, 40_000_000, False)])
        uow.commit()
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.reload()
    idle(ctx, qtbot)
    act(w, qtbot, "check-autonomy", {"passed": True})
    act(w, qtbot, "accept-joint", {"passed": True}, expect="accepted")
    act(w, qtbot, "operate", expect="in_operation")

    from app.services.plans import list_indicators

    with ctx.db.uow(SETUP_ACTOR, write=False) as uow:
        indicators = list_indicators(uow)
    scores = {i.name: i.weight * 9 / 10 for i in indicators}
    act(w, qtbot, "evaluate", {"year": str(YEAR), "scores": scores}, expect="in_operation")
    history = [page.history.record(r).action for r in range(page.history.rowCount())]
    assert "绩效评价" in history and history.count("登记申请材料") == 4  # one line each, not two
    evaluation_tab = page.stage_tabs["evaluation"]
    assert evaluation_tab.records.rowCount() == 1 and "优" in evaluation_tab.records.record(0).message

    # ---- back in the register, the project is there with its state
    qtbot.mouseClick(page.back, Qt.MouseButton.LeftButton)
    reg = w.pages["register"]
    qtbot.waitUntil(lambda: reg.model.row_of(code) >= 0, timeout=10000)
    row = reg.model.row_of(code)
    assert reg.model.record(row).status_label == "运维中"

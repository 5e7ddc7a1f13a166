"""安全管理 as each administrator sees it: the auditor searches, exports and verifies the trail (a tampered record is
named and selected), the system administrator unlocks and resets accounts, the reviewer keeps the incident register."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from app.domain.actor import SETUP_ACTOR, Actor
from app.services.permissions import DUTY_ROLES, ROLE_PERMISSIONS
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories
from tests.ui.layoutcheck import clipped, identifiers

PASSWORD = "Qs#2026-Audit"


@pytest.fixture
def db(ctx, sqlite_db):
    from app.services import auth, master, setup

    with sqlite_db.uow(SETUP_ACTOR) as uow:
        setup.initialise(uow)
        master.add_department(uow, "沁水县公安局")
        for name in ("zhangsan", "lisi"):
            auth.add_user(uow, name, PASSWORD, ["reviewer"])
        uow.commit()
    with sqlite_db.uow(SETUP_ACTOR) as uow:
        auth.lock_user(uow, "lisi")
        uow.commit()
    return sqlite_db


def page_as(ctx, db, qtbot, actor):
    ctx.db, ctx.actor = db, actor
    window = MainWindow(ctx, page_factories())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    page = window.pages["security"]
    with qtbot.waitSignal(page.loaded, timeout=15000):
        window.show_section("security")
    for m in page.models:
        QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Fatal)
    return window, page


def test_auditor_searches_exports_and_verifies(ctx, db, qtbot, tmp_path) -> None:
    from openpyxl import load_workbook

    window, page = page_as(ctx, db, qtbot, Actor("shenji", "auditor"))
    assert not page.denied["users"].isHidden() and page.denied["audit"].isHidden()
    assert page.denied["monitor"].isHidden()  # the auditor watches the daily monitoring too
    all_rows = page.audit_model.rowCount()
    assert all_rows >= 5 and page.user_model.rowCount() == 0  # no account list for the auditor
    page.f_action.setCurrentIndex(page.f_action.findData("user.lock"))
    assert page.f_action.currentText() == "锁定账户"
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(page.findChild(type(page.verify_button), "findButton"), Qt.MouseButton.LeftButton)
    [row] = [page.audit_model.record(r) for r in range(page.audit_model.rowCount())]
    assert (row.target, row.action, row.user, row.outcome_label) == ("账户 lisi", "锁定账户", "setup", "成功")
    assert row.name == "初始化账户" and "{" not in row.summary
    out = tmp_path / "审计.xlsx"
    with qtbot.waitSignal(page.exported, timeout=15000) as blocker:
        page.export(str(out))
    assert blocker.args == [1]
    ws = load_workbook(out).active
    assert [c.value for c in ws[2]][5] == "user.lock"
    page.f_action.setCurrentIndex(0)
    with qtbot.waitSignal(page.verified, timeout=15000) as blocker:
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].ok and page.verify_label.text().startswith("审计记录完整")
    window.grab().save("/tmp/govdata_shots/security_audit.png")
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.reload()
    refused = [page.audit_model.record(r) for r in range(page.audit_model.rowCount())
               if page.audit_model.record(r).outcome != "ok"]
    assert refused == []  # looking at the page leaves no refusals of other screens in the trail

    path = db.url.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    con.execute("UPDATE audit_log SET user = 'someone' WHERE id = 4")
    con.commit()
    con.close()
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.reload()
    with qtbot.waitSignal(page.verified, timeout=15000) as blocker:
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].first_broken == 4 and "#4" in page.verify_label.text()
    selected = page.audit_table.selectionModel().selectedRows()
    assert page.audit_model.record(selected[0].row()).id == 4
    window.grab().save("/tmp/govdata_shots/security_broken.png")


def test_monitoring_and_accounts_for_the_system_administrator(ctx, db, qtbot) -> None:
    from app.services.auth import sign_in

    window, page = page_as(ctx, db, qtbot, Actor("admin", "sysadmin", roles=("sysadmin", "secadmin")))
    assert not page.denied["audit"].isHidden() and page.audit_model.rowCount() == 0
    assert page.monitor_labels["locked"].text() == "lisi"
    users = {page.user_model.record(r).username: r for r in range(page.user_model.rowCount())}
    assert page.user_model.data(page.user_model.index(users["lisi"], 0), Qt.ItemDataRole.ForegroundRole) is not None
    page.tabs.setCurrentIndex(4)
    window.grab().save("/tmp/govdata_shots/security_users.png")
    page.user_table.selectRow(users["lisi"])
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    lisi = next(page.user_model.record(r) for r in range(page.user_model.rowCount())
                if page.user_model.record(r).username == "lisi")
    assert not lisi.locked
    page.user_table.selectRow(page.user_model.row_of("lisi"))
    with qtbot.waitSignal(page.loaded, timeout=15000):
        password = page.reset_password(confirm=False)
    assert page.password_box.textValue() == password
    assert sign_in(db, "lisi", password).actor.username == "lisi"


def test_incident_register_for_the_reviewer(ctx, db, qtbot) -> None:
    window, page = page_as(ctx, db, qtbot, Actor("zhangsan", "reviewer"))
    assert not page.denied["audit"].isHidden() and not page.denied["monitor"].isHidden()
    assert page.tab_keys[page.tabs.currentIndex()] == "incidents"  # the reviewer's first tab, not a refusal
    page.incident_title.setText("门户网站遭受扫描攻击")
    page.incident_severity.setCurrentText("较大")
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(page.findChild(type(page.verify_button), "addIncident"), Qt.MouseButton.LeftButton)
    rec = page.incident_model.record(0)
    assert (rec.title, rec.severity, rec.closed_on) == ("门户网站遭受扫描攻击", "较大", None)
    window.grab().save("/tmp/govdata_shots/security_incidents.png")


def test_system_administrator_creates_an_account(ctx, db, qtbot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from app.services.auth import sign_in

    window, page = page_as(ctx, db, qtbot, Actor("admin", "sysadmin", roles=("sysadmin",)))
    page.tabs.setCurrentIndex(4)
    qtbot.mouseClick(page.add_user_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(page, "add_user_dialog", None) is not None
                    and page.add_user_dialog.isVisible(), timeout=10000)
    dialog = page.add_user_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.username, "wangwu")
    dialog.display_name.setText("王五")
    dialog.role.setCurrentIndex(dialog.role.findData("clerk"))
    assert not ok.isEnabled() and "所属单位" in ok.toolTip()  # a clerk belongs to a department
    dialog.department.setCurrentIndex(dialog.department.findText("沁水县公安局"))
    assert ok.isEnabled()
    with qtbot.waitSignals([page.loaded, page.account_created], timeout=15000):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(page, "password_box", None) is not None, timeout=10000)
    password = page.password_box.textValue()
    assert "wangwu" in {page.user_model.record(r).username for r in range(page.user_model.rowCount())}
    signed = sign_in(db, "wangwu", password)
    assert signed.actor.role == "clerk" and signed.must_change_password  # the one-time password must be changed


def test_security_administrator_reads_the_duties_table(ctx, db, qtbot) -> None:
    window, page = page_as(ctx, db, qtbot, Actor("anquan", "secadmin"))
    page.tabs.setCurrentIndex(page.tab_keys.index("duties"))
    assert page.denied["duties"].isHidden()
    acts = {page.act_model.record(r).label: page.act_model.record(r) for r in range(page.act_model.rowCount())}
    assert "主管部门领导" in acts["审批立项"].who and "审核员" not in acts["审批立项"].who  # 第四条: review ≠ approve
    perms = page.perm_model
    headers = [perms.headerData(c, Qt.Orientation.Horizontal) for c in range(perms.columnCount())]
    assert headers[0] == "权限" and len(headers) == 1 + len(DUTY_ROLES) and "财务人员" not in headers[0]
    row = next(r for r in range(perms.rowCount()) if perms.record(r).id == "payment")
    marks = {DUTY_ROLES[c - 1]: perms.data(perms.index(row, c)) for c in range(1, perms.columnCount())}
    assert {r for r, m in marks.items() if m} == {r for r in DUTY_ROLES if "payment" in ROLE_PERMISSIONS[r]}
    assert "三员分立" in page.rules_label.text()
    qtbot.waitUntil(lambda: page.rules_label.isVisible())
    assert clipped(window) == [] and identifiers(window) == []
    window.grab().save("/tmp/govdata_shots/security_duties.png")
    page.duty_tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.perm_table.isVisible())
    header = page.perm_table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(perms.columnCount())) <= page.perm_table.viewport().width()
    assert clipped(window) == []
    window.grab().save("/tmp/govdata_shots/security_duties_roles.png")

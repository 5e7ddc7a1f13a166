"""Make the user guide's pictures (docs/img/*.png) from the demo database, as its real accounts see the window.

    python docs/screenshots.py            # writes docs/img
    python docs/screenshots.py OUT_DIR    # elsewhere

The window is drawn offscreen at 1366×768 (maximised: 1366×697 inside the frame) with the fonts shipped in
resources/fonts only: the script runs itself again with a fontconfig that lists no font of the PC (Linux) and
GOVDATA_SYSTEM_FONTS=0. The demo database is built afresh in a temporary folder, so the pictures show the demo's
file name and none of this PC's paths; each screen is taken as the account whose work it is (reviewer, finance,
clerk, the administrators) after a real sign-in.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIENT = (1366, 697)
PASSWORD = "demo-2026"
WINDOWS_PATH = r"C:\Users\科员\AppData\Local\govdata\demo.sqlite3"  # where the demo lives on a Windows PC


def reexec_without_system_fonts(out: Path) -> int:
    """Run this script again where Qt sees only the shipped fonts."""
    with tempfile.TemporaryDirectory(prefix="govdata-shots-") as tmp:
        conf = Path(tmp) / "fonts.conf"
        conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{Path(tmp) / "none"}</dir>'
                        f"<cachedir>{Path(tmp) / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
        screen = Path(tmp) / "screen.json"  # the offscreen platform's screen: an office PC's 1366×768
        screen.write_text('{"screens": [{"name": "office", "x": 0, "y": 0, "width": 1366, "height": 768, '
                          '"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}', encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(conf), "GOVDATA_SYSTEM_FONTS": "0",
               "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "GOVDATA_HOME": str(Path(tmp) / "home"),
               "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "GOVDATA_SHOTS_CHILD": "1",
               "PYTHONPATH": str(ROOT), "TZ": os.environ.get("TZ", "Asia/Shanghai")}
        return subprocess.run([sys.executable, __file__, str(out)], env=env, cwd=ROOT).returncode


def main(out: Path) -> int:  # noqa: PLR0915 - one screen after another, in the guide's order
    from PySide6.QtCore import QDate, QSize, Qt
    from PySide6.QtWidgets import QApplication, QWidget

    from app.domain.actor import SETUP_ACTOR
    from app.services import auth
    from app.services.demo import build_demo
    from app.storage.database import open_database
    from app.storage.paths import data_dir
    from app.ui import app as ui_app
    from app.ui.context import UiContext
    from app.ui.mainwindow import MainWindow
    from app.ui.screens import page_factories

    app = ui_app.make_application([sys.argv[0]])
    out.mkdir(parents=True, exist_ok=True)
    path = data_dir() / "demo.sqlite3"
    db = open_database(path)
    admin_password = build_demo(db, SETUP_ACTOR, password=PASSWORD)["admin_password"]  # never the public one
    made: list[str] = []

    def settle(ctx: UiContext) -> None:
        for _ in range(4000):
            app.processEvents()
            if not ctx.tasks.active:
                break
            QApplication.instance().thread().msleep(5)
        for _ in range(5):
            app.processEvents()

    def shot(widget: QWidget, name: str) -> None:
        app.processEvents()
        image = widget.grab()
        image.save(str(out / f"{name}.png"))
        made.append(name)

    def window_as(username: str) -> tuple[MainWindow, UiContext]:
        ctx = UiContext()
        ui_app.crash_parent_tasks(ctx)
        ctx.db, ctx.signed_in, ctx.demo = db, True, True
        ctx.actor = auth.sign_in(db, username, admin_password if username in ("admin", "security", "auditor")
                                 else PASSWORD).actor
        w = MainWindow(ctx, page_factories())
        w.resize(QSize(*CLIENT))
        w.show()
        w.set_status(ui_app.short_db_name(db) + "（演示数据）", "", db.display_name)
        w.session_started()
        ctx.database_opened.emit()
        settle(ctx)
        return w, ctx

    def section(w: MainWindow, ctx: UiContext, key: str, name: str) -> QWidget:
        page = w.show_section(key)
        settle(ctx)
        settle(ctx)
        shot(w, name)
        return page

    # ---- the reviewer (主管部门审核员): the bureau's daily work
    w, ctx = window_as("reviewer")
    section(w, ctx, "dashboard", "dashboard")
    register = section(w, ctx, "register", "register")
    records = [register.model.record(r) for r in range(register.model.rowCount())]
    w.new_project()
    settle(ctx)
    dialog = w.new_dialog
    form = dialog.form
    form.name.setText("县域数据共享交换平台升级")
    form.department.setCurrentIndex(max(form.department.findText("沁水县公安局"), 0))
    form.money["total_fen"].edit.setText("1280000")
    form.money["county_fen"].edit.setText("1000000")
    form.money["upper_fen"].edit.setText("280000")
    shot(dialog, "new-project")
    dialog.reject()
    page = w.ensure_project_page()
    building = next(r for r in records if r.status == "under_construction")
    w.open_project(building.code)
    settle(ctx)
    shot(w, "project")
    page.tabs.setCurrentWidget(page.stage_tabs["contracts"])
    settle(ctx)
    shot(w, "project-contracts")
    reviewed = next((r for r in records if r.status == "reviewed"), None)
    if reviewed is not None:
        w.open_project(reviewed.code)
        settle(ctx)
        page.tabs.setCurrentWidget(page.stage_tabs["approval"])
        settle(ctx)
        shot(w, "project-approval")
    draft = next(r for r in records if r.status == "draft")
    w.open_project(draft.code)
    settle(ctx)
    materials = page.start_action("add-material")
    settle(ctx)
    shot(materials, "materials-dialog")
    materials.reject()
    w.open_project(building.code)
    settle(ctx)
    page.print_forms()
    settle(ctx)
    page.forms_menu.hide()
    from app.services.forms import build_form
    from app.ui.printing import PrintPreviewDialog

    with db.uow(ctx.actor) as uow:  # not committed: the picture records no print
        printed = build_form(uow, "contract-filing", project_code=building.code)
    preview = PrintPreviewDialog(printed.pdf, printed.title, printed.serial, w, f"{building.code}-{printed.title}")
    preview.show()
    settle(ctx)
    app.processEvents()
    QApplication.instance().thread().msleep(300)  # QPdfView renders in the background
    settle(ctx)
    shot(preview, "print-preview")
    preview.close()
    for key in ("plans", "review", "contracts", "master"):
        section(w, ctx, key, f"section-{key}")
    settings = w.show_section("settings")
    settle(ctx)
    for edit, text in ((settings.db_label, "本机数据库 " + WINDOWS_PATH), (settings.db_url, "sqlite:///" + WINDOWS_PATH)):
        edit.setText(text)  # the demo's file as a Windows PC shows it, not this script's temporary folder
        edit.setCursorPosition(0)
    shot(w, "section-settings-readonly")
    from app.ui.importwizard import ImportWizard

    wizard = ImportWizard(ctx, None, w)
    wizard.show()
    settle(ctx)
    shot(wizard, "import-wizard")
    wizard.close()
    from app.ui.signin import UnlockDialog

    lock = UnlockDialog(ctx, "reviewer", w)
    lock.show()
    settle(ctx)
    shot(lock, "unlock-dialog")
    lock.done(0)
    w.close()

    # ---- finance (财政人员): a payment, the budget's own act
    w, ctx = window_as("finance")
    page = w.ensure_project_page()
    w.open_project(building.code)
    settle(ctx)
    dialog = page.start_action("pay")
    dialog.inputs["amount"].edit.setText("120000")
    dialog.inputs["voucher_no"].setText("PZ2026-0318")
    dialog.inputs["purpose"].setText("合同进度款")
    dialog.inputs["paid_on"].setDate(QDate.currentDate())
    app.processEvents()
    shot(dialog, "action-dialog")
    dialog.reject()
    w.close()

    # ---- a department's clerk (实施单位填报员): its own projects only
    w, ctx = window_as("clerk")
    section(w, ctx, "register", "register-clerk")
    w.close()

    # ---- the three administrators (三员分立)
    w, ctx = window_as("admin")
    settings = w.show_section("settings")
    settle(ctx)
    for edit, text in ((settings.db_label, "本机数据库 " + WINDOWS_PATH), (settings.db_url, "sqlite:///" + WINDOWS_PATH)):
        edit.setText(text)  # the demo's file as a Windows PC shows it, not this script's temporary folder
        edit.setCursorPosition(0)
    shot(w, "section-settings")
    security = w.show_section("security")
    settle(ctx)
    security.tabs.setCurrentIndex(security.tab_keys.index("users"))
    settle(ctx)
    shot(w, "section-security-users")
    security.tabs.setCurrentIndex(security.tab_keys.index("duties"))  # 职责分工 (第四条), the security administrator's
    settle(ctx)
    shot(w, "section-security-duties")
    w.close()
    w, ctx = window_as("auditor")
    section(w, ctx, "security", "section-security")
    w.close()

    # ---- the first run and the sign-in, as a new PC meets them
    from app.ui.firstrun import FirstRunWizard
    from app.ui.signin import SignInDialog

    first = FirstRunWizard()
    first.show()
    app.processEvents()
    shot(first, "firstrun-names")
    first.next()
    first.database.local_note.setText(f"数据保存在 {WINDOWS_PATH.rsplit(chr(92), 1)[0]}")  # as on a Windows PC
    first.database.shared.setChecked(True)
    app.processEvents()
    shot(first, "firstrun-database")
    first.close()
    ctx = UiContext()
    ctx.db = db
    sign_in = SignInDialog(ctx)
    sign_in.username.setText("finance")
    sign_in.show()
    app.processEvents()
    shot(sign_in, "sign-in")
    sign_in.close()
    settle(ctx)
    ctx.tasks.shutdown()
    db.dispose()
    print(f"{len(made)} 张截图：{out}")
    print("、".join(made))
    sys.stdout.flush()
    del Qt
    os._exit(0)  # PySide6's teardown can abort at interpreter exit; the pictures are written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img"
    if os.environ.get("GOVDATA_SHOTS_CHILD") or not sys.platform.startswith("linux"):
        sys.exit(main(target))
    sys.exit(reexec_without_system_fonts(target))

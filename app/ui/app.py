"""Start the desktop program: application object, translations, style, then the window; the database opens
on the worker thread after the first paint (SQLAlchemy's ORM alone takes longer to import than a window to show).
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from app import APP_ID, APP_NAME, __version__
from app.errors import GovDataError
from app.storage.paths import data_dir, resource
from app.ui import collector, crash, remember, style
from app.ui.context import DEMO_DB_NAME, DEMO_PASSWORD, DEMO_USER, UiContext
from app.ui.duetimer import DueRunner
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories
from app.ui.single import (
    ForwardRequests,
    ask_to_come_forward,
    close_with_message,
    come_forward,
    refused_message,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("App", text)


def install_translators(app: QCoreApplication) -> list[QTranslator]:
    """Qt's own Chinese (file and print dialogs, context menus, wizard buttons), the Qt 6 strings it lacks
    (qt_extra_zh_CN: 查找范围, 文件类型) and ours. Qt's catalogue is shipped in resources/translations (a trimmed
    bundle may lack Qt's own folder), Qt's folder is the fallback. Kept on the app so they stay alive."""
    translators = []
    ours = str(resource("translations"))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folders in (("qtbase_zh_CN", (ours, qt_dir)), ("qt_extra_zh_CN", (ours,)), ("govdata_zh_CN", (ours,))):
        for folder in folders:
            t = QTranslator(app)
            if t.load(name, folder):
                app.installTranslator(t)
                translators.append(t)
                break
    app.setProperty("govdata_translators", len(translators))
    return translators


def add_bundled_fonts() -> list[str]:
    """The window's sans face shipped in resources/fonts/ui, registered on every PC (app.ui.style says why)."""
    return style.add_ui_fonts()


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if existing is None:
        if os.environ.get("QT_SCALE_FACTOR_ROUNDING_POLICY"):  # else PassThrough already: Qt 6's default
            QGuiApplication.setHighDpiScaleFactorRoundingPolicy(QtCore.Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    else:
        app = existing  # type: ignore[assignment]
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    icon = resource("icons", "govdata.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    if not app.property("govdata_translators"):
        install_translators(app)
    style.apply(app)
    crash.install()
    collector.install(app)  # cycles collected on the GUI thread only: a Qt object dies on its own thread
    return app


def database_target(ctx: UiContext, db_arg: str | None, demo: bool) -> str | None:
    """What to open: --demo's own file, --db, GOVDATA_DB, the database chosen at first run, else the default."""
    if demo:
        return str(data_dir() / DEMO_DB_NAME)
    if db_arg:
        return db_arg
    if os.environ.get("GOVDATA_DB"):
        return None  # app.storage.database.resolve_url reads it
    chosen = ctx.settings.value("database/url")
    return str(chosen) if chosen else None


def needs_first_run(ctx: UiContext, db_arg: str | None, demo: bool) -> bool:
    if demo or db_arg or os.environ.get("GOVDATA_DB") or ctx.settings.value("database/url"):
        return False
    return not (data_dir() / "govdata.sqlite3").exists()


def open_database_for_window(target: str | None, demo: bool,
                             first_run: dict[str, Any] | None = None) -> tuple[Any, Any, bool]:
    """Runs on the worker: open (create, upgrade) the database, apply first-run choices, fill the demo.

    Returns (database, actor, signed in with an account); actor None means the window asks who signs in.
    """
    from app.domain.actor import SETUP_ACTOR  # on the worker, after the first paint: the ORM
    from app.services import master, setup
    from app.storage.database import open_database

    db = open_database(target)
    actor = SETUP_ACTOR
    if first_run:
        with db.uow(actor) as uow:  # as `govdata init` does: the settings and the default indicator system
            setup.initialise(uow, first_run.get("county") or None)
            for key in ("bureau", "bureau_short", "finance_bureau", "doc_prefix"):
                if first_run.get(key):
                    master.set_setting(uow, key, first_run[key])
            uow.commit()
    if demo:
        from app.services.projects import count_by_status

        with db.uow(actor, write=False) as uow:
            empty = not count_by_status(uow)
        if empty:
            from app.services.demo import build_demo  # only to build it: 30 ms more on every start otherwise

            build_demo(db, actor, password=DEMO_PASSWORD)
    from app.services import auth  # the ORM, after the first paint

    with db.uow(actor, write=False) as uow:
        if not auth.any_accounts(uow):
            return db, actor, False  # the setup account until the first user exists
    user, password = os.environ.get("GOVDATA_USER"), os.environ.get("GOVDATA_PASSWORD")
    if user and password:
        return db, auth.sign_in(db, user, password).actor, True
    if demo:
        return db, demo_sign_in(db), True
    return db, None, True  # the window asks who signs in


def demo_sign_in(db: Any) -> Any:
    """The demonstration database opens signed in as its reviewer, without a password.

    It lives in its own file, holds made-up projects, and its one password is printed on its sign-in dialog, so
    asking for it (and paying the deliberately slow password hash, 0.4 s) protects nothing; the sign-in is still
    recorded. Sign out to try another role. Any other database always asks for the password.
    """
    from app.domain.actor import Actor
    from app.services import auth  # the ORM, after the first paint

    try:
        with db.uow(Actor(DEMO_USER, "reviewer")) as uow:
            user = auth.get_user(uow, DEMO_USER)
            if not user.active or user.locked:
                return None
            uow.audit("sign_in", "user", DEMO_USER, {"reason": "demo database"})
            uow.commit()
    except GovDataError:
        return None  # no such account in this demo file: ask
    return Actor(user.username, user.roles[0], None, user.display_name, user.roles)


def short_db_name(db: Any) -> str:
    """'本机 govdata.sqlite3' or '共享 host:port/name' for the status bar (full text in its tooltip)."""
    if db.is_sqlite:
        return tr("本机 {0}").format(os.path.basename(db.url.split("///", 1)[-1]))
    return tr("共享 {0}").format(db.display_name.split(" ", 1)[-1])


def open_in_background(window: MainWindow, target: str | None, demo: bool,
                       first_run: dict[str, Any] | None = None, typed: bool = False) -> None:
    """Open (create, upgrade) the database on the worker, then tell the screens.

    A shared database named without its password takes the one the keyring remembers, else asks; a password that
    worked (typed now, or in the first-run wizard) is remembered; a remembered one the server refuses is
    forgotten and asked again. A second copy on a database file this PC's other window holds brings that window
    forward and closes."""
    ctx = window.ctx
    typed = typed or bool(first_run and first_run.get("password"))

    def work(task: Any) -> tuple[Any, Any, bool]:
        connect, stored = remember.fill_password(target)
        if remember.needs_password(connect):
            raise PasswordNeeded(target or "")
        try:
            result = open_database_for_window(connect, demo, first_run)
        except GovDataError as exc:
            if stored and remember.is_auth_failure(exc):
                remember.forget_password(connect or "")
                raise PasswordNeeded(target or "", tr("记住的口令已不正确，请重新输入。")) from exc
            if typed and remember.is_auth_failure(exc):
                raise PasswordNeeded(target or "", tr("口令不正确，请重新输入。")) from exc
            raise
        if typed and connect:
            remember.remember_password(connect)
        return result

    def done(result: tuple[Any, Any, bool]) -> None:
        ctx.db, actor, ctx.signed_in = result
        ctx.demo = demo
        window.set_status(short_db_name(ctx.db) + (tr("（演示数据）") if demo else ""), "", ctx.db.display_name)
        watch_for_second_copies(window, ctx.db)
        if actor is None:
            window.ask_sign_in(first=True)
            return
        ctx.actor = actor
        window.session_started()
        ctx.database_opened.emit()

    def failed(exc: BaseException) -> bool:
        window.db_label.setText(tr("数据库未打开"))
        if isinstance(exc, PasswordNeeded):
            ask_password(window, exc.url, exc.reason, demo)
            return True
        from app.storage.guard import InstanceLocked  # loaded already: the worker tried to open the database

        if isinstance(exc, InstanceLocked):
            refuse_second_copy(window, target, exc)
            return True
        return False  # shown as a message (a user's error) or an apology (a bug)

    ctx.tasks.run(work, done, on_error=failed, label=tr("正在打开数据库…"), parent=window)


class PasswordNeeded(GovDataError):
    """The shared database's password is not known yet (nothing remembered, or what was remembered is wrong)."""

    def __init__(self, url: str, reason: str = "") -> None:
        super().__init__(reason or tr("请输入共享数据库的口令"))
        self.url, self.reason = remember.split_password(url)[0], reason  # the address, without any password


def ask_password(window: MainWindow, url: str, reason: str, demo: bool) -> QInputDialog:
    """The shared database's password, asked in the window (never written to a file; the keyring keeps it)."""
    dialog = QInputDialog(window)
    dialog.setObjectName("dbPasswordDialog")
    dialog.setWindowTitle(tr("连接共享数据库"))
    notice = remember.keyring_notice()
    lines = [reason] if reason else []
    lines.append(tr("数据库 {0} 的口令：").format(remember.split_password(url)[0].split("@")[-1]))
    if notice:
        lines.insert(0, notice)
    dialog.setLabelText("\n".join(lines))
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setOkButtonText(tr("连接"))

    def chosen(password: str) -> None:
        if password:
            open_in_background(window, remember.with_password(url, password), demo, typed=True)

    dialog.textValueSelected.connect(chosen)
    dialog.rejected.connect(window.close)
    window.password_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def watch_for_second_copies(window: MainWindow, db: Any) -> None:
    """A local database file: come forward when a second copy on it asks (app.ui.single)."""
    if not db.is_sqlite:
        return
    from app.storage.database import sqlite_path  # loaded already: the database is open

    path = sqlite_path(db.url)
    if path is None:
        return
    window.forward_requests = ForwardRequests(path, window)  # type: ignore[attr-defined]
    window.forward_requests.requested.connect(lambda: come_forward(window))  # type: ignore[attr-defined]


def refuse_second_copy(window: MainWindow, target: str | None, exc: Any) -> None:
    """Another window holds the file: ask it forward (on this PC), say so plainly, close this one."""
    from app.storage.database import resolve_url, sqlite_path  # loaded already: the worker tried to open it

    holder = exc.holder or {}
    same_pc = holder.get("host") in (None, socket.gethostname()) and not exc.stale
    path = sqlite_path(resolve_url(target))
    asked = same_pc and path is not None and ask_to_come_forward(path)
    window.already_open_box = close_with_message(  # type: ignore[attr-defined]
        window, refused_message(holder, same_pc, asked))


def create_window(db_arg: str | None = None, demo: bool = False, *, ask_first_run: bool = True) -> MainWindow | None:
    """The application object and the shown main window (None when the first-run wizard was cancelled)."""
    make_application()
    ctx = UiContext()
    crash_parent_tasks(ctx)
    first_run = None
    if ask_first_run and needs_first_run(ctx, db_arg, demo):
        from app.ui.firstrun import FirstRunWizard  # only on a first run

        wizard = FirstRunWizard()
        if not wizard.exec():
            return None
        first_run = wizard.result_values()
        if first_run.get("url"):
            ctx.settings.setValue("database/url", first_run["url"])

    window = MainWindow(ctx, page_factories())
    runner = DueRunner(ctx, window)  # deadlines act at start and daily (第二十二条); the window owns it
    runner.ran.connect(window.show_due_run)  # and the window says what they did
    window.show()
    target = database_target(ctx, db_arg, demo)
    if first_run and first_run.get("connect_url"):
        target = first_run["connect_url"]
    # after the first paint the shown page is built (queued by the window itself), then its first rows are handed
    # to it; the worker starts after their paint, so its imports compete for the GIL with neither
    def after_first_paint() -> None:
        show_first_rows(window, target, demo)
        QTimer.singleShot(0, window, lambda: open_in_background(window, target, demo, first_run))

    # each timer has the window as its context: a window closed meanwhile takes its timers with it (first_painted
    # is emitted once)
    window.first_painted.connect(lambda: QTimer.singleShot(0, window, after_first_paint))
    return window


def show_first_rows(window: MainWindow, target: str | None, demo: bool) -> bool:
    """The demo database's register, its ids and painted rows read with sqlite3 while the worker imports the ORM.

    Only where the actor is known before the database layer loads: the demonstration database opens signed in as
    its reviewer (unless GOVDATA_USER asks for another account, whose password the worker checks first).
    """
    if not demo or not target or (os.environ.get("GOVDATA_USER") and os.environ.get("GOVDATA_PASSWORD")):
        return False
    register: Any = dict.get(window.pages, "register")  # only when already built (shown), never built for this
    if register is None:
        return False
    from app.services.registerpages import pager_for  # sqlite3 only, demo start only

    pager = pager_for(target, DEMO_USER)
    return pager is not None and register.show_first_rows(pager)


def crash_parent_tasks(ctx: UiContext) -> None:
    ctx.tasks.on_user_error = crash.show_user_error
    ctx.tasks.on_bug = crash.report_bug


def run(db_arg: str | None = None, demo: bool = False) -> int:
    """The no-command path of `govdata` (and govdata-gui): show the window and run until it closes."""
    window = create_window(db_arg, demo)  # makes the application once (style, fonts, translators)
    if window is None:
        return 0
    code = QApplication.exec()
    window.ctx.tasks.shutdown()
    return code

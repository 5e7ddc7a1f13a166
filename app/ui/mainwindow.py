"""The main window: navigation on the left, one page per section, menus, shortcuts and a status bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.services.permissions import can, refusal_message  # no ORM: a table of roles
from app.storage.paths import resource
from app.ui.context import UiContext
from app.ui.screens import install
from app.ui.session import IdleWatcher, any_accounts, idle_minutes, record_sign_out


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


# Nothing here touches the Qt namespace (QtCore.Qt) before the first paint: its first use builds the Python enums of
# all its types, ≈ 17 ms CPU of a start that a bare window does in 120 ms; the pages built after the paint use it.
USER_ROLE = 0x0100  # Qt.ItemDataRole.UserRole
TOOL_BUTTON_TEXT_ONLY = 1  # Qt.ToolButtonStyle.ToolButtonTextOnly, set through the toolbar's property


# (key, label) of each section, in the order of the measure
SECTIONS: tuple[tuple[str, str], ...] = (
    ("dashboard", "工作台"),
    ("register", "项目库"),
    ("plans", "年度计划"),
    ("review", "审核立项"),
    ("budget", "预算与公示"),
    ("contracts", "合同与资金"),
    ("changes", "变更"),
    ("acceptance", "验收"),
    ("om", "运维"),
    ("rectification", "整改"),
    ("evaluation", "绩效评价"),
    ("funds", "资金对照"),
    ("records", "专项记录"),
    ("security", "安全管理"),
    ("master", "基础数据"),
    ("settings", "系统设置"),
)


class PlaceholderPage(QWidget):
    """A section whose screen is not built yet: says so plainly."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        note = QLabel(tr("本栏目的窗口尚未完成；相关操作可在项目页或命令行中办理。"))
        note.setObjectName("hint")
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addStretch(1)


class LazyPages(dict):
    """The section pages, each built when first asked for (`pages[key]`, `pages.get(key)`), so only the shown
    page is built before the first paint; `values()` and `items()` give the pages built so far."""

    def __init__(self, build: Callable[[str], QWidget]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> QWidget:
        return self._build(key)

    def get(self, key: str, default: QWidget | None = None) -> QWidget | None:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default


class MainWindow(QMainWindow):
    first_painted = Signal()
    page_built = Signal(str, QWidget)  # a section's page, when it is built (first shown)
    new_project_requested = Signal()
    find_requested = Signal()
    print_requested = Signal()
    import_requested = Signal()

    def __init__(self, ctx: UiContext, page_factories: dict[str, Callable[[UiContext], QWidget]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._painted = False
        self._pending: int | None = None  # the section shown at start, built right after the first paint
        self.setWindowTitle(APP_NAME)
        icon = resource("icons", "govdata.png")
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self.setMinimumSize(QSize(1000, 600))

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(150)  # its focus policy is Qt's default for a list: StrongFocus
        self.stack = QStackedWidget()
        self._factories = page_factories or {}
        self.pages: dict[str, QWidget] = LazyPages(self._build_page)
        for key, label in SECTIONS:
            item = QListWidgetItem(tr(label))
            item.setData(USER_ROLE, key)
            item.setSizeHint(QSize(140, 34))
            self.navigation.addItem(item)
            self.stack.addWidget(QWidget())  # stands in until the section is first shown
        self.navigation.currentRowChanged.connect(self._show_row)
        self.navigation.itemClicked.connect(lambda _item: self._show_row(self.navigation.currentRow()))
        self.project_page: QWidget | None = None
        self.project_page_factory: Callable[[MainWindow], QWidget] | None = None
        self.on_page_built: Callable[[str, QWidget], None] | None = None  # screens.install wires each new page

        self.banner = QLabel()  # says what holds for the whole window (no accounts yet)
        self.banner.setObjectName("readOnlyNote")
        self.banner.setWordWrap(True)
        self.banner.hide()
        right = QVBoxLayout()
        right.setContentsMargins(12, 8, 12, 4)
        right.setSpacing(6)
        right.addWidget(self.banner)
        right.addWidget(self.stack, 1)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addLayout(right, 1)
        self.setCentralWidget(central)

        self.db_label = QLabel(tr("正在打开数据库…"))
        self.db_label.setProperty("verbatim", True)  # a file or server name, shown as it is
        self.user_label = QLabel("")
        self.statusBar().addPermanentWidget(self.db_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self._build_menus()
        self._build_toolbar()

        self.locked = False
        self._covered_dialogs: list[QDialog] = []
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        self.session_dialog: QWidget | None = None
        self._update_session_actions()
        if page_factories:
            install(self)
        self.restore_layout()
        if self.navigation.currentRow() < 0:
            self.navigation.setCurrentRow(0)

    # ---------------------------------------------------------------- pages built on first use
    def _build_page(self, key: str) -> QWidget:
        keys = [k for k, _ in SECTIONS]
        if key not in keys:
            raise KeyError(key)
        row = keys.index(key)
        factory = self._factories.get(key)
        page = factory(self.ctx) if factory else PlaceholderPage(tr(SECTIONS[row][1]))
        page.setObjectName(f"page_{key}")
        dict.__setitem__(self.pages, key, page)
        stand_in: Any = self.stack.widget(row)
        shown = self.stack.currentIndex() == row
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        if shown:
            self.stack.setCurrentIndex(row)
        if self.on_page_built is not None:
            self.on_page_built(key, page)
        self.page_built.emit(key, page)
        if self.ctx.db is not None and self.ctx.actor is not None:  # built after the database opened: load now
            load = getattr(page, "mark_dirty", None) or getattr(page, "reload", None)
            if load is not None:
                load()
        return page

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(SECTIONS):
            return
        if not self._painted and SECTIONS[row][0] not in dict.keys(self.pages):
            # before the first paint the frame paints first (as a bare window would), the page right after it
            self._pending = row
            self.stack.setCurrentIndex(row)
            return
        self.stack.setCurrentWidget(self.pages[SECTIONS[row][0]])

    def _build_pending(self) -> None:
        row, self._pending = self._pending, None
        if row is not None and self.navigation.currentRow() == row:
            self._show_row(row)

    # ---------------------------------------------------------------- menus and shortcuts
    def _action(self, text: str, slot: Callable[..., object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                name: str = "") -> QAction:
        action = QAction(text, self)  # its shortcut context is Qt's default: the window's
        if shortcut is not None:
            action.setShortcuts([QKeySequence(shortcut)])  # = setShortcut, whose overloads build the Qt namespace
        action.triggered.connect(slot)
        if name:
            action.setObjectName(name)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("文件(&F)"))
        self.new_action = self._action(tr("新建项目(&N)"), self._new_project, QKeySequence.StandardKey.New,
                                       "actionNew")
        self.import_action = self._action(tr("导入Excel(&I)…"), self.import_requested.emit, "Ctrl+I",
                                          "actionImport")
        self.print_action = self._action(tr("打印(&P)…"), self.print_current, QKeySequence.StandardKey.Print,
                                         "actionPrint")
        self.backup_action = self._action(tr("备份数据库(&B)…"), self.backup_database, None, "actionBackup")
        self.quit_action = self._action(tr("退出(&X)"), self.close, "Ctrl+Q", "actionQuit")
        self.lock_action = self._action(tr("锁定(&L)"), self.lock, "Ctrl+L", "actionLock")
        self.sign_out_action = self._action(tr("退出登录(&O)"), self.sign_out, None, "actionSignOut")
        for a in (self.new_action, self.import_action, self.print_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.sign_out_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(tr("编辑(&E)"))
        self.find_action = self._action(tr("查找项目(&F)"), self._find, QKeySequence.StandardKey.Find, "actionFind")
        edit_menu.addAction(self.find_action)

        go_menu = bar.addMenu(tr("转到(&G)"))
        for row, (key, label) in enumerate(SECTIONS):
            shortcut = f"Alt+{row + 1}" if row < 9 else None
            go_menu.addAction(self._action(tr(label), lambda _c=False, r=row: self.navigation.setCurrentRow(r), shortcut,
                                           f"go_{key}"))

        help_menu = bar.addMenu(tr("帮助(&H)"))
        self.guide_action = self._action(tr("用户手册(&U)"), self.show_guide, QKeySequence.StandardKey.HelpContents,
                                         "actionGuide")
        self.about_action = self._action(tr("关于(&A)"), self.show_about, None, "actionAbout")
        help_menu.addAction(self.guide_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        bar = QToolBar(tr("工具栏"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setProperty("toolButtonStyle", TOOL_BUTTON_TEXT_ONLY)
        for a in (self.new_action, self.import_action, self.print_action, self.lock_action, self.sign_out_action):
            a.setIconText(a.text().split("(")[0])  # no mnemonic on a toolbar button
        for a in (self.new_action, self.import_action, self.print_action):
            bar.addAction(a)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding, spacer.sizePolicy().Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.lock_action)
        bar.addAction(self.sign_out_action)
        self.toolbar = bar
        self.addToolBar(bar)

    # ---------------------------------------------------------------- who is signed in
    def setup_session(self) -> bool:
        """Working as the setup account (no account signed in yet, a fresh install)."""
        actor = self.ctx.actor
        return actor is not None and not self.ctx.signed_in and actor.username == "setup"

    def _update_session_actions(self) -> None:
        on = bool(self.ctx.signed_in) and not self.locked
        for a in (self.lock_action, self.sign_out_action):
            a.setEnabled(on)
            a.setToolTip(a.iconText() if on else tr("使用账户登录后才能锁定或退出登录"))
        if self.setup_session():  # the way from the setup account to the accounts just made, without a restart
            self.sign_out_action.setEnabled(True)
            self.sign_out_action.setToolTip(tr("建立账户后，退出初始化账户，用新账户登录"))
        self._update_work_actions()

    def refusal(self, permission: str) -> str | None:
        """Why the signed-in account may not do this (before anyone fills a form); None when it may."""
        actor = self.ctx.actor
        if actor is None:
            return tr("请先登录")
        return None if can(actor, permission) else refusal_message(actor, permission)

    def _update_work_actions(self) -> None:
        """新建项目 and 导入Excel are offered only to whom may do them; the others see why in the tooltip."""
        if self.ctx.actor is None:
            return
        for action, permission in ((self.new_action, "project.register"), (self.import_action, "import"),
                                   (self.print_action, "print"), (self.backup_action, "backup")):
            why = self.refusal(permission)
            action.setEnabled(why is None)
            action.setToolTip(why or action.iconText())

    def _cover(self, covered: bool) -> None:
        """Hide what the window shows while nobody (or a locked session) is at the keyboard: the pages and the
        dialogs open over them (shown again on unlock)."""
        if covered:
            hidden = [d for d in self.findChildren(QDialog) if d.isVisible() and d is not self.session_dialog]
            for d in hidden:
                d.hide()
            self._covered_dialogs = getattr(self, "_covered_dialogs", []) + hidden
        else:
            for d in getattr(self, "_covered_dialogs", []):
                d.show()
            self._covered_dialogs = []
        self.centralWidget().setVisible(not covered)
        self.menuBar().setEnabled(not covered)
        self.toolbar.setEnabled(not covered)

    def session_started(self) -> None:
        """After a sign-in: status bar, actions, and the idle lock with the account policy's minutes."""
        actor = self.ctx.actor
        self.locked = False
        self._cover(False)
        self.user_label.setText(tr("用户：{0}").format(actor.display_name or actor.username))
        setup = actor.username == "setup" and not self.ctx.signed_in
        self.banner.setText(tr("尚未建立账户：现以初始化账户使用，可办理全部事项。请先在“安全管理 → 账户管理”中新建"
                               "系统管理员、安全管理员和审计管理员等账户；建立后点“退出登录”，用新账户登录，以后每次启动都须用账户登录。") if setup else "")
        self.banner.setVisible(setup)
        self._update_session_actions()
        if self.ctx.signed_in:
            self.ctx.read(idle_minutes, lambda m: self.idle.start(int(m) * 60_000) if self.ctx.signed_in else None)

    def account_created(self) -> None:
        """While the setup account works: once an account exists, the banner says how to go on with it."""
        if self.setup_session():
            self.banner.setText(tr("账户已建立。建好系统管理员、安全管理员、审计管理员和各业务人员的账户后，点右上角"
                                   "“退出登录”，用新账户登录；以后每次启动都须用账户登录。"))
            self.banner.show()

    def lock(self) -> None:
        """Ctrl+L, the toolbar, or idle minutes: hide the pages and ask for the password again."""
        if not self.ctx.signed_in or self.locked or self.ctx.actor is None:
            return

        self.locked = True
        self.idle.stop()
        self._cover(True)
        self._update_session_actions()
        record_sign_out(self.ctx, "idle_lock")
        from app.ui.signin import UnlockDialog  # a dialog: loaded when first shown, not at start

        dialog = UnlockDialog(self.ctx, self.ctx.actor.username, self)
        dialog.accepted.connect(self.session_started)
        dialog.finished.connect(lambda code: self.ask_sign_in() if code == 2 else None)
        self.session_dialog = dialog
        dialog.open()

    def sign_out(self) -> None:
        """退出登录: record it, hide everything, and ask who signs in next. The setup account signs out once an
        account exists (else the status bar says to make one first: signing out would leave nobody to sign in)."""
        if self.setup_session():
            def checked(exists: bool) -> None:
                if exists:
                    self.ask_sign_in()
                else:
                    self.statusBar().showMessage(tr("尚未建立账户：请先在“安全管理 → 账户管理”中新建账户，再退出登录、"
                                                    "用新账户登录"), 15000)

            self.ctx.read(any_accounts, checked)
            return
        if not self.ctx.signed_in or self.ctx.actor is None:
            return

        if not self.locked:  # a locked session's sign-out was recorded when it locked
            record_sign_out(self.ctx, "sign_out")
        self.ask_sign_in()

    def ask_sign_in(self, first: bool = False) -> None:
        """The sign-in dialog over a covered window; the pages reload for the account that signs in."""

        self.idle.stop()
        self.ctx.actor = None
        self.locked = False
        self._cover(True)
        for d in self._covered_dialogs:  # what the previous user had open is not handed to the next
            d.reject()
        self._covered_dialogs = []
        self.clear_pages()
        self.user_label.setText(tr("未登录"))
        self._update_session_actions()
        from app.ui.signin import SignInDialog  # a dialog: loaded when first shown, not at start

        dialog = SignInDialog(self.ctx, self)
        self.session_dialog = dialog

        def signed_in() -> None:
            self.ctx.signed_in = True
            self.session_started()
            if not first:
                self.navigation.setCurrentRow(0)
            self.ctx.database_opened.emit()  # every page reloads for this account

        dialog.accepted.connect(signed_in)
        dialog.rejected.connect(self.close)
        dialog.open()

    def clear_pages(self) -> None:
        """Nothing of the previous account stays: cards, charts, rows, search texts, the open project."""
        for page in list(self.pages.values()) + ([self.project_page] if self.project_page is not None else []):
            clear = getattr(page, "clear", None)
            if clear is not None:
                clear()
        if self.project_page is not None and self.stack.currentWidget() is self.project_page:
            self.navigation.setCurrentRow(0)
            self._show_row(0)
        self.statusBar().clearMessage()

    def show_section(self, key: str) -> QWidget:
        keys = [k for k, _ in SECTIONS]
        self.navigation.setCurrentRow(keys.index(key))
        self.stack.setCurrentWidget(self.pages[key])
        return self.pages[key]

    def current_section(self) -> str:
        if self.project_page is not None and self.stack.currentWidget() is self.project_page:
            return "project"
        return SECTIONS[self.navigation.currentRow()][0]

    def _new_project(self) -> None:
        self.new_project_requested.emit()
        if self.project_page_factory is not None:
            self.new_project()

    def open_project(self, code: str) -> None:
        """Show one project's page (from the register, the dashboard, a search)."""
        page = self.ensure_project_page()
        if page is None:
            return
        page.open(code)
        self.stack.setCurrentWidget(page)
        self.navigation.blockSignals(True)  # a project belongs to 项目库: the list says where the person is
        self.navigation.setCurrentRow([k for k, _ in SECTIONS].index("register"))
        self.navigation.blockSignals(False)

    def ensure_project_page(self) -> Any:
        if self.project_page is None and self.project_page_factory is not None:
            self.project_page = self.project_page_factory(self)
        return self.project_page

    def new_project(self) -> None:
        """Ctrl+N: the registration form (departments come from the master-data service). Whoever may not
        register projects is told so at once, before filling anything in."""
        if self.ctx.db is None:
            return
        why = self.refusal("project.register")
        if why is not None:
            box = QMessageBox(QMessageBox.Icon.Information, tr("不能登记项目"), why, parent=self)
            box.setObjectName("refusedBox")
            self.refused_box = box
            box.open()
            return
        from app.services.master import list_departments  # the ORM: never on the start path
        from app.ui.projectform import NewProjectDialog  # built when asked for

        actor = self.ctx.actor

        def show(departments: list) -> None:
            own = None if can(actor, "project.read_all") else actor.department_id  # a clerk: own department
            names = [d.name for d in departments if d.active and (own is None or d.id == own)]
            dialog = NewProjectDialog(self.ctx, names, self)
            if own is not None and len(names) == 1:  # a clerk registers for the own department only: filled in
                box = dialog.form.department
                box.setEditable(False)
                box.setCurrentIndex(0)
                box.setToolTip(tr("实施单位填报员登记本单位的项目"))
            dialog.project_registered.connect(self.open_project)
            self.new_dialog = dialog
            dialog.open()

        self.ctx.read(list_departments, show)

    def print_current(self) -> None:
        """Ctrl+P: print what the current page shows (the ledger, a project's forms)."""
        page = self.stack.currentWidget()
        for name in ("print_forms", "print_ledger"):
            fn = getattr(page, name, None)
            if fn is not None:
                fn()
                return
        self.print_requested.emit()

    def backup_database(self) -> Any:
        """文件 → 备份数据库 (whoever may back up: the system administrator): the same service as `govdata backup`."""
        why = self.refusal("backup")
        if why is not None:
            box = QMessageBox(QMessageBox.Icon.Warning, tr("无法备份"), why, QMessageBox.StandardButton.Ok, self)
            box.setObjectName("refusedBox")
            self.refused_box = box
            box.open()
            return None
        from app.ui.backupdialog import BackupFlow  # built when first asked for (the start path stays light)

        self.backup_flow = BackupFlow(self.ctx, self)
        self.backup_flow.start()
        return self.backup_flow

    def _find(self) -> None:
        self.show_section("register")
        self.find_requested.emit()

    def show_guide(self) -> QWidget:
        """F1 / 帮助 → 用户手册: the user guide shipped with the program, shown offline in the window."""
        from app.ui.guide import GuideWindow  # built when first asked for

        if getattr(self, "guide", None) is None:
            self.guide = GuideWindow(self)
        self.guide.show()
        self.guide.raise_()
        return self.guide

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle(tr("关于"))
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setText(f"<b>{APP_NAME}</b><br>{tr('版本')} {__version__}")
        box.setInformativeText(tr("依据《政务大数据项目建设应用管理办法》（沁政办发〔2020〕42号），"
                                  "管理政务大数据项目从规划、审核立项到验收、运维和绩效评价的全过程。"))
        box.open()
        return box

    def show_due_run(self, run: Any) -> None:
        """What the deadlines did by themselves (app.services.deadlines.run_due): in the status bar, and a message
        when a suspension the rules refused needs a person."""
        if run.suspended:
            codes = "、".join(s.code for s in run.suspended)
            self.statusBar().showMessage(tr("整改期限已过：已自动暂停拨付 {0} 个项目的资金（{1}），并生成暂停拨付通知（第二十二条）")
                                         .format(len(run.suspended), codes), 60000)
        if run.failed:
            box = QMessageBox(QMessageBox.Icon.Warning, tr("到期事项需要处理"),
                              tr("以下项目整改期限已过，但未能自动暂停拨付资金，请核实后办理：") + "\n"
                              + "\n".join(f"{code}：{why}" for code, why in run.failed), parent=self)
            box.setObjectName("dueFailedBox")
            self.due_box = box
            box.open()

    # ---------------------------------------------------------------- status
    def set_status(self, db_name: str, user: str, detail: str = "") -> None:
        self.db_label.setText(tr("数据库：{0}").format(db_name))
        self.db_label.setToolTip(detail or db_name)
        self.user_label.setText(tr("用户：{0}").format(user))

    # ---------------------------------------------------------------- layout remembered
    def restore_layout(self) -> None:
        s = self.ctx.settings
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 720)  # fits a 1366×768 screen with the taskbar
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        row = s.value("window/section")
        if row is not None and 0 <= int(row) < len(SECTIONS):
            self.navigation.setCurrentRow(int(row))

    def save_layout(self) -> None:
        s = self.ctx.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/section", self.navigation.currentRow())
        for page in self.pages.values():
            save = getattr(page, "save_layout", None)
            if save is not None:
                save(s)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.idle.stop()
        if self.ctx.signed_in and self.ctx.actor is not None and not self.locked:
            record_sign_out(self.ctx, "window_closed")
            self.ctx.signed_in = False
        super().closeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._build_pending)  # before whatever first_painted's receivers queue after it
            self.first_painted.emit()

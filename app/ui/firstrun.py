"""The first-run wizard: county and bureau names, then where the database lives (this PC or shared PostgreSQL).

Every page says, under its fields, what keeps 下一步 or 完成 from being pressed (and the button's tooltip says the
same), so nobody meets a disabled button without a reason. The defaults (沁水县 and its bureaus) are complete
as they stand: a fresh install passes with 下一步, 完成.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.vocabulary import DEFAULT_SETTINGS
from app.storage.paths import data_dir
from app.ui.widgets import fit_dialog


def tr(text: str) -> str:
    return QCoreApplication.translate("FirstRunWizard", text)


CONTROL = {chr(c) for c in range(32)} | {"\x7f"}


def text_problem(label: str, text: str, max_len: int = 100) -> str | None:
    """What is wrong with a name typed here, in Chinese; None when it may be used."""
    text = text.strip()
    if not text:
        return tr("请填写{0}").format(label)
    if len(text) > max_len:
        return tr("{0}不能超过{1}个字").format(label, max_len)
    if CONTROL & set(text):
        return tr("{0}含有不可见的控制字符").format(label)
    return None


class ReasonPage(QWizardPage):
    """A page whose incompleteness is said in words (label under the fields, tooltip of the wizard's button)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.completeChanged.connect(self._show_reason)

    def problem(self) -> str | None:
        return None

    def isComplete(self) -> bool:
        return self.problem() is None

    def _show_reason(self) -> None:
        problem = self.problem()
        self.reason.setText(problem or "")
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton):
                button: QAbstractButton | None = wizard.button(which)
                if button is not None:
                    button.setToolTip(problem or "")

    def initializePage(self) -> None:
        self._show_reason()


class NamesPage(ReasonPage):
    FIELDS = (("county", "县（区）名称"), ("bureau", "主管部门全称"), ("bureau_short", "主管部门简称"),
              ("finance_bureau", "财政部门"), ("doc_prefix", "发文字号前缀"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(tr("本县和主管部门"))
        self.setSubTitle(tr("这些名称印在表单和通知书上，以后可在“系统设置”中修改。"))
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name, label in self.FIELDS:
            edit = QLineEdit(DEFAULT_SETTINGS[name])
            edit.setObjectName(name)
            edit.textChanged.connect(self.completeChanged)
            self.edits[name] = edit
            form.addRow(tr(label), edit)
        self.county, self.bureau, self.bureau_short = self.edits["county"], self.edits["bureau"], self.edits["bureau_short"]
        self.finance, self.prefix = self.edits["finance_bureau"], self.edits["doc_prefix"]
        self.county.textEdited.connect(self._county_renamed)
        self.following = {"bureau": True, "finance_bureau": True}
        self.bureau.textEdited.connect(self._bureau_typed)
        self.finance.textEdited.connect(self._finance_typed)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.reason)
        layout.addStretch(1)

    def _bureau_typed(self, _text: str) -> None:
        self.following["bureau"] = False

    def _finance_typed(self, _text: str) -> None:
        self.following["finance_bureau"] = False

    def _county_renamed(self, text: str) -> None:
        """The bureaus' names follow the county until someone types in them."""
        text = text.strip()
        if not text:
            return
        for key in ("bureau", "finance_bureau"):
            if self.following[key]:
                self.edits[key].setText(DEFAULT_SETTINGS[key].replace(DEFAULT_SETTINGS["county"], text))

    def problem(self) -> str | None:
        for name, label in self.FIELDS:
            problem = text_problem(tr(label), self.edits[name].text(), 20 if name == "doc_prefix" else 100)
            if problem:
                return problem
        return None


class DatabasePage(ReasonPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(tr("数据存放位置"))
        self.setSubTitle(tr("只有一台电脑使用时选“本机”；多个科室同时使用时，连接同一台 PostgreSQL 服务器。"))
        layout = QVBoxLayout(self)
        self.local = QRadioButton(tr("本机"))
        self.local.setObjectName("local")
        self.local_note = QLabel(tr("数据保存在 {0}").format(data_dir()))
        self.local_note.setObjectName("hint")
        self.local_note.setWordWrap(True)
        self.local_note.setProperty("verbatim", True)  # a folder's name, shown as it is
        self.shared = QRadioButton(tr("共享数据库服务器（PostgreSQL）"))
        self.shared.setObjectName("shared")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.shared)
        self.local.setChecked(True)
        layout.addWidget(self.local)
        layout.addWidget(self.local_note)
        layout.addWidget(self.shared)
        self.server = QWidget()
        form = QFormLayout(self.server)
        self.host = QLineEdit("127.0.0.1")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.dbname = QLineEdit("govdata")
        self.user = QLineEdit("govdata")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for label, w, name in ((tr("服务器地址"), self.host, "host"), (tr("端口"), self.port, "port"),
                               (tr("数据库名"), self.dbname, "dbname"), (tr("用户名"), self.user, "user"),
                               (tr("口令"), self.password, "password")):
            w.setObjectName(name)
            w.setProperty("verbatim", True)  # server names and accounts are typed as they are
            form.addRow(label, w)
        layout.addWidget(self.server)
        self.note = QLabel(tr("口令保存在本机的系统密钥环中（没有密钥环时每次启动询问），不写入任何文件。"))
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        layout.addWidget(self.reason)
        layout.addStretch(1)
        self.shared.toggled.connect(self._toggled)
        for w in (self.host, self.dbname, self.user):
            w.textChanged.connect(self.completeChanged)
        self._toggled(False)

    def _toggled(self, shared: bool) -> None:
        self.server.setEnabled(shared)
        self.note.setVisible(shared)
        self.completeChanged.emit()
        wizard = self.wizard()
        if wizard is not None and wizard.isVisible():
            fit_dialog(wizard, wizard.width(), wizard.height())  # the note: never squeeze the fields

    def problem(self) -> str | None:
        if not self.shared.isChecked():
            return None
        for label, edit in ((tr("服务器地址"), self.host), (tr("数据库名"), self.dbname), (tr("用户名"), self.user)):
            if not edit.text().strip():
                return tr("连接共享数据库须填写{0}").format(label)
        return None

    def url(self, with_password: bool) -> str:
        """'' for this PC (the default SQLite file); a PostgreSQL URL otherwise."""
        if not self.shared.isChecked():
            return ""
        auth = quote(self.user.text().strip(), safe="")
        if with_password and self.password.text():
            auth += ":" + quote(self.password.text(), safe="")
        return (f"postgresql+psycopg://{auth}@{self.host.text().strip()}:{self.port.value()}/"
                f"{quote(self.dbname.text().strip(), safe='')}")


class FirstRunWizard(QWizard):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(tr("首次使用设置"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.names = NamesPage()
        self.database = DatabasePage()
        self.addPage(self.names)
        self.addPage(self.database)
        self.currentIdChanged.connect(self._page_shown)
        fit_dialog(self, 700, 500)

    def _page_shown(self, _id: int) -> None:
        page = self.currentPage()
        if page is not None:
            page.completeChanged.emit()  # the new page's reason on the buttons

    def result_values(self) -> dict[str, Any]:
        n = self.names
        return {
            "county": n.county.text().strip(),
            "bureau": n.bureau.text().strip(),
            "bureau_short": n.bureau_short.text().strip(),
            "finance_bureau": n.finance.text().strip(),
            "doc_prefix": n.prefix.text().strip(),
            "url": self.database.url(with_password=False),  # remembered
            "password": self.database.password.text() if self.database.shared.isChecked() else "",
            "connect_url": self.database.url(with_password=True),  # this session only
        }

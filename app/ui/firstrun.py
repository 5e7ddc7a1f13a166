"""The first-run wizard: county and bureau names, then where the database lives (this PC or shared PostgreSQL)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
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


def tr(text: str) -> str:
    return QCoreApplication.translate("FirstRunWizard", text)


class NamesPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(tr("本县和主管部门"))
        self.setSubTitle(tr("这些名称印在表单和通知书上，以后可在“系统设置”中修改。"))
        form = QFormLayout(self)
        self.county = QLineEdit(DEFAULT_SETTINGS["county"])
        self.bureau = QLineEdit(DEFAULT_SETTINGS["bureau"])
        self.bureau_short = QLineEdit(DEFAULT_SETTINGS["bureau_short"])
        self.finance = QLineEdit(DEFAULT_SETTINGS["finance_bureau"])
        self.prefix = QLineEdit(DEFAULT_SETTINGS["doc_prefix"])
        self.county.textEdited.connect(self._county_renamed)
        for label, edit, name in ((tr("县（区）名称"), self.county, "county"),
                                  (tr("主管部门全称"), self.bureau, "bureau"),
                                  (tr("主管部门简称"), self.bureau_short, "bureau_short"),
                                  (tr("财政部门"), self.finance, "finance_bureau"),
                                  (tr("发文字号前缀"), self.prefix, "doc_prefix")):
            edit.setObjectName(name)
            form.addRow(label, edit)
        self.registerField("county*", self.county)

    def _county_renamed(self, text: str) -> None:
        old = DEFAULT_SETTINGS["county"]
        if text:
            self.bureau.setText(DEFAULT_SETTINGS["bureau"].replace(old, text))
            self.finance.setText(DEFAULT_SETTINGS["finance_bureau"].replace(old, text))


class DatabasePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(tr("数据存放位置"))
        self.setSubTitle(tr("只有一台电脑使用时选“本机”；多个科室同时使用时，连接同一台 PostgreSQL 服务器。"))
        layout = QVBoxLayout(self)
        self.local = QRadioButton(tr("本机（数据保存在 {0}）").format(data_dir()))
        self.local.setObjectName("local")
        self.shared = QRadioButton(tr("共享数据库服务器（PostgreSQL）"))
        self.shared.setObjectName("shared")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.shared)
        self.local.setChecked(True)
        layout.addWidget(self.local)
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
            form.addRow(label, w)
        layout.addWidget(self.server)
        self.note = QLabel(tr("口令只用于本次连接，不写入任何文件。"))
        self.note.setObjectName("hint")
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.shared.toggled.connect(self._toggled)
        for w in (self.host, self.dbname, self.user):
            w.textChanged.connect(self.completeChanged)
        self._toggled(False)

    def _toggled(self, shared: bool) -> None:
        self.server.setEnabled(shared)
        self.note.setVisible(shared)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if not self.shared.isChecked():
            return True
        return all(w.text().strip() for w in (self.host, self.dbname, self.user))

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
        self.names = NamesPage()
        self.database = DatabasePage()
        self.addPage(self.names)
        self.addPage(self.database)
        self.resize(640, 420)

    def result_values(self) -> dict[str, Any]:
        n = self.names
        return {
            "county": n.county.text().strip(),
            "bureau": n.bureau.text().strip(),
            "bureau_short": n.bureau_short.text().strip(),
            "finance_bureau": n.finance.text().strip(),
            "doc_prefix": n.prefix.text().strip(),
            "url": self.database.url(with_password=False),  # remembered
            "connect_url": self.database.url(with_password=True),  # this session only
        }

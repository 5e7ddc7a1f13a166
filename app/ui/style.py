"""One calm style for every window: the UI face, sizes for a 1366×768 office screen, a single QSS.

The window's face is a sans: the PC's own (Microsoft YaHei on Windows, the Noto / Source Han / WenQuanYi sans on
UOS and Kylin) or, on a PC without one, the Noto Sans CJK SC subset shipped in resources/fonts/ui (SIL OFL 1.1,
registered at start, 5 ms). The Song faces are for paper only. GOVDATA_SYSTEM_FONTS=0 leaves the PC's faces out,
as on a bare PC (screenshots and the layout test use it).
"""

from __future__ import annotations

import os

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.storage.paths import resource

# The PC's sans faces, preferred in this order when present (Windows, macOS, 统信UOS/Kylin, Debian).
SYSTEM_UI_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
                   "Source Han Sans CN", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
BUNDLED_UI_FAMILY = "Noto Sans CJK SC"  # resources/fonts/ui/*.otf (Regular and Bold)
UI_FONTS = SYSTEM_UI_FONTS  # kept for callers that list the faces
POINT_SIZE = 10  # ≈ 13 px at 96 dpi: 30+ table rows fit on a 768-pixel screen

ACCENT = "#1f5fa8"  # government blue
DANGER = "#b3261e"


def system_fonts_allowed() -> bool:
    return os.environ.get("GOVDATA_SYSTEM_FONTS") != "0"


def _icon(name: str) -> str:
    return resource("icons", name).as_posix()


def qss() -> str:
    down, up = _icon("arrow-down.svg"), _icon("arrow-up.svg")
    down_off, up_off = _icon("arrow-down-disabled.svg"), _icon("arrow-up-disabled.svg")
    return f"""
QMainWindow, QDialog, QWizard {{ background: #f5f6f8; }}
QListWidget#navigation {{
    background: #23344d; color: #e8edf3; border: none; outline: none; padding-top: 6px;
}}
QListWidget#navigation::item {{ padding: 7px 14px; border-left: 3px solid transparent; }}
QListWidget#navigation::item:selected {{ background: #2f4a6e; color: white; border-left: 3px solid #6fa8ff; }}
QListWidget#navigation::item:hover:!selected {{ background: #2a3f5d; }}
QLabel#pageTitle {{ font-size: 15pt; font-weight: bold; color: #1d2b3a; padding: 2px 0 6px 0; }}
QLabel#sectionTitle {{ font-weight: bold; color: #1d2b3a; padding: 6px 0 2px 0; }}
QLabel#hint {{ color: #5d6977; }}
QLabel#error, QLabel#reason {{ color: {DANGER}; }}
QLabel#capital {{ color: #1d5c2e; }}
QLabel#totals {{ color: #1d2b3a; padding: 2px 4px; }}
QLabel#statusBadge {{
    background: #e3edf9; color: #14406f; border: 1px solid #b9cfe9; border-radius: 3px; padding: 2px 8px;
}}
QLabel#readOnlyNote {{
    background: #fff8e1; color: #5c4400; border: 1px solid #ecd68f; border-radius: 3px; padding: 4px 8px;
}}
QTableView, QListView, QListWidget, QTreeView {{
    background: white; alternate-background-color: #f3f6fa; gridline-color: #e1e5ea;
    selection-background-color: #cfe0f5; selection-color: #10202f; border: 1px solid #d5dae0;
}}
QHeaderView::section {{
    background: #e9edf2; color: #1d2b3a; padding: 4px 6px; border: none;
    border-right: 1px solid #d5dae0; border-bottom: 1px solid #d5dae0;
}}
QPushButton, QToolButton#columnsButton {{
    padding: 4px 14px; border: 1px solid #b8c2ce; border-radius: 3px; background: white; min-height: 20px;
    color: #1d2b3a;
}}
QToolButton#columnsButton {{ padding-right: 20px; }}
QToolButton#columnsButton::menu-indicator {{ image: url("{down}"); subcontrol-position: right center; right: 6px; }}
QPushButton:hover, QToolButton#columnsButton:hover {{ border-color: {ACCENT}; }}
QPushButton:default, QPushButton#primary {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton#danger {{ color: {DANGER}; border-color: #d9a19c; }}
QPushButton#danger:hover {{ border-color: {DANGER}; }}
QPushButton:disabled, QPushButton#primary:disabled, QPushButton#danger:disabled {{
    color: #8a949f; background: #eef0f3; border-color: #d5dae0;
}}
QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox, QDateEdit, QPlainTextEdit, QTextEdit {{
    padding: 3px 5px; border: 1px solid #b8c2ce; border-radius: 3px; background: white; color: #10202f;
    selection-background-color: #cfe0f5; selection-color: #10202f;
}}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDoubleSpinBox:focus, QDateEdit:focus, QPlainTextEdit:focus {{
    border-color: {ACCENT};
}}
QLineEdit:read-only, QPlainTextEdit[readOnly="true"] {{ background: #f3f5f8; color: #1d2b3a; }}
QLineEdit:disabled, QComboBox:disabled, QSpinBox:disabled, QDoubleSpinBox:disabled, QDateEdit:disabled,
QPlainTextEdit:disabled {{ background: #f0f2f5; color: #6b7785; }}
QLineEdit[invalid="true"] {{ border-color: {DANGER}; background: #fff5f4; }}
QComboBox {{ padding-right: 22px; }}
QComboBox::drop-down, QDateEdit::drop-down {{
    subcontrol-origin: padding; subcontrol-position: center right; width: 20px; border: none;
}}
QComboBox::down-arrow, QDateEdit::down-arrow {{ image: url("{down}"); width: 10px; height: 6px; }}
QComboBox::down-arrow:disabled, QDateEdit::down-arrow:disabled {{ image: url("{down_off}"); }}
QComboBox QAbstractItemView {{
    background: white; color: #10202f; border: 1px solid #b8c2ce; outline: none;
    selection-background-color: #cfe0f5; selection-color: #10202f;
}}
QComboBox QAbstractItemView::item {{ min-height: 24px; padding: 0 6px; color: #10202f; }}
QComboBox QAbstractItemView::item:selected, QComboBox QAbstractItemView::item:hover {{
    background: #cfe0f5; color: #10202f;
}}
QSpinBox, QDoubleSpinBox, QDateEdit {{ padding-right: 20px; }}
QSpinBox::up-button, QDoubleSpinBox::up-button, QDateEdit::up-button {{
    subcontrol-origin: border; subcontrol-position: top right; width: 18px; border: none;
    border-left: 1px solid #d5dae0; border-bottom: 1px solid #e1e5ea; background: #f3f5f8;
    border-top-right-radius: 3px;
}}
QSpinBox::down-button, QDoubleSpinBox::down-button, QDateEdit::down-button {{
    subcontrol-origin: border; subcontrol-position: bottom right; width: 18px; border: none;
    border-left: 1px solid #d5dae0; background: #f3f5f8; border-bottom-right-radius: 3px;
}}
QSpinBox::up-button:hover, QDoubleSpinBox::up-button:hover, QDateEdit::up-button:hover,
QSpinBox::down-button:hover, QDoubleSpinBox::down-button:hover, QDateEdit::down-button:hover {{ background: #e3edf9; }}
QSpinBox::up-arrow, QDoubleSpinBox::up-arrow, QDateEdit::up-arrow {{ image: url("{up}"); width: 10px; height: 6px; }}
QSpinBox::down-arrow, QDoubleSpinBox::down-arrow, QDateEdit::down-arrow {{
    image: url("{down}"); width: 10px; height: 6px;
}}
QSpinBox::up-arrow:disabled, QDoubleSpinBox::up-arrow:disabled, QDateEdit::up-arrow:disabled,
QSpinBox::up-arrow:off, QDoubleSpinBox::up-arrow:off {{ image: url("{up_off}"); }}
QSpinBox::down-arrow:disabled, QDoubleSpinBox::down-arrow:disabled, QDateEdit::down-arrow:disabled,
QSpinBox::down-arrow:off, QDoubleSpinBox::down-arrow:off {{ image: url("{down_off}"); }}
QGroupBox {{ border: 1px solid #d5dae0; border-radius: 4px; margin-top: 14px; padding-top: 8px; background: white; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; color: #1d2b3a; font-weight: bold; }}
QTabWidget::pane {{ border: 1px solid #d5dae0; background: white; }}
QTabBar::tab {{ padding: 5px 12px; background: #e9edf2; border: 1px solid #d5dae0; border-bottom: none; color: #1d2b3a; }}
QTabBar::tab:selected {{ background: white; }}
QFrame#card {{ background: white; border: 1px solid #d5dae0; border-radius: 4px; }}
QLabel#cardNumber {{ font-size: 18pt; font-weight: bold; color: {ACCENT}; }}
QStatusBar {{ background: #e9edf2; color: #1d2b3a; }}
QMenu {{ background: white; color: #10202f; border: 1px solid #b8c2ce; }}
QMenu::item {{ padding: 5px 24px 5px 22px; }}
QMenu::item:selected {{ background: #cfe0f5; color: #10202f; }}
QMenu::item:disabled {{ color: #8a949f; }}
QToolTip {{ background: #fffdf2; color: #1d2b3a; border: 1px solid #c9c3a4; padding: 3px; }}
"""


QSS = qss()


def add_ui_fonts() -> list[str]:
    """Register the shipped sans faces with Qt (always: 5 ms, and the window then never falls back to Song)."""
    families: list[str] = []
    for path in sorted(resource("fonts", "ui").glob("*.otf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    return sorted(set(families))


def ui_families() -> list[str]:
    """The window's font families, best first: the PC's sans faces (unless left out), then the shipped one."""
    available = set(QFontDatabase.families())
    wanted = [f for f in SYSTEM_UI_FONTS if f in available] if system_fonts_allowed() else []
    if BUNDLED_UI_FAMILY not in wanted:
        wanted.append(BUNDLED_UI_FAMILY)
    return wanted


def ui_font() -> QFont:
    font = QFont()
    font.setFamilies(ui_families())
    font.setPointSize(POINT_SIZE)
    return font


def apply(app: QApplication) -> None:
    if app.style().name().lower() != "fusion":  # already the default on Linux: a new one re-polishes everything
        app.setStyle("Fusion")  # the same look on Windows, UOS and Kylin
    add_ui_fonts()
    app.setFont(ui_font())
    app.setStyleSheet(QSS)

"""One calm style for every window: CJK font fallback, sizes for a 1366×768 office screen, a single QSS."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

# Preferred faces first; whatever the PC has of these is used (Windows, 统信UOS/Kylin, Debian).
UI_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
            "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimSun", "AR PL UMing CN")
POINT_SIZE = 10  # ≈ 13 px at 96 dpi: 30+ table rows fit on a 768-pixel screen

ACCENT = "#1f5fa8"  # government blue
QSS = f"""
QMainWindow, QDialog {{ background: #f5f6f8; }}
QListWidget#navigation {{
    background: #23344d; color: #e8edf3; border: none; outline: none; padding-top: 6px;
}}
QListWidget#navigation::item {{ padding: 7px 14px; border-left: 3px solid transparent; }}
QListWidget#navigation::item:selected {{ background: #2f4a6e; color: white; border-left: 3px solid #6fa8ff; }}
QListWidget#navigation::item:hover:!selected {{ background: #2a3f5d; }}
QLabel#pageTitle {{ font-size: 15pt; font-weight: bold; color: #1d2b3a; padding: 2px 0 6px 0; }}
QLabel#hint {{ color: #6b7785; }}
QLabel#error {{ color: #b3261e; }}
QLabel#capital {{ color: #1d5c2e; }}
QLabel#totals {{ color: #1d2b3a; padding: 2px 4px; }}
QTableView {{
    background: white; alternate-background-color: #f3f6fa; gridline-color: #e1e5ea;
    selection-background-color: #cfe0f5; selection-color: #10202f; border: 1px solid #d5dae0;
}}
QHeaderView::section {{
    background: #e9edf2; color: #1d2b3a; padding: 4px 6px; border: none;
    border-right: 1px solid #d5dae0; border-bottom: 1px solid #d5dae0;
}}
QPushButton {{
    padding: 4px 14px; border: 1px solid #b8c2ce; border-radius: 3px; background: white; min-height: 20px;
}}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:default, QPushButton#primary {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #a0a8b2; background: #eef0f3; border-color: #d5dae0; }}
QLineEdit, QComboBox, QSpinBox, QDateEdit, QPlainTextEdit, QTextEdit {{
    padding: 3px 5px; border: 1px solid #b8c2ce; border-radius: 3px; background: white;
}}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDateEdit:focus, QPlainTextEdit:focus {{ border-color: {ACCENT}; }}
QLineEdit[invalid="true"] {{ border-color: #b3261e; background: #fff5f4; }}
QGroupBox {{ border: 1px solid #d5dae0; border-radius: 4px; margin-top: 12px; padding-top: 6px; background: white; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; color: #1d2b3a; font-weight: bold; }}
QTabWidget::pane {{ border: 1px solid #d5dae0; background: white; }}
QTabBar::tab {{ padding: 5px 12px; background: #e9edf2; border: 1px solid #d5dae0; border-bottom: none; }}
QTabBar::tab:selected {{ background: white; }}
QFrame#card {{ background: white; border: 1px solid #d5dae0; border-radius: 4px; }}
QLabel#cardNumber {{ font-size: 18pt; font-weight: bold; color: {ACCENT}; }}
QStatusBar {{ background: #e9edf2; color: #1d2b3a; }}
"""


def ui_font() -> QFont:
    available = set(QFontDatabase.families())
    families = [f for f in UI_FONTS if f in available] or list(UI_FONTS)
    font = QFont()
    font.setFamilies(families)
    font.setPointSize(POINT_SIZE)
    return font


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")  # the same look on Windows, UOS and Kylin
    app.setFont(ui_font())
    app.setStyleSheet(QSS)

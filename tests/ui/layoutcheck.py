"""Does every text fit its widget? Font metrics against each widget's contents rectangle, as the style lays it out.

`clipped(root)` walks the visible widgets under `root` and returns one line per text that does not fit: a label's,
a button's, a field's (line edit, combo box, spin box), a group box's title, a header section's, a tab's, and any
widget cut off by its parent. `identifiers(root)` returns the texts a person would read that look like identifiers
(a.b, snake_case, ISO timestamps, JSON). Widgets with the property `verbatim` show a name typed as it is (a path, a
login name) and are left out of the second; `scrolls` marks a field whose long value scrolls by design.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QModelIndex, QRect, QSize
from PySide6.QtGui import QFontMetrics, Qt, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QTabBar,
    QToolButton,
    QWidget,
)

SLACK = 1  # a pixel of rounding (fractional metrics at 125 %)
IDENTIFIER = re.compile(
    r"(?<![\w/\\.])[a-z][a-z0-9]*(?:[._][a-z0-9-]+)+(?![\w/\\])"  # project.register, sign_in, om.decide
    r"|\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"  # ISO timestamp
    r"|\b\d{2}:\d{2}:\d{2}\.\d+|[+-]\d{2}:\d{2}\b|\bUTC\b"  # fractions of seconds, offsets, UTC
    r"|[{\[]\s*\"|\"\s*:\s*"  # JSON
    r"|\b(?:None|True|False|null|true|false)\b"  # Python or JSON literals
)


def name(w: QWidget) -> str:
    parts = []
    while w is not None and len(parts) < 4:
        parts.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(parts))


def plain(text: str, rich: bool) -> str:
    if rich:
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def without_mnemonic(text: str) -> str:
    return re.sub(r"&(?!&)", "", text).replace("&&", "&")


def shown(root: QWidget) -> Iterator[QWidget]:
    for w in [root, *root.findChildren(QWidget)]:
        if w.isVisibleTo(root) and w.isVisible() and w.width() > 0 and w.height() > 0:
            yield w


def in_scroll_area(w: QWidget) -> bool:
    p = w.parentWidget()
    while p is not None:
        if isinstance(p.parentWidget(), QAbstractScrollArea) and p is p.parentWidget().viewport():
            return True
        p = p.parentWidget()
    return False


def cut_by_parents(w: QWidget, root: QWidget) -> QRect | None:
    """The part of w that its ancestors (up to root, or to a scroll area's viewport) leave visible, when smaller."""
    visible = QRect(0, 0, w.width(), w.height())
    child, p = w, w.parentWidget()
    offset = child.pos()
    rect = visible.translated(offset)
    while p is not None:
        if isinstance(p.parentWidget(), QAbstractScrollArea) and p is p.parentWidget().viewport():
            break  # what a scroll area holds is reached by scrolling
        rect = rect.intersected(p.rect())
        if p is root:
            break
        rect = rect.translated(p.pos())
        p = p.parentWidget()
    area = rect.width() * rect.height()
    return None if area >= w.width() * w.height() else rect


def _label(w: QLabel) -> str | None:
    text = plain(w.text(), w.textFormat() == Qt.TextFormat.RichText or (
        w.textFormat() == Qt.TextFormat.AutoText and Qt.mightBeRichText(w.text())))
    if not text.strip() or w.pixmap() is not None and not w.pixmap().isNull():
        return None
    cr = w.contentsRect().adjusted(w.margin(), w.margin(), -w.margin(), -w.margin())
    fm = QFontMetrics(w.font())
    if w.wordWrap():
        need = w.heightForWidth(w.width())
        if need > w.height() + SLACK:
            return f"{name(w)}: 折行后需高 {need}，只有 {w.height()}：{text[:40]}"
        return None
    lines = text.split("\n")
    widest = max(fm.horizontalAdvance(line) for line in lines)
    if widest > cr.width() + SLACK:
        return f"{name(w)}: 宽 {widest} > {cr.width()}：{text[:40]}"
    high = fm.height() + fm.lineSpacing() * (len(lines) - 1)
    if high > cr.height() + SLACK:
        return f"{name(w)}: 高 {high} > {cr.height()}：{text[:40]}"
    return None


def _button(w: QAbstractButton) -> str | None:
    text = without_mnemonic(w.text())
    if not text.strip():
        return None
    fm = QFontMetrics(w.font())
    need_w = max(fm.horizontalAdvance(line) for line in text.split("\n"))
    if isinstance(w, QPushButton):
        opt = QStyleOptionButton()
        w.initStyleOption(opt)
        cr = w.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, w)
        if not w.icon().isNull():
            need_w += w.iconSize().width() + 4
        if w.menu() is not None:
            need_w += w.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, opt, w)
    elif isinstance(w, (QCheckBox, QRadioButton)):
        hint = w.sizeHint()
        if hint.width() > w.width() + SLACK or hint.height() > w.height() + SLACK:
            return f"{name(w)}: 需 {hint.width()}×{hint.height()}，只有 {w.width()}×{w.height()}：{text[:40]}"
        return None
    elif isinstance(w, QToolButton):
        hint = w.sizeHint()
        if hint.width() > w.width() + SLACK or hint.height() > w.height() + SLACK:
            return f"{name(w)}: 需 {hint.width()}×{hint.height()}，只有 {w.width()}×{w.height()}：{text[:40]}"
        return None
    else:
        return None
    if need_w > cr.width() + SLACK:
        return f"{name(w)}: 宽 {need_w} > {cr.width()}：{text[:40]}"
    if fm.height() > cr.height() + SLACK:
        return f"{name(w)}: 高 {fm.height()} > {cr.height()}：{text[:40]}"
    return None


def _line_edit(w: QLineEdit) -> str | None:
    text = w.displayText() or w.placeholderText()
    fm = QFontMetrics(w.font())
    opt = QStyleOptionFrame()
    w.initStyleOption(opt)
    cr = w.style().subElementRect(QStyle.SubElement.SE_LineEditContents, opt, w)
    m = w.textMargins()
    cr = cr.adjusted(m.left() + 2, m.top() + 1, -m.right() - 2, -m.bottom() - 1)  # QLineEdit's own 2 and 1 px
    if w.isClearButtonEnabled() and w.text():
        cr.setRight(cr.right() - w.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) - 4)
    if fm.height() > cr.height() + SLACK + 2:  # the glyphs' own height (ascent + descent) must show
        return f"{name(w)}: 高 {fm.height()} > {cr.height()}（字被压扁）：{text[:40]}"
    if not text or w.property("scrolls"):
        return None
    need = fm.horizontalAdvance(text)
    if need > cr.width() + SLACK:
        return f"{name(w)}: 宽 {need} > {cr.width()}：{text[:40]}"
    return None


def _combo(w: QComboBox) -> str | None:
    if w.isEditable():
        return None  # its line edit is checked as a line edit
    text = w.currentText()
    fm = QFontMetrics(w.font())
    opt = QStyleOptionComboBox()
    w.initStyleOption(opt)
    cr = w.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, w)
    if fm.height() > cr.height() + SLACK + 2:
        return f"{name(w)}: 高 {fm.height()} > {cr.height()}（字被压扁）：{text[:40]}"
    ink = fm.boundingRect(text).width()  # as QComboBox measures its items (the glyphs, not their advance)
    if text and ink > cr.width() + SLACK:
        return f"{name(w)}: 宽 {ink} > {cr.width()}：{text[:40]}"
    return None


def _group(w: QGroupBox) -> str | None:
    if not w.title():
        return None
    font = w.font()
    font.setBold(True)
    need = QFontMetrics(font).horizontalAdvance(without_mnemonic(w.title())) + 24
    return f"{name(w)}: 标题宽 {need} > {w.width()}：{w.title()[:40]}" if need > w.width() + SLACK else None


def _header(w: QHeaderView) -> list[str]:
    out = []
    model = w.model()
    if model is None or not w.isVisible():
        return out
    count = model.columnCount() if w.orientation() == Qt.Orientation.Horizontal else 0
    for i in range(count):
        if w.isSectionHidden(i):
            continue
        need = w.sectionSizeFromContents(i).width()
        have = w.sectionSize(i)
        if need > have + SLACK:
            text = model.headerData(i, w.orientation(), Qt.ItemDataRole.DisplayRole)
            out.append(f"{name(w)}: 列“{text}”需宽 {need}，只有 {have}")
    return out


def _tabs(w: QTabBar) -> list[str]:
    out = []
    for i in range(w.count()):
        if not w.isTabVisible(i):
            continue
        rect, need = w.tabRect(i), w.tabSizeHint(i)
        if rect.width() + SLACK < need.width():
            out.append(f"{name(w)}: 标签“{w.tabText(i)}”需宽 {need.width()}，只有 {rect.width()}")
        elif rect.right() > w.width() + SLACK:
            out.append(f"{name(w)}: 标签“{w.tabText(i)}”在 {rect.right()} 处，标签栏只有 {w.width()} 宽")
    return out


def _rows(w: QAbstractItemView) -> str | None:
    """A table or list with rows must show at least one of them whole."""
    model = w.model()
    if model is None or model.rowCount(QModelIndex()) == 0:
        return None
    need = w.sizeHintForRow(0)
    have = w.viewport().height()
    if need > have + SLACK:
        return f"{name(w)}: 一行也显示不全（行高 {need}，可见 {have}）"
    return None


def clipped(root: QWidget) -> list[str]:
    """Every text under root that does not fit its widget, as lines naming the widget and the two sizes."""
    problems: list[str] = []
    for w in shown(root):
        if isinstance(w, QMenu):
            continue
        found: list[str | None] = []
        if isinstance(w, QLabel):
            found.append(_label(w))
        elif isinstance(w, QAbstractButton):
            found.append(_button(w))
        elif isinstance(w, QLineEdit):
            found.append(_line_edit(w))
        elif isinstance(w, QComboBox):
            found.append(_combo(w))
        elif isinstance(w, QGroupBox):
            found.append(_group(w))
        elif isinstance(w, QHeaderView):
            found += _header(w)
        elif isinstance(w, QTabBar):
            found += _tabs(w)
        elif isinstance(w, QAbstractItemView) and not isinstance(w.parentWidget(), QComboBox):
            found.append(_rows(w))
        if w is not root and not isinstance(w, (QHeaderView, QAbstractSpinBox)) and w.parentWidget() is not None \
                and not isinstance(w.parentWidget(), (QAbstractScrollArea, QTabBar)) \
                and not w.isWindow() and type(w).__name__ not in ("QScrollBar", "QWidget", "QFrame", "QStackedWidget"):
            cut = cut_by_parents(w, root)
            if cut is not None and (isinstance(w, (QLabel, QAbstractButton, QLineEdit, QComboBox, QGroupBox))):
                found.append(f"{name(w)}: 被上层裁去，只露出 {cut.width()}×{cut.height()} / {w.width()}×{w.height()}")
        problems += [p for p in found if p]
    return problems


def too_big(root: QWidget, screen: QSize) -> str | None:
    need = root.minimumSizeHint().expandedTo(root.minimumSize())
    if need.width() > screen.width() or need.height() > screen.height():
        return f"{name(root)}: 最小 {need.width()}×{need.height()}，屏幕只有 {screen.width()}×{screen.height()}"
    return None


# ---------------------------------------------------------------- texts that look like identifiers

def _verbatim(w: QWidget) -> bool:
    while w is not None:
        if w.property("verbatim"):
            return True
        w = w.parentWidget()
    return False


def view_texts(view: QAbstractItemView) -> Iterator[tuple[str, str]]:
    model = view.model()
    if model is None:
        return
    skip = set(view.property("verbatimColumns") or [])
    header = getattr(view, "horizontalHeader", None)
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model keeps columnCount private: one column
        columns = 1
    for c in range(columns):
        yield f"{name(view)} 表头", str(model.headerData(c, Qt.Orientation.Horizontal) or "")
    for r in range(min(model.rowCount(QModelIndex()), 400)):
        for c in range(columns):
            if c in skip or (header is not None and header().isSectionHidden(c)):
                continue
            value = model.data(model.index(r, c, QModelIndex()), Qt.ItemDataRole.DisplayRole)
            if value is not None:
                yield f"{name(view)} [{r},{c}]", str(value)


def identifiers(root: QWidget) -> list[str]:
    """The texts under root a person reads that look like identifiers, ISO timestamps or JSON."""
    found = []
    for w in shown(root):
        if _verbatim(w):
            continue
        texts: list[tuple[str, str]] = []
        if isinstance(w, QLabel):
            texts.append((name(w), w.text()))
        elif isinstance(w, QAbstractButton):
            texts.append((name(w), w.text()))
        elif isinstance(w, QLineEdit) and not isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox)):
            texts += [(name(w), w.text()), (name(w), w.placeholderText())]
        elif isinstance(w, QComboBox):
            texts += [(name(w), w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QGroupBox):
            texts.append((name(w), w.title()))
        elif isinstance(w, QTabBar):
            texts += [(name(w), w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView) and not isinstance(w.parentWidget(), QComboBox):
            texts += list(view_texts(w))
        if w.toolTip():
            texts.append((f"{name(w)} 提示", w.toolTip()))
        for where, text in texts:
            m = IDENTIFIER.search(text or "")
            if m:
                found.append(f"{where}: “{m.group(0)}” 在 “{text[:60]}”")
    return found

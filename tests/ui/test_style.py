"""The style sheet as a person sees it: the highlighted item of a drop-down is readable, spin boxes have arrows."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QSpinBox, QVBoxLayout, QWidget

from app.domain.vocabulary import CATEGORIES


def luminance(c: QColor) -> float:
    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def ratio(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def contrast(image: QImage, inner: QRect, ink_pixels: int = 20) -> float:
    """WCAG contrast between the area's commonest colour (its background) and its ink: the colour farthest from
    the background among those covering at least `ink_pixels` pixels (glyph strokes, not a one-pixel frame)."""
    colours = Counter(luminance(image.pixelColor(x, y)) for x in range(inner.left(), inner.right())
                      for y in range(inner.top(), inner.bottom()))
    background = colours.most_common(1)[0][0]
    ranked = sorted(colours, key=lambda lum: ratio(lum, background), reverse=True)
    covered = 0
    for lum in ranked:  # walk from the strongest colour down until enough pixels are covered
        covered += colours[lum]
        if covered >= ink_pixels:
            return ratio(lum, background)
    return 1.0


def text_box(view: QAbstractItemView, row: int, text: str) -> QRect:
    """Where the item's glyphs are: the middle of its line, as wide as its text (no frame or padding)."""
    rect = view.visualRect(view.model().index(row, 0))
    fm = view.fontMetrics()
    half = fm.ascent() // 3
    return QRect(rect.left() + 8, rect.center().y() - half, fm.horizontalAdvance(text) - 8, 2 * half)


def test_the_highlighted_item_of_a_drop_down_is_readable(gapp, qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    combo = QComboBox()
    combo.addItems(CATEGORIES)
    QVBoxLayout(holder).addWidget(combo)
    holder.show()
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    for row in (0, 2, 4):
        index = combo.model().index(row, 0)
        view.setCurrentIndex(index)
        image = view.viewport().grab().toImage()
        assert view.selectionModel().isSelected(index)
        assert contrast(image, text_box(view, row, CATEGORIES[row])) >= 4.5, CATEGORIES[row]  # WCAG AA for text
        assert contrast(image, text_box(view, row + 1, CATEGORIES[row + 1])) >= 4.5
    combo.hidePopup()


def test_spin_boxes_draw_their_arrows(gapp, qtbot) -> None:
    spin = QSpinBox()
    qtbot.addWidget(spin)
    spin.setRange(2000, 2100)
    spin.setValue(2050)
    spin.resize(140, spin.sizeHint().height())
    spin.show()
    image = spin.grab().toImage()
    w, h = image.width(), image.height()
    up = QRect(w - 14, 3, 10, h // 2 - 4)  # the up and down buttons on the right, inside their borders
    down = QRect(w - 14, h // 2 + 1, 10, h // 2 - 4)
    assert contrast(image, up, ink_pixels=8) >= 3  # ▲ drawn
    assert contrast(image, down, ink_pixels=8) >= 3  # ▼ drawn

"""A generic table model over frozen dataclasses from the services.

It keeps every record and a list of the shown row numbers, so filtering 20,000 rows is a list comprehension over
precomputed search texts and one model reset; the view paints only the visible rows. Each row keeps its id
(`id_attr`), so selection and double-click open the right record whatever the sort and filter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionHeader

from app.domain.money import format_wan, format_yuan

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@dataclass(frozen=True)
class Column:
    key: str  # attribute of the record
    title: str  # header (already translated)
    fmt: Callable[[Any], str] = _text
    align: Qt.AlignmentFlag = LEFT
    money: bool = False  # amounts in fen: right-aligned, summed in totals
    width: int = 0  # preferred width in pixels (0: let the view decide)
    hidden: bool = False  # hidden unless the user chooses it


def money_column(key: str, title: str, unit: str = "万元", width: int = 96, hidden: bool = False) -> Column:
    fmt = format_wan if unit == "万元" else format_yuan
    return Column(key, title, lambda v: "" if v is None else fmt(v), RIGHT, True, width, hidden)


class RecordTableModel(QAbstractTableModel):
    """Rows are frozen dataclasses (or any objects with attributes); columns are `Column`s."""

    def __init__(self, columns: Sequence[Column], id_attr: str = "id",
                 search_attrs: Sequence[str] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.id_attr = id_attr
        self.search_attrs = tuple(search_attrs) or tuple(c.key for c in self.columns)
        self._records: list[Any] = []
        self._search: list[str] = []  # lower-cased text searched by the filter, per record
        self._shown: list[int] = []  # record numbers in display order
        self._query = ""
        self._predicate: Callable[[Any], bool] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # ---------------------------------------------------------------- data in
    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._records = list(records)
        attrs = self.search_attrs
        self._search = [" ".join(_text(getattr(r, a, "")) for a in attrs).lower() for r in self._records]
        self._shown = self._compute_shown()
        self.endResetModel()

    def set_filter(self, query: str | None = None, predicate: Callable[[Any], bool] | None = None,
                   *, keep_predicate: bool = False) -> None:
        """Show rows whose text contains every word of `query` and that pass `predicate`."""
        self._query = (query or "").strip().lower()
        if not keep_predicate:
            self._predicate = predicate
        self.beginResetModel()
        self._shown = self._compute_shown()
        self.endResetModel()

    def set_query(self, query: str) -> None:
        self.set_filter(query, keep_predicate=True)

    def _compute_shown(self) -> list[int]:
        words = self._query.split()
        search = self._search
        if words:
            rows = [i for i, s in enumerate(search) if all(w in s for w in words)]
        else:
            rows = list(range(len(search)))
        if self._predicate is not None:
            pred, recs = self._predicate, self._records
            rows = [i for i in rows if pred(recs[i])]
        if self._sort is not None:
            rows = self._sorted(rows, *self._sort)
        return rows

    def _sorted(self, rows: list[int], column: int, order: Qt.SortOrder) -> list[int]:
        key = self.columns[column].key
        recs = self._records

        def sort_key(i: int) -> tuple[int, Any]:
            v = getattr(recs[i], key, None)
            return (1, "") if v is None else (0, v if isinstance(v, (int, float)) else _text(v))

        return sorted(rows, key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)

    # ---------------------------------------------------------------- data out
    def record(self, row: int) -> Any:
        return self._records[self._shown[row]]

    def row_id(self, row: int) -> Any:
        return getattr(self.record(row), self.id_attr)

    def row_of(self, record_id: Any) -> int:
        """The shown row of a record id, or -1."""
        for row, i in enumerate(self._shown):
            if getattr(self._records[i], self.id_attr) == record_id:
                return row
        return -1

    def shown_records(self) -> list[Any]:
        return [self._records[i] for i in self._shown]

    def total_count(self) -> int:
        return len(self._records)

    def totals(self) -> dict[str, int]:
        """Sums of the money columns over the shown rows (fen)."""
        recs = self._records
        return {c.key: sum(getattr(recs[i], c.key) or 0 for i in self._shown) for c in self.columns if c.money}

    # ---------------------------------------------------------------- Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._shown):
            return None
        col = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return col.fmt(getattr(self._records[self._shown[index.row()]], col.key, None))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align.value) if hasattr(col.align, "value") else int(col.align)
        if role == Qt.ItemDataRole.UserRole:
            return self.row_id(index.row())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title if 0 <= section < len(self.columns) else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; column -1 (no sort indicator) restores the service's order."""
        if column >= len(self.columns) or (column < 0 and self._sort is None):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_records = [self._shown[i.row()] for i in old]
        self._sort = (column, order) if column >= 0 else None
        self._shown = self._sorted(self._shown, column, order) if column >= 0 else sorted(self._shown)
        where = {rec: row for row, rec in enumerate(self._shown)}
        self.changePersistentIndexList(old, [self.index(where[r], i.column()) for r, i in zip(old_records, old)])
        self.layoutChanged.emit()


def header_width(view: Any, section: int) -> int:
    """The width a header section needs for its title in the view's font and style (sort indicator included)."""
    header = view.horizontalHeader()
    opt = QStyleOptionHeader()
    opt.initFrom(header)
    opt.section = section
    opt.text = str(view.model().headerData(section, Qt.Orientation.Horizontal) or "")
    opt.textAlignment = Qt.AlignmentFlag.AlignCenter
    opt.fontMetrics = header.fontMetrics()
    if view.isSortingEnabled():
        opt.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
    return header.style().sizeFromContents(QStyle.ContentsType.CT_HeaderSection, opt, QSize(), header).width()


def fit_columns(view: Any, columns: Sequence[Column]) -> None:
    """Each column at least its preferred width and never narrower than its title (with any font and scale)."""
    for i, col in enumerate(columns):
        view.setColumnWidth(i, max(col.width, header_width(view, i)))

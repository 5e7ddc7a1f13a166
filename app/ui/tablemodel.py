"""A generic table model over frozen dataclasses from the services.

It keeps every record and a list of the shown row numbers, so filtering 20,000 rows is a list comprehension over
precomputed search texts and one model reset; the view paints only the visible rows. Each row keeps its id
(`id_attr`), so selection and double-click open the right record whatever the sort and filter.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionHeader

from app.domain.money import format_wan, format_yuan

Index = QModelIndex | QPersistentModelIndex
_DISPLAY, _TOOLTIP = int(Qt.ItemDataRole.DisplayRole.value), int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGNMENT, _USER = int(Qt.ItemDataRole.TextAlignmentRole.value), int(Qt.ItemDataRole.UserRole.value)
_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
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


def column_header_data(model: Any, section: int, orientation: Qt.Orientation,
                       role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    """headerData of a model over `model.columns` (Column): the column's title across, the row number down."""
    if role != Qt.ItemDataRole.DisplayRole:
        return None
    if orientation == Qt.Orientation.Horizontal:
        return model.columns[section].title if 0 <= section < len(model.columns) else None
    return str(section + 1)


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

    headerData = column_header_data

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


# ---------------------------------------------------------------- many rows: ids first, then an index


class PagedTableModel(QAbstractTableModel):
    """A table of many rows (the register's 100,000 projects) that never holds one object per row.

    As Anki's browser does (qt/aqt/browser/table/model.py), it first keeps only the row ids in the service's order
    and fetches the rows that are painted, a page at a time (`set_ids(ids, fetch)`); the first screenful shows at
    once, whatever the number of rows. The index (app.services.registerpages.RegisterIndex: the columns as lists,
    loaded in the background) then replaces the pages (`set_index`): filtering is a comprehension over its search
    texts in the current order, the shown rows are a list of positions, a sort order is computed once per column
    and kept, and totals sum the shown positions of a money column. A filter or a sort asked for before the index
    arrived applies when it arrives. `id_attr` is the column whose value identifies a row to the callers (the
    project code), whatever the sort and filter.
    """

    PAGE = 100
    RECENT = 32  # filter results kept: a backspace, or a menu set back, shows one at once

    def __init__(self, columns: Sequence[Column], id_attr: str = "code", parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.id_attr = id_attr
        self._align = [int(c.align.value) if hasattr(c.align, "value") else int(c.align) for c in self.columns]
        self._ids: list[int] = []
        self._fetch: Callable[[list[int]], dict[int, dict[str, Any]]] | None = None
        self._more: Callable[[int, int], list[int]] | None = None
        self._pages: dict[int, dict[str, Any]] = {}  # fetched rows by id (before the index)
        self._index: Any = None
        self._order: list[int] = []  # positions in the current sort order
        self._shown: list[int] = []  # positions shown (filtered), in that order
        self._sums: dict[str, int] = {}  # totals of the shown positions, per money column asked for
        self._recent: OrderedDict[tuple[Any, ...], tuple[list[int], dict[str, int]]] = OrderedDict()
        self._orders: dict[tuple[str, bool], list[int]] = {}
        self._query = ""
        self._words: tuple[str, ...] = ()
        self._equal: tuple[tuple[str, Any], ...] = ()
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._where: dict[Any, int] | None = None  # id_attr value → position

    # ---------------------------------------------------------------- data in
    @property
    def loaded(self) -> bool:
        """The index is here: filters, sorting and totals apply."""
        return self._index is not None

    @property
    def sort_asked(self) -> tuple[str, bool] | None:
        """(column key, descending) of the sort asked for, for ids given in that order before the index."""
        if self._sort is None:
            return None
        return self.columns[self._sort[0]].key, self._sort[1] == Qt.SortOrder.DescendingOrder

    def set_ids(self, ids: Sequence[int], fetch: Callable[[list[int]], dict[int, dict[str, Any]]],
                total: int | None = None, more: Callable[[int, int], list[int]] | None = None) -> None:
        """Before the index: these rows in this order (the service's, or `sort_asked`), each fetched (a page at a
        time) when it is painted. With `total` and `more(offset, limit)`, `ids` are the first of `total` and the
        others are asked for a slice at a time as rows further down are painted."""
        self.beginResetModel()
        self._index, self._ids, self._fetch, self._pages = None, list(ids), fetch, {}
        self._more = more if total is not None else None
        self._orders, self._where = {}, None
        self._recent.clear()
        count = len(self._ids) if total is None else total
        self._order = range(count)  # type: ignore[assignment]  # positions = rows until the index arrives
        self._shown, self._sums = self._order, {}
        self.endResetModel()

    def set_index(self, index: Any) -> None:
        """The whole register in memory: rows from it, and the filter and sort asked for so far applied."""
        self.beginResetModel()
        self._index, self._ids, self._fetch, self._pages, self._more = index, index.ids, None, {}, None
        self._orders, self._where = dict(getattr(index, "orders", None) or {}), None
        self._recent.clear()
        self._order = self._sorted_order()
        self._show(self._order)
        self.endResetModel()

    def set_filter(self, query: str | None = None, equal: dict[str, Any] | None = None) -> None:
        """Show rows whose search text contains every word of `query` and whose columns equal `equal`."""
        self.set_query(query or "", equal=equal or {})

    def set_query(self, query: str, *, equal: dict[str, Any] | None = None) -> None:
        words = tuple(query.strip().lower().split())
        same_equal = equal is None or tuple(equal.items()) == self._equal
        narrower = same_equal and bool(self._words) and all(any(o in w for w in words) for o in self._words)
        previous = self._shown
        self._query, self._words = query, words
        if equal is not None:
            self._equal = tuple(equal.items())
        if not self.loaded:
            return
        # a word typed on only narrows what is shown: search within it (every old word is inside a new one)
        hit = self._result(previous if narrower else self._order)
        if hit[0] is previous:  # the same rows (every shown row matches the longer word too): nothing to repaint
            self._shown, self._sums = hit
            return
        self.beginResetModel()
        self._shown, self._sums = hit
        self.endResetModel()

    def _show(self, rows: list[int]) -> None:
        """Show the positions of `rows` that pass the filter (a recent result again when it is the same filter)."""
        self._shown, self._sums = self._result(rows)

    def _result(self, rows: list[int]) -> tuple[list[int], dict[str, int]]:
        key = (self._words, self._equal, self._sort)
        hit = self._recent.get(key)
        if hit is None:
            shown = self._filtered(rows)
            if len(shown) == len(rows):  # none left out: the same list, and the same totals when they are shown
                hit = (rows, self._sums if rows is self._shown else {})
            else:
                hit = (shown, {})
            self._recent[key] = hit
            if len(self._recent) > self.RECENT:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(key)
        return hit

    def _filtered(self, rows: list[int]) -> list[int]:
        index = self._index
        if index is None:
            return rows
        search = index.search
        for word in self._words:
            rows = [p for p in rows if word in search[p]]
        for key, value in self._equal:
            col = index.columns[key]
            rows = [p for p in rows if col[p] == value]
        return rows

    # ---------------------------------------------------------------- sorting
    def _sort_key(self, key: str) -> Callable[[int], Any]:
        col = self._index.columns[key]
        if any(v is None for v in col):
            return lambda p: (1, "") if col[p] is None else (0, col[p])
        return col.__getitem__

    def order(self, key: str, descending: bool) -> list[int]:
        """All positions sorted by a column (stable: ties keep the service's order; empty values last ascending),
        computed once per column and direction."""
        cached = self._orders.get((key, descending))
        if cached is None:
            index_order = getattr(self._index, "order", None)  # a RegisterIndex keeps its orders (prepared ahead)
            if index_order is not None:
                cached = index_order(key, descending)
            else:
                cached = sorted(range(len(self._ids)), key=self._sort_key(key), reverse=descending)
            self._orders[(key, descending)] = cached
        return cached

    def _sorted_order(self) -> list[int]:
        if self._sort is None or self._index is None:
            return list(range(len(self._ids)))
        column, how = self._sort
        return self.order(self.columns[column].key, how == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; column -1 (no sort indicator) restores the service's order."""
        if column >= len(self.columns) or (column < 0 and self._sort is None):
            return
        self._sort = (column, order) if column >= 0 else None
        if not self.loaded:
            return  # applied when the index arrives
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_pos = [self._shown[i.row()] for i in old]
        self._order = self._sorted_order()
        self._show(self._order)
        wanted = set(old_pos)
        if len(wanted) <= 16:  # the current row and a selection: found by the list's own search (no 100,000 dict)
            where = {p: self._row_of_position(p) for p in wanted}
        else:
            where = {p: row for row, p in enumerate(self._shown)}
        self.changePersistentIndexList(old, [self.index(where.get(p, -1), i.column()) for p, i in zip(old_pos, old)])
        self.layoutChanged.emit()

    def _row_of_position(self, pos: int) -> int:
        try:
            return self._shown.index(pos)
        except ValueError:
            return -1

    # ---------------------------------------------------------------- data out
    def value(self, row: int, key: str) -> Any:
        pos = self._shown[row]
        if self._index is not None:
            return self._index.columns[key][pos]
        if pos >= len(self._ids):
            self._more_ids(pos)
            if pos >= len(self._ids):
                return None  # fewer rows than counted (deleted since): shown empty until the index
        rid = self._ids[pos]
        data = self._pages.get(rid)
        if data is None:
            self._fetch_around(row)
            data = self._pages.get(rid) or {}
        return data.get(key)

    def _more_ids(self, pos: int) -> None:
        if self._more is None:
            return
        start = len(self._ids)
        got = self._more(start, max(pos + self.PAGE - start, 10 * self.PAGE))
        self._ids.extend(got)
        if not got:
            self._more = None

    def _fetch_around(self, row: int) -> None:
        if self._fetch is None:
            return
        start = row - row % self.PAGE
        positions = self._shown[start:start + self.PAGE]
        if positions and positions[-1] >= len(self._ids):
            self._more_ids(positions[-1])
        wanted = [self._ids[p] for p in positions if p < len(self._ids) and self._ids[p] not in self._pages]
        self._pages.update(self._fetch(wanted))
        for rid in wanted:
            self._pages.setdefault(rid, {})  # gone, or out of scope since: shown empty, not asked again

    def row_id(self, row: int) -> Any:
        return self.value(row, self.id_attr)

    def row_of(self, record_id: Any) -> int:
        """The shown row of a record id (the `id_attr` value), or -1 (before the index: among the fetched rows)."""
        if self._index is None:
            return next((r for r in range(min(len(self._shown), len(self._ids))) if self.row_id(r) == record_id), -1)
        if self._where is None:
            self._where = {v: p for p, v in enumerate(self._index.columns[self.id_attr])}
        pos = self._where.get(record_id)
        if pos is None:
            return -1
        try:
            return self._shown.index(pos)
        except ValueError:
            return -1

    def record(self, row: int) -> Any:
        """The shown row's values as attributes (for callers that want one row; painting never builds these)."""
        keys = self._index.columns if self._index is not None else {c.key: None for c in self.columns}
        return SimpleNamespace(**{k: self.value(row, k) for k in keys})

    def shown_ids(self) -> list[Any]:
        """The `id_attr` values of the shown rows, in their order."""
        if self._index is None:
            return [self.row_id(r) for r in range(len(self._shown))]
        col = self._index.columns[self.id_attr]
        return [col[p] for p in self._shown]

    def distinct(self, key: str) -> list[Any]:
        """The values a column takes (for the filter menus), sorted; [] before the index."""
        if self._index is None:
            return []
        return sorted({v for v in self._index.columns[key] if v is not None})

    def total_count(self) -> int:
        return len(self._ids) if self._index is not None else len(self._order)

    def totals(self, keys: Sequence[str] | None = None) -> dict[str, int]:
        """Sums of money columns over the shown rows (fen); all money columns unless `keys` names some."""
        keys = [c.key for c in self.columns if c.money] if keys is None else list(keys)
        if self._index is None:
            return {k: 0 for k in keys}
        sums = self._sums
        missing = [k for k in keys if k not in sums]  # once per filter result and column
        if missing:
            shown = self._shown
            if len(shown) > 1:
                pick = itemgetter(*shown)  # one C call per column (half the time of a map over the positions)
                for k in missing:
                    sums[k] = sum(filter(None, pick(self._index.columns[k])))
            else:
                for k in missing:
                    col = self._index.columns[k]
                    sums[k] = sum(filter(None, (col[p] for p in shown)))
        return {k: sums[k] for k in keys}

    # ---------------------------------------------------------------- Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # called for every role of every painted cell: the roles answered are tested first, as plain ints
        if role == _DISPLAY or role == _TOOLTIP:
            row = index.row()
            if row >= len(self._shown) or row < 0:
                return None
            col = self.columns[index.column()]
            return col.fmt(self.value(row, col.key))
        if role == _ALIGNMENT:
            return self._align[index.column()]
        if role == _USER and 0 <= index.row() < len(self._shown):
            return self.row_id(index.row())
        return None

    headerData = column_header_data

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _SELECTABLE if index.isValid() else Qt.ItemFlag.NoItemFlags

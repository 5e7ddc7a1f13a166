from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QTableView

from app.ui.tablemodel import Column, PagedTableModel, RecordTableModel, column_header_data, money_column


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    department: str
    total_fen: int
    year: int | None


ROWS = [
    Row("QS-2026-0001", "智慧城管平台", "县城市管理局", 318404000, 2026),
    Row("QS-2026-0002", "政务数据共享交换平台", "县行政审批服务管理局", 120000000, 2026),
    Row("QS-2025-0003", "视频监控联网", "县公安局", 5000050, None),
]


def make_model() -> RecordTableModel:
    model = RecordTableModel(
        [Column("code", "项目编号"), Column("name", "项目名称"), Column("department", "实施单位"),
         money_column("total_fen", "总投资（万元）"), Column("year", "年度")],
        id_attr="code", search_attrs=("code", "name", "department"))
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_records(ROWS)
    return model


def test_rows_are_formatted_from_dataclasses(gapp) -> None:
    model = make_model()
    assert model.rowCount() == 3 and model.columnCount() == 5
    assert model.headerData(1, Qt.Orientation.Horizontal) == "项目名称"
    assert model.data(model.index(0, 3)) == "318.40"  # 万元, two places
    assert model.data(model.index(2, 4)) == ""  # None shows blank
    assert model.data(model.index(0, 3), Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight.value)
    assert model.data(model.index(1, 0), Qt.ItemDataRole.UserRole) == "QS-2026-0002"


def test_filter_keeps_row_ids_and_totals(gapp) -> None:
    model = make_model()
    model.set_query("平台")
    assert [model.row_id(r) for r in range(model.rowCount())] == ["QS-2026-0001", "QS-2026-0002"]
    assert model.totals() == {"total_fen": 438404000}
    model.set_query("平台 共享")  # every word must match
    assert model.rowCount() == 1 and model.row_id(0) == "QS-2026-0002"
    model.set_filter("", lambda r: r.code.startswith("QS-2025"))
    assert [model.row_id(r) for r in range(model.rowCount())] == ["QS-2025-0003"]
    model.set_query("公安")  # the predicate stays
    assert model.rowCount() == 1
    model.set_query("城管")
    assert model.rowCount() == 0 and model.totals() == {"total_fen": 0}
    assert model.total_count() == 3


def test_sort_moves_rows_and_keeps_selection(gapp) -> None:
    from PySide6.QtCore import QPersistentModelIndex

    model = make_model()
    kept = QPersistentModelIndex(model.index(0, 1))  # QS-2026-0001, the largest
    model.sort(3, Qt.SortOrder.AscendingOrder)
    assert [model.row_id(r) for r in range(3)] == ["QS-2025-0003", "QS-2026-0002", "QS-2026-0001"]
    assert kept.row() == 2 and kept.data() == "智慧城管平台"
    model.sort(4, Qt.SortOrder.AscendingOrder)  # None sorts last
    assert model.row_id(2) == "QS-2025-0003"
    model.set_query("2026")  # sorting survives filtering
    assert model.rowCount() == 2
    assert model.row_of("QS-2026-0002") in (0, 1) and model.row_of("QS-2025-0003") == -1


def test_no_sort_indicator_restores_the_service_order(gapp) -> None:
    model = make_model()
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [model.row_id(r) for r in range(3)] == ["QS-2025-0003", "QS-2026-0001", "QS-2026-0002"]
    model.sort(-1)  # what a view asks for when its sort indicator is cleared
    assert [model.row_id(r) for r in range(3)] == [r.code for r in ROWS]
    model.set_query("平台")
    assert [model.row_id(r) for r in range(model.rowCount())] == ["QS-2026-0001", "QS-2026-0002"]


# ---------------------------------------------------------------- many rows: ids, pages, then the index

def make_paged(n: int = 1000):
    import random

    from app.services.registerpages import RegisterIndex
    from app.ui.tablemodel import PagedTableModel

    rng = random.Random(5)
    words = ["智慧", "平台", "数据", "共享", "治理"]
    keys = ("code", "name", "department", "year", "total_fen", "status")
    rows = [(f"QS-{2020 + i % 5}-{i:04d}", f"{rng.choice(words)}{rng.choice(words)}{i}", f"县{rng.choice(words)}局",
             2020 + i % 5, None if i % 11 == 0 else rng.randrange(10**8), "draft") for i in range(n)]
    ids = [10_000 + i for i in range(n)]
    index = RegisterIndex.from_rows(ids, rows, keys)
    model = PagedTableModel([Column("code", "项目编号"), Column("name", "项目名称"), Column("department", "实施单位"),
                             Column("year", "年度"), money_column("total_fen", "总投资（万元）")], id_attr="code")
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    return model, ids, rows, index


def test_paged_rows_are_fetched_when_painted_a_page_at_a_time(gapp) -> None:
    model, ids, rows, index = make_paged()
    asked: list[list[int]] = []

    def fetch(wanted: list[int]) -> dict:
        asked.append(list(wanted))
        return {i: dict(zip(("code", "name"), rows[i - 10_000][:2], strict=True)) for i in wanted if i % 97}

    model.set_ids(ids, fetch)
    assert model.rowCount() == 1000 and not model.loaded and asked == []  # nothing read before it is painted
    assert model.data(model.index(250, 1)) == rows[250][1]
    assert asked == [ids[200:300]]  # the page around the painted row, once
    assert model.data(model.index(299, 0)) == rows[299][0] and len(asked) == 1
    assert model.data(model.index(282, 0)) == ""  # a row gone meanwhile (left out by fetch): shown empty
    assert len(asked) == 1  # and not asked again
    model.set_index(index)
    assert model.loaded and model.data(model.index(282, 0)) == rows[282][0] and len(asked) == 1


def test_paged_filter_and_sort_equal_a_plain_filter_and_stable_sort(gapp) -> None:
    import random

    model, ids, rows, index = make_paged()
    model.set_query("平台")  # asked before the index: applied when it arrives
    model.sort(4, Qt.SortOrder.DescendingOrder)
    model.set_index(index)

    def expect(query: str, key: int | None, desc: bool, year: int | None = None) -> list[str]:
        words = query.lower().split()
        got = [r for r in rows if all(w in " ".join(str(v) for v in r[:3]).lower() for w in words)
               and (year is None or r[3] == year)]
        if key is not None:
            got = sorted(got, key=lambda r: (1, 0) if r[key] is None else (0, r[key]), reverse=desc)
        return [r[0] for r in got]

    assert model.shown_ids() == expect("平台", 4, True)
    assert model.totals() == {"total_fen": sum(r[4] or 0 for r in rows if r[0] in set(expect("平台", 4, True)))}
    rng = random.Random(9)
    query = ""
    for _ in range(60):  # typing on, deleting, replacing: every state checked against a plain filter
        action = rng.random()
        if action < 0.5:
            query += rng.choice(["智", "慧", "平", "台", "数", "1", "2", " ", "qs-", "县"])
        elif action < 0.7:
            query = query[:-1]
        elif action < 0.8:
            query = rng.choice(["", "数据", "qs-2022", "共享 1"])
        sort = rng.choice([None, (0, False), (1, True), (4, False), (4, True)])
        if sort is None:
            model.sort(-1)
        else:
            model.sort(sort[0], Qt.SortOrder.DescendingOrder if sort[1] else Qt.SortOrder.AscendingOrder)
        year = rng.choice([None, 2021, 2024])
        model.set_filter(query, {"year": year} if year else {})
        key = None if sort is None else {0: 0, 1: 1, 4: 4}[sort[0]]
        assert model.shown_ids() == expect(query, key, bool(sort and sort[1]), year), (query, sort, year)
    code = model.row_id(0) if model.rowCount() else None
    if code is not None:
        assert model.row_of(code) == 0
    assert model.row_of("QS-0000-0000") == -1


def test_paged_ids_come_a_slice_at_a_time(gapp) -> None:
    model, ids, rows, index = make_paged(5000)
    slices: list[tuple[int, int]] = []

    def more(offset: int, limit: int) -> list[int]:
        slices.append((offset, limit))
        return ids[offset:offset + limit]

    def fetch(wanted: list[int]) -> dict:
        return {i: {"code": rows[i - 10_000][0]} for i in wanted}

    model.set_ids(ids[:1000], fetch, total=len(ids), more=more)
    assert model.rowCount() == 5000 and model.total_count() == 5000 and slices == []
    assert model.data(model.index(999, 0)) == rows[999][0] and slices == []
    assert model.data(model.index(4321, 0)) == rows[4321][0]  # far down: the ids up to it, in one slice
    assert slices == [(1000, 3421)] and model.row_id(4400) == rows[4400][0]
    assert len(slices) == 2  # and the next ones when asked
    model.set_ids(ids[:10], fetch, total=20, more=lambda o, n: [])  # fewer rows than counted (deleted since)
    assert model.data(model.index(15, 0)) == "" and model.rowCount() == 20


def test_a_letter_that_leaves_the_same_rows_resets_nothing(gapp) -> None:
    """Typing on where every shown row still matches (QS- of QS-2025-…) keeps the rows and their totals: no reset,
    no repaint, no sum again; a letter that narrows them resets as before."""
    model, ids, rows, index = make_paged()
    model.set_index(index)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    model.set_query("qs")
    assert resets == [] and model.rowCount() == 1000
    total = model.totals()["total_fen"]
    assert total == sum(r[4] or 0 for r in rows)
    model.set_query("qs-")
    assert resets == [] and model.totals()["total_fen"] == total
    model.set_query("qs-2021")
    assert resets == [sum(1 for r in rows if r[0].startswith("QS-2021"))]
    assert model.totals()["total_fen"] == sum(r[4] or 0 for r in rows if r[0].startswith("QS-2021"))
    model.set_query("qs-2021-")  # the same rows again
    assert len(resets) == 1 and model.shown_ids() == [r[0] for r in rows if r[0].startswith("QS-2021")]


def test_both_models_take_their_headers_from_one_helper(gapp, qtbot) -> None:
    """The plain and the paged model read their columns' titles the same way (one helper, not two copies): what a
    person reads across the top and down the side of either table."""
    assert RecordTableModel.headerData is PagedTableModel.headerData is column_header_data
    paged, ids, _rows, index = make_paged()
    paged.set_ids(ids, lambda wanted: {})
    paged.set_index(index)
    for model in (make_model(), paged):
        view = QTableView()
        qtbot.addWidget(view)
        view.setModel(model)
        across = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
        assert across == [c.title for c in model.columns] and "项目编号" in across
        assert model.headerData(model.columnCount(), Qt.Orientation.Horizontal) is None  # past the last column
        assert model.headerData(0, Qt.Orientation.Vertical) == "1"
        assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) is None
        assert view.model().headerData(0, Qt.Orientation.Horizontal) == "项目编号"

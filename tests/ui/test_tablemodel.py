from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from app.ui.tablemodel import Column, RecordTableModel, money_column


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

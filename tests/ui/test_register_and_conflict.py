from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.actor import SETUP_ACTOR, Actor
from app.ui.mainwindow import MainWindow
from app.ui.screens import page_factories


@pytest.fixture
def window(ctx, sqlite_db, qtbot):
    from app.services import master, setup
    from app.services.projects import ProjectInput, register_project

    with sqlite_db.uow(SETUP_ACTOR) as uow:
        setup.initialise(uow)
        master.add_department(uow, "沁水县公安局")
        master.add_department(uow, "沁水县教育局")
        for i, (dept, name, cat) in enumerate([
                ("沁水县公安局", "智慧交通数据融合应用", "数据交易和开发利用"),
                ("沁水县公安局", "视频图像解析数据标注", "数据标注"),
                ("沁水县教育局", "中小学智慧校园建设", "信息网络及软硬件支撑系统")]):
            register_project(uow, ProjectInput(name=name, department=dept, category=cat, nature="新建",
                                               year=2026 + i % 2, total_fen=(i + 1) * 10_000_000,
                                               county_fen=(i + 1) * 10_000_000))
        uow.commit()
    ctx.db, ctx.actor = sqlite_db, SETUP_ACTOR
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.pages["register"].rows_shown, timeout=10000):
        ctx.database_opened.emit()
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10000)  # the dashboard's load too
    return w


def test_register_search_filters_totals_columns(window, qtbot) -> None:
    reg = window.show_section("register")
    assert reg.model.rowCount() == 3
    reg.search.setText("公安")
    assert reg.model.rowCount() == 2
    assert "显示 2 / 3 个项目" in reg.totals.text() and "总投资 30.00" in reg.totals.text()
    reg.department.setCurrentIndex(reg.department.findData("沁水县公安局"))
    reg.year.setCurrentIndex(reg.year.findData(2027))
    assert [reg.model.record(r).name for r in range(reg.model.rowCount())] == ["视频图像解析数据标注"]
    reg.search.setText("")
    reg.year.setCurrentIndex(0)
    reg.department.setCurrentIndex(0)
    assert reg.model.rowCount() == 3
    hidden = [i for i, c in enumerate(reg.model.columns) if c.key == "county_fen"][0]
    assert reg.table.isColumnHidden(hidden)
    reg.columns_menu.actions()[hidden].setChecked(True)
    assert not reg.table.isColumnHidden(hidden) and "县级财政 60.00" in reg.totals.text()
    window.close()  # the column choice is remembered
    again = MainWindow(window.ctx, page_factories())
    qtbot.addWidget(again)
    assert not again.pages["register"].table.isColumnHidden(hidden)


def test_export_shown_rows_to_excel(window, qtbot, tmp_path) -> None:
    from openpyxl import load_workbook

    reg = window.show_section("register")
    reg.search.setText("公安")
    path = tmp_path / "台账.xlsx"
    with qtbot.waitSignal(window.ctx.tasks.task_finished, timeout=15000):
        reg.export_shown(str(path))
    ws = load_workbook(path).active
    names = {c.value for row in ws.iter_rows() for c in row}
    assert "智慧交通数据融合应用" in names and "中小学智慧校园建设" not in names
    assert "视频图像解析数据标注" in names  # every shown row, not only the first


def test_one_export_leaves_one_audit_record(window, qtbot, tmp_path) -> None:
    import json

    from app.services import audit

    def exports() -> list:
        with window.ctx.db.uow(SETUP_ACTOR, write=False) as uow:
            return audit.search(uow.session, action="project.export")

    reg = window.show_section("register")
    reg.year.setCurrentIndex(reg.year.findData(2026))
    assert reg.model.rowCount() == 2
    assert exports() == []
    with qtbot.waitSignal(window.ctx.tasks.task_finished, timeout=15000):
        reg.export_shown(str(tmp_path / "台账2026.xlsx"))
    records = exports()
    assert len(records) == 1
    detail = json.loads(records[0].detail)
    assert (detail["file"], detail["rows"], detail["year"], detail["shown_rows"]) == ("台账2026.xlsx", 2, 2026, True)


def test_double_click_opens_the_project(window, qtbot) -> None:
    reg = window.show_section("register")
    row = reg.model.row_of(reg.model.row_id(1))
    with qtbot.waitSignal(window.ensure_project_page().loaded, timeout=10000):
        reg.table.doubleClicked.emit(reg.model.index(row, 1))
    assert window.current_section() == "project"
    assert window.project_page.bundle.project.code == reg.model.row_id(1)


def test_concurrent_edit_shows_a_conflict_never_overwrites(window, ctx, qtbot) -> None:
    from app.services.projects import get_project, update_project

    reg = window.show_section("register")
    code = reg.model.row_id(0)
    with qtbot.waitSignal(window.ensure_project_page().loaded, timeout=10000):
        window.open_project(code)
    editor = window.project_page.facts
    # someone else saves meanwhile
    with ctx.db.uow(Actor("other", "reviewer")) as uow:
        update_project(uow, code, {"responsible_person": "李晓红"})
        uow.commit()
    editor.form.person.setText("张建国")
    assert editor.save_button.isEnabled()
    with qtbot.waitSignal(ctx.tasks.task_finished, timeout=10000):
        editor.save_button.click()
    box = [b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox)
           and b.objectName() == "conflictBox"][-1]
    assert "李晓红" in box.informativeText() and "张建国" in box.informativeText()
    with ctx.db.uow(SETUP_ACTOR, write=False) as uow:
        assert get_project(uow, code).responsible_person == "李晓红"  # not overwritten
    box.done(0)


def test_filtering_20000_projects_keystroke_by_keystroke(window, qtbot) -> None:
    """Each keystroke shows exactly the matching rows (how fast: bench/bench_scale.py, never a test)."""
    reg = window.show_section("register")
    base = reg.model.record(0)
    many = [SimpleNamespace(**(vars(base) | {"id": i, "code": f"QS-2026-{i:05d}",
                                            "name": f"项目{i}号 {'智慧' if i % 3 else '平台'}"}))
            for i in range(20_000)]
    assert "项目" not in base.department + base.category + base.status_label
    reg.set_projects(many)
    counts = []
    for text in ("项", "项目1", "项目12", "项目123", "项目123 智慧", "项目123号 平台", "项目124号 平台"):
        expected = {p.code for p in many if all(w in p.name for w in text.split())}
        reg.search.setText(text)
        qtbot.waitUntil(lambda e=expected: set(reg.model.shown_ids()) == e, timeout=10_000)
        assert reg.model.rowCount() == len(expected)
        counts.append(len(expected))
    assert counts == [20_000, 11_111, 1_111, 111, 72, 1, 0]  # 123 % 3 == 0: 平台; 124: 智慧


def test_many_rows_filter_and_sort_as_the_services_would(window, qtbot) -> None:
    """20,000 rows: what a keystroke, a column sort and a menu filter show is exactly what a plain Python filter
    and a stable sort give (the time per keystroke is measured by bench/bench_scale.py, not here)."""
    reg = window.show_section("register")
    base = reg.model.record(0)
    many = [SimpleNamespace(**(vars(base) | {"id": i, "code": f"QS-{2020 + i % 7}-{i:05d}",
                                            "name": f"项目{i}号 {'智慧' if i % 3 else '平台'}", "year": 2020 + i % 7,
                                            "total_fen": (i * 7919) % 100_000}))
            for i in range(20_000)]
    reg.set_projects(many)
    text = ""
    for ch in "智慧1":  # each keystroke narrows the last one's rows
        text += ch
        reg.search.setText(text)
        want = [p.code for p in many if all(w in f"{p.code} {p.name} {p.department} {p.category} {p.status_label}"
                                            .lower() for w in text.lower().split())]
        assert reg.model.shown_ids() == want, text
    reg.search.setText("智慧 1")  # two words, not one narrowing the other
    assert reg.model.shown_ids() == [p.code for p in many if "智慧" in p.name and "1" in p.code + p.name]
    total = [i for i, c in enumerate(reg.model.columns) if c.key == "total_fen"][0]
    reg.table.sortByColumn(total, Qt.SortOrder.DescendingOrder)
    shown = [p for p in many if "智慧" in p.name and "1" in p.code + p.name]
    assert reg.model.shown_ids() == [p.code for p in sorted(shown, key=lambda p: p.total_fen, reverse=True)]
    reg.year.setCurrentIndex(reg.year.findData(2023))
    assert reg.model.shown_ids() == [p.code for p in sorted(shown, key=lambda p: p.total_fen, reverse=True)
                                     if p.year == 2023]
    assert f"显示 {reg.model.rowCount()} / 20000 个项目" in reg.totals.text()
    reg.search.setText("")
    reg.year.setCurrentIndex(0)
    reg.table.sortByColumn(total, Qt.SortOrder.AscendingOrder)
    assert reg.model.shown_ids() == [p.code for p in sorted(many, key=lambda p: p.total_fen)]
    reg.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # back to the services' order
    assert reg.model.shown_ids() == [p.code for p in many]


def test_printed_ledger_holds_the_rows_shown(window, qtbot) -> None:
    import io

    from pypdf import PdfReader

    from app.services.forms import verify_form

    reg = window.show_section("register")
    reg.search.setText("公安")
    qtbot.mouseClick(reg.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(reg, "preview", None) is not None and reg.preview.isVisible(), timeout=15000)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(reg.preview.pdf)).pages)
    assert "智慧交通数据融合应用" in text and "视频图像解析数据标注" in text
    assert "中小学智慧校园建设" not in text
    with window.ctx.db.uow(SETUP_ACTOR, write=False) as uow:
        from sqlalchemy import select

        from app.models import PrintedForm

        row = uow.session.scalars(select(PrintedForm).order_by(PrintedForm.id.desc())).first()
        assert row.kind == "ledger" and row.serial in reg.preview.windowTitle() + text
        assert verify_form(uow, row.serial, row.digest).ok  # the shown rows are part of the form's source


def test_the_fill_in_template_from_the_window(ctx, sqlite_db, qtbot, tmp_path) -> None:
    """导出填报模板: the same service as `govdata export-template`; the status bar says where it went."""
    from openpyxl import load_workbook

    from app.domain.actor import SETUP_ACTOR
    from app.services import master, setup
    from app.ui.mainwindow import MainWindow
    from app.ui.screens import page_factories

    with sqlite_db.uow(SETUP_ACTOR) as uow:
        setup.initialise(uow)
        master.add_department(uow, "沁水县公安局")
        uow.commit()
    ctx.db, ctx.actor = sqlite_db, SETUP_ACTOR
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    w.show()
    register = w.show_section("register")
    qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10000)
    assert register.template_button.isEnabled()
    out = tmp_path / "申报表.xlsx"
    with qtbot.waitSignal(register.template_saved, timeout=15000):
        register.export_template(str(out), 2028)
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "沁水县2028年度政务大数据项目预算申报表"
    assert w.statusBar().currentMessage() == f"已导出2028年度填报模板（1 个单位可选）到 {out}"


def test_the_register_uses_the_width_of_a_wide_screen(ctx, sqlite_db, qtbot) -> None:
    from app.domain.actor import SETUP_ACTOR
    from app.ui.mainwindow import MainWindow
    from app.ui.screens import page_factories

    ctx.db, ctx.actor = sqlite_db, SETUP_ACTOR
    w = MainWindow(ctx, page_factories())
    qtbot.addWidget(w)
    for width in (1366, 1920):
        w.resize(width, 1000)
        w.show()
        register = w.show_section("register")
        qtbot.waitUntil(lambda: ctx.tasks.active == 0, timeout=10000)
        header = register.table.horizontalHeader()
        used = sum(header.sectionSize(i) for i in range(header.count()) if not header.isSectionHidden(i))
        assert abs(used - register.table.viewport().width()) <= 2, (width, used, register.table.viewport().width())
        assert header.sectionSize(1) >= 260  # 项目名称 never below its own width

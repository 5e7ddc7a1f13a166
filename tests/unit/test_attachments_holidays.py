"""Attachments with their SM3 digest; holidays imported from a sheet, all or nothing."""

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import update

from app.cli.main import main
from app.domain.workdays import add_workdays
from app.errors import ImportRefused, UnreadableError
from app.models import AttachmentBlob
from app.services.attachments import add_attachment, list_attachments, read_attachment
from app.services.calendar import holiday_overrides, import_holidays
from app.services.projects import list_materials


def test_attachment_round_trip_and_material_link(walker):
    code = walker.register()
    with walker.db.uow(walker.actor) as uow:
        a = add_attachment(uow, code, "/tmp/可行性研究报告.pdf", b"%PDF-1.4 study", material="feasibility")
        b = add_attachment(uow, code, "copy.pdf", b"%PDF-1.4 study")
        uow.commit()
    assert a.digest == b.digest and len(a.digest) == 64 and a.filename == "可行性研究报告.pdf"
    with walker.db.uow(walker.actor) as uow:
        assert [x.id for x in list_attachments(uow, code)] == [a.id, b.id]
        view, data = read_attachment(uow, a.id)
        assert data == b"%PDF-1.4 study"
        feas = {m.kind: m for m in list_materials(uow, code)}["feasibility"]
        assert feas.attachment_id == a.id and feas.received_on is not None


def test_changed_attachment_bytes_are_noticed(walker):
    code = walker.register()
    with walker.db.uow(walker.actor) as uow:
        a = add_attachment(uow, code, "合同.pdf", b"original")
        uow.commit()
    with walker.db.uow(walker.actor) as uow:
        uow.session.execute(update(AttachmentBlob).values(data=b"tampered"))
        uow.commit()
    with walker.db.uow(walker.actor) as uow:
        with pytest.raises(UnreadableError, match="SM3"):
            read_attachment(uow, a.id)


def _sheet(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "类型", "说明"])
    for r in rows:
        ws.append(r)
    wb.save(path)


def test_holiday_sheet_import_changes_deadlines(walker, tmp_path):
    path = tmp_path / "2027节假日.xlsx"
    _sheet(path, [[dt.date(2027, 2, 1), "休息日", "春节"], ["2027/2/2", "节假日", "春节"],
                  ["2027年2月6日", "调休上班", "春节调休"]])
    with walker.db.uow(walker.actor) as uow:
        result = import_holidays(uow, path)
        uow.commit()
        overrides = holiday_overrides(uow)
    assert (result.days, result.workdays, result.holidays) == (3, 1, 2)
    due = add_workdays(dt.date(2027, 1, 29), 5, overrides)  # Fri; 2/1, 2/2 off; 2/3–2/5, Sat 2/6 works, 2/8
    assert due.due == dt.date(2027, 2, 8) and due.provisional  # the sheet may not be the whole year (第十五条)
    whole = tmp_path / "2027全年节假日.xlsx"  # the whole year's list: a year is complete only with 春节 and 国庆节
    _sheet(whole, [[dt.date(2027, 2, 1), "休息日", "春节"], ["2027/2/2", "节假日", "春节"],
                   ["2027年2月6日", "调休上班", "春节调休"], ["2027-10-01", "节假日", "国庆节"]])
    with walker.db.uow(walker.actor) as uow:
        import_holidays(uow, whole, complete=True)  # the office says the sheet is the year's whole list
        uow.commit()
        overrides = holiday_overrides(uow)
    due = add_workdays(dt.date(2027, 1, 29), 5, overrides)
    assert due.due == dt.date(2027, 2, 8) and not due.provisional


def test_bad_holiday_sheet_writes_nothing(walker, tmp_path):
    path = tmp_path / "bad.xlsx"
    _sheet(path, [[dt.date(2027, 2, 1), "休息日", None], ["明天", "休息日", None], ["2027-02-03", "也许", None]])
    with walker.db.uow(walker.actor) as uow:
        with pytest.raises(ImportRefused) as exc:
            import_holidays(uow, path)
        assert [(e.row, e.column) for e in exc.value.errors] == [(3, "日期"), (4, "类型")]
    with walker.db.uow(walker.actor) as uow:
        assert holiday_overrides(uow) == {}


def test_calendar_import_command_names_the_cell(tmp_path, capsys):
    db = str(tmp_path / "c.sqlite3")
    assert main(["--db", db, "init"]) == 0
    path = tmp_path / "bad.xlsx"
    _sheet(path, [["2027-02-30", "休息日", None]])
    assert main(["--db", db, "calendar", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "第2行“日期”列" in err

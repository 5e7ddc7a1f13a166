"""第十六条: the fund-use comparison per project and year, by kind and source — exact figures, printed and exported."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from pypdf import PdfReader

from app.domain.actor import Actor
from app.errors import InputError
from app.models import Budget, Payment
from app.services import funds
from app.services.forms import build_form, verify_form
from app.services.projects import get_project


def _project_with_money(walker) -> str:
    code = walker.to("approved", upper_fen=40_000_000)  # approved 1,000,000.00 元: county 600,000, upper 400,000
    walker.go(code, "budget", amount="600000", year=2026, source="county", on="2026-02-10")
    walker.go(code, "budget", amount="300000", year=2026, source="upper", on="2026-02-10")
    walker.go(code, "publicize", start_on="2026-02-24")
    walker.go(code, "sign-contract", contract_no="HT-F1", contractor=walker.market, amount="900000",
              signed_on="2026-03-16", selection_method="公开招标")
    walker.go(code, "pay", amount="200000.50", paid_on="2026-04-01", source="county")
    walker.go(code, "pay", amount="100000", paid_on="2026-05-01", source="county")
    walker.go(code, "pay", amount="300000", paid_on="2026-06-01", source="upper")
    # a payment kept from before funding sources were recorded (第十条 now refuses one without a budget)
    with walker.db.uow(walker.actor) as uow:
        uow.session.add(Payment(project_id=get_project(uow, code).id, kind="construction", amount_fen=5_000_000,
                                paid_on=dt.date(2026, 7, 1), source=None))
        uow.commit()
    return code


def _compare(walker, **kw):
    with walker.db.uow(walker.actor, write=False) as uow:
        return funds.compare(uow, **kw)


def test_comparison_per_project_year_and_source(walker):
    code = _project_with_money(walker)
    c = _compare(walker, year=2026)
    lines = {(r.kind, r.source): r for r in c.rows if not r.subtotal}
    county = lines[("construction", "county")]
    assert (county.budget_fen, county.paid_fen, county.balance_fen, county.rate) == (
        60_000_000, 30_000_050, 29_999_950, "50.0%")
    upper = lines[("construction", "upper")]
    assert (upper.paid_fen, upper.rate, upper.note) == (30_000_000, "100.0%", "")
    unsplit = lines[("construction", None)]
    assert (unsplit.source_label, unsplit.budget_fen, unsplit.paid_fen, unsplit.rate, unsplit.note) == (
        "未区分来源", 0, 5_000_000, "—", "无对应预算的拨付")
    [sub] = [r for r in c.rows if r.subtotal]
    assert (sub.code, sub.budget_fen, sub.paid_fen, sub.rate) == (code, 90_000_000, 65_000_050, "72.2%")
    assert (c.budget_fen, c.paid_fen, c.rate) == (90_000_000, 65_000_050, "72.2%")


def test_comparison_by_year_keeps_years_apart(walker):
    code = _project_with_money(walker)
    with walker.db.uow(walker.actor) as uow:
        pid = get_project(uow, code).id
        uow.session.add(Budget(project_id=pid, year=2027, kind="construction", amount_fen=10_000_000,
                               set_on=dt.date(2026, 11, 1), source="county"))
        uow.commit()
    assert {r.year for r in _compare(walker).rows} == {2026, 2027}
    c27 = _compare(walker, year=2027)
    assert [(r.year, r.budget_fen, r.paid_fen, r.rate) for r in c27.rows] == [(2027, 10_000_000, 0, "0.0%")]
    assert _compare(walker, project=code).project == code
    with pytest.raises(InputError):
        _compare(walker, year=1999)


def test_rate_is_exact_half_up():
    assert funds.rate_text(funds.rate_tenths(1, 3)) == "33.3%"
    assert funds.rate_text(funds.rate_tenths(2, 3)) == "66.7%"
    assert funds.rate_text(funds.rate_tenths(1, 8)) == "12.5%"  # 12.5 exactly
    assert funds.rate_text(funds.rate_tenths(1, 16)) == "6.3%"  # 6.25 → 6.3
    assert funds.rate_tenths(5, 0) is None


def test_a_clerk_compares_only_the_own_departments_projects(walker):
    code = _project_with_money(walker)
    other = Actor("c2", "clerk", department_id=999)
    with walker.db.uow(other, write=False) as uow:
        assert funds.compare(uow, year=2026).rows == ()
    with walker.db.uow(walker.actor, write=False) as uow:
        own = Actor("c1", "clerk", department_id=get_project(uow, code).department_id)
    with walker.db.uow(own, write=False) as uow:
        assert funds.compare(uow, year=2026).budget_fen == 90_000_000


def test_export_holds_the_figures(walker, tmp_path):
    _project_with_money(walker)
    out = tmp_path / "对照.xlsx"
    with walker.db.uow(walker.actor) as uow:
        n = funds.export_comparison(uow, out, year=2026)
        uow.commit()
    ws = openpyxl.load_workbook(out).active
    values = list(ws.iter_rows(values_only=True))
    assert n == 3 and "2026年度" in values[0][0] and "资金使用对照分析表" in values[0][0]
    header = values[2]
    body = [dict(zip(header, r, strict=True)) for r in values[3:]]
    county = next(r for r in body if r["资金来源"] == "县级财政资金")
    assert county["预算（元）"] == Decimal("600000.00") and county["已拨付（元）"] == Decimal("300000.50")
    assert county["执行率"] == "50.0%"
    sub = next(r for r in body if r["资金类型"] == "小计")
    assert sub["序号"] is None and sub["已拨付（元）"] == Decimal("650000.50")
    total = body[-1]
    assert total["序号"] == "合计" and total["预算（元）"] == Decimal("900000.00") and total["执行率"] == "72.2%"


def test_the_printed_comparison_is_recorded_and_verifies(walker):
    code = _project_with_money(walker)
    with walker.db.uow(walker.actor) as uow:
        printed = build_form(uow, "fund-comparison", year=2026)
        uow.commit()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.pdf)).pages).replace(" ", "")
    assert "资金使用对照分析表" in text and code in text and "72.2%" in text and "650,000.50" in text
    with walker.db.uow(walker.actor, write=False) as uow:
        assert verify_form(uow, printed.serial, printed.digest).ok
    walker.go(code, "pay", amount="1", paid_on="2026-08-01", source="county")  # the record changes after the print
    with walker.db.uow(walker.actor, write=False) as uow:
        assert verify_form(uow, printed.serial, printed.digest).status == "changed"
    with walker.db.uow(walker.actor) as uow, pytest.raises(InputError):
        build_form(uow, "fund-comparison", year=2030)  # nothing to compare: nothing printed

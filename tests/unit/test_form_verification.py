"""Verifying a printed form after its record changed (issue 15): the earlier print is reported as superseded, naming
what changed and the later print that shows the record as it is; a print laid out by another version of the form is
not called a changed record; an unchanged record verifies."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.models import PrintedForm
from app.reports import digest_of
from app.services import forms


def _print(walker, kind: str = "publicity", **kw) -> forms.PrintedResult:
    with walker.db.uow(walker.actor) as uow:
        r = forms.build_form(uow, kind, year=2026, **kw)
        uow.commit()
        return r


def _verify(walker, serial: str, digest: str) -> forms.Verification:
    with walker.db.uow(walker.actor, write=False) as uow:
        return forms.verify_form(uow, serial, digest)


def test_an_earlier_publicity_print_is_superseded_after_its_notice_changed(walker):
    walker.to("publicized")
    first = _print(walker)
    assert _verify(walker, first.serial, first.digest).status == "unchanged"
    other = walker.to("budgeted")
    walker.go(other, "publicize", start_on="2026-02-24")  # joins the same notice (第十一条)
    v = _verify(walker, first.serial, first.digest)
    assert v.status == "changed" and v.exit_code == 4
    assert f"公示项目：增加 {other}" in v.changed and "正文（合计）" in v.changed
    assert v.superseded_by is None and "请重新打印" in v.message
    second = _print(walker)
    assert _verify(walker, second.serial, second.digest).status == "unchanged"
    v = _verify(walker, first.serial, first.digest)
    assert v.status == "changed" and v.superseded_by == second.serial
    assert f"已被编号 {second.serial}" in v.message and f"增加 {other}" in v.message


def _rewrite(walker, serial: str, change) -> str:
    """What an older program would have stored for this print (its content and digest), as `change` makes it."""
    with walker.db.uow(walker.actor) as uow:
        row = uow.session.scalar(select(PrintedForm).where(PrintedForm.serial == serial))
        body = json.loads(row.content)
        change(body)
        row.content = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        row.digest = digest_of(row.content)
        uow.commit()
        return row.digest


def test_a_print_of_another_layout_is_not_called_a_changed_record(walker):
    walker.to("publicized")
    r = _print(walker)

    def older_layout(body: dict) -> None:  # the table's column had another name then
        body["layout"] = "0" * 16
        table = next(e for e in body["fields"] if e[0] == "表")
        table[2] = ["类别" if h == "资金类别" else h for h in table[2]]

    v = _verify(walker, r.serial, _rewrite(walker, r.serial, older_layout))
    assert v.status == "legacy" and v.exit_code == 4 and not v.ok
    assert "版式" in v.message and "记录已变更" not in v.message


def test_a_print_from_before_layouts_were_fingerprinted_still_verifies(walker):
    walker.to("publicized")
    r = _print(walker)
    digest = _rewrite(walker, r.serial, lambda body: body.pop("layout"))
    assert _verify(walker, r.serial, digest).status == "unchanged"

"""The split detector (第九条 变相包装; issue 13 item 5): across departments and years, and pieces that add up to a
threshold; its findings reach the reviewer at review, `govdata show` and the approval form."""

from __future__ import annotations

import json

from app.cli.main import main
from app.services import forms
from app.services.lifecycle import split_findings


def kinds(walker, code):
    with walker.db.uow(walker.actor, write=False) as uow:
        return [(f.kind, f.code) for f in split_findings(uow, code)]


def test_one_point_two_million_cut_into_three_pieces_of_400_thousand(walker):
    a = walker.register(name="城市运行管理平台（感知子系统）", total=40_000_000)
    b = walker.register(name="城市运行管理平台（指挥子系统）", total=40_000_000, department="县教育局")
    c = walker.register(name="城市运行管理平台（数据子系统）", total=40_000_000, year=2027)
    with walker.db.uow(walker.actor, write=False) as uow:
        found = split_findings(uow, a)
    adds = [f for f in found if f.kind == "adds_up"]
    assert len(adds) == 1 and set(adds[0].codes) == {a, b, c}
    assert "1,200,000.00" in adds[0].reason and "1,000,000.00" in adds[0].reason
    similar = {f.code: f.reason for f in found if f.kind == "similar"}
    assert set(similar) == {b, c}
    assert "另一单位（沁水县教育局）" in similar[b] and "2027年度" in similar[c]


def test_a_project_alone_is_no_finding_and_just_below_a_threshold_is(walker):
    alone = walker.register(name="完全不同的系统", total=20_000_000, content="档案数字化加工与著录")
    assert kinds(walker, alone) == []
    near = walker.register(name="另一套毫不相干的平台", total=48_000_000, content="农村供水水质在线监测")
    assert kinds(walker, near) == [("just_below", near)]


def test_the_reviewer_sees_the_findings_at_review_and_on_the_approval_form(walker, capsys):
    walker.register(name="智慧校园数据平台一期", total=45_000_000, department="县教育局")
    code = walker.register(name="智慧校园数据平台二期", total=48_000_000)
    walker.materials(code)
    submitted = walker.go(code, "submit")
    assert "similar" not in submitted.data  # the clerk is not the one who decides
    started = walker.go(code, "start-review", on="2026-01-10")
    reasons = " ".join(s["reason"] for s in started.data["similar"])
    assert "名称相似度" in reasons and "另一单位" in reasons and "达到审批限额" in reasons
    assert any("第九条" in w for w in started.warnings)
    walker.go(code, "review", conclusion="pass", on="2026-01-15", **walker.REVIEW_ANSWERS)
    with walker.db.uow(walker.actor, write=False) as uow:
        form, _source, _pid = forms.gather(uow, "approval", project_code=code)
    assert form.split_findings and any("达到审批限额" in s.reason for s in form.split_findings)
    if walker.db.is_sqlite:
        dbfile = walker.db.url.removeprefix("sqlite:///")
        assert main(["--db", dbfile, "show", code]) == 0
        assert "疑似拆分或变相包装（第九条）" in capsys.readouterr().out
        assert main(["--db", dbfile, "show", code, "--json"]) == 0
        assert {f["kind"] for f in json.loads(capsys.readouterr().out)["split_findings"]} >= {"similar", "adds_up"}

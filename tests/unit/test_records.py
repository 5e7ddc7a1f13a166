"""The records that were kept on paper: each is entered, listed and exported with its real values, and each rule
the measure sets for it refuses (naming its article) without writing anything."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from app.domain.actor import Actor
from app.errors import InputError, PermissionDenied, RuleViolation
from app.models import AuditRecord, Budget, PublicityObjection
from app.services import (
    accountability,
    legacy,
    objections,
    planning,
    publicity,
    recordkinds,
    records,
    safety,
    security,
)
from app.services.master import get_department
from app.services.plans import add_to_annual_plan, get_annual_plan

REVIEWER = Actor("rev", "reviewer", display_name="王审核")
FINANCE = Actor("fin", "finance", display_name="李财政")
LEADER = Actor("boss", "leader")


def do(walker, fn, actor=None, **kw):
    with walker.db.uow(actor or walker.actor) as uow:
        out = fn(uow, **kw)
        uow.commit()
        return out


def rows(walker, key, actor=None):
    with walker.db.uow(actor or walker.actor, write=False) as uow:
        return records.list_records(uow, key)


def count(walker, model) -> int:
    with walker.db.uow(walker.actor, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def refused(walker, article, fn, actor=None, **kw):
    with pytest.raises(RuleViolation) as exc:
        do(walker, fn, actor, **kw)
    assert exc.value.article == article, exc.value.message
    assert article in exc.value.message
    return exc.value.message


def exported(walker, key, tmp_path, actor=None):
    out = tmp_path / f"{key}.xlsx"
    with walker.db.uow(actor or walker.actor) as uow:
        n = records.export_records(uow, key, out)
        uow.commit()
    ws = openpyxl.load_workbook(out).active
    values = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    return n, values


# ---------------------------------------------------------------- 第六条


def test_department_plan_filed_with_the_bureau_lists_and_exports(walker, tmp_path):
    v = do(walker, planning.file_department_plan, department="县公安局", title="沁水县公安局“十五五”信息化规划",
           start_year=2026, end_year=2030, filed_on="2026-03-02", received_by="王审核", doc_no="沁公发〔2026〕3号")
    assert (v.department, v.period, v.received_by) == ("沁水县公安局", "2026—2030年", "王审核")
    [row] = rows(walker, "dept-plan")
    assert row.title == "沁水县公安局“十五五”信息化规划" and row.filed_on == dt.date(2026, 3, 2)
    n, sheet = exported(walker, "dept-plan", tmp_path)
    assert n == 1 and "部门规划备案" in sheet[0][0]
    header = sheet[2]
    line = dict(zip(header, sheet[3], strict=True))
    assert line["编制单位"] == "沁水县公安局" and line["接收人"] == "王审核" and line["规划文号"] == "沁公发〔2026〕3号"
    assert line["备案日期"].date() == dt.date(2026, 3, 2)


@pytest.mark.parametrize("fields, message", [
    (dict(start_year=2030, end_year=2026, filed_on="2026-03-02"), "不能早于起始年份"),
    (dict(start_year=2026, end_year=2030, filed_on="2099-01-01"), "不能晚于"),
    (dict(start_year=2026, end_year=2030, filed_on="2026-02-30"), "不是有效的日期"),
])
def test_department_plan_refuses_bad_facts(walker, fields, message):
    with pytest.raises(InputError) as exc:
        do(walker, planning.file_department_plan, department="县公安局", title="规划", **fields)
    assert message in exc.value.message
    assert rows(walker, "dept-plan") == []


def test_city_filing_comes_after_the_plan_it_files(walker):
    dept_plan = do(walker, planning.file_department_plan, department="县教育局", title="教育信息化规划",
                   start_year=2026, end_year=2028, filed_on="2026-04-01")
    refused(walker, "第六条", planning.file_with_city, title="全县政务信息系统建设规划报备", filed_on="2026-03-20",
            doc_no="沁审管函〔2026〕4号", plan=dept_plan.id)
    v = do(walker, planning.file_with_city, title="全县政务信息系统建设规划报备", filed_on="2026-04-10",
           doc_no="沁审管函〔2026〕4号", plan=dept_plan.id)
    assert v.filed_to == "晋城市大数据应用局" and v.plan_title == "教育信息化规划"
    [row] = rows(walker, "city-filing")
    assert (row.doc_no, row.filed_on) == ("沁审管函〔2026〕4号", dt.date(2026, 4, 10))


def test_annual_plan_approval_is_recorded_and_cannot_postdate_a_project_approval(walker, tmp_path):
    code = walker.to("reviewed")
    with walker.db.uow(walker.actor) as uow:
        add_to_annual_plan(uow, 2026, [code])
        uow.commit()
    [plan] = rows(walker, "plan-approval")
    assert plan.state == "待县人民政府批准" and plan.projects == 1
    v = do(walker, planning.approve_annual_plan, year=2026, approved_on="2026-01-12", doc_no="沁政函〔2026〕2号")
    assert v.approved and v.approved_by == "沁水县人民政府" and v.doc_no == "沁政函〔2026〕2号"
    walker.go(code, "approve", on="2026-01-20")
    refused(walker, "第六条", planning.approve_annual_plan, year=2026, approved_on="2026-01-25", doc_no="沁政函〔2026〕9号")
    [plan] = rows(walker, "plan-approval")
    assert plan.approved_on == dt.date(2026, 1, 12)  # unchanged
    n, sheet = exported(walker, "plan-approval", tmp_path)
    assert n == 1 and sheet[3][5] == "已批准"


def _register(walker, period_months, total=300_000_000):
    from app.services.projects import ProjectInput, register_project

    data = ProjectInput(name=f"多年度项目{period_months}", department="县公安局", category="信息应用系统开发",
                        nature="新建", year=2026, total_fen=total, county_fen=total, period_months=period_months)
    return do(walker, register_project, data=data).code


def test_a_multi_year_project_appears_in_each_years_plan(walker):
    code = _register(walker, 18)  # 3,000,000 元 over 2026—2027
    walker.plan(code)
    do(walker, planning.plan_year_amount, project=code, year=2026, amount=180_000_000)
    v = do(walker, planning.plan_year_amount, project=code, year=2027, amount=120_000_000)
    assert v.years == "2026—2027年" and v.planned_all_years_fen == 300_000_000
    years = {(r.plan_year, r.planned_fen) for r in rows(walker, "plan-year")}
    assert years == {(2026, 180_000_000), (2027, 120_000_000)}
    with walker.db.uow(walker.actor, write=False) as uow:
        later = get_annual_plan(uow, 2027)
    assert [p.code for p in later.projects] == [code] and later.planned_fen == (120_000_000,)
    msg = refused(walker, "第六条", planning.plan_year_amount, project=code, year=2028, amount=1)
    assert "2026—2027年" in msg
    refused(walker, "第六条", planning.plan_year_amount, project=code, year=2027, amount=120_000_001)


def test_a_one_year_project_stays_in_its_own_years_plan(walker):
    code = _register(walker, 12)
    refused(walker, "第六条", planning.plan_year_amount, project=code, year=2027, amount=100)


# ---------------------------------------------------------------- 第十一条


def test_publicity_objection_blocks_contracts_until_handled(walker, tmp_path):
    code = walker.to("publicized")  # publicity from 2026-02-24
    refused(walker, "第十一条", objections.record_objection, project=code, received_on="2026-06-01",
            objector="张某", content="公示期已过")
    o = do(walker, objections.record_objection, project=code, received_on="2026-02-26", objector="张某",
           phone="13935601234", content="项目与县级平台重复建设")
    assert o.state == "待处理" and o.phone == "13935601234"
    with walker.db.uow(LEADER, write=False) as uow:
        [seen] = objections.list_objections(uow)
    assert seen.phone == "139****1234"  # the leader does not read personal data
    msg = refused(walker, "第十一条", lambda uow, **kw: walker.go(code, "sign-contract", **kw),
                  contract_no="HT-1", contractor=walker.market, amount="500000", signed_on="2026-03-16",
                  selection_method="公开招标")
    assert "尚未处理" in msg and walker.status(code) == "publicized"
    with pytest.raises(InputError):
        do(walker, objections.handle_objection, id=o.id, handled_on="2026-02-25", handling="核实", outcome="dismissed")
    h = do(walker, objections.handle_objection, id=o.id, handled_on="2026-03-02", outcome="dismissed",
           handling="经核实，项目已与县级平台对接，不存在重复建设")
    assert (h.state, h.outcome_label) == ("已处理", "异议不成立")
    walker.go(code, "sign-contract", contract_no="HT-1", contractor=walker.market, amount="500000",
              signed_on="2026-03-16", selection_method="公开招标")
    assert walker.status(code) == "under_construction"
    n, sheet = exported(walker, "objection", tmp_path, LEADER)
    line = dict(zip(sheet[2], sheet[3], strict=True))
    assert n == 1 and line["联系电话"] == "139****1234" and line["处理结果"] == "异议不成立"


def test_om_and_later_year_budgets_are_publicised_with_their_amounts(walker):
    code = walker.to("in_operation")
    with walker.db.uow(walker.actor) as uow:  # an O&M budget decided after the project's first publicity
        uow.session.add(Budget(project_id=uow.session.scalar(select(Budget.project_id)), year=2027, kind="om",
                               amount_fen=8_000_000, set_on=dt.date(2026, 11, 20), source="county"))
        uow.commit()
    waiting = [r for r in rows(walker, "budget-notice") if r.year == 2027]
    assert [(r.state, r.kind_label, r.amount_fen) for r in waiting] == [("待公示", "运维资金", 8_000_000)]
    with pytest.raises(InputError):  # a notice cannot start before the budget was decided
        do(walker, publicity.publicize_budgets, year=2027, start_on="2026-11-19")
    res = do(walker, publicity.publicize_budgets, year=2027, start_on="2026-11-23")
    assert (res.budgets, res.projects, res.amount_fen) == (1, 1, 8_000_000) and res.end_on > res.start_on
    with walker.db.uow(walker.actor, write=False) as uow:
        [line] = publicity.publicity_lines(uow, res.publicity_id)
    assert (line.code, line.budget_year, line.kind_label, line.source_label, line.amount_fen) == (
        code, 2027, "运维资金", "县级财政资金", 8_000_000)
    with pytest.raises(InputError):  # each budget once
        do(walker, publicity.publicize_budgets, year=2027, start_on="2026-11-30")


# ---------------------------------------------------------------- 第二十一条


def test_om_of_a_pre_existing_system_goes_through_the_bureau_then_finance(walker, tmp_path):
    s = do(walker, legacy.register_system, name="县公安局视频专网管理系统", department="县公安局", built_year=2015,
           description="2015年建成的视频专网管理系统")
    assert s.sharing == "未共享（目录未注册、数据未落盘）"
    clerk = Actor("clerk", "clerk", department_id=s.department_id)
    r = do(walker, legacy.request_om, clerk, system=s.id, year=2027, amount=12_000_000, requested_on="2026-11-02",
           content="设备维保和云资源")
    assert r.status_label == "待主管部门审核"
    msg = refused(walker, "第二十一条", legacy.budget_om, FINANCE, id=r.id, budget_on="2026-11-20", amount=12_000_000)
    assert "审核通过后" in msg
    with pytest.raises(PermissionDenied):  # finance does not review
        do(walker, legacy.review_om, FINANCE, id=r.id, decision="approve", reviewed_on="2026-11-05", opinion="同意")
    refused(walker, "第九条", legacy.review_om, REVIEWER, id=r.id, decision="approve", reviewed_on="2026-11-05",
            opinion="同意")
    do(walker, legacy.update_sharing, id=s.id, catalogue_registered=True, data_landed=True)
    r = do(walker, legacy.review_om, REVIEWER, id=r.id, decision="approve", reviewed_on="2026-11-05",
           opinion="同意，核减云资源费用", amount=10_000_000)
    assert (r.status, r.reviewed_fen, r.reviewer) == ("approved", 10_000_000, "王审核")
    with pytest.raises(PermissionDenied):  # the bureau does not list it in the budget
        do(walker, legacy.budget_om, REVIEWER, id=r.id, budget_on="2026-11-20", amount=10_000_000)
    refused(walker, "第二十一条", legacy.budget_om, FINANCE, id=r.id, budget_on="2026-11-20", amount=10_000_001)
    r = do(walker, legacy.budget_om, FINANCE, id=r.id, budget_on="2026-11-20", amount=10_000_000,
           doc_no="沁财预〔2027〕5号")
    assert r.status_label == "已列入财政预算" and r.budget_fen == 10_000_000
    n, sheet = exported(walker, "legacy-om", tmp_path)
    line = dict(zip(sheet[2], sheet[3], strict=True))
    assert n == 1 and line["核定金额（元）"] == Decimal("100000.00") and line["状态"] == "已列入财政预算"


def test_a_clerk_registers_only_the_own_departments_systems(walker):
    with walker.db.uow(walker.actor, write=False) as uow:
        police = get_department(uow, "县公安局").id
    clerk = Actor("clerk", "clerk", department_id=police)
    with pytest.raises(PermissionDenied):
        do(walker, legacy.register_system, clerk, name="教育系统", department="县教育局", built_year=2018)
    do(walker, legacy.register_system, clerk, name="警务系统", department="县公安局", built_year=2018)
    with pytest.raises(InputError):  # a system not built yet is not a pre-existing one
        do(walker, legacy.register_system, clerk, name="未来系统", department="县公安局", built_year=2030)
    assert [s.name for s in rows(walker, "legacy-system", clerk)] == ["警务系统"]


# ---------------------------------------------------------------- 第二十二条


def _rectifying(walker):
    code = walker.to("under_construction")
    walker.go(code, "pay", amount="100000", paid_on="2026-04-01")
    walker.go(code, "order-rectification", reason="unauthorized_change", requirements="恢复按批复方案建设",
              on="2026-10-01", deadline="2026-12-20")
    return code


def test_noncompliant_after_rectification_suspends_funds_before_the_deadline(walker):
    code = _rectifying(walker)
    v = do(walker, accountability.record_outcome, project=code, outcome="noncompliant", verified_on="2026-11-20",
           finding="仍未按批复方案建设")
    assert walker.status(code) == "funds_suspended"
    assert (v.outcome_label, v.status_label) == ("整改后仍不符合", "整改后仍不符合")
    with pytest.raises(RuleViolation) as exc:
        walker.go(code, "pay", amount="1000", paid_on="2026-11-21")
    assert exc.value.article == "第二十二条"


def test_compliant_rectification_resumes_the_project(walker):
    code = _rectifying(walker)
    with pytest.raises(InputError):  # verified before the order was issued
        do(walker, accountability.record_outcome, project=code, outcome="compliant", verified_on="2026-09-30")
    do(walker, accountability.record_outcome, project=code, outcome="compliant", verified_on="2026-11-20")
    assert walker.status(code) == "under_construction"
    [row] = rows(walker, "rect-outcome")
    assert (row.outcome_label, row.status_label, row.verified_on) == ("整改完成", "已完成", dt.date(2026, 11, 20))


def test_fund_losses_and_accountability(walker, tmp_path):
    code = _rectifying(walker)  # 100,000 元 paid
    with pytest.raises(InputError):  # a loss is of money paid out
        do(walker, accountability.record_loss, project=code, amount=10_000_001, found_on="2026-11-01",
           description="超付")
    loss = do(walker, accountability.record_loss, project=code, amount=3_000_000, found_on="2026-11-01",
              description="擅自变更建设内容造成已采购设备闲置")
    assert loss.state == "待追责"
    with walker.db.uow(walker.actor, write=False) as uow:
        assert [x.id for x in accountability.losses_without_accountability(uow)] == [loss.id]
    with pytest.raises(InputError):
        do(walker, accountability.record_accountability, project=code, person="赵某", measure="诫勉谈话",
           decided_on="2026-10-30", decided_by="县纪委监委", loss=loss.id)  # before the loss was found
    a = do(walker, accountability.record_accountability, project=code, person="赵某（项目责任人）", measure="诫勉谈话",
           decided_on="2026-11-15", decided_by="沁水县纪委监委", loss=loss.id)
    assert a.loss_fen == 3_000_000
    [row] = rows(walker, "fund-loss")
    assert row.state == "已追责"
    n, sheet = exported(walker, "accountability", tmp_path)
    line = dict(zip(sheet[2], sheet[3], strict=True))
    assert n == 1 and line["处理措施"] == "诫勉谈话" and line["相关损失（元）"] == Decimal("30000.00")


# ---------------------------------------------------------------- 第二十八、二十九条


def test_emergency_plan_with_the_projects_contractor_and_its_drills(walker, tmp_path):
    code = walker.to("under_construction")
    with pytest.raises(RuleViolation) as exc:
        do(walker, safety.add_emergency_plan, title="数据安全应急预案", project=code, contractor=walker.county_owned)
    assert exc.value.article == "第二十九条"
    plan = do(walker, safety.add_emergency_plan, title="数据安全应急预案", project=code, approved_on="2026-04-01")
    assert plan.contractor == walker.market  # the project's only contractor
    with pytest.raises(InputError):
        do(walker, safety.add_drill, plan=plan.id, drilled_on="2026-03-01", scenario="勒索病毒")
    do(walker, safety.add_drill, plan=plan.id, drilled_on="2026-06-18", scenario="勒索病毒感染服务器",
       participants="县公安局信息中心、建设单位运维组", result="30分钟内隔离并恢复")
    [p] = rows(walker, "emergency-plan")
    assert (p.drills, p.last_drill, p.state) == (1, dt.date(2026, 6, 18), "已定期演练")
    n, sheet = exported(walker, "drill", tmp_path)
    assert n == 1 and sheet[3][3] == "数据安全应急预案"


def test_incident_is_closed_only_after_its_handling_and_report(walker):
    i = do(walker, safety.add_incident, title="门户网站遭受扫描攻击", occurred_at="2026-11-02 09:30", severity="较大")
    assert i.state == "处置中" and i.occurred_at == dt.datetime(2026, 11, 2, 9, 30)
    with pytest.raises(InputError):
        do(walker, safety.add_incident, title="未来事件", occurred_at="2099-01-01 00:00")
    refused(walker, "第二十九条", safety.close_incident, id=i.id, closed_on="2026-11-05")
    do(walker, safety.handle_incident, id=i.id, handling="封禁来源地址，修补漏洞，留存日志")
    msg = refused(walker, "第二十九条", safety.close_incident, id=i.id, closed_on="2026-11-05")
    assert "报告" in msg
    with pytest.raises(InputError):
        do(walker, safety.report_incident, id=i.id, reported_to="县委网信办", reported_on="2026-11-01")
    do(walker, safety.report_incident, id=i.id, reported_to="县委网信办", reported_on="2026-11-02")
    v = do(walker, safety.close_incident, id=i.id, closed_on="2026-11-05")
    assert v.state == "已办结" and v.reported_to == "县委网信办"


def test_assessment_validity_and_reminders(walker, tmp_path):
    code = walker.to("under_construction")
    with pytest.raises(InputError):
        do(walker, safety.record_assessment, project=code, kind="mlps", assessed_on="2026-01-10", passed=True)
    a = do(walker, safety.record_assessment, project=code, kind="mlps", level=3, assessed_on="2026-01-10",
           passed=True, agency="山西网安信息安全测评中心")
    assert a.valid_until == dt.date(2027, 1, 10)  # 三级：每年测评
    do(walker, safety.record_assessment, project=code, kind="crypto", assessed_on="2026-05-01", passed=True,
       valid_until="2027-05-01")
    with walker.db.uow(walker.actor, write=False) as uow:
        soon = safety.expiring_assessments(uow, today=dt.date(2026, 12, 1))
    assert [(x.kind, x.days_left) for x in soon] == [("mlps", 40)]
    with walker.db.uow(walker.actor, write=False) as uow:
        assert safety.expiring_assessments(uow, today=dt.date(2026, 12, 1), within_days=10) == []
    n, sheet = exported(walker, "assessment", tmp_path)
    assert n == 2 and {r[4] for r in sheet[3:5]} == {"等级保护测评", "商用密码应用安全性评估"}


# ---------------------------------------------------------------- through the registry (the faces' door)


def test_registry_parses_what_a_person_types(walker):
    code = walker.to("publicized")
    with walker.db.uow(walker.actor) as uow:
        v = records.run_verb(uow, "objection", "add", {"project": code, "received_on": "2026-02-25",
                                                          "objector": "李某", "content": "金额偏高"})
        records.run_verb(uow, "objection", "handle", {"id": str(v.id), "handled_on": "2026-02-27",
                                                         "outcome": "异议部分成立", "handling": "核减10万元"})
        uow.commit()
    [o] = rows(walker, "objection")
    assert o.outcome == "partly"
    with walker.db.uow(walker.actor) as uow, pytest.raises(InputError) as exc:
        records.run_verb(uow, "objection", "add", {"project": code, "colour": "red"})
    assert "colour" in exc.value.message
    assert count(walker, PublicityObjection) == 1
    with walker.db.uow(walker.actor) as uow:  # every record kind lists for the setup account
        for key in recordkinds.KINDS:
            records.list_records(uow, key)
    assert recordkinds.SEVERITIES == security.SEVERITIES


def test_exports_leave_an_audit_record(walker, tmp_path):
    before = count(walker, AuditRecord)
    exported(walker, "incident", tmp_path)
    with walker.db.uow(walker.actor, write=False) as uow:
        last = uow.session.scalar(select(AuditRecord.action).order_by(AuditRecord.id.desc()).limit(1))
    assert count(walker, AuditRecord) == before + 1 and last == "records.incident.export"


# ---------------------------------------------------------------- corrections keep the earlier values in the history


def _last_audit(walker):
    with walker.db.uow(walker.actor, write=False) as uow:
        return uow.session.scalar(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)).detail


def test_a_department_plan_is_corrected_and_the_history_keeps_the_old_date(walker):
    v = do(walker, planning.file_department_plan, department="县公安局", title="警务规划", start_year=2026,
           end_year=2030, filed_on="2026-03-02")
    with walker.db.uow(walker.actor) as uow:
        records.run_verb(uow, "dept-plan", "correct", {"id": v.id, "filed_on": "2026-03-05", "doc_no": "沁公发〔2026〕3号"})
        uow.commit()
    [row] = rows(walker, "dept-plan")
    assert (row.filed_on, row.doc_no, row.title) == (dt.date(2026, 3, 5), "沁公发〔2026〕3号", "警务规划")
    detail = _last_audit(walker)
    assert "2026-03-02" in str(detail) and "2026-03-05" in str(detail)
    with pytest.raises(InputError):
        do(walker, planning.correct_department_plan, id=v.id, end_year=2020)
    with pytest.raises(InputError):  # nothing to correct
        do(walker, planning.correct_department_plan, id=v.id, title="警务规划")


def test_a_city_filing_correction_still_follows_the_plan(walker):
    plan = do(walker, planning.file_department_plan, department="县教育局", title="教育规划", start_year=2026,
              end_year=2028, filed_on="2026-04-01")
    f = do(walker, planning.file_with_city, title="报备", filed_on="2026-04-10", doc_no="函〔2026〕4号", plan=plan.id)
    refused(walker, "第六条", planning.correct_city_filing, id=f.id, filed_on="2026-03-01")
    assert do(walker, planning.correct_city_filing, id=f.id, filed_on="2026-04-12").filed_on == dt.date(2026, 4, 12)


def test_an_assessment_corrected_to_failed_refuses_joint_acceptance(walker):
    code = walker.to("preliminarily_accepted")
    walker.estimate(code)  # 第二十条: the autonomy check is judged on the estimate
    for step, fields in (("register-catalogue", {"name": "人口数据"}), ("land-data", {}), ("check-autonomy", {})):
        walker.go(code, step, on="2026-08-02", **fields)
    a = do(walker, safety.record_assessment, project=code, kind="mlps", level=2, assessed_on="2026-08-03", passed=True)
    assert a.valid_until == dt.date(2028, 8, 3)
    v = do(walker, safety.correct_assessment, id=a.id, passed=False)
    assert v.valid_until is None and v.state == "未通过"
    with pytest.raises(RuleViolation) as exc:
        walker.go(code, "accept-joint", on="2026-08-10")
    assert exc.value.article == "第二十八条"


def test_an_accountability_record_is_corrected(walker):
    code = _rectifying(walker)
    loss = do(walker, accountability.record_loss, project=code, amount=1_000_000, found_on="2026-11-01",
              description="设备闲置")
    a = do(walker, accountability.record_accountability, project=code, person="赵某", measure="批评教育",
           decided_on="2026-11-15", decided_by="县纪委监委", loss=loss.id)
    with pytest.raises(InputError):
        do(walker, accountability.correct_accountability, id=a.id, decided_on="2026-10-01")  # before the loss
    v = do(walker, accountability.correct_accountability, id=a.id, measure="诫勉谈话")
    assert v.measure == "诫勉谈话" and "批评教育" in str(_last_audit(walker))

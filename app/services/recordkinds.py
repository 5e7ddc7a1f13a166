"""The paper records, each declared once (app.services.recordkit): the command line (`govdata records KIND VERB`),
the window's 专项记录 page and the Excel export are built from these declarations; app.services.records runs them.

Pure data: importing this module loads no database layer (the command line builds its options from it)."""

from __future__ import annotations

from app.domain.vocabulary import (
    ACCOUNTABILITY_MEASURES,
    OBJECTION_OUTCOMES,
    RECTIFICATION_OUTCOMES,
    SECURITY_KINDS,
)
from app.errors import InputError
from app.services.recordkit import Col, Field, RecordKind, Verb

SEVERITIES = ("特别重大", "重大", "较大", "一般")  # app.services.security.SEVERITIES (a test keeps them equal)

DECISIONS = (("approve", "同意"), ("reject", "不同意"))


def _pairs(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(labels.items())


def _same(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


CODE = Field("project", "项目编号", "project", True)
G_PLAN, G_PUB, G_OM, G_RECT, G_SAFE = "规划与年度计划", "公示", "原有系统运维", "整改与问责", "安全"

KINDS: dict[str, RecordKind] = {}


def _kind(kind: RecordKind) -> None:
    KINDS[kind.key] = kind


# ---------------------------------------------------------------- 第六条

_kind(RecordKind(
    "dept-plan", "部门规划备案", "第六条", G_PLAN,
    "县直部门编制的各类规划涉及政务信息系统建设的，应报县行政审批服务管理局（县政务信息管理局）备案。",
    (Col("id", "编号", "int", 6), Col("department", "编制单位", "text", 20), Col("title", "规划名称", "text", 34),
     Col("period", "规划期", "text", 12), Col("doc_no", "规划文号", "text", 18), Col("filed_on", "备案日期", "date", 12),
     Col("received_by", "接收人", "text", 10), Col("content", "主要内容", "text", 36)),
    "app.services.planning:list_department_plans",
    (Verb("add", "登记备案", (
        Field("department", "编制单位", "department", True), Field("title", "规划名称", required=True),
        Field("start_year", "起始年份", "year", True), Field("end_year", "截止年份", "year", True),
        Field("filed_on", "备案日期", "date", True), Field("received_by", "接收人", help="默认：当前账户"),
        Field("doc_no", "规划文号"), Field("content", "主要内容", "longtext")),
        "app.services.planning:file_department_plan", "plan.edit"),
     Verb("correct", "更正", (
         Field("title", "规划名称"), Field("start_year", "起始年份", "year"), Field("end_year", "截止年份", "year"),
         Field("filed_on", "备案日期", "date"), Field("received_by", "接收人"), Field("doc_no", "规划文号"),
         Field("content", "主要内容", "longtext")), "app.services.planning:correct_department_plan", "plan.edit",
         on_record=True)),
    "project.read"))

_kind(RecordKind(
    "city-filing", "报市备案", "第六条", G_PLAN,
    "主管部门将全县涉及政务信息系统建设的各类规划报市大数据应用局备案，确保市县规划衔接。",
    (Col("id", "编号", "int", 6), Col("title", "报备内容", "text", 36), Col("plan_title", "所报规划", "text", 30),
     Col("filed_to", "报备单位", "text", 20), Col("filed_on", "报备日期", "date", 12), Col("doc_no", "报备文号", "text", 20),
     Col("note", "备注", "text", 24)),
    "app.services.planning:list_city_filings",
    (Verb("add", "登记报备", (
        Field("title", "报备内容", required=True), Field("filed_on", "报备日期", "date", True),
        Field("doc_no", "报备文号", required=True), Field("plan", "所报规划（编号）", "ref", ref="plan"),
        Field("filed_to", "报备单位", help="默认：设置中的市级主管部门"), Field("note", "备注", "longtext")),
        "app.services.planning:file_with_city", "plan.edit"),
     Verb("correct", "更正", (
         Field("title", "报备内容"), Field("filed_on", "报备日期", "date"), Field("doc_no", "报备文号"),
         Field("filed_to", "报备单位"), Field("note", "备注", "longtext")), "app.services.planning:correct_city_filing",
         "plan.edit", on_record=True)),
    "project.read"))

_kind(RecordKind(
    "plan-approval", "年度计划批准", "第六条", G_PLAN,
    "年度计划报县人民政府批准后组织实施；计划批准前（或批准日期之前）不能审批立项。",
    (Col("year", "计划年度", "int", 9), Col("title", "年度计划", "text", 36), Col("projects", "项目数", "int", 8),
     Col("planned_fen", "计划安排（元）", "money", 16), Col("state", "状态", "text", 14),
     Col("approved_on", "批准日期", "date", 12), Col("doc_no", "批准文号", "text", 20),
     Col("approved_by", "批准机关", "text", 20)),
    "app.services.planning:list_annual_plans",
    (Verb("add", "登记县政府批准", (
        Field("year", "计划年度", "year", True), Field("approved_on", "批准日期", "date", True),
        Field("doc_no", "批准文号", required=True), Field("approved_by", "批准机关", help="默认：县人民政府")),
        "app.services.planning:approve_annual_plan", "plan.edit"),),
    "project.read", id_attr="year"))

_kind(RecordKind(
    "plan-year", "多年度项目计划", "第六条", G_PLAN,
    "建设周期超过一年的项目，在其建设周期内的每个年度计划中列出当年的计划安排；各年合计不超过批复金额（或总投资）。",
    (Col("code", "项目编号", "text", 14), Col("name", "项目名称", "text", 30), Col("department", "实施单位", "text", 20),
     Col("years", "建设年度", "text", 12), Col("plan_year", "计划年度", "int", 9),
     Col("planned_fen", "本年度安排（元）", "money", 16), Col("planned_all_years_fen", "各年合计（元）", "money", 16),
     Col("total_fen", "总投资（元）", "money", 16)),
    "app.services.planning:list_plan_years",
    (Verb("add", "列入年度计划", (CODE, Field("year", "计划年度", "year", True),
                                 Field("amount", "本年度计划安排（元）", "money", True)),
          "app.services.planning:plan_year_amount", "plan.edit"),),
    "project.read"))

# ---------------------------------------------------------------- 第十一条

_kind(RecordKind(
    "objection", "公示异议", "第十一条", G_PUB,
    "资金拟分配计划公示期间收到的异议及其处理；异议处理完毕前，相关项目不能签订合同。",
    (Col("id", "编号", "int", 6), Col("notice", "公示", "text", 18), Col("code", "项目编号", "text", 14),
     Col("received_on", "收到日期", "date", 12), Col("objector", "异议人", "text", 10), Col("phone", "联系电话", "text", 14),
     Col("content", "异议内容", "text", 30), Col("state", "状态", "text", 8), Col("handled_on", "处理日期", "date", 12),
     Col("handling", "处理情况", "text", 30), Col("outcome_label", "处理结果", "text", 12)),
    "app.services.objections:list_objections",
    (Verb("add", "登记异议", (
        Field("project", "项目编号", "project", help="异议针对的项目"), Field("publicity", "公示（编号）", "ref",
                                                                   ref="publicity", help="不填则取该项目最近的公示"),
        Field("received_on", "收到日期", "date", True), Field("objector", "异议人", required=True),
        Field("phone", "联系电话"), Field("content", "异议内容", "longtext", True)),
        "app.services.objections:record_objection", "objection"),
     Verb("handle", "处理异议", (
         Field("handled_on", "处理日期", "date", True), Field("outcome", "处理结果", "choice", True,
                                                             _pairs(OBJECTION_OUTCOMES)),
         Field("handling", "处理情况", "longtext", True)),
         "app.services.objections:handle_objection", "objection", on_record=True)),
    "project.read"))

_kind(RecordKind(
    "budget-notice", "预算公示", "第十一条", G_PUB,
    "预算确定后公示资金拟分配计划：运维经费和多年度项目以后年度的预算同样公示，每笔预算公示一次、按实际金额列示。",
    (Col("id", "编号", "int", 6), Col("code", "项目编号", "text", 14), Col("name", "项目名称", "text", 30),
     Col("year", "预算年度", "int", 9), Col("kind_label", "资金类型", "text", 10), Col("source_label", "资金来源", "text", 12),
     Col("amount_fen", "预算金额（元）", "money", 16), Col("doc_no", "预算文号", "text", 16),
     Col("state", "公示情况", "text", 14), Col("notice", "公示文号", "text", 18)),
    "app.services.publicity:list_budget_notices",
    (Verb("publicize", "公示本年度待公示预算", (
        Field("year", "预算年度", "year", True), Field("start_on", "公示开始日期", "date", True),
        Field("end_on", "公示结束日期", "date", help="不填则按设置的工作日数计算"), Field("contact", "联系人"),
        Field("phone", "联系电话")), "app.services.publicity:publicize_budgets", "publicize"),),
    "project.read"))

# ---------------------------------------------------------------- 第二十一条

_kind(RecordKind(
    "legacy-system", "原有信息系统", "第二十一条", G_OM,
    "县直单位原有信息化项目（本系统建立前已建成、没有项目记录的系统）：登记后可申请运行维护费用。",
    (Col("id", "编号", "int", 6), Col("name", "系统名称", "text", 30), Col("department", "所属单位", "text", 20),
     Col("built_year", "建成年份", "int", 9), Col("sharing", "数据共享", "text", 20),
     Col("description", "系统简介", "text", 36)),
    "app.services.legacy:list_systems",
    (Verb("add", "登记原有系统", (
        Field("name", "系统名称", required=True), Field("department", "所属单位", "department", True),
        Field("built_year", "建成年份", "year", True), Field("description", "系统简介", "longtext"),
        Field("catalogue_registered", "信息资源目录已在共享平台注册", "bool"),
        Field("data_landed", "数据已落盘", "bool")), "app.services.legacy:register_system", "project.register"),
     Verb("sharing", "更正数据共享情况", (
         Field("catalogue_registered", "信息资源目录已在共享平台注册", "bool", True),
         Field("data_landed", "数据已落盘", "bool", True)), "app.services.legacy:update_sharing", "project.register",
         on_record=True)),
    "project.read"))

_kind(RecordKind(
    "legacy-om", "原有系统运维经费", "第二十一条", G_OM,
    "运行维护费用由实施单位申请，经县行政审批服务管理局（县政务信息管理局）审核后，由财政按程序列入预算；"
    "未按要求共享数据的系统不再拨付运维经费（第九条）。",
    (Col("id", "编号", "int", 6), Col("system", "系统名称", "text", 26), Col("department", "所属单位", "text", 18),
     Col("year", "经费年度", "int", 9), Col("amount_fen", "申请金额（元）", "money", 15),
     Col("requested_on", "申请日期", "date", 12), Col("status_label", "状态", "text", 16),
     Col("reviewed_on", "审核日期", "date", 12), Col("reviewed_fen", "核定金额（元）", "money", 15),
     Col("review_opinion", "审核意见", "text", 24), Col("budget_on", "列入预算日期", "date", 12),
     Col("budget_fen", "预算金额（元）", "money", 15), Col("budget_doc_no", "预算文号", "text", 16)),
    "app.services.legacy:list_om_requests",
    (Verb("add", "申请运维经费", (
        Field("system", "原有系统（编号）", "ref", True, ref="legacy-system"), Field("year", "经费年度", "year", True),
        Field("amount", "申请金额（元）", "money", True), Field("requested_on", "申请日期", "date", True),
        Field("content", "运维内容", "longtext")), "app.services.legacy:request_om", "om.request"),
     Verb("review", "主管部门审核", (
         Field("decision", "审核结论", "choice", True, DECISIONS), Field("reviewed_on", "审核日期", "date", True),
         Field("opinion", "审核意见", "longtext", True), Field("amount", "核定金额（元）", "money",
                                                               help="不填则为申请金额")),
         "app.services.legacy:review_om", "om.review", on_record=True),
     Verb("budget", "列入财政预算", (
         Field("budget_on", "列入预算日期", "date", True), Field("amount", "预算金额（元）", "money", True),
         Field("doc_no", "预算文号")), "app.services.legacy:budget_om", "budget", on_record=True)),
    "project.read"))

# ---------------------------------------------------------------- 第二十二条

_kind(RecordKind(
    "rect-outcome", "整改结果", "第二十二条", G_RECT,
    "主管部门核查整改情况：整改完成的恢复建设；整改后仍不符合要求的，暂停拨付项目建设和运维资金。",
    (Col("id", "编号", "int", 6), Col("code", "项目编号", "text", 14), Col("name", "项目名称", "text", 28),
     Col("doc_no", "通知文号", "text", 18), Col("reason_label", "整改事由", "text", 16),
     Col("deadline", "整改期限", "date", 12), Col("status_label", "状态", "text", 14),
     Col("outcome_label", "核查结果", "text", 14), Col("verified_on", "核查日期", "date", 12),
     Col("result", "核查意见", "text", 30)),
    "app.services.accountability:list_outcomes",
    (Verb("add", "登记核查结果", (
        CODE, Field("outcome", "核查结果", "choice", True, _pairs(RECTIFICATION_OUTCOMES)),
        Field("verified_on", "核查日期", "date", True), Field("finding", "核查意见", "longtext")),
        "app.services.accountability:record_outcome", "rectification"),),
    "project.read"))

_kind(RecordKind(
    "fund-loss", "资金损失", "第二十二条", G_RECT,
    "项目建设资金的损失情况；造成严重损失的，依法依规追究相关人员责任。",
    (Col("id", "编号", "int", 6), Col("code", "项目编号", "text", 14), Col("name", "项目名称", "text", 28),
     Col("department", "实施单位", "text", 18), Col("amount_fen", "损失金额（元）", "money", 16),
     Col("found_on", "发现日期", "date", 12), Col("description", "损失情况", "text", 36),
     Col("rectification", "整改通知", "text", 18), Col("state", "追责情况", "text", 10)),
    "app.services.accountability:list_losses",
    (Verb("add", "登记资金损失", (
        CODE, Field("amount", "损失金额（元）", "money", True), Field("found_on", "发现日期", "date", True),
        Field("description", "损失情况", "longtext", True),
        Field("rectification", "整改通知（编号）", "ref", ref="rect-outcome")),
        "app.services.accountability:record_loss", "accountability"),),
    "project.read"))

_kind(RecordKind(
    "accountability", "责任追究", "第二十二条", G_RECT,
    "追究相关人员责任：责任人、处理措施、决定日期和决定机关。",
    (Col("id", "编号", "int", 6), Col("code", "项目编号", "text", 14), Col("name", "项目名称", "text", 28),
     Col("person", "责任人", "text", 12), Col("measure", "处理措施", "text", 12), Col("decided_on", "决定日期", "date", 12),
     Col("decided_by", "决定机关", "text", 20), Col("loss_fen", "相关损失（元）", "money", 16), Col("note", "备注", "text", 24)),
    "app.services.accountability:list_accountability",
    (Verb("add", "登记责任追究", (
        CODE, Field("person", "责任人", required=True),
        Field("measure", "处理措施", "choice", True, _same(ACCOUNTABILITY_MEASURES)),
        Field("decided_on", "决定日期", "date", True), Field("decided_by", "决定机关", required=True),
        Field("loss", "资金损失（编号）", "ref", ref="fund-loss"), Field("note", "备注", "longtext")),
        "app.services.accountability:record_accountability", "accountability"),
     Verb("correct", "更正", (
         Field("person", "责任人"), Field("measure", "处理措施", "choice", False, _same(ACCOUNTABILITY_MEASURES)),
         Field("decided_on", "决定日期", "date"), Field("decided_by", "决定机关"), Field("note", "备注", "longtext")),
         "app.services.accountability:correct_accountability", "accountability", on_record=True)),
    "project.read"))

# ---------------------------------------------------------------- 第二十八、二十九条

_kind(RecordKind(
    "emergency-plan", "应急预案", "第二十九条", G_SAFE,
    "项目实施单位与项目建设单位共同制定政务大数据安全事件应急预案，并定期组织演练（超过12个月未演练的列出）。",
    (Col("id", "编号", "int", 6), Col("title", "预案名称", "text", 32), Col("code", "项目编号", "text", 14),
     Col("contractor", "建设单位", "text", 24), Col("version", "版本", "text", 8), Col("approved_on", "印发日期", "date", 12),
     Col("drills", "演练次数", "int", 9), Col("last_drill", "最近演练", "date", 12), Col("state", "演练情况", "text", 16)),
    "app.services.safety:list_emergency_plans",
    (Verb("add", "登记应急预案", (
        Field("title", "预案名称", required=True), Field("project", "项目编号", "project"),
        Field("contractor", "共同制定的建设单位", help="项目只有一个建设单位时可不填"), Field("plan_version", "版本"),
        Field("approved_on", "印发日期", "date")), "app.services.safety:add_emergency_plan", "security.records"),),
    "security.records"))

_kind(RecordKind(
    "drill", "应急演练", "第二十九条", G_SAFE, "按应急预案定期组织演练，记录演练场景、参加人员、结果和发现的问题。",
    (Col("id", "编号", "int", 6), Col("drilled_on", "演练日期", "date", 12), Col("plan_title", "应急预案", "text", 30),
     Col("scenario", "演练场景", "text", 28), Col("participants", "参加人员", "text", 24),
     Col("result", "演练结果", "text", 24), Col("issues", "发现的问题", "text", 24)),
    "app.services.security:list_drills",
    (Verb("add", "登记演练", (
        Field("plan", "应急预案（编号）", "ref", True, ref="emergency-plan"), Field("drilled_on", "演练日期", "date", True),
        Field("scenario", "演练场景", required=True), Field("participants", "参加人员", "longtext"),
        Field("result", "演练结果", "longtext"), Field("issues", "发现的问题", "longtext")),
        "app.services.safety:add_drill", "security.records"),),
    "security.records"))

_kind(RecordKind(
    "incident", "安全事件", "第二十九条", G_SAFE,
    "发生危害网络安全事件时，保存处置情况和相关记录，并按照规定向有关部门报告；处置和报告完成后方可办结。",
    (Col("id", "编号", "int", 6), Col("occurred_at", "发生时间", "text", 17), Col("severity", "事件级别", "text", 9),
     Col("title", "事件名称", "text", 28), Col("code", "项目编号", "text", 14), Col("handling", "处置情况", "text", 30),
     Col("reported_to", "报告对象", "text", 16), Col("reported_on", "报告日期", "date", 12),
     Col("closed_on", "办结日期", "date", 12), Col("state", "状态", "text", 8)),
    "app.services.safety:list_incidents",
    (Verb("add", "登记事件", (
        Field("title", "事件名称", required=True), Field("occurred_at", "发生时间", required=True,
                                                      help="如 2026-05-01 14:30"),
        Field("severity", "事件级别", "choice", True, _same(SEVERITIES)), Field("project", "项目编号", "project"),
        Field("description", "事件经过", "longtext")), "app.services.safety:add_incident", "security.records"),
     Verb("handle", "记录处置情况", (Field("handling", "处置情况", "longtext", True),),
          "app.services.safety:handle_incident", "security.records", on_record=True),
     Verb("report", "记录向有关部门报告", (
         Field("reported_to", "报告对象", required=True, help="如 县委网信办、县公安局网安大队"),
         Field("reported_on", "报告日期", "date", True)), "app.services.safety:report_incident", "security.records",
         on_record=True),
     Verb("close", "办结", (Field("closed_on", "办结日期", "date", True),), "app.services.safety:close_incident",
          "security.records", on_record=True)),
    "security.records"))

_kind(RecordKind(
    "assessment", "等保与密评", "第二十八条", G_SAFE,
    "严格落实等级保护和国家密码管理要求：登记测评级别、日期、有效期和结果；未通过的不能通过联合验收，"
    "到期前提醒。",
    (Col("id", "编号", "int", 6), Col("code", "项目编号", "text", 14), Col("name", "项目名称", "text", 28),
     Col("kind_label", "测评类型", "text", 20), Col("level", "等保级别", "int", 9), Col("assessed_on", "测评日期", "date", 12),
     Col("valid_until", "有效期至", "date", 12), Col("result", "结果", "text", 8), Col("agency", "测评机构", "text", 22),
     Col("report_no", "报告编号", "text", 16), Col("state", "状态", "text", 14)),
    "app.services.safety:list_assessments",
    (Verb("add", "登记测评", (
        CODE, Field("kind", "测评类型", "choice", True, _pairs(SECURITY_KINDS)), Field("level", "等保级别", "int",
                                                                                help="等级保护测评必填（1—4）"),
        Field("assessed_on", "测评日期", "date", True), Field("passed", "是否通过", "bool", True),
        Field("valid_until", "有效期至", "date", help="不填：三级等保、密评、风险评估一年，二级等保两年"),
        Field("agency", "测评机构"), Field("report_no", "报告编号")),
        "app.services.safety:record_assessment", "security.records"),
     Verb("correct", "更正", (
         Field("passed", "是否通过", "bool"), Field("level", "等保级别", "int"), Field("valid_until", "有效期至", "date"),
         Field("agency", "测评机构"), Field("report_no", "报告编号")), "app.services.safety:correct_assessment",
         "security.records", on_record=True)),
    "security.records"))


# ---------------------------------------------------------------- 第八条, 第二十二条: what the program itself issued

G_DOCS = "文号与通知"

_kind(RecordKind(
    "doc-numbers", "文号登记簿", "第八条", G_DOCS,
    "已使用的文号：程序编发的和手工录入的（他机关的文号录入时须符合“代字〔年份〕序号号”），同一文号只用一次，"
    "序号不跳号、不重号。",
    (Col("number", "文号", "text", 24), Col("kind_label", "序列", "text", 30), Col("year", "年度", "int", 8),
     Col("seq", "顺序号", "int", 8), Col("purpose", "用途", "text", 44)),
    "app.services.numbering:list_numbers", (), "project.read", id_attr="number"))

_kind(RecordKind(
    "notices", "系统通知", "第二十二条", G_DOCS,
    "程序自动执行的事项所登记的通知：整改期限届满未完成整改的，由系统暂停拨付项目建设和运维资金并登记通知"
    "（记入审计日志，操作人为“系统”）。",
    (Col("id", "编号", "int", 6), Col("code", "项目编号", "text", 14), Col("project", "项目名称", "text", 26),
     Col("issued_on", "日期", "date", 12), Col("title", "通知标题", "text", 30), Col("issued_by", "发出", "text", 8),
     Col("body", "通知内容", "text", 60)),
    "app.services.deadlines:list_notices", (), "project.read"))


def get_kind(key: str) -> RecordKind:
    if key not in KINDS:
        raise InputError(f"没有这类记录：{key}（可用：{'、'.join(KINDS)}）")
    return KINDS[key]

"""The measure's vocabulary: states, categories, checklists and their Chinese labels (English keys in code)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

MEASURE = "《沁水县政务大数据项目建设应用管理办法》"

class Status(StrEnum):
    """The states of a project (README.md draws them); the value is the key a machine reads (JSON, the command
    line, the database), `label` the Chinese a person reads."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    REJECTED = "rejected"
    BUDGETED = "budgeted"
    PUBLICIZED = "publicized"
    UNDER_CONSTRUCTION = "under_construction"
    PRELIMINARILY_ACCEPTED = "preliminarily_accepted"
    ACCEPTED = "accepted"
    IN_OPERATION = "in_operation"
    RECTIFYING = "rectifying"
    FUNDS_SUSPENDED = "funds_suspended"
    TERMINATED = "terminated"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.value]


STATUS_LABELS: dict[str, str] = {
    Status.DRAFT.value: "草稿",
    Status.SUBMITTED.value: "已申报",
    Status.IN_REVIEW.value: "技术审核中",
    Status.REVIEWED.value: "已审核",
    Status.APPROVED.value: "已立项",
    Status.REJECTED.value: "未予立项",
    Status.BUDGETED.value: "已列入预算",
    Status.PUBLICIZED.value: "已公示",
    Status.UNDER_CONSTRUCTION.value: "建设中",
    Status.PRELIMINARILY_ACCEPTED.value: "已初验",
    Status.ACCEPTED.value: "已验收",
    Status.IN_OPERATION.value: "运维中",
    Status.RECTIFYING.value: "整改中",
    Status.FUNDS_SUSPENDED.value: "资金暂停",
    Status.TERMINATED.value: "已终止",
    Status.WITHDRAWN.value: "已撤回",
}


def states(*members: Status) -> tuple[str, ...]:
    """A group of states as their plain keys (what the database and SQL parameters hold)."""
    return tuple(m.value for m in members)


_S = Status
PRE_APPROVAL = states(_S.DRAFT, _S.SUBMITTED, _S.IN_REVIEW, _S.REVIEWED)
# closed for good: nothing more can be done
CLOSED = states(_S.TERMINATED, _S.WITHDRAWN, _S.REJECTED)
# states from which a rectification may be ordered (第二十二条)
ACTIVE_APPROVED = states(_S.APPROVED, _S.BUDGETED, _S.PUBLICIZED, _S.UNDER_CONSTRUCTION, _S.PRELIMINARILY_ACCEPTED,
                         _S.ACCEPTED, _S.IN_OPERATION)
# the main line in order; used to compare "at least reached" a stage
MAIN_LINE = states(_S.DRAFT, _S.SUBMITTED, _S.IN_REVIEW, _S.REVIEWED, _S.APPROVED, _S.BUDGETED, _S.PUBLICIZED,
                   _S.UNDER_CONSTRUCTION, _S.PRELIMINARILY_ACCEPTED, _S.ACCEPTED, _S.IN_OPERATION)

# the stages of the project page: each lifecycle action belongs to one (services.lifecycle.TABLE)
STAGE_LABELS: dict[str, str] = {
    "materials": "申请材料",
    "review": "技术审核",
    "approval": "审批立项",
    "budget": "预算与公示",
    "contracts": "合同与资金",
    "changes": "变更",
    "acceptance": "验收",
    "om": "运维",
    "rectification": "整改",
    "evaluation": "绩效评价",
    "security": "安全",
}

CATEGORIES: tuple[str, ...] = (  # 第三条
    "数据采集",
    "数据清洗",
    "数据标注",
    "数据交易和开发利用",
    "信息应用系统开发",
    "信息网络及软硬件支撑系统",
    "网络信息安全系统",
)
NATURES: tuple[str, ...] = ("新建", "扩建", "改造升级", "运行维护")

MATERIAL_LABELS: dict[str, str] = {  # 第八条
    "proposal": "项目建议书",
    "feasibility": "可行性研究报告",
    "design": "初步设计方案",
    "estimate": "投资概算",
}

REVIEW_CONCLUSIONS: dict[str, str] = {"pass": "通过", "pass_with_changes": "修改后通过", "fail": "不通过"}
PASSING_CONCLUSIONS = ("pass", "pass_with_changes")

ART7_CHECKS: dict[str, str] = {  # 第七条 technical review checklist
    "catalogue": "政务信息资源目录",
    "sharing": "数据整合共享",
    "intensive": "应用集约化建设",
    "autonomy": "软硬件设备安全自主可控",
}
ART9_CHECKS: dict[str, str] = {  # 第九条
    "policy_ok": "符合国家和省市县政务资源共享和集约化建设相关政策",
    "interconnect_ok": "能够实现互联互通、信息共享、业务协同",
    "not_built_before": "不存在未批先建",
    "not_disguised": "不存在变相包装或纳入其他项目建设",
}
REVIEW_DIMENSIONS: dict[str, str] = {
    "need": "需求合理性",
    "intensive_build": "建设集约性",
    "feasibility": "方案可行性",
    "budget": "预算合理性",
    "performance": "绩效目标合理性",
}

CONTRACT_KINDS: dict[str, str] = {"construction": "建设合同", "supervision": "监理合同", "testing": "测评合同",
                                  "other": "其他合同"}
SELECTION_METHODS: tuple[str, ...] = (  # 第十三条
    "公开招标", "邀请招标", "竞争性谈判", "竞争性磋商", "询价", "单一来源采购", "框架协议采购", "县属企业承建",
)
COMPETITIVE_METHODS = ("公开招标", "邀请招标", "竞争性谈判", "竞争性磋商", "询价", "框架协议采购")

RECTIFICATION_REASONS: dict[str, str] = {  # 第二十二条
    "unapproved_build": "违反审批要求建设",
    "unauthorized_change": "擅自调整建设内容",
    "delayed_acceptance": "无合理原因长期拖延不验收",
    "other": "其他",
}
SHARE_TYPES = ("无条件共享", "有条件共享", "不予共享")
SHARING_TYPES = ("无条件共享", "有条件共享")  # 不予共享 shares nothing (第九、十九、二十一条)
FUNDING_SOURCES: dict[str, str] = {"county": "县级财政资金", "upper": "上级补助资金", "other": "其他资金"}  # 第十条
FUNDING_SOURCE_FIELDS: dict[str, str] = {"county": "county_fen", "upper": "upper_fen", "other": "other_fen"}
UNSPLIT_SOURCE = "未区分来源"  # a budget or payment entered without its source
BUDGET_KINDS: dict[str, str] = {"construction": "建设资金", "om": "运维资金"}

# the records kept on paper (第十一、二十一、二十二条)
OBJECTION_OUTCOMES: dict[str, str] = {"upheld": "异议成立", "partly": "异议部分成立", "dismissed": "异议不成立"}
RECTIFICATION_OUTCOMES: dict[str, str] = {"compliant": "整改完成", "noncompliant": "整改后仍不符合"}
LEGACY_OM_STATUS: dict[str, str] = {"pending": "待主管部门审核", "approved": "审核通过，待列入预算",
                                    "rejected": "审核未通过", "budgeted": "已列入财政预算"}
ACCOUNTABILITY_MEASURES: tuple[str, ...] = ("批评教育", "责令检查", "诫勉谈话", "通报批评", "组织处理", "政务处分",
                                            "党纪处分", "移送司法机关", "其他")
SECURITY_KINDS: dict[str, str] = {"mlps": "等级保护测评", "crypto": "商用密码应用安全性评估", "risk": "风险评估"}

ROLE_LABELS: dict[str, str] = {
    "reviewer": "主管部门审核员",
    "finance": "财政人员",
    "clerk": "实施单位填报员",
    "bureau_leader": "主管部门领导",
    "leader": "领导",
    "sysadmin": "系统管理员",
    "secadmin": "安全管理员",
    "auditor": "审计管理员",
    "setup": "初始化账户",
}


def grade_for(total: Decimal) -> str:
    """优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60 (第二十三条 evaluation)."""
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


# The county default indicator system: (level1, level2, name, weight); weights add up to 100.
DEFAULT_INDICATORS: tuple[tuple[str, str, str, int], ...] = (
    ("决策", "项目立项", "立项依据充分性", 4),
    ("决策", "项目立项", "立项程序规范性（无未批先建）", 4),
    ("决策", "绩效目标", "绩效目标合理性", 4),
    ("决策", "资金投入", "预算编制科学性", 3),
    ("过程", "资金管理", "资金到位率", 5),
    ("过程", "资金管理", "预算执行率", 5),
    ("过程", "组织实施", "合同按期备案率", 5),
    ("过程", "组织实施", "变更合规性", 5),
    ("过程", "组织实施", "整改完成率", 5),
    ("产出", "产出数量", "建设内容完成率", 6),
    ("产出", "产出质量", "验收一次通过", 5),
    ("产出", "产出质量", "信息资源目录注册率", 5),
    ("产出", "产出质量", "自主可控产品占比", 5),
    ("产出", "产出质量", "等保测评及密评通过", 5),
    ("产出", "产出时效", "按期完成", 4),
    ("效益", "项目效益", "数据共享调用", 10),
    ("效益", "项目效益", "系统使用率", 10),
    ("效益", "满意度", "服务对象满意度", 10),
)

DEFAULT_SETTINGS: dict[str, str] = {
    "county": "沁水县",
    "government": "沁水县人民政府",
    "bureau": "沁水县行政审批服务管理局（沁水县政务信息管理局）",
    "bureau_short": "县行政审批服务管理局",
    "finance_bureau": "沁水县财政局",
    "doc_prefix": "沁审管发",
    # patterns: {prefix} {year} {seq} (seq may take a format spec, e.g. {seq:04d})
    "pattern.approval": "{prefix}〔{year}〕{seq}号",
    "pattern.rectification": "{prefix}〔{year}〕{seq}号",
    "pattern.publicity": "{prefix}〔{year}〕{seq}号",
    "pattern.review": "沁审管技审〔{year}〕{seq}号",
    "pattern.project": "QS-{year}-{seq:04d}",
    "pattern.form": "BD{year}{seq:06d}",
    "approval_thresholds_yuan": "[500000, 1000000, 4000000]",
    "contract_filing_workdays": "5",
    "publicity_workdays": "5",
    "city_bureau": "晋城市大数据应用局",  # 第六条: the county files its plans with the city bureau
    "security.reminder_days": "60",  # 第二十八条: 等保/密评 expiring within this many days are listed
    # 第二十条: the least share of domestic (安全自主可控) products in the investment estimate, in percent, for the
    # autonomy check to be 符合; the bureau sets it (系统设置)
    "autonomy_min_percent": "50",
}

# the printed forms (app.reports) by their command-line keys (`govdata report KIND`), with their Chinese names; here so
# that the command line lists them without loading ReportLab
FORM_KINDS: dict[str, str] = {
    "approval": "政务大数据项目立项审批表",
    "review-opinion": "技术审核意见书",
    "contract-filing": "合同备案表",
    "change": "项目变更申请表",
    "acceptance": "验收申请表及联合验收意见书",
    "rectification": "限期整改通知书",
    "suspension": "暂停拨付资金通知书",
    "publicity": "资金拟分配计划公示",
    "annual-plan": "年度计划表",
    "evaluation": "绩效评价报告",
    "ledger": "项目台账",
    "fund-comparison": "资金使用对照分析表",
}

# ---------------------------------------------------------------- what people read about actions and their outcomes
# One table for the window, the command line's listings and the exports: an action key (`project.register`), an
# outcome (`refused`) or a reason (`idle_lock`) never reaches a person. Whoever adds an action adds its label here;
# tests/unit/test_vocabulary.py fails for an action written to the audit trail without one.

OUTCOME_LABELS: dict[str, str] = {"ok": "成功", "refused": "拒绝", "failed": "失败"}

ACTION_LABELS: dict[str, str] = {
    # the lifecycle (app.services.lifecycle.ACTIONS, recorded as lifecycle.<key>)
    "lifecycle.add-material": "登记申请材料",
    "lifecycle.submit": "提交申报",
    "lifecycle.start-review": "开始技术审核",
    "lifecycle.review": "出具审核意见",
    "lifecycle.approve": "审批立项",
    "lifecycle.reject": "不予立项",
    "lifecycle.withdraw": "撤回申报",
    "lifecycle.budget": "列入预算",
    "lifecycle.publicize": "公示资金拟分配计划",
    "lifecycle.sign-contract": "登记合同",
    "lifecycle.file-contract": "合同备案",
    "lifecycle.pay": "拨付资金",
    "lifecycle.request-change": "提交调整申请",
    "lifecycle.decide-change": "审核调整申请",
    "lifecycle.accept-preliminary": "初步验收",
    "lifecycle.register-catalogue": "登记信息资源目录",
    "lifecycle.correct-catalogue": "更正信息资源目录",
    "lifecycle.land-data": "确认数据落盘",
    "lifecycle.check-autonomy": "安全自主可控检查",
    "lifecycle.accept-joint": "联合验收",
    "lifecycle.operate": "转入运维",
    "lifecycle.request-om": "申请运维经费",
    "lifecycle.decide-om": "审核运维经费",
    "lifecycle.budget-om": "运维经费列入预算",
    "lifecycle.order-rectification": "责令限期整改",
    "lifecycle.complete-rectification": "整改完成",
    "lifecycle.suspend": "暂停拨付资金",
    "lifecycle.terminate": "终止项目",
    "lifecycle.evaluate": "绩效评价",
    "lifecycle.assess-security": "登记安全测评",
    # projects, plans, master data
    "project.register": "登记项目",
    "project.update": "修改项目",
    "project.import": "导入项目",
    "project.export": "导出项目台账",
    "project.read": "查看项目",
    "project.read_all": "查看全部单位项目",
    "material.record": "登记申请材料",
    "estimate.replace": "导入投资概算",
    "attachment.add": "添加附件",
    "attachment.get": "取出附件",
    "plan.create": "编制年度计划",
    "plan.add": "列入年度计划",
    "plan.remove": "移出年度计划",
    "plan.development": "登记应用规划",
    "plan.edit": "编制规划和年度计划",
    "department.add": "添加实施单位",
    "department.alias": "添加单位别名",
    "contractor.add": "添加建设单位",
    "calendar.set": "登记节假日安排",
    "calendar.complete": "声明节假日安排完整",
    "settings.init": "初始化设置",
    "settings.change": "修改系统设置",
    "settings.indicators": "修改评价指标",
    "settings.edit": "修改系统设置",
    "master.edit": "维护基础数据",
    "template.export": "导出填报模板",
    "print": "打印表单",
    "import": "导入Excel",
    "export": "导出",
    "backup": "备份与恢复",
    # accounts and signing in
    "sign_in": "登录",
    "sign_out": "退出登录",
    "user.add": "新建账户",
    "user.list": "查看账户列表",
    "user.view": "查看账户",
    "user.roles": "修改角色",
    "user.lock": "锁定账户",
    "user.unlock": "解锁账户",
    "user.activate": "启用账户",
    "user.deactivate": "停用账户",
    "user.password": "修改口令",
    "user.password_reset": "重置口令",
    "users.manage": "管理账户",
    "users.security": "角色、口令和解锁",
    # security and audit
    "audit.view": "查看审计记录",
    "audit.verify": "校验审计记录",
    "audit.export": "导出审计记录",
    "audit.archive": "归档审计记录",
    "audit.head": "导出审计链外部锚点",
    "audit.key": "管理审计密钥",
    "audit.key_new": "启用新的审计密钥",
    "audit.key_unlock": "本机解锁审计密钥",
    "audit.key_wrap": "以管理员口令保护审计密钥",
    "database.backup": "备份数据库",
    "database.restore_started": "开始恢复数据库",
    "database.restore": "恢复数据库",
    "database.unlock": "解除数据库锁",
    "security.key_status": "查看审计密钥状态",
    "security.monitor": "日常安全监测",
    "security.monitoring": "查看日常监测",
    "security.monitoring.export": "导出日常监测",
    "security.records": "安全记录",
    "incident.add": "登记安全事件",
    "incident.update": "更新安全事件",
    "incident.list": "查看安全事件",
    "incident.export": "导出安全事件",
    "emergency_plan.add": "登记应急预案",
    "drill.add": "登记应急演练",
    "drill.list": "查看应急演练",
    "drill.export": "导出应急演练",
    "permission": "无权办理的操作",
    # the records once kept on paper (app.services.recordkinds and its modules)
    "records.list": "查看登记簿",
    "dept_plan.add": "登记部门规划备案",
    "city_filing.add": "登记报市备案",
    "annual_plan.approve": "登记年度计划批准",
    "plan_year.add": "登记多年度项目计划",
    "objection.add": "登记公示异议",
    "objection.handle": "处理公示异议",
    "objection.list": "查看公示异议",
    "budget_notice.list": "查看预算公示",
    "budget_notice.publicize": "公示预算",
    "publicity.lines": "查看公示明细",
    "legacy.add": "登记原有信息系统",
    "legacy.list": "查看原有信息系统",
    "legacy.sharing": "更正原有系统共享情况",
    "legacy_om.request": "申请原有系统运维经费",
    "legacy_om.review": "审核原有系统运维经费",
    "legacy_om.budget": "原有系统运维经费列入预算",
    "rectification.outcome": "登记整改结果",
    "fund_loss.add": "登记资金损失",
    "accountability.add": "登记责任追究",
    "accountability.list": "查看责任追究",
    "emergency_plan.list": "查看应急预案",
    "assessment.add": "登记等保与密评",
    "assessment.list": "查看等保与密评",
    "funds.compare": "资金使用对照分析",
    "estimate.import": "导入投资概算",
    "dept_plan.correct": "更正部门规划备案",
    "city_filing.correct": "更正报市备案",
    "accountability.correct": "更正责任追究",
    "assessment.correct": "更正等保与密评",
    "print.void": "作废表单",
    "deadline.run": "到期事项自动处理",
    "deadline.suspend": "整改逾期自动暂停拨付",
    "numbers.export": "导出文号登记簿",
    "catalogue.correct": "更正信息资源目录",
    "catalogue.remove": "删除信息资源目录",
    "funds.export": "导出资金使用对照分析",
    "om.review": "审核运维经费",
    "objection": "登记和处理公示异议",
    "accountability": "登记资金损失和责任追究",
    # permissions, recorded as the action of a refusal that names no action of its own
    "review": "技术审核",
    "approve": "审批立项",
    "budget": "安排预算",
    "publicize": "资金拟分配计划公示",
    "contract": "登记和备案合同",
    "payment": "拨付资金",
    "change.request": "提交调整申请",
    "change.decide": "审核调整申请",
    "acceptance.request": "初步验收和验收申请",
    "acceptance.joint": "联合验收",
    "om.request": "申请运维经费",
    "om.decide": "审核运维经费",
    "rectification": "责令整改、暂停拨付、终止项目",
    "evaluate": "绩效评价",
    "personal.read": "查看个人信息",
}

OBJECT_LABELS: dict[str, str] = {
    "project": "项目", "user": "账户", "setting": "设置", "department": "实施单位", "contractor": "建设单位",
    "holiday": "节假日", "annual_plan": "年度计划", "development_plan": "应用规划", "indicator": "评价指标",
    "incident": "安全事件", "emergency_plan": "应急预案", "drill": "应急演练", "monitoring": "日常监测",
    "attachment": "附件", "form": "表单", "audit": "审计记录", "file": "文件",
}

# why someone signed out, was locked out or refused at sign-in (the audit detail's "reason")
REASON_LABELS: dict[str, str] = {
    "sign_out": "退出登录", "idle_lock": "闲置自动锁定", "window_closed": "关闭窗口", "no such user": "无此账户",
    "disabled": "账户已停用", "locked": "账户已锁定", "too many failures": "口令连续错误", "demo database": "演示数据库",
    "wrong password": "口令错误",
}

DECISION_LABELS: dict[str, str] = {"approve": "同意", "reject": "不同意"}
REQUEST_STATUS_LABELS: dict[str, str] = {"pending": "待审核", "approved": "已同意", "rejected": "不同意"}  # 调整、运维经费
RECTIFICATION_STATUS_LABELS: dict[str, str] = {"open": "整改中", "completed": "已完成", "overdue": "已逾期",
                                               "noncompliant": "整改后仍不符合", "closed": "项目已终止"}
PAYMENT_KINDS: dict[str, str] = {"construction": "建设资金", "om": "运维资金"}

SETTING_LABELS: dict[str, str] = {
    "county": "县（市、区）名称", "government": "人民政府名称", "bureau": "主管部门全称", "bureau_short": "主管部门简称",
    "finance_bureau": "财政部门名称", "doc_prefix": "发文字号前缀", "pattern.approval": "立项批复文号",
    "pattern.review": "技术审核意见文号", "pattern.publicity": "公示文号", "pattern.rectification": "整改通知文号",
    "pattern.project": "项目编号", "pattern.form": "表单编号", "approval_thresholds_yuan": "分级审批金额（元）",
    "contract_filing_workdays": "合同备案期限（工作日）", "publicity_workdays": "公示期限（工作日）",
}


# the registers of app.services.recordkinds, recorded as records.<kind>.list / records.<kind>.export
RECORD_KIND_LABELS: dict[str, str] = {
    "dept-plan": "部门规划备案", "city-filing": "报市备案", "plan-approval": "年度计划批准",
    "plan-year": "多年度项目计划", "objection": "公示异议", "budget-notice": "预算公示", "legacy-system": "原有信息系统",
    "legacy-om": "原有系统运维经费", "rect-outcome": "整改结果", "fund-loss": "资金损失", "accountability": "责任追究",
    "emergency-plan": "应急预案", "drill": "应急演练", "incident": "安全事件", "assessment": "等保与密评",
    "doc-numbers": "文号登记簿", "notices": "系统通知",
}
RECORD_VERBS: dict[str, str] = {"list": "查看", "export": "导出", "add": "登记", "budget": "列入预算：", "close": "办结",
                                "handle": "处理", "publicize": "公示", "report": "报告", "review": "审核",
                                "sharing": "更正共享情况：", "correct": "更正"}


def action_label(action: str) -> str:
    """The Chinese name of an action key as recorded in the audit trail (never the key itself)."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    parts = action.split(".")
    if len(parts) == 3 and parts[0] == "records" and parts[1] in RECORD_KIND_LABELS and parts[2] in RECORD_VERBS:
        return RECORD_VERBS[parts[2]] + RECORD_KIND_LABELS[parts[1]]
    return ACTION_LABELS.get(f"lifecycle.{action}") or "其他操作"


def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, "其他")

# a choice's key as a person reads it, wherever a record shows it without its action's own table
CHOICE_LABELS: dict[str, str] = {
    **MATERIAL_LABELS, **REVIEW_CONCLUSIONS, **RECTIFICATION_REASONS, **SECURITY_KINDS, **DECISION_LABELS,
    "construction": "建设", "supervision": "监理", "testing": "测评", "other": "其他", "om": "运维",
}

"""Hand-made sample data for every form: tests, the benchmark and a preview without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.domain.vocabulary import (
    ART7_CHECKS,
    ART9_CHECKS,
    DEFAULT_INDICATORS,
    MATERIAL_LABELS,
    REVIEW_DIMENSIONS,
    grade_for,
)
from app.reports import data as d
from app.reports.templates import amount_line

LH = d.Letterhead()
RARE_NAME = "王㛃䶮𠀾堃喆赟"  # rare characters in a person's name (U+36C3, U+4DAE, U+2003E ...)

PROJECT = d.ProjectFacts(
    code="QS-2027-0001",
    name="沁水县“一网通办”政务服务数据共享平台升级改造项目",
    department="沁水县行政审批服务管理局",
    year=2027,
    category="信息应用系统开发",
    nature="改造升级",
    total_fen=318404000,
    county_fen=218404000,
    upper_fen=100000000,
    other_fen=0,
    responsible_person=RARE_NAME,
    responsible_phone="0356-7022345",
    period_months=8,
    content="建设政务服务事项数据归集、清洗、共享交换子系统；对接市级共享平台，实现与省市县三级"
            "政务服务平台互联互通；采购国产服务器及数据库软件，完成等级保护第三级测评。",
)


def approval() -> d.ApprovalForm:
    mats = tuple(d.Material(label, dt.date(2027, 1, 5 + i) if key != "estimate" else dt.date(2027, 1, 12))
                 for i, (key, label) in enumerate(MATERIAL_LABELS.items()))
    return d.ApprovalForm(LH, PROJECT, mats, "通过", "沁审管技审〔2027〕3号", dt.date(2027, 2, 20), True,
                          318404000, "沁审管发〔2027〕12号", dt.date(2027, 3, 5),
                          "经技术审核，项目符合全县政务大数据应用年度计划，同意立项。", "李四", "同意。",
                          (d.SplitFinding("QS-2027-0007", "政务服务数据共享平台二期", "同一单位同一年度名称相似度72%"),))


def review_opinion() -> d.ReviewOpinionForm:
    art7 = tuple(d.CheckLine(label, True, f"{label}符合要求。") for label in ART7_CHECKS.values())
    art9 = tuple(d.CheckLine(label, True, None) for label in ART9_CHECKS.values())
    dims = tuple(d.CheckLine(label, None, "合理。", Decimal("18.5")) for label in REVIEW_DIMENSIONS.values())
    return d.ReviewOpinionForm(LH, PROJECT, "沁审管技审〔2027〕3号", "张三", dt.date(2027, 2, 1),
                               dt.date(2027, 2, 20), art7, art9, dims, "通过",
                               "项目建设内容明确，数据共享方案可行，同意通过技术审核。",
                               "2026年度绩效评价：良（85.50分）")


def contract_filing() -> d.ContractFilingForm:
    return d.ContractFilingForm(LH, PROJECT, "QSHT-2027-008", "政务服务数据共享平台升级改造建设合同", "建设合同",
                                "山西沁水数智科技有限公司", "91140521MA0K12345X", True, "县属企业承建",
                                295000000, dt.date(2027, 4, 28), dt.date(2027, 5, 12), False, dt.date(2027, 5, 13))


def change() -> d.ChangeForm:
    lines = (d.ChangeLine("总投资", amount_line(318404000), amount_line(338404000)),
             d.ChangeLine("县级财政资金", amount_line(218404000), amount_line(238404000)),
             d.ChangeLine("建设内容", "数据归集、清洗、共享交换子系统", "增加电子证照共享子系统"))
    return d.ChangeForm(LH, PROJECT, dt.date(2027, 7, 1), True, "增加电子证照共享子系统，总投资增加20万元。",
                        "省级电子证照系统上线，需同步对接。", lines, "同意", "经综合评估，同意调整。",
                        dt.date(2027, 7, 10), "张三")


def acceptance() -> d.AcceptanceForm:
    cat = tuple(d.CatalogueLine(f"政务服务事项办件信息{i}", "有条件共享", i != 3,
                                dt.date(2027, 11, 1) if i != 3 else None, f"PT-2027-{i:04d}" if i != 3 else None,
                                f"140521-QS-{i:03d}") for i in range(1, 4))
    sec = (d.SecurityLine("等级保护测评", 3, True, dt.date(2027, 10, 20), "山西某测评中心", "DJCP-2027-001"),
           d.SecurityLine("商用密码应用安全性评估", None, True, dt.date(2027, 10, 25), "某密评机构", "MP-2027-02"))
    return d.AcceptanceForm(LH, PROJECT, dt.date(2027, 11, 10), True, None, "初步验收通过。", cat, True,
                            dt.date(2027, 11, 5), 254723200, 318404000, True, "国产服务器、数据库、中间件。", sec,
                            dt.date(2027, 12, 1), True, "同意通过联合验收。", "沁审管验〔2027〕5号",
                            "赵一、钱二、孙三", LH.bureau)


def rectification() -> d.RectificationNotice:
    return d.RectificationNotice(LH, "沁审管发〔2027〕21号", "沁水县某某局", PROJECT.code, PROJECT.name,
                                 "无合理原因长期拖延不验收", "项目合同约定工期已于2027年9月届满，至今未提请验收。",
                                 "一、立即组织初步验收；\n二、提交联合验收申请及相关材料；\n三、书面说明拖延原因。",
                                 dt.date(2027, 10, 8), dt.date(2027, 11, 8), "县财政局")


def suspension() -> d.SuspensionNotice:
    return d.SuspensionNotice(LH, "沁审管发〔2027〕30号", "沁水县某某局", PROJECT.code, PROJECT.name,
                              "沁审管发〔2027〕21号", dt.date(2027, 10, 8), dt.date(2027, 11, 8), dt.date(2027, 11, 9),
                              "整改期限届满，你单位未组织初步验收，也未说明拖延原因。", "县财政局")


def publicity(n: int = 6) -> d.PublicityNotice:
    kinds = (("建设资金", "县级财政资金"), ("建设资金", "上级补助资金"), ("运维资金", "县级财政资金"))
    lines = tuple(d.PublicityLine(f"QS-2027-{i:04d}", f"政务大数据示范项目（第{i}期）", "沁水县某某局", "数据采集",
                                  (i * 123457 + 10000) * 100, 2027 + (i % 4 == 0), *kinds[i % 3])
                  for i in range(1, n + 1))
    return d.PublicityNotice(LH, 2027, "关于2027年度政务大数据项目资金拟分配计划的公示", "沁审管发〔2027〕15号",
                             lines, dt.date(2027, 4, 1), dt.date(2027, 4, 8), "张三", "0356-7022345",
                             dt.date(2027, 3, 31))


def annual_plan(n: int = 40) -> d.AnnualPlanTable:
    cats = ("数据采集", "信息应用系统开发", "网络信息安全系统")
    lines = tuple(
        d.PlanLine(f"QS-2027-{i:04d}", f"政务大数据项目第{i}号（{'较长的项目名称用于检验自动换行' if i % 5 == 0 else '常规'}）",
                   "沁水县某某局", cats[i % 3], "新建", i * 10_000_001, i * 10_000_001, i * 4_000_001,
                   i * 6_000_000, 0)
        for i in range(1, n + 1))
    return d.AnnualPlanTable(LH, 2027, "", "沁政办发〔2027〕3号", dt.date(2027, 1, 20), lines, dt.date(2027, 1, 25))


def evaluation() -> d.EvaluationReport:
    scores = tuple(d.ScoreLine(a, b, c, Decimal(w), Decimal(w) - Decimal("0.5")) for a, b, c, w in DEFAULT_INDICATORS)
    total = sum((s.score for s in scores), start=Decimal(0))
    return d.EvaluationReport(LH, PROJECT, 2027, dt.date(2028, 3, 1), "评价组", scores, total, grade_for(total),
                              "项目资金使用规范，产出和效果较好。")


def ledger(n: int = 60) -> d.Ledger:
    lines = tuple(d.LedgerLine(f"QS-2027-{i:04d}", f"政务大数据项目第{i}号", "沁水县某某局", 2027, "数据采集", "新建",
                               "建设中", (i * 100000) * 100, (i * 90000) * 100, (i * 80000) * 100, (i * 1000) * 100)
                  for i in range(1, n + 1))
    return d.Ledger(LH, "沁水县政务大数据项目台账", "年度：2027；状态：建设中", lines, dt.date(2027, 6, 30))


def fund_comparison() -> d.FundComparison:
    lines = (
        d.FundLine("QS-2027-0001", "政务大数据平台扩容", "沁水县某某局", 2027, "建设资金", "县级财政资金", 60_000_000,
                   30_000_050, 29_999_950, "50.0%"),
        d.FundLine("QS-2027-0001", "政务大数据平台扩容", "沁水县某某局", 2027, "建设资金", "上级补助资金", 30_000_000,
                   30_000_000, 0, "100.0%"),
        d.FundLine("QS-2027-0001", "政务大数据平台扩容", "沁水县某某局", 2027, "建设资金", "未区分来源", 0, 5_000_000,
                   -5_000_000, "—", "无对应预算的拨付"),
        d.FundLine("QS-2027-0001", "政务大数据平台扩容", "沁水县某某局", 2027, "小计", "", 90_000_000, 65_000_050,
                   24_999_950, "72.2%", subtotal=True),
        d.FundLine("QS-2027-0002", "视频共享平台运维", "沁水县某某镇", 2027, "运维资金", "县级财政资金", 8_000_000,
                   4_000_000, 4_000_000, "50.0%"),
    )
    return d.FundComparison(LH, "沁水县2027年度政务大数据项目资金使用对照分析表", "年度：2027", lines, 98_000_000,
                            69_000_050, "70.4%", dt.date(2027, 9, 30))


SAMPLES = {
    "approval": approval, "review-opinion": review_opinion, "contract-filing": contract_filing, "change": change,
    "acceptance": acceptance, "rectification": rectification, "suspension": suspension, "publicity": publicity, "annual-plan": annual_plan,
    "evaluation": evaluation, "ledger": ledger, "fund-comparison": fund_comparison,
}

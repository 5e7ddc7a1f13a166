"""`govdata demo`: a realistic county, built through the same services and rules as real work.

15+ departments, 36 projects of 2025–2027 spread over every lifecycle state, with contracts (one filed late, one
due within days), payments, reviews, changes, acceptance, O&M, rectification and evaluations; and the records once
kept on paper: department plans filed with the bureau and the county's filing with the city, the county
government's approval of each annual plan, a multi-year project in two years' plans, publicity objections (one
handled, one waiting), O&M budgets publicised, budgets and payments by funding source, pre-existing systems and
their O&M through the bureau and finance, rectification outcomes, a fund loss and its accountability, emergency
plans and drills, incidents (one closed after its report), 等保 and 密评 with validity (one expiring, one failed).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from app.domain import creditcode
from app.domain.actor import Actor
from app.domain.vocabulary import DEFAULT_INDICATORS
from app.errors import InputError
from app.models import Project
from app.services import (
    accountability,
    auth,
    deadlines,
    legacy,
    lifecycle,
    objections,
    planning,
    publicity,
    safety,
)
from app.services.master import add_contractor, add_department
from app.services.plans import add_development_plan, add_to_annual_plan
from app.services.projects import (
    EstimateLine,
    ProjectInput,
    get_project,
    record_material,
    register_project,
    replace_estimate,
)
from app.services.setup import initialise
from app.storage.database import Database

DEPARTMENTS: list[tuple[str, str, list[str]]] = [
    ("沁水县发展和改革局", "县直部门", ["县发改局", "发改局"]),
    ("沁水县财政局", "县直部门", ["县财政局"]),
    ("沁水县公安局", "县直部门", ["县公安局"]),
    ("沁水县教育局", "县直部门", ["县教育局", "教育局"]),
    ("沁水县卫生健康和体育局", "县直部门", ["县卫体局", "卫健局"]),
    ("沁水县人力资源和社会保障局", "县直部门", ["县人社局", "人社局"]),
    ("沁水县自然资源局", "县直部门", ["县自然资源局"]),
    ("沁水县住房和城乡建设管理局", "县直部门", ["县住建局", "住建局"]),
    ("沁水县交通运输局", "县直部门", ["县交通局"]),
    ("沁水县农业农村局", "县直部门", ["县农业农村局"]),
    ("沁水县水务局", "县直部门", ["县水务局"]),
    ("沁水县市场监督管理局", "县直部门", ["县市场监管局", "市场监管局"]),
    ("沁水县医疗保障局", "县直部门", ["县医保局"]),
    ("沁水县应急管理局", "县直部门", ["县应急局"]),
    ("沁水县民政局", "县直部门", ["县民政局"]),
    ("沁水县文化和旅游局", "县直部门", ["县文旅局"]),
    ("沁水县行政审批服务管理局", "县直部门", ["县审批局", "县政务信息管理局"]),
    ("龙港镇人民政府", "乡镇", ["龙港镇"]),
    ("嘉峰镇人民政府", "乡镇", ["嘉峰镇"]),
    ("沁水经济技术开发区管理委员会", "开发区", ["开发区管委会"]),
]

CONTRACTORS: list[tuple[str, str, bool]] = [
    ("沁水县数字科技发展有限公司", "91140521MA0K", True),
    ("沁水县国有资本投资运营有限公司", "91140521MA0L", True),
    ("山西智慧政务信息技术有限公司", "91140100MA0M", False),
    ("晋城市云数据科技有限公司", "91140500MA0N", False),
    ("太原华信工程监理咨询有限公司", "91140100MA0P", False),
    ("山西网安信息安全测评中心有限公司", "91140100MA0Q", False),
]

# (department alias, name, category, nature, total 万元, year, target state, content)
PROJECTS: list[tuple[str, str, str, str, str, int, str, str]] = [
    ("县审批局", "一网通办政务服务平台升级", "信息应用系统开发", "改造升级", "318.404", 2025, "in_operation",
     "升级政务服务平台，实现事项统一受理、电子证照调用和好差评"),
    ("县公安局", "雪亮工程视频资源共享平台", "信息网络及软硬件支撑系统", "扩建", "486.5", 2025, "in_operation",
     "整合全县公共视频资源，接入县级大数据平台"),
    ("县卫体局", "县域医共体健康信息平台", "信息应用系统开发", "新建", "265", 2025, "in_operation",
     "建设医共体健康档案与电子病历共享"),
    ("县教育局", "智慧教育数据中心", "数据采集", "新建", "158.6", 2025, "accepted",
     "汇聚学籍、师资、校舍数据，形成教育主题库"),
    ("县人社局", "社保业务数据清洗治理", "数据清洗", "新建", "86.2", 2025, "in_operation",
     "清洗历史参保数据，建立质量规则"),
    ("县自然资源局", "国土空间基础信息平台", "信息应用系统开发", "新建", "392", 2025, "accepted",
     "建设国土空间一张图与审批系统"),
    ("县应急局", "应急指挥调度系统", "信息应用系统开发", "新建", "210", 2025, "terminated",
     "建设应急指挥调度和融合通信"),
    ("县医保局", "医保基金智能监管系统", "信息应用系统开发", "新建", "120", 2025, "in_operation",
     "对医保结算数据开展智能审核"),
    ("县水务局", "水资源监测数据采集", "数据采集", "新建", "75.8", 2025, "preliminarily_accepted",
     "布设水位、流量监测点，数据接入县级平台"),
    ("县民政局", "社会救助数据标注与比对", "数据标注", "新建", "48", 2025, "in_operation",
     "标注救助对象数据并与多部门比对"),
    ("县财政局", "预算一体化数据接口", "数据交易和开发利用", "新建", "66", 2025, "in_operation",
     "开发预算一体化数据共享接口"),
    ("龙港镇", "龙港镇基层治理网格平台", "信息应用系统开发", "新建", "39.9", 2025, "rejected",
     "建设镇级网格化治理平台"),
    ("县审批局", "县级政务大数据平台二期", "信息网络及软硬件支撑系统", "扩建", "568", 2026, "under_construction",
     "扩容数据中台、共享交换和目录系统"),
    ("县审批局", "政务外网安全防护体系", "网络信息安全系统", "改造升级", "236.8", 2026, "under_construction",
     "建设边界防护、态势感知和商用密码应用"),
    ("县公安局", "智慧交通数据融合应用", "数据交易和开发利用", "新建", "188", 2026, "preliminarily_accepted",
     "融合交警、交通运输数据，开发出行服务"),
    ("县卫体局", "全民健康信息平台数据治理", "数据清洗", "改造升级", "96.5", 2026, "rectifying",
     "治理全民健康信息平台存量数据"),
    ("县教育局", "中小学智慧校园建设", "信息网络及软硬件支撑系统", "新建", "342", 2026, "funds_suspended",
     "建设校园网络、录播教室和数据采集"),
    ("县市场监管局", "市场主体信用监管平台", "信息应用系统开发", "新建", "145", 2026, "publicized",
     "建设信用分级分类监管"),
    ("县住建局", "城市综合管理服务平台", "信息应用系统开发", "新建", "276", 2026, "budgeted",
     "建设城市运行管理服务平台"),
    ("县农业农村局", "农业农村大数据采集", "数据采集", "新建", "88", 2026, "approved",
     "采集耕地、种植、养殖数据"),
    ("县交通局", "农村公路数字化管理", "信息应用系统开发", "新建", "99.5", 2026, "reviewed",
     "建设农村公路养护管理系统"),
    ("县文旅局", "智慧文旅服务平台", "信息应用系统开发", "新建", "128", 2026, "in_review",
     "建设景区客流监测与文旅服务"),
    ("县文旅局", "智慧文旅服务平台二期", "信息应用系统开发", "扩建", "46", 2026, "submitted",
     "扩展景区客流监测与文旅服务"),
    ("嘉峰镇", "嘉峰镇数字乡村平台", "信息应用系统开发", "新建", "45", 2026, "withdrawn",
     "建设数字乡村服务平台"),
    ("开发区管委会", "开发区企业服务数据平台", "数据交易和开发利用", "新建", "198", 2026, "under_construction",
     "汇聚园区企业数据，开发惠企服务"),
    ("县发改局", "投资项目在线审批监管平台对接", "信息应用系统开发", "改造升级", "49.5", 2026, "accepted",
     "对接省投资项目在线审批监管平台"),
    ("县人社局", "就业创业服务数据平台", "信息应用系统开发", "新建", "112", 2026, "under_construction",
     "建设就业创业一件事服务"),
    ("县民政局", "养老服务信息平台", "信息应用系统开发", "新建", "76", 2026, "draft",
     "建设居家养老服务监管平台"),
    ("县医保局", "医保电子凭证推广应用", "信息应用系统开发", "扩建", "36", 2026, "in_operation",
     "推广医保电子凭证在定点机构的应用"),
    ("县水务局", "河湖长制信息管理系统", "信息应用系统开发", "新建", "68", 2026, "publicized",
     "建设河湖巡查和问题处置系统"),
    ("县应急局", "安全生产风险监测预警", "数据采集", "新建", "155", 2027, "submitted",
     "采集重点企业安全生产风险数据"),
    ("县自然资源局", "不动产登记数据共享", "数据交易和开发利用", "改造升级", "58", 2027, "draft",
     "共享不动产登记数据"),
    ("县公安局", "视频图像解析数据标注", "数据标注", "新建", "72", 2027, "draft",
     "视频结构化标注"),
    ("县交通局", "公交出行数据开放", "数据交易和开发利用", "新建", "32", 2027, "draft",
     "开放公交实时数据"),
    ("县审批局", "政务服务好差评数据分析", "数据交易和开发利用", "新建", "28", 2026, "in_operation",
     "分析政务服务评价数据"),
    ("县财政局", "财政票据电子化系统", "信息应用系统开发", "新建", "54", 2026, "under_construction",
     "建设电子票据开具与归集"),
]


# the reviewer answers every 第七条 item and 第九条 check (none defaults to 符合)
REVIEW_ANSWERS = {"art7_catalogue": "符合", "art7_sharing": "符合", "art7_intensive": "符合", "art7_autonomy": "符合",
                  "policy_ok": "是", "interconnect_ok": "是", "not_built_before": "是", "not_disguised": "是"}


def _wan(text: str) -> int:
    return int(Decimal(text) * 1_000_000)


def _split(total: int, i: int) -> tuple[int, int, int]:
    """Funding sources that add up to the total to the fen."""
    upper = total * (i % 3) // 10 // 100 * 100
    other = total * (i % 2) // 20 // 100 * 100
    return total - upper - other, upper, other


def _estimate(total: int, i: int) -> list[EstimateLine]:
    hw = total * 40 // 100
    sw = total * 35 // 100
    integ = total * 15 // 100
    other = total - hw - sw - integ
    hw_unit = hw // 4
    return [
        EstimateLine("一、硬件设备", "国产服务器（鲲鹏/海光）", Decimal(4), hw_unit, hw_unit * 4, True, "台"),
        EstimateLine("一、硬件设备", "网络安全设备", Decimal(1), hw - hw_unit * 4, hw - hw_unit * 4, i % 4 != 0, "套"),
        EstimateLine("二、软件", "国产数据库及中间件", Decimal(1), sw // 2, sw // 2, True, "套"),
        EstimateLine("二、软件", "应用系统开发", Decimal(1), sw - sw // 2, sw - sw // 2, True, "项"),
        EstimateLine("三、系统集成", "系统集成与部署", Decimal(1), integ, integ, False, "项"),
        EstimateLine("四、其他费用", "监理、测评及培训", Decimal(1), other, other, False, "项"),
    ]


def build_demo(db: Database, actor: Actor, password: str | None = None) -> dict[str, Any]:
    with db.uow(actor, write=False) as uow:
        if uow.session.scalar(select(func.count()).select_from(Project)):
            raise InputError("数据库中已有项目；演示数据只能生成在新数据库中（请用 --db 指定一个新文件）")
    notes: list[str] = []
    with db.uow(actor) as uow:
        initialise(uow, None)
        for name, kind, aliases in DEPARTMENTS:
            add_department(uow, name, kind=kind, aliases=aliases, contact="办公室", phone="0356-7021234")
        for name, prefix, county_owned in CONTRACTORS:
            add_contractor(uow, name, creditcode.make(prefix + "0" * (17 - len(prefix) - 1) + "1"), county_owned)
        add_development_plan(uow, "沁水县“十四五”政务大数据应用规划", 2021, 2025, doc_no="沁政发〔2021〕18号",
                             approved_on=dt.date(2021, 6, 1), filed_on=dt.date(2021, 6, 20),
                             content="统筹全县政务大数据基础设施、共享平台与重点应用")
        add_development_plan(uow, "沁水县数字政府建设规划（2026—2030年）", 2026, 2030, doc_no="沁政发〔2026〕9号",
                             approved_on=dt.date(2026, 3, 10))
        codes = []
        for i, (dept, name, cat, nature, wan, year, _target, content) in enumerate(PROJECTS):
            total = _wan(wan)
            county, upper, other = _split(total, i)
            cobuilt = i in (1, 14)
            if cobuilt:  # 第十二条: the county's share is county money, the city's comes from above
                county, upper, other = total - total * 4 // 10, total * 4 // 10, 0
            v = register_project(uow, ProjectInput(
                name=name, department=dept, category=cat, nature=nature, year=year, total_fen=total,
                county_fen=county, upper_fen=upper, other_fen=other, year_request_fen=total * 6 // 10 // 100 * 100,
                content=content, period_months=6 + i % 4 * 3, responsible_person=["张建国", "李晓红", "王志强",
                                                                                  "赵丽娟", "郭海涛"][i % 5],
                responsible_phone=f"1393560{i:04d}", cobuilt=cobuilt,
                city_share_fen=total * 4 // 10 if cobuilt else 0,
                county_share_fen=total - total * 4 // 10 if cobuilt else 0,
                cobuilt_scope="市级承担平台软件，县级承担本地部署和数据治理" if cobuilt else None))
            codes.append(v.code)
            replace_estimate(uow, v.code, _estimate(total, i))
        uow.commit()

    for year in (2025, 2026, 2027):
        _walk_year(db, actor, codes, year, notes)
        if year == 2025:  # the O&M budgets decided in December 2025 are publicised in January
            with db.uow(actor) as uow:
                publicity.publicize_budgets(uow, year=2026, start_on=dt.date(2026, 1, 5), contact="李明",
                                            phone="0356-7028899")
                uow.commit()
    # 第二十二条: the deadline of the 资金暂停 project passed on 2026-10-01; the program, run the next morning,
    # suspended its funds by itself and recorded the notice (what `govdata run-due` and the window do every day)
    deadlines.run_due(db, today=dt.date(2026, 10, 2))
    _paper_records(db, actor, codes)

    given = password
    if not password:
        password = "Demo-" + secrets.token_hex(4)
    admin_password = password
    with db.uow(actor) as uow:
        if auth.password_problems(auth.policy(uow), password):  # a weak demo password: not for the administrators
            admin_password = auth.generate_password(auth.policy(uow))
        accounts = auth.create_demo_accounts(uow, password, admin_password=admin_password)
        uow.commit()
    if not given:
        notes.append(f"演示业务账户（reviewer、director、finance、clerk、leader）的口令：{password}")
    if admin_password != password or not given:
        notes.append(f"三员账户（admin、security、auditor）的口令：{admin_password}"
                     + ("（所给口令强度不足，未用于管理员账户）" if given and admin_password != password else ""))
    return {"departments": len(DEPARTMENTS), "projects": len(PROJECTS), "notes": notes, "accounts": accounts,
            "admin_password": admin_password}


def _walk_year(db: Database, actor: Actor, codes: list[str], year: int, notes: list[str]) -> None:
    base = dt.date(year - 1, 11, 3) if year < 2027 else dt.date(2026, 11, 2)
    plan_codes = []
    for i, row in enumerate(PROJECTS):
        if row[5] != year:
            continue
        code, target = codes[i], row[6]
        if target != "draft" and target != "withdrawn":
            plan_codes.append(code)
    if plan_codes:
        with db.uow(actor) as uow:
            add_to_annual_plan(uow, year, plan_codes)
            planning.approve_annual_plan(uow, year=year, approved_on=base,  # 县人民政府批准 (第六条)
                                         doc_no=f"沁政办发〔{year - 1}〕{60 + year % 10}号")
            uow.commit()
    for i, row in enumerate(PROJECTS):
        if row[5] == year:
            _walk(db, actor, codes[i], row[6], i, base, year)


def _walk(db: Database, actor: Actor, code: str, target: str, i: int, base: dt.date, year: int) -> None:
    def go(action: str, **fields: Any) -> None:
        lifecycle.advance(db, actor, code, action, **fields)

    def day(n: int) -> dt.date:
        return base + dt.timedelta(days=n + i % 5)

    if target == "draft":
        if i % 2:
            with db.uow(actor) as uow:
                record_material(uow, code, "proposal", received_on=day(0))
                uow.commit()
        return
    for kind in ("proposal", "feasibility", "design", "estimate"):
        go("add-material", kind=kind, received_on=day(0))
    go("submit")
    if target == "submitted":
        return
    if target == "withdrawn":
        go("withdraw", reason="单位调整建设计划，申请撤回")
        return
    go("start-review", reviewer="王审核", on=day(5))
    if target == "in_review":
        return
    if target == "rejected":
        go("review", conclusion="fail", **(REVIEW_ANSWERS | {"interconnect_ok": "否", "art7_sharing": "不符合",
                                                            "art7_intensive": "不符合"}),
           opinion="无法与县级大数据平台互联互通，重复建设", on=day(12))
        go("reject", opinion="与集约化建设政策相违背，不予立项（第九条）", on=day(20))
        return
    go("review", conclusion="pass" if i % 3 else "pass_with_changes", opinion="方案可行，符合集约化建设要求",
       on=day(12), **REVIEW_ANSWERS, score_need=90, score_intensive_build=85, score_feasibility=88, score_budget=80,
       score_performance=86)
    if target == "reviewed":
        return
    # the bureau's leader approves (第八条); one approval's 文号 was issued on paper and typed in (checked, registered)
    go("approve", on=day(25), leader="刘局长",
       **({"doc_no": f"沁审管发〔{day(25).year}〕{200 + i}号"} if i == 2 else {}))
    if target == "approved":
        return
    with db.uow(actor, write=False) as uow:
        p = get_project(uow, code)
    for source, amount in (("county", p.county_fen), ("upper", p.upper_fen), ("other", p.other_fen)):
        if amount:  # 第十条: the budget of each funding source
            go("budget", amount=amount, year=year, source=source, doc_no=f"沁财预〔{year}〕{i + 3}号", on=day(60))
    if target == "budgeted":
        return
    late_publicity = target == "publicized" and year == 2026
    pub_start = dt.date(2026, 11, 20) if late_publicity else dt.date(year, 2, 24)
    go("publicize", start_on=pub_start, contact="李明", phone="0356-7028899")
    if i in (12, 17):  # an objection in the publicity period (第十一条): one handled before the contract, one waiting
        with db.uow(actor) as uow:
            o = objections.record_objection(uow, project=code, received_on=pub_start + dt.timedelta(days=1),
                                            objector="王某（群众）", phone="13935609876",
                                            content="项目与已有平台功能重复，资金安排偏高")
            if i == 12:
                objections.handle_objection(uow, id=o.id, handled_on=pub_start + dt.timedelta(days=3),
                                            outcome="dismissed", handling="经核实，二期为扩容建设，与一期不重复；"
                                            "资金按评审后的概算安排。已电话答复异议人。")
            uow.commit()
    if target == "publicized":
        return
    signed = dt.date(year, 3, 16) + dt.timedelta(days=i)
    if i == len(PROJECTS) - 1:
        signed = dt.date(2026, 11, 20)  # filing due within days: shows on the dashboard
    contractor = CONTRACTORS[i % 4]
    go("sign-contract", contract_no=f"QSZW-{year}-{i + 1:03d}", contractor=contractor[0],
       selection_method="县属企业承建" if contractor[2] else "公开招标", amount=p.total_fen * 9 // 10 // 100 * 100,
       signed_on=signed)
    if i != len(PROJECTS) - 1:
        filed = signed + dt.timedelta(days=12 if i % 7 == 0 else 3)
        go("file-contract", filed_on=filed)
    if i % 2 == 0 and target not in ("funds_suspended",):
        go("sign-contract", contract_no=f"QSJL-{year}-{i + 1:03d}", contractor=CONTRACTORS[4][0],
           selection_method="竞争性磋商", amount=p.total_fen * 3 // 100 // 100 * 100, kind="supervision",
           signed_on=signed + dt.timedelta(days=7))
        go("file-contract", filed_on=signed + dt.timedelta(days=9))
    go("pay", amount=p.total_fen * 9 // 10 * 3 // 10 // 100 * 100, source="county",
       paid_on=signed + dt.timedelta(days=20 if i != len(PROJECTS) - 1 else 5),
       contract_no=f"QSZW-{year}-{i + 1:03d}", voucher_no=f"PZ{year}{i:04d}", purpose="合同首付款")
    if target == "under_construction":
        if i == 12:
            go("request-change", description="增加数据目录系统扩容", reason="接入部门数量增加",
               total=p.total_fen + 200_000_00, county=p.county_fen + 200_000_00, on=dt.date(2026, 9, 10))
        if i == 13:
            go("request-change", description="调整密码应用方案", reason="密评要求变化",
               content="建设边界防护、态势感知和商用密码应用（含密评整改）", on=dt.date(2026, 7, 1))
            go("decide-change", decision="approve", opinion="经综合评估，同意调整", on=dt.date(2026, 7, 10))
        return
    if target in ("rectifying", "funds_suspended", "terminated"):
        if target == "rectifying":
            # the deadline lies ahead whenever the demo is built, so the project is still 整改中 when it opens
            go("order-rectification", reason="delayed_acceptance", requirements="限期完成初步验收并提请联合验收",
               on=dt.date(2026, 11, 10), deadline=max(dt.date(2026, 12, 20), dt.date.today() + dt.timedelta(days=30)))
            return
        on = dt.date(year, 9, 1)
        go("order-rectification", reason="unauthorized_change", requirements="恢复按批复方案建设，补办调整手续",
           on=on, deadline=on + dt.timedelta(days=30))
        if target == "terminated":
            go("suspend", on=on + dt.timedelta(days=35), reason="整改期满未整改")
            go("terminate", reason="拒不整改，终止项目", on=on + dt.timedelta(days=60))
        return  # funds_suspended: the program suspends it by itself the day after the deadline (build_demo)
    accept_on = min(signed + dt.timedelta(days=150), dt.date(2026, 11, 1))
    go("accept-preliminary", on=accept_on, organizer=None)
    go("register-catalogue", name=f"{PROJECTS[i][1]}数据资源", resource_code=f"QS{i:03d}001",
       share_type="有条件共享", registered="否" if i == 3 else "是", on=accept_on)
    if i == 3:  # entered as not yet registered, then corrected when the platform registered it (第十九条)
        go("register-catalogue", name=f"{PROJECTS[i][1]}数据资源", registered="是", on=accept_on,
           platform_id=f"JC-QS-{i:03d}")
    if i in (0, 5):  # a resource not shared beside the shared one (第十九条: 不予共享 alone would not pass)
        go("register-catalogue", name=f"{PROJECTS[i][1]}内部管理数据", resource_code=f"QS{i:03d}002",
           share_type="不予共享", on=accept_on)
    go("land-data", on=accept_on)
    go("check-autonomy", on=accept_on)
    go("assess-security", kind="mlps", level=2 if i % 3 else 3, on=accept_on, agency=CONTRACTORS[5][0],
       report_no=f"DJCP-{year}-{i:03d}")
    if target == "preliminarily_accepted":
        return
    go("accept-joint", on=accept_on + dt.timedelta(days=10), experts="张教授、李高工、王工程师")
    if target == "accepted":
        if year == 2025:
            _evaluate(go, year, i)
        return
    go("operate", on=accept_on + dt.timedelta(days=11))
    if year == 2025:
        _evaluate(go, year, i)
        go("request-om", year=2026, amount=p.total_fen * 8 // 100 // 100 * 100, content="系统运维和云资源",
           on=dt.date(2025, 12, 10))
        go("decide-om", decision="approve", opinion="同意，按程序列入预算", on=dt.date(2025, 12, 20))
        go("budget-om", year=2026, amount=p.total_fen * 8 // 100 // 100 * 100, source="county",
           doc_no=f"沁财预〔2026〕{40 + i}号", on=dt.date(2025, 12, 28))
        go("pay", kind="om", amount=p.total_fen * 8 // 100 // 100 * 100 // 2, source="county",
           paid_on=dt.date(2026, 6, 30), purpose="2026年上半年运维费")


def _evaluate(go: Any, year: int, i: int) -> None:

    scores = {}
    for n, (_l1, _l2, name, weight) in enumerate(DEFAULT_INDICATORS):
        lose = Decimal((i + n) % 3) * Decimal("0.5") if weight >= 5 else Decimal(0)
        scores[name] = Decimal(weight) - lose - (Decimal(2) if i % 4 == 3 and weight == 10 else 0)
    go("evaluate", year=year, scores=scores, evaluator="沁水县行政审批服务管理局", on=dt.date(year, 12, 5),
       conclusion="项目按期建成，数据共享成效明显")



def _paper_records(db: Database, actor: Actor, codes: list[str]) -> None:
    """The records once kept on paper (第六、十一、二十一、二十二、二十八、二十九条), entered through their services."""
    with db.uow(actor) as uow:
        # 第六条: department plans filed with the bureau, the county's filing with the city bureau
        for dept, title, start, end, filed in (
                ("县公安局", "沁水县公安局“十五五”警务信息化建设规划", 2026, 2030, dt.date(2026, 3, 12)),
                ("县卫体局", "沁水县全民健康信息化发展规划（2026—2028年）", 2026, 2028, dt.date(2026, 4, 8)),
                ("县教育局", "沁水县教育信息化2.0行动规划", 2025, 2027, dt.date(2025, 5, 20))):
            planning.file_department_plan(uow, department=dept, title=title, start_year=start, end_year=end,
                                              filed_on=filed, received_by="王审核")
        planning.file_with_city(uow, title="沁水县2026年度涉及政务信息系统建设的各类规划汇总报备", filed_on=dt.date(2026, 4, 20),
                                doc_no="沁审管函〔2026〕11号",
                                note="含县数字政府建设规划及公安、卫体部门规划")
        # 第六条: the multi-year projects' later year in that year's plan (15-month construction periods)
        for i in (19, 35):
            p = get_project(uow, codes[i])
            first = p.year_request_fen
            planning.plan_year_amount(uow, project=codes[i], year=p.year + 1, amount=p.total_fen - first)
        # 第二十一条: systems built before the program, and their O&M through the bureau and finance
        video = legacy.register_system(uow, name="县公安局视频专网管理系统", department="县公安局", built_year=2016,
                                       description="2016年建成的视频专网及管理平台", catalogue_registered=True,
                                       data_landed=True)
        his = legacy.register_system(uow, name="县人民医院HIS系统", department="县卫体局", built_year=2014,
                                     description="医院信息系统（门诊、住院、药房）", catalogue_registered=True,
                                     data_landed=False)
        oa = legacy.register_system(uow, name="县政府协同办公系统", department="县审批局", built_year=2018,
                                    catalogue_registered=True, data_landed=True)
        r1 = legacy.request_om(uow, system=video.id, year=2027, amount=18_000_000, requested_on=dt.date(2026, 10, 15),
                               content="前端设备维保、链路租用")
        legacy.review_om(uow, id=r1.id, decision="approve", reviewed_on=dt.date(2026, 10, 28), amount=16_000_000,
                         opinion="同意，核减链路租用费用")
        legacy.budget_om(uow, id=r1.id, budget_on=dt.date(2026, 11, 18), amount=16_000_000,
                         doc_no="沁财预〔2027〕3号")
        r2 = legacy.request_om(uow, system=oa.id, year=2027, amount=6_500_000, requested_on=dt.date(2026, 11, 3),
                               content="系统运维和国产化适配")
        legacy.review_om(uow, id=r2.id, decision="approve", reviewed_on=dt.date(2026, 11, 20),
                         opinion="同意，按程序列入预算")
        legacy.request_om(uow, system=his.id, year=2027, amount=9_000_000, requested_on=dt.date(2026, 11, 10),
                          content="HIS系统维护")  # waits: its data are not landed yet (第九条)
        # 第二十九条: emergency plans made with the contractor, drills, incidents
        plan = safety.add_emergency_plan(uow, title="县级政务大数据平台网络安全事件应急预案", project=codes[12],
                                         contractor=CONTRACTORS[12 % 4][0], plan_version="2026版", approved_on=dt.date(2026, 4, 10))
        safety.add_drill(uow, plan=plan.id, drilled_on=dt.date(2026, 6, 18), scenario="勒索病毒感染数据中台服务器",
                         participants="县审批局信息中心、建设单位运维组、县公安局网安大队",
                         result="40分钟完成隔离，2小时恢复服务", issues="备份恢复演练脚本需更新")
        old = safety.add_emergency_plan(uow, title="一网通办平台应急预案", project=codes[0],
                                        contractor=CONTRACTORS[0][0], plan_version="2025版",
                                        approved_on=dt.date(2025, 9, 1))
        safety.add_drill(uow, plan=old.id, drilled_on=dt.date(2025, 10, 20), scenario="平台数据库主节点故障",
                         result="切换备用节点，服务中断15分钟")
        done = safety.add_incident(uow, title="门户网站遭受SQL注入扫描", occurred_at="2026-09-03 10:20", severity="一般",
                                   project=codes[0], description="安全设备告警，来源为境外地址")
        safety.handle_incident(uow, id=done.id, handling="封禁来源地址，核查未发现数据泄露，留存日志")
        safety.report_incident(uow, id=done.id, reported_to="县委网信办", reported_on=dt.date(2026, 9, 3))
        safety.close_incident(uow, id=done.id, closed_on=dt.date(2026, 9, 8))
        safety.add_incident(uow, title="视频共享平台部分摄像头离线", occurred_at="2026-11-26 08:00", severity="一般",
                            project=codes[1], description="约60路视频无法调阅")
        # 第二十八条: 等保 and 密评 with their validity
        safety.record_assessment(uow, project=codes[0], kind="mlps", level=3, assessed_on=dt.date(2025, 12, 20),
                                 passed=True, agency=CONTRACTORS[5][0], report_no="DJCP-2025-101")  # expires soon
        safety.record_assessment(uow, project=codes[0], kind="crypto", assessed_on=dt.date(2026, 3, 1), passed=True,
                                 agency=CONTRACTORS[5][0], report_no="MP-2026-007")
        safety.record_assessment(uow, project=codes[14], kind="crypto", assessed_on=dt.date(2026, 11, 5),
                                 passed=False, agency=CONTRACTORS[5][0],
                                 report_no="MP-2026-031")  # failed: joint acceptance waits (第二十八条)
        uow.commit()
    # 第二十二条: a rectification verified as done; a loss in the terminated project and its accountability
    lifecycle.advance(db, actor, codes[25], "order-rectification", reason="delayed_acceptance",
                      requirements="补齐信息资源目录注册材料", on=dt.date(2026, 11, 2), deadline=dt.date(2026, 11, 30))
    with db.uow(actor) as uow:
        accountability.record_outcome(uow, project=codes[25], outcome="compliant", verified_on=dt.date(2026, 11, 24),
                                      finding="已补齐材料，符合要求")
        loss = accountability.record_loss(uow, project=codes[6], amount=12_000_000, found_on=dt.date(2025, 11, 10),
                                          description="擅自变更建设内容，已采购的融合通信设备闲置无法使用")
        accountability.record_accountability(uow, project=codes[6], person="原项目负责人", measure="诫勉谈话",
                                             decided_on=dt.date(2025, 12, 15), decided_by="沁水县纪委监委",
                                             loss=loss.id, note="责令相关单位追回可回收资金")
        uow.commit()

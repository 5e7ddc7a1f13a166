"""One template per form: data in, a story of flowables out (laid out by blocks.build_pdf)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Spacer, Table, TableStyle

from app.domain.money import format_yuan, to_capital
from app.domain.vocabulary import CATEGORIES, MEASURE
from app.reports import data as d
from app.reports.blocks import (
    RED,
    Layout,
    P,
    amount_line,
    cn_date,
    form_table,
    list_table,
    opinion_cell,
    percent,
    styles,
    table_style,
    text_width,
    yes_no,
)
from app.reports.fonts import fonts

PORTRAIT = Layout()
LANDSCAPE = Layout(landscape=True)
NOTICE = Layout(notice=True)

Story = list[Flowable]
LIST_PT = 9  # landscape lists: 小五, so amounts in 元 fit


def _meta_line(left: str, right: str, width: float) -> Table:
    st = styles()
    t = Table([[P(left, st.meta), P(right, st.meta_right)]], colWidths=[width / 2, width / 2])
    t.setStyle(table_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return t


def _head(title: str, left: str, right: str, layout: Layout) -> Story:
    st = styles()
    return [P(title, st.title), _meta_line(left, right, text_width(layout))]


def _footnote(text: str) -> Story:
    return [Spacer(1, 2 * mm), P(text, styles().note)]


def _funding(p: d.ProjectFacts) -> str:
    return (f"县级财政资金 {format_yuan(p.county_fen)} 元；上级补助资金 {format_yuan(p.upper_fen)} 元；"
            f"其他资金 {format_yuan(p.other_fen)} 元")


def _project_rows(p: d.ProjectFacts) -> tuple[list[list[object]], list[tuple], list[tuple[int, int]]]:
    """The basic facts as rows of a 4-column grid, with spans and label cells."""
    person = "　".join(x for x in (p.responsible_person, p.responsible_phone) if x)
    period = f"{p.period_months}个月" if p.period_months else ""
    rows: list[list[object]] = [
        ["项目名称", p.name, "", ""],
        ["项目编号", p.code, "实施单位", p.department],
        ["项目类别", p.category, "建设性质", p.nature],
        ["建设年度", f"{p.year}年", "建设周期", period],
        ["项目负责人", person, "市县协同建设", yes_no(p.cobuilt)],
        ["总投资", amount_line(p.total_fen), "", ""],
        ["资金来源", _funding(p), "", ""],
    ]
    spans = [(1, 0, 3, 0), (1, 5, 3, 5), (1, 6, 3, 6)]
    labels = [(0, r) for r in range(len(rows))] + [(2, 1), (2, 2), (2, 3), (2, 4)]
    return rows, spans, labels


def _grid(rows: list[list[object]], spans: list[tuple], labels: list[tuple[int, int]],
          min_heights: dict[int, float] | None = None) -> Table:
    w = text_width(PORTRAIT)
    return form_table(rows, [27 * mm, w / 2 - 27 * mm, 27 * mm, w / 2 - 27 * mm], spans=spans,
                      label_cells=labels, min_heights=min_heights)


def _append_wide(rows: list[list[object]], spans: list[tuple], labels: list[tuple[int, int]],
                 label: str, value: object) -> int:
    r = len(rows)
    rows.append([label, value, "", ""])
    spans.append((1, r, 3, r))
    labels.append((0, r))
    return r


def _mark(value: bool | None) -> str:
    return {True: "■ 符合", False: "□ 不符合", None: "未审核"}[value]


# ---------------------------------------------------------------- the ten forms

def approval(f: d.ApprovalForm) -> tuple[Story, Layout, str]:
    title = f"{f.letterhead.county}政务大数据项目立项审批表"
    rows, spans, labels = _project_rows(f.project)
    if f.project.content:
        _append_wide(rows, spans, labels, "建设内容", f.project.content)
    mats = "\n".join(
        f"■ {m.label}（{cn_date(m.received_on)}收到）" if m.received_on else f"□ {m.label}（未收到）"
        for m in f.materials
    )
    _append_wide(rows, spans, labels, "申请材料\n（第八条）", mats)
    review = f"{f.review_conclusion}" + (f"（{f.review_doc_no}，{cn_date(f.review_on)}）" if f.review_doc_no else
                                        (f"（{cn_date(f.review_on)}）" if f.review_on else ""))
    _append_wide(rows, spans, labels, "技术审核结论\n（第七条）", review)
    _append_wide(rows, spans, labels, "列入年度计划", yes_no(f.in_annual_plan, "已列入本年度政务大数据应用计划", "未列入"))
    _append_wide(rows, spans, labels, "批准投资额", amount_line(f.approved_fen))
    heights = {}
    r = _append_wide(rows, spans, labels, "主管部门\n审批意见",
                     opinion_cell(f.bureau_opinion, "审批人（签字）：", f.decided_on))
    heights[r] = 48 * mm
    r = _append_wide(rows, spans, labels, "县领导意见",
                     opinion_cell(f.leader_opinion, "领导（签字）：", None, seal=None, space=10 * mm))
    heights[r] = 34 * mm
    story = _head(title, f"项目编号：{f.project.code}", f"文号：{f.doc_no or '（待编号）'}", PORTRAIT)
    story.append(_grid(rows, spans, labels, heights))
    story += _footnote(f"注：依据{MEASURE}第八、九条。本表一式三份，项目实施单位、{f.letterhead.bureau_short}、"
                       f"{f.letterhead.finance_bureau}各存一份。")
    return story, PORTRAIT, title


def review_opinion(f: d.ReviewOpinionForm) -> tuple[Story, Layout, str]:
    title = "政务大数据项目技术审核意见书"
    st = styles()
    w = text_width(PORTRAIT)
    rows, spans, labels = _project_rows(f.project)
    story = _head(title, f"项目编号：{f.project.code}", f"文号：{f.doc_no or '（待编号）'}", PORTRAIT)
    story.append(_grid(rows, spans, labels))
    widths = [12 * mm, 52 * mm, 22 * mm, w - 86 * mm]
    story += [Spacer(1, 4 * mm), P("一、技术审核事项（第七条）", st.meta)]
    story.append(list_table(["序号", "审核事项", "结论", "审核意见"],
                            [[i, c.label, _mark(c.passed), c.finding] for i, c in enumerate(f.art7, 1)],
                            widths, "clcl"))
    story += [Spacer(1, 3 * mm), P("二、立项条件核查（第九条）", st.meta)]
    story.append(list_table(["序号", "核查事项", "结论", "说明"],
                            [[i, c.label, _mark(c.passed), c.finding] for i, c in enumerate(f.art9, 1)],
                            widths, "clcl"))
    if f.dimensions:
        story += [Spacer(1, 3 * mm), P("三、方案评审", st.meta)]
        story.append(list_table(["序号", "评审维度", "得分", "评审意见"],
                                [[i, c.label, "" if c.score is None else str(c.score), c.finding]
                                 for i, c in enumerate(f.dimensions, 1)], widths, "clcl"))
    rows2: list[list[object]] = [["审核结论", f.conclusion, "", ""]]
    spans2: list[tuple] = [(1, 0, 3, 0)]
    labels2: list[tuple[int, int]] = [(0, 0)]
    if f.previous_evaluation:
        _append_wide(rows2, spans2, labels2, "上年度评估结果\n（第二十三条）", f.previous_evaluation)
    r = _append_wide(rows2, spans2, labels2, "审核意见",
                     opinion_cell(f.opinion, f"审核人（签字）：{f.reviewer or ''}", f.opinion_on))
    story += [Spacer(1, 4 * mm), KeepTogether(_grid(rows2, spans2, labels2, {r: 45 * mm}))]
    story += _footnote(f"注：依据{MEASURE}第七、九条出具。审核开始日期：{cn_date(f.started_on)}。")
    return story, PORTRAIT, title


def contract_filing(f: d.ContractFilingForm) -> tuple[Story, Layout, str]:
    title = "政务大数据项目合同备案表"
    p = f.project
    if f.filed_on is None:
        met = "尚未备案"
    elif f.filed_on <= f.filing_due:
        met = "按期备案"
    else:
        met = "逾期备案"
    due = cn_date(f.filing_due) + ("（暂按周一至周五计算，以节假日安排为准）" if f.due_provisional else "")
    rows: list[list[object]] = [
        ["项目名称", p.name, "", ""],
        ["项目编号", p.code, "实施单位", p.department],
        ["合同名称", f.title or "", "", ""],
        ["合同编号", f.contract_no, "合同类型", f.kind_label],
        ["项目建设单位", f.contractor, "", ""],
        ["统一社会信用代码", f.credit_code, "县属企业", yes_no(f.county_owned)],
        ["选定方式\n（第十三条）", f.selection_method, "项目总投资", f"{format_yuan(p.total_fen)} 元"],
        ["合同金额", amount_line(f.amount_fen), "", ""],
        ["签订日期", cn_date(f.signed_on), "备案日期", cn_date(f.filed_on) if f.filed_on else "尚未备案"],
        [f"备案期限\n（{f.workdays}个工作日）", due, "是否按期", met],
    ]
    spans = [(1, 0, 3, 0), (1, 2, 3, 2), (1, 4, 3, 4), (1, 7, 3, 7)]
    labels = [(0, r) for r in range(len(rows))] + [(2, r) for r in (1, 3, 5, 6, 8, 9)]
    r1 = _append_wide(rows, spans, labels, "实施单位\n意见", opinion_cell("", "项目责任人（签字）：", None))
    r2 = _append_wide(rows, spans, labels, "主管部门\n备案意见", opinion_cell("", "经办人（签字）：", f.filed_on))
    story = _head(title, f"项目编号：{p.code}", f"合同编号：{f.contract_no}", PORTRAIT)
    story.append(_grid(rows, spans, labels, {r1: 36 * mm, r2: 40 * mm}))
    story += _footnote(f"注：依据{MEASURE}第十五条，项目实施单位应在签订正式合同{f.workdays}个工作日内将合同文本报"
                       f"{f.letterhead.bureau_short}备案；工作日按国家法定节假日及调休安排计算。")
    return story, PORTRAIT, title


def change(f: d.ChangeForm) -> tuple[Story, Layout, str]:
    title = "政务大数据项目变更（调整）申请表"
    st = styles()
    w = text_width(PORTRAIT)
    rows, spans, labels = _project_rows(f.project)
    _append_wide(rows, spans, labels, "申请日期", cn_date(f.requested_on))
    _append_wide(rows, spans, labels, "变更类别", "重大变更" if f.major else "一般变更")
    _append_wide(rows, spans, labels, "变更内容", f.description)
    _append_wide(rows, spans, labels, "变更原因", f.reason)
    story = _head(title, f"项目编号：{f.project.code}", f"申请日期：{cn_date(f.requested_on)}", PORTRAIT)
    story.append(_grid(rows, spans, labels))
    story += [Spacer(1, 3 * mm), P("变更前后对照", st.meta)]
    story.append(list_table(["序号", "变更事项", "变更前", "变更后"],
                            [[i, c.label, c.before, c.after] for i, c in enumerate(f.lines, 1)],
                            [12 * mm, 35 * mm, (w - 47 * mm) / 2, (w - 47 * mm) / 2], "clll"))
    rows2: list[list[object]] = []
    spans2: list[tuple] = []
    labels2: list[tuple[int, int]] = []
    r1 = _append_wide(rows2, spans2, labels2, "实施单位\n意见", opinion_cell("", "负责人（签字）：", f.requested_on))
    r2 = _append_wide(rows2, spans2, labels2, "主管部门\n意见",
                      opinion_cell(f"{f.status_label}。{f.opinion or ''}",
                                   f"经办人（签字）：{f.decided_by or ''}", f.decided_on))
    story += [Spacer(1, 4 * mm), KeepTogether(_grid(rows2, spans2, labels2, {r1: 34 * mm, r2: 42 * mm}))]
    story += _footnote(f"注：依据{MEASURE}第十七条，重大变更经{f.letterhead.bureau_short}综合评估出具意见后方可生效。")
    return story, PORTRAIT, title


def acceptance(f: d.AcceptanceForm) -> tuple[Story, Layout, str]:
    title = "政务大数据项目验收申请表及联合验收意见书"
    st = styles()
    w = text_width(PORTRAIT)
    rows, spans, labels = _project_rows(f.project)
    pre = (f"{yes_no(f.preliminary_passed, '通过', '未通过', '未进行')}；日期：{cn_date(f.preliminary_on)}；"
           f"组织单位：{f.preliminary_organizer or f.project.department}。{f.preliminary_opinion or ''}")
    _append_wide(rows, spans, labels, "初步验收\n（第十八条）", pre)
    registered = sum(1 for c in f.catalogue if c.registered)
    _append_wide(rows, spans, labels, "资源目录\n（第十九条）",
                 f"共 {len(f.catalogue)} 项，已纳入共享平台目录管理系统 {registered} 项")
    _append_wide(rows, spans, labels, "数据落盘\n（第十九条）",
                 f"{'已落盘' if f.data_landed else '未落盘'}" + (f"（{cn_date(f.data_landed_on)}）" if f.data_landed_on else ""))
    _append_wide(rows, spans, labels, "安全自主可控\n（第二十条）",
                 f"安全自主可控产品金额 {format_yuan(f.domestic_fen)} 元，占投资概算 {format_yuan(f.estimate_fen)} 元的 "
                 f"{percent(f.domestic_fen, f.estimate_fen)}；核查结论：{yes_no(f.autonomy_passed, '符合', '不符合', '未核查')}。"
                 f"{f.autonomy_finding or ''}")
    story = _head(title, f"项目编号：{f.project.code}", f"文号：{f.joint_doc_no or '（待编号）'}", PORTRAIT)
    story.append(_grid(rows, spans, labels))
    story += [Spacer(1, 3 * mm), P("信息资源目录注册情况", st.meta)]
    story.append(list_table(["序号", "资源名称", "共享类型", "是否注册", "注册日期"],
                            [[i, c.name, c.share_type, yes_no(c.registered), cn_date(c.registered_on)
                              if c.registered_on else "—"] for i, c in enumerate(f.catalogue, 1)],
                            [12 * mm, w - 100 * mm, 26 * mm, 22 * mm, 40 * mm], "clccc"))
    story += [Spacer(1, 3 * mm), P("等级保护测评及商用密码应用安全性评估（第二十八条）", st.meta)]
    story.append(list_table(["序号", "测评类别", "级别", "结论", "测评机构", "日期"],
                            [[i, s.kind_label, f"第{s.level}级" if s.level else "—", yes_no(s.passed, "通过", "未通过"),
                              s.agency, cn_date(s.assessed_on) if s.assessed_on else "—"]
                             for i, s in enumerate(f.security, 1)],
                            [12 * mm, 42 * mm, 18 * mm, 18 * mm, w - 126 * mm, 36 * mm], "clcclc"))
    rows2: list[list[object]] = []
    spans2: list[tuple] = []
    labels2: list[tuple[int, int]] = []
    if f.experts:
        _append_wide(rows2, spans2, labels2, "验收专家", f.experts)
    r1 = _append_wide(rows2, spans2, labels2, "实施单位\n验收申请", opinion_cell(
        f"项目已完成初步验收，申请{f.letterhead.bureau_short}组织联合验收。", "负责人（签字）：", f.preliminary_on))
    conclusion = yes_no(f.joint_passed, "联合验收通过。", "联合验收不通过。", "")
    r2 = _append_wide(rows2, spans2, labels2, "联合验收\n意见", opinion_cell(
        f"{conclusion}{f.joint_opinion or ''}", "验收组长（签字）：", f.joint_on))
    story += [Spacer(1, 4 * mm), KeepTogether(_grid(rows2, spans2, labels2, {r1: 34 * mm, r2: 44 * mm}))]
    story += _footnote(f"注：依据{MEASURE}第十八至二十条、第二十八条。")
    return story, PORTRAIT, title


def _notice_head(lh: d.Letterhead, doc_no: str | None) -> Story:
    """发文机关标志 in red, 文号, and the red separator line (GB/T 9704-2012)."""
    fs = fonts()
    w = text_width(NOTICE)
    name = f"{short_name(lh.bureau)}文件"
    size = min(36.0, w / max(stringWidth(name, fs.hei.name, 1), 1))
    st = ParagraphStyle("issuer", fontName=fs.hei.name, fontSize=size, leading=size * 1.3, alignment=TA_CENTER,
                        textColor=RED)
    out: Story = [Spacer(1, 6 * mm), P(name, st), Spacer(1, 10 * mm)]
    if doc_no:
        out.append(P(doc_no, ParagraphStyle("docno", parent=styles().n_plain, alignment=TA_CENTER)))
    out += [Spacer(1, 1 * mm), HRFlowable(width="100%", thickness=1.2, color=RED, spaceBefore=2 * mm,
                                          spaceAfter=12 * mm)]
    return out


def short_name(name: str) -> str:
    """'沁水县行政审批服务管理局（沁水县政务信息管理局）' → '沁水县行政审批服务管理局' (for the 发文机关标志)."""
    return name.split("（")[0].strip() or name


def _colophon(copy_to: str | None, issuer: str, issued: str) -> Story:
    """版记: 抄送 and 印发 between thin rules at the end."""
    st = styles()
    size = 14
    plain = ParagraphStyle("colo", parent=st.n_plain, fontSize=size, leading=size * 1.6)
    right = ParagraphStyle("colo_r", parent=plain, alignment=TA_RIGHT)
    w = text_width(NOTICE)
    rows = []
    if copy_to:
        rows.append([P(f"抄送：{copy_to}。", plain), ""])
    rows.append([P(short_name(issuer), plain), P(f"{issued}印发", right)])
    t = Table(rows, colWidths=[w * 0.62, w * 0.38])
    cmds: list[tuple[Any, ...]] = [("LINEABOVE", (0, 0), (-1, 0), 1, "black"), ("LINEBELOW", (0, -1), (-1, -1), 1, "black"),
            ("LEFTPADDING", (0, 0), (-1, -1), size), ("RIGHTPADDING", (0, 0), (-1, -1), size)]
    if copy_to:
        cmds += [("SPAN", (0, 0), (1, 0)), ("LINEBELOW", (0, 0), (-1, 0), 0.5, "black")]
    t.setStyle(table_style(cmds))
    return [Spacer(1, 16 * mm), KeepTogether([t])]


def rectification(f: d.RectificationNotice) -> tuple[Story, Layout, str]:
    title = f"关于{f.project_name}限期整改的通知"
    st = styles()
    lh = f.letterhead
    story = _notice_head(lh, f.doc_no)
    story.append(P(title, st.n_title))
    story.append(P(f"{f.addressee}：", st.n_plain))
    story.append(P(f"你单位实施的“{f.project_name}”（项目编号：{f.project_code}）存在{f.reason_label}的情况。"
                   + (f.facts or ""), st.n_body))
    story.append(P(f"根据{MEASURE}第二十二条规定，现责令你单位限期整改。具体要求如下：", st.n_body))
    for line in [x.strip() for x in f.requirements.splitlines() if x.strip()]:
        story.append(P(line, st.n_body))
    story.append(P(f"请于{cn_date(f.deadline)}前完成整改，并将整改情况书面报送{lh.bureau_short}。"
                   "对拒不整改或整改后仍不符合要求的，将暂停拨付项目建设和运维资金，直至终止项目。", st.n_body))
    story.append(P("特此通知。", st.n_body))
    story += [Spacer(1, 18 * mm), P(lh.bureau, st.n_right), P(cn_date(f.issued_on), st.n_right)]
    story += _colophon(f.copy_to, lh.bureau, cn_date(f.issued_on))
    return story, NOTICE, title


def publicity(f: d.PublicityNotice) -> tuple[Story, Layout, str]:
    st = styles()
    lh = f.letterhead
    w = text_width(NOTICE)
    story = _notice_head(lh, f.doc_no)
    story.append(P(f.title, st.n_title))
    story.append(P(f"根据{MEASURE}第十一条规定，现将{f.year}年度政务大数据项目资金拟分配计划予以公示（见下表）。", st.n_body))
    total = sum(x.amount_fen for x in f.lines)
    rows = [[i, x.code, x.name, x.department, x.category, format_yuan(x.amount_fen)]
            for i, x in enumerate(f.lines, 1)]
    rows.append(["", "合计", "", "", "", format_yuan(total)])
    story.append(list_table(["序号", "项目编号", "项目名称", "实施单位", "项目类别", "拟分配金额（元）"], rows,
                            [10 * mm, 24 * mm, w - 124 * mm, 32 * mm, 28 * mm, 30 * mm], "cclllr",
                            bold_rows=[len(rows) - 1]))
    story.append(Spacer(1, 3 * mm))
    story.append(P(f"拟分配资金合计{format_yuan(total)}元（{to_capital(total)}）。", st.n_body))
    story.append(P(f"公示期为{cn_date(f.start_on)}至{cn_date(f.end_on)}。公示期间，如有异议，请以书面形式向"
                   f"{lh.bureau_short}反映。", st.n_body))
    contact = "；".join(x for x in (f"联系人：{f.contact}" if f.contact else "",
                                   f"联系电话：{f.phone}" if f.phone else "") if x)
    if contact:
        story.append(P(contact + "。", st.n_body))
    story += [Spacer(1, 16 * mm), P(lh.bureau, st.n_right), P(cn_date(f.issued_on), st.n_right)]
    return story, NOTICE, f.title


def annual_plan(f: d.AnnualPlanTable) -> tuple[Story, Layout, str]:
    title = f.title or f"{f.letterhead.county}{f.year}年度政务大数据项目计划表"
    w = text_width(LANDSCAPE)
    header = ["序号", "项目编号", "项目名称", "实施单位", "性质", "总投资（元）", "县级财政资金（元）",
              "上级补助资金（元）", "其他资金（元）", "本年度计划（元）", "备注"]
    fixed = [10, 22, 0, 28, 13, 23, 23, 23, 23, 23, 14]
    widths = [x * mm for x in fixed]
    widths[2] = w - sum(widths)
    rows: list[list[Any]] = []
    bold: list[int] = []
    order = {c: i for i, c in enumerate(CATEGORIES)}
    cats = sorted({x.category for x in f.lines}, key=lambda c: (order.get(c, 99), c))
    sums = ("total_fen", "county_fen", "upper_fen", "other_fen", "planned_fen")
    grand = dict.fromkeys(sums, 0)
    n = 0
    numerals = "一二三四五六七八九十"
    for ci, cat in enumerate(cats):
        lines = [x for x in f.lines if x.category == cat]
        bold.append(len(rows))
        rows.append([numerals[ci] if ci < 10 else str(ci + 1), "", cat, "", "", "", "", "", "", "", ""])
        sub = dict.fromkeys(sums, 0)
        for x in lines:
            n += 1
            rows.append([n, x.code, x.name, x.department, x.nature, format_yuan(x.total_fen),
                         format_yuan(x.county_fen), format_yuan(x.upper_fen), format_yuan(x.other_fen),
                         format_yuan(x.planned_fen), x.note or ""])
            for k in sums:
                sub[k] += getattr(x, k)
        bold.append(len(rows))
        rows.append(["", "", f"小计（{len(lines)}个项目）", "", ""] + [format_yuan(sub[k]) for k in sums] + [""])
        for k in sums:
            grand[k] += sub[k]
    bold.append(len(rows))
    rows.append(["", "", f"合计（{n}个项目）", "", ""] + [format_yuan(grand[k]) for k in sums] + [""])
    left = f"文号：{f.doc_no}" if f.doc_no else "文号："
    right = f"批准日期：{cn_date(f.approved_on)}" if f.approved_on else "单位：元"
    story = _head(title, left, right, LANDSCAPE)
    story.append(list_table(header, rows, widths, "cclllrrrrrl", bold_rows=bold, size=LIST_PT))
    story += _footnote(f"本年度计划资金合计 {amount_line(grand['planned_fen'])}。依据{MEASURE}第六条编制，"
                       f"报{f.letterhead.government}批准后组织实施。")
    return story, LANDSCAPE, title


def evaluation(f: d.EvaluationReport) -> tuple[Story, Layout, str]:
    title = f"{f.year}年度政务大数据项目绩效评价报告"
    st = styles()
    w = text_width(PORTRAIT)
    rows, spans, labels = _project_rows(f.project)
    story = _head(title, f"项目编号：{f.project.code}", f"评价日期：{cn_date(f.evaluated_on)}", PORTRAIT)
    story.append(_grid(rows, spans, labels))
    story += [Spacer(1, 4 * mm), P("绩效评价指标及得分（第二十三条）", st.meta)]
    body = [[s.level1, s.level2, s.indicator, str(s.weight), str(s.score)] for s in f.scores]
    weight = sum((s.weight for s in f.scores), start=type(f.total)(0))
    body.append(["合计", "", "", str(weight), str(f.total)])
    table = list_table(["一级指标", "二级指标", "三级指标", "权重", "得分"], body,
                       [22 * mm, 28 * mm, w - 100 * mm, 25 * mm, 25 * mm], "cclcc",
                       bold_rows=[len(body) - 1])
    spans_cmds = []
    for col in (0, 1):
        start = 0
        for i in range(1, len(f.scores) + 1):
            same = i < len(f.scores) and all(
                getattr(f.scores[i], a) == getattr(f.scores[start], a) for a in ("level1", "level2")[: col + 1])
            if not same:
                if i - 1 > start:
                    spans_cmds.append(("SPAN", (col, start + 1), (col, i)))
                start = i
    spans_cmds.append(("SPAN", (0, len(body)), (2, len(body))))
    table.setStyle(TableStyle(spans_cmds))
    story.append(table)
    rows2: list[list[object]] = [["评价总分", f"{f.total} 分", "评价等级", f.grade]]
    labels2 = [(0, 0), (2, 0)]
    spans2: list[tuple] = []
    r = _append_wide(rows2, spans2, labels2, "评价结论",
                     opinion_cell(f.conclusion, f"评价人（签字）：{f.evaluator or ''}", f.evaluated_on))
    story += [Spacer(1, 4 * mm), KeepTogether(_grid(rows2, spans2, labels2, {r: 40 * mm}))]
    story += _footnote("注：等级标准为优（≥90分）、良（80分至90分以下）、中（60分至80分以下）、差（60分以下）；评价结果作为"
                       f"下一年度政务大数据项目审核的重要参考依据（{MEASURE}第二十三条）。")
    return story, PORTRAIT, title


def ledger(f: d.Ledger) -> tuple[Story, Layout, str]:
    title = f.title
    w = text_width(LANDSCAPE)
    header = ["序号", "项目编号", "项目名称", "实施单位", "年度", "项目类别", "性质", "状态", "总投资（元）",
              "批复金额（元）", "合同金额（元）", "已拨付（元）"]
    fixed = [10, 22, 0, 28, 11, 24, 13, 16, 23, 23, 23, 23]
    widths = [x * mm for x in fixed]
    widths[2] = w - sum(widths)
    rows: list[list[Any]] = [
        [i, x.code, x.name, x.department, x.year, x.category, x.nature, x.status_label, format_yuan(x.total_fen),
         "—" if x.approved_fen is None else format_yuan(x.approved_fen), format_yuan(x.contract_fen),
         format_yuan(x.paid_fen)]
        for i, x in enumerate(f.lines, 1)
    ]
    sums = [sum(x.total_fen for x in f.lines), sum(x.approved_fen or 0 for x in f.lines),
            sum(x.contract_fen for x in f.lines), sum(x.paid_fen for x in f.lines)]
    rows.append(["", "", f"合计（{len(f.lines)}个项目）", "", "", "", "", ""] + [format_yuan(s) for s in sums])
    story = _head(title, f"筛选条件：{f.filter_text or '全部'}", "单位：元", LANDSCAPE)
    story.append(list_table(header, rows, widths, "ccllcccc" + "rrrr", bold_rows=[len(rows) - 1],
                            size=LIST_PT))
    return story, LANDSCAPE, title


TEMPLATES: dict[str, tuple[type, Callable]] = {
    "approval": (d.ApprovalForm, approval),
    "review-opinion": (d.ReviewOpinionForm, review_opinion),
    "contract-filing": (d.ContractFilingForm, contract_filing),
    "change": (d.ChangeForm, change),
    "acceptance": (d.AcceptanceForm, acceptance),
    "rectification": (d.RectificationNotice, rectification),
    "publicity": (d.PublicityNotice, publicity),
    "annual-plan": (d.AnnualPlanTable, annual_plan),
    "evaluation": (d.EvaluationReport, evaluation),
    "ledger": (d.Ledger, ledger),
}

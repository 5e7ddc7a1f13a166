"""One template per form: its data in, the blocks it prints out (app.reports.doc); the renderer lays them out.

A template decides everything that is printed — including whether a list's amounts print in 元 or in 万元 —
from the data alone and font-independent widths, so the same record prints the same text (and digest) on any PC.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from app.domain.money import format_yuan, to_capital
from app.domain.vocabulary import CATEGORIES, MEASURE, UNSPLIT_SOURCE
from app.reports import data as d
from app.reports import doc as b
from app.reports.render import NOMINAL_ASCII, Layout, fit_columns

PORTRAIT, LANDSCAPE, NOTICE = "portrait", "landscape", "notice"
LIST_PT = 9  # landscape lists: 小五
NOTICE_LIST_PT = 10.5  # a table inside a notice: 五号
NUMERALS = "一二三四五六七八九十"


# ---------------------------------------------------------------- text


def cn_date(day: dt.date | None) -> str:
    """2027年3月5日 (no leading zeros, GB/T 9704 7.3.5.1); a blank to fill in by hand when unknown."""
    if day is None:
        return "　　年　　月　　日"
    return f"{day.year}年{day.month}月{day.day}日"


def amount_line(fen: int | None) -> str:
    """Figures and capitals: '5,674,300.00 元（大写：人民币伍佰陆拾柒万肆仟叁佰元整）'."""
    if fen is None:
        return "—"
    return f"{format_yuan(fen)} 元（大写：{to_capital(fen)}）"


def yes_no(value: bool | None, yes: str = "是", no: str = "否", unknown: str = "未填写") -> str:
    return unknown if value is None else (yes if value else no)


def percent(part: int, whole: int) -> str:
    """Two decimals, as the estimate service rounds them (one format on every form): 80.00%."""
    if not whole:
        return "—"
    return f"{(Decimal(part) * 100 / Decimal(whole)).quantize(Decimal('0.01'))}%"


def wan_places(values: Sequence[int]) -> int:
    """Decimals that print every amount exactly in 万元 (at least two, at most six: 1 分 = 0.000001 万元)."""
    places = 2
    for v in values:
        while places < 6 and v % 10 ** (6 - places):
            places += 1
    return places


def format_wan(fen: int, places: int) -> str:
    """Exact 万元 with `places` decimals: 318404000 分, 4 → '318.4040'."""
    sign = "-" if fen < 0 else ""
    whole, rest = divmod(abs(fen), 1_000_000)
    frac = f"{rest:06d}"[:places]
    return f"{sign}{whole:,}.{frac}"


def quoted(text: str) -> str:
    """“text”, its own double quotes turned single inside (“沁水县‘一网通办’平台”)."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def short_name(name: str) -> str:
    """'沁水县行政审批服务管理局（沁水县政务信息管理局）' → '沁水县行政审批服务管理局' (for the 发文机关标志)."""
    return name.split("（")[0].strip() or name


def numbered(text: str) -> list[str]:
    """Requirements one per line, each ending in 。, their own numbering (一、 1. （一） ①) taken off."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．)）]|[①-⑳])\s*",
                      "", line).strip()
        line = re.sub(r"[；;，,。.、\s]+$", "", line)
        if line:
            out.append(line + "。")
    return out


def _cn_dates(text: str) -> str:
    """ISO dates typed or recorded in a text (2026-10-01) as a notice writes them (2026年10月1日)."""
    def one(m: re.Match[str]) -> str:
        try:
            return cn_date(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            return m.group(0)
    return re.sub(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])", one, text)


def sentence(text: str) -> str:
    """A sentence as a notice prints it: dates in Chinese, ending in 。"""
    text = re.sub(r"[；;，,。.、\s]+$", "", _cn_dates(text.strip()))
    return text + "。" if text else ""


def nominal_width(text: str, size: float) -> float:
    if text.isascii():
        return len(text) * NOMINAL_ASCII * size
    wide = sum(1 for c in text if ord(c) >= 0x2E80)
    return (wide + (len(text) - wide) * NOMINAL_ASCII) * size


def fits(table: b.ListTable, layout: str) -> bool:
    """Whether the list fits the layout's width without breaking a number, on font-independent widths."""
    size = table.size

    def m(text: str) -> float:
        return nominal_width(text, size)

    return fit_columns(table, Layout(layout).width, m) is not None


MoneyCol = tuple[str, Callable[[object], int]]


def money_table(name: str, columns: Sequence[b.Column], money: Sequence[str], rows: Sequence[Sequence[object]],
                kinds: str, layout: str, size: float, key: int = 1,
                merges: tuple[tuple[int, int, int], ...] = ()) -> tuple[b.ListTable, str]:
    """A list whose money columns (headers in `money`, values in 分) print in 元 when they fit, else in 万元
    (exactly, with as many decimals as the amounts need). Returns the table and its unit."""
    idx = [i for i, c in enumerate(columns) if c.header in money]

    def build(unit: str) -> b.ListTable:
        places = ({i: wan_places([v for r in rows if isinstance(v := r[i], int)]) for i in idx}
                  if unit == "万元" else {})
        cols = tuple(b.Column(f"{c.header}（{unit}）", "fix", "r") if i in idx else c for i, c in enumerate(columns))
        out_rows = []
        for r in rows:
            cells = []
            for i, v in enumerate(r):
                if i in idx and isinstance(v, int):
                    cells.append(format_wan(v, places[i]) if unit == "万元" else format_yuan(v))
                else:
                    cells.append("" if v is None else str(v))
            out_rows.append(tuple(cells))
        return b.ListTable(name, cols, tuple(out_rows), kinds, key, (), size, merges)

    table = build("元")
    if fits(table, layout):
        return table, "元"
    return build("万元"), "万元"


# ---------------------------------------------------------------- shared pieces


def L(text: str) -> b.Cell:  # noqa: N802 - a label cell, read like the form
    return b.Cell(text, label=True)


def V(text: str, span: int = 1) -> b.Cell:  # noqa: N802 - a value cell
    return b.Cell(text, span=span)


def wide(label: str, value: str) -> b.Row:
    return b.Row((L(label), V(value, 3)))


def pair(l1: str, v1: str, l2: str, v2: str) -> b.Row:
    return b.Row((L(l1), V(v1), L(l2), V(v2)))


def opinion(label: str, text: str | None, sign: b.Sign, min_mm: float) -> b.Row:
    return b.Row((L(label), b.Cell(text or "", span=3, sign=sign)), min_mm=min_mm, sign=True)


def _funding(p: d.ProjectFacts) -> str:
    return (f"县级财政资金 {format_yuan(p.county_fen)} 元；上级补助资金 {format_yuan(p.upper_fen)} 元；"
            f"其他资金 {format_yuan(p.other_fen)} 元")


def project_rows(p: d.ProjectFacts, content: bool = False) -> list[b.Row]:
    person = "　".join(x for x in (p.responsible_person, p.responsible_phone) if x)
    period = f"{p.period_months}个月" if p.period_months else "未填写"
    rows = [
        wide("项目名称", p.name),
        pair("项目编号", p.code, "实施单位", p.department),
        pair("项目类别", p.category, "建设性质", p.nature),
        pair("建设年度", f"{p.year}年", "建设周期", period),
        pair("项目负责人", person or "未填写", "市县协同建设", yes_no(p.cobuilt)),
        wide("总投资", amount_line(p.total_fen)),
        wide("资金来源", _funding(p)),
    ]
    if content:  # an empty field says so, like every other field of the form
        rows.append(wide("建设内容", p.content or "未填写"))
    return rows


def _mark(value: bool | None) -> str:
    return {True: "■ 符合", False: "□ 不符合", None: "未审核"}[value]


def _list(name: str, headers: Sequence[tuple[str, str, str]], rows: Sequence[Sequence[object]],
          size: float = b.ListTable.size, key: int = 1, kinds: str = "",
          merges: tuple[tuple[int, int, int], ...] = (), spans: tuple[tuple[int, int, int], ...] = ()) -> b.ListTable:
    """headers: (text, kind, align)."""
    cols = tuple(b.Column(h, k, a) for h, k, a in headers)
    return b.ListTable(name, cols, tuple(tuple("" if v is None else str(v) for v in r) for r in rows), kinds, key,
                       spans, size, merges)


# ---------------------------------------------------------------- forms


def approval(f: d.ApprovalForm) -> b.Doc:
    lh = f.letterhead
    title = f"{lh.county}政务大数据项目立项审批表"
    rows = project_rows(f.project, content=True)
    mats = "\n".join(f"■ {m.label}（{cn_date(m.received_on)}收到）" if m.received_on else f"□ {m.label}（未收到）"
                     for m in f.materials)
    rows.append(wide("申请材料\n（第八条）", mats))
    review = f.review_conclusion + (f"（{f.review_doc_no}，{cn_date(f.review_on)}）" if f.review_doc_no else
                                    (f"（{cn_date(f.review_on)}）" if f.review_on else ""))
    rows.append(wide("技术审核结论\n（第七条）", review))
    rows.append(wide("列入年度计划", yes_no(f.in_annual_plan, "已列入本年度政务大数据应用计划", "未列入")))
    rows.append(wide("批准投资额", amount_line(f.approved_fen)))
    if f.split_findings:
        rows.append(wide("疑似拆分\n（第九条）", "\n".join(f"{s.code} {s.name}：{s.reason}" for s in f.split_findings)))
    names = (f"审批领导：{f.leader}",) if f.leader else ()
    rows.append(opinion("主管部门\n审批意见", f.bureau_opinion,
                        b.Sign(names, "审批领导（签字）：" if not f.leader else "（签字）：", "（盖章）",
                               cn_date(f.decided_on)), 44))
    rows.append(opinion("县领导意见", f.leader_opinion, b.Sign((), "县领导（签字）：", "", cn_date(None)), 30))
    return b.Doc("approval", title, PORTRAIT, (
        b.Title(title),
        b.Meta((("项目编号", f.project.code), ("文号", f.doc_no or "（待编号）"))),
        b.Grid(tuple(rows)),
        b.Note(f"注：依据{MEASURE}第八、九条。本表一式三份，项目实施单位、{lh.bureau_short}、{lh.finance_bureau}各存一份。"),
    ))


def review_opinion(f: d.ReviewOpinionForm) -> b.Doc:
    lh = f.letterhead
    title = "政务大数据项目技术审核意见书"
    heads = (("序号", "fix", "c"), ("审核事项", "text", "l"), ("结论", "fix", "c"), ("审核意见", "text", "l"))
    blocks: list[b.Block] = [
        b.Title(title),
        b.Meta((("项目编号", f.project.code), ("文号", f.doc_no or "（待编号）"))),
        b.Grid(tuple(project_rows(f.project, content=True))),
        b.Caption("一、技术审核事项（第七条）"),
        _list("技术审核事项", heads, [(i, c.label, _mark(c.passed), c.finding) for i, c in enumerate(f.art7, 1)]),
        b.Caption("二、立项条件核查（第九条）"),
        _list("立项条件核查", (heads[0], ("核查事项", "text", "l"), heads[2], ("说明", "text", "l")),
              [(i, c.label, _mark(c.passed), c.finding) for i, c in enumerate(f.art9, 1)]),
    ]
    if f.dimensions:
        blocks += [b.Caption("三、方案评审"),
                   _list("方案评审", (heads[0], ("评审维度", "text", "l"), ("得分", "fix", "c"), ("评审意见", "text", "l")),
                         [(i, c.label, "" if c.score is None else str(c.score), c.finding)
                          for i, c in enumerate(f.dimensions, 1)])]
    rows = [wide("审核结论", f.conclusion)]
    if f.previous_evaluation:
        rows.append(wide("上年度评估结果\n（第二十三条）", f.previous_evaluation))
    issuer = f.issuer or lh.bureau
    names = (f"审核人：{f.reviewer}",) if f.reviewer else ()
    rows.append(opinion("审核意见", f.opinion, b.Sign(names, "审核人（签字）：" if not f.reviewer else "（签字）：",
                                                    f"出具单位：{issuer}（盖章）", cn_date(f.opinion_on)), 46))
    blocks += [b.Grid(tuple(rows)),
               b.Note(f"注：依据{MEASURE}第七、九条出具。审核开始日期：{cn_date(f.started_on)}。")]
    return b.Doc("review-opinion", title, PORTRAIT, tuple(blocks))


def contract_filing(f: d.ContractFilingForm) -> b.Doc:
    lh = f.letterhead
    title = "政务大数据项目合同备案表"
    p = f.project
    if f.filed_on is None:
        met = "尚未备案"
    elif f.filed_on <= f.filing_due:
        met = "按期备案"
    else:
        met = "逾期备案"
    due = cn_date(f.filing_due) + ("（暂按周一至周五计算，以节假日安排为准）" if f.due_provisional else "")
    rows = [
        wide("项目名称", p.name),
        pair("项目编号", p.code, "实施单位", p.department),
        wide("合同名称", f.title or "未填写"),
        pair("合同编号", f.contract_no, "合同类型", f.kind_label),
        wide("项目建设单位", f.contractor),
        pair("统一社会信用代码", f.credit_code, "县属企业", yes_no(f.county_owned)),
        pair("选定方式\n（第十三条）", f.selection_method, "项目总投资", f"{format_yuan(p.total_fen)} 元"),
        wide("合同金额", amount_line(f.amount_fen)),
        pair("签订日期", cn_date(f.signed_on), "备案日期", cn_date(f.filed_on) if f.filed_on else "尚未备案"),
        pair(f"备案期限\n（{f.workdays}个工作日）", due, "是否按期", met),
        opinion("实施单位\n意见", "", b.Sign((), "项目责任人（签字）：", "（盖章）", cn_date(None)), 34),
        opinion("主管部门\n备案意见", "", b.Sign((), "经办人（签字）：", "（盖章）",
                                              cn_date(f.filed_on) if f.filed_on else cn_date(None)), 38),
    ]
    return b.Doc("contract-filing", title, PORTRAIT, (
        b.Title(title),
        b.Meta((("项目编号", p.code), ("合同编号", f.contract_no))),
        b.Grid(tuple(rows)),
        b.Note(f"注：依据{MEASURE}第十五条，项目实施单位应在签订正式合同{f.workdays}个工作日内将合同文本报"
               f"{lh.bureau_short}备案；工作日按国家法定节假日及调休安排计算。"),
    ))


def change(f: d.ChangeForm) -> b.Doc:
    lh = f.letterhead
    title = "政务大数据项目变更（调整）申请表"
    rows = project_rows(f.project, content=True)
    rows += [wide("申请日期", cn_date(f.requested_on)), wide("变更类别", "重大变更" if f.major else "一般变更"),
             wide("变更内容", f.description), wide("变更原因", f.reason)]
    heads = (("序号", "fix", "c"), ("变更事项", "text", "l"), ("变更前", "text", "l"), ("变更后", "text", "l"))
    decided = f"{f.decision}。{f.opinion or ''}" if f.decision else ""
    names = (f"经办人：{f.decided_by}",) if f.decided_by and f.decision else ()
    signs = [
        opinion("实施单位\n意见", "", b.Sign((), "负责人（签字）：", "（盖章）", cn_date(f.requested_on)), 32),
        opinion("主管部门\n意见", decided, b.Sign(names, "（签字）：" if names else "经办人（签字）：", "（盖章）",
                                              cn_date(f.decided_on) if f.decision else cn_date(None)), 40),
    ]
    return b.Doc("change", title, PORTRAIT, (
        b.Title(title),
        b.Meta((("项目编号", f.project.code), ("申请日期", cn_date(f.requested_on)))),
        b.Grid(tuple(rows)),
        b.Caption("变更前后对照"),
        _list("变更事项", heads, [(i, c.label, c.before, c.after) for i, c in enumerate(f.lines, 1)]),
        b.Grid(tuple(signs)),
        b.Note(f"注：依据{MEASURE}第十七条，重大变更经{lh.bureau_short}综合评估出具意见后方可生效。"),
    ))


def acceptance(f: d.AcceptanceForm) -> b.Doc:
    lh = f.letterhead
    title = "政务大数据项目验收申请表及联合验收意见书"
    rows = project_rows(f.project, content=True)
    pre = (f"{yes_no(f.preliminary_passed, '通过', '未通过', '未进行')}；日期：{cn_date(f.preliminary_on)}；"
           f"组织单位：{f.preliminary_organizer or f.project.department}。{f.preliminary_opinion or ''}")
    rows.append(wide("初步验收\n（第十八条）", pre))
    registered = sum(1 for c in f.catalogue if c.registered)
    rows.append(wide("资源目录\n（第十九条）", f"共 {len(f.catalogue)} 项，已纳入共享平台目录管理系统 {registered} 项"))
    rows.append(wide("数据落盘\n（第十九条）", ("已落盘" if f.data_landed else "未落盘")
                     + (f"（{cn_date(f.data_landed_on)}）" if f.data_landed_on else "")))
    rows.append(wide("安全自主可控\n（第二十条）",
                     f"安全自主可控产品金额 {format_yuan(f.domestic_fen)} 元，占投资概算 {format_yuan(f.estimate_fen)} 元的"
                     f" {percent(f.domestic_fen, f.estimate_fen)}；核查结论："
                     f"{yes_no(f.autonomy_passed, '符合', '不符合', '未核查')}。{f.autonomy_finding or ''}"))
    if f.joint_on or f.joint_organizer:
        rows.append(wide("联合验收\n组织单位", f.joint_organizer or lh.bureau))
    if f.experts:
        rows.append(wide("验收专家", f.experts))
    cat_heads = (("序号", "fix", "c"), ("资源名称", "text", "l"), ("资源代码", "fix", "c"), ("共享类型", "fix", "c"),
                 ("是否注册", "fix", "c"), ("平台目录编号", "fix", "c"), ("注册日期", "fix", "c"))
    cat_rows = [(i, c.name, c.resource_code or "—", c.share_type, yes_no(c.registered), c.platform_id or "—",
                 cn_date(c.registered_on) if c.registered_on else "—") for i, c in enumerate(f.catalogue, 1)]
    sec_heads = (("序号", "fix", "c"), ("测评类别", "text", "l"), ("级别", "fix", "c"), ("结论", "fix", "c"),
                 ("测评机构", "text", "l"), ("报告编号", "fix", "c"), ("测评日期", "fix", "c"))
    sec_rows = [(i, s.kind_label, f"第{s.level}级" if s.level else "—", yes_no(s.passed, "通过", "未通过"),
                 s.agency or "—", s.report_no or "—", cn_date(s.assessed_on) if s.assessed_on else "—")
                for i, s in enumerate(f.security, 1)]
    conclusion = yes_no(f.joint_passed, "联合验收通过。", "联合验收不通过。", "")
    signs = [
        opinion("实施单位\n验收申请", f"项目已完成初步验收，申请{lh.bureau_short}组织联合验收。",
                b.Sign((), "负责人（签字）：", "（盖章）", cn_date(f.preliminary_on)), 30),
        opinion("联合验收\n意见", f"{conclusion}{f.joint_opinion or ''}" if f.joint_passed is not None else "",
                b.Sign((), "验收组长（签字）：", f"{short_name(f.joint_organizer or lh.bureau)}（盖章）",
                       cn_date(f.joint_on)), 40),
    ]
    if f.joint_passed:
        doc_no = f.joint_doc_no or "（未编号）"
    else:
        doc_no = f.joint_doc_no or "（联合验收通过后编号）"
    return b.Doc("acceptance", title, PORTRAIT, (
        b.Title(title),
        b.Meta((("项目编号", f.project.code), ("文号", doc_no))),
        b.Grid(tuple(rows)),
        b.Caption("信息资源目录注册情况（第十九条）"),
        _list("信息资源目录", cat_heads, cat_rows),
        b.Caption("等级保护测评及商用密码应用安全性评估（第二十八条）"),
        _list("安全测评", sec_heads, sec_rows),
        b.Grid(tuple(signs)),
        b.Note(f"注：依据{MEASURE}第十八至二十条、第二十八条。"),
    ))


def evaluation(f: d.EvaluationReport) -> b.Doc:
    lh = f.letterhead
    del lh
    title = f"{f.year}年度政务大数据项目绩效评价报告"
    body = [(s.level1, s.level2, s.indicator, str(s.weight), str(s.score)) for s in f.scores]
    weight = sum((s.weight for s in f.scores), start=Decimal(0))
    body.append(("合计", "", "", str(weight), str(f.total)))
    spans: list[tuple[int, int, int]] = []
    for col in (0, 1):
        start = 0
        for i in range(1, len(f.scores) + 1):
            same = i < len(f.scores) and all(getattr(f.scores[i], a) == getattr(f.scores[start], a)
                                             for a in ("level1", "level2")[: col + 1])
            if not same:
                if i - 1 > start:
                    spans.append((col, start, i - 1))
                start = i
    covered = {(r, col) for col, r0, r1 in spans for r in range(r0 + 1, r1 + 1)}
    cells = [tuple("" if (ri, ci) in covered else v for ci, v in enumerate(row)) for ri, row in enumerate(body)]
    heads = (("一级指标", "fix", "c"), ("二级指标", "text", "c"), ("三级指标", "text", "l"), ("权重", "fix", "c"),
             ("得分", "fix", "c"))
    table = _list("评价指标", heads, cells, key=2, kinds="d" * len(f.scores) + "t", spans=tuple(spans),
                  merges=((len(body) - 1, 0, 2),))
    rows = [pair("评价总分", f"{f.total} 分", "评价等级", f.grade),
            wide("评价单位", f.evaluator or "未填写"),
            opinion("评价结论", f.conclusion, b.Sign((), "评价人（签字）：", "（盖章）", cn_date(f.evaluated_on)), 38)]
    return b.Doc("evaluation", title, PORTRAIT, (
        b.Title(title),
        b.Meta((("项目编号", f.project.code), ("评价日期", cn_date(f.evaluated_on)))),
        b.Grid(tuple(project_rows(f.project, content=True))),
        b.Caption("绩效评价指标及得分（第二十三条）"),
        table,
        b.Grid(tuple(rows)),
        b.Note("注：等级标准为优（≥90分）、良（80分至90分以下）、中（60分至80分以下）、差（60分以下）；评价结果作为"
               f"下一年度政务大数据项目审核的重要参考依据（{MEASURE}第二十三条）。"),
    ))


# ---------------------------------------------------------------- notices (GB/T 9704-2012)


def _head(lh: d.Letterhead, doc_no: str | None) -> b.NoticeHead:
    return b.NoticeHead(f"{short_name(lh.bureau)}文件", doc_no or "")


def rectification(f: d.RectificationNotice) -> b.Doc:
    lh = f.letterhead
    title = f"关于{f.project_name}限期整改的通知"
    reqs = numbered(f.requirements)
    blocks: list[b.Block] = [
        _head(lh, f.doc_no),
        b.NoticeTitle(title),
        b.Para(f"{f.addressee}：", "主送机关", indent=False),
        b.Para(f"你单位实施的{quoted(f.project_name)}（项目编号：{f.project_code}）存在{f.reason_label}的情况。"
               + (f.facts or ""), "正文（事实）"),
        b.Para(f"根据{MEASURE}第二十二条规定，现责令你单位限期整改。具体要求如下：", "正文（依据）"),
    ]
    if len(reqs) == 1:
        blocks.append(b.Para(reqs[0], "整改要求"))
    else:
        blocks += [b.Para(r, f"整改要求（{NUMERALS[i] if i < 10 else i + 1}）", number=f"{_numeral(i)}、")
                   for i, r in enumerate(reqs)]
    blocks += [
        b.Para(f"请于{cn_date(f.deadline)}前完成整改，并将整改情况书面报送{lh.bureau_short}。"
               "对拒不整改或整改后仍不符合要求的，将暂停拨付项目建设和运维资金，直至终止项目。", "正文（期限）"),
        b.Para("特此通知。", "正文（结束语）"),
        b.Closing(short_name(lh.bureau), cn_date(f.issued_on)),
        b.Colophon(f"{f.copy_to}。" if f.copy_to else "", short_name(lh.bureau), cn_date(f.issued_on)),
    ]
    return b.Doc("rectification", title, NOTICE, tuple(blocks))


def _numeral(i: int) -> str:
    n = i + 1
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    return f"{NUMERALS[n // 10 - 1]}十{NUMERALS[n % 10 - 1] if n % 10 else ''}"


def suspension(f: d.SuspensionNotice) -> b.Doc:
    lh = f.letterhead
    title = f"关于暂停拨付{f.project_name}资金的通知"
    facts = sentence(f.reason) if f.reason else "整改期限届满，你单位未按要求完成整改。"
    return b.Doc("suspension", title, NOTICE, (
        _head(lh, f.doc_no),
        b.NoticeTitle(title),
        b.Para(f"{f.addressee}：", "主送机关", indent=False),
        b.Para(f"{cn_date(f.order_issued_on)}，{lh.bureau_short}以{f.order_doc_no}通知责令你单位对{quoted(f.project_name)}"
               f"（项目编号：{f.project_code}）限期整改，整改期限至{cn_date(f.deadline)}。{facts}", "正文（事实）"),
        b.Para(f"根据{MEASURE}第二十二条规定，自{cn_date(f.decided_on)}起暂停拨付该项目建设和运维资金。", "正文（决定）"),
        b.Para(f"请你单位抓紧整改，并将整改情况书面报送{lh.bureau_short}，经核查符合要求后恢复拨付；"
               "拒不整改或整改后仍不符合要求的，将终止项目。", "正文（要求）"),
        b.Para("特此通知。", "正文（结束语）"),
        b.Closing(short_name(lh.bureau), cn_date(f.decided_on)),
        b.Colophon(f"{f.copy_to}。" if f.copy_to else "", short_name(lh.bureau), cn_date(f.decided_on)),
    ))


def fund_kind(x: d.PublicityLine) -> str:
    """What a notice's line publicises: the project's category, the budget's year and kind, its source."""
    what = f"{x.budget_year}年度{x.kind_label or '建设资金'}" if x.budget_year else (x.kind_label or "建设资金")
    source = f"（{x.source_label}）" if x.source_label and x.source_label != UNSPLIT_SOURCE else ""
    return f"{x.category}\n{what}{source}" if x.category else what + source


def publicity(f: d.PublicityNotice) -> b.Doc:
    lh = f.letterhead
    total = sum(x.amount_fen for x in f.lines)
    cols = (b.Column("序号", "fix", "c"), b.Column("项目编号", "fix", "c"), b.Column("项目名称", "text", "l", 6),
            b.Column("实施单位", "text", "l", 4), b.Column("资金类别", "text", "l", 4), b.Column("拟分配金额", "fix", "r"))
    rows: list[list[object]] = [[i, x.code, x.name, x.department, fund_kind(x), x.amount_fen]
                                for i, x in enumerate(f.lines, 1)]
    rows.append(["", "合计", "", "", "", total])
    table, _unit = money_table("公示项目", cols, ["拟分配金额"], rows, "d" * len(f.lines) + "t", NOTICE,
                               NOTICE_LIST_PT, merges=((len(rows) - 1, 1, 4),))
    blocks: list[b.Block] = [
        _head(lh, f.doc_no),
        b.NoticeTitle(f.title),
        b.Para(f"根据{MEASURE}第十一条规定，现将{f.year}年度政务大数据项目资金拟分配计划予以公示（见下表）。", "正文（依据）"),
        table,
        b.Para(f"拟分配资金合计{format_yuan(total)}元（大写：{to_capital(total)}）。", "正文（合计）"),
        b.Para(f"公示期为{cn_date(f.start_on)}至{cn_date(f.end_on)}。公示期间，如有异议，请以书面形式向"
               f"{lh.bureau_short}反映。", "正文（公示期）"),
    ]
    contact = "；".join(x for x in (f"联系人：{f.contact}" if f.contact else "",
                                   f"联系电话：{f.phone}" if f.phone else "") if x)
    if contact:
        blocks.append(b.Para(contact + "。", "联系方式"))
    blocks += [b.Closing(short_name(lh.bureau), cn_date(f.issued_on)),
               b.Colophon("", short_name(lh.bureau), cn_date(f.issued_on))]
    return b.Doc("publicity", f.title, NOTICE, tuple(blocks))


# ---------------------------------------------------------------- tables


def _prepared(lh: d.Letterhead, on: dt.date | None) -> b.Footer:
    return b.Footer((("编制单位", f"{lh.bureau}（盖章）"), ("制表日期", cn_date(on))))


def annual_plan(f: d.AnnualPlanTable) -> b.Doc:
    lh = f.letterhead
    title = f.title or f"{lh.county}{f.year}年度政务大数据项目计划表"
    money = ["总投资", "县级财政资金", "上级补助资金", "其他资金", "本年度计划"]
    cols = (b.Column("序号", "fix", "c"), b.Column("项目编号", "fix", "c"), b.Column("项目名称", "text", "l", 6),
            b.Column("实施单位", "text", "l", 4), b.Column("性质", "fix", "c"),
            *(b.Column(m, "fix", "r") for m in money), b.Column("备注", "text", "l", 2))
    rows: list[list[object]] = []
    kinds = ""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    cats = sorted({x.category for x in f.lines}, key=lambda c: (order.get(c, 99), c))
    sums = ("total_fen", "county_fen", "upper_fen", "other_fen", "planned_fen")
    grand = dict.fromkeys(sums, 0)
    n = 0
    merges: list[tuple[int, int, int]] = []
    for ci, cat in enumerate(cats):
        lines = [x for x in f.lines if x.category == cat]
        merges.append((len(rows), 1, len(cols) - 1))
        rows.append([_numeral(ci), f"{cat}（{len(lines)}个项目）", *([""] * (len(cols) - 2))])
        kinds += "g"
        sub = dict.fromkeys(sums, 0)
        for x in lines:
            n += 1
            rows.append([n, x.code, x.name, x.department, x.nature, *(getattr(x, k) for k in sums), x.note or ""])
            kinds += "d"
            for k in sums:
                sub[k] += getattr(x, k)
        merges.append((len(rows), 0, 4))
        rows.append([f"小计（{cat}）", "", "", "", "", *(sub[k] for k in sums), ""])
        kinds += "s"
        for k in sums:
            grand[k] += sub[k]
    merges.append((len(rows), 0, 4))
    rows.append([f"合计（{n}个项目）", "", "", "", "", *(grand[k] for k in sums), ""])
    kinds += "t"
    table, unit = money_table("计划项目", cols, money, rows, kinds, LANDSCAPE, LIST_PT, merges=tuple(merges))
    meta = [("文号", f.doc_no or "（待编号）"), ("批准日期", cn_date(f.approved_on) if f.approved_on else "待批准"),
            ("单位", unit)]
    return b.Doc("annual-plan", title, LANDSCAPE, (
        b.Title(title),
        b.Meta(tuple(meta)),
        table,
        b.Note(f"注：本年度计划资金合计 {amount_line(grand['planned_fen'])}。依据{MEASURE}第六条编制，"
               f"报{lh.government}批准后组织实施。"),
        _prepared(lh, f.prepared_on),
    ))


def ledger(f: d.Ledger) -> b.Doc:
    money = ["总投资", "批复金额", "合同金额", "已拨付"]
    cols = (b.Column("序号", "fix", "c"), b.Column("项目编号", "fix", "c"), b.Column("项目名称", "text", "l", 6),
            b.Column("实施单位", "text", "l", 4), b.Column("年度", "fix", "c"), b.Column("项目类别", "text", "c", 4),
            b.Column("性质", "fix", "c"), b.Column("状态", "fix", "c"), *(b.Column(m, "fix", "r") for m in money))
    rows: list[list[object]] = [
        [i, x.code, x.name, x.department, x.year, x.category, x.nature, x.status_label, x.total_fen,
         "—" if x.approved_fen is None else x.approved_fen, x.contract_fen, x.paid_fen]
        for i, x in enumerate(f.lines, 1)]
    sums = [sum(x.total_fen for x in f.lines), sum(x.approved_fen or 0 for x in f.lines),
            sum(x.contract_fen for x in f.lines), sum(x.paid_fen for x in f.lines)]
    rows.append([f"合计（{len(f.lines)}个项目）", "", "", "", "", "", "", "", *sums])
    table, unit = money_table("台账项目", cols, money, rows, "d" * len(f.lines) + "t", LANDSCAPE, LIST_PT,
                              merges=((len(rows) - 1, 0, 7),))
    return b.Doc("ledger", f.title, LANDSCAPE, (
        b.Title(f.title),
        b.Meta((("筛选条件", f.filter_text or "全部"), ("单位", unit))),
        table,
        _prepared(f.letterhead, f.prepared_on),
    ))


def fund_comparison(f: d.FundComparison) -> b.Doc:
    """资金使用对照分析表 (第十六条): one line per project, year, kind and source; a project-year's lines end with
    its 小计; the 合计 at the foot."""
    money = ["预算", "已拨付", "结余"]
    cols = (b.Column("序号", "fix", "c"), b.Column("项目编号", "fix", "c"), b.Column("项目名称", "text", "l", 5),
            b.Column("实施单位", "text", "l", 3), b.Column("年度", "fix", "c"), b.Column("资金类型", "fix", "c"),
            b.Column("资金来源", "fix", "c"), *(b.Column(m, "fix", "r") for m in money), b.Column("执行率", "fix", "r"),
            b.Column("说明", "text", "l", 2))
    rows: list[list[object]] = []
    kinds = ""
    merges: list[tuple[int, int, int]] = []
    n = 0
    for x in f.lines:
        if x.subtotal:
            merges.append((len(rows), 0, 6))
            rows.append([x.kind_label, "", "", "", "", "", "", x.budget_fen, x.paid_fen, x.balance_fen, x.rate, x.note])
            kinds += "s"
            continue
        n += 1
        rows.append([n, x.code, x.name, x.department, x.year, x.kind_label, x.source_label, x.budget_fen, x.paid_fen,
                     x.balance_fen, x.rate, x.note])
        kinds += "d"
    merges.append((len(rows), 0, 6))
    rows.append([f"合计（{n}行）", "", "", "", "", "", "", f.budget_fen, f.paid_fen, f.budget_fen - f.paid_fen, f.rate,
                 ""])
    kinds += "t"
    table, unit = money_table("对照项目", cols, money, rows, kinds, LANDSCAPE, LIST_PT, merges=tuple(merges))
    return b.Doc("fund-comparison", f.title, LANDSCAPE, (
        b.Title(f.title),
        b.Meta((("筛选条件", f.filter_text or "全部"), ("单位", unit))),
        table,
        b.Note(f"注：执行率＝已拨付÷预算；拨付按拨付日期所在年度计入。未注明资金来源的预算或拨付列为“未区分来源”。"
               f"依据{MEASURE}第十六条，项目实施单位定期开展对照分析，评估项目资金使用情况。"),
        _prepared(f.letterhead, f.prepared_on),
    ))


TEMPLATES: dict[str, tuple[type, Callable[..., b.Doc]]] = {
    "approval": (d.ApprovalForm, approval),
    "review-opinion": (d.ReviewOpinionForm, review_opinion),
    "contract-filing": (d.ContractFilingForm, contract_filing),
    "change": (d.ChangeForm, change),
    "acceptance": (d.AcceptanceForm, acceptance),
    "rectification": (d.RectificationNotice, rectification),
    "suspension": (d.SuspensionNotice, suspension),
    "publicity": (d.PublicityNotice, publicity),
    "annual-plan": (d.AnnualPlanTable, annual_plan),
    "evaluation": (d.EvaluationReport, evaluation),
    "ledger": (d.Ledger, ledger),
    "fund-comparison": (d.FundComparison, fund_comparison),
}

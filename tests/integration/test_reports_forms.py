"""Each form rendered from hand-made data and read back from the PDF: fonts, fields, cells, pages, notices.

The faces are pinned to the shipped ones (GOVDATA_SYSTEM_FONTS=0), so what is measured does not depend on
the PC's fonts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from app.domain.money import format_yuan, to_capital
from app.reports import KINDS, compose, content_digest, render, render_form, typeset
from app.reports import data as d
from app.reports import doc as blocks
from app.reports import fonts as rf
from app.reports.samples import RARE_NAME, SAMPLES
from app.reports.templates import cn_date, format_wan, numbered, wan_places
from tests.integration.pdfcheck import (
    MM,
    cells,
    forms_placed,
    needs_poppler,
    red_top,
    split_across,
    text_fonts,
    words,
)

SERIAL = "BD2027000012"
NOTICES = ("rectification", "suspension", "publicity")
LANDSCAPE = ("annual-plan", "ledger", "fund-comparison")


@pytest.fixture(scope="module", autouse=True)
def shipped_faces() -> Iterator[rf.FontSet]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GOVDATA_SYSTEM_FONTS", "0")
        mp.delenv("GOVDATA_FONT_DIRS", raising=False)
        rf.reset()
        yield rf.fonts()
    rf.reset()


@pytest.fixture(scope="module")
def rendered(shipped_faces: rf.FontSet) -> dict[str, bytes]:
    return {kind: render_form(kind, make(), SERIAL) for kind, make in SAMPLES.items()}


@pytest.fixture(scope="module")
def pages(rendered: dict[str, bytes]) -> dict[str, list]:
    return {kind: words(pdf) for kind, pdf in rendered.items()}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_kind_has_a_template_a_sample_and_a_command_line_name() -> None:
    from app.cli.reports import KINDS as CLI_KINDS

    assert set(SAMPLES) == set(KINDS)
    assert CLI_KINDS == KINDS


# ---------------------------------------------------------------- fonts


@pytest.mark.parametrize("kind", list(KINDS))
def test_page_size_and_every_font_embedded(kind: str, rendered: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(rendered[kind]))
    expected = (A4[1], A4[0]) if kind in LANDSCAPE else A4
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == tuple(map(round, expected))
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            base = str(font["/BaseFont"])
            assert re.match(r"/[A-Z]{6}\+", base), base  # a subset: no Helvetica, nothing left to the viewer
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in desc.get_object(), base  # embedded TrueType outlines
    assert reader.metadata.title and reader.metadata.subject == KINDS[kind]


@pytest.mark.parametrize("kind", NOTICES)
def test_notice_body_in_fangsong_title_in_the_title_face(kind: str, rendered: dict[str, bytes]) -> None:
    runs = text_fonts(rendered[kind])
    body = [f for t, f, size, _y in runs if abs(size - 16) < 0.1 and not re.fullmatch("[一二三四五六七八九十]+、", t)]
    assert len(body) > 10 and set(body) == {"FandolFang-GovDataSubset"}, runs  # 三号 仿宋 (numbering in 黑体)
    title_doc = compose(kind, SAMPLES[kind]())
    title = next(b.text for b in title_doc.blocks if isinstance(b, blocks.NoticeTitle))
    t_fonts = {f for t, f, size, _y in runs if abs(size - 22) < 0.1 and t and t in title}
    assert t_fonts == {"NotoSerifCJKsc-Bold-GovDataSubset"}
    mark = {f for t, f, size, _y in runs if t.endswith("文件")}
    assert mark == {"NotoSerifCJKsc-Bold-GovDataSubset"}


def test_form_titles_in_hei_tables_in_song(rendered: dict[str, bytes]) -> None:
    runs = text_fonts(rendered["approval"])
    assert {f for t, f, s, _y in runs if "立项审批表" in t and s > 17} == {"NotoSansCJKsc-Medium-GovDataSubset"}
    assert {f for t, f, s, _y in runs if "QS-2027-0001" in t and s < 11} == {"UMingCN-GovDataSubset"}


def test_the_pcs_own_faces_come_first() -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("GOVDATA_SYSTEM_FONTS", raising=False)
        rf.reset()
        try:
            fs = rf.fonts()
            own = [fs.face(r) for r in rf.ROLES if fs.face(r).path.parent.name not in ("fonts", "paper")]
            if not own:
                pytest.skip("this PC has no Chinese TrueType font of its own")
            shipped = rf.resource("fonts")
            for face in own:
                assert not str(face.path).startswith(str(shipped))
        finally:
            rf.reset()
    rf.fonts()


# ---------------------------------------------------------------- what is printed


def _leaves(value: object, path: str = "") -> Iterator[tuple[str, object]]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _leaves(getattr(value, f.name), f"{path}.{f.name}" if path else f.name)
    elif isinstance(value, tuple):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, value


# leaves printed in another form than their own str(), or not on this form by design (with the reason)
NOT_AS_IS = {
    "project.category": "a contract's form names its project, its code, department and total only",
    "project.nature": "", "project.year": "", "project.county_fen": "", "project.upper_fen": "",
    "project.other_fen": "", "project.responsible_person": "", "project.responsible_phone": "",
    "project.period_months": "", "project.content": "",
    "letterhead.government": "named on the annual plan only",
    "letterhead.county": "in the title",
    "letterhead.finance_bureau": "named in the note or as 抄送",
    "letterhead.bureau_short": "in sentences",
    "letterhead.bureau": "as the short name in notices",
}


def _printed_forms(path: str, value: object) -> list[str]:
    """The ways a leaf may appear on paper."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, dt.date):
        return [cn_date(value)]
    if isinstance(value, int) and ("fen" in path.split(".")[-1]):
        return [format_yuan(value), to_capital(value)]
    if isinstance(value, int | Decimal):
        return [str(value)]
    text = str(value)
    if "\n" in text:  # requirements: each on its own, renumbered
        return [squash(x) for x in numbered(text)]
    return [squash(text).replace("“", "‘").replace("”", "’"), squash(text)]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_field_of_the_record_is_printed(kind: str, pages: dict[str, list]) -> None:
    # the page's words in reading order, and each table cell's lines joined (a value wrapped inside its cell)
    text = squash("".join(p.text() for p in pages[kind])) + "|".join("".join(c) for c in _all_cells(pages[kind]))
    missing = []
    for path, value in _leaves(SAMPLES[kind]()):
        skip = [k for k in NOT_AS_IS if k.startswith("letterhead") or kind == "contract-filing"]
        if any(path.startswith(k) for k in skip) or (path.endswith(".title") and kind == "approval") or value == "":
            continue
        forms = _printed_forms(path, value)
        if forms and not any(f in text for f in forms if f):
            missing.append(f"{path}={value!r}")
    assert missing == []


@needs_poppler
@pytest.mark.parametrize("kind", list(KINDS))
def test_the_digest_covers_exactly_what_is_printed(kind: str, pages: dict[str, list]) -> None:
    """Every character on paper, less the page's own (serial, page number, digest), is a character of the
    printed blocks, and every character of the blocks is on paper."""
    doc = compose(kind, SAMPLES[kind]())
    digest = content_digest(kind, SAMPLES[kind]())
    printed = Counter(squash("".join(p.text() for p in pages[kind])))
    n = len(pages[kind])
    deco = f"编号：{SERIAL}" * n + "打印校验（SM3）：" * n + render.group_digest(digest).replace(" ", "") * n
    if kind in NOTICES:
        deco += "".join(f"—{i}—" for i in range(1, n + 1))
    else:
        deco += "".join(f"第{i}页共{n}页" for i in range(1, n + 1)) + f"{doc.title}编号{SERIAL}" * n
    expected = Counter(squash(blocks.printed_text(doc) + deco))
    assert expected - printed == Counter()  # everything the digest covers is on paper
    # and nothing is on paper that the digest does not cover: beyond the blocks, only what a list repeats at the
    # top of each page it runs on (its header, a merged label that goes on)
    repeats = set()
    for b in doc.blocks:
        if isinstance(b, blocks.ListTable):
            repeats |= set(squash("".join(c.header for c in b.columns)))
            repeats |= {ch for col, r0, _r1 in b.spans for ch in b.rows[r0][col]}
    assert set(printed - expected) <= repeats


def test_digest_follows_only_what_is_printed() -> None:
    a = SAMPLES["approval"]()
    assert content_digest("approval", a) == content_digest("approval", SAMPLES["approval"]())
    assert content_digest("approval", a) != content_digest(
        "approval", dataclasses.replace(a, approved_fen=a.approved_fen + 1))
    # a material's title is not printed on the approval form: changing it changes nothing
    mats = tuple(dataclasses.replace(m, title="另一名称") for m in a.materials)
    assert content_digest("approval", a) == content_digest("approval", dataclasses.replace(a, materials=mats))
    assert re.fullmatch(r"[0-9a-f]{64}", content_digest("approval", a))


def test_changed_fields_are_named_in_chinese() -> None:
    a = SAMPLES["approval"]()
    before = blocks.fields(compose("approval", a))
    after = blocks.fields(compose("approval", dataclasses.replace(
        a, approved_fen=1, project=dataclasses.replace(a.project, nature="新建"))))
    assert blocks.diff(before, after) == ["建设性质", "批准投资额"]
    led = SAMPLES["ledger"]()
    lines = list(led.lines)
    lines[4] = dataclasses.replace(lines[4], paid_fen=lines[4].paid_fen + 100)
    changed = blocks.diff(blocks.fields(compose("ledger", led)),
                          blocks.fields(compose("ledger", dataclasses.replace(led, lines=tuple(lines[:-1])))))
    assert "台账项目 QS-2027-0005 的已拨付（元）" in changed
    assert "台账项目：删除 QS-2027-0060" in changed


# ---------------------------------------------------------------- page decoration


@needs_poppler
@pytest.mark.parametrize("kind", list(KINDS))
def test_serial_page_number_and_legible_digest_on_every_page(kind: str, rendered: dict[str, bytes],
                                                             pages: dict[str, list]) -> None:
    digest = content_digest(kind, SAMPLES[kind]())
    n = len(pages[kind])
    for i, page in enumerate(pages[kind], 1):
        text = squash(page.text())
        assert SERIAL in text
        assert render.group_digest(digest).replace(" ", "") in text
        groups = [w for w in page.words if re.fullmatch(r"[0-9a-f]{4}", w.text) and w.y1 - w.y0 < 8]
        assert len(groups) == 16  # in groups of four
        assert all(w.y1 - w.y0 >= 7 - 0.01 for w in groups)  # at least 7 pt
        assert (f"—{i}—" if kind in NOTICES else f"第{i}页共{n}页") in text


@pytest.mark.parametrize("kind", list(KINDS))
def test_qr_code_keeps_10_mm_from_the_paper_edge(kind: str, rendered: dict[str, bytes]) -> None:
    w, h = (A4[1], A4[0]) if kind in LANDSCAPE else A4
    for spots in forms_placed(rendered[kind]):
        assert len(spots) == 1
        x, y = spots[0]
        assert x >= 10 * MM - 0.01 and y >= 10 * MM - 0.01
        assert x + render.QR_SIZE <= w - 10 * MM + 0.01 and y + render.QR_SIZE <= h - 10 * MM + 0.01


@needs_poppler
def test_qr_code_decodes_from_the_printed_page(rendered: dict[str, bytes], tmp_path: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("zxingcpp") is None:
        pytest.skip("zxing-cpp is not installed")
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(rendered["approval"])
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
                   check=True)
    png = next(tmp_path.glob("p*.png"))
    # decoded in a child process: zxing-cpp beside PySide6 in one interpreter aborts at exit (bool_dealloc)
    script = ("import sys, zxingcpp; from PIL import Image; "
              "print('\\n'.join(r.text for r in zxingcpp.read_barcodes(Image.open(sys.argv[1]))))")
    out = subprocess.run([sys.executable, "-c", script, str(png)], capture_output=True, text=True, check=True,
                         timeout=120).stdout
    assert out.splitlines() == [render.qr_payload(SERIAL, content_digest("approval", SAMPLES["approval"]()))]


def test_qr_payload_round_trip() -> None:
    digest = "ab" * 32
    assert render.parse_qr_payload(render.qr_payload(SERIAL, digest)) == (SERIAL, digest)
    assert render.parse_qr_payload(f" govdata-form|{SERIAL}|{digest}\n") == (SERIAL, digest)
    for bad in ("", "GOVDATA-FORM|x", f"OTHER|{SERIAL}|{digest}"):
        with pytest.raises(ValueError):
            render.parse_qr_payload(bad)


def test_the_qr_code_is_encoded_once_per_document() -> None:
    render.qr_modules.cache_clear()
    pdf = render_form("ledger", SAMPLES["ledger"](60), SERIAL)
    assert render.qr_modules.cache_info().misses == 1
    assert pdf.count(b"/Subtype /Form") == 1  # one XObject drawn on every page


# ---------------------------------------------------------------- tables


def _all_cells(ps: list) -> list[list[str]]:
    return [lines for p in ps for lines in cells(p).values()]


@needs_poppler
@pytest.mark.parametrize("kind", list(KINDS))
def test_no_amount_or_code_split_across_lines(kind: str, pages: dict[str, list]) -> None:
    for lines in _all_cells(pages[kind]):
        assert split_across(lines) == [], lines
    for p in pages[kind]:  # a notice's paragraphs too: line after line
        assert split_across(["".join(w.text for w in line) for line in _body_lines(p)]) == []


@needs_poppler
@pytest.mark.parametrize("kind", LANDSCAPE + ("publicity",))
def test_every_amount_and_code_of_a_list_sits_whole_on_one_line_of_one_cell(kind: str,
                                                                             pages: dict[str, list]) -> None:
    doc = compose(kind, SAMPLES[kind]())
    table = next(b for b in doc.blocks if isinstance(b, blocks.ListTable))
    lines = {line for c in _all_cells(pages[kind]) for line in c}
    for r in table.rows:
        for col, text in zip(table.columns, r, strict=True):
            if col.kind == "fix" and text:
                assert text in lines, (col.header, text)


@needs_poppler
def test_long_lists_repeat_their_header_and_keep_groups_together() -> None:
    for n in (12, 25, 37, 60, 83):
        plan = SAMPLES["annual-plan"](n=n)
        ps = words(render_form("annual-plan", plan, SERIAL))
        assert len(ps) >= 1
        for p in ps:
            assert "项目名称" in p.text() and "本年度计划" in squash(p.text())
            rows = [squash("".join(w.text for w in line)) for line in p.lines()]
            table = [r for r in rows if re.match(r"^(\d+QS|[一二三四五六七八九十]+\D|小计|合计)", r)]
            assert table, rows
            assert not re.match(r"^[一二三四五六七八九十]+\D", table[-1]) or table[-1] == table[0], (n, table[-1])
            assert not table[0].startswith(("小计", "合计")), (n, table[0])
        text = squash("".join(p.text() for p in ps))
        assert f"合计（{n}个项目）" in text and format_yuan(sum(x.planned_fen for x in plan.lines)) in text


@needs_poppler
def test_a_unit_never_starts_a_line_and_short_headers_never_wrap(pages: dict[str, list]) -> None:
    for kind, ps in pages.items():
        for lines in _all_cells(ps):
            for line in lines[1:]:
                assert not line.startswith(("元）", "）", "，", "。", "、")), (kind, lines)
            assert lines not in (["序", "号"], ["年", "度"], ["性", "质"], ["状", "态"])


def test_amounts_go_to_wan_yuan_exactly_when_they_do_not_fit() -> None:
    assert wan_places([318404000, 100]) == 4 and wan_places([1]) == 6 and wan_places([1_000_000, 2_500_000]) == 2
    assert format_wan(318404000, 4) == "318.4040" and format_wan(123_456_789_000_000, 2) == "123,456,789.00"
    big = SAMPLES["ledger"]()
    huge = tuple(dataclasses.replace(x, total_fen=99_999_999_999_999, approved_fen=99_999_999_999_999,
                                     contract_fen=99_999_999_999_999, paid_fen=99_999_999_999_999)
                 for x in big.lines)
    doc = compose("ledger", dataclasses.replace(big, lines=huge))
    meta = next(b for b in doc.blocks if isinstance(b, blocks.Meta))
    assert ("单位", "万元") in meta.items
    table = next(b for b in doc.blocks if isinstance(b, blocks.ListTable))
    assert table.rows[0][8] == "99,999,999.999999"  # exact: 分 are 0.000001 万元
    assert compose("ledger", big).blocks[1].items[-1] == ("单位", "元")


# ---------------------------------------------------------------- notices (GB/T 9704-2012)


def _body_lines(p) -> list[list]:
    return [line for line in p.lines() if abs((line[0].y1 - line[0].y0) - 16) < 0.2]


@needs_poppler
@pytest.mark.parametrize("kind", NOTICES)
def test_notice_geometry_within_a_millimetre(kind: str, rendered: dict[str, bytes], pages: dict[str, list]) -> None:
    left, right = 28 * MM, (210 - 26) * MM
    pitch = 156 * MM / 28
    assert abs(red_top(rendered[kind]) - (37 + 35)) <= 1.0  # the red mark 35 mm under the text area's top
    for p in pages[kind]:
        lines = _body_lines(p)
        for line in lines:
            x0 = line[0].x0
            assert min(abs(x0 - left), abs(x0 - left - 2 * pitch), abs(x0 - (right - 4 * pitch - (line[-1].x1 - x0)))
                       ) <= 1 * MM or x0 > left + 4 * pitch, x0 / MM  # 顶格, 空二字, or a centred/right line
            assert line[-1].x1 <= right + 1 * MM
        full = [line for line in lines if len(squash("".join(w.text for w in line))) >= 20]
        for line in full[:-1]:
            if line[-1].x1 > right - 3 * MM:  # a justified line reaches the right margin
                assert abs(line[-1].x1 - right) <= 1 * MM


def test_twenty_eight_characters_and_twenty_two_lines_a_page() -> None:
    text = "县" * 28 * 30
    f = dataclasses.replace(SAMPLES["rectification"](), facts=text, requirements="组织验收")
    ps = words(render_form("rectification", f, SERIAL))
    second = _body_lines(ps[1])
    assert len(second) == 22
    tops = [line[0].y0 for line in second]
    steps = {round(b - a, 2) for a, b in zip(tops, tops[1:], strict=False)}
    assert all(abs(s - 225 * MM / 22) < 0.05 for s in steps)
    for line in second[:-1]:
        chars = squash("".join(w.text for w in line))
        if set(chars) == {"县"}:
            assert len(chars) == 28
    assert abs(second[0][0].y0 - 37 * MM - (225 * MM / 22 - 16) / 2 - 0.12 * 16 * 0) < 2 * MM


@needs_poppler
def test_date_right_four_characters_and_the_issuer_centred_over_it(pages: dict[str, list]) -> None:
    pitch = 156 * MM / 28
    right = (210 - 26) * MM
    for kind in NOTICES:
        last = pages[kind][-1]
        date_words = [w for w in last.words if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", w.text)
                      and abs((w.y1 - w.y0) - 16) < 0.2]
        issuer = [w for w in last.words if w.text == "沁水县行政审批服务管理局" and abs((w.y1 - w.y0) - 16) < 0.2]
        assert date_words and issuer, kind
        date = date_words[-1]
        assert abs(date.x1 - (right - 4 * pitch)) <= 1 * MM
        assert abs(issuer[-1].cx - date.cx) <= 1 * MM and issuer[-1].y1 < date.y0


@needs_poppler
@pytest.mark.parametrize("kind", ("rectification", "suspension"))
def test_colophon_at_the_foot_of_the_last_page(kind: str, pages: dict[str, list]) -> None:
    last = pages[kind][-1]
    bottom = 297 * MM - 35 * MM
    rules = sorted(y for x0, x1, y, w in last.hlines if x1 - x0 > 150 * MM)
    assert rules and abs(rules[-1] - bottom) <= 0.5  # the last rule on the text area's bottom edge
    assert any(w.text.startswith("抄送：") for w in last.words)
    assert any(w.text.endswith("印发") for w in last.words)
    for p in pages[kind][:-1]:
        assert not any(w.text.endswith("印发") for w in p.words)


def test_requirements_numbered_each_ending_in_a_full_stop() -> None:
    assert numbered("一、立即组织初步验收；\n2.提交联合验收申请\n（三）书面说明拖延原因，") == [
        "立即组织初步验收。", "提交联合验收申请。", "书面说明拖延原因。"]
    doc = compose("rectification", SAMPLES["rectification"]())
    reqs = [b for b in doc.blocks if isinstance(b, blocks.Para) and b.name.startswith("整改要求")]
    assert [b.number for b in reqs] == ["一、", "二、", "三、"]
    assert all(b.text.endswith("。") for b in reqs)


@needs_poppler
def test_titles_never_leave_a_character_alone() -> None:
    for n in range(8, 40, 3):
        name = "政务服务数据共享平台升级改造项目"[: n % 16 + 1] * (n // 16 + 1)
        f = dataclasses.replace(SAMPLES["rectification"](), project_name=name)
        p = words(render_form("rectification", f, SERIAL))[0]
        title = [line for line in p.lines() if abs((line[0].y1 - line[0].y0) - 22) < 0.2]
        for line in title:
            assert len(squash("".join(w.text for w in line))) >= 3, [w.text for w in line]


@needs_poppler
def test_a_page_never_holds_a_signature_alone() -> None:
    sign_texts = ("沁水县行政审批服务管理局", "印发", "抄送")
    for n in range(1, 31):
        ps = words(render_form("publicity", SAMPLES["publicity"](n), SERIAL))
        last = ps[-1]
        body = [w for w in last.words if abs((w.y1 - w.y0) - 16) < 0.2 and not re.fullmatch(
            r"\d{4}年\d{1,2}月\d{1,2}日", w.text) and not any(s in w.text for s in sign_texts)]
        assert body, n  # text above the seal on the page that holds it
    long_content = "建设内容。" * 220
    for extra in range(0, 300, 60):
        a = SAMPLES["approval"]()
        f = dataclasses.replace(a, project=dataclasses.replace(a.project, content=long_content[: 700 + extra * 3]))
        ps = words(render_form("approval", f, SERIAL))
        labels = {w.text for w in ps[-1].words}
        assert labels - {"主管部门", "审批意见", "县领导意见", "（签字）：", "（盖章）", "县领导（签字）："} - {
            w.text for w in ps[-1].words if re.search(r"\d|年|月|日|审批领导|同意|编号|打印|页|注|沁水县|政务|表", w.text)}


# ---------------------------------------------------------------- the line breaker


def test_tokens_keep_numbers_codes_units_and_punctuation() -> None:
    t = typeset.tokens
    assert t("总投资 3,184,040.00 元（大写：人民币）")[4] == "3,184,040.00 元"
    assert "QS-2027-0001）" in t("（项目编号：QS-2027-0001）存在")
    assert t("总投资（元）")[-1] == "（元）"
    assert t("2027年3月5日") == ["2027年", "3月", "5日"]
    assert "〔2027〕12号。" in t("沁审管发〔2027〕12号。")
    assert t("，。")[0] == "，。"


def test_chinese_punctuation_never_starts_a_line_and_an_opening_never_ends_one() -> None:
    text = "县行政审批服务管理局。对拒不整改或整改后仍不符合要求的，将暂停拨付项目建设和运维资金；直至终止项目：特此通知！（附件）"

    def m(s: str) -> float:
        return len(s) * 10.0

    for width in range(40, 400, 10):
        lines = typeset.greedy(text, m, width)
        assert all(line.text[0] not in "，；：。！、）" for line in lines[1:]), width
        assert all(line.text[-1] not in "（《“" for line in lines), width


def test_balanced_lines_never_leave_one_character() -> None:
    def m(s: str) -> float:
        return len(s) * 10.0

    for n in range(2, 60):
        lines = typeset.balanced("字" * n, m, 280)
        assert all(len(line.text) >= min(n, 2) for line in lines)
        assert max(len(x.text) for x in lines) - min(len(x.text) for x in lines) <= len(lines) - 1


def test_rare_characters_print_in_a_fallback_face(pages: dict[str, list]) -> None:
    fs = rf.fonts()
    assert fs.missing_chars(RARE_NAME) == []
    assert RARE_NAME in squash("".join(p.text() for p in pages["approval"]))
    ch = "\U000e0100"  # a variation selector no CJK font maps: 〓, never a silent box
    assert [t for _f, t in render._runs(fs, fs.song, f"张{ch}")] == [f"张{rf.MISSING_MARK}"]


def test_wrong_data_type_or_kind_is_refused() -> None:
    from app.errors import InputError

    with pytest.raises(InputError):
        render_form("nonsense", SAMPLES["approval"](), SERIAL)
    with pytest.raises(TypeError):
        render_form("ledger", SAMPLES["approval"](), SERIAL)


def test_empty_ledger_renders_one_page() -> None:
    pdf = render_form("ledger", d.Ledger(d.Letterhead(), "台账", ""), SERIAL)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_progress_and_cancel() -> None:
    seen: list[tuple[int, int]] = []
    render_form("ledger", SAMPLES["ledger"](120), SERIAL, progress=lambda a, b: seen.append((a, b)))
    assert seen and seen[-1][0] == seen[-1][1] and len(seen) > 2
    assert [a for a, _b in seen] == sorted(a for a, _b in seen)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(render.PrintCancelled):
        render_form("ledger", SAMPLES["ledger"](400), SERIAL, cancelled=cancelled)


@needs_poppler
def test_figures_a_clerk_checks_first(pages: dict[str, list]) -> None:
    text = {k: squash("".join(p.text() for p in ps)) + "|".join("".join(c) for c in _all_cells(ps))
            for k, ps in pages.items()}
    assert "3,184,040.00元（大写：人民币叁佰壹拾捌万肆仟零肆拾元整）" in text["approval"]
    assert "沁审管发〔2027〕12号" in text["approval"] and "2027年3月5日" in text["approval"]
    assert "审批领导：李四" in text["approval"] and "QS-2027-0007" in text["approval"]  # leader and split findings
    assert "逾期备案" in text["contract-filing"] and "91140521MA0K12345X" in text["contract-filing"]  # 5-13 > 5-12
    assert "2027年11月8日前完成整改" in text["rectification"] and "第二十二条" in text["rectification"]
    assert "2027年4月1日至2027年4月8日" in text["publicity"]
    assert "80.00%" in text["acceptance"] and "80.0%" not in text["acceptance"].replace("80.00%", "")
    assert "共3项，已纳入共享平台目录管理系统2项" in text["acceptance"] and "DJCP-2027-001" in text["acceptance"]
    assert "140521-QS-001" in text["acceptance"] and "文号：沁审管验〔2027〕5号" in text["acceptance"]
    assert "3,384,040.00元（大写：人民币叁佰叁拾捌万肆仟零肆拾元整）" in text["change"]
    ev = SAMPLES["evaluation"]()
    assert f"{ev.total}分" in text["evaluation"] and "评价单位评价组" in text["evaluation"]
    assert "评价人（签字）：" in text["evaluation"]
    assert "出具单位：沁水县行政审批服务管理局（沁水县政务信息管理局）（盖章）" in text["review-opinion"]


@needs_poppler
def test_signature_rows_never_stand_alone_on_the_last_page() -> None:
    rows_before = {"总投资", "县级财政资金", "建设内容", "变更原因", "变更内容", "变更类别", "申请日期"}
    base = SAMPLES["change"]()
    for n in range(0, 400, 40):
        f = dataclasses.replace(base, reason="省级电子证照系统上线，需同步对接。" * (1 + n // 16))
        ps = words(render_form("change", f, SERIAL))
        assert rows_before & {w.text for w in ps[-1].words}, n  # a row of the form above the signatures


@needs_poppler
@pytest.mark.parametrize("findings", (30, 60))
def test_a_row_taller_than_a_page_goes_on_over_the_pages(findings: int) -> None:
    """The approval of a project with many look-alikes (第九条): the 疑似拆分 cell alone is taller than a page. It is
    cut between its lines (every finding printed once, in order, none cut inside a code), its label repeats, and
    every word stays in the text area."""
    base = SAMPLES["approval"]()
    long_name = "𠀾䶮县域数字政府一体化政务大数据资源共享交换与智能分析应用支撑平台（含城乡基层社会治理网格化服务管理子系统）"
    splits = tuple(d.SplitFinding(f"QS-2026-{i:04d}", f"{long_name}{i}", "另一单位、同一年度的项目名称相似度98%")
                   for i in range(1, findings + 1))
    f = dataclasses.replace(base, split_findings=splits)
    ps = words(render_form("approval", f, SERIAL))
    assert len(ps) >= 2 + findings // 20
    found = [w.text[:12] for p in ps for w in p.words if re.fullmatch(r"QS-2026-\d{4}", w.text[:12])
             and w.text[:12] != f.project.code]
    assert found == [s.code for s in splits]
    cut = [p for p in ps if any(w.text.startswith("疑似拆分") for w in p.words)]
    assert len(cut) >= 2  # the label on each page the cell spans
    left, right, top, bottom = render.Layout("portrait").margins
    for p in ps:
        for w in p.words:
            if top <= w.y0 and w.y1 <= p.height - bottom:
                assert left - 0.5 <= w.x0 and w.x1 <= p.width - right + 0.5, w
        for lines in cells(p).values():
            assert split_across(lines) == [], lines
    assert "（签字）：" in "".join(ps[-1].text())  # the signature rows after the cut


@needs_poppler
def test_a_character_no_face_has_is_named_by_its_code_point() -> None:
    """鿏 (U+9FCF) is in none of the shipped faces: it prints as 〓, and each page says which character that is."""
    base = SAMPLES["approval"]()
    f = dataclasses.replace(base, project=dataclasses.replace(base.project, responsible_person="李鿏"))
    assert rf.fonts().missing_chars("李鿏") == ["鿏"]
    ps = words(render_form("approval", f, SERIAL))
    for p in ps:
        assert "U+9FCF" in p.text() and "手工填写" in p.text()
    assert "李〓" in squash(ps[0].text())
    plain = words(render_form("approval", base, SERIAL))
    assert not any("U+" in p.text() for p in plain)  # nothing said when every character is there
    notice = dataclasses.replace(SAMPLES["rectification"](), project_name="鿏数据平台")
    assert "U+9FCF" in words(render_form("rectification", notice, SERIAL))[0].text()


@needs_poppler
def test_a_title_wraps_between_words() -> None:
    """GB/T 9704 7.3.3: a title that wraps keeps its words whole (大数据 / 平台 never cut), still balanced."""
    cases = {"沁水县2025年度政务大数据项目资金拟分配计划公示": ["沁水县2025年度政务大数据", "项目资金拟分配计划公示"]}
    for title, expected in cases.items():
        f = dataclasses.replace(SAMPLES["publicity"](), title=title)
        p = words(render_form("publicity", f, SERIAL))[0]
        lines = [squash("".join(w.text for w in line)) for line in p.lines()
                 if abs((line[0].y1 - line[0].y0) - 22) < 0.2]
        assert lines == expected
    notice = dataclasses.replace(SAMPLES["rectification"](), project_name="一网通办政务服务平台升级")
    p = words(render_form("rectification", notice, SERIAL))[0]
    lines = [squash("".join(w.text for w in line)) for line in p.lines() if abs((line[0].y1 - line[0].y0) - 22) < 0.2]
    assert len(lines) == 2 and lines[0].endswith("政务服务") and lines[1].startswith("平台"), lines
    m = render.measurer(rf.fonts().title, 22)
    for text in ("关于暂停拨付中小学智慧校园建设项目资金的通知", "关于对" + "数据平台" * 9 + "项目限期整改的通知"):
        lines = typeset.balanced(text, m, 156 * MM, typeset.TITLE_WORDS)
        assert "".join(x.text for x in lines) == text and min(len(x.text) for x in lines) >= 2
        assert not any(a.text.endswith("数") and b.text.startswith("据") for a, b in zip(lines, lines[1:]))


@needs_poppler
def test_the_seal_has_two_lines_of_text_above_it() -> None:
    """GB/T 9704 7.3.5: the signature and seal share their page with at least two lines of the text, taken from the
    paragraph before when the last paragraph (联系人…) is a single line."""
    sign_texts = ("沁水县行政审批服务管理局", "印发", "抄送")
    for n, contact in [(n, "张三") for n in range(1, 31)] + [(n, None) for n in range(1, 31, 2)]:
        f = dataclasses.replace(SAMPLES["publicity"](n), contact=contact, phone=contact and "0356-7022345")
        ps = words(render_form("publicity", f, SERIAL))
        body = {round(w.y1) for w in ps[-1].words if abs((w.y1 - w.y0) - 16) < 0.2 and not re.fullmatch(
            r"\d{4}年\d{1,2}月\d{1,2}日", w.text) and not any(s in w.text for s in sign_texts)}
        assert len(body) >= 2, n


@needs_poppler
def test_a_row_cut_over_pages_leaves_lines_above_the_signatures() -> None:
    """When only the signature rows would go over, the last lines of the cut row go with them (never a page of
    signatures alone)."""
    base = SAMPLES["approval"]()
    long_name = "县域数字政府一体化政务大数据资源共享交换与智能分析应用支撑平台（含城乡基层社会治理网格化服务管理子系统）"
    for findings in range(24, 44, 2):
        splits = tuple(d.SplitFinding(f"QS-2026-{i:04d}", f"{long_name}{i}", "另一单位、同一年度的项目名称相似度98%")
                       for i in range(1, findings + 1))
        ps = words(render_form("approval", dataclasses.replace(base, split_findings=splits), SERIAL))
        last = ps[-1].text()
        assert "疑似拆分" in last or "QS-2026-" in last, findings


@needs_poppler
def test_empty_optional_fields_say_so() -> None:
    """A project entered without content, responsible person, phone or period: each row is printed, 未填写."""
    base = SAMPLES["approval"]()
    bare = dataclasses.replace(base.project, content=None, responsible_person=None, responsible_phone=None,
                               period_months=None, upper_fen=0, other_fen=0)
    ps = words(render_form("approval", dataclasses.replace(base, project=bare), SERIAL))
    text = "|".join("".join(c) for c in _all_cells(ps))
    for label in ("建设内容", "项目负责人", "建设周期"):
        assert label in text, label
    assert squash("".join(p.text() for p in ps)).count("未填写") >= 3


@needs_poppler
def test_a_notice_writes_recorded_dates_in_chinese() -> None:
    """The suspension's reason as the deadline recorded it (整改期限（2026-10-01）届满…) reads 2026年10月1日 on paper."""
    f = dataclasses.replace(SAMPLES["suspension"](), reason="整改期限（2026-10-01）届满，未完成整改")
    text = squash("".join(p.text() for p in words(render_form("suspension", f, SERIAL))))
    assert "整改期限（2026年10月1日）届满，未完成整改。" in text and "2026-10-01" not in text

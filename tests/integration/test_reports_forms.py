"""Each form rendered from hand-made data, checked from the PDF itself (pypdf, pdftotext, pdftoppm, QR decode)."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from app.domain.money import to_capital
from app.reports import KINDS, content_digest, render_form
from app.reports import data as d
from app.reports.blocks import parse_qr_payload, qr_payload, qr_widget
from app.reports.fonts import MISSING_MARK, fonts
from app.reports.samples import RARE_NAME, SAMPLES

SERIAL = "BD2027000012"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def pdf_text(pdf: bytes, tmp_path: Path, layout: bool = False) -> str:
    path = tmp_path / "f.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {kind: render_form(kind, make(), SERIAL) for kind, make in SAMPLES.items()}


def test_every_kind_has_a_template_and_a_sample() -> None:
    assert set(SAMPLES) == set(KINDS)


@pytest.mark.parametrize("kind", list(KINDS))
def test_page_size_fonts_and_metadata(kind: str, rendered: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(rendered[kind]))
    landscape = kind in ("annual-plan", "ledger")
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        expected = (A4[1], A4[0]) if landscape else A4
        assert (round(w), round(h)) == (round(expected[0]), round(expected[1]))
        fonts_used = page["/Resources"]["/Font"]
        for ref in fonts_used.values():
            font = ref.get_object()
            base = str(font["/BaseFont"])
            # every font is an embedded TrueType subset: no Helvetica/Courier, nothing left to the viewer
            assert re.match(r"/[A-Z]{6}\+", base), base
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in desc.get_object(), base
    assert reader.metadata.title
    assert reader.metadata.subject == KINDS[kind]


@needs_poppler
@pytest.mark.parametrize("kind", list(KINDS))
def test_serial_page_numbers_and_digest_on_every_page(kind: str, rendered: dict[str, bytes],
                                                      tmp_path: Path) -> None:
    pdf = rendered[kind]
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    text = pdf_text(pdf, tmp_path)
    per_page = text.split("\f")[:pages]
    digest = content_digest(kind, SAMPLES[kind]())
    notice = kind in ("rectification", "publicity")
    for n, page in enumerate(per_page, 1):
        assert SERIAL in page
        assert digest in squash(page)
        if notice:  # compared without spaces: pdftotext's spacing depends on the face (WenQuanYi drops them)
            assert f"—{n}—" in squash(page)
        else:
            assert f"第{n}页共{pages}页" in squash(page)


@needs_poppler
def test_approval_figures_capitals_date_and_doc_number(rendered: dict[str, bytes], tmp_path: Path) -> None:
    text = squash(pdf_text(rendered["approval"], tmp_path))
    assert "沁水县政务大数据项目立项审批表" in text
    assert "3,184,040.00元" in text
    assert "人民币叁佰壹拾捌万肆仟零肆拾元整" in text
    assert to_capital(318404000) == "人民币叁佰壹拾捌万肆仟零肆拾元整"
    assert "沁审管发〔2027〕12号" in text
    assert "2027年3月5日" in text
    for label in ("项目建议书", "可行性研究报告", "初步设计方案", "投资概算"):
        assert label in text
    assert "县级财政资金2,184,040.00元" in text


@needs_poppler
def test_rare_characters_in_names_are_real_text(rendered: dict[str, bytes], tmp_path: Path) -> None:
    fs = fonts()
    assert fs.missing_chars(RARE_NAME) == []
    assert MISSING_MARK not in "".join(t for _n, t in fs.runs(RARE_NAME))
    text = pdf_text(rendered["approval"], tmp_path)
    assert RARE_NAME in squash(text)


def test_per_character_fallback_uses_another_face() -> None:
    fs = fonts()
    # a character the hei face lacks but some installed face has (𠀾 U+2003E is in AR PL UMing, not Zen Hei)
    ch = next((c for c in RARE_NAME if not fs.hei.has(c) and any(f.has(c) for f in fs.fallbacks)), None)
    if ch is None:
        pytest.skip("the installed hei face covers every sample character")
    runs = fs.runs(f"张{ch}三", "hei")
    assert [t for _n, t in runs] == ["张", ch, "三"]
    assert runs[0][0] == fs.hei.name and runs[1][0] != fs.hei.name
    assert f'<font face="{runs[1][0]}">{ch}</font>' in fs.markup(f"张{ch}三", "hei")


def test_uncovered_character_is_marked_not_boxed() -> None:
    fs = fonts()
    ch = "\U000e0100"  # a variation selector no CJK font maps
    assert fs.missing_chars(f"a{ch}") == [ch]
    assert "".join(t for _n, t in fs.runs(f"张{ch}")) == f"张{MISSING_MARK}"


def test_markup_escapes_user_text() -> None:
    assert "&lt;b&gt;" in fonts().markup("<b>&")


def test_qr_payload_round_trip_and_widget_value() -> None:
    digest = "ab" * 32
    payload = qr_payload(SERIAL, digest)
    assert parse_qr_payload(payload) == (SERIAL, digest)
    assert qr_widget(SERIAL, digest).value == payload


@needs_poppler
# find_spec, not importorskip: zxing-cpp loaded into this process (beside PySide6) aborts the interpreter at exit
@pytest.mark.skipif(not (importlib.util.find_spec("zxingcpp") and importlib.util.find_spec("PIL")),
                    reason="zxing-cpp and Pillow not installed (pip install -e '.[test]')")
def test_qr_code_decodes_from_the_printed_page(rendered: dict[str, bytes], tmp_path: Path) -> None:
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
    assert out.splitlines() == [qr_payload(SERIAL, content_digest("approval", SAMPLES["approval"]()))]


def test_digest_follows_the_content() -> None:
    a = SAMPLES["approval"]()
    b = dataclasses.replace(a, approved_fen=a.approved_fen + 1)
    assert content_digest("approval", a) == content_digest("approval", SAMPLES["approval"]())
    assert content_digest("approval", a) != content_digest("approval", b)
    assert re.fullmatch(r"[0-9a-f]{64}", content_digest("approval", a))


@needs_poppler
def test_long_tables_split_with_repeated_header_and_totals(tmp_path: Path) -> None:
    plan = SAMPLES["annual-plan"](n=60)
    pdf = render_form("annual-plan", plan, SERIAL)
    pages = pdf_text(pdf, tmp_path).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    for p in pages:
        assert "项目名称" in p and "本年度计划" in squash(p)
    text = squash("".join(pages))
    grand = sum(x.planned_fen for x in plan.lines)
    from app.domain.money import format_yuan

    assert "合计（60个项目）" in text and format_yuan(grand) in text
    for cat in {x.category for x in plan.lines}:
        n = sum(1 for x in plan.lines if x.category == cat)
        sub = sum(x.planned_fen for x in plan.lines if x.category == cat)
        assert f"小计（{n}个项目）" in text and format_yuan(sub) in text


@needs_poppler
def test_notice_layout_and_contract_deadline(rendered: dict[str, bytes], tmp_path: Path) -> None:
    text = squash(pdf_text(rendered["rectification"], tmp_path))
    assert "沁水县行政审批服务管理局文件" in text
    assert "沁审管发〔2027〕21号" in text
    assert "2027年11月8日前完成整改" in text and "第二十二条" in text
    filing = squash(pdf_text(rendered["contract-filing"], tmp_path))
    assert "91140521MA0K12345X" in filing and "逾期备案" in filing  # filed 5-13, due 5-12
    assert "人民币贰佰玖拾伍万元整" in filing
    pub = squash(pdf_text(rendered["publicity"], tmp_path))
    assert "2027年4月1日至2027年4月8日" in pub


@needs_poppler
def test_evaluation_and_acceptance_figures(rendered: dict[str, bytes], tmp_path: Path) -> None:
    ev = SAMPLES["evaluation"]()
    text = squash(pdf_text(rendered["evaluation"], tmp_path))
    assert f"{ev.total}分" in text and ev.grade in text
    acc = squash(pdf_text(rendered["acceptance"], tmp_path))
    assert "80.0%" in acc  # 2,547,232.00 of 3,184,040.00
    assert "共3项，已纳入共享平台目录管理系统2项" in acc


def test_wrong_data_type_or_kind_is_refused() -> None:
    from app.errors import InputError

    with pytest.raises(InputError):
        render_form("nonsense", SAMPLES["approval"](), SERIAL)
    with pytest.raises(TypeError):
        render_form("ledger", SAMPLES["approval"](), SERIAL)


@needs_poppler
def test_pages_render_to_png(rendered: dict[str, bytes], tmp_path: Path) -> None:
    for kind, pdf in rendered.items():
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / kind)],
                       check=True, capture_output=True)
        assert list(tmp_path.glob(f"{kind}*.png")), kind


def test_empty_ledger_renders() -> None:
    pdf = render_form("ledger", d.Ledger(d.Letterhead(), "台账", ""), SERIAL)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_chinese_punctuation_never_starts_a_line() -> None:
    from reportlab.platypus.paragraph import Paragraph

    from app.reports.blocks import styles

    text = "县行政审批服务管理局。对拒不整改或整改后仍不符合要求的，将暂停拨付项目建设和运维资金；直至终止项目：特此通知！"
    for width in range(150, 420, 2):
        p = Paragraph(text, styles().n_body)
        p.wrap(width, 2000)
        starts = [line.words[0].text[0] if hasattr(line, "words") else line[1][0][0] for line in p.blPara.lines]
        assert len(starts) >= 2
        assert not set(starts[1:]) & set("，；：。！、"), (width, starts)

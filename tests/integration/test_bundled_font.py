"""The bundled Song face (resources/fonts): enough on its own, with the PC's fonts left out, for every form."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont

from app.reports import KINDS, render_form
from app.reports import fonts as rf
from app.reports.samples import RARE_NAME, SAMPLES
from app.storage.paths import resource

FONT = resource("fonts", rf.BUNDLED)
SERIAL = "BD2027000099"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def gb2312() -> set[str]:
    out = set()
    for a in range(0xA1, 0xF8):
        for b in range(0xA1, 0xFF):
            try:
                out.add(bytes([a, b]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


@pytest.fixture
def bundled_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[rf.FontSet]:
    monkeypatch.setenv("GOVDATA_SYSTEM_FONTS", "0")
    monkeypatch.delenv("GOVDATA_FONT_DIRS", raising=False)
    rf.reset()
    yield rf.fonts()
    rf.reset()  # later tests find the PC's fonts again (the environment is restored after this)


def test_the_file_is_a_small_truetype_face_with_its_licence() -> None:
    data = FONT.read_bytes()
    assert len(data) < 5_000_000  # the repository refuses larger files
    assert data[:4] == b"\x00\x01\x00\x00"  # TrueType outlines (glyf), not CFF ('OTTO'): ReportLab embeds it
    face = TTFont("bundled-check", str(FONT)).face
    hanzi = {c for c in gb2312() if "\u4e00" <= c <= "\u9fff"}
    assert len(hanzi) == 6763
    missing = [c for c in gb2312() | set("〔〕￥—№零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整0123456789AZaz〓")
               if ord(c) not in face.charToGlyph]
    assert missing == []
    assert ord("丂") not in face.charToGlyph  # GBK's extra hanzi do not fit under 5 MB (all of GBK: 14.9 MB)
    licence = resource("fonts", "ARPHICPL.TXT").read_text(encoding="utf-8")
    assert "ARPHIC PUBLIC LICENSE" in licence
    assert "文鼎公众授权书" in resource("fonts", "ARPHICPL.zh_CN.txt").read_text(encoding="utf-8")
    assert b"resources/fonts/make_subset.py" in data  # the modification notice the licence asks for (2a)


def test_without_the_pcs_fonts_every_role_uses_a_shipped_face(bundled_only: rf.FontSet) -> None:
    fs = bundled_only
    assert fs.song.path == FONT and fs.kai.path == FONT
    assert fs.fang.path == resource("fonts", "paper", "fandol-fang-subset.ttf")
    assert fs.hei.path == resource("fonts", "paper", "noto-sans-sc-medium-subset.ttf")
    assert fs.title.path == resource("fonts", "paper", "noto-serif-sc-bold-subset.ttf")
    for role in ("fang", "hei", "title"):
        face = TTFont(f"check-{role}", str(fs.face(role).path)).face
        assert fs.face(role).path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines
        assert len(face.charToGlyph) > 7000
    assert "font exception" in resource("fonts", "paper", "FANDOL-COPYING.txt").read_text(encoding="utf-8").lower() \
        or "special exception" in resource("fonts", "paper", "FANDOL-COPYING.txt").read_text(encoding="utf-8").lower()
    assert "SIL OPEN FONT LICENSE" in resource("fonts", "paper", "OFL.txt").read_text(encoding="utf-8").upper()
    assert fs.missing_chars("沁水县行政审批服务管理局" + RARE_NAME) == []
    # a GBK character the subset lacks is marked, never a silent box
    assert fs.missing_chars("张丂") == ["丂"]
    assert "".join(t for _n, t in fs.runs("张丂")) == f"张{rf.MISSING_MARK}"


def test_the_pcs_own_song_face_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "pc-fonts"  # a PC's own Song face, whatever fonts this machine has
    own.mkdir()
    shutil.copyfile(FONT, own / "simsun.ttf")
    monkeypatch.setenv("GOVDATA_FONT_DIRS", str(own))
    monkeypatch.setenv("GOVDATA_SYSTEM_FONTS", "0")  # this machine's own fonts out of it
    rf.reset()
    try:
        assert rf.fonts().song.path == own / "simsun.ttf"  # before the bundled face of the same outlines
    finally:
        monkeypatch.delenv("GOVDATA_FONT_DIRS")
        monkeypatch.delenv("GOVDATA_SYSTEM_FONTS")
        rf.reset()


def pdf_text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


@pytest.fixture(scope="module")
def with_pc_fonts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each form's text as printed with the PC's own fonts (the bundled face only where the PC has none)."""
    rf.reset()
    folder = tmp_path_factory.mktemp("pc")
    return {kind: pdf_text(render_form(kind, make(), SERIAL), folder / f"{kind}.pdf") for kind, make in SAMPLES.items()}


@needs_poppler
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_form_prints_real_chinese_in_the_bundled_face(kind: str, with_pc_fonts: dict[str, str],
                                                            bundled_only: rf.FontSet, tmp_path: Path) -> None:
    pdf = render_form(kind, SAMPLES[kind](), SERIAL)
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]))
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in desc.get_object()  # embedded TrueType
    shipped = ("UMingCN", "FandolFang", "NotoSansCJKsc-Medium", "NotoSerifCJKsc-Bold")
    assert names and all(re.fullmatch(rf"/[A-Z]{{6}}\+({'|'.join(shipped)})-GovDataSubset", n) for n in names), names
    text = pdf_text(pdf, tmp_path / "f.pdf")
    squashed = re.sub(r"\s+", "", text)
    # every Chinese character printed with the PC's fonts comes back (wrapping and page count may differ)
    assert {c for c in squashed if ord(c) > 0x7F} == {c for c in with_pc_fonts[kind] if ord(c) > 0x7F}
    assert sum(1 for c in squashed if "\u4e00" <= c <= "\u9fff") > 100
    assert SERIAL in text
    assert rf.MISSING_MARK not in text
    if kind == "approval":
        assert "人民币叁佰壹拾捌万肆仟零肆拾元整" in squashed
        assert "沁审管发〔2027〕12号" in squashed
        assert RARE_NAME in squashed


@pytest.mark.slow
def test_make_subset_regenerates_the_committed_file(tmp_path: Path) -> None:
    pytest.importorskip("fontTools")
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_subset", resource("fonts", "make_subset.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    if not mod.SOURCE.exists():
        pytest.skip("fonts-arphic-uming is not installed")
    out = tmp_path / rf.BUNDLED
    mod.build(mod.SOURCE, out)
    assert out.read_bytes() == FONT.read_bytes()


def test_no_font_at_all_is_a_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GOVDATA_SYSTEM_FONTS", "0")
    monkeypatch.setattr(rf, "resource", lambda *parts: tmp_path.joinpath(*parts))
    rf.reset()
    try:
        with pytest.raises(rf.FontsMissing, match="resources/fonts"):
            rf.fonts()
    finally:
        rf.reset()

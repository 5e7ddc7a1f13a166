"""Regenerate uming-cn-subset.ttf, the Song (Ming) face bundled for PCs that have no Chinese TrueType font.

Build-time only (needs fontTools, `pip install fonttools`; the program itself never imports it):

    python resources/fonts/make_subset.py [/usr/share/fonts/truetype/arphic/uming.ttc]

Source: AR PL UMing CN 0.2.20080216.1, face 0 of uming.ttc (Debian package fonts-arphic-uming), under the
Arphic Public License (ARPHICPL.TXT beside this script). Kept: every GB2312 character (6,763 hanzi, punctuation,
full-width forms, digits, Latin), GBK's symbols, Latin-1, CJK punctuation and full-width forms, the characters
in people's and places' names listed in NAME_CHARS, ASCII. Dropped: embedded bitmaps, vertical metrics, layout
features, implied on-curve points (lossless). Added: ￣ U+FFE3 (GB2312 A3FE), which the source
lacks, drawn with its full-width overline. TrueType glyf outlines stay, so ReportLab can embed the face.
The output must stay under 5,000,000 bytes (the repository refuses larger files): all of GBK takes 14.9 MB.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont
from fontTools.ttLib.tables._g_l_y_f import dropImpliedOnCurvePoints

HERE = Path(__file__).resolve().parent
SOURCE = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
OUT = HERE / "uming-cn-subset.ttf"
MAX_BYTES = 5_000_000
MADE = "2026-11-25"
POSTSCRIPT_NAME = "UMingCN-GovDataSubset"  # what PDFs name the embedded face  # fixed, so that the same source gives the same file

# Beyond GB2312: what forms print (〔〕 ￥ — № and the capitals are in GB2312 or added here) and characters that
# people's and places' names use often but GB2312 lacks. Characters the source font lacks are skipped.
FORM_CHARS = "〔〕￥¥—–№零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整〇〓✓✗×÷°±‰※→←↑↓↔"
NAME_CHARS = (
    "堃喆赟镕昇淼犇垚焱玥玙珺琎瑄璟旸昉晔晗晟暐曌甦皞祎禛竑翀翯蒨谞飏鹍焜煜熠燊瑀瑢瑭珣琇琬琮琰"
    "㛃䶮𠀾"  # rare ones (Ext A, Ext B) used by the forms' sample data
    "玮珏琦瑾璐喆彧祺禕婧嫣妍娈姝婕媛嫚婳璨瑛琪莹颢昊晖晞暄曦炅炜烨煊熙燚鑫钰铖锜钖铭锟镛颉颙"
    "赜頔弢彤昀昕昶晋珩珈珞琨琳瑞瑶璇璋璞嬿懿翊翥翚翾骐骥骞骢鹏鸿鹓鹞鹭湉淇涵沄沣泓洺浛澍濛"
    "芃芊芮苾茆荦莘菁萁蓁蔚蕤薏藴蘅岚岢崧嵘峣嶙巍堉埕垲墉壵尧尭隰滢漪潆瀛灏炀焓焘焯熹燕犀"
    "闫逯郃邝阚禤亓乜冼笪昝宓訾庹"
)

# GB2312 characters the source lacks, drawn with a glyph of the same shape: ￣ (A3FE) as the full-width overline
ALIASES = {0xFFE3: 0x203E}


def gb_chars(codec: str, leads: range, trails: list[int]) -> set[int]:
    out = set()
    for a in leads:
        for b in trails:
            try:
                s = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(s) == 1:
                out.add(ord(s))
    return out


def wanted() -> set[int]:
    trails = list(range(0xA1, 0xFF))
    chars = gb_chars("gb2312", range(0xA1, 0xF8), trails)
    gbk = gb_chars("gbk", range(0x81, 0xFF), [t for t in range(0x40, 0xFF) if t != 0x7F])
    chars |= {c for c in gbk if not 0x4E00 <= c <= 0x9FFF}  # GBK's symbols, not its 14,000 extra hanzi
    chars |= set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))  # ASCII, Latin-1
    chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))  # CJK punctuation, full-width forms
    chars |= {ord(c) for c in FORM_CHARS + NAME_CHARS}
    return chars


def notice(font: TTFont) -> str:
    version = font["name"].getDebugName(5).strip()
    return (f"Modified {MADE} by govdata (resources/fonts/make_subset.py) from AR PL UMing CN {version}: "
            "subset to GB2312, GBK symbols and common name characters; embedded bitmaps, vertical metrics and "
            "layout features removed; U+FFE3 mapped to the U+203E glyph. Distributed under the ARPHIC PUBLIC LICENSE (ARPHICPL.TXT).")


def build(source: Path = SOURCE, out: Path = OUT) -> tuple[int, int]:
    cmap = TTCollection(str(source)).fonts[0].getBestCmap()
    chars = (wanted() | set(ALIASES.values())) & set(cmap)
    opts = subset.Options()
    opts.font_number = 0
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.layout_features = []
    opts.hinting = False
    opts.notdef_outline = True
    opts.drop_tables += ["EBDT", "EBLC", "EBSC", "BDF ", "FFTM", "VORG", "vhea", "vmtx"]
    font = subset.load_font(str(source), opts)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=chars)
    sub.subset(font)
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        g = glyf[name]
        if not g.isComposite() and g.numberOfContours > 0:
            dropImpliedOnCurvePoints(g)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update({a: table.cmap[b] for a, b in ALIASES.items() if b in table.cmap})
    text = notice(font)
    font["name"].setName(text, 10, 3, 1, 0x409)  # description: how and when the file was changed (APL 2a)
    font["name"].setName(text, 10, 1, 0, 0)
    for rec in font["name"].names:  # the family stays (windows ask for it by name); PDFs tell the subset apart
        if rec.nameID == 6:
            rec.string = POSTSCRIPT_NAME
    font.recalcTimestamp = False
    subset.save_font(font, str(out), opts)
    size = out.stat().st_size
    if size >= MAX_BYTES:
        out.unlink()
        raise SystemExit(f"{out.name}: {size} bytes, over {MAX_BYTES}; trim NAME_CHARS")
    return len(chars), size


if __name__ == "__main__":
    n, size = build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
    print(f"{OUT.name}: {n} characters, {size:,} bytes")

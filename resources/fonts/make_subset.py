"""Regenerate the faces bundled in resources/fonts from their free sources (see README.md beside this script).

Build-time only (needs fontTools: `pip install ".[fonts]"`; the program itself never imports it):

    python resources/fonts/make_subset.py [/usr/share/fonts/truetype/arphic/uming.ttc]   # the Song face only
    python resources/fonts/make_subset.py --all                      # every face, sources as Debian installs them
    python resources/fonts/make_subset.py --all --fetch /tmp/fontsrc  # apt-get download + dpkg -x them there first
    python resources/fonts/make_subset.py --face fang --source fang=/path/to/FandolFang-Regular.otf

Song: AR PL UMing CN 0.2.20080216.1, face 0 of uming.ttc (Debian package fonts-arphic-uming), under the
Arphic Public License (ARPHICPL.TXT beside this script). Kept: every GB2312 character (6,763 hanzi, punctuation,
full-width forms, digits, Latin), GBK's symbols, Latin-1, CJK punctuation and full-width forms, the characters
in people's and places' names listed in NAME_CHARS, ASCII. Dropped: embedded bitmaps, vertical metrics, layout
features, implied on-curve points (lossless). Added: ￣ U+FFE3 (GB2312 A3FE), which the source
lacks, drawn with its full-width overline. TrueType glyf outlines stay, so ReportLab can embed the face.
The output must stay under 5,000,000 bytes (the repository refuses larger files): all of GBK takes 14.9 MB.

The other faces (FACES below) keep the same characters where their source has them. For paper (ReportLab
embeds TrueType only) their CFF outlines are converted to TrueType quadratic outlines with fontTools' cu2qu
(at most 1 font unit, 1/1000 em, from the cubic curve); the window's faces stay CFF (.otf), which Qt reads.
The same source and fontTools give the same bytes: no timestamp is touched.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.filterPen import FilterPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
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


# ---------------------------------------------------------------------------------------------------------------
# The other faces: FangSong and Hei for paper, a bold Song for titles, a sans for the window.

FACES_MADE = "2026-12-01"
CU2QU_MAX_ERR = 1.0  # font units (the sources have 1,000 a em)

# The window also shows these (most are in GB2312 already; ⑪–⑳, the Latin for pinyin and the arrows are not)
UI_CHARS = "￥×—…·①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳〔〕【】《》〈〉「」『』“”‘’、。，；：？！（）～–‐‑−•▲▼▶◀△▽✓"


def ui_wanted() -> set[int]:
    chars = wanted() | {ord(c) for c in UI_CHARS}
    chars |= set(range(0x100, 0x180)) | set(range(0x1CD, 0x1DD))  # Latin Extended-A, pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    chars |= set(range(0x2000, 0x2070)) | set(range(0x2190, 0x2200))  # general punctuation, arrows
    chars |= set(range(0x2460, 0x2474)) | set(range(0x3200, 0x3260))  # ①–⑳, enclosed CJK ㈠–㈩ ㊀
    return chars


OFL = ("Distributed under the SIL Open Font License, Version 1.1 (OFL.txt); the upstream copyright notice above "
       "stays with it.")
GPL = ("Distributed under the GNU General Public License version 3 with the Fandol font exception "
       "(FANDOL-COPYING.txt); govdata extends that exception to this modified version. Corresponding source: the "
       "unmodified source file named above (TeX Live, CTAN fonts/fandol) and resources/fonts/make_subset.py.")

GPL_DESCRIPTION = ("This font is free software: you can redistribute it and/or modify it under the terms of the GNU "
                   "General Public License version 3 (the text the Fandol fonts ship with), with the font exception: "
                   "a document that embeds this font or unaltered portions of it is not by that alone covered by the "
                   "GPL. See FANDOL-COPYING.txt.")


class Face(NamedTuple):  # not a dataclass: the tests load this file without a module entry, which dataclasses need
    key: str
    out: str  # path in resources/fonts: paper/ for ReportLab (TrueType), ui/ for the window (CFF)
    package: str  # the Debian package that holds the source
    source: str  # the source file as the package installs it
    source_psname: str  # the face to take (a .ttc holds several): its PostScript name
    source_version: str  # name ID 5 of the face this file was made from (a different one is refused)
    truetype: bool  # convert CFF to TrueType outlines (for ReportLab)
    postscript_name: str
    licence: str
    what: str  # "FandolFang Regular" etc., for the notice
    chars: Callable[[], set[int]] = wanted
    aliases: dict[int, int] = {}  # never changed


NOTO = "usr/share/fonts/opentype/noto/"
FANDOL = "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/"
NOTO_VERSION = "Version 2.004;hotconv 1.0.118;makeotfexe 2.5.65603"
NOTO_SERIF_VERSION = "Version 2.001;hotconv 1.1.0;makeotfexe 2.6.0"

FACES = (
    # 仿宋 for the body of notices (GB/T 9704: 仿宋_GB2312 3号). The source lacks ― U+2015 (GB2312 A1AA): drawn as
    # its — U+2014; and its ￥ U+FFE5 (A3A4) draws a dollar sign: ￥ is drawn with its ¥ U+00A5 (739 units wide).
    Face("fang", "paper/fandol-fang-subset.ttf", "texlive-lang-chinese", FANDOL + "FandolFang-Regular.otf",
         "FandolFang-Regular", "Version 1.300;PS 1;hotconv 1.0.81;makeotf.lib2.5.63406 DEVELOPMENT", True,
         "FandolFang-GovDataSubset", GPL, "FandolFang Regular", aliases={0x2015: 0x2014, 0xFFE5: 0x00A5}),
    # 黑体 for headings and form titles: Medium is the weight of SimHei
    Face("hei", "paper/noto-sans-sc-medium-subset.ttf", "fonts-noto-cjk-extra", NOTO + "NotoSansCJK-Medium.ttc",
         "NotoSansCJKsc-Medium", NOTO_VERSION, True, "NotoSansCJKsc-Medium-GovDataSubset", OFL,
         "Noto Sans CJK SC Medium"),
    # a bold Song for the titles of notices, where GB/T 9704 wants 小标宋 (no free XiaoBiaoSong exists)
    Face("title", "paper/noto-serif-sc-bold-subset.ttf", "fonts-noto-cjk", NOTO + "NotoSerifCJK-Bold.ttc",
         "NotoSerifCJKsc-Bold", NOTO_SERIF_VERSION, True, "NotoSerifCJKsc-Bold-GovDataSubset", OFL,
         "Noto Serif CJK SC Bold"),
    # the window's face (Qt reads CFF, and its hints draw better on screen than unhinted TrueType)
    Face("ui", "ui/noto-sans-sc-regular-subset.otf", "fonts-noto-cjk", NOTO + "NotoSansCJK-Regular.ttc",
         "NotoSansCJKsc-Regular", NOTO_VERSION, False, "NotoSansCJKsc-Regular-GovDataSubset", OFL,
         "Noto Sans CJK SC Regular", chars=ui_wanted),
    Face("ui-bold", "ui/noto-sans-sc-bold-subset.otf", "fonts-noto-cjk", NOTO + "NotoSansCJK-Bold.ttc",
         "NotoSansCJKsc-Bold", NOTO_VERSION, False, "NotoSansCJKsc-Bold-GovDataSubset", OFL,
         "Noto Sans CJK SC Bold", chars=ui_wanted),
)
SONG_PACKAGE = "fonts-arphic-uming"


def face_index(path: Path, psname: str) -> int:
    """Which face of a .ttc (0 for a single font) has this PostScript name."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    for i, f in enumerate(TTCollection(str(path)).fonts):
        if f["name"].getDebugName(6) == psname:
            return i
    raise SystemExit(f"{path}: no face named {psname}")


class FlatCurvesToLines(FilterPen):
    """Draw a cubic segment as a line when it strays at most 3/4 of CU2QU_MAX_ERR from its chord.

    Both control points lie within CU2QU_MAX_ERR of the chord and project onto it, so the curve (which stays
    within 3t(1-t) <= 3/4 of its control points' distance) is nowhere farther from the line. Saves a third of
    the points of traced faces such as Fandol, whose strokes are chains of short, almost straight curves.
    """

    def __init__(self, out, tolerance: float) -> None:
        super().__init__(out)
        self.tolerance = tolerance
        self.current = None

    def moveTo(self, pt):
        self.current = pt
        super().moveTo(pt)

    def lineTo(self, pt):
        self.current = pt
        super().lineTo(pt)

    def curveTo(self, *points):
        start, end = self.current, points[-1]
        if len(points) == 3 and start is not None and self._flat(start, points[0], points[1], end):
            self.lineTo(end)
            return
        self.current = end
        super().curveTo(*points)

    def qCurveTo(self, *points):
        self.current = points[-1]
        super().qCurveTo(*points)

    def _flat(self, a, c1, c2, b) -> bool:
        dx, dy = b[0] - a[0], b[1] - a[1]
        length2 = dx * dx + dy * dy
        if length2 == 0:
            return False
        for x, y in (c1, c2):
            cross = dx * (y - a[1]) - dy * (x - a[0])
            along = dx * (x - a[0]) + dy * (y - a[1])
            if cross * cross > self.tolerance ** 2 * length2 or not 0 <= along <= length2:
                return False
        return True


def cff_to_truetype(font: TTFont) -> None:
    """Replace CFF outlines with TrueType ones (quadratic curves within CU2QU_MAX_ERR of the cubic ones).

    TrueType runs its outer contours clockwise, PostScript counter-clockwise: hence reverse_direction.
    """
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(FlatCurvesToLines(Cu2QuPen(pen, CU2QU_MAX_ERR, reverse_direction=True), CU2QU_MAX_ERR))
        glyphs[name] = g = pen.glyph()
        if g.numberOfContours > 0:
            dropImpliedOnCurvePoints(g)
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["loca"] = newTable("loca")
    hmtx = font["hmtx"]
    for name, g in glyphs.items():
        g.recalcBounds(glyf)
        width, _lsb = hmtx[name]
        hmtx[name] = (width, g.xMin if g.numberOfContours else 0)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    font.recalcBBoxes = True  # on saving: maxp's point and contour counts, head's and hhea's extents
    head = font["head"]
    head.glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names (the sources' are cid12345: nothing reads them)
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"


def face_notice(face: Face, version: str) -> str:
    if face.truetype:
        changes = ("CFF outlines converted to TrueType quadratic outlines (fontTools cu2qu, max error 1/1000 em); "
                   "vertical metrics, layout features and hints removed")
    else:
        changes = ("Latin Extended-A, general punctuation, arrows and enclosed numbers kept as well; vertical metrics "
                   "and the Japanese, Korean and Traditional Chinese glyph variants removed")
    aliases = "".join(f"; U+{a:04X} mapped to the U+{b:04X} glyph" for a, b in face.aliases.items())
    return (f"Modified {FACES_MADE} by govdata (resources/fonts/make_subset.py) from {face.what} "
            f"({Path(face.source).name}, {version}): subset to GB2312, GBK symbols and common name characters; "
            f"{changes}{aliases}. " + face.licence)


def build_face(face: Face, source: Path, out: Path) -> tuple[int, int, list[int]]:
    """Make one face; returns (characters kept, bytes, wanted characters the source lacks)."""
    index = face_index(source, face.source_psname)
    collection = source.suffix.lower() in (".ttc", ".otc")
    src = TTCollection(str(source)).fonts[index] if collection else TTFont(str(source))
    version = src["name"].getDebugName(5).strip()
    if version != face.source_version:
        raise SystemExit(f"{source}: {face.source_psname} is {version!r}, not {face.source_version!r} "
                         "(README.md says which package version; change source_version after checking the result)")
    cmap = src.getBestCmap()
    want = face.chars()
    chars = ((want - set(face.aliases)) | set(face.aliases.values())) & set(cmap)
    lacking = sorted(want - set(cmap) - {a for a, b in face.aliases.items() if b in cmap})
    n_chars = len(chars | {a for a, b in face.aliases.items() if b in cmap and a in want})
    opts = subset.Options()
    opts.font_number = index
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.drop_tables += ["VORG", "vhea", "vmtx", "BASE", "FFTM"]
    if face.truetype:
        opts.layout_features = []  # ReportLab draws each character's own glyph
        opts.hinting = False  # CFF hints mean nothing to TrueType outlines
    else:  # Latin kerning and marks; not the Japanese, Korean and Traditional forms (locl), vertical or width variants
        opts.layout_features = ["kern", "liga", "ccmp", "mark", "mkmk"]
    font = subset.load_font(str(source), opts)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=chars)
    sub.subset(font)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update({a: table.cmap[b] for a, b in face.aliases.items() if b in table.cmap})
    if face.truetype:
        cff_to_truetype(font)
    else:
        font["CFF "].cff.fontNames = [face.postscript_name]
    text = face_notice(face, version)
    font["name"].setName(text, 10, 3, 1, 0x409)  # description: how and when the file was changed
    font["name"].setName(text, 10, 1, 0, 0)
    if face.licence == GPL and not font["name"].getDebugName(13):
        font["name"].setName(GPL_DESCRIPTION, 13, 3, 1, 0x409)
    for rec in font["name"].names:  # the family stays (programs ask for it by name); PDFs tell the subset apart
        if rec.nameID == 6:
            rec.string = face.postscript_name
    font.recalcTimestamp = False
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out), reorderTables=True)
    size = out.stat().st_size
    if size >= MAX_BYTES:
        out.unlink()
        raise SystemExit(f"{out.name}: {size} bytes, over {MAX_BYTES}; cut its characters")
    return n_chars, size, lacking


def fetch(root: Path, packages: list[str]) -> None:
    """Debian only: download the source packages (nothing is installed) and unpack them under root."""
    root.mkdir(parents=True, exist_ok=True)
    for pkg in packages:
        debs = sorted(root.glob(f"{pkg}_*.deb"))
        if not debs:
            subprocess.run(["apt-get", "download", pkg], cwd=root, check=True)
            debs = sorted(root.glob(f"{pkg}_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(debs[-1]), str(root)], check=True)


def main(argv: list[str] | None = None) -> None:
    keys = ["song"] + [f.key for f in FACES]
    p = argparse.ArgumentParser(description="Regenerate the bundled font subsets (see resources/fonts/README.md).")
    p.add_argument("song_source", nargs="?", type=Path, help=f"uming.ttc (default {SOURCE})")
    p.add_argument("--all", action="store_true", help="every face")
    p.add_argument("--face", action="append", choices=keys, default=[], help="one face (repeatable)")
    p.add_argument("--root", type=Path, default=Path("/"), help="where the Debian packages are unpacked (default /)")
    p.add_argument("--fetch", type=Path, metavar="DIR", help="apt-get download + dpkg -x the sources into DIR, use it as --root")
    p.add_argument("--source", action="append", default=[], metavar="KEY=PATH", help="a source file for one face")
    p.add_argument("--out", type=Path, default=HERE, help="output folder (default: beside this script)")
    a = p.parse_args(argv)
    chosen = keys if a.all else (a.face or ["song"])
    sources = dict(s.split("=", 1) for s in a.source)
    root = a.root
    if a.fetch:
        pkgs = {"song": SONG_PACKAGE, **{f.key: f.package for f in FACES}}
        fetch(a.fetch, sorted({pkgs[k] for k in chosen if k not in sources}))
        root = a.fetch
    paper = wanted()
    a.out.mkdir(parents=True, exist_ok=True)
    for key in chosen:
        if key == "song":
            src = Path(sources.get("song") or a.song_source or root / str(SOURCE).lstrip("/"))
            n, size = build(src, a.out / OUT.name)
            print(f"{OUT.name}: {n} characters, {size:,} bytes")
            continue
        face = next(f for f in FACES if f.key == key)
        src = Path(sources.get(key) or root / face.source)
        n, size, lacking = build_face(face, src, a.out / face.out)
        glyphs = len(TTFont(str(a.out / face.out)).getGlyphOrder())
        base = [c for c in lacking if c in paper]  # of the paper set (the window's extra ranges are best effort)
        print(f"{face.out}: {n} characters, {glyphs} glyphs, {size:,} bytes; lacks {len(base)} of the paper set: "
              + "".join(chr(c) for c in base if chr(c).isprintable()))


if __name__ == "__main__":
    main(sys.argv[1:])

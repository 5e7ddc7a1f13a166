"""Chinese fonts for the forms: discovery, registration with ReportLab, and per-character fallback.

ReportLab embeds TrueType outlines only (.ttf/.ttc); CFF fonts such as Noto CJK are refused and skipped.
Five faces are used, each found among the office PC's own fonts first, then among the faces the program ships
in resources/fonts (subsets with their licences, see resources/fonts/README.md):

  role   face      used for                       the PC's own                         shipped (the fallback)
  song   宋体      tables, forms, page numbers    simsun.ttc, nsimsun, AR PL UMing CN   uming-cn-subset.ttf
  hei    黑体      form titles, headings          simhei.ttf, msyh, WenQuanYi Zen Hei   paper/noto-sans-sc-medium-subset.ttf
  fang   仿宋      notice body (GB/T 9704)        仿宋_GB2312, simfang.ttf              paper/fandol-fang-subset.ttf
  title  小标宋    notice titles and the red mark 方正小标宋简体 (FZXBSJW, FZXBSK)       paper/noto-serif-sc-bold-subset.ttf
  kai    楷体      (second-level headings)        楷体_GB2312, simkai.ttf, AR PL UKai   the song face

GOVDATA_FONT_DIRS (os.pathsep-separated) adds folders searched before resources/fonts. GOVDATA_SYSTEM_FONTS=0
leaves the PC's fonts out: forms then print in the shipped faces alone and look the same on every PC (the tests
use it to pin the faces they measure).

Every found CJK font also serves as a fallback: a character the chosen face lacks (rare characters in names:
㛃 䶮 𠀾) is drawn in the first face that has it; a character that no font has is drawn as 〓 (the typesetter's
mark for a missing character) and reported by `missing_chars`, so the gap is visible on paper and in tests,
never a silent box.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.errors import GovDataError
from app.storage.paths import resource

MISSING_MARK = "〓"
BUNDLED = "uming-cn-subset.ttf"  # resources/fonts, made by resources/fonts/make_subset.py
# the other shipped faces (resources/fonts/paper, made by the same script): role -> file name
SHIPPED = {"song": BUNDLED, "hei": "noto-sans-sc-medium-subset.ttf", "fang": "fandol-fang-subset.ttf",
           "title": "noto-serif-sc-bold-subset.ttf"}
ROLES = ("song", "hei", "fang", "title", "kai")

# (file name, subfont index of a .ttc) in order of preference, per role: the PC's faces, then the shipped one
CANDIDATES: dict[str, tuple[tuple[str, int], ...]] = {
    "song": (("simsun.ttc", 0), ("simsun.ttf", 0), ("nsimsun.ttf", 0), ("uming.ttc", 0), ("uming.ttf", 0),
             (SHIPPED["song"], 0)),
    "hei": (("simhei.ttf", 0), ("msyh.ttc", 0), ("wqy-zenhei.ttc", 0), ("wqy-microhei.ttc", 0),
            (SHIPPED["hei"], 0)),
    "fang": (("fs_gb2312.ttf", 0), ("fsgb2312.ttf", 0), ("仿宋_gb2312.ttf", 0), ("simfang.ttf", 0),
             (SHIPPED["fang"], 0)),
    "title": (("fzxbsjw.ttf", 0), ("fzxbsk.ttf", 0), ("方正小标宋简体.ttf", 0), ("方正小标宋_gbk.ttf", 0),
              (SHIPPED["title"], 0)),
    "kai": (("kaiti_gb2312.ttf", 0), ("simkai.ttf", 0), ("ukai.ttc", 0)),
}
ROLE_FALLBACK = {"song": "hei", "hei": "song", "fang": "song", "title": "hei", "kai": "song"}
FONT_SUFFIXES = (".ttf", ".ttc")


def _utf16_hex(cp: int) -> str:
    return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, but with characters beyond U+FFFF as UTF-16 surrogate pairs.

    ReportLab 5.1 writes <2003E> for 𠀾, which PDF readers reject; copy/paste and pdftotext then lose the
    character although it is drawn. The PDF reference wants <D840DC3E>.
    """
    return _rl_to_unicode_cmap(fontname, [0] * len(subset)).replace(
        "\n".join(f"<{i:02X}> <0000>" for i in range(len(subset))),
        "\n".join(f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)))


_rl_to_unicode_cmap = getattr(ttfonts.makeToUnicodeCMap, "__wrapped__", ttfonts.makeToUnicodeCMap)
_to_unicode_cmap.__wrapped__ = _rl_to_unicode_cmap  # type: ignore[attr-defined]
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


class FontsMissing(GovDataError):
    """No usable Chinese TrueType font: forms cannot be printed."""


def font_dirs() -> list[Path]:
    dirs = [p for p in os.environ.get("GOVDATA_FONT_DIRS", "").split(os.pathsep) if p]
    out = [Path(p) for p in dirs] + [resource("fonts")]
    if os.environ.get("GOVDATA_SYSTEM_FONTS") == "0":
        return out
    if sys.platform == "win32":
        out.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            out.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    else:
        out += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
                Path.home() / ".local/share/fonts", Path.home() / ".fonts"]
    return out


@cache
def _font_files() -> dict[str, Path]:
    """Lower-case file name → first path found (earlier folders win)."""
    found: dict[str, Path] = {}
    for d in font_dirs():
        if not d.is_dir():
            continue
        for root, _dirs, files in os.walk(d):
            for name in files:
                if name.lower().endswith(FONT_SUFFIXES):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


@dataclass(frozen=True, eq=False)
class Face:
    name: str  # the ReportLab font name
    path: Path
    index: int
    chars: frozenset[int]
    widths: dict[str, float] = field(repr=False, default_factory=dict)  # character -> advance in em
    default_width: float = 1.0

    def has(self, ch: str) -> bool:
        return ord(ch) in self.chars

    def width(self, text: str, size: float) -> float:
        """Advance width of text at `size` points (characters the face lacks count as one em)."""
        get = self.widths.get
        return sum(get(c, self.default_width) for c in text) * size


def _load(path: Path, index: int) -> Face | None:
    name = f"GD-{path.stem}-{index}"
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError, KeyError, ValueError):  # CFF outlines, damaged or unreadable files
        return None
    if ord("中") not in font.face.charToGlyph:
        return None
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(font)
    else:
        font = pdfmetrics.getFont(name)
    cw = font.face.charWidths
    widths = {chr(cp): w / 1000 for cp, w in cw.items() if cp < 0x110000}
    return Face(name, path, index, frozenset(font.face.charToGlyph), widths, font.face.defaultWidth / 1000)


@dataclass(frozen=True)
class FontSet:
    song: Face
    hei: Face
    fang: Face
    kai: Face
    title: Face
    fallbacks: tuple[Face, ...]

    def face(self, role: str) -> Face:
        return getattr(self, role)

    def runs(self, text: str, role: str = "song") -> list[tuple[str, str]]:
        """Split text into (font name, text) runs: each character in the role's face, else a fallback."""
        base = self.face(role)
        out: list[tuple[str, str]] = []
        for ch in text:
            if base.has(ch) or ch in "\n\t":
                name = base.name
            else:
                fb = next((f for f in self.fallbacks if f.has(ch)), None)
                name, ch = (fb.name, ch) if fb else (base.name, MISSING_MARK)
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + ch)
            else:
                out.append((name, ch))
        return out

    def markup(self, text: str, role: str = "song") -> str:
        """Paragraph markup for plain text: escaped, fallback runs wrapped in <font face=...>."""
        base = self.face(role).name
        parts = []
        for name, run in self.runs(text, role):
            run = escape(run).replace("\n", "<br/>")
            parts.append(run if name == base else f'<font face="{name}">{run}</font>')
        return "".join(parts)

    def missing_chars(self, text: str) -> list[str]:
        faces = (self.song, self.hei, self.fang, self.kai, self.title, *self.fallbacks)
        return sorted({ch for ch in set(text) if ch not in "\n\t" and not any(f.has(ch) for f in faces)})

    def draw(self, canvas, x: float, y: float, text: str, size: float, role: str = "song",
             anchor: str = "left") -> float:
        """Draw one line on a canvas with per-character fallback; returns its width."""
        runs = self.runs(text, role)
        width = sum(pdfmetrics.stringWidth(t, n, size) for n, t in runs)
        if anchor == "center":
            x -= width / 2
        elif anchor == "right":
            x -= width
        for name, t in runs:
            canvas.setFont(name, size)
            canvas.drawString(x, y, t)
            x += pdfmetrics.stringWidth(t, name, size)
        return width


@cache
def fonts() -> FontSet:
    """Find and register the faces once per process. Raises FontsMissing when no CJK TrueType font exists."""
    files = _font_files()
    chosen: dict[str, Face] = {}
    loaded: dict[tuple[Path, int], Face | None] = {}

    def get(path: Path, index: int) -> Face | None:
        key = (path, index)
        if key not in loaded:
            loaded[key] = _load(path, index)
        return loaded[key]

    for role, cands in CANDIDATES.items():
        for fname, index in cands:
            path = files.get(fname)
            face = get(path, index) if path else None
            if face:
                chosen[role] = face
                break
    # fonts dropped in resources/fonts or GOVDATA_FONT_DIRS that are not on the list: usable as any role
    extra = [p for n, p in sorted(files.items()) if not any(n == c for cs in CANDIDATES.values() for c, _ in cs)
             and _is_own_dir(p)]
    extra_faces = [f for f in (get(p, 0) for p in extra) if f]
    if not chosen and extra_faces:
        chosen["song"] = extra_faces[0]
    if not chosen:
        raise FontsMissing(
            "未找到可嵌入的中文 TrueType 字体，无法生成表单。请安装宋体/仿宋/黑体（Windows 自带 simsun、simfang、simhei），"
            "或在 Debian/统信UOS 上安装 fonts-arphic-uming、fonts-wqy-zenhei，或把 .ttf 字体放入程序的 resources/fonts 文件夹。"
        )
    for role in ROLES:
        if role not in chosen:
            other = ROLE_FALLBACK[role]
            chosen[role] = chosen.get(other) or next(iter(chosen.values()))
    order = []
    for f in [*chosen.values(), *[f for f in loaded.values() if f], *extra_faces]:
        if f not in order:
            order.append(f)
    return FontSet(chosen["song"], chosen["hei"], chosen["fang"], chosen["kai"], chosen["title"], tuple(order))


def _is_own_dir(path: Path) -> bool:
    own = [resource("fonts")] + [Path(p) for p in os.environ.get("GOVDATA_FONT_DIRS", "").split(os.pathsep) if p]
    return any(str(path).startswith(str(d)) for d in own)


def reset() -> None:
    """Forget discovered fonts (tests that change GOVDATA_FONT_DIRS)."""
    _font_files.cache_clear()
    fonts.cache_clear()

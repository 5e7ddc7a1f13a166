"""Open a spreadsheet safely: choose the reader by content, refuse hostile or broken files before parsing.

Checks, in order, all before any spreadsheet parser sees the bytes:
- not a regular file (a device such as /dev/zero, a pipe, a folder), too large (MAX_FILE_BYTES, checked while it is
  read: a file that claims 0 bytes or grows is stopped at the limit), empty;
- format by magic: zip with ``xl/workbook.xml`` (xlsx/xlsm) or ``xl/workbook.bin`` (xlsb), zip with
  ``mimetype`` = ``application/vnd.oasis.opendocument.spreadsheet`` (ods), OLE2 ``D0CF11E0`` (xls; an
  OLE2 file holding ``EncryptedPackage`` is a password-protected xlsx); anything else (CSV or text renamed,
  a Word document ...) is refused;
- zip bombs: the declared sizes and ratios of the central directory, then each XML member is inflated as a
  stream with a hard cap, so a lying header cannot get past; XML with a DTD or entity declaration
  (entity bombs, external entities) is refused.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from app.errors import UnreadableError
from app.storage.fileio import read_limited

MAX_FILE_BYTES = 100 * 1024 * 1024  # what arrives by mail or USB stick; far above any real budget sheet
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one inflated XML part
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # all parts together
MAX_RATIO = 200  # inflated/compressed, for parts above RATIO_FLOOR (measured: real sheets 5-40×)
RATIO_FLOOR = 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_FORMULA_MARKERS = (b"<f", b":f")  # <f>, <x:f t="shared"/> (and a few look-alikes: this only gates the search)
_HIDDEN_MARKER = b'hidden="'  # <row hidden="1">, <col hidden="1">: this only gates the search for hidden rows


@dataclass(frozen=True)
class SniffedFile:
    path: Path
    fmt: str  # xlsx (also xlsm) | xlsb | xls | ods
    data: bytes
    formula_parts: frozenset[str] | None = None  # xlsx XML parts with a formula element (None: unknown)
    hidden_parts: frozenset[str] | None = None  # xlsx XML parts with a hidden="…" attribute (None: unknown)


def _refuse(path: Path, why: str) -> UnreadableError:
    return UnreadableError(f"无法读取文件“{path.name}”：{why}")


def sniff(path: str | os.PathLike[str]) -> SniffedFile:
    """Read the file, decide its format by content and run every guard. Raises UnreadableError."""
    p = Path(path)
    data = read_limited(p, MAX_FILE_BYTES, "表格文件")  # streamed: /dev/zero or a pipe is refused, never read whole
    formula_parts: set[str] = set()
    hidden_parts: set[str] = set()
    fmt = sniff_bytes(data, p, formula_parts, hidden_parts)
    return SniffedFile(p, fmt, data, frozenset(formula_parts), frozenset(hidden_parts))


def sniff_bytes(data: bytes, path: Path = Path("文件"), formula_parts: set[str] | None = None,
                hidden_parts: set[str] | None = None) -> str:
    """The format of `data`, after every guard. `formula_parts` and `hidden_parts` (when given) receive the names of
    the zip's XML parts that hold a formula element, or a hidden="…" attribute, noted while the guard inflates them
    anyway (the readers then look again only in those)."""
    if not data.strip():
        raise _refuse(path, "文件为空")
    if data.startswith(OLE2_MAGIC):
        if _ENCRYPTED in data:
            raise _refuse(path, "文件设有打开密码，请在 Excel/WPS 中取消密码后另存再导入")
        return "xls"
    if data.startswith(b"PK"):
        return _check_zip(data, path, formula_parts if formula_parts is not None else set(),
                          hidden_parts if hidden_parts is not None else set())
    if data.lstrip()[:5].lower() in (b"<?xml", b"<html") or data.lstrip()[:1] == b"<":
        raise _refuse(path, "这是网页或 XML 文本，不是 Excel 工作簿（请在 Excel/WPS 中另存为 .xlsx）")
    raise _refuse(path, "这不是 Excel 工作簿，可能是 CSV 或文本文件改了扩展名（请在 Excel/WPS 中另存为 .xlsx）")


def _check_zip(data: bytes, path: Path, formula_parts: set[str], hidden_parts: set[str]) -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _refuse(path, "文件已损坏或不完整（可能下载或拷贝中断），请重新获取原文件") from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names:
        fmt = "xlsx"
    elif "xl/workbook.bin" in names:
        fmt = "xlsb"
    elif "mimetype" in names and zf.getinfo("mimetype").file_size < 100 and zf.read("mimetype").strip() == ODS_MIME:
        fmt = "ods"
    elif "word/document.xml" in names:
        raise _refuse(path, "这是 Word 文档，不是 Excel 工作簿")
    else:
        raise _refuse(path, "压缩包中没有工作簿内容，不是 Excel 工作簿")
    if len(infos) > MAX_MEMBERS:
        raise _refuse(path, f"文件结构异常（含 {len(infos)} 个部件），疑似恶意文件，已拒绝")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or (
                info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise _refuse(path, f"文件解压后异常庞大（部件 {info.filename} 声明 {info.file_size:,} 字节，压缩比 "
                                f"{ratio:,.0f} 倍），疑似“压缩炸弹”，已拒绝")
        if info.flag_bits & 0x1:
            raise _refuse(path, "文件中的部件已加密，无法读取")
    # the declared sizes may lie: inflate every part with a hard cap and look for DTDs in the XML
    inflated = 0
    for info in infos:
        if info.is_dir():
            continue
        inflated += _inflate_capped(zf, info, path, MAX_TOTAL_BYTES - inflated, formula_parts, hidden_parts)
    return fmt


def _inflate_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, budget: int,
                    formula_parts: set[str], hidden_parts: set[str]) -> int:
    limit = min(MAX_MEMBER_BYTES, budget)
    is_xml = info.filename.endswith((".xml", ".rels", ".vml")) or "." not in info.filename.rsplit("/", 1)[-1]
    # formulas and hidden="…" noted in every part, whatever its name: a workbook's relationships may put a sheet
    # anywhere, and the readers look again only in the parts noted here
    look_formula = look_hidden = True
    count = 0
    tail = b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                count += len(chunk)
                if count > limit:
                    raise _refuse(path, f"文件解压后超过 {limit // (1024 * 1024)} MB（部件 {info.filename}），"
                                        "疑似“压缩炸弹”，已拒绝")
                window = tail + chunk
                if is_xml and b"!" in window and any(m in window for m in _DTD_MARKERS):  # both hold a "!"
                    raise _refuse(path, f"文件中含有 XML 实体声明（部件 {info.filename}），疑似恶意文件，已拒绝")
                if look_formula and has_formula_marker(window):
                    formula_parts.add(info.filename)
                    look_formula = False  # found: no need to look further
                if look_hidden and _HIDDEN_MARKER in window:
                    hidden_parts.add(info.filename)
                    look_hidden = False
                tail = window[-16:]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError):
        raise _refuse(path, f"文件已损坏（部件 {info.filename} 无法解压），请重新获取原文件") from None
    return count


def has_formula_marker(window: bytes) -> bool:
    """Whether one of _FORMULA_MARKERS ("<f", ":f") is in `window`. An "f" is rare in a sheet's XML (the text of
    an .xlsx is UTF-8, whose multi-byte characters hold no ASCII byte): the few there are looked at one by one,
    each found with a one-byte search, far quicker than two two-byte searches over megabytes of "<c r=…>"."""
    pos = window.find(b"f")
    for _ in range(64):
        if pos == -1:
            return False
        if pos and window[pos - 1] in b"<:":
            return True
        pos = window.find(b"f", pos + 1)
    return any(m in window for m in _FORMULA_MARKERS)  # an "f" at every turn (text in English): the plain search


# ------------------------------------------------------------------ formulas saved without a cached value

_UNCACHED = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]{1,3})([0-9]+)"[^>]*>\s*<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>[^<]*</(?:\w+:)?f>)\s*'
    rb'(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>'
)


def col_letter(index: int) -> str:
    """0 → A, 27 → AB."""
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def uncached_formulas(sniffed: SniffedFile, sheet_name: str) -> set[tuple[int, int]]:
    """(row, col), 0-based, of formula cells saved without a value (xlsx only; calamine reads them as empty).

    Files saved by Excel or WPS keep the value; files written by scripts often do not.
    """
    if sniffed.fmt != "xlsx" or sniffed.formula_parts == frozenset():
        return set()
    part = sheet_part(sniffed.data, sheet_name)
    if part is None or (sniffed.formula_parts is not None and part not in sniffed.formula_parts):
        return set()
    with zipfile.ZipFile(io.BytesIO(sniffed.data)) as zf:
        xml = zf.read(part)
    if b"<f" not in xml and b":f" not in xml:
        return set()
    return {(int(m.group(2)) - 1, col_index(m.group(1).decode())) for m in _UNCACHED.finditer(xml)}


def sheet_part(data: bytes, sheet_name: str) -> str | None:
    from defusedxml import ElementTree as ET  # only when a workbook's XML is read

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        wb = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    rid = None
    for el in wb.iter():
        if el.tag.endswith("}sheet") and el.get("name") == sheet_name:
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
    for el in rels.iter():
        if el.get("Id") == rid and rid:
            target = el.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None

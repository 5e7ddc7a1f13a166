"""Hostile and broken files are refused before any parser runs, with a clear Chinese message."""

from __future__ import annotations

import importlib
import os
import struct
import zipfile
from pathlib import Path

import pytest
from excel_sheets import sheet_from_rows, simple_rows

from app.errors import UnreadableError
from app.excel import read_estimate, read_summary
from app.excel.sniff import OLE2_MAGIC, sniff

sniff_module = importlib.import_module("app.excel.sniff")  # the module (app.excel.sniff is also the function's name)


def refused(path: Path) -> str:
    with pytest.raises(UnreadableError) as info:
        read_summary(path)
    assert info.value.exit_code == 2
    return info.value.message


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "a.xlsx"
    p.write_bytes(b"")
    assert "文件为空" in refused(p)


def test_csv_renamed_to_xlsx(tmp_path: Path) -> None:
    p = tmp_path / "a.xlsx"
    p.write_text("项目名称,总投资\n平台,100\n", encoding="gbk")
    assert "可能是 CSV 或文本文件改了扩展名" in refused(p)


def test_html_saved_as_xls(tmp_path: Path) -> None:
    p = tmp_path / "a.xls"
    p.write_text("<html><table><tr><td>1</td></tr></table></html>", encoding="utf-8")
    assert "网页或 XML" in refused(p)


def test_truncated_xlsx(tmp_path: Path) -> None:
    good = sheet_from_rows(tmp_path / "g.xlsx", simple_rows()).read_bytes()
    p = tmp_path / "t.xlsx"
    p.write_bytes(good[: len(good) // 2])
    assert "损坏或不完整" in refused(p)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "文件不存在" in refused(tmp_path / "nope.xlsx")
    assert "文件夹" in refused(tmp_path)


def test_word_document_is_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "a.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert "Word 文档" in refused(p)


def test_zip_bomb_by_declared_ratio(tmp_path: Path) -> None:
    p = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/sharedStrings.xml", b"<sst>" + b"A" * (8 * 1024 * 1024) + b"</sst>")
    assert p.stat().st_size < 64 * 1024
    msg = refused(p)
    assert "压缩炸弹" in msg and "xl/sharedStrings.xml" in msg


def test_zip_bomb_with_lying_sizes(tmp_path: Path) -> None:
    """The central directory claims 1 KB; inflating is capped and checked, so the lie is caught."""
    p = tmp_path / "liar.xlsx"
    payload = b"<sst>" + b"A" * (4 * 1024 * 1024) + b"</sst>"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/sharedStrings.xml", payload)
    data = bytearray(p.read_bytes())
    for sig, off in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):  # uncompressed size in both headers
        start = 0
        while (i := data.find(sig, start)) >= 0:
            name_len = struct.unpack_from("<H", data, i + (28 if sig == b"PK\x01\x02" else 26))[0]
            name = bytes(data[i + (46 if sig == b"PK\x01\x02" else 30):][:name_len])
            if name == b"xl/sharedStrings.xml":
                struct.pack_into("<I", data, i + off, 1024)
            start = i + 4
    p.write_bytes(bytes(data))
    msg = refused(p)
    assert "损坏" in msg or "压缩炸弹" in msg


def test_xml_entity_bomb(tmp_path: Path) -> None:
    good = sheet_from_rows(tmp_path / "g.xlsx", simple_rows())
    p = tmp_path / "lol.xlsx"
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{"&lol%s;" % ("" if i == 1 else i - 1) * 10}">' for i in range(1, 10))
            + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
              "<si><t>&lol9;</t></si></sst>")
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/sharedStrings.xml", bomb)
    assert "XML 实体声明" in refused(p)


def test_ole2_garbage_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    p = tmp_path / "a.xls"
    p.write_bytes(OLE2_MAGIC + b"\x00" * 2000)
    assert sniff(p).fmt == "xls"
    assert "已损坏" in refused(p)


def test_password_protected_workbook(tmp_path: Path) -> None:
    p = tmp_path / "secret.xlsx"
    p.write_bytes(OLE2_MAGIC + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    assert "密码" in refused(p)


def test_estimate_reader_uses_the_same_guards(tmp_path: Path) -> None:
    p = tmp_path / "a.xlsx"
    p.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(UnreadableError):
        read_estimate(p)


def test_formats_are_told_by_content(tmp_path: Path) -> None:
    p = sheet_from_rows(tmp_path / "x.xls", simple_rows())
    assert sniff(p).fmt == "xlsx"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused_before_it_is_read() -> None:
    """/dev/zero has no end and a size of 0: it is refused as not a file, nothing read into memory."""
    assert "不是普通文件" in refused(Path("/dev/zero"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    p = tmp_path / "pipe.xlsx"
    os.mkfifo(p)
    assert "不是普通文件" in refused(p)


def test_size_limit_is_checked_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over the limit is refused by its size, and one that grows past it while read is stopped there."""
    p = sheet_from_rows(tmp_path / "a.xlsx", simple_rows())
    monkeypatch.setattr(sniff_module, "MAX_FILE_BYTES", p.stat().st_size - 1)
    assert "过大" in refused(p)
    real_fstat = os.fstat

    class Shrunk:  # the size the file claims when opened: 0, as /proc files and growing files do
        def __init__(self, st: os.stat_result) -> None:
            self.st_mode, self.st_size = st.st_mode, 0

    monkeypatch.setattr(os, "fstat", lambda fd: Shrunk(real_fstat(fd)))
    assert "过大" in refused(p)


def test_the_formula_marker_scan_finds_what_a_plain_search_finds() -> None:
    import random

    from app.excel.sniff import _FORMULA_MARKERS, has_formula_marker

    cases = [b"", b"f", b"<f", b"f<f", b"<c r=\"A1\"><f>B1</f></c>", b"<x:f t=\"shared\"/>", b"fff" * 100 + b":f",
             b"of" * 70 + b"<f>", b"of" * 70, "项目f汉<".encode() + b"f", b"<" * 5 + b"F" + b"f"]
    rng = random.Random(12)
    parts = [b"<", b":", b"f", b"c", b" ", b"F", "汉".encode(), b">"]
    cases += [b"".join(rng.choice(parts) for _ in range(rng.randint(0, 400))) for _ in range(3000)]
    for window in cases:
        assert has_formula_marker(window) == any(m in window for m in _FORMULA_MARKERS), window

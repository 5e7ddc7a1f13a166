"""atomic_write / atomic_path: the target is either the old file or the whole new one, never a fragment."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.storage import fileio
from app.storage.fileio import FileWriteError, atomic_path, atomic_write, write_bytes, write_text


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(fileio.TEMP_SUFFIX)]


def test_writes_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "导出.txt"
    write_text(target, "沁水县\n第十五条\n")
    assert target.read_text(encoding="utf-8") == "沁水县\n第十五条\n"
    write_bytes(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert _leftovers(target.parent) == []


def test_error_in_block_keeps_old_file(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"good old content")
    with pytest.raises(RuntimeError), atomic_write(target) as f:
        f.write(b"half of the new")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"good old content"
    assert _leftovers(tmp_path) == []


def test_atomic_path_for_libraries_that_open_by_name(tmp_path: Path) -> None:
    target = tmp_path / "form.pdf"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp != target
        assert not target.exists()
        tmp.write_bytes(b"%PDF-1.4 ...")
    assert target.read_bytes() == b"%PDF-1.4 ..."
    assert _leftovers(tmp_path) == []


def test_keeps_permissions_of_replaced_file(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text("{}")
    os.chmod(target, 0o640)
    write_text(target, '{"a": 1}')
    assert target.stat().st_mode & 0o777 == 0o640


def test_failed_rename_is_a_chinese_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "b.bin"
    target.write_bytes(b"old")

    def full(*_a: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", full)
    with pytest.raises(FileWriteError) as info:
        write_bytes(target, b"new")
    assert "磁盘空间不足" in info.value.message and "未被改动" in info.value.message
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_rejects_append_mode(tmp_path: Path) -> None:
    with pytest.raises(ValueError), atomic_write(tmp_path / "x", "ab"):
        pass


def test_process_killed_mid_write_leaves_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old,complete\n")
    code = (
        "import os, sys\n"
        "from app.storage.fileio import atomic_write\n"
        "with atomic_write(sys.argv[1], 'w') as f:\n"
        "    f.write('new,' * 100000)\n"
        "    f.flush()\n"
        "    os._exit(9)\n"  # dies inside the block, as a power cut would
    )
    proc = subprocess.run([sys.executable, "-c", code, str(target)], check=False, cwd=Path(__file__).parents[2])
    assert proc.returncode == 9
    assert target.read_text() == "old,complete\n"

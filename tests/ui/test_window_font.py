"""The window on a PC without Chinese fonts: the bundled Song face is registered with Qt at start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase, QRawFont

from app.storage.paths import resource
from app.ui import app as ui_app

ROOT = Path(__file__).resolve().parents[2]
BUNDLED_FAMILY = "AR PL UMing CN"


class NoChineseFonts(QFontDatabase):
    """The font database of a PC with no Chinese font (the real one answers everything else)."""

    @staticmethod
    def families(ws: QFontDatabase.WritingSystem = QFontDatabase.WritingSystem.Any) -> list[str]:
        if ws == QFontDatabase.WritingSystem.SimplifiedChinese:
            return []
        return QFontDatabase.families(ws)


def test_bundled_font_is_registered_when_the_pc_has_no_chinese_font(qapp, monkeypatch) -> None:
    monkeypatch.setattr(ui_app, "QFontDatabase", NoChineseFonts)
    try:
        assert ui_app.add_bundled_fonts() == [BUNDLED_FAMILY]
        assert BUNDLED_FAMILY in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    finally:
        QFontDatabase.removeAllApplicationFonts()
    raw = QRawFont(str(resource("fonts", "uming-cn-subset.ttf")), 12)
    assert raw.isValid() and raw.supportsCharacter("沁") and raw.familyName() == BUNDLED_FAMILY


class SomeChineseFont(QFontDatabase):
    """The font database of a PC with a Chinese font of its own, whatever this machine has."""

    @staticmethod
    def families(ws: QFontDatabase.WritingSystem = QFontDatabase.WritingSystem.Any) -> list[str]:
        if ws == QFontDatabase.WritingSystem.SimplifiedChinese:
            return ["SimSun"]
        return QFontDatabase.families(ws)


def test_nothing_is_added_when_the_pc_has_a_chinese_font(qapp, monkeypatch) -> None:
    monkeypatch.setattr(ui_app, "QFontDatabase", SomeChineseFont)
    assert ui_app.add_bundled_fonts() == []


CHILD = """
import json, os
from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics
from app.ui import app as ui_app
app = ui_app.make_application([])
font = app.font()
print(json.dumps({"chinese": QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese),
                  "family": QFontInfo(font).family(),
                  "drawn": all(QFontMetrics(font).inFontUcs4(ord(c)) for c in "沁水县政务大数据项目〔〕")}))
os._exit(0)  # skip PySide6's teardown (it can abort at interpreter exit)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig decides what Qt sees on Linux")
def test_program_start_on_a_pc_without_any_font(tmp_path: Path) -> None:
    """A whole start in a child process whose fontconfig lists no font at all, as on a bare UOS/Kylin PC."""
    (tmp_path / "fonts.conf").write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "none"}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf"), "QT_QPA_PLATFORM": "offscreen",
           "GOVDATA_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen == {"chinese": [BUNDLED_FAMILY], "family": BUNDLED_FAMILY, "drawn": True}

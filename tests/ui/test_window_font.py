"""The window's face: a sans, the PC's own when it has one, else the Noto Sans CJK SC subset shipped in
resources/fonts/ui; never the Song print face."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase, QRawFont

from app.storage.paths import resource
from app.ui import style

ROOT = Path(__file__).resolve().parents[2]
UI_FAMILY = "Noto Sans CJK SC"
SONG_FACES = {"AR PL UMing CN", "SimSun", "NSimSun", "FandolSong", "Noto Serif CJK SC"}


def test_shipped_ui_faces_are_a_sans_with_regular_and_bold(gapp) -> None:
    assert UI_FAMILY in style.add_ui_fonts()
    assert {"Regular", "Bold"} <= set(QFontDatabase.styles(UI_FAMILY))
    for name in ("noto-sans-sc-regular-subset.otf", "noto-sans-sc-bold-subset.otf"):
        raw = QRawFont(str(resource("fonts", "ui", name)), 12)
        assert raw.isValid() and raw.familyName() == UI_FAMILY
        assert all(raw.supportsCharacter(ord(c)) for c in "沁水县政务大数据项目〔〕，。：（）１２")


def test_the_window_font_lists_no_song_face(gapp, monkeypatch) -> None:
    families = style.ui_font().families()
    assert UI_FAMILY in families  # the shipped face is always in the list
    assert not SONG_FACES & set(families)
    monkeypatch.setenv("GOVDATA_SYSTEM_FONTS", "0")
    assert style.ui_font().families() == [UI_FAMILY]


CHILD = """
import json, os
from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics
from app.ui import app as ui_app
app = ui_app.make_application([])
font = app.font()
print(json.dumps({"chinese": sorted(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)),
                  "family": QFontInfo(font).family(),
                  "bold": QFontInfo(__import__("PySide6.QtGui", fromlist=["QFont"]).QFont(font.family(), 10, 700)).styleName(),
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
    assert seen == {"chinese": [UI_FAMILY], "family": UI_FAMILY, "bold": "Bold", "drawn": True}

"""The installers, checked fast: the NSIS script compiles around a dummy payload with the right names and
paths, the .desktop entry validates, the .deb built from a dummy bundle has the right control and layout,
the bundle report reads glibc versions right, the icon is well formed, and the smoke check runs."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import app
from app.cli import smoke

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
NSI = INSTALLER / "govdata.nsi"
sys.path.insert(0, str(INSTALLER))
import bundle_report  # noqa: E402 - installer/ is not a package
import icu_trim  # noqa: E402


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (.ci/run installs it)")
    return path


def nsi_text() -> str:
    return NSI.read_text(encoding="utf-8-sig")


# ---------------------------------------------------------------- version in one place

def test_version_is_read_from_app_init_by_every_packager() -> None:
    spec = (INSTALLER / "govdata.spec").read_text(encoding="utf-8")
    pattern = re.search(r"re\.search\(r'(.+?)'", spec).group(1)
    assert re.search(pattern, (ROOT / "app" / "__init__.py").read_text("utf-8")).group(1) == app.__version__
    out = subprocess.run(["sed", "-n", r's/^__version__ = "\(.*\)"/\1/p', str(ROOT / "app" / "__init__.py")],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == app.__version__  # what build_deb.sh and build_nsis.sh run
    assert r's/^__version__ = "\(.*\)"/\1/p' in (INSTALLER / "build_deb.sh").read_text("utf-8")
    assert "${VERSION}" in nsi_text() and "!error" in nsi_text()
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert f"## {app.__version__}" in changelog


# ---------------------------------------------------------------- Windows (NSIS)

def nsis_as_compiled(tmp_path: Path) -> list[str]:
    """The installer script as makensis sees it (-PPO: defines and macros expanded, comments gone), by line."""
    makensis = need("makensis")
    res = subprocess.run([makensis, f"-DVERSION={app.__version__}", f"-DPAYLOAD={tmp_path}",
                          f"-DOUTFILE={tmp_path / 'x.exe'}", "-PPO", str(NSI)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return [line.strip() for line in res.stdout.splitlines()]


def test_nsis_script_is_per_user_unicode_chinese_and_keeps_data(tmp_path: Path) -> None:
    assert NSI.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: makensis on Windows reads it as UTF-8
    lines = nsis_as_compiled(tmp_path)
    name, key = app.APP_NAME, "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\govdata"
    for line in ("Unicode true", "RequestExecutionLevel user", 'InstallDir "$LOCALAPPDATA\\Programs\\govdata"',
                 f'CreateShortcut "$SMPROGRAMS\\{name}.lnk" "$INSTDIR\\govdata.exe" "" "$INSTDIR\\govdata.exe" 0',
                 f'CreateShortcut "$DESKTOP\\{name}.lnk" "$INSTDIR\\govdata.exe" "" "$INSTDIR\\govdata.exe" 0',
                 f'WriteRegStr HKCU "{key}" "DisplayName" "{name}"',
                 f'WriteRegStr HKCU "{key}" "UninstallString" "$\\"$INSTDIR\\uninstall.exe$\\""',
                 'WriteUninstaller "$INSTDIR\\uninstall.exe"'):
        assert line in lines, line
    assert any(x.startswith("LoadLanguageFile") and x.endswith('SimpChinese.nlf"') for x in lines)
    assert not any("HKLM" in x or "$PROGRAMFILES" in x for x in lines)  # nothing that needs an administrator
    uninstall = lines[lines.index('Section "Uninstall"'):]
    uninstall = uninstall[:uninstall.index("SectionEnd")]
    removes = [x for x in uninstall if x.split(" ", 1)[0] in ("RMDir", "Delete")]
    # Removes only its own files and shortcuts; never the install folder recursively, never the data folder.
    assert 'RMDir "$INSTDIR"' in removes and 'RMDir /r "$INSTDIR"' not in removes
    assert all("$INSTDIR\\" in x or x == 'RMDir "$INSTDIR"' or x.endswith(f'\\{name}.lnk"') for x in removes), removes
    assert not any("$LOCALAPPDATA" in x for x in removes)


def test_nsis_compiles_around_a_dummy_payload(tmp_path: Path) -> None:
    makensis = need("makensis")
    payload = tmp_path / "govdata"
    (payload / "_internal" / "resources").mkdir(parents=True)
    (payload / "govdata.exe").write_bytes(b"MZ dummy")
    (payload / "_internal" / "resources" / "marker.txt").write_text("x")
    out = tmp_path / f"govdata-{app.__version__}-setup.exe"
    res = subprocess.run([makensis, "-V2", f"-DVERSION={app.__version__}", f"-DPAYLOAD={payload}",
                          f"-DOUTFILE={out}", str(NSI)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    blob = out.read_bytes()
    assert blob[:2] == b"MZ" and b"Nullsoft" in blob
    seven = shutil.which("7zz") or shutil.which("7z")
    if seven:
        listing = subprocess.run([seven, "l", str(out)], capture_output=True, text=True, check=True).stdout
        assert "NSIS-3 Unicode" in listing
        for name in ("govdata.exe", "_internal/resources/marker.txt", "uninstall.exe"):
            assert name in listing, listing


def test_nsis_refuses_to_compile_without_a_version(tmp_path: Path) -> None:
    makensis = need("makensis")
    res = subprocess.run([makensis, "-V2", f"-DPAYLOAD={tmp_path}", f"-DOUTFILE={tmp_path / 'x.exe'}", str(NSI)],
                         capture_output=True, text=True)
    assert res.returncode != 0
    assert not (tmp_path / "x.exe").exists()


# ---------------------------------------------------------------- Debian / UOS / Kylin

def test_desktop_entry_validates_and_names_the_program() -> None:
    validate = need("desktop-file-validate")
    desktop = INSTALLER / "debian" / "govdata.desktop"
    res = subprocess.run([validate, str(desktop)], capture_output=True, text=True)
    assert res.returncode == 0 and not res.stdout.strip(), res.stdout + res.stderr
    fields = dict(line.split("=", 1) for line in desktop.read_text("utf-8").splitlines() if "=" in line)
    assert fields["Name"] == fields["Name[zh_CN]"] == app.APP_NAME
    assert fields["Exec"] == "/opt/govdata/govdata" and fields["Icon"] == "govdata"


def test_deb_from_a_dummy_bundle_has_the_right_control_and_layout(tmp_path: Path) -> None:
    need("dpkg-deb")
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "govdata").write_text("#!/bin/sh\necho govdata\n")
    (bundle / "govdata").chmod(0o755)
    (bundle / "_internal" / "data.txt").write_text("x")
    env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "PYTHON": sys.executable, "DEB_XZ_LEVEL": "0"}
    res = subprocess.run(["bash", str(INSTALLER / "build_deb.sh"), str(bundle), str(tmp_path / "out")],
                         capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stdout + res.stderr
    deb = Path(res.stdout.strip().splitlines()[-1])
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    assert deb.name == f"govdata_{app.__version__}_{arch}.deb"

    def field(name: str) -> str:
        return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True).stdout.strip()

    assert field("Package") == "govdata"
    assert field("Version") == app.__version__
    assert field("Architecture") == arch
    assert field("Depends") == "libc6"  # no ELF file in the dummy: no floor, no libraries
    assert app.APP_NAME in field("Description")
    assert int(field("Installed-Size")) > 0
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/govdata/govdata", "./opt/govdata/_internal/data.txt",
                 "./usr/share/applications/govdata.desktop", "./usr/share/icons/hicolor/256x256/apps/govdata.png",
                 "./usr/share/icons/hicolor/48x48/apps/govdata.png",
                 "./usr/share/icons/hicolor/scalable/apps/govdata.svg", "./usr/bin/govdata -> /opt/govdata/govdata",
                 "./usr/share/doc/govdata/FONT-SOURCE-OFFER.txt"):
        assert path in listing, path
    assert all(" root/root " in line for line in listing.splitlines())
    assert "rwxr-xr-x root/root" in next(line for line in listing.splitlines() if line.endswith("./opt/govdata/govdata"))


def test_the_bundle_offers_the_fangsong_face_s_source() -> None:
    """GPL v3 section 6 for FandolFang: whoever ships the subset ships or offers its Corresponding Source (the
    unmodified FandolFang-Regular.otf and make_subset.py). The bundle carries make_subset.py (all of resources/)
    and the written offer beside the font; the .deb puts the offer in its doc folder (checked above)."""
    offer = INSTALLER / "FONT-SOURCE-OFFER.txt"
    text = offer.read_text("utf-8")
    for needed in ("FandolFang-Regular.otf", "6,961,384", "make_subset.py", "三年", "three years", "written request",
                   "FANDOL-COPYING.txt", "Version 1.300"):
        assert needed in text, needed
    digest = re.search(r"SHA-256：([0-9a-f]{64})", text)
    assert digest is not None
    spec = (INSTALLER / "govdata.spec").read_text("utf-8")
    assert 'FONT_OFFER = (str(ROOT / "installer" / "FONT-SOURCE-OFFER.txt"), "resources/fonts/paper")' in spec
    assert "datas += [FONT_OFFER]" in spec and 'tree(ROOT / "resources", "resources")' in spec
    fonts = ROOT / "resources" / "fonts"
    assert (fonts / "make_subset.py").is_file() and (fonts / "paper" / "fandol-fang-subset.ttf").is_file()
    assert (fonts / "paper" / "FANDOL-COPYING.txt").is_file()
    assert "FONT-SOURCE-OFFER.txt" in (INSTALLER / "debian" / "copyright").read_text("utf-8")
    source = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf")
    if source.is_file():  # where TeX Live is installed: the offer names the very file
        assert hashlib.sha256(source.read_bytes()).hexdigest() == digest.group(1)


# ---------------------------------------------------------------- bundle report

def test_glibc_versions_compare_as_numbers() -> None:
    assert max(["2.4", "2.34", "2.17", "2.2.5"], key=bundle_report.version_key) == "2.34"


def test_glibc_floor_of_a_real_binary(tmp_path: Path) -> None:
    need("readelf")
    shutil.copy(Path(sys.executable).resolve(), tmp_path / "python")
    (tmp_path / "notes.txt").write_text("not an ELF file")
    floor, by_version = bundle_report.glibc_floor(tmp_path)
    assert by_version == {floor: ["python"]}
    assert bundle_report.version_key(floor) >= (2, 2, 5)
    out = subprocess.run(["readelf", "-V", str(tmp_path / "python")], capture_output=True, text=True).stdout
    assert f"GLIBC_{floor}" in out
    symbols = bundle_report.symbols_needing(tmp_path / "python", floor)
    assert symbols and all(f"{name}@GLIBC_{floor}" in subprocess.run(
        ["readelf", "--dyn-syms", "-W", str(tmp_path / "python")], capture_output=True, text=True, check=True).stdout
        for name in symbols)


# ---------------------------------------------------------------- icon

def test_icon_files_are_well_formed() -> None:
    icons = ROOT / "resources" / "icons"
    ico = (icons / "govdata.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1) and count >= 4
    sizes = []
    for i in range(count):
        w, h, _c, _r, _planes, bpp, length, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * i)
        sizes.append(w or 256)
        assert offset + length <= len(ico) and bpp == 32
    assert {16, 32, 48, 256} <= set(sizes)
    png = (icons / "govdata.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (256, 256)
    assert "<svg" in (icons / "govdata.svg").read_text("utf-8")


# ---------------------------------------------------------------- smoke check

def test_smoke_reports_failures_and_skips(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(st: smoke.SmokeState) -> str:
        raise RuntimeError("boom")

    def absent(st: smoke.SmokeState) -> str:
        raise smoke.Skip("not in this build")

    monkeypatch.setattr(smoke, "STEPS", [("数据库", smoke.step_database), ("坏", broken), ("缺", absent)])
    result = smoke.run_smoke(keep=tmp_path / "w")
    assert [s.outcome for s in result.steps] == [smoke.PASSED, smoke.FAILED, smoke.SKIPPED]
    assert not result.ok and "boom" in result.steps[1].detail
    assert "未通过：坏" in smoke.summary_line(result)
    assert (tmp_path / "w" / "smoke.sqlite3").exists()


def test_govdata_smoke_command_passes_from_source(tmp_path: Path, _isolated_home: Path) -> None:
    from app.cli.main import main

    report = tmp_path / "smoke.json"
    code = main(["smoke", "--keep", str(tmp_path / "work"), "--report", str(report)])
    data = json.loads(report.read_text("utf-8"))
    failed = [s for s in data["steps"] if s["outcome"] != smoke.PASSED]
    assert code == 0 and data["ok"] and not failed, failed
    assert [s["name"] for s in data["steps"]] == [name for name, _fn in smoke.STEPS]
    work = tmp_path / "work"
    assert (work / "ledger.pdf").read_bytes().startswith(b"%PDF")
    assert (work / "ledger.xlsx").read_bytes()[:2] == b"PK"
    assert (work / "register.png").stat().st_size > 1000
    assert not list(_isolated_home.iterdir())  # the user's data folder is untouched


def test_smoke_fails_when_a_lazily_loaded_qt_module_is_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """QtCharts is imported only when the dashboard opens: the smoke check must still notice it missing."""
    monkeypatch.setitem(sys.modules, "PySide6.QtCharts", None)  # import raises ImportError
    monkeypatch.setattr(smoke, "STEPS", [("数据库", smoke.step_database), ("PDF 表单", smoke.step_pdf),
                                         ("图表与打印预览", smoke.step_charts_preview)])
    result = smoke.run_smoke(keep=tmp_path / "w")
    assert [s.outcome for s in result.steps] == [smoke.PASSED, smoke.PASSED, smoke.FAILED]
    assert "QtCharts" in result.steps[2].detail


# ---------------------------------------------------------------- ICU data trimmed for the Linux bundle


def test_icu_items_kept_and_dropped() -> None:
    keep = icu_trim.keep_item
    for item in ("zh.res", "zh_Hans_CN.res", "en.res", "root.res", "coll/zh.res", "coll/ucadata.icu", "pool.res",
                 "zone/zh.res", "res_index.res", "supplementalData.res", "zoneinfo64.res", "brkitr/cjdict.dict",
                 "uprops.icu", "cnvalias.icu"):
        assert keep(item, 500_000), item
    for item in ("de.res", "ja_JP.res", "coll/de__PHONEBOOK.res", "lang/fr.res", "yue.res", "translit/root.res"):
        assert not keep(item, 1000), item
    assert keep("gb18030.cnv", 230_000) and keep("windows-936-2000.cnv", 8000) and keep("ibm-1386_P100-2001.cnv", 116_000)
    assert keep("ibm-5348_P100-1997.cnv", 2000)  # single-byte (windows-1252): small, kept
    assert not keep("ibm-943_P15A-2003.cnv", 92_000)  # Japanese Shift-JIS


def test_trimmed_icu_library_still_sorts_chinese_and_names_time_zones(tmp_path: Path) -> None:
    for tool in ("icupkg", "as", "ld", "readelf"):
        need(tool)
    import PySide6  # noqa: TID251 - the bundle's own Qt libraries, not a window

    qtlib = Path(PySide6.__file__).parent / "Qt" / "lib"
    full = next(qtlib.glob("libicudata.so.*"), None)
    if full is None:
        pytest.skip("this PySide6 carries no ICU (Windows/macOS wheels)")
    small = icu_trim.trim(full, tmp_path / "icu")
    assert small.name == full.name and small.stat().st_size < full.stat().st_size * 0.4
    probe = ("from app.ui import smoke; print(smoke.check_icu()); "
             "from PySide6.QtCore import QStringDecoder as D; print(D('GB18030').isValid(), D('GBK').isValid(), "
             "D('Big5').isValid())")
    env = {"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": str(small.parent), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT), "LD_DEBUG": "libs", "LD_DEBUG_OUTPUT": str(tmp_path / "ld")}
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path,
                         check=False)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["拼音排序、时区“中国标准时间”", "True True True"]
    loaded = "".join(p.read_text(errors="replace") for p in tmp_path.glob("ld.*"))
    assert f"calling init: {small}" in loaded or f"trying file={small}" in loaded  # the trimmed copy was used

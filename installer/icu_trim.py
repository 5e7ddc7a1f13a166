"""A smaller ICU data library for the Linux bundle: Chinese, English and the root locale only.

The PySide6 wheels for Linux carry the whole ICU data set (libicudata.so.73, 32 MB: every locale's names,
currencies, units, collations, 190 legacy code pages, transliterators). Qt reads ICU for collation (sorting
Chinese by pinyin: QCollator, localeAwareCompare), locale-aware case mapping, time-zone display names and the
legacy text codecs of QStringDecoder; it never uses the transliterators. This keeps, by item of the data package:

- everything that is not per-locale: Unicode properties, normalisation, break rules and dictionaries, the
  root collation, time-zone rules, plural rules, supplemental data, code-page aliases;
- per-locale resources (collation, names, currencies, units, zones, number spell-out) of root, zh* and en*;
- the code pages of Chinese text (GB18030, GBK, GB2312, Big5, Big5-HKSCS) and every single-byte one;
drops the other locales, the transliterators and the Japanese/Korean/EBCDIC double-byte code pages.
icupkg refuses a package whose kept items refer to a dropped one, and such dependents are dropped too.

    python installer/icu_trim.py LIBICUDATA OUTDIR     # prints the new library's path

Needs icupkg (Debian: icu-devtools) and binutils (as, ld; PyInstaller needs binutils anyway). Used by
installer/govdata.spec on Linux; without the tools the spec keeps the full library and says so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

KEEP_LANGUAGES = {"zh", "en"}
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*$")  # af, zh_Hans_CN, de__PHONEBOOK; not root/pool/plurals
CHINESE_CODEPAGES = re.compile(
    r"^(gb18030|windows-936|windows-950|ibm-1386_|ibm-1383_|ibm-5478_|ibm-1373_|ibm-950_|ibm-1375_|iso-ir-165"
    r"|cns-11643)"
)
SMALL_CODEPAGE = 16 * 1024  # single-byte tables are a few KB each
DEPENDS = re.compile(r"Item (\S+) depends on missing item (\S+)")


class TrimError(Exception):
    pass


def keep_item(item: str, size: int) -> bool:
    """Whether an item of the package (name without the icudtNNl/ prefix) stays."""
    folder, _, name = item.rpartition("/")
    stem, _, ext = name.rpartition(".")
    if folder == "translit":
        return False
    if ext == "res" and LOCALE.match(stem) and stem != "res_index":
        return stem.split("_")[0] in KEEP_LANGUAGES
    if ext == "cnv":
        return size <= SMALL_CODEPAGE or bool(CHINESE_CODEPAGES.match(stem))
    return True


def data_blob(lib: Path) -> tuple[str, bytes]:
    """(entry point, e.g. icudt73, and the common data) read from the library's exported icudtNN_dat."""
    syms = subprocess.run(
        ["readelf", "-W", "--dyn-syms", str(lib)], capture_output=True, text=True, check=True
    )
    m = re.search(
        r"^\s*\d+:\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+(\d+)\s+(icudt\d+)_dat$",
        syms.stdout,
        re.MULTILINE,
    )
    if not m:
        raise TrimError(f"{lib.name} exports no icudtNN_dat")
    addr, size, section, entry = int(m.group(1), 16), int(m.group(2), 0), int(m.group(3)), m.group(4)
    secs = subprocess.run(
        ["readelf", "-W", "-S", str(lib)], capture_output=True, text=True, check=True
    ).stdout
    s = re.search(rf"^\s*\[\s*{section}\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)", secs, re.MULTILINE)
    if not s:
        raise TrimError(f"{lib.name}: section {section} not found")
    offset = addr - int(s.group(1), 16) + int(s.group(2), 16)
    with lib.open("rb") as fh:
        fh.seek(offset)
        blob = fh.read(size)
    if len(blob) != size or blob[12:16] != b"CmnD":
        raise TrimError(f"{lib.name}: icudt data not found at its symbol")
    return entry, blob


def trim(lib: Path, outdir: Path) -> Path:
    for tool in ("icupkg", "as", "ld", "readelf"):
        if shutil.which(tool) is None:
            raise TrimError(f"{tool} not found (apt-get install icu-devtools binutils)")
    outdir.mkdir(parents=True, exist_ok=True)
    entry, blob = data_blob(lib)
    package = f"{entry}l"  # little-endian package name, the prefix of every item
    full = outdir / "full" / f"{package}.dat"
    full.parent.mkdir(exist_ok=True)
    full.write_bytes(blob)
    items = subprocess.run(
        ["icupkg", "-l", str(full)], capture_output=True, text=True, check=True
    ).stdout.split()
    extract = outdir / "items"
    shutil.rmtree(extract, ignore_errors=True)
    extract.mkdir()
    subprocess.run(["icupkg", "-d", str(extract), "-x", "*", str(full)], capture_output=True, check=True)
    drop = {i for i in items if not keep_item(i, (extract / i).stat().st_size)}
    small = outdir / "small" / f"{package}.dat"
    small.parent.mkdir(exist_ok=True)
    for _ in range(5):
        (outdir / "drop.txt").write_text("\n".join(sorted(drop)) + "\n")
        small.unlink(missing_ok=True)
        res = subprocess.run(
            ["icupkg", "-tl", "-r", str(outdir / "drop.txt"), str(full), str(small)],
            capture_output=True,
            text=True,
            check=False,
        )
        if res.returncode == 0:
            break
        dependents = {m.group(1) for m in DEPENDS.finditer(res.stdout + res.stderr)}
        if not dependents - drop:
            raise TrimError("icupkg: " + (res.stderr or res.stdout).strip()[-500:])
        drop |= dependents
    else:
        raise TrimError("icupkg: dependencies did not settle")
    shutil.rmtree(extract, ignore_errors=True)
    asm = outdir / f"{entry}.S"
    asm.write_text(
        "\t.section .rodata\n\t.balign 16\n"
        f"\t.globl {entry}_dat\n\t.type {entry}_dat,%object\n{entry}_dat:\n"
        f'\t.incbin "{small}"\n\t.size {entry}_dat, .-{entry}_dat\n'
        '\t.section .note.GNU-stack,"",%progbits\n',
        encoding="utf-8",
    )
    obj = outdir / f"{entry}.o"
    out = outdir / lib.name
    subprocess.run(["as", "-o", str(obj), str(asm)], check=True)
    subprocess.run(["ld", "-shared", "-soname", lib.name, "-o", str(out), str(obj)], check=True)
    _, check = data_blob(out)
    if check != small.read_bytes():
        raise TrimError("rebuilt library does not hold the trimmed data")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        out = trim(Path(argv[0]), Path(argv[1]))
    except (TrimError, subprocess.CalledProcessError) as exc:
        print(f"icu_trim: {exc}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Measure a built bundle: the glibc it needs, what its size is made of, the Debian packages it leans on.

    python installer/bundle_report.py out/dist/govdata             # glibc floor + size, human readable
    python installer/bundle_report.py out/dist/govdata --floor     # only the highest GLIBC_ version, e.g. 2.34
    python installer/bundle_report.py out/dist/govdata --depends   # Debian Depends line for the .deb

The glibc floor is the highest GLIBC_x.y version named in the version-needs section (readelf -V) of any ELF
file in the bundle: below that glibc, the dynamic loader refuses the file. Needs no third-party module.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

GLIBC_RE = re.compile(r"Name: GLIBC_(\d+(?:\.\d+)+)")
# Parts of glibc itself: never bundled, provided by the libc6 package.
GLIBC_LIBS = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libutil.so.1",
              "libresolv.so.2", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libanl.so.1"}


# Packages renamed since Debian 10 / UOS 20: accept the old name too.
OLDER_NAMES = {"libgcc-s1": "libgcc-s1 | libgcc1"}


def version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


def elf_files(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def glibc_needs(path: Path) -> set[str]:
    out = subprocess.run(["readelf", "-V", "--wide", str(path)], capture_output=True, text=True).stdout
    return set(GLIBC_RE.findall(out))


def glibc_floor(root: Path) -> tuple[str, dict[str, list[str]]]:
    """(highest version, {version: [files needing exactly that as their highest]})."""
    by_version: dict[str, list[str]] = defaultdict(list)
    for path in elf_files(root):
        needs = glibc_needs(path)
        if needs:
            top = max(needs, key=version_key)
            by_version[top].append(str(path.relative_to(root)))
    if not by_version:
        return "", {}
    return max(by_version, key=version_key), dict(by_version)


def symbols_needing(path: Path, version: str) -> list[str]:
    """The undefined symbols of an ELF file bound to GLIBC_<version> (what raises the floor to it)."""
    out = subprocess.run(["readelf", "--dyn-syms", "--wide", str(path)], capture_output=True, text=True).stdout
    return sorted(set(re.findall(rf"\sUND\s+(\w+)@GLIBC_{re.escape(version)}\b", out)))


def needed_libs(path: Path) -> set[str]:
    out = subprocess.run(["readelf", "-d", "--wide", str(path)], capture_output=True, text=True).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))


def external_libs(root: Path) -> set[str]:
    """Libraries the bundle's files need that the bundle does not carry (resolved on the target machine)."""
    files = elf_files(root)
    carried = {p.name for p in root.rglob("*")}
    wanted: set[str] = set()
    for path in files:
        wanted |= needed_libs(path)
    return {lib for lib in wanted - carried}


def debian_depends(root: Path, floor: str) -> str:
    packages: set[str] = set()
    for lib in sorted(external_libs(root)):
        if lib in GLIBC_LIBS:
            continue
        res = subprocess.run(["dpkg", "-S", f"*/{lib}"], capture_output=True, text=True)
        for line in res.stdout.splitlines():
            pkg = line.split(":", 1)[0]
            if pkg and not pkg.endswith("-dev"):
                packages.add(pkg)
                break
    deps = [f"libc6 (>= {floor})"] if floor else ["libc6"]
    return ", ".join(deps + [OLDER_NAMES.get(p, p) for p in sorted(packages - {"libc6"})])


def size_groups(root: Path) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """Total bytes, bytes per group (largest first), and the ten largest files."""
    groups: dict[str, int] = defaultdict(int)
    files: list[tuple[str, int]] = []
    total = 0
    for path in root.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        size = path.stat().st_size
        total += size
        rel = path.relative_to(root).as_posix()
        files.append((rel, size))
        groups[_group(rel)] += size
    return total, sorted(groups.items(), key=lambda kv: -kv[1]), sorted(files, key=lambda kv: -kv[1])[:10]


def _group(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    if "/PySide6/" in f"/{rel}" or "/shiboken6/" in f"/{rel}":
        if "icudata" in name or "libicu" in name:
            return "Qt: ICU (Unicode data)"
        if "/plugins/" in rel:
            return "Qt: plugins"
        if "/translations/" in rel:
            return "Qt: translations"
        if "/Qt/lib/" in rel or name.startswith("Qt6"):
            return "Qt: libraries"
        return "Qt: Python bindings"
    if rel in ("govdata", "govdata.exe"):
        return "launcher + archive of the program's and libraries' Python code"
    if rel.startswith(("_internal/PIL/", "_internal/pillow.libs/")):
        return "Pillow (ReportLab's image library)"
    if "python_calamine" in rel:
        return "python-calamine (reads .xlsx/.xls/.ods)"
    if "/resources/" in f"/{rel}":
        return "resources (fonts, icons, templates)"
    if "cryptography" in rel:
        return "cryptography"
    if "psycopg" in rel:
        return "psycopg (PostgreSQL client)"
    if name.startswith("libpython") or "python3" in rel or name == "base_library.zip":
        return "Python runtime"
    if "/" not in rel.removeprefix("_internal/") and ".so" in name:
        return "system libraries (X11/xcb, fonts, ssl, ...)"
    return "other"


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--floor", action="store_true", help="print only the glibc floor")
    ap.add_argument("--depends", action="store_true", help="print only the Debian Depends value")
    args = ap.parse_args(argv)
    root = args.bundle
    if not root.is_dir():
        print(f"no bundle at {root}", file=sys.stderr)
        return 2
    floor, by_version = glibc_floor(root)
    if args.floor:
        print(floor)
        return 0
    if args.depends:
        print(debian_depends(root, floor))
        return 0
    print(f"glibc floor: GLIBC_{floor} (highest symbol version any bundled binary needs)")
    for version in sorted(by_version, key=version_key, reverse=True)[:3]:
        names = by_version[version]
        print(f"  GLIBC_{version}: {len(names)} files, e.g. {', '.join(sorted(names, key=len)[:4])}")
        if version == floor and len(names) <= 3:
            for name in names:
                print(f"    {name} needs it for: {', '.join(symbols_needing(root / name, version)[:8])}")
    total, groups, largest = size_groups(root)
    print(f"bundle size: {mb(total)} unpacked, {len(elf_files(root))} ELF files")
    for name, size in groups:
        print(f"  {size / total:6.1%}  {mb(size):>9}  {name}")
    print("largest files:")
    for rel, size in largest:
        print(f"  {mb(size):>9}  {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

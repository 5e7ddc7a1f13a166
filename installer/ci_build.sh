#!/usr/bin/env bash
# CI after the tests: build the bundle, measure it, package it, install it, smoke-check it, remove it.
#
#   bash installer/ci_build.sh          (from the repository root; .ci/run calls it last)
#
# Prints: build time, glibc floor, bundle size and what dominates it, .deb size, the smoke check from /opt,
# cold start (process start to first paint, offscreen) of the bundle against `python -m app` from source.
# Needs root for dpkg -i / dpkg -r (CI runs as root); without root those steps are skipped and said so.
set -euo pipefail
cd "$(dirname "$0")/.."
py="${PYTHON:-}"
if [ -z "$py" ]; then
  if [ -x .venv/bin/python ]; then py=.venv/bin/python; else py=python3; fi
fi
export QT_QPA_PLATFORM=offscreen
out="$PWD/out"
"$py" -c "import sqlalchemy, PySide6, reportlab" 2>/dev/null || {
  echo "$py lacks the program's dependencies (set PYTHON= to the venv's python)" >&2; exit 2; }
rm -rf "$out/dist" "$out/build"
mkdir -p "$out"

"$py" -c "import PyInstaller" 2>/dev/null || "$py" -m pip install -q "pyinstaller>=6.10"

echo "== PyInstaller build"
t0=$(date +%s.%N)
"$py" -m PyInstaller --noconfirm --log-level WARN --distpath "$out/dist" --workpath "$out/build" installer/govdata.spec
t1=$(date +%s.%N)
printf 'build time: %.1f s\n' "$(echo "$t1 - $t0" | bc)"

echo "== bundle"
"$py" installer/bundle_report.py "$out/dist/govdata"

echo "== .deb"
t0=$(date +%s.%N)
deb=$(PYTHON="$py" bash installer/build_deb.sh "$out/dist/govdata" "$out")
t1=$(date +%s.%N)
printf '%s: %.1f MB, built in %.1f s\n' "$deb" "$(echo "$(stat -c %s "$deb") / 1000000" | bc -l)" "$(echo "$t1 - $t0" | bc)"
dpkg-deb -f "$deb" Package Version Architecture Depends

echo "== NSIS (script compiled around a dummy payload; the real bundle is built on Windows)"
dummy=$(mktemp -d)
mkdir -p "$dummy/govdata/_internal"
echo dummy > "$dummy/govdata/govdata.exe"
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' app/__init__.py)
makensis -V2 -DVERSION="$version" -DPAYLOAD="$dummy/govdata" -DOUTFILE="$out/govdata-$version-setup-dummy.exe" \
  installer/govdata.nsi
ls -l "$out/govdata-$version-setup-dummy.exe"
rm -rf "$dummy"

time_cmd() {  # seconds of wall time for "$@"
  local s e
  s=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  e=$(date +%s.%N)
  echo "$e - $s" | bc
}

if [ "$(id -u)" = 0 ]; then
  echo "== dpkg -i"
  dpkg -i "$deb" || { apt-get install -y -qq -f >/dev/null; dpkg -s govdata >/dev/null; }
  test -x /opt/govdata/govdata && test -f /usr/share/applications/govdata.desktop
  echo "== smoke check from /opt (offscreen)"
  (cd /tmp && /usr/bin/govdata smoke)
  echo "== cold start: process start to first paint, offscreen (3 runs each, alternating)"
  bundle_times=() source_times=()
  for _ in 1 2 3; do
    bundle_times+=("$(cd /tmp && time_cmd /opt/govdata/govdata smoke --first-paint)")
    source_times+=("$(time_cmd "$py" -m app smoke --first-paint)")
  done
  "$py" - "${bundle_times[@]}" "${source_times[@]}" <<'PYEOF'
import statistics, sys
v = [float(x) for x in sys.argv[1:]]
b, s = v[:3], v[3:]
print(f"bundle: first {b[0]:.2f} s, median {statistics.median(b):.2f} s; "
      f"source: first {s[0]:.2f} s, median {statistics.median(s):.2f} s; "
      f"bundle/source median ratio {statistics.median(b) / statistics.median(s):.2f}")
PYEOF
  echo "== dpkg -r"
  dpkg -r govdata >/dev/null
  if [ -e /opt/govdata ] || [ -e /usr/share/applications/govdata.desktop ] || [ -e /usr/bin/govdata ]; then
    echo "removal left files behind" >&2
    exit 1
  fi
  echo "removed cleanly: /opt/govdata, /usr/bin/govdata and the menu entry are gone"
  dpkg -P govdata >/dev/null  # drop dpkg's "config-files" record too (the package has no conffiles)
else
  echo "not root: dpkg -i / smoke from /opt / dpkg -r skipped"
fi

#!/usr/bin/env bash
# Build the .deb for 统信UOS / 麒麟 Kylin / Debian from a PyInstaller bundle.
#
#   bash installer/build_deb.sh [BUNDLE_DIR] [OUT_DIR]      (defaults: out/dist/govdata, out)
#
# Layout: /opt/govdata (the bundle), /usr/bin/govdata (link), /usr/share/applications/govdata.desktop,
# /usr/share/icons/hicolor/{48x48,256x256,scalable}/apps/govdata.*, /usr/share/doc/govdata/.
# Version from app/__init__.py; Depends computed from the bundle (glibc floor + the system libraries it uses).
# Compression xz (dpkg on UOS 20 / Debian 10 cannot read zstd packages).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
bundle="${1:-$repo/out/dist/govdata}"
outdir="${2:-$repo/out}"
python="${PYTHON:-python3}"

[ -x "$bundle/govdata" ] || { echo "no bundle at $bundle (run pyinstaller first)" >&2; exit 2; }
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$repo/app/__init__.py")"
[ -n "$version" ] || { echo "no __version__ in app/__init__.py" >&2; exit 2; }
arch="$(dpkg --print-architecture)"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/govdata"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" "$root/usr/share/doc/govdata" \
  "$root/usr/share/icons/hicolor/256x256/apps" "$root/usr/share/icons/hicolor/48x48/apps" \
  "$root/usr/share/icons/hicolor/scalable/apps"
cp -a "$bundle" "$root/opt/govdata"
ln -s /opt/govdata/govdata "$root/usr/bin/govdata"
install -m 644 "$here/debian/govdata.desktop" "$root/usr/share/applications/govdata.desktop"
install -m 644 "$repo/resources/icons/govdata.png" "$root/usr/share/icons/hicolor/256x256/apps/govdata.png"
install -m 644 "$repo/resources/icons/govdata-48.png" "$root/usr/share/icons/hicolor/48x48/apps/govdata.png"
install -m 644 "$repo/resources/icons/govdata.svg" "$root/usr/share/icons/hicolor/scalable/apps/govdata.svg"
install -m 644 "$here/debian/copyright" "$root/usr/share/doc/govdata/copyright"
install -m 644 "$here/FONT-SOURCE-OFFER.txt" "$root/usr/share/doc/govdata/FONT-SOURCE-OFFER.txt"  # GPL v3 6(b)
[ -f "$repo/CHANGELOG.md" ] && install -m 644 "$repo/CHANGELOG.md" "$root/usr/share/doc/govdata/CHANGELOG.md"
install -m 755 "$here/debian/postinst" "$here/debian/postrm" "$root/DEBIAN/"

# Ownership and modes as dpkg expects (root:root via --root-owner-group, no group/world write).
chmod -R u+rwX,go+rX,go-w "$root"

depends="$("$python" "$here/bundle_report.py" "$bundle" --depends)"
size_kb="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE_KB@/$size_kb/" -e "s/@DEPENDS@/$depends/" \
  "$here/debian/control.in" > "$root/DEBIAN/control"

mkdir -p "$outdir"
deb="$outdir/govdata_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz -z"${DEB_XZ_LEVEL:-6}" --build "$root" "$deb" >/dev/null
echo "$deb"

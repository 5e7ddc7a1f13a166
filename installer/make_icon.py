"""Draw the program's icon without any imaging library: resources/icons/govdata.{svg,png,ico}.

A blue rounded square, a white sheet with three blue bars (the register's figures) and a red round seal.
The same shapes are written as SVG (Linux menus) and rasterised here with 4x4 supersampling into PNGs and a
Windows .ico (BMP entries up to 48 px, PNG entry at 256 px, as NSIS and Explorer expect).

    python installer/make_icon.py            # rewrites the files in resources/icons/
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
BLUE = (0x1F, 0x4E, 0x9A)
BAR = (0x2B, 0x6C, 0xD0)
WHITE = (0xFF, 0xFF, 0xFF)
RED = (0xC8, 0x10, 0x2E)

# Shapes in a 256-unit square, painted in order: (kind, colour, geometry).
SHAPES = [
    ("rrect", BLUE, (8, 8, 248, 248, 48)),
    ("rrect", WHITE, (52, 36, 188, 220, 12)),
    ("rrect", BAR, (76, 140, 104, 196, 4)),
    ("rrect", BAR, (116, 108, 144, 196, 4)),
    ("rrect", BAR, (156, 72, 184, 196, 4)),
    ("circle", RED, (184, 188, 44)),
    ("circle", WHITE, (184, 188, 32)),
    ("circle", RED, (184, 188, 26)),
]


def _inside(kind: str, g: tuple, x: float, y: float) -> bool:
    if kind == "circle":
        cx, cy, r = g
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    x0, y0, x1, y1, r = g
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    dx = max(x0 + r - x, 0, x - (x1 - r))
    dy = max(y0 + r - y, 0, y - (y1 - r))
    return dx * dx + dy * dy <= r * r


def render(size: int, ss: int = 4) -> list[list[tuple[int, int, int, int]]]:
    """RGBA rows, straight (non-premultiplied) alpha."""
    scale = 256 / size
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]  # premultiplied
            for sy in range(ss):
                for sx in range(ss):
                    x = (px + (sx + 0.5) / ss) * scale
                    y = (py + (sy + 0.5) / ss) * scale
                    colour = None
                    for kind, c, g in SHAPES:
                        if _inside(kind, g, x, y):
                            colour = c
                    if colour is not None:
                        acc[0] += colour[0]
                        acc[1] += colour[1]
                        acc[2] += colour[2]
                        acc[3] += 1
            n = ss * ss
            a = acc[3] / n
            if a == 0:
                row.append((0, 0, 0, 0))
            else:
                row.append(tuple(round(v / acc[3]) for v in acc[:3]) + (round(a * 255),))
        rows.append(row)
    return rows


def png_bytes(rows: list) -> bytes:
    size = len(rows)
    raw = b"".join(b"\x00" + bytes(v for px in row for v in px) for row in rows)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def dib_bytes(rows: list) -> bytes:
    """A 32-bit BGRA DIB as stored in .ico: height doubled, bottom-up, followed by the 1-bit AND mask."""
    size = len(rows)
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    pixels = b"".join(bytes((b, g, r, a)) for row in reversed(rows) for (r, g, b, a) in row)
    mask_row = ((size + 31) // 32) * 4
    mask = b""
    for row in reversed(rows):
        bits = bytearray(mask_row)
        for x, px in enumerate(row):
            if px[3] == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask += bytes(bits)
    return header + pixels + mask


def ico_bytes(images: dict[int, bytes]) -> bytes:
    count = len(images)
    offset = 6 + 16 * count
    directory, blobs = b"", b""
    for size, blob in sorted(images.items()):
        dim = 0 if size >= 256 else size
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return struct.pack("<HHH", 0, 1, count) + directory + blobs


def svg_text() -> str:
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">',
             "<title>政务大数据项目管理</title>"]
    for kind, c, g in SHAPES:
        fill = "#%02X%02X%02X" % c
        if kind == "circle":
            parts.append(f'<circle cx="{g[0]}" cy="{g[1]}" r="{g[2]}" fill="{fill}"/>')
        else:
            x0, y0, x1, y1, r = g
            parts.append(f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{r}" fill="{fill}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "govdata.svg").write_text(svg_text(), encoding="utf-8")
    rendered = {s: render(s) for s in (16, 24, 32, 48, 256)}
    (OUT / "govdata.png").write_bytes(png_bytes(rendered[256]))
    (OUT / "govdata-48.png").write_bytes(png_bytes(rendered[48]))
    images = {s: dib_bytes(rows) for s, rows in rendered.items() if s < 256}
    images[256] = png_bytes(rendered[256])
    (OUT / "govdata.ico").write_bytes(ico_bytes(images))
    for name in ("govdata.svg", "govdata.png", "govdata-48.png", "govdata.ico"):
        print(OUT / name, (OUT / name).stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

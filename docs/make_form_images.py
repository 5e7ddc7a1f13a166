"""Render every form's sample (app.reports.samples) to small PNGs in docs/img/ for the user guide.

    python docs/make_form_images.py            # the shipped faces only, so the pictures look the same anywhere

Needs poppler's pdftoppm. Each page becomes docs/img/form-<kind>-<page>.png (60 dpi, 32 grey levels).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GOVDATA_SYSTEM_FONTS", "0")

from PIL import Image  # noqa: E402 - after the font setting above

from app.reports import render_form  # noqa: E402
from app.reports.samples import SAMPLES  # noqa: E402

OUT = ROOT / "docs" / "img"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("form-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for kind, make in SAMPLES.items():
            pdf = Path(tmp) / f"{kind}.pdf"
            pdf.write_bytes(render_form(kind, make(), "BD2027000012"))
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(Path(tmp) / kind)], check=True)
            for png in sorted(Path(tmp).glob(f"{kind}-*.png")):
                page = int(png.stem.rsplit("-", 1)[1])
                img = Image.open(png).convert("RGB").quantize(colors=32)
                target = OUT / f"form-{kind}-{page}.png"
                img.save(target, optimize=True)
                print(target.relative_to(ROOT), f"{target.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()

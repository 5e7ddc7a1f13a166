"""Names of departments and contractors as people write them: one normal form, and the county's short forms."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\u3000]+")


def normalize_name(name: str) -> str:
    """Full-width forms folded (NFKC), spaces removed, brackets unified: '沁水县 公安局' == '沁水县公安局'."""
    text = unicodedata.normalize("NFKC", str(name))
    text = _SPACES.sub("", text)
    return text.replace("(", "（").replace(")", "）")


def name_variants(name: str, county: str) -> list[str]:
    """A name with and without the county in front: 沁水县公安局 ↔ 县公安局 ↔ 公安局."""
    out = [name]
    short_county = county[:-1] if county.endswith(("县", "市", "区")) else county
    for prefix in (county, short_county):
        if prefix and name.startswith(prefix) and len(name) > len(prefix):
            rest = name[len(prefix):]
            out += [rest, "县" + rest.lstrip("县")]
    if name.startswith("县") and len(name) > 1:
        out += [county + name[1:], name[1:]]
    return out

"""Find a table in a sheet: header rows (one or two levels, merged or not), columns by their wording
(a table of synonyms), the unit of each amount column, and the lines above the table (title, 填报单位, unit).

Works on plain rows (lists of cell values, 0-based) and the sheet's merged ranges, so it does not care
which reader produced them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from app.excel import cells
from app.excel.sniff import col_letter

HEADER_SCAN_ROWS = 30
_PAREN = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_UNIT_IN_TEXT = re.compile(r"[(\[【]\s*(?:金额)?(?:单位[:：]?)?\s*(万元|千元|元)\s*[)\]】]|(万元|千元|元)$")
_UNIT_LINE = re.compile(r"(?:金额)?单位\s*(?:[:：]|为|是)\s*(万元|千元|元)")
_DEPT_LINE = re.compile(r"(?:填报|申报|实施|报送)单位(?:\(盖章\))?[:：]\s*(.+)")
_SEAL = re.compile(r"[(（]\s*盖\s*章\s*[)）]")
_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d\d)\s*年(?!\s*\d{1,2}\s*月)")  # not a date (2027年1月10日)
GROUP_LABELS = {"资金来源", "资金构成", "资金筹措", "其中", "资金来源构成", "投资构成", "申请资金", "金额", "项目投资", "投资",
                "资金", "投资金额", "计划投资", "资金情况", "投资情况"}
SUM_LABELS = {"小计", "合计"}


@dataclass(frozen=True)
class Column:
    field: str
    index: int  # 0-based
    header: str  # as the sheet shows it, levels joined by '/'
    unit: str | None  # unit written in this column's header (or its parent's); None: the sheet's unit

    @property
    def letter(self) -> str:
        return col_letter(self.index)


@dataclass
class Layout:
    header_rows: list[int]  # 0-based
    columns: dict[str, Column]
    labels: list[str]  # header text per column index
    sheet_unit: str | None = None  # from a "单位：万元" line
    preamble_department: str | None = None  # from a "填报单位：…" line
    preamble_year: int | None = None  # from the title
    first_data_row: int = 0
    duplicates: list[tuple[str, Column, Column]] = field(default_factory=list)

    def unit_of(self, fld: str, default: str) -> str:
        col = self.columns.get(fld)
        return (col.unit if col and col.unit else None) or self.sheet_unit or default


def clean_header(value: object) -> str:
    """'总投资（万元）*' → '总投资'; full-width, spaces and line breaks folded."""
    s = cells.key(value)
    s = _PAREN.sub("", s)
    s = re.sub(r"单位[:：]?(万元|千元|元)", "", s)
    return s.strip("*★:：、.")


def build_synonyms(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {clean_header(word): fld for fld, words in table.items() for word in words}


def match_field(label: str, synonyms: dict[str, str], fuzzy: bool = True) -> str | None:
    """Exact match after cleaning; with `fuzzy`, else a synonym that starts or ends the text (short texts only)."""
    c = clean_header(label)
    if not c:
        return None
    if c in synonyms:
        return synonyms[c]
    if not fuzzy:
        return None
    best = None
    for word, fld in synonyms.items():
        if (len(word) >= 2 and len(c) <= len(word) + 4 and (c.startswith(word) or c.endswith(word))
                and (best is None or len(word) > len(best[0]))):
            best = (word, fld)
    return best[1] if best else None


def unit_in(label: str) -> str | None:
    """The money unit a header states: '总投资（万元）', '金额(千元)', '总投资万元' → 万元 / 千元 / 元."""
    m = _UNIT_IN_TEXT.search(cells.key(label))
    return (m.group(1) or m.group(2)) if m else None


def _fill_merged(rows: list[list], merged: list[tuple[tuple[int, int], tuple[int, int]]] | None,
                 upto: int) -> None:
    """Copy each merged range's value into its covered cells (header area only)."""
    for (r0, c0), (r1, c1) in merged or ():
        if r0 > upto or r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, upto) + 1):
            row = rows[r]
            for c in range(c0, c1 + 1):
                if c < len(row) and cells.is_blank(row[c]):
                    row[c] = value


def _score(row: list, match: Callable[[str], str | None]) -> int:
    found = {match(v) for v in row if isinstance(v, str) and v.strip()}
    found.discard(None)
    return len(found)


def _is_numeric(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def locate(rows: list[list], synonyms: dict[str, str],
           merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
           match: Callable[[str], str | None] | None = None) -> Layout | None:
    """Find the header rows and columns. None when no row looks like a header (fewer than 2 known fields).
    `match` maps a header text to a field (default: the synonyms, fuzzily)."""
    if match is None:
        def match(text: str) -> str | None:
            return match_field(text, synonyms)
    scan = min(len(rows), HEADER_SCAN_ROWS)
    head = [list(r) for r in rows[: scan + 1]]
    _fill_merged(head, merged, scan)
    scores = [_score(r, match) for r in head[:scan]]
    if not scores or max(scores) < 2:
        return None
    best = scores.index(max(scores))
    header_rows = [best]
    if best > 0 and _looks_like_upper_header(head[best - 1], head[best], match):
        header_rows.insert(0, best - 1)
    elif best + 1 < len(head) and _looks_like_lower_header(head[best], head[best + 1], match):
        header_rows.append(best + 1)
    width = max(len(head[r]) for r in header_rows)
    levels = [[cells.text(head[r][c]) if c < len(head[r]) else "" for c in range(width)] for r in header_rows]
    if len(levels) == 2:  # parent text over children that were not merged (ods, hand-made sheets)
        top, low = levels
        for c in range(1, width):
            if not top[c] and low[c] and low[c - 1] and top[c - 1]:
                top[c] = top[c - 1]
    layout = Layout(header_rows=header_rows, columns={}, labels=[""] * width)
    for c in range(width):
        texts = [lv[c] for lv in levels if lv[c]]
        dedup = [t for i, t in enumerate(texts) if t not in texts[:i]]
        label = "/".join(dedup)
        layout.labels[c] = label
        if not dedup:
            continue
        leaf, parent = dedup[-1], (dedup[-2] if len(dedup) > 1 else "")
        if clean_header(leaf) in SUM_LABELS and parent:
            if match(parent) != "total":
                continue  # 资金来源/小计: a sum column, not a field
            fld: str | None = "total"  # 总投资（元）/合计
        else:
            fld = match(leaf)
            if fld in _SOURCE_FIELDS and parent and len(clean_header(leaf)) <= 3 and not _money_parent(parent, match):
                fld = None  # 事权划分/县级: a short 县级 or 其他 is a source of funds only under a money header
            fld = fld or (match(parent + leaf) if parent else None)
        if fld is None:
            continue
        unit = unit_in(leaf) or (unit_in(parent) if parent else None)
        col = Column(fld, c, label, unit)
        if fld in layout.columns:
            layout.duplicates.append((fld, layout.columns[fld], col))
            continue
        layout.columns[fld] = col
    _read_preamble(rows[: header_rows[0]], layout)
    for r in header_rows:  # a unit line may sit at the right end of the header's own row
        for v in rows[r]:
            m = _UNIT_LINE.search(cells.key(v)) if isinstance(v, str) else None
            if m and not match(v):
                layout.sheet_unit = layout.sheet_unit or m.group(1)
    layout.first_data_row = header_rows[-1] + 1  # a 栏次 row under it is the reader's to report
    return layout


_SOURCE_FIELDS = ("county", "upper", "other")
_YEAR = re.compile(r"(?:19|20)\d\d年度?")


def _money_parent(parent: str, match: Callable[[str], str | None]) -> bool:
    """A parent header that holds sources of funds under it: 资金来源 (and its kin, a year or a unit around it), or
    总投资 (its parts)."""
    c = _YEAR.sub("", clean_header(parent))
    return (c in GROUP_LABELS or any(len(g) >= 4 and g in c for g in GROUP_LABELS)
            or match(parent) == "total")


def _looks_like_upper_header(upper: list, lower: list, match: Callable[[str], str | None]) -> bool:
    texts = [v for v in upper if isinstance(v, str) and v.strip() and not _UNIT_LINE.search(cells.key(v))
             and not _DEPT_LINE.search(cells.text(v))]
    if len(texts) < 2 or any(_is_numeric(v) for v in upper):
        return False
    return any(clean_header(v) in GROUP_LABELS or match(v) for v in texts)


def _looks_like_lower_header(upper: list, lower: list, match: Callable[[str], str | None]) -> bool:
    if any(_is_numeric(v) for v in lower):
        return False
    hits = 0
    parents: list[str] = []
    for c, v in enumerate(lower):
        if not (isinstance(v, str) and v.strip()):
            continue
        above = upper[c] if c < len(upper) else ""
        if clean_header(v) in SUM_LABELS or match(v):
            hits += 1
            if isinstance(above, str) and above.strip() and cells.key(above) != cells.key(v):
                parents.append(above)
        elif cells.key(above) == cells.key(v):
            continue  # a vertically merged cell repeated by _fill_merged
        else:
            return False
    return hits >= 1 and (any(clean_header(v) in GROUP_LABELS for v in upper if isinstance(v, str))
                          or any(match(p) or unit_in(p) for p in parents))


_STEMS = "甲乙丙丁戊己庚辛壬癸"


def is_column_number_row(row: list) -> bool:
    """The '栏次' row under a header: 1 2 3 …, 甲 乙 丙 …, or 甲 乙 丙 for the text columns and 1 2 3 for the
    figures (each sequence in order, as numbers or as text)."""
    vals = [cells.key(v) for v in row if not cells.is_blank(v)]
    if len(vals) < 3:
        return False
    letters = [v for v in vals if v in _STEMS]
    numbers = [v for v in vals if v not in _STEMS]
    if letters != list(_STEMS[: len(letters)]):
        return False
    try:
        nums = [int(float(v)) for v in numbers]
    except ValueError:
        return False
    if any(float(v) != int(float(v)) for v in numbers):
        return False
    return not nums or nums == list(range(nums[0], nums[0] + len(nums)))


def _read_preamble(rows: list[list], layout: Layout) -> None:
    for row in rows:
        for v in row:
            if not isinstance(v, str) or not v.strip():
                continue
            k = cells.key(v)
            m = _UNIT_LINE.search(k)
            if m:
                layout.sheet_unit = m.group(1)
            d = _DEPT_LINE.search(cells.text(v))
            if d and layout.preamble_department is None:
                name = re.split(r"\s+(?:金额)?单位[:：]|\s{2,}|\s+(?:填报|日期|时间)", _SEAL.sub("", d.group(1)))[0].strip()
                if name and not _UNIT_LINE.fullmatch(cells.key(name)):
                    layout.preamble_department = name
            y = _YEAR_IN_TEXT.search(k)
            if y and layout.preamble_year is None:
                layout.preamble_year = int(y.group(1))

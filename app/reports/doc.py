"""What a form prints, as plain blocks of text: the templates build them from a form's data, the renderer lays
them out, and the digest covers them. Every string the renderer draws (besides the page's serial, page number
and digest) comes from these blocks, so the digest covers exactly what is printed: a field that is not printed
cannot change the digest, and a printed one always does.

`fields(doc)` flattens a document into named entries — (Chinese name, printed text), and whole tables — for
the printed_forms record; `diff(old, new)` names, in Chinese, what differs between two such records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# ---------------------------------------------------------------- form blocks


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Meta:
    """One line above or below a table: ("项目编号", "QS-2027-0001"), ("文号", "…") printed as 项目编号：…"""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Caption:
    """A heading over a list: 一、技术审核事项（第七条）. Kept with the table under it."""

    text: str


@dataclass(frozen=True)
class Note:
    """注：… under a table, kept with the table's last row."""

    text: str


@dataclass(frozen=True)
class Sign:
    """Room to sign, and to seal, at the foot of an opinion."""

    names: tuple[str, ...] = ()  # printed names, e.g. ("审批领导：李四",)
    signer: str = "（签字）："  # followed by blank room for the signature; "" for none
    seal: str = ""  # e.g. "（盖章）" or "出具单位：沁水县行政审批服务管理局（盖章）"
    date: str = "　　年　　月　　日"

    def texts(self) -> tuple[str, ...]:
        return tuple(x for x in (*self.names, self.signer, self.seal, self.date) if x)


@dataclass(frozen=True)
class Cell:
    text: str = ""
    label: bool = False  # a label (centred; names the value cells to its right)
    span: int = 1  # columns
    sign: Sign | None = None  # an opinion cell: text at the top, the signature block at the foot
    align: str = ""  # l c r; "" = label centred, value left


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    min_mm: float = 0.0  # room to write by hand
    sign: bool = False  # a signature row: a page never holds signature rows alone


@dataclass(frozen=True)
class Grid:
    """A ruled form: label and value cells on four columns (label, value, label, value)."""

    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text: wraps between characters; fix: never wraps (numbers, codes, dates, short words)
    align: str = "l"
    min_chars: float = 4.0  # a text column's narrowest width, in characters


@dataclass(frozen=True)
class ListTable:
    """A ruled list that runs over pages, its header repeated at the top of each."""

    name: str  # what a row is, for naming changes: 公示项目
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    kinds: str = ""  # per row: d data, g group heading (kept with the next row), s subtotal, t total (kept with
    # the row before); "" = all data
    key: int = 1  # the column that names a row in a list of changes (the project code)
    spans: tuple[tuple[int, int, int], ...] = ()  # (column, first row, last row) merged downwards
    size: float = 10.5
    merges: tuple[tuple[int, int, int], ...] = ()  # (row, first column, last column) merged across

    def merged(self) -> dict[int, tuple[int, int]]:
        return {r: (c0, c1) for r, c0, c1 in self.merges}

    def kind(self, r: int) -> str:
        return self.kinds[r] if self.kinds else "d"


@dataclass(frozen=True)
class Footer:
    """编制单位 (with room for its seal) and 制表日期 under a table, kept with its last row."""

    items: tuple[tuple[str, str], ...]


# ---------------------------------------------------------------- notice blocks (GB/T 9704-2012)


@dataclass(frozen=True)
class NoticeHead:
    """版头: the red 发文机关标志 35 mm under the top of the text area, the 发文字号, the red separator."""

    mark: str  # 沁水县行政审批服务管理局文件
    doc_no: str


@dataclass(frozen=True)
class NoticeTitle:
    text: str


@dataclass(frozen=True)
class Para:
    """A paragraph of the notice's body: indented two characters, justified on the 28-character grid."""

    text: str
    name: str  # 正文 / 整改要求（一） ...: names the paragraph in a list of changes
    indent: bool = True
    number: str = ""  # 一、 printed in 黑体 before the text (first-level numbering, GB/T 9704 7.3.3)


@dataclass(frozen=True)
class Closing:
    """发文机关署名 and 成文日期 (右空四字, the seal over both), kept with the paragraph before it."""

    issuer: str
    date: str


@dataclass(frozen=True)
class Colophon:
    """版记 at the foot of the last page: 抄送, 印发机关 and 印发日期 between rules."""

    copy_to: str
    issuer: str
    date: str


Block = (Title | Meta | Caption | Note | Footer | Grid | ListTable | NoticeHead | NoticeTitle | Para | Closing
         | Colophon)


@dataclass(frozen=True)
class Doc:
    kind: str
    title: str  # also at the foot of every page
    layout: str  # portrait landscape notice
    blocks: tuple[Block, ...] = field(default=())


# ---------------------------------------------------------------- flattening and differences


def _flat(text: str) -> str:
    return text.replace("\n", "")


def _entries(doc: Doc) -> list[list[Any]]:
    out: list[list[Any]] = []
    for b in doc.blocks:
        if isinstance(b, Title):
            out.append(["标题", b.text])
        elif isinstance(b, NoticeTitle):
            out.append(["标题", b.text])
        elif isinstance(b, Meta | Footer):
            out += [[label, value] for label, value in b.items]
        elif isinstance(b, Caption):
            out.append(["表头说明", b.text])
        elif isinstance(b, Note):
            out.append(["注", b.text])
        elif isinstance(b, Grid):
            for row in b.rows:
                label = ""
                for c in row.cells:
                    if c.label:
                        label = _flat(c.text)
                        out.append(["栏目", c.text])
                        continue
                    name = label or "表格"
                    if c.text or c.sign is None:
                        out.append([name, c.text])
                    if c.sign is not None:
                        out.append([f"{name}（签署栏）", "\n".join(c.sign.texts())])
        elif isinstance(b, ListTable):
            out.append(["表", b.name, [c.header for c in b.columns], [list(r) for r in b.rows], b.key])
        elif isinstance(b, NoticeHead):
            out += [["发文机关标志", b.mark], ["发文字号", b.doc_no]]
        elif isinstance(b, Para):
            out.append([b.name, b.number + b.text])
        elif isinstance(b, Closing):
            out += [["发文机关署名", b.issuer], ["成文日期", b.date]]
        elif isinstance(b, Colophon):
            if b.copy_to:
                out.append(["抄送", b.copy_to])
            out += [["印发机关", b.issuer], ["印发日期", b.date]]
        else:  # pragma: no cover - a new block type must be named here
            raise TypeError(type(b).__name__)
    seen: dict[str, int] = {}
    for e in out:  # names are unique within a form: the second 栏目 is 栏目（2）
        if e[0] == "表":
            continue
        n = seen.get(e[0], 0) + 1
        seen[e[0]] = n
        if n > 1:
            e[0] = f"{e[0]}（{n}）"
    return out


def fields(doc: Doc) -> list[list[Any]]:
    """The printed content as JSON-ready entries: [name, text] or ["表", name, headers, rows, key column]."""
    return _entries(doc)


def meta_text(label: str, value: str) -> str:
    return f"{label}：{value}" if label else value


def colophon_lines(b: Colophon) -> tuple[str, str, str]:
    """(抄送 line, 印发机关, 印发日期 line) as printed."""
    return (f"抄送：{b.copy_to}" if b.copy_to else "", b.issuer, f"{b.date}印发")


def printed_text(doc: Doc) -> str:
    """Every string the renderer draws for the blocks, in block order (a test compares it with the PDF's text)."""
    parts: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Title | NoticeTitle | Caption | Note):
            parts.append(b.text)
        elif isinstance(b, Meta | Footer):
            parts += [meta_text(label, value) for label, value in b.items]
        elif isinstance(b, Grid):
            for row in b.rows:
                for c in row.cells:
                    parts.append(c.text)
                    if c.sign is not None:
                        parts += c.sign.texts()
        elif isinstance(b, ListTable):
            parts += [c.header for c in b.columns]
            parts += ["".join(r) for r in b.rows]
        elif isinstance(b, NoticeHead):
            parts += [b.mark, b.doc_no]
        elif isinstance(b, Para):
            parts.append(b.number + b.text)
        elif isinstance(b, Closing):
            parts += [b.issuer, b.date]
        elif isinstance(b, Colophon):
            parts += colophon_lines(b)
    return "".join(parts)


def _table_changes(old: list[Any], new: list[Any]) -> list[str]:
    name, headers, rows, key = new[1], new[2], new[3], new[4]
    o_rows, o_key = old[3], old[4]
    out: list[str] = []

    def keyed(rs: list[list[str]], k: int) -> dict[str, list[str]]:
        d: dict[str, list[str]] = {}
        for i, r in enumerate(rs, 1):
            rk = r[k] if k < len(r) and r[k] else f"第{i}行"
            while rk in d:
                rk += "′"
            d[rk] = r
        return d

    a, b = keyed(o_rows, o_key), keyed(rows, key)
    for k in b:
        if k not in a:
            out.append(f"{name}：增加 {k}")
    for k in a:
        if k not in b:
            out.append(f"{name}：删除 {k}")
    o_headers = old[2]
    for k, r in b.items():
        if k in a:
            for i, (x, y) in enumerate(zip(a[k], r, strict=False)):
                if x != y:
                    head = headers[i] if i < len(headers) else o_headers[i]
                    out.append(f"{name} {k} 的{head}")
    if o_headers != headers:
        out.append(f"{name}：表头")
    return out


def diff(old: list[list[Any]], new: list[list[Any]]) -> list[str]:
    """The Chinese names of what differs between two printed records (as `fields` gives them), in form order."""
    o = {e[0] if e[0] != "表" else f"表:{e[1]}": e for e in old}
    n = {e[0] if e[0] != "表" else f"表:{e[1]}": e for e in new}
    out: list[str] = []
    for k, e in n.items():
        if k not in o:
            out.append(f"{e[1]}（新增）" if e[0] == "表" else f"{k}（新增）")
        elif e[0] == "表":
            out += _table_changes(o[k], e)
        elif o[k][1] != e[1]:
            out.append(k)
    for k, e in o.items():
        if k not in n:
            out.append(f"{e[1]}（删除）" if e[0] == "表" else f"{k}（删除）")
    return out

"""Paper: the filing forms and notices, printed with ReportLab (no Qt here, no database).

Public API
----------
``compose(kind, data) -> Doc``
    The blocks a form prints (app.reports.doc), from its plain data (a dataclass of app.reports.data).

``content_json(kind, data, source) -> str`` / ``content_digest(kind, data, source) -> str``
    The printed content as canonical JSON, and its SM3 digest: what the QR code and the printed_forms row hold.
    Both cover exactly the printed blocks, so only a change to what is printed changes the digest.

``render_form(kind, data, serial, digest=None, progress=None, cancelled=None) -> bytes``
    Lay out one form and return the PDF. Every page carries the serial, its page number ("第 X 页 共 Y 页",
    or "— X —" on notices), the digest in groups of four and a QR code holding
    ``GOVDATA-FORM|<serial>|<digest>``. progress(done, total) and cancelled() are plain callables (the window
    hands its task's); PrintCancelled is raised when cancelled() says yes.

``app.services.forms`` gathers the data from the database, records the print and verifies it later.

KINDS lists the form keys used on the command line (``govdata report KIND``) with their Chinese names.
Fonts: see app.reports.fonts (the PC's 宋体/黑体/仿宋 first, the shipped faces where it has none).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from app.domain.vocabulary import FORM_KINDS
from app.errors import InputError
from app.reports import doc as blocks
from app.reports.render import Layout, PrintCancelled, Stamp, build_pdf, parse_qr_payload, qr_payload
from app.reports.templates import TEMPLATES
from app.storage.crypto import sm3_hex

KINDS = FORM_KINDS  # the form keys and their Chinese names (app.domain.vocabulary)
CONTENT_VERSION = 2  # printed_forms.content: 1 = the form's data (before 2027), 2 = the printed blocks


def compose(kind: str, data: object) -> blocks.Doc:
    if kind not in TEMPLATES:
        raise InputError(f"未知的表单类型：{kind}（可选：{'、'.join(KINDS)}）")
    cls, template = TEMPLATES[kind]
    if not isinstance(data, cls):
        raise TypeError(f"{kind} needs {cls.__name__}, got {type(data).__name__}")
    return template(data)


def doc_json(doc: blocks.Doc, source: dict | None = None) -> str:
    body = {"v": CONTENT_VERSION, "kind": doc.kind, "source": source or {}, "fields": blocks.fields(doc)}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_json(kind: str, data: object, source: dict | None = None) -> str:
    """The canonical JSON of what the form prints (sorted keys, no spaces), with the records it came from."""
    return doc_json(compose(kind, data), source)


def digest_of(text: str) -> str:
    return sm3_hex(text.encode("utf-8"))


def content_digest(kind: str, data: object, source: dict | None = None) -> str:
    return digest_of(content_json(kind, data, source))


def render_doc(doc: blocks.Doc, serial: str, digest: str, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> bytes:
    stamp = Stamp(doc.title, serial, digest, Layout(doc.layout))
    return build_pdf(doc, stamp, KINDS.get(doc.kind, doc.kind), progress, cancelled)


def render_form(kind: str, data: object, serial: str, digest: str | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> bytes:
    """The PDF of one form. `digest` defaults to the digest of `data` (with no source)."""
    doc = compose(kind, data)
    return render_doc(doc, serial, digest or digest_of(doc_json(doc)), progress, cancelled)


__all__ = ["KINDS", "PrintCancelled", "compose", "content_digest", "content_json", "parse_qr_payload",
           "qr_payload", "render_doc", "render_form"]

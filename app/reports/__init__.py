"""Paper: the filing forms and notices, printed with ReportLab (no Qt here).

Public API
----------
``render_form(kind, data, serial) -> bytes``
    Lay out one form from its plain data (a dataclass of app.reports.data) and return the PDF. Every page
    carries the serial, "第 X 页 共 Y 页" (or "— X —" on notices) and a QR code holding
    ``GOVDATA-FORM|<serial>|<SM3 digest of the content>``. Pure: no database.

``content_digest(kind, data) -> str``
    The SM3 hex digest of the form's canonical content JSON (what the QR code and the printed_forms row hold).

``app.services.forms.build_form(uow, kind, project_code=None, year=None) -> PrintedResult``
    Gathers the data from the database, checks the project reached the stage the form needs, issues the
    serial, records the print (printed_forms + the project's history) and renders. The UI's print preview
    takes ``result.pdf`` (bytes) from there.

``app.services.forms.verify_form(uow, serial, digest) -> Verification``
    Tells whether a printed form is ours and whether the record it came from has changed since.

KINDS lists the form keys used on the command line (``govdata report KIND``) with their Chinese names.
Fonts: see app.reports.fonts (system 宋体/黑体/仿宋 first, per-character fallback for rare characters).
"""

from __future__ import annotations

from app.domain.vocabulary import FORM_KINDS
from app.errors import InputError
from app.reports.blocks import Stamp, build_pdf
from app.reports.data import content_digest, content_json
from app.reports.templates import TEMPLATES

KINDS = FORM_KINDS  # the form keys and their Chinese names (app.domain.vocabulary)


def render_form(kind: str, data: object, serial: str, digest: str | None = None) -> bytes:
    """The PDF of one form. `digest` defaults to the digest of `data`."""

    if kind not in TEMPLATES:
        raise InputError(f"未知的表单类型：{kind}（可选：{'、'.join(KINDS)}）")
    cls, template = TEMPLATES[kind]
    if not isinstance(data, cls):
        raise TypeError(f"{kind} needs {cls.__name__}, got {type(data).__name__}")
    story, layout, title = template(data)
    stamp = Stamp(title, serial, digest or content_digest(kind, data), layout)
    return build_pdf(story, stamp, subject=KINDS[kind])


__all__ = ["KINDS", "content_digest", "content_json", "render_form"]

"""Attachments (application materials, scanned contracts, acceptance reports) stored with their SM3 digest.

The bytes live once per digest in attachment_blobs; reading back re-hashes them, so a changed file is noticed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.domain.inputs import check_id, clean_text
from app.domain.vocabulary import MATERIAL_LABELS
from app.errors import InputError, NotFoundError, UnreadableError
from app.models import Attachment, AttachmentBlob, Project
from app.services.projects import load_project, record_material
from app.storage.crypto import sm3_hex
from app.storage.database import UnitOfWork

MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentView:
    id: int
    filename: str
    size: int
    digest: str
    owner_type: str
    owner_id: int | None
    uploaded_at: dt.datetime


def _view(a: Attachment) -> AttachmentView:
    return AttachmentView(a.id, a.filename, a.size, a.digest, a.owner_type, a.owner_id, a.uploaded_at)


def add_attachment(uow: UnitOfWork, code: str, filename: str, data: bytes, material: str | None = None,
                   owner_type: str = "project", owner_id: int | None = None) -> AttachmentView:
    """Store a file for a project; with `material` it is that application material's file (第八条)."""
    p = load_project(uow, code, "project.register")
    filename = clean_text(Path(str(filename)).name, "附件文件名", 255, required=True)
    if not data:
        raise InputError(f"附件“{filename}”是空文件")
    if len(data) > MAX_BYTES:
        raise InputError(f"附件“{filename}”超过 {MAX_BYTES // 1024 // 1024} MB")
    if material is not None and material not in MATERIAL_LABELS:
        raise InputError(f"申请材料类型应为：{'、'.join(MATERIAL_LABELS)}")
    digest = sm3_hex(data)
    if uow.session.get(AttachmentBlob, digest) is None:
        uow.session.add(AttachmentBlob(digest=digest, data=data))
        uow.session.flush()  # the blob row first: attachments refer to it
    a = Attachment(project_id=p.id, owner_type="material" if material else owner_type, owner_id=owner_id,
                   filename=Path(filename).name, size=len(data), digest=digest)
    uow.session.add(a)
    uow.session.flush()
    if material:
        record_material(uow, code, material, title=Path(filename).stem, received_on=dt.date.today(),
                        attachment_id=a.id)
    uow.audit("attachment.add", "project", code, {"after": {"filename": a.filename, "size": a.size,
                                                           "sm3": digest, "material": material}})
    return _view(a)


def list_attachments(uow: UnitOfWork, code: str) -> list[AttachmentView]:
    p = load_project(uow, code)
    rows = uow.session.scalars(select(Attachment).where(Attachment.project_id == p.id).order_by(Attachment.id))
    return [_view(a) for a in rows]


def read_attachment(uow: UnitOfWork, attachment_id: int,
                    code: str | None = None) -> tuple[AttachmentView, bytes]:
    """The file's bytes, checked against the digest recorded when it was stored. With `code`, the attachment
    must belong to that project (`govdata attachments CODE --get ID` never hands out another project's file)."""
    attachment_id = check_id(attachment_id, "附件编号")
    a = uow.session.get(Attachment, attachment_id)
    if a is None:
        raise NotFoundError(f"没有找到附件：{attachment_id}")
    if code is not None:
        owner = load_project(uow, code)
        if a.project_id != owner.id:
            raise NotFoundError(f"项目 {code} 没有编号为 {attachment_id} 的附件")
    if a.project_id is not None:

        project = uow.session.get(Project, a.project_id)
        if project is not None:  # the permission to read its project (a foreign key: always there)
            load_project(uow, project.code)
    blob = uow.session.get(AttachmentBlob, a.digest)
    if blob is None or sm3_hex(blob.data) != a.digest:
        raise UnreadableError(f"附件“{a.filename}”的内容与登记时的 SM3 摘要不符，可能已被改动或损坏")
    return _view(a), blob.data

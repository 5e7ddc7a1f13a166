"""The project's fields are declared once (app.domain.fields) and agree with the schema and with their users."""

from __future__ import annotations

from sqlalchemy import String

from app.domain.fields import FIELDS, LABELS, field, heading
from app.domain.vocabulary import CATEGORIES, NATURES
from app.excel.writers import LEDGER_COLUMNS
from app.models import Department, Project
from app.services.projects import EDITABLE, FIELD_LABELS, ProjectView


def test_max_lengths_are_the_schemas() -> None:
    columns = Project.__table__.columns
    for f in FIELDS:
        if f.key == "department":
            assert f.max_len == Department.__table__.c.name.type.length
            continue
        col = columns[f.key]
        expected = col.type.length if isinstance(col.type, String) else None
        assert f.max_len == expected, f.key


def test_every_field_is_a_project_attribute_and_every_editable_one_is_declared() -> None:
    view_fields = set(ProjectView.__dataclass_fields__)
    assert {f.key for f in FIELDS} <= view_fields
    assert set(EDITABLE) <= {f.key for f in FIELDS if f.editable}


def test_choices_come_from_the_vocabulary() -> None:
    assert field("category").choices == CATEGORIES and field("nature").choices == NATURES


def test_labels_are_chinese_and_shared() -> None:
    assert all(not v.isascii() for v in LABELS.values())
    assert FIELD_LABELS["total_fen"] == "总投资" and heading("total_fen", "万元") == "总投资（万元）"
    headers = {c[0] for c in LEDGER_COLUMNS} | {c[1] for c in LEDGER_COLUMNS if c[1]}
    assert {"总投资（万元）", "资金来源（万元）", "县级财政资金", "建设周期（月）", "市级承担资金（万元）"} <= headers

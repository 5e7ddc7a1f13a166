"""the register's order as an index: projects by year (newest first), then code

Every list of projects (the window's register, `govdata projects`, the exports) is in this order; with the index a
database of 100,000 projects gives its first page, or all its ids, without sorting them first.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # if_not_exists: a database whose version row says it is older than it is (set back by hand) still upgrades
    op.create_index("ix_projects_year_code", "projects", [sa.desc(sa.column("year")), "code"], if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_projects_year_code", table_name="projects", if_exists=True)

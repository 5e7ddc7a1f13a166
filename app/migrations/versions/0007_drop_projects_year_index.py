"""drop ix_projects_year: its one column leads two other indexes of projects

(year, department_id, name), the unique constraint, and ix_projects_year_code (year DESC, code, migration 0006)
serve every filter by year (EXPLAIN QUERY PLAN: `govdata projects --year`, the register's year filter and the annual
plan's projects search ix_projects_year_code), and every insert paid for a third copy (≈ 5% of an import's writing).

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # if_exists: a database whose version row says it is older than it is (set back by hand) still upgrades
    op.drop_index("ix_projects_year", table_name="projects", if_exists=True)


def downgrade() -> None:
    op.create_index("ix_projects_year", "projects", ["year"], if_not_exists=True)

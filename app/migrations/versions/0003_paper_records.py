"""the records kept on paper: plan filings with the city, the approving body of the annual plan, publicity
objections, budgets' funding source and publicity, payments' funding source, pre-existing systems and their O&M
requests, rectification outcomes, fund losses and accountability (第六、十一、十六、二十一、二十二条)

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False)]


def _version() -> sa.Column:
    return sa.Column("version", sa.Integer(), server_default="1", nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("development_plans") as b:
        b.add_column(sa.Column("received_by", sa.String(50), nullable=True))
    with op.batch_alter_table("annual_plans") as b:
        b.add_column(sa.Column("approved_by", sa.String(150), nullable=True))
    with op.batch_alter_table("budgets") as b:
        b.add_column(sa.Column("source", sa.String(16), nullable=True))
        b.add_column(sa.Column("publicity_id", sa.Integer(), nullable=True))
        b.create_index("ix_budgets_publicity_id", ["publicity_id"])
        b.create_foreign_key("fk_budgets_publicity_id_publicities", "publicities", ["publicity_id"], ["id"],
                             ondelete="SET NULL")
    with op.batch_alter_table("payments") as b:
        b.add_column(sa.Column("source", sa.String(16), nullable=True))
    with op.batch_alter_table("rectifications") as b:
        b.add_column(sa.Column("outcome", sa.String(16), nullable=True))
        b.add_column(sa.Column("verified_on", sa.Date(), nullable=True))
        b.add_column(sa.Column("verified_by", sa.String(50), nullable=True))

    op.create_table(
        "plan_filings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("development_plan_id", sa.Integer(), nullable=True),
        sa.Column("filed_to", sa.String(150), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("doc_no", sa.String(80), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["development_plan_id"], ["development_plans.id"], ondelete="SET NULL",
                                name="fk_plan_filings_development_plan_id_development_plans"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_filings"),
    )
    op.create_index("ix_plan_filings_development_plan_id", "plan_filings", ["development_plan_id"])

    op.create_table(
        "publicity_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publicity_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("objector", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(30), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("handled_on", sa.Date(), nullable=True),
        sa.Column("handling", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("handled_by", sa.String(50), nullable=True),
        *_stamps(),
        _version(),
        sa.ForeignKeyConstraint(["publicity_id"], ["publicities.id"], ondelete="CASCADE",
                                name="fk_publicity_objections_publicity_id_publicities"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="SET NULL",
                                name="fk_publicity_objections_project_id_projects"),
        sa.PrimaryKeyConstraint("id", name="pk_publicity_objections"),
    )
    op.create_index("ix_publicity_objections_publicity_id", "publicity_objections", ["publicity_id"])
    op.create_index("ix_publicity_objections_project_id", "publicity_objections", ["project_id"])

    op.create_table(
        "legacy_systems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("built_year", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("catalogue_registered", sa.Boolean(), nullable=False),
        sa.Column("data_landed", sa.Boolean(), nullable=False),
        *_stamps(),
        _version(),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name="fk_legacy_systems_department_id_departments"),
        sa.PrimaryKeyConstraint("id", name="pk_legacy_systems"),
        sa.UniqueConstraint("department_id", "name", name="uq_legacy_systems_department_id_name"),
    )
    op.create_index("ix_legacy_systems_department_id", "legacy_systems", ["department_id"])

    op.create_table(
        "legacy_om_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("reviewer", sa.String(50), nullable=True),
        sa.Column("review_opinion", sa.Text(), nullable=True),
        sa.Column("reviewed_fen", sa.BigInteger(), nullable=True),
        sa.Column("budget_on", sa.Date(), nullable=True),
        sa.Column("budget_fen", sa.BigInteger(), nullable=True),
        sa.Column("budget_doc_no", sa.String(80), nullable=True),
        sa.Column("budget_by", sa.String(50), nullable=True),
        *_stamps(),
        _version(),
        sa.ForeignKeyConstraint(["system_id"], ["legacy_systems.id"], ondelete="CASCADE",
                                name="fk_legacy_om_requests_system_id_legacy_systems"),
        sa.PrimaryKeyConstraint("id", name="pk_legacy_om_requests"),
    )
    op.create_index("ix_legacy_om_requests_system_id", "legacy_om_requests", ["system_id"])

    op.create_table(
        "fund_losses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("rectification_id", sa.Integer(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE",
                                name="fk_fund_losses_project_id_projects"),
        sa.ForeignKeyConstraint(["rectification_id"], ["rectifications.id"], ondelete="SET NULL",
                                name="fk_fund_losses_rectification_id_rectifications"),
        sa.PrimaryKeyConstraint("id", name="pk_fund_losses"),
    )
    op.create_index("ix_fund_losses_project_id", "fund_losses", ["project_id"])

    op.create_table(
        "accountability_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("loss_id", sa.Integer(), nullable=True),
        sa.Column("person", sa.String(100), nullable=False),
        sa.Column("measure", sa.String(100), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(150), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE",
                                name="fk_accountability_records_project_id_projects"),
        sa.ForeignKeyConstraint(["loss_id"], ["fund_losses.id"], ondelete="SET NULL",
                                name="fk_accountability_records_loss_id_fund_losses"),
        sa.PrimaryKeyConstraint("id", name="pk_accountability_records"),
    )
    op.create_index("ix_accountability_records_project_id", "accountability_records", ["project_id"])
    op.create_index("ix_accountability_records_loss_id", "accountability_records", ["loss_id"])


def downgrade() -> None:
    for table in ("accountability_records", "fund_losses", "legacy_om_requests", "legacy_systems",
                  "publicity_objections", "plan_filings"):
        op.drop_table(table)
    with op.batch_alter_table("rectifications") as b:
        b.drop_column("verified_by")
        b.drop_column("verified_on")
        b.drop_column("outcome")
    with op.batch_alter_table("payments") as b:
        b.drop_column("source")
    with op.batch_alter_table("budgets") as b:
        b.drop_constraint("fk_budgets_publicity_id_publicities", type_="foreignkey")
        b.drop_index("ix_budgets_publicity_id")
        b.drop_column("publicity_id")
        b.drop_column("source")
    with op.batch_alter_table("annual_plans") as b:
        b.drop_column("approved_by")
    with op.batch_alter_table("development_plans") as b:
        b.drop_column("received_by")

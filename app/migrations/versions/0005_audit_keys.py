"""the audit key out of the database: audit_keys names the key (its id, a check value, an optional copy wrapped
under the administrators' passphrase); the key itself moves from audit_anchor row 0 to the OS keyring of the PC
(done in code after the upgrade, app.storage.auditkey.migrate_legacy_key, since a migration cannot reach the
keyring)

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("check", sa.String(64), nullable=False),
        sa.Column("wrapped", sa.Text(), nullable=True),
        sa.Column("wrapped_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("first_id", sa.BigInteger(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_keys")),
        sa.UniqueConstraint("key_id", name=op.f("uq_audit_keys_key_id")),
    )


def downgrade() -> None:
    op.drop_table("audit_keys")

"""audit protection: the database refuses UPDATE, DELETE (and TRUNCATE) on audit_log, and a shrinking anchor

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MESSAGE = "audit_log is append-only"

SQLITE_UP = [
    f"""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    """CREATE TRIGGER audit_anchor_no_delete BEFORE DELETE ON audit_anchor
        BEGIN SELECT RAISE(ABORT, 'audit_anchor cannot be deleted'); END""",
    """CREATE TRIGGER audit_anchor_no_shrink BEFORE UPDATE ON audit_anchor
        WHEN NEW.count < OLD.count OR NEW.last_id < OLD.last_id
        BEGIN SELECT RAISE(ABORT, 'audit_anchor cannot move backwards'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete",
               "DROP TRIGGER IF EXISTS audit_anchor_no_delete", "DROP TRIGGER IF EXISTS audit_anchor_no_shrink"]

PG_UP = [
    f"""CREATE OR REPLACE FUNCTION govdata_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$""",
    """CREATE OR REPLACE FUNCTION govdata_audit_anchor_forward() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'audit_anchor cannot be deleted'; END IF;
          IF NEW.count < OLD.count OR NEW.last_id < OLD.last_id THEN
            RAISE EXCEPTION 'audit_anchor cannot move backwards';
          END IF;
          RETURN NEW;
        END $$""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION govdata_audit_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION govdata_audit_append_only()""",
    """CREATE TRIGGER audit_anchor_forward BEFORE UPDATE OR DELETE ON audit_anchor
        FOR EACH ROW EXECUTE FUNCTION govdata_audit_anchor_forward()""",
    """CREATE TRIGGER audit_anchor_no_truncate BEFORE TRUNCATE ON audit_anchor
        FOR EACH STATEMENT EXECUTE FUNCTION govdata_audit_append_only()""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS audit_anchor_no_truncate ON audit_anchor",
    "DROP TRIGGER IF EXISTS audit_anchor_forward ON audit_anchor",
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
    "DROP FUNCTION IF EXISTS govdata_audit_anchor_forward()",
    "DROP FUNCTION IF EXISTS govdata_audit_append_only()",
]


def _run(statements: list[str]) -> None:
    for sql in statements:
        op.execute(sql)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        # Triggers hold for every role but a superuser who disables them; a deployment may in addition
        # revoke UPDATE, DELETE, TRUNCATE on audit_log from the program's role (see README, security).
        _run(PG_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(PG_DOWN)

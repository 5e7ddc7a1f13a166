"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 23:17:57.167756
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('annual_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('doc_no', sa.String(length=80), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_plans')),
    sa.UniqueConstraint('year', name=op.f('uq_annual_plans_year'))
    )
    op.create_table('attachment_blobs',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_attachment_blobs'))
    )
    op.create_table('audit_anchor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.Column('last_id', sa.BigInteger(), nullable=False),
    sa.Column('head_mac', sa.String(length=64), nullable=True),
    sa.Column('mac', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_anchor'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=True),
    sa.Column('host', sa.String(length=128), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('prev_mac', sa.String(length=64), nullable=True),
    sa.Column('mac', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_object_id'), ['object_id'], unique=False)

    op.create_table('contractors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=150), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('county_owned', sa.Boolean(), nullable=False),
    sa.Column('contact', sa.String(length=50), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contractors')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_contractors_credit_code'))
    )
    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('contact', sa.String(length=50), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('name', name=op.f('uq_departments_name'))
    )
    op.create_table('holiday_overrides',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_holiday_overrides'))
    )
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('level1', sa.String(length=20), nullable=False),
    sa.Column('level2', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('weight', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('name', name=op.f('uq_indicators_name'))
    )
    op.create_table('issued_numbers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_numbers')),
    sa.UniqueConstraint('key', 'year', 'seq', name=op.f('uq_issued_numbers_key_year_seq')),
    sa.UniqueConstraint('number', name=op.f('uq_issued_numbers_number'))
    )
    op.create_table('number_sequences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_number_sequences')),
    sa.UniqueConstraint('key', 'year', name=op.f('uq_number_sequences_key_year'))
    )
    op.create_table('publicities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('doc_no', sa.String(length=80), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('contact', sa.String(length=50), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('objections', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicities'))
    )
    with op.batch_alter_table('publicities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publicities_year'), ['year'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('department_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_department_aliases_department_id_departments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_aliases')),
    sa.UniqueConstraint('alias', name=op.f('uq_department_aliases_alias'))
    )
    with op.batch_alter_table('department_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_department_aliases_department_id'), ['department_id'], unique=False)

    op.create_table('development_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('end_year', sa.Integer(), nullable=False),
    sa.Column('doc_no', sa.String(length=80), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_development_plans_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_development_plans'))
    )
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('nature', sa.String(length=16), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period_months', sa.Integer(), nullable=True),
    sa.Column('responsible_person', sa.String(length=50), nullable=True),
    sa.Column('responsible_phone', sa.String(length=30), nullable=True),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('county_fen', sa.BigInteger(), nullable=False),
    sa.Column('upper_fen', sa.BigInteger(), nullable=False),
    sa.Column('other_fen', sa.BigInteger(), nullable=False),
    sa.Column('year_request_fen', sa.BigInteger(), nullable=False),
    sa.Column('cobuilt', sa.Boolean(), nullable=False),
    sa.Column('city_share_fen', sa.BigInteger(), nullable=False),
    sa.Column('county_share_fen', sa.BigInteger(), nullable=False),
    sa.Column('cobuilt_scope', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('resume_status', sa.String(length=32), nullable=True),
    sa.Column('approved_fen', sa.BigInteger(), nullable=True),
    sa.Column('data_landed', sa.Boolean(), nullable=False),
    sa.Column('data_landed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_projects_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('code', name=op.f('uq_projects_code')),
    sa.UniqueConstraint('year', 'department_id', 'name', name=op.f('uq_projects_year_department_id_name'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_year'), ['year'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=64), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('roles', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=True),
    sa.Column('password_changed_at', sa.DateTime(), nullable=True),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_users_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('acceptances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('organizer', sa.String(length=100), nullable=True),
    sa.Column('experts', sa.Text(), nullable=True),
    sa.Column('opinion', sa.Text(), nullable=True),
    sa.Column('doc_no', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_acceptances_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acceptances'))
    )
    with op.batch_alter_table('acceptances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acceptances_project_id'), ['project_id'], unique=False)

    op.create_table('annual_plan_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('planned_fen', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plans.id'], name=op.f('fk_annual_plan_items_plan_id_annual_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_annual_plan_items_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_plan_items')),
    sa.UniqueConstraint('plan_id', 'project_id', name=op.f('uq_annual_plan_items_plan_id_project_id'))
    )
    with op.batch_alter_table('annual_plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_plan_items_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_annual_plan_items_project_id'), ['project_id'], unique=False)

    op.create_table('approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('doc_no', sa.String(length=80), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('opinion', sa.Text(), nullable=True),
    sa.Column('leader', sa.String(length=50), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_approvals_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approvals')),
    sa.UniqueConstraint('doc_no', name=op.f('uq_approvals_doc_no'))
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approvals_project_id'), ['project_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('owner_type', sa.String(length=32), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['digest'], ['attachment_blobs.digest'], name=op.f('fk_attachments_digest_attachment_blobs')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_attachments_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_digest'), ['digest'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_project_id'), ['project_id'], unique=False)

    op.create_table('autonomy_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('domestic_fen', sa.BigInteger(), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('finding', sa.Text(), nullable=True),
    sa.Column('checker', sa.String(length=50), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_autonomy_checks_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_autonomy_checks'))
    )
    with op.batch_alter_table('autonomy_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_autonomy_checks_project_id'), ['project_id'], unique=False)

    op.create_table('budgets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('doc_no', sa.String(length=80), nullable=True),
    sa.Column('set_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_budgets_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budgets'))
    )
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budgets_project_id'), ['project_id'], unique=False)

    op.create_table('catalogue_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('resource_code', sa.String(length=60), nullable=True),
    sa.Column('share_type', sa.String(length=16), nullable=False),
    sa.Column('open_type', sa.String(length=16), nullable=True),
    sa.Column('update_cycle', sa.String(length=16), nullable=True),
    sa.Column('registered', sa.Boolean(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('platform_id', sa.String(length=60), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_catalogue_items_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_items'))
    )
    with op.batch_alter_table('catalogue_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogue_items_project_id'), ['project_id'], unique=False)

    op.create_table('change_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('major', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opinion', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.String(length=50), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_change_requests_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_requests'))
    )
    with op.batch_alter_table('change_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_requests_project_id'), ['project_id'], unique=False)

    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('contract_no', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('contractor_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('selection_method', sa.String(length=24), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('filing_due', sa.Date(), nullable=False),
    sa.Column('filing_due_provisional', sa.Boolean(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('filed_late', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractors.id'], name=op.f('fk_contracts_contractor_id_contractors')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_contracts_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('contract_no', name=op.f('uq_contracts_contract_no'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_contractor_id'), ['contractor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_project_id'), ['project_id'], unique=False)

    op.create_table('emergency_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('contractor_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractors.id'], name=op.f('fk_emergency_plans_contractor_id_contractors')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_emergency_plans_project_id_projects'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergency_plans'))
    )
    with op.batch_alter_table('emergency_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emergency_plans_project_id'), ['project_id'], unique=False)

    op.create_table('estimate_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('spec', sa.Text(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('unit_price_fen', sa.BigInteger(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('domestic', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_estimate_items_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_estimate_items'))
    )
    with op.batch_alter_table('estimate_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_estimate_items_project_id'), ['project_id'], unique=False)

    op.create_table('evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('evaluated_on', sa.Date(), nullable=False),
    sa.Column('evaluator', sa.String(length=100), nullable=True),
    sa.Column('total', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('grade', sa.String(length=4), nullable=False),
    sa.Column('conclusion', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_evaluations_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations'))
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluations_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_year'), ['year'], unique=False)

    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('handling', sa.Text(), nullable=True),
    sa.Column('reported_to', sa.String(length=150), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_incidents_project_id_projects'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_project_id'), ['project_id'], unique=False)

    op.create_table('om_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('approved_fen', sa.BigInteger(), nullable=True),
    sa.Column('opinion', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_om_requests_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_om_requests'))
    )
    with op.batch_alter_table('om_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_om_requests_project_id'), ['project_id'], unique=False)

    op.create_table('password_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_history_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_history'))
    )
    with op.batch_alter_table('password_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_history_user_id'), ['user_id'], unique=False)

    op.create_table('printed_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('printed_at', sa.DateTime(), nullable=False),
    sa.Column('printed_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_printed_forms_project_id_projects'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_printed_forms')),
    sa.UniqueConstraint('serial', name=op.f('uq_printed_forms_serial'))
    )
    with op.batch_alter_table('printed_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_printed_forms_project_id'), ['project_id'], unique=False)

    op.create_table('publicity_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publicity_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_publicity_items_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['publicity_id'], ['publicities.id'], name=op.f('fk_publicity_items_publicity_id_publicities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_items')),
    sa.UniqueConstraint('publicity_id', 'project_id', name=op.f('uq_publicity_items_publicity_id_project_id'))
    )
    with op.batch_alter_table('publicity_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publicity_items_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_publicity_items_publicity_id'), ['publicity_id'], unique=False)

    op.create_table('rectifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('doc_no', sa.String(length=80), nullable=True),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('requirements', sa.Text(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_rectifications_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectifications')),
    sa.UniqueConstraint('doc_no', name=op.f('uq_rectifications_doc_no'))
    )
    with op.batch_alter_table('rectifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectifications_project_id'), ['project_id'], unique=False)

    op.create_table('security_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('agency', sa.String(length=150), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('score', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('report_no', sa.String(length=80), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_security_assessments_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_assessments'))
    )
    with op.batch_alter_table('security_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_security_assessments_project_id'), ['project_id'], unique=False)

    op.create_table('technical_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('reviewer', sa.String(length=50), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('opinion_on', sa.Date(), nullable=True),
    sa.Column('conclusion', sa.String(length=24), nullable=True),
    sa.Column('interconnect_ok', sa.Boolean(), nullable=True),
    sa.Column('policy_ok', sa.Boolean(), nullable=True),
    sa.Column('not_built_before', sa.Boolean(), nullable=True),
    sa.Column('not_disguised', sa.Boolean(), nullable=True),
    sa.Column('opinion', sa.Text(), nullable=True),
    sa.Column('doc_no', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_technical_reviews_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_technical_reviews'))
    )
    with op.batch_alter_table('technical_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_technical_reviews_project_id'), ['project_id'], unique=False)

    op.create_table('change_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('change_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['change_id'], ['change_requests.id'], name=op.f('fk_change_items_change_id_change_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_items'))
    )
    with op.batch_alter_table('change_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_items_change_id'), ['change_id'], unique=False)

    op.create_table('drills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('drilled_on', sa.Date(), nullable=False),
    sa.Column('scenario', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.Text(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('issues', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['emergency_plans.id'], name=op.f('fk_drills_plan_id_emergency_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drills'))
    )
    with op.batch_alter_table('drills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drills_plan_id'), ['plan_id'], unique=False)

    op.create_table('evaluation_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('level1', sa.String(length=20), nullable=False),
    sa.Column('level2', sa.String(length=30), nullable=False),
    sa.Column('indicator', sa.String(length=60), nullable=False),
    sa.Column('weight', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('score', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_evaluation_scores_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_scores'))
    )
    with op.batch_alter_table('evaluation_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_scores_evaluation_id'), ['evaluation_id'], unique=False)

    op.create_table('materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_materials_attachment_id_attachments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_materials_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_materials')),
    sa.UniqueConstraint('project_id', 'kind', name=op.f('uq_materials_project_id_kind'))
    )
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_materials_project_id'), ['project_id'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('voucher_no', sa.String(length=80), nullable=True),
    sa.Column('purpose', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_payments_contract_id_contracts')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_payments_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_project_id'), ['project_id'], unique=False)

    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('group', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('score', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('finding', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['technical_reviews.id'], name=op.f('fk_review_items_review_id_technical_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items'))
    )
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_items_review_id'), ['review_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_items_review_id'))

    op.drop_table('review_items')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_project_id'))
        batch_op.drop_index(batch_op.f('ix_payments_contract_id'))

    op.drop_table('payments')
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_materials_project_id'))

    op.drop_table('materials')
    with op.batch_alter_table('evaluation_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_scores_evaluation_id'))

    op.drop_table('evaluation_scores')
    with op.batch_alter_table('drills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drills_plan_id'))

    op.drop_table('drills')
    with op.batch_alter_table('change_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_items_change_id'))

    op.drop_table('change_items')
    with op.batch_alter_table('technical_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_technical_reviews_project_id'))

    op.drop_table('technical_reviews')
    with op.batch_alter_table('security_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_security_assessments_project_id'))

    op.drop_table('security_assessments')
    with op.batch_alter_table('rectifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectifications_project_id'))

    op.drop_table('rectifications')
    with op.batch_alter_table('publicity_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publicity_items_publicity_id'))
        batch_op.drop_index(batch_op.f('ix_publicity_items_project_id'))

    op.drop_table('publicity_items')
    with op.batch_alter_table('printed_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_printed_forms_project_id'))

    op.drop_table('printed_forms')
    with op.batch_alter_table('password_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_history_user_id'))

    op.drop_table('password_history')
    with op.batch_alter_table('om_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_om_requests_project_id'))

    op.drop_table('om_requests')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_project_id'))

    op.drop_table('incidents')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluations_year'))
        batch_op.drop_index(batch_op.f('ix_evaluations_project_id'))

    op.drop_table('evaluations')
    with op.batch_alter_table('estimate_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_estimate_items_project_id'))

    op.drop_table('estimate_items')
    with op.batch_alter_table('emergency_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emergency_plans_project_id'))

    op.drop_table('emergency_plans')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contracts_project_id'))
        batch_op.drop_index(batch_op.f('ix_contracts_contractor_id'))

    op.drop_table('contracts')
    with op.batch_alter_table('change_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_requests_project_id'))

    op.drop_table('change_requests')
    with op.batch_alter_table('catalogue_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_items_project_id'))

    op.drop_table('catalogue_items')
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budgets_project_id'))

    op.drop_table('budgets')
    with op.batch_alter_table('autonomy_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_autonomy_checks_project_id'))

    op.drop_table('autonomy_checks')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_project_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_digest'))

    op.drop_table('attachments')
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approvals_project_id'))

    op.drop_table('approvals')
    with op.batch_alter_table('annual_plan_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_plan_items_project_id'))
        batch_op.drop_index(batch_op.f('ix_annual_plan_items_plan_id'))

    op.drop_table('annual_plan_items')
    with op.batch_alter_table('acceptances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acceptances_project_id'))

    op.drop_table('acceptances')
    op.drop_table('users')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_year'))
        batch_op.drop_index(batch_op.f('ix_projects_status'))
        batch_op.drop_index(batch_op.f('ix_projects_name'))
        batch_op.drop_index(batch_op.f('ix_projects_department_id'))

    op.drop_table('projects')
    op.drop_table('development_plans')
    with op.batch_alter_table('department_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_department_aliases_department_id'))

    op.drop_table('department_aliases')
    op.drop_table('settings')
    with op.batch_alter_table('publicities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publicities_year'))

    op.drop_table('publicities')
    op.drop_table('number_sequences')
    op.drop_table('issued_numbers')
    op.drop_table('indicators')
    op.drop_table('holiday_overrides')
    op.drop_table('departments')
    op.drop_table('contractors')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_object_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    op.drop_table('audit_anchor')
    op.drop_table('attachment_blobs')
    op.drop_table('annual_plans')

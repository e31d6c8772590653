"""plan amendments with old and new values, re-acknowledgement, the plan's minutes

Revision ID: 7d2e4a9c1b30
Revises: 9e3b7c1d2a45
Create Date: 2026-12-03 06:50:00

"""
from alembic import op
import sqlalchemy as sa

import devtrack.types  # noqa: F401  (custom column types used by autogenerate)


# revision identifiers, used by Alembic.
revision = '7d2e4a9c1b30'
down_revision = '9e3b7c1d2a45'
branch_labels = None
depends_on = None

KINDS_BEFORE = (
    'feedback_received', 'feedback_reply', 'feedback_requested',
    'plan_awaiting_acknowledgement', 'deadline_close',
)
KINDS_AFTER = KINDS_BEFORE + ('plan_amended', 'individual_mus_requested')


def _kind(values):
    return sa.Enum(
        *values, name='notification_kind', native_enum=False, create_constraint=True, length=32
    )


def upgrade():
    with op.batch_alter_table('plan_amendment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('agreement_added', 'agreement_changed', 'summary_changed', name='amendment_kind', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('agreement_position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('changes', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('awaits', sa.Enum('employee', 'leader', name='amendment_awaits', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('answered_at', devtrack.types.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('development_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('development_plan', schema=None) as batch_op:
        batch_op.alter_column('summary', existing_type=sa.Text(), server_default=None)
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.alter_column(
            'kind', existing_type=_kind(KINDS_BEFORE), type_=_kind(KINDS_AFTER),
            existing_nullable=False,
        )


def downgrade():
    op.execute(
        sa.text("DELETE FROM notification WHERE kind IN ('plan_amended', 'individual_mus_requested')")
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.alter_column(
            'kind', existing_type=_kind(KINDS_AFTER), type_=_kind(KINDS_BEFORE),
            existing_nullable=False,
        )
    with op.batch_alter_table('development_plan', schema=None) as batch_op:
        batch_op.drop_column('summary')
    with op.batch_alter_table('plan_amendment', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_amendment_amendment_awaits'), type_='check')
        batch_op.drop_constraint(op.f('ck_plan_amendment_amendment_kind'), type_='check')
    with op.batch_alter_table('plan_amendment', schema=None) as batch_op:
        batch_op.drop_column('answered_at')
        batch_op.drop_column('awaits')
        batch_op.drop_column('changes')
        batch_op.drop_column('agreement_position')
        batch_op.drop_column('kind')

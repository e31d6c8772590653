"""round notifications and calendar invitations: the round's notification kinds, a figure a
notification names, the outbox's iCalendar part, a conversation's calendar SEQUENCE and a
plan's follow-up date

Revision ID: 7c2e5a9d1b30
Revises: 7d4e2a9c1b30
Create Date: 2026-12-03 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2e5a9d1b30'
down_revision = '7d4e2a9c1b30'
branch_labels = None
depends_on = None

OLD_KINDS = (
    'feedback_received', 'feedback_reply', 'feedback_requested',
    'plan_awaiting_acknowledgement', 'deadline_close', 'plan_amended', 'individual_mus_requested',
)
NEW_KINDS = OLD_KINDS + (
    'round_invitation', 'round_leader_list', 'conversation_booked', 'conversation_moved',
    'conversation_cancelled', 'preparation_reminder', 'round_deadline_close',
    'round_deadline_passed', 'round_summary_close', 'round_summary_passed',
    'agreement_deadline_close', 'follow_up_close',
)


def _kind(kinds):
    return sa.Enum(
        *kinds, name='notification_kind', native_enum=False, create_constraint=True, length=32
    )


def _set_kinds(kinds, old):
    # The CHECK constraint lists the kinds (SQLite copies the table, PostgreSQL swaps it).
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.alter_column(
            'kind', existing_type=_kind(old), type_=_kind(kinds), existing_nullable=False
        )


def upgrade():
    _set_kinds(NEW_KINDS, OLD_KINDS)
    with op.batch_alter_table('notification', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('figure', sa.Integer(), nullable=True))
    with op.batch_alter_table('outbox_message', schema=None, recreate='never') as batch_op:
        batch_op.add_column(
            sa.Column('calendar', sa.Text(), nullable=False, server_default='')
        )
    with op.batch_alter_table('conversation', schema=None, recreate='never') as batch_op:
        batch_op.add_column(
            sa.Column('calendar_sequence', sa.Integer(), nullable=False, server_default='0')
        )
    with op.batch_alter_table('development_plan', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('follow_up_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('development_plan', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('follow_up_on')
    with op.batch_alter_table('conversation', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('calendar_sequence')
    with op.batch_alter_table('outbox_message', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('calendar')
    op.execute(sa.text(
        "DELETE FROM notification WHERE kind NOT IN ("
        + ", ".join(f"'{kind}'" for kind in OLD_KINDS) + ")"
    ))
    with op.batch_alter_table('notification', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('figure')
    _set_kinds(OLD_KINDS, NEW_KINDS)

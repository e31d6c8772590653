"""GUS: one group meeting with shared notes; an individual MUS made from a request

Revision ID: 8a1f5c3d2e60
Revises: d17a91c0e5b2
Create Date: 2026-12-03 07:10:00

"""
from alembic import op
import sqlalchemy as sa

import devtrack.types  # noqa: F401  (custom column types used by autogenerate)


# revision identifiers, used by Alembic.
revision = '8a1f5c3d2e60'
down_revision = 'd17a91c0e5b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('group_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('booked_for', devtrack.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('held_at', devtrack.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', devtrack.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['person.id'], name=op.f('fk_group_session_leader_id_person')),
    sa.ForeignKeyConstraint(['round_id'], ['conversation_round.id'], name=op.f('fk_group_session_round_id_conversation_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_session'))
    )
    with op.batch_alter_table('group_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_session_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_session_round_id'), ['round_id'], unique=False)

    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('individual_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('group_session_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_conversation_group_session_id'), ['group_session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_individual_id'), ['individual_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_conversation_group_session_id_group_session'), 'group_session', ['group_session_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_conversation_individual_id_conversation'), 'conversation', ['individual_id'], ['id'])

    with op.batch_alter_table('conversation_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follows_round_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_conversation_round_follows_round_id'), ['follows_round_id'])
        batch_op.create_foreign_key(batch_op.f('fk_conversation_round_follows_round_id_conversation_round'), 'conversation_round', ['follows_round_id'], ['id'])


def downgrade():
    with op.batch_alter_table('conversation_round', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_conversation_round_follows_round_id_conversation_round'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_conversation_round_follows_round_id'), type_='unique')
        batch_op.drop_column('follows_round_id')

    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_conversation_individual_id_conversation'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_conversation_group_session_id_group_session'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_conversation_individual_id'))
        batch_op.drop_index(batch_op.f('ix_conversation_group_session_id'))
        batch_op.drop_column('group_session_id')
        batch_op.drop_column('individual_id')

    with op.batch_alter_table('group_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_session_round_id'))
        batch_op.drop_index(batch_op.f('ix_group_session_leader_id'))

    op.drop_table('group_session')

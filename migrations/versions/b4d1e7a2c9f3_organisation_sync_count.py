"""organisation sync count: a sync writes only if no other sync wrote since it compared

Revision ID: b4d1e7a2c9f3
Revises: 7c2e5a9d1b30
Create Date: 2026-12-03 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4d1e7a2c9f3'
down_revision = '7c2e5a9d1b30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_sync_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('syncs', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_sync_count'))
    )


def downgrade():
    op.drop_table('organisation_sync_count')

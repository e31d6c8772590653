"""health probe: rows /healthz writes and deletes to learn that the database takes writes

Revision ID: 5b7c1d2e3f40
Revises: c51201c48c80
Create Date: 2026-12-02 23:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7c1d2e3f40'
down_revision = 'c51201c48c80'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('health_probe',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_probe'))
    )


def downgrade():
    op.drop_table('health_probe')

"""drop page revisions: the page cache is gone, pages render fresh

Revision ID: 9e3b7c1d2a45
Revises: 5b7c1d2e3f40
Create Date: 2026-12-02 23:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e3b7c1d2a45'
down_revision = '5b7c1d2e3f40'
branch_labels = None
depends_on = None


def upgrade():
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+), not a copy of the table: on SQLite, dropping
    # the old person table would trip every foreign key that points at it.
    with op.batch_alter_table('person', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('page_revision')

    op.drop_table('site_revision')


def downgrade():
    op.create_table('site_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_revision'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_revision', sa.Integer(), server_default='0', nullable=False))

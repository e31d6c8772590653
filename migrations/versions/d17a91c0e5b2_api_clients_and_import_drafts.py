"""api clients, the access log's client column, organisation import drafts

Revision ID: d17a91c0e5b2
Revises: 7d2e4a9c1b30
Create Date: 2026-12-03 06:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import devtrack.types


# revision identifiers, used by Alembic.
revision = 'd17a91c0e5b2'
down_revision = '7d2e4a9c1b30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('scopes', sa.String(length=200), nullable=False),
    sa.Column('token_id', sa.String(length=16), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('rate_limit', sa.Integer(), nullable=False),
    sa.Column('created_at', devtrack.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', devtrack.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', devtrack.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_client')),
    sa.UniqueConstraint('token_id', name=op.f('uq_api_client_token_id'))
    )
    op.create_table('org_import_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', devtrack.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_import_draft')),
    sa.UniqueConstraint('token', name=op.f('uq_org_import_draft_token'))
    )
    # ALTER TABLE … ADD COLUMN, not a copy of the table: the append-only trigger stays.
    op.add_column('access_log', sa.Column('api_client_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_access_log_api_client_id'), 'access_log', ['api_client_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_access_log_api_client_id'), table_name='access_log')
    with op.batch_alter_table('access_log', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('api_client_id')
    op.drop_table('org_import_draft')
    op.drop_table('api_client')

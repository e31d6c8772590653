"""SAML: pending requests and used assertions (replay protection)

Revision ID: 5d2e8c1f7a90
Revises: 8a1f5c3d2e60
Create Date: 2026-12-03 06:50:00

"""
from alembic import op
import sqlalchemy as sa

import devtrack.types  # noqa: F401  (custom column types used by autogenerate)


# revision identifiers, used by Alembic.
revision = '5d2e8c1f7a90'
down_revision = '8a1f5c3d2e60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saml_pending_request',
    sa.Column('request_id', sa.String(length=100), nullable=False),
    sa.Column('next_page', sa.String(length=2000), nullable=False),
    sa.Column('created_at', devtrack.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('request_id', name=op.f('pk_saml_pending_request'))
    )
    with op.batch_alter_table('saml_pending_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saml_pending_request_created_at'), ['created_at'], unique=False)

    op.create_table('saml_used_assertion',
    sa.Column('assertion_id', sa.String(length=200), nullable=False),
    sa.Column('expires_at', devtrack.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('assertion_id', name=op.f('pk_saml_used_assertion'))
    )
    with op.batch_alter_table('saml_used_assertion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saml_used_assertion_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('saml_used_assertion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saml_used_assertion_expires_at'))
    op.drop_table('saml_used_assertion')
    with op.batch_alter_table('saml_pending_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saml_pending_request_created_at'))
    op.drop_table('saml_pending_request')

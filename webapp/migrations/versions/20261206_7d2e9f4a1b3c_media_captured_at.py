"""media captured_at: when a photo was taken, from its EXIF block

Revision ID: 7d2e9f4a1b3c
Revises: 5e1f0c2a9b7d
Create Date: 2026-12-06 19:45:00

"""
from alembic import op
import sqlalchemy as sa

import sync.store


# revision identifiers, used by Alembic.
revision = '7d2e9f4a1b3c'
down_revision = '5e1f0c2a9b7d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sync_media', schema=None) as batch_op:
        batch_op.add_column(sa.Column('captured_at', sync.store.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('sync_media', schema=None) as batch_op:
        batch_op.drop_column('captured_at')

"""media blobs: the bytes of uploads kept in the database (PATROLBOOK_MEDIA_STORE=database)

Created on every dialect, like every other table: the schema stays the models' schema everywhere, and
a SQLite installation may keep its photos in its one file too. Unused (empty) with the local store.

Revision ID: 8d3a4f6b2c1e
Revises: 9a4c2e7b5d10
Create Date: 2026-12-06 19:50:00

"""
from alembic import op
import sqlalchemy as sa
import sync.store


# revision identifiers, used by Alembic.
revision = '8d3a4f6b2c1e'
down_revision = '9a4c2e7b5d10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('media_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sync.store.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )


def downgrade():
    op.drop_table('media_blobs')

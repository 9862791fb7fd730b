"""a disputed visit check handled by the supervisor

Revision ID: b4d81e6f2a37
Revises: 7a3e5c1d9b42
Create Date: 2026-12-06 20:45:00

"""
from alembic import op
import sqlalchemy as sa

import sync.store


# revision identifiers, used by Alembic.
revision = 'b4d81e6f2a37'
down_revision = '7a3e5c1d9b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('resident_visit_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handled_at', sync.store.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('handled_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('handled_note', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key('fk_resident_visit_checks_handled_by_users', 'users', ['handled_by'], ['id'])


def downgrade():
    with op.batch_alter_table('resident_visit_checks', schema=None) as batch_op:
        batch_op.drop_constraint('fk_resident_visit_checks_handled_by_users', type_='foreignkey')
        batch_op.drop_column('handled_note')
        batch_op.drop_column('handled_by')
        batch_op.drop_column('handled_at')

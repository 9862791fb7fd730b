"""estate time zone

Revision ID: 5e1f0c2a9b7d
Revises: c286a8969e53
Create Date: 2026-12-06 17:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1f0c2a9b7d'
down_revision = 'c286a8969e53'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('estates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), server_default='Asia/Shanghai',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('estates', schema=None) as batch_op:
        batch_op.drop_column('time_zone')

"""patrol list indexes: rounds by observed_at, findings by received_at (the lists, newest first)

Revision ID: 7d3e9a41c5b2
Revises: 8d3a4f6b2c1e
Create Date: 2026-12-06 20:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7d3e9a41c5b2'
down_revision = '8d3a4f6b2c1e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('patrol_rounds', schema=None) as batch_op:
        batch_op.create_index('ix_patrol_rounds_observed', ['observed_at'], unique=False)
    with op.batch_alter_table('patrol_findings', schema=None) as batch_op:
        batch_op.create_index('ix_patrol_findings_received', ['received_at'], unique=False)


def downgrade():
    with op.batch_alter_table('patrol_findings', schema=None) as batch_op:
        batch_op.drop_index('ix_patrol_findings_received')
    with op.batch_alter_table('patrol_rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_patrol_rounds_observed')

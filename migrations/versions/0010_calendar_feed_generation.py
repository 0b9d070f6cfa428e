"""a per-director calendar-feed generation, so one director's feed address can be revoked alone

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 12:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('director', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_feed_generation', sa.Integer(), server_default=sa.text('0'),
                                      nullable=False))


def downgrade():
    # Addresses made after a renewal stop working again (their generation is gone); the
    # original ones work again. Say so in the release notes if you ever downgrade.
    with op.batch_alter_table('director', schema=None) as batch_op:
        batch_op.drop_column('calendar_feed_generation')

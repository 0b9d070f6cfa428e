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
    op.create_table(
        'director_calendar_feed',
        sa.Column('director_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['director_id'], ['director.id'],
                                name=op.f('fk_director_calendar_feed_director_id_director'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('director_id', name=op.f('pk_director_calendar_feed')),
    )


def downgrade():
    # Addresses made after a renewal stop working again (their generation is gone); the
    # original ones work again.
    op.drop_table('director_calendar_feed')

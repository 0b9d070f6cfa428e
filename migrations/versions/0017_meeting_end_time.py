"""a meeting's end time (เลิกประชุมเวลา): the minutes state it and calendars end the event there

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 23:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    # A nullable column needs no table rebuild on SQLite, so the append-only triggers and the
    # children of meeting are untouched.
    op.add_column('meeting', sa.Column('ends_at', sa.Time(), nullable=True))


def downgrade():
    with op.batch_alter_table('meeting') as batch:
        batch.drop_column('ends_at')

""""forgot password" answers in the same time for every address: the page records the
request and the outbox run sends the link

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 15:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'password_reset_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_request')),
    )


def downgrade():
    op.drop_table('password_reset_request')

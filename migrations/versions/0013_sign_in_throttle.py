"""throttle the guesser, not the owner: failed sign-ins counted per unknown address, per
client address and per trusted browser in one table (sign_in_throttle), replacing
unknown_sign_in (its rows are short-lived counters; dropping them loses nothing)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def _counter_table(name, key):
    op.create_table(
        name,
        sa.Column(key, sa.String(length=64), nullable=False),
        sa.Column('failed_logins', sa.Integer(), nullable=False),
        sa.Column('first_failed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('touched_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(key, name=op.f(f'pk_{name}')),
    )
    op.create_index(op.f(f'ix_{name}_touched_at'), name, ['touched_at'])


def upgrade():
    op.drop_index(op.f('ix_unknown_sign_in_touched_at'), table_name='unknown_sign_in')
    op.drop_table('unknown_sign_in')
    _counter_table('sign_in_throttle', 'key_digest')


def downgrade():
    op.drop_index(op.f('ix_sign_in_throttle_touched_at'), table_name='sign_in_throttle')
    op.drop_table('sign_in_throttle')
    _counter_table('unknown_sign_in', 'email_digest')

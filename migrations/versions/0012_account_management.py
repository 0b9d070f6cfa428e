"""accounts managed in the app: when each last signed in, accounts kept open past a term, and
failed sign-ins for unknown addresses counted in the database (not per process)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 11:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user') as batch:
        batch.add_column(sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('keep_open', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        'unknown_sign_in',
        sa.Column('email_digest', sa.String(length=64), nullable=False),
        sa.Column('failed_logins', sa.Integer(), nullable=False),
        sa.Column('first_failed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('touched_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('email_digest', name=op.f('pk_unknown_sign_in')),
    )
    op.create_index(op.f('ix_unknown_sign_in_touched_at'), 'unknown_sign_in', ['touched_at'])


def downgrade():
    op.drop_index(op.f('ix_unknown_sign_in_touched_at'), table_name='unknown_sign_in')
    op.drop_table('unknown_sign_in')
    with op.batch_alter_table('user') as batch:
        batch.drop_column('keep_open')
        batch.drop_column('last_sign_in_at')

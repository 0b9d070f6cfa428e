"""an outbox message can be withdrawn: its cause was gone when it came due, so it was never sent

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 06:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

BEFORE = "status IN ('pending', 'sending', 'sent', 'dead')"
AFTER = "status IN ('pending', 'sending', 'sent', 'dead', 'withdrawn')"


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_message_outbox_status'), type_='check')
        batch_op.create_check_constraint('outbox_status', AFTER)


def downgrade():
    # A withdrawn message was never sent; before this revision the nearest state is "dead".
    op.execute("UPDATE outbox_message SET status = 'dead' WHERE status = 'withdrawn'")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_message_outbox_status'), type_='check')
        batch_op.create_check_constraint('outbox_status', BEFORE)

"""confidential agenda items and papers (วาระลับ): a confidentiality on each, and "open" in the
audit trail for every download of a confidential paper

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

LEVELS = ('open', 'confidential', 'title_hidden')
ACTIONS_BEFORE = "action IN ('create', 'update', 'delete')"
ACTIONS_AFTER = "action IN ('create', 'update', 'delete', 'open')"
# The append-only triggers of migration 0004: SQLite rebuilds the table to change its CHECK,
# and a rebuilt table has no triggers, so they are dropped around the rebuild and put back.
SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
]
SQLITE_DROP_TRIGGERS = ["DROP TRIGGER IF EXISTS audit_entry_no_update", "DROP TRIGGER IF EXISTS audit_entry_no_delete"]


def _level_column():
    return sa.Column('confidentiality', sa.Enum(*LEVELS, name='confidentiality', native_enum=False,
                                                create_constraint=True, length=32),
                     server_default='open', nullable=False)


def _audit_actions(check: str) -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        for statement in SQLITE_DROP_TRIGGERS:
            op.execute(statement)
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_audit_entry_audit_action'), type_='check')
        batch_op.create_check_constraint('audit_action', check)
    if sqlite:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def upgrade():
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.add_column(_level_column())
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(_level_column())
    _audit_actions(ACTIONS_AFTER)


def downgrade():
    # An "open" entry cannot be removed (the trail is append-only), so the trail keeps its
    # check as it is; only the confidentiality columns go. Beware: code older than 0015 does
    # not know the "open" action, and fails to read a trail that holds one (the audit log and
    # `flask audit verify`); downgrade past 0015 only a database no confidential paper was
    # downloaded from.
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_document_confidentiality'), type_='check')
        batch_op.drop_column('confidentiality')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_agenda_item_confidentiality'), type_='check')
        batch_op.drop_column('confidentiality')

"""The audit trail: who changed which governance record, when, and how; append-only, hash-chained.

How an entry is written
  Mapper events on each audited model (``AUDITED``) note every row the unit of work
  inserts, updates or deletes, with each field's old and new value as text (secrets as
  "changed").  The session's ``after_flush`` then appends the notes as ``AuditEntry`` rows
  on the flush's own connection: the change and its entries commit together or not at all.
  Services and adapters do nothing for it; they only say who is acting (``set_actor`` /
  ``acting_as``; web, API and CLI adapters do).

The chain
  ``hash = sha256(prev_hash + canonical JSON of the entry)``, the first entry chaining
  onto ``GENESIS_HASH``.  ``audit_head`` (one row) holds the last hash and id.  An append
  reads the head with ``SELECT ... FOR UPDATE``, numbers its entries last id + 1, ...,
  and moves the head with a compare-and-set ``UPDATE ... WHERE hash = <the hash it read>``.
  On PostgreSQL the row lock queues concurrent appenders (the second waits for the first
  to commit, then reads the new head), so nobody is refused.  SQLite ignores FOR UPDATE,
  but it has one writer at a time and the head is read after the transaction's first write
  (the flushed change itself), so no other transaction can move the head in between.  The
  compare-and-set is the guard for anything else (another isolation level, a future path
  that reads the head unlocked): it refuses to fork the chain, raising ``AuditChainBusy``
  (409) and rolling the whole change back, rather than writing two entries on one parent.

Append-only
  ``before_flush`` refuses ORM changes to audit rows; ``do_orm_execute`` refuses bulk
  INSERT/UPDATE/DELETE statements on audit tables and on audited tables (a bulk statement
  skips the mapper events, so it would change a record without a trace); triggers in the
  database refuse UPDATE and DELETE on ``audit_entry`` whatever the path (see
  ``governance.models.audit``); ``verify_chain`` detects what is done around all of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum

import click
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, object_session

from governance import clock
from governance.extensions import db
from governance.models import (
    ActionItem,
    AgendaItem,
    ApiToken,
    AssessmentAnswer,
    AssessmentQuestion,
    AssessmentResponse,
    Attendance,
    AuditAction,
    AuditEntry,
    AuditHead,
    BudgetMonth,
    Director,
    DirectorCalendarFeed,
    Document,
    FiscalYearParameters,
    Meeting,
    MinisterialReport,
    Rsvp,
    SelfAssessment,
    User,
    WebsiteItem,
)
from governance.models.audit import GENESIS_HASH
from governance.models.kpi import Kpi, KpiFigure, KpiProgress, KpiSnapshot
from governance.services.errors import Conflict

#: what a secret field's value is recorded as (the value itself never is)
MASKED = "changed"


# --- what is audited ------------------------------------------------------------------

@dataclass(frozen=True)
class Policy:
    #: (record type, attribute holding its id): the record whose history also shows this one
    parent: tuple[str, str] | None = None
    #: fields whose values are never written down (only that they changed)
    secret: frozenset[str] = frozenset()
    #: fields that are machine bookkeeping, not evidence: a change to them alone is not recorded
    ignored: frozenset[str] = frozenset()


AUDITED: dict[type, Policy] = {
    Director: Policy(),
    # A replaced calendar-feed address shows in the director's history.
    DirectorCalendarFeed: Policy(parent=("director", "director_id")),
    Meeting: Policy(),
    Attendance: Policy(parent=("meeting", "meeting_id")),
    AgendaItem: Policy(parent=("meeting", "meeting_id")),
    ActionItem: Policy(parent=("agenda_item", "agenda_item_id")),
    Rsvp: Policy(parent=("meeting", "meeting_id")),
    # A meeting's documents show in the meeting's history (a report's have no parent there).
    Document: Policy(parent=("meeting", "meeting_id")),  # KPI evidence: see its update's history
    MinisterialReport: Policy(),
    BudgetMonth: Policy(),
    FiscalYearParameters: Policy(),
    Kpi: Policy(),
    KpiProgress: Policy(parent=("kpi", "kpi_id")),
    KpiFigure: Policy(parent=("kpi_progress", "progress_id")),
    KpiSnapshot: Policy(parent=("agenda_item", "agenda_item_id")),
    # The scheduler's daily URL check writes when it last looked and what it got: no evidence.
    WebsiteItem: Policy(ignored=frozenset({"last_checked_at", "last_check_status"})),
    SelfAssessment: Policy(),
    AssessmentQuestion: Policy(parent=("self_assessment", "assessment_id")),
    AssessmentResponse: Policy(parent=("self_assessment", "assessment_id")),
    AssessmentAnswer: Policy(parent=("assessment_response", "response_id")),
    # The failed-sign-in counter moves on every wrong password: bookkeeping, not evidence. A
    # lock-out (locked_until) and a password change are recorded as ordinary updates.
    User: Policy(secret=frozenset({"password_hash"}),
                 ignored=frozenset({"failed_logins", "first_failed_at", "last_sign_in_at"})),
    ApiToken: Policy(parent=("user", "user_id"), secret=frozenset({"token_hash"})),
}
#: tables nobody may change except by appending through this module
APPEND_ONLY_TABLES = frozenset({AuditEntry.__tablename__, AuditHead.__tablename__})
_AUDITED_TABLES = frozenset(model.__table__.name for model in AUDITED)


def records_by_id(wanted: dict[str, set[int]]) -> dict[tuple[str, int], object | None]:
    """The audited records named by type and id, None for those gone: one query per type, so a
    page of the trail that names them costs the same however many it names."""
    models = {model.__table__.name: model for model in AUDITED}
    found: dict[tuple[str, int], object | None] = {}
    for record_type, ids in wanted.items():
        model = models[record_type]
        loaded = {record.id: record for record in db.session.scalars(sa.select(model).where(model.id.in_(ids)))}
        found.update({(record_type, record_id): loaded.get(record_id) for record_id in ids})
    return found


def record_types() -> list[str]:
    return sorted(model.__table__.name for model in AUDITED)


class AuditLogIsAppendOnly(RuntimeError):
    """A code path tried to change or remove audit rows, or to bypass auditing (a bug)."""


class AuditChainBusy(Conflict):
    """The chain's head moved under this transaction: nothing was written; save again."""


# --- who is acting --------------------------------------------------------------------

@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str  # the user's email at the time, or "cli" / "system" / "anonymous"


CLI = Actor(None, "cli")
SYSTEM = Actor(None, "system")
ANONYMOUS = Actor(None, "anonymous")

#: a User, an Actor, a label, a callable returning one of these (resolved at flush), or None
_actor: ContextVar[object] = ContextVar("audit_actor", default=None)


def set_actor(actor: object) -> Token:
    """Who the changes that follow are by (adapters call this once per request or command)."""
    return _actor.set(actor)


def clear_actor() -> None:
    _actor.set(None)


@contextmanager
def acting_as(actor: object) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Actor:
    value = _actor.get()
    if callable(value):
        value = value()
    if value is None:
        # Nobody said: a `flask ...` command is "cli", a job or a bare service call "system".
        return CLI if click.get_current_context(silent=True) is not None else SYSTEM
    if isinstance(value, Actor):
        return value
    if isinstance(value, str):
        return Actor(None, value)
    return Actor(value.id, value.email)


# --- values as text -------------------------------------------------------------------

def as_text(value: object) -> str | None:
    """A column value as JSON-safe text (None stays None)."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _utc_text(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, dict | list):
        return canonical_json(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


def as_utc(moment: datetime) -> datetime:
    """A stored instant as aware UTC (SQLite hands back naive datetimes; every stored instant is UTC)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _utc_text(moment: datetime) -> str:
    return as_utc(moment).isoformat(timespec="microseconds")


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# --- noting changes as the unit of work makes them ------------------------------------

_PENDING = "audit.pending"
_ACTOR = "audit.actor"
_MISSING = object()


@dataclass
class _Note:
    action: AuditAction
    record_type: str
    record_id: str
    parent_type: str | None
    parent_id: str | None
    changes: list[dict] = field(default_factory=list)


def _policy(target) -> Policy:
    return AUDITED[type(target)]


def _fields(mapper: Mapper) -> list:
    """Column attributes worth recording: not the primary key, not the version counter."""
    skip = {column.key for column in mapper.primary_key}
    if mapper.version_id_col is not None:
        skip.add(mapper.get_property_by_column(mapper.version_id_col).key)
    return [prop for prop in mapper.column_attrs if prop.key not in skip]


def _stored(connection: sa.Connection, mapper: Mapper, target, keys: list[str]) -> dict:
    """Current database values of ``keys`` for ``target`` (attributes the session had not loaded)."""
    if not keys:
        return {}
    columns = [mapper.get_property(key).columns[0] for key in keys]
    where = [column == value for column, value in zip(mapper.primary_key, mapper.primary_key_from_instance(target),
                                                        strict=True)]
    row = connection.execute(sa.select(*columns).where(*where)).first()
    return dict(zip(keys, row, strict=True)) if row is not None else {}


def _values(connection: sa.Connection, mapper: Mapper, target) -> dict:
    state = sa.inspect(target)
    props = _fields(mapper)
    values = {prop.key: state.dict.get(prop.key, _MISSING) for prop in props}
    values.update(_stored(connection, mapper, target, [k for k, v in values.items() if v is _MISSING]))
    return values


def _note(mapper: Mapper, connection: sa.Connection, target, action: AuditAction, changes: list[dict],
          values: dict | None = None) -> None:
    session = object_session(target)
    if session is None:
        return
    policy = _policy(target)
    parent_type = parent_id = None
    if policy.parent is not None:
        parent_type, attribute = policy.parent
        parent_value = (values or {}).get(attribute, sa.inspect(target).dict.get(attribute, _MISSING))
        if parent_value is _MISSING:  # not loaded: read it, never lazy-load inside a flush
            parent_value = _stored(connection, mapper, target, [attribute]).get(attribute)
        parent_id = None if parent_value is None else str(parent_value)
    record_id = "/".join(str(part) for part in mapper.primary_key_from_instance(target))
    session.info.setdefault(_PENDING, []).append(
        _Note(action, mapper.local_table.name, record_id, parent_type, parent_id, changes))


def _after_insert(mapper: Mapper, connection: sa.Connection, target) -> None:
    policy = _policy(target)
    values = _values(connection, mapper, target)
    changes = [{"field": key, "old": None, "new": MASKED if key in policy.secret else as_text(value)}
               for key, value in values.items() if value is not None and key not in policy.ignored]
    _note(mapper, connection, target, AuditAction.CREATE, changes, values)


def _before_update(mapper: Mapper, connection: sa.Connection, target) -> None:
    policy = _policy(target)
    state = sa.inspect(target)
    changed: dict[str, tuple[object, object]] = {}
    unknown_old: list[str] = []
    for prop in _fields(mapper):
        if prop.key in policy.ignored:
            continue
        history = state.attrs[prop.key].history
        if not history.added:
            continue
        old = history.deleted[0] if history.deleted else _MISSING
        if old is _MISSING:
            unknown_old.append(prop.key)  # set without being loaded first
        changed[prop.key] = (old, history.added[0])
    stored = _stored(connection, mapper, target, unknown_old)
    changes = []
    for key, (old, new) in changed.items():
        old = stored.get(key) if old is _MISSING else old
        if old == new:
            continue
        if key in policy.secret:
            changes.append({"field": key, "old": None, "new": MASKED})
        else:
            changes.append({"field": key, "old": as_text(old), "new": as_text(new)})
    if changes:
        _note(mapper, connection, target, AuditAction.UPDATE, changes)


def _before_delete(mapper: Mapper, connection: sa.Connection, target) -> None:
    policy = _policy(target)
    values = _values(connection, mapper, target)
    changes = [{"field": key, "old": as_text(value), "new": None}
               for key, value in values.items()
               if value is not None and key not in policy.secret and key not in policy.ignored]
    _note(mapper, connection, target, AuditAction.DELETE, changes, values)


# --- session hooks --------------------------------------------------------------------

def _before_flush(session: Session, _flush_context, _instances) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, AuditEntry | AuditHead):
            raise AuditLogIsAppendOnly("audit log is append-only: entries are written only by the audit service")
    session.info[_PENDING] = []
    with session.no_autoflush:
        session.info[_ACTOR] = current_actor()


def _after_flush(session: Session, _flush_context) -> None:
    notes = session.info.pop(_PENDING, None)
    actor = session.info.pop(_ACTOR, None) or current_actor()
    if notes:
        append(session.connection(bind_arguments={"mapper": sa.inspect(AuditEntry)}), notes, actor, clock.now())


def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    name = getattr(getattr(state.statement, "table", None), "name", None)
    if name in APPEND_ONLY_TABLES:
        raise AuditLogIsAppendOnly(f"audit log is append-only: no bulk statement may change {name}")
    if name in _AUDITED_TABLES:
        raise AuditLogIsAppendOnly(f"a bulk statement on {name} would change records without an audit entry; "
                                   "change them through the session (add, set attributes, delete)")


def install() -> None:
    """Register the audit hooks on the app's session and the audited models (idempotent)."""
    hooks: list[tuple[object, str, Callable]] = [
        (db.session, "before_flush", _before_flush),
        (db.session, "after_flush", _after_flush),
        (db.session, "do_orm_execute", _refuse_bulk_changes),
    ]
    for model in AUDITED:
        hooks += [(model, "after_insert", _after_insert), (model, "before_update", _before_update),
                  (model, "before_delete", _before_delete)]
    for target, name, function in hooks:
        if not sa.event.contains(target, name, function):
            sa.event.listen(target, name, function)


# --- appending to the chain -----------------------------------------------------------

_ENTRY = AuditEntry.__table__
_HEAD = AuditHead.__table__


def entry_content(row) -> dict:
    """What an entry's hash covers: everything but the hashes themselves."""
    return {
        "id": row["id"],
        "recorded_at": _utc_text(row["recorded_at"]),
        "actor_user_id": row["actor_user_id"],
        "actor": row["actor"],
        "action": str(row["action"]),
        "record_type": row["record_type"],
        "record_id": row["record_id"],
        "parent_type": row["parent_type"],
        "parent_id": row["parent_id"],
        "changes": row["changes"],
    }


def entry_hash(prev_hash: str, content: dict) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


def append(connection: sa.Connection, notes: list[_Note], actor: Actor, now: datetime) -> None:
    """Write ``notes`` as the next entries of the chain, in the caller's transaction."""
    head_hash, last_id = _lock_head(connection)
    prev_hash, rows = head_hash, []
    for note in notes:
        last_id += 1
        row = {
            "id": last_id, "recorded_at": now, "actor_user_id": actor.user_id, "actor": actor.label[:254],
            "action": note.action, "record_type": note.record_type, "record_id": note.record_id,
            "parent_type": note.parent_type, "parent_id": note.parent_id, "changes": note.changes,
        }
        row["prev_hash"] = prev_hash
        row["hash"] = prev_hash = entry_hash(prev_hash, entry_content(row))
        rows.append(row)
    moved = connection.execute(
        sa.update(_HEAD).where(_HEAD.c.id == 1, _HEAD.c.hash == head_hash).values(hash=prev_hash, entry_id=last_id)
    ).rowcount
    if moved != 1:
        raise AuditChainBusy(_l("Another change was being recorded at the same moment; nothing was saved. "
                                "Please save again."))
    connection.execute(sa.insert(_ENTRY), rows)


def record_open(record, parent: tuple[str, object] | None = None) -> None:
    """An "open" entry: the current actor read ``record`` (a confidential paper), appended in the
    caller's transaction like any change, so the reading is on the same tamper-evident chain."""
    mapper = sa.inspect(type(record))
    record_id = "/".join(str(part) for part in mapper.primary_key_from_instance(record))
    parent_type, parent_id = parent if parent is not None else (None, None)
    note = _Note(AuditAction.OPEN, mapper.local_table.name, record_id, parent_type,
                 None if parent_id is None else str(parent_id))
    connection = db.session.connection(bind_arguments={"mapper": sa.inspect(AuditEntry)})
    append(connection, [note], current_actor(), clock.now())


def _lock_head(connection: sa.Connection) -> tuple[str, int]:
    select_head = sa.select(_HEAD.c.hash, _HEAD.c.entry_id).where(_HEAD.c.id == 1).with_for_update()
    head = connection.execute(select_head).first()
    if head is None:
        # The first append (or a head lost in a restore): start where the entries end.
        last = connection.execute(sa.select(_ENTRY.c.hash, _ENTRY.c.id).order_by(_ENTRY.c.id.desc()).limit(1)).first()
        values = {"id": 1, "hash": last.hash if last else GENESIS_HASH, "entry_id": last.id if last else 0}
        dialect = connection.dialect.name
        if dialect in ("sqlite", "postgresql"):
            insert = (sqlite.insert(_HEAD) if dialect == "sqlite" else postgresql.insert(_HEAD))
            connection.execute(insert.values(**values).on_conflict_do_nothing(index_elements=["id"]))
        else:
            connection.execute(sa.insert(_HEAD).values(**values))
        head = connection.execute(select_head).one()
    return head.hash, head.entry_id


# --- verifying the chain --------------------------------------------------------------

@dataclass(frozen=True)
class ChainReport:
    entries: int
    head_hash: str
    #: None when the chain is intact; else the first entry that breaks it and why
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


_SELECT_VERSION = sa.select(_HEAD.c.hash).where(_HEAD.c.id == 1)


def data_version() -> str | None:
    """A name for the current state of every governance record: the chain's head hash.

    Every change to an audited record appends to the chain in its own transaction, so the
    hash moves with any change a page could show, and never returns to an earlier value
    with other data behind it (it covers the whole history).  None while the head row is
    missing (a fresh database or a restore in progress): then nothing may be reused.
    """
    # On the session's connection (same transaction), without the ORM's result handling.
    return db.session.connection().execute(_SELECT_VERSION).scalar()


def verify_chain(batch: int = 1000) -> ChainReport:
    """Walk every entry in order: numbering, link to the previous hash, and its own hash."""
    connection = db.session.connection()
    expected_prev, expected_id, count = GENESIS_HASH, 1, 0
    after = 0
    while True:
        rows = connection.execute(
            sa.select(_ENTRY).where(_ENTRY.c.id > after).order_by(_ENTRY.c.id).limit(batch)).mappings().all()
        if not rows:
            break
        for row in rows:
            if row["id"] != expected_id:
                return ChainReport(count, expected_prev, row["id"],
                                   f"entries {expected_id}..{row['id'] - 1} are missing before it")
            if row["prev_hash"] != expected_prev:
                return ChainReport(count, expected_prev, row["id"], "it does not link to the previous entry's hash")
            if entry_hash(row["prev_hash"], entry_content(row)) != row["hash"]:
                return ChainReport(count, expected_prev, row["id"], "its content does not match its hash")
            expected_prev, expected_id, count = row["hash"], row["id"] + 1, count + 1
        after = rows[-1]["id"]
    head = connection.execute(sa.select(_HEAD.c.hash, _HEAD.c.entry_id).where(_HEAD.c.id == 1)).first()
    if head is not None and (head.entry_id, head.hash) != (expected_id - 1, expected_prev):
        return ChainReport(count, expected_prev, head.entry_id,
                           f"the chain's head names entry {head.entry_id}, but the entries end at {expected_id - 1}")
    return ChainReport(count, expected_prev)


# --- reading ------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditQuery:
    record_type: str | None = None
    record_id: str | None = None
    #: part of the actor's email, or "cli" / "system"
    actor: str | None = None
    #: Thailand days, inclusive
    since: date | None = None
    until: date | None = None


def search(query: AuditQuery, page: int = 1, per_page: int = 50):
    """One page of entries matching ``query``, newest first (Flask-SQLAlchemy's Pagination)."""
    statement = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    if query.record_type:
        statement = statement.where(AuditEntry.record_type == query.record_type)
    if query.record_id:
        statement = statement.where(AuditEntry.record_id == query.record_id.strip())
    if query.actor:
        statement = statement.where(sa.func.lower(AuditEntry.actor).contains(query.actor.strip().lower(),
                                                                             autoescape=True))
    if query.since:
        statement = statement.where(AuditEntry.recorded_at >= _start_of(query.since))
    if query.until:
        statement = statement.where(AuditEntry.recorded_at < _start_of(query.until + timedelta(days=1)))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def history(record_type: str, record_id: object, limit: int = 100) -> list[AuditEntry]:
    """The record's entries and those of the records that belong to it, newest first."""
    record_id = str(record_id)
    return list(db.session.scalars(
        sa.select(AuditEntry)
        .where(sa.or_(sa.and_(AuditEntry.record_type == record_type, AuditEntry.record_id == record_id),
                      sa.and_(AuditEntry.parent_type == record_type, AuditEntry.parent_id == record_id)))
        .order_by(AuditEntry.id.desc())
        .limit(limit)))


def _start_of(day: date) -> datetime:
    """Midnight in Thailand, as the UTC instant entries are stored in."""
    return datetime.combine(day, time(), tzinfo=clock.BANGKOK).astimezone(UTC)

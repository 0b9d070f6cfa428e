"""Confidential agenda items and papers (วาระลับ): who may read them, and who did.

The rule, for a confidential agenda item or meeting document:
- its content (the papers' files, the item's resolution and action items) is for the
  directors in office on the meeting's day and for the secretariat (admin, secretary);
- everyone else who may read the meeting (auditors, directors of other terms) sees that it
  exists, its title unless the title itself is hidden, and who opened its papers;
- a paper is as closed as the more closed of itself and its agenda item.

Every download of a confidential paper is an "open" entry on the audit trail, so the record
of who read a paper is append-only and hash-chained like the record of who changed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from governance.extensions import db
from governance.models import (
    ActionItem,
    AgendaItem,
    AuditAction,
    AuditEntry,
    Confidentiality,
    Director,
    Document,
    Meeting,
    Role,
    User,
)
from governance.services import audit, documents
from governance.services.errors import Forbidden

#: who keeps the board's papers and so reads every one of them
SECRETARIAT = frozenset({Role.ADMIN, Role.SECRETARY})


@dataclass(frozen=True)
class Reader:
    """Who is reading: as much of a signed-in user as the rule needs."""

    secretariat: bool = False
    #: the roster entry of a signed-in director (None for every other role)
    director: Director | None = None

    @classmethod
    def of(cls, user: User | None) -> Reader:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls()
        return cls(secretariat=user.role in SECRETARIAT,
                   director=user.director if user.role is Role.DIRECTOR else None)

    def entitled(self, meeting: Meeting | None) -> bool:
        """May read the confidential content of ``meeting``: its directors and the secretariat."""
        if self.secretariat:
            return True
        return meeting is not None and self.director is not None and self.director.in_office_on(meeting.held_on)

    def reads_item(self, item: AgendaItem) -> bool:
        """Sees the item's resolution, action items and papers' files."""
        return item.confidentiality is Confidentiality.OPEN or self.entitled(item.meeting)

    def sees_title(self, item: AgendaItem) -> bool:
        return item.confidentiality is not Confidentiality.TITLE_HIDDEN or self.entitled(item.meeting)

    def reads_action(self, action: ActionItem) -> bool:
        """An action item is as confidential as the item whose resolution assigned it."""
        return self.reads_item(action.agenda_item)

    def may_open(self, document: Document) -> bool:
        return document.access_level is Confidentiality.OPEN or self.entitled(document.meeting)

    def sees_name(self, document: Document) -> bool:
        return document.access_level is not Confidentiality.TITLE_HIDDEN or self.entitled(document.meeting)


def open_document(document_id: int, user: User | None) -> Document:
    """The document, for ``user`` to download; a confidential one only for those entitled,
    and its opening written to the audit trail (the caller commits it with the download)."""
    document = documents.get_document(document_id)
    if not Reader.of(user).may_open(document):
        raise Forbidden(_l("This paper is confidential: only the directors in office on the day of meeting "
                           "%(number)s and the secretariat may open it.", number=document.meeting.number))
    if document.access_level is not Confidentiality.OPEN:
        audit.record_open(document, parent=("meeting", document.meeting_id))
    return document


@dataclass(frozen=True)
class Opening:
    """Someone downloaded a confidential paper."""

    who: str  # their sign-in address at the time
    at: datetime


def openings(document_ids: list[int]) -> dict[int, list[Opening]]:
    """Who opened each of ``document_ids``, first opening first (one query)."""
    found: dict[int, list[Opening]] = {document_id: [] for document_id in document_ids}
    if document_ids:
        entries = db.session.execute(
            sa.select(AuditEntry.record_id, AuditEntry.actor, AuditEntry.recorded_at)
            .where(AuditEntry.action == AuditAction.OPEN, AuditEntry.record_type == Document.__tablename__,
                   AuditEntry.record_id.in_([str(i) for i in document_ids]))
            .order_by(AuditEntry.id))
        for record_id, who, at in entries:
            found[int(record_id)].append(Opening(who, audit.as_utc(at)))
    return found


def hidden_fields(entries: list[AuditEntry], reader: Reader) -> dict[int, frozenset[str]]:
    """For the audit trail's pages: which fields of which entries ``reader`` may not see.

    The trail itself keeps every value (its hash covers them); the pages leave out, for anyone
    not entitled, the resolution of a confidential item and the titles of its action items, the
    title of an item whose title is hidden, and the name of a paper whose name is hidden. A
    removed item or paper is judged by the strictest level its entries ever recorded; a removed
    action item's words are left out for everyone outside the secretariat, as its item is unknown.
    """
    if reader.secretariat:
        return {}
    items = _current(AgendaItem, entries)
    actions = _current(ActionItem, entries)
    papers = _current(Document, entries)
    recorded = _recorded_levels([e for e in entries if e.record_type in ("agenda_item", "document")
                                 and _id(e) not in (items if e.record_type == "agenda_item" else papers)])
    hidden: dict[int, frozenset[str]] = {}
    for entry in entries:
        record_id = _id(entry)
        if entry.record_type == "agenda_item":
            fields = _item_fields(items.get(record_id), recorded.get(("agenda_item", record_id)), reader)
        elif entry.record_type == "document":
            fields = _paper_fields(papers.get(record_id), recorded.get(("document", record_id)), reader)
        elif entry.record_type == "action_item":
            action = actions.get(record_id)
            fields = frozenset() if action is not None and reader.reads_action(action) else frozenset({"title"})
        else:
            continue
        if fields:
            hidden[entry.id] = fields
    return hidden


def _id(entry: AuditEntry) -> int | None:
    return int(entry.record_id) if entry.record_id.isdigit() else None


def _current(model, entries: list[AuditEntry]) -> dict[int, object]:
    ids = {_id(e) for e in entries if e.record_type == model.__tablename__} - {None}
    return {row.id: row for row in _load(model, ids)}


def _recorded_levels(entries: list[AuditEntry]) -> dict[tuple[str, int | None], Confidentiality]:
    """The strictest confidentiality each removed record's whole history recorded; a removed
    paper is also as closed as its agenda item was."""
    levels, item_of = _history_levels({(e.record_type, e.record_id) for e in entries})
    items = {item_id for item_id in item_of.values() if item_id is not None}
    current = {i.id: i.confidentiality for i in _load(AgendaItem, items)}
    removed, _ = _history_levels({("agenda_item", str(i)) for i in items - current.keys()})
    for key, item_id in item_of.items():
        item_level = current.get(item_id) or removed.get(("agenda_item", item_id))
        levels[key] = Confidentiality.stricter(levels.get(key), item_level)
    return levels


def _history_levels(keys: set[tuple[str, str]]) -> tuple[dict, dict]:
    """From the trail of ``keys``: each record's strictest recorded level, and a paper's item."""
    levels: dict[tuple[str, int | None], Confidentiality] = {}
    item_of: dict[tuple[str, int | None], int | None] = {}
    if not keys:
        return levels, item_of
    history = db.session.execute(
        sa.select(AuditEntry.record_type, AuditEntry.record_id, AuditEntry.changes)
        .where(sa.tuple_(AuditEntry.record_type, AuditEntry.record_id).in_(list(keys))))
    for record_type, record_id, changes in history:
        key = (record_type, int(record_id) if record_id.isdigit() else None)
        for change in changes:
            values = [change.get("old"), change.get("new")]
            if change.get("field") == "confidentiality":
                levels[key] = Confidentiality.stricter(
                    levels.get(key), *(Confidentiality(v) for v in values if v in Confidentiality._value2member_map_))
            elif change.get("field") == "agenda_item_id" and record_type == "document":
                item_of[key] = next((int(v) for v in values if v and v.isdigit()), item_of.get(key))
    return levels, item_of


def _load(model, ids: set[int]) -> list:
    return list(db.session.scalars(sa.select(model).where(model.id.in_(ids)))) if ids else []


def _item_fields(item: AgendaItem | None, recorded: Confidentiality | None, reader: Reader) -> frozenset[str]:
    if item is not None:
        if reader.reads_item(item):
            return frozenset() if reader.sees_title(item) else frozenset({"title"})
        return frozenset({"resolution"}) if reader.sees_title(item) else frozenset({"title", "resolution"})
    return _closed(recorded, name="title", content={"resolution"})


def _paper_fields(paper: Document | None, recorded: Confidentiality | None, reader: Reader) -> frozenset[str]:
    if paper is not None:
        return frozenset() if reader.sees_name(paper) else frozenset({"filename"})
    return _closed(recorded, name="filename", content=set())


def _closed(level: Confidentiality | None, *, name: str, content: set[str]) -> frozenset[str]:
    if level is Confidentiality.TITLE_HIDDEN:
        return frozenset({name, *content})
    if level is Confidentiality.CONFIDENTIAL:
        return frozenset(content)
    return frozenset()

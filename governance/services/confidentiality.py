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


def open_document(document_id: int, user: User | None, *, sends_file: bool = True) -> Document:
    """The document, for ``user`` to download; a confidential one only for those entitled,
    and its opening written to the audit trail (the caller commits it with the download).
    ``sends_file``: False when no bytes leave (a HEAD request), which is checked, not recorded."""
    document = documents.get_document(document_id)
    if not Reader.of(user).may_open(document):
        raise Forbidden(_l("This paper is confidential: only the directors in office on the day of meeting "
                           "%(number)s and the secretariat may open it.", number=document.meeting.number))
    if sends_file and document.access_level is not Confidentiality.OPEN:
        audit.record_open(document, parent=("meeting", document.meeting_id))
    return document


@dataclass(frozen=True)
class Opening:
    """Someone downloaded a confidential paper."""

    who: str  # their sign-in address at the time
    at: datetime


def openings(papers: list[Document]) -> dict[int, list[Opening]]:
    """Who opened each of ``papers``, first opening first (one query). Only openings since its
    upload count: an opening of a removed paper whose id SQLite gave to this one is not this one's."""
    found: dict[int, list[Opening]] = {paper.id: [] for paper in papers}
    uploaded = {paper.id: audit.as_utc(paper.uploaded_at) for paper in papers}
    if papers:
        entries = db.session.execute(
            sa.select(AuditEntry.record_id, AuditEntry.actor, AuditEntry.recorded_at)
            .where(AuditEntry.action == AuditAction.OPEN, AuditEntry.record_type == Document.__tablename__,
                   AuditEntry.record_id.in_([str(paper.id) for paper in papers]))
            .order_by(AuditEntry.id))
        for record_id, who, at in entries:
            if audit.as_utc(at) >= uploaded[int(record_id)]:
                found[int(record_id)].append(Opening(who, audit.as_utc(at)))
    return found


#: for the audit pages, by record type: the field that names the record, and its content fields
_WITHHELD = {
    "agenda_item": ("title", frozenset({"resolution"})),
    "document": ("filename", frozenset()),
}


def hidden_fields(entries: list[AuditEntry], reader: Reader) -> dict[int, frozenset[str]]:
    """For the audit trail's pages: which fields of which entries ``reader`` may not see.

    The trail itself keeps every value (its hash covers them). Only the secretariat and
    auditors read it, so anyone else is judged as an auditor is, never entitled: a value is
    withheld when its record was ever closed, by its level now or by any level its history
    recorded, and a paper or an action item also by every agenda item its history names. So an
    item opened up later, or a new record that SQLite gave a removed one's id, reveals nothing
    that was hidden. An action item whose agenda item is unknown stays withheld.
    """
    if reader.secretariat:
        return {}
    closable = [e for e in entries if e.record_type in (*_WITHHELD, "action_item")]
    levels = _strictest_levels({(e.record_type, e.record_id) for e in closable})
    hidden: dict[int, frozenset[str]] = {}
    for entry in closable:
        fields = _withheld(entry.record_type, levels.get((entry.record_type, entry.record_id)))
        if fields:
            hidden[entry.id] = fields
    return hidden


def _withheld(record_type: str, level: Confidentiality | None) -> frozenset[str]:
    if record_type == "action_item":  # its words are its agenda item's content
        return frozenset() if level is Confidentiality.OPEN else frozenset({"title"})
    name, content = _WITHHELD[record_type]
    if level is Confidentiality.TITLE_HIDDEN:
        return frozenset({name, *content})
    return content if level is Confidentiality.CONFIDENTIAL else frozenset()


Key = tuple[str, str]  # (record type, record id) as the trail names a record


def _strictest_levels(keys: set[Key]) -> dict[Key, Confidentiality]:
    """Each record's strictest level, now and in its whole history, its agenda items' included."""
    levels, items_of = _levels_now_and_before(keys)
    item_levels, _ = _levels_now_and_before({("agenda_item", str(i)) for ids in items_of.values() for i in ids})
    for key, item_ids in items_of.items():
        levels[key] = Confidentiality.stricter(levels.get(key),
                                               *(item_levels.get(("agenda_item", str(i))) for i in item_ids))
    return levels


def _levels_now_and_before(keys: set[Key]) -> tuple[dict[Key, Confidentiality], dict[Key, set[int]]]:
    """Per record: the strictest level its current row and its trail hold, and the agenda items
    (a paper's or an action item's) either names."""
    levels: dict[Key, Confidentiality] = {}
    items_of: dict[Key, set[int]] = {}
    if not keys:
        return levels, items_of
    for record_type, record_id, changes in db.session.execute(
            sa.select(AuditEntry.record_type, AuditEntry.record_id, AuditEntry.changes)
            .where(sa.tuple_(AuditEntry.record_type, AuditEntry.record_id).in_(list(keys)))):
        key = (record_type, record_id)
        for change in changes:
            values = [v for v in (change.get("old"), change.get("new")) if v is not None]
            if change.get("field") == "confidentiality":
                levels[key] = Confidentiality.stricter(
                    levels.get(key), *(Confidentiality(v) for v in values if v in Confidentiality._value2member_map_))
            elif change.get("field") == "agenda_item_id":
                items_of.setdefault(key, set()).update(int(v) for v in values if v.isdigit())
    for key, level, item_id in _current_rows(keys):
        levels[key] = Confidentiality.stricter(levels.get(key), level)
        if item_id is not None:
            items_of.setdefault(key, set()).add(item_id)
    return levels, items_of


def _current_rows(keys: set[Key]):
    """(key, level, agenda item id) of each of ``keys`` that still exists."""
    def ids(kind: str) -> list[int]:
        return [int(i) for t, i in keys if t == kind and i.isdigit()]
    queries = [
        ("agenda_item", sa.select(AgendaItem.id, AgendaItem.confidentiality, sa.null()).where(
            AgendaItem.id.in_(ids("agenda_item")))),
        ("document", sa.select(Document.id, Document.confidentiality, Document.agenda_item_id).where(
            Document.id.in_(ids("document")))),
        ("action_item", sa.select(ActionItem.id, sa.null(), ActionItem.agenda_item_id).where(
            ActionItem.id.in_(ids("action_item")))),
    ]
    for kind, query in queries:
        if ids(kind):
            for row_id, level, item_id in db.session.execute(query):
                yield (kind, str(row_id)), level, item_id

"""Search across the board's records: meetings, agenda items and their resolutions, action
items, documents and directors.

Thai is written without spaces between words, so a word is found anywhere inside a text
(a substring, ``LIKE '%word%'``), never by splitting on spaces.  Several words must each be
found (in any of the record's fields).  What a reader may not see is never searched for
them: a confidential item's resolution, action items and papers, and a hidden title, are
matched only for readers entitled to them (``confidentiality.Reader``), so a hit cannot
reveal that a closed text holds a word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from governance.extensions import db
from governance.models import ActionItem, AgendaItem, Director, Document, Meeting
from governance.services.confidentiality import Reader

#: shorter queries match nearly everything in Thai (one consonant is in most words)
MIN_LENGTH = 2
MAX_LENGTH = 100
#: hits shown per kind of record (the page says when there are more)
LIMIT = 25


@dataclass
class Results:
    query: str
    words: list[str]
    meetings: list[Meeting] = field(default_factory=list)
    agenda_items: list[AgendaItem] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    directors: list[Director] = field(default_factory=list)
    #: kinds that had more than LIMIT hits
    truncated: set[str] = field(default_factory=set)

    @property
    def count(self) -> int:
        return sum(len(hits) for hits in (self.meetings, self.agenda_items, self.action_items,
                                          self.documents, self.directors))


def words_of(query: str) -> list[str]:
    """The words to find: split on spaces (a Thai phrase without spaces is one word)."""
    text = " ".join((query or "").split())[:MAX_LENGTH]
    return [word for word in text.split(" ") if word] if len(text) >= MIN_LENGTH else []


def search(query: str, reader: Reader) -> Results:
    words = words_of(query)
    results = Results(query=" ".join(words), words=words)
    if not words:
        return results
    def found(kind, model, columns, order, options=(), visible=lambda record: True):
        rows = [row for row in _find(model, columns, words, order=order, options=options) if visible(row)]
        if len(rows) > LIMIT:
            results.truncated.add(kind)
        return rows[:LIMIT]

    results.meetings = found("meetings", Meeting, (Meeting.number, Meeting.title, Meeting.place),
                             order=(Meeting.held_on.desc(), Meeting.id.desc()))
    results.agenda_items = found("agenda_items", AgendaItem, (AgendaItem.title, AgendaItem.resolution),
                                 order=(AgendaItem.id.desc(),), options=(selectinload(AgendaItem.meeting),),
                                 visible=lambda item: _item_matches_for(reader, item, words))
    results.action_items = found("action_items", ActionItem, (ActionItem.title, ActionItem.owner),
                                 order=(ActionItem.due_on.desc(), ActionItem.id.desc()),
                                 options=(selectinload(ActionItem.agenda_item).selectinload(AgendaItem.meeting),),
                                 visible=reader.reads_action)
    results.documents = found("documents", Document, (Document.filename,),
                              order=(Document.uploaded_at.desc(), Document.id.desc()),
                              options=(selectinload(Document.meeting),), visible=reader.sees_name)
    results.directors = found("directors", Director, (Director.name,), order=(Director.name,))
    return results


def _find(model, columns, words: list[str], *, order, options=()) -> list:
    """Rows where every word is inside one of ``columns`` (case folded for Latin letters); more
    than are shown, since the caller drops those this reader may not see."""
    def holds(word: str):
        return sa.or_(*(sa.func.lower(column).contains(word.lower(), autoescape=True) for column in columns))
    query = sa.select(model).where(*(holds(word) for word in words)).order_by(*order).options(*options)
    return list(db.session.scalars(query.limit(LIMIT * 4)))


def _item_matches_for(reader: Reader, item: AgendaItem, words: list[str]) -> bool:
    """Whether the item is a hit in what this reader may read of it: its title if they see it,
    its resolution if they read the item."""
    readable = []
    if reader.sees_title(item):
        readable.append(item.title)
    if reader.reads_item(item) and item.resolution:
        readable.append(item.resolution)
    text = " ".join(readable).lower()
    return bool(readable) and all(word.lower() in text for word in words)

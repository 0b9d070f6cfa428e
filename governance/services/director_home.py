"""A director's own page: what is theirs to do, as of a date.

Their next meetings (with their answer, the papers and the items the board must decide),
the action items a resolution gave them, their self-assessment for the year, their
calendar feed and the last messages the app sent them. Read only; each part is one query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from governance import fiscal
from governance.extensions import db
from governance.indicators.vocabulary import MeetingStatus
from governance.models import (
    ActionItem,
    AgendaItem,
    AgendaSection,
    Director,
    Document,
    Meeting,
    OutboxMessage,
    Rsvp,
    SelfAssessment,
    User,
)
from governance.services import calendars, documents

#: the agenda sections where the board decides, so a director must read and make up their mind
DECISION_SECTIONS = (AgendaSection.PREVIOUS_MINUTES, AgendaSection.FOR_CONSIDERATION)
#: how many meetings ahead and messages back the page shows
MEETINGS_SHOWN = 5
MESSAGES_SHOWN = 10

# Titles a roster name or an action item's owner may carry ("นายสมชาย ใจดี", "ดร. สมชาย ใจดี"):
# the owner names the director whether or not either text writes the title.
_TITLES = re.compile(r"^(?:นางสาว|นาย|นาง|ดร\.|ศ\.|รศ\.|ผศ\.|mrs\.?|mr\.?|ms\.?|dr\.?)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class NextMeeting:
    meeting: Meeting
    answer: Rsvp | None
    papers: list[Document]
    to_decide: list[AgendaItem]


@dataclass(frozen=True)
class OwnAssessment:
    fiscal_year: int
    assessment: SelfAssessment | None
    submitted_on: date | None

    @property
    def closing_on(self) -> date | None:
        return self.assessment.closing_on if self.assessment else None

    def is_closed(self, as_of: date) -> bool:
        return self.closing_on is not None and as_of > self.closing_on


@dataclass(frozen=True)
class DirectorHome:
    director: Director
    as_of: date
    meetings: list[NextMeeting]
    action_items: list[ActionItem]
    assessment: OwnAssessment
    messages: list[OutboxMessage]
    feed_url: str


def home_of(director: Director, account: User | None, as_of: date) -> DirectorHome:
    return DirectorHome(
        director=director,
        as_of=as_of,
        meetings=next_meetings(director, as_of),
        action_items=own_action_items(director),
        assessment=own_assessment(director, as_of),
        messages=last_messages({director.email, account.email if account else None}),
        feed_url=calendars.director_feed_url(director),
    )


def next_meetings(director: Director, as_of: date) -> list[NextMeeting]:
    """Planned meetings from ``as_of`` on, on days the director is in office (who is invited)."""
    planned = db.session.scalars(
        sa.select(Meeting).where(Meeting.status == MeetingStatus.PLANNED, Meeting.held_on >= as_of)
        .options(selectinload(Meeting.rsvps), selectinload(Meeting.agenda_items))
        .order_by(Meeting.held_on, Meeting.starts_at, Meeting.id))
    invited = [m for m in planned if director.in_office_on(m.held_on)][:MEETINGS_SHOWN]
    papers = documents.meetings_documents([m.id for m in invited])
    return [NextMeeting(
        meeting=m,
        answer=next((r for r in m.rsvps if r.director_id == director.id), None),
        papers=papers.get(m.id, []),
        to_decide=[i for i in m.agenda_items if i.section in DECISION_SECTIONS],
    ) for m in invited]


def names_director(owner: str, director: Director) -> bool:
    """Whether an action item's owner (free text: a person or a unit) names this director."""
    name = _plain(director.name)
    return bool(name) and name in _plain(owner)


def _plain(text: str) -> str:
    words = " ".join(text.split()).casefold()
    return _TITLES.sub("", words)


def own_action_items(director: Director) -> list[ActionItem]:
    """Open action items whose owner names the director, soonest due first."""
    open_items = db.session.scalars(
        sa.select(ActionItem).where(ActionItem.done_on.is_(None))
        .options(joinedload(ActionItem.agenda_item).joinedload(AgendaItem.meeting))
        .order_by(ActionItem.due_on, ActionItem.id))
    return [item for item in open_items if names_director(item.owner, director)]


def own_assessment(director: Director, as_of: date) -> OwnAssessment:
    """The self-assessment of ``as_of``'s fiscal year, and whether the director has sent theirs."""
    year = fiscal.fiscal_year_of(as_of)
    assessment = db.session.scalar(
        sa.select(SelfAssessment).where(SelfAssessment.fiscal_year == year)
        .options(selectinload(SelfAssessment.responses)))
    submitted = next((r.submitted_on for r in assessment.responses if r.director_id == director.id), None) \
        if assessment else None
    return OwnAssessment(fiscal_year=year, assessment=assessment, submitted_on=submitted)


def last_messages(addresses: set[str | None]) -> list[OutboxMessage]:
    """The latest messages to the director's addresses (roster and sign-in), newest first."""
    wanted = sorted({a.strip().lower() for a in addresses if a})
    if not wanted:
        return []
    return list(db.session.scalars(
        sa.select(OutboxMessage).where(sa.func.lower(OutboxMessage.recipient).in_(wanted))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(MESSAGES_SHOWN)))


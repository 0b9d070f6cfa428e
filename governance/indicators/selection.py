"""Which records count, and the status rules every indicator shares (pure).

spec/indicators.md: only items at meetings that were **held** count; only meetings of
the full board count; a meeting dated after the evaluation date is not yet held,
whatever its record says; the fiscal year of a meeting comes from its date, never from
its number.  Every rule reads meetings through ``counted_meetings`` so that these
filters live in one place.
"""

from __future__ import annotations

from datetime import date

from governance.fiscal import FiscalYear, fiscal_year
from governance.indicators.data import AgendaItemRecord, FiscalYearData, MeetingRecord
from governance.indicators.result import Status
from governance.indicators.vocabulary import MeetingBody, MeetingStatus


def year_of(data: FiscalYearData) -> FiscalYear:
    return fiscal_year(data.fiscal_year)


def counts_as_held(meeting: MeetingRecord, fy: FiscalYear, as_of: date) -> bool:
    return (meeting.status == MeetingStatus.HELD
            and meeting.body == MeetingBody.BOARD
            and fy.contains(meeting.held_on)
            and meeting.held_on <= as_of)


def counted_meetings(data: FiscalYearData, as_of: date) -> list[MeetingRecord]:
    """Held board meetings of the fiscal year up to ``as_of``, in date order."""
    fy = year_of(data)
    held = [m for m in data.meetings if counts_as_held(m, fy, as_of)]
    return sorted(held, key=lambda m: (m.held_on, m.id))


def counted_items(data: FiscalYearData, as_of: date,
                  topics: tuple[str, ...] | None = None) -> list[tuple[AgendaItemRecord, MeetingRecord]]:
    """Agenda items (optionally of ``topics``) at counted meetings, with their meeting, in date order."""
    meetings = {m.id: m for m in counted_meetings(data, as_of)}
    pairs = [(item, meetings[item.meeting_id]) for item in data.agenda_items
             if item.meeting_id in meetings and (topics is None or item.topic in topics)]
    return sorted(pairs, key=lambda pair: (pair[1].held_on, pair[1].id, pair[0].id))


def item_evidence(item: AgendaItemRecord, meeting: MeetingRecord, **extra) -> dict:
    return {"kind": "agenda_item", "id": item.id, "meeting_id": meeting.id,
            "meeting_number": meeting.number, "held_on": meeting.held_on,
            "topic": str(item.topic), "title": item.title,
            **({"title_hidden": True} if item.title_hidden else {}), **extra}


def status_by_deadline(*, done: bool, as_of: date, deadline: date, warning_days: int,
                       still_possible: bool = True) -> Status:
    """The shared status rule for a requirement with a deadline.

    ``at_risk`` when the deadline falls within the warning window: on the deadline
    itself (0 days left) up to ``warning_days`` days before it, both inclusive.  On the
    deadline day the requirement can still be met, so it is not yet missed.
    """
    if done:
        return Status.MET
    if not still_possible or as_of > deadline:
        return Status.MISSED
    if (deadline - as_of).days <= warning_days:
        return Status.AT_RISK
    return Status.ON_TRACK

"""Logging meetings, their attendance and their agenda items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from governance import fiscal
from governance.extensions import db
from governance.indicators.vocabulary import (
    AttendanceStatus,
    MeetingBody,
    MeetingKind,
    MeetingStatus,
    Position,
    Topic,
)
from governance.models import AgendaItem, AgendaSection, Attendance, Confidentiality, Director, Meeting
from governance.services import locks, versions
from governance.services.errors import Conflict, NotFound, ValidationFailed, plausible_dates, single_line


@dataclass
class MeetingInput:
    held_on: date
    kind: MeetingKind
    number: str
    title: str
    status: MeetingStatus
    body: MeetingBody = MeetingBody.BOARD
    starts_at: time | None = None
    place: str | None = None
    ends_at: time | None = None


@dataclass
class AttendanceRow:
    director_id: int
    status: AttendanceStatus


@dataclass
class AgendaItemInput:
    topic: Topic
    title: str
    states_problems_and_remedies: bool = False
    #: None: a new item goes under "for consideration", an edited one stays where it is
    section: AgendaSection | None = None
    #: the board's resolution; None leaves it as it is, "" clears it
    resolution: str | None = None
    #: None: a new item is open, an edited one keeps its level
    confidentiality: Confidentiality | None = None


def list_meetings(fiscal_year: int | None = None) -> list[Meeting]:
    query = (sa.select(Meeting).order_by(Meeting.held_on, Meeting.id)
             .options(selectinload(Meeting.attendances), selectinload(Meeting.agenda_items)))
    if fiscal_year is not None:
        year = fiscal.fiscal_year(fiscal_year)
        query = query.where(Meeting.held_on.between(year.start, year.end))
    return list(db.session.scalars(query))


def get_meeting(meeting_id: int, *, for_update: bool = False) -> Meeting:
    """``for_update``: lock the meeting first and read it afresh (a replacement of one of its sets)."""
    if for_update:
        locks.lock_row(Meeting, meeting_id)
    meeting = db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(selectinload(Meeting.attendances), selectinload(Meeting.rsvps),
                 selectinload(Meeting.agenda_items).selectinload(AgendaItem.action_items))
        .execution_options(**(locks.FRESH if for_update else {}))
    )
    if meeting is None:
        raise NotFound(_l("No meeting with id %(id)s.", id=meeting_id))
    return meeting


# Chair first, as a roster is read out; then vice-chair, directors, ex officio, secretary.
_POSITION_ORDER = sa.case({p.value: rank for rank, p in enumerate(Position)}, value=Director.position)


def directors_in_office(on: date) -> list[Director]:
    """The roster for a meeting: directors whose term covers its date."""
    return list(
        db.session.scalars(
            sa.select(Director)
            .where(
                Director.term_start <= on,
                sa.or_(Director.term_end.is_(None), Director.term_end >= on),
            )
            .order_by(_POSITION_ORDER, Director.name)
        )
    )


def create_meeting(data: MeetingInput, *, today: date | None = None) -> Meeting:
    """``today``: when given, a meeting dated after it cannot be saved as held."""
    fields = _meeting_fields(data, today)
    _check_number_free(fields["number"], fields["body"], exclude_id=None)
    meeting = Meeting(**fields)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def update_meeting(meeting_id: int, data: MeetingInput, expected_version: int | None = None, *,
                   today: date | None = None) -> Meeting:
    """``expected_version``: the version the editor loaded; a newer one is a Conflict. ``today``:
    as for ``create_meeting``."""
    meeting = get_meeting(meeting_id)
    versions.check_version(meeting, expected_version)
    fields = _meeting_fields(data, today)
    _check_number_free(fields["number"], fields["body"], exclude_id=meeting.id)
    if data.status == MeetingStatus.CANCELLED and meeting.attendances:
        raise ValidationFailed({"status": _l("Attendance is recorded for this meeting; clear it before cancelling.")})
    out_of_office = [a.director.name for a in meeting.attendances if not a.director.in_office_on(data.held_on)]
    if out_of_office:
        raise ValidationFailed(
            {"held_on": _l("Attendance is recorded for %(names)s, who would not be in office on that date.",
                           names=", ".join(out_of_office))}
        )
    for key, value in fields.items():
        setattr(meeting, key, value)
    versions.flush()
    return meeting


def delete_meeting(meeting_id: int) -> None:
    db.session.delete(get_meeting(meeting_id))
    versions.flush()


def _meeting_fields(data: MeetingInput, today: date | None = None) -> dict:
    errors = {**plausible_dates(held_on=data.held_on),
              **single_line(number=data.number, title=data.title, place=data.place)}
    if (today is not None and data.held_on is not None and data.held_on > today
            and MeetingStatus(data.status) is MeetingStatus.HELD):
        # A meeting that has not happened yet is planned; "held" would count it for indicator 16.
        errors["status"] = _l("A meeting dated after today cannot have been held yet: save it as planned.")
    if data.ends_at is not None and data.starts_at is None:
        errors["ends_at"] = _l("Enter the time the meeting starts too.")
    elif data.ends_at is not None and data.ends_at <= data.starts_at:
        errors["ends_at"] = _l("The meeting must end after it starts (on the same day).")
    if not data.number.strip():
        errors["number"] = _l("Enter the meeting number, e.g. 3/2563.")
    if not data.title.strip():
        errors["title"] = _l("Enter a title.")
    if errors:
        raise ValidationFailed(errors)
    return {
        "held_on": data.held_on,
        "kind": MeetingKind(data.kind),
        "number": data.number.strip(),
        "title": data.title.strip(),
        "status": MeetingStatus(data.status),
        "body": MeetingBody(data.body),
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "place": (data.place or "").strip() or None,
    }


def _check_number_free(number: str, body: MeetingBody, exclude_id: int | None) -> None:
    if body != MeetingBody.BOARD:
        return
    query = sa.select(Meeting.id).where(Meeting.body == MeetingBody.BOARD, Meeting.number == number)
    if exclude_id is not None:
        query = query.where(Meeting.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise Conflict(
            _l("Board meeting %(number)s is already recorded.", number=number),
            {"number": _l("Board meeting %(number)s is already recorded.", number=number)},
        )


def replace_attendance(meeting_id: int, rows: list[AttendanceRow]) -> Meeting:
    """Make the meeting's attendance exactly ``rows``: all of them, or none if one is wrong.

    Two replacements at once do not merge: the second waits for the first and then
    replaces the whole set again (the last one wins, and its audit entries record the
    first one's rows as the "before").
    """
    meeting = get_meeting(meeting_id, for_update=True)
    _check_attendance(meeting, rows)
    existing = {a.director_id: a for a in meeting.attendances}
    wanted = {row.director_id: AttendanceStatus(row.status) for row in rows}
    # Update in place rather than delete-and-insert: the unit of work inserts before it
    # deletes, which would trip the (meeting, director) unique key.
    for director_id, attendance in existing.items():
        if director_id in wanted:
            attendance.status = wanted[director_id]
        else:
            meeting.attendances.remove(attendance)
    for director_id, status in wanted.items():
        if director_id not in existing:
            meeting.attendances.append(Attendance(director_id=director_id, status=status))
    db.session.flush()
    return meeting


def _check_attendance(meeting: Meeting, rows: list[AttendanceRow]) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationFailed({"status": _l("The meeting was cancelled; it has no attendance.")})
    errors: dict[str, str] = {}
    seen: set[int] = set()
    ids = {row.director_id for row in rows}
    directors = {
        d.id: d for d in db.session.scalars(sa.select(Director).where(Director.id.in_(ids)))
    } if ids else {}
    for index, row in enumerate(rows):
        field = f"[{index}].director_id"
        director = directors.get(row.director_id)
        if row.director_id in seen:
            errors[field] = _l("Director %(id)s is listed twice.", id=row.director_id)
        elif director is None:
            errors[field] = _l("No director with id %(id)s.", id=row.director_id)
        elif not director.in_office_on(meeting.held_on):
            errors[field] = _l("%(name)s was not in office on %(day)s.",
                               name=director.name, day=meeting.held_on.isoformat())
        seen.add(row.director_id)
    if errors:
        raise ValidationFailed(errors)


def add_agenda_item(meeting_id: int, data: AgendaItemInput) -> AgendaItem:
    """A new item goes last in its section of the agenda."""
    meeting = get_meeting(meeting_id)
    fields = _agenda_fields(data)
    section = fields.setdefault("section", AgendaSection.FOR_CONSIDERATION)
    item = AgendaItem(position=_next_position(meeting, section), **fields)
    meeting.agenda_items.append(item)
    db.session.flush()
    return item


def _next_position(meeting: Meeting, section: AgendaSection) -> int:
    return max((i.position for i in meeting.agenda_items if i.section == section), default=0) + 1


def agenda_item_titles(item_ids: set[int]) -> dict[int, str]:
    """The titles of these agenda items, in one query (for pages that name hidden ones to the
    secretariat, who may read them)."""
    if not item_ids:
        return {}
    return dict(db.session.execute(sa.select(AgendaItem.id, AgendaItem.title).where(AgendaItem.id.in_(item_ids))).all())


def get_agenda_item(meeting_id: int, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting_id:
        raise NotFound(_l("No agenda item with id %(id)s in this meeting.", id=item_id))
    return item


def update_agenda_item(meeting_id: int, item_id: int, data: AgendaItemInput,
                       expected_version: int | None = None) -> AgendaItem:
    """``expected_version``: the version the editor loaded; a newer one is a Conflict."""
    item = get_agenda_item(meeting_id, item_id)
    versions.check_version(item, expected_version)
    fields = _agenda_fields(data)
    if fields.get("section", item.section) != item.section:
        # Moved to another section: last there, as if added to it.
        fields["position"] = _next_position(item.meeting, fields["section"])
    for key, value in fields.items():
        setattr(item, key, value)
    versions.flush()
    return item


def delete_agenda_item(meeting_id: int, item_id: int) -> None:
    db.session.delete(get_agenda_item(meeting_id, item_id))
    versions.flush()


def _agenda_fields(data: AgendaItemInput) -> dict:
    if not data.title.strip():
        raise ValidationFailed({"title": _l("Enter the agenda item's title.")})
    if errors := single_line(title=data.title):
        raise ValidationFailed(errors)
    fields = {
        "topic": Topic(data.topic),
        "title": data.title.strip(),
        "states_problems_and_remedies": bool(data.states_problems_and_remedies),
    }
    if data.section is not None:
        fields["section"] = AgendaSection(data.section)
    if data.resolution is not None:
        fields["resolution"] = data.resolution.strip() or None
    if data.confidentiality is not None:
        fields["confidentiality"] = Confidentiality(data.confidentiality)
    return fields

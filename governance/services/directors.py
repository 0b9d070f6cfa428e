"""Registering the board's directors and their terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from governance.extensions import db
from governance.indicators.vocabulary import Position
from governance.models import Attendance, Director, Meeting
from governance.services import versions
from governance.services.errors import NotFound, ValidationFailed, plausible_dates, single_line


@dataclass
class DirectorInput:
    name: str
    position: Position
    term_start: date
    term_end: date | None = None
    email: str | None = None
    counts_for_attendance: bool = True


def list_directors() -> list[Director]:
    return list(db.session.scalars(sa.select(Director).order_by(Director.term_start, Director.name)))


def get_director(director_id: int) -> Director:
    director = db.session.get(Director, director_id)
    if director is None:
        raise NotFound(_l("No director with id %(id)s.", id=director_id))
    return director


def create_director(data: DirectorInput) -> Director:
    _check(data)
    director = Director(**_fields(data))
    db.session.add(director)
    db.session.flush()
    return director


def update_director(director_id: int, data: DirectorInput, expected_version: int | None = None) -> Director:
    """``expected_version``: the version the editor loaded; a newer one is a Conflict."""
    director = get_director(director_id)
    versions.check_version(director, expected_version)
    _check(data)
    _check_attendance_stays_in_term(director, data)
    for key, value in _fields(data).items():
        setattr(director, key, value)
    versions.flush()
    return director


def _fields(data: DirectorInput) -> dict:
    return {
        "name": data.name.strip(),
        "email": (data.email or "").strip().lower() or None,
        "position": Position(data.position),
        "term_start": data.term_start,
        "term_end": data.term_end,
        "counts_for_attendance": data.counts_for_attendance,
    }


def _check(data: DirectorInput) -> None:
    errors = {**plausible_dates(term_start=data.term_start, term_end=data.term_end),
              **single_line(name=data.name, email=data.email)}
    if not data.name.strip():
        errors["name"] = _l("Enter the director's name.")
    if data.term_end is not None and data.term_end < data.term_start:
        errors["term_end"] = _l("The term cannot end before it starts.")
    if errors:
        raise ValidationFailed(errors)


def _check_attendance_stays_in_term(director: Director, data: DirectorInput) -> None:
    """A shorter term must not strand attendance already recorded outside it."""
    conditions = [Meeting.held_on < data.term_start]
    if data.term_end is not None:
        conditions.append(Meeting.held_on > data.term_end)
    outside = sa.or_(*conditions)
    stranded = db.session.scalar(
        sa.select(Meeting.held_on)
        .join(Attendance, Attendance.meeting_id == Meeting.id)
        .where(Attendance.director_id == director.id, outside)
        .order_by(Meeting.held_on)
        .limit(1)
    )
    if stranded is not None:
        field = "term_start" if stranded < data.term_start else "term_end"
        raise ValidationFailed(
            {field: _l("Attendance is recorded for this director on %(day)s, outside that term.",
                       day=stranded.isoformat())}
        )

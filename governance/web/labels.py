"""How the stored codes read on a page: one lazy label per enum value.

The codes (``in_person``, ``five_year_plan``...) are the database's and the API's words;
people read these labels instead, in their language.  Each label is a literal ``_l()``
call so the extractor finds it; templates call ``label(value)``, never ``_(value)``.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from governance.indicators.vocabulary import (
    AttendanceStatus,
    MeetingBody,
    MeetingKind,
    MeetingStatus,
    Position,
    Topic,
)
from governance.models import Role

LABELS: dict[type[StrEnum], dict[StrEnum, object]] = {
    Position: {
        Position.CHAIR: _l("Chair"),
        Position.VICE_CHAIR: _l("Vice chair"),
        Position.DIRECTOR: _l("Director"),
        Position.EX_OFFICIO: _l("Ex-officio director"),
        Position.SECRETARY: _l("Secretary to the board"),
    },
    MeetingKind: {
        MeetingKind.REGULAR: _l("Regular meeting"),
        MeetingKind.SPECIAL: _l("Special meeting"),
    },
    MeetingStatus: {
        MeetingStatus.PLANNED: _l("Planned"),
        MeetingStatus.HELD: _l("Held"),
        MeetingStatus.CANCELLED: _l("Cancelled"),
    },
    MeetingBody: {
        MeetingBody.BOARD: _l("Full board"),
        MeetingBody.COMMITTEE: _l("Committee"),
    },
    AttendanceStatus: {
        AttendanceStatus.IN_PERSON: _l("In person"),
        AttendanceStatus.ONLINE: _l("Online"),
        AttendanceStatus.LEAVE: _l("On leave"),
        AttendanceStatus.ABSENT: _l("Absent"),
    },
    Topic: {
        Topic.PERFORMANCE_REVIEW: _l("Performance review"),
        Topic.FIVE_YEAR_PLAN: _l("Five-year action plan"),
        Topic.ANNUAL_PLAN: _l("Annual action plan"),
        Topic.INTERNAL_CONTROL: _l("Internal control"),
        Topic.INTERNAL_AUDIT: _l("Internal audit"),
        Topic.RISK_MANAGEMENT: _l("Risk management"),
        Topic.HR_MANAGEMENT: _l("Human-resource management"),
        Topic.DIGITAL_TECHNOLOGY: _l("Digital technology"),
        Topic.FINANCIAL_REPORT: _l("Financial performance report"),
        Topic.MISSION_REPORT: _l("Core-mission performance report"),
        Topic.BUDGET_DISBURSEMENT: _l("Budget disbursement against the plan"),
        Topic.MINISTERIAL_REPORT: _l("Report to the minister"),
        Topic.SELF_ASSESSMENT_DISCLOSURE: _l("Board self-assessment disclosed"),
        Topic.OTHER: _l("Other"),
    },
    Role: {
        Role.ADMIN: _l("Administrator"),
        Role.SECRETARY: _l("Board secretariat"),
        Role.DIRECTOR: _l("Director"),
        Role.AUDITOR: _l("Auditor"),
    },
}


def label(value: StrEnum | str | None) -> str:
    """The reader's word for a code; an enum member picks its own table, a bare string the first match."""
    if value is None:
        return ""
    table = LABELS.get(type(value))
    if table is not None:
        return str(table[value])
    for table in LABELS.values():
        if value in table:
            return str(table[value])  # type: ignore[index]
    return str(value)


def choices(enum_class: type[StrEnum]) -> list[tuple[str, object]]:
    """``(code, label)`` pairs in the enum's order, for a select."""
    return [(member.value, LABELS[enum_class][member]) for member in enum_class]

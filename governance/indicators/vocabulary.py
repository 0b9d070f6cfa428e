"""The words the records and the rules share (pure).

Stored as these exact strings in the database and spoken as them by the API.
"""

from __future__ import annotations

from enum import StrEnum


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class MeetingKind(StrEnum):
    REGULAR = "regular"
    SPECIAL = "special"


class MeetingBody(StrEnum):
    """Only meetings of the full board count for the indicators."""

    BOARD = "board"
    COMMITTEE = "committee"


class AttendanceStatus(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    LEAVE = "leave"  # ลา: excused, but not present
    ABSENT = "absent"

    @property
    def is_present(self) -> bool:
        # Emergency Decree on Electronic Meetings B.E. 2563: online counts as present.
        return self in (AttendanceStatus.IN_PERSON, AttendanceStatus.ONLINE)


class Position(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    DIRECTOR = "director"
    EX_OFFICIO = "ex_officio"
    SECRETARY = "secretary"


class Topic(StrEnum):
    """Agenda-item topic codes (spec/indicators.md, 'Agenda-item topics')."""

    PERFORMANCE_REVIEW = "performance_review"
    FIVE_YEAR_PLAN = "five_year_plan"
    ANNUAL_PLAN = "annual_plan"
    INTERNAL_CONTROL = "internal_control"
    INTERNAL_AUDIT = "internal_audit"
    RISK_MANAGEMENT = "risk_management"
    HR_MANAGEMENT = "hr_management"
    DIGITAL_TECHNOLOGY = "digital_technology"
    FINANCIAL_REPORT = "financial_report"
    MISSION_REPORT = "mission_report"
    BUDGET_DISBURSEMENT = "budget_disbursement"
    MINISTERIAL_REPORT = "ministerial_report"
    SELF_ASSESSMENT_DISCLOSURE = "self_assessment_disclosure"
    OTHER = "other"


def values(enum_class: type[StrEnum]) -> list[str]:
    return [member.value for member in enum_class]

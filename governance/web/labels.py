"""How the stored codes read on a page: one lazy label per enum value.

The codes (``in_person``, ``five_year_plan``...) are the database's and the API's words;
people read these labels instead, in their language.  Each label is a literal ``_l()``
call so the extractor finds it; templates call ``label(value)``, never ``_(value)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from governance.indicators.expected_attendance import Outlook
from governance.indicators.result import Status
from governance.indicators.vocabulary import (
    AttendanceStatus,
    MeetingBody,
    MeetingKind,
    MeetingStatus,
    Position,
    Topic,
)
from governance.models import AgendaSection, AssessmentForm, Confidentiality, DocumentKind, Role, RsvpResponse

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
    Status: {
        Status.MET: _l("Met"),
        Status.ON_TRACK: _l("On track"),
        Status.AT_RISK: _l("At risk"),
        Status.MISSED: _l("Missed"),
    },
    Role: {
        Role.ADMIN: _l("Administrator"),
        Role.SECRETARY: _l("Board secretariat"),
        Role.DIRECTOR: _l("Director"),
        Role.AUDITOR: _l("Auditor"),
    },
    AgendaSection: {
        AgendaSection.CHAIR_ANNOUNCEMENTS: _l("Matters the chair informs the meeting of"),
        AgendaSection.PREVIOUS_MINUTES: _l("Approval of the minutes of the previous meeting"),
        AgendaSection.MATTERS_ARISING: _l("Matters arising"),
        AgendaSection.FOR_CONSIDERATION: _l("Matters for consideration"),
        AgendaSection.FOR_INFORMATION: _l("Matters for information"),
        AgendaSection.OTHER_BUSINESS: _l("Other business"),
    },
    RsvpResponse: {
        RsvpResponse.IN_PERSON: _l("Will attend in person"),
        RsvpResponse.ONLINE: _l("Will attend online"),
        RsvpResponse.APOLOGIES: _l("Sends apologies"),
    },
    Confidentiality: {
        Confidentiality.OPEN: _l("Open to every signed-in reader"),
        Confidentiality.CONFIDENTIAL: _l("Confidential: only this meeting's directors and the secretariat"),
        Confidentiality.TITLE_HIDDEN: _l("Confidential, and the title hidden from others too"),
    },
    DocumentKind: {
        DocumentKind.MINUTES: _l("Minutes"),
        DocumentKind.PAPER: _l("Meeting paper"),
        DocumentKind.EVIDENCE: _l("Evidence"),
    },
    AssessmentForm: {
        AssessmentForm.INDIVIDUAL: _l("Individual assessment"),
        AssessmentForm.WHOLE_BOARD: _l("Whole-board assessment"),
    },
    Outlook: {
        Outlook.SECURE: _l("Secured by the answers so far"),
        Outlook.OPEN: _l("Depends on directors who have not answered"),
        Outlook.OUT_OF_REACH: _l("Out of reach even if everyone who has not answered comes"),
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


# --- what an indicator still needs --------------------------------------------------------
# The engine says what is missing as codes (``IndicatorResult.needed``); these are the
# sentences people read.  A code this table does not know is shown as it is.

NEEDED = {
    "topic_meetings": _l("Held meetings with an item on %(topics)s still needed: %(missing)s."),
    "topic_by_deadline": _l("%(topic)s must be considered at a held board meeting by %(deadline)s."),
    "deadline_unset": _l("The Cabinet's deadline has not been entered yet, so the plans cannot be judged."),
    "deadline_unset_year_closed": _l("The fiscal year has ended and the Cabinet's deadline was never entered, so "
                                     "whether the plans were considered in time cannot be judged: enter it in the "
                                     "year's criteria."),
    "topic_not_considered": _l("%(topic)s was never considered at a held board meeting of the fiscal year, "
                               "which has ended."),
    "subject_quarters": _l("%(subject)s: quarters still needed %(missing)s, quarters left %(available)s."),
    "budget_actuals_missing": _l("No actual disbursement is recorded yet."),
    "budget_shortfall": _l("A further %(amount)s baht must be disbursed to reach the target."),
    "ministerial_reports": _l("Reports to the minister still to be sent: %(missing)s."),
    "meetings_held": _l("No board meeting has been held yet."),
    "qualifying_meetings_none_to_spare": _l(
        "Every one of the %(remaining)s board meetings still planned must have enough directors present."),
    "qualifying_meetings_out_of_reach": _l(
        "Too few meetings qualified: the year can no longer reach the target "
        "(%(remaining)s board meetings still planned)."),
    "website_item_no_record": _l("%(item)s: not recorded yet."),
    "website_item_missing_url": _l("%(item)s: no web address."),
    "website_item_not_current": _l("%(item)s: not up to date."),
    "individual_assessments": _l("Directors who have not yet submitted an individual assessment: %(count)s."),
    "individual_assessments_open": _l("The individual assessments are not yet complete."),
    "whole_board_assessment": _l("The whole-board assessment is not yet completed."),
    "disclosed_at_meeting": _l("The results are not yet disclosed at a held board meeting."),
    "guidelines_recorded": _l("The guidelines to improve the board's effectiveness are not yet recorded."),
}


def needed_text(entry: Mapping, date_text, item_titles: Mapping[str, str] | None = None) -> str:
    """One sentence for a ``needed`` entry of an indicator result.

    ``date_text`` shows a date as the reader reads it; ``item_titles`` names the
    website checklist's items by key.
    """
    code = entry.get("code")
    match code:
        case "topic_meetings":
            return str(NEEDED[code] % {"topics": ", ".join(label(t) for t in entry["topics"]),
                                       "missing": entry["missing"]})
        case "topic_by_deadline":
            return str(NEEDED[code] % {"topic": label(entry["topic"]), "deadline": date_text(entry["deadline"])})
        case "subject_quarters":
            return str(NEEDED[code] % {"subject": label(entry["subject"]), "missing": entry["missing"],
                                       "available": entry["quarters_available"]})
        case "budget_shortfall":
            return str(NEEDED[code] % {"amount": f"{Decimal(entry['amount']):,.2f}"})
        case "ministerial_reports":
            return str(NEEDED[code] % {"missing": entry["missing"]})
        case "qualifying_meetings":
            key = "qualifying_meetings_out_of_reach" if entry["can_absorb"] < 0 else "qualifying_meetings_none_to_spare"
            return str(NEEDED[key] % {"remaining": entry["meetings_remaining"]})
        case "website_item":
            item = (item_titles or {}).get(entry["key"], entry["key"])
            return str(NEEDED[f"website_item_{entry['problem']}"] % {"item": item})
        case "self_assessment_part":
            part = entry["part"]
            if part == "individual_assessments":
                count = len(entry.get("director_ids", ()))
                # Nobody outstanding, yet not done: the assessment has no closing date yet.
                return str(NEEDED[part] % {"count": count}) if count else str(NEEDED["individual_assessments_open"])
            return str(NEEDED[part])
        case "topic_not_considered":
            return str(NEEDED[code] % {"topic": label(entry["topic"])})
        case "deadline_unset" | "deadline_unset_year_closed" | "budget_actuals_missing" | "meetings_held":
            return str(NEEDED[code])
    return str(code)

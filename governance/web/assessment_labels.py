"""Words for the self-assessment, website-checklist and parameters pages.

Codes of the indicator engine (statuses, rule kinds, self-assessment parts, freshness
rules) read here in the reader's language; each label is a literal ``_l()`` call so the
extractor finds it.  The engine's parameter errors are plain English sentences, so
``parameter_error_text`` turns the ones it knows into translated messages.
"""

from __future__ import annotations

import re

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from governance import fiscal
from governance.models import AssessmentForm
from governance.web.forms import BAD_DATE, REQUIRED
from governance.web.labels import LABELS, label

STATUS = {
    "met": _l("Met"),
    "on_track": _l("On track"),
    "at_risk": _l("At risk"),
    "missed": _l("Missed"),
}

FORMS = LABELS[AssessmentForm]

# spec/indicators.md, 18: the parts of the board's self-assessment.
PARTS = {
    "individual_assessments": _l("Every director in office on the closing date submitted an individual assessment"),
    "whole_board_assessment": _l("The whole-board assessment was completed"),
    "disclosed_at_meeting": _l("The results were disclosed at a held board meeting"),
    "guidelines_recorded": _l("The guidelines the board set to improve its effectiveness are recorded"),
}

# spec/indicators.md, "Frameworks as data": the generic rule kinds.
KINDS = {
    "meeting_topic_count": _l("Count of meetings with a topic"),
    "topics_by_deadline": _l("Topics considered by a deadline"),
    "quarters_per_subject": _l("Quarters per subject"),
    "budget_ratio": _l("Disbursement against the plan"),
    "record_count": _l("Count of records sent"),
    "attendance": _l("Meeting attendance"),
    "checklist": _l("Checklist complete and current"),
    "self_assessment": _l("Parts of the self-assessment done"),
}

FRESHNESS_KINDS = {
    "current_fy": _l("Updated within the fiscal year"),
    "days": _l("Updated within a number of days"),
    "any": _l("Present is enough"),
    "tracker": _l("Published by this tracker"),
}


def localized(text_th: str, text_en: str) -> str:
    """The Thai or English wording of a record, as the reader reads."""
    return text_th if str(get_locale() or "th") == "th" else text_en


def status_text(status: str) -> str:
    return str(STATUS.get(str(status), status))


def kind_text(kind: str) -> str:
    return str(KINDS.get(kind, kind))


def part_text(part: str) -> str:
    return str(PARTS.get(part, part))


def form_text(form: AssessmentForm | str) -> str:
    return str(FORMS.get(AssessmentForm(form), form))


def topics_text(topics) -> str:
    """Topic codes as the reader's words, in a list: ``Internal control, Internal audit``."""
    return ", ".join(label(topic) for topic in topics)


def freshness_kind(freshness: str) -> str:
    """``days:90`` -> ``days``; the other rules are their own kind."""
    return "days" if freshness.startswith("days:") else freshness


def freshness_days(freshness: str) -> int | None:
    days = freshness.removeprefix("days:")
    return int(days) if freshness.startswith("days:") and days.isdigit() else None


def freshness_text(freshness: str, fiscal_year: int) -> str:
    """The freshness rule of a website item, in words."""
    year = fiscal.fiscal_year(fiscal_year)
    if freshness == "current_fy":
        return str(_l("Must be updated within fiscal year %(fy)s (on or after %(start)s).",
                      fy=fiscal_year, start=fiscal.format_date(year.start, str(get_locale() or "th"))))
    if freshness_kind(freshness) == "days":
        return str(_l("Must be updated within the last %(days)s days.", days=freshness_days(freshness)))
    if freshness == "any":
        return str(_l("Being published is enough; no update date is needed."))
    if freshness == "tracker":
        return str(_l("Published by this tracker, so current by construction."))
    return freshness


def freshness_choices() -> list[tuple[str, object]]:
    return list(FRESHNESS_KINDS.items())


def is_web_address(url: str | None) -> bool:
    """Only an http(s) address becomes a link (the service refuses others; this is a second lock)."""
    return bool(url) and url.lower().startswith(("https://", "http://"))


# --- the engine's parameter errors, translated ----------------------------------------

_PARAMETER_ERRORS: list[tuple[re.Pattern, object]] = [
    (re.compile(r"must be a whole number"), _l("Enter a whole number.")),
    (re.compile(r"must be at least (?P<min>\d+)"), None),  # needs its number, see below
    (re.compile(r"must be a non-empty string"), REQUIRED),
    (re.compile(r"ISO date"), BAD_DATE),
    (re.compile(r"must be a number|is not a number"), _l("Enter a number such as 80 or 96.5.")),
    (re.compile(r"must be a percentage above 0 and at most 100"),
     _l("Enter a percentage above 0 and at most 100.")),
    (re.compile(r"a fiscal year has only 4 quarters"), _l("A fiscal year has only 4 quarters.")),
    (re.compile(r"^item (['\"])(?P<key>.*)\1 appears twice$"), None),
    (re.compile(r'must be "any", "current_fy", "tracker" or "days:N"'),
     _l("Choose how current the item must be; a number of days is at least 1.")),
    (re.compile(r"must be a non-empty list"), _l("Keep at least one item.")),
    (re.compile(r"may name only"), _l("A title may name only {fiscal_year}, {plan_first_year}, {plan_last_year}, "
                                     "{meeting_threshold_percent} and {year_threshold_percent}.")),
    (re.compile(r"unmatched \{ or \}"), _l("A brace must be doubled: write {{ or }} for a brace.")),
]


def parameter_error_text(message: str) -> str:
    """A translated message for one of the engine's known parameter errors, else the message itself."""
    for pattern, text in _PARAMETER_ERRORS:
        found = pattern.search(message)
        if found is None:
            continue
        if "min" in pattern.groupindex:
            return str(_l("Enter a number of at least %(min)s.", min=found["min"]))
        if "key" in pattern.groupindex:
            return str(_l("The key “%(key)s” appears twice.", key=found["key"]))
        return str(text)
    return message

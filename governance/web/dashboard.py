"""The compliance dashboard: one card per indicator of the fiscal year, as of a date.

Every figure, status and deadline is the engine's (``services.fiscal_years``); this
module only turns a result into what a card shows: the value against the target in the
reader's words, the sentences for what is still needed, and a link for each piece of
evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date
from decimal import Decimal

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from governance import clock, fiscal
from governance.indicators.parameters import IndicatorSpec
from governance.indicators.result import IndicatorResult, Status
from governance.services import fiscal_years, meetings
from governance.services.errors import plausible_dates
from governance.web import audit_changes
from governance.web.access import READERS, roles_required
from governance.web.confidential import reader
from governance.web.exports import percent_text, threshold_text
from governance.web.filters import month_label, thai_date
from governance.web.forms import fiscal_year_choices
from governance.web.labels import label, needed_text
from governance.web.page_cache import cached_fragment

bp = Blueprint("dashboard", __name__)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# --- the fiscal year and the date the page is as of ------------------------------------

@dataclass(frozen=True)
class Period:
    """What ``?fy=2563&as_of=2020-01-15`` asks for; defaults: today, and today's fiscal year."""

    fy: int
    as_of: date
    years: list[int]
    #: why the as-of date typed was refused (the page then shows today)
    as_of_error: str | None = None

    def args(self) -> dict:
        return {"fy": self.fy, "as_of": self.as_of.isoformat()}

    def key(self) -> tuple:
        """Everything of the request a page of this period shows (for web/page_cache.py)."""
        return self.fy, self.as_of, tuple(self.years), self.as_of_error


def selected_period(args: Mapping[str, str], today: date) -> Period:
    as_of, error = today, None
    raw = (args.get("as_of") or "").strip()
    if raw:
        day = _iso_date(raw)
        problem = plausible_dates(as_of=day).get("as_of") if day else None
        if day is None:
            error = _("Enter the date as YYYY-MM-DD, e.g. %(example)s.", example=today.isoformat())
        elif problem:
            error = str(problem)
        else:
            as_of = day
    raw_fy = args.get("fy") or ""
    if raw_fy:
        try:
            fy = fiscal.fiscal_year(int(raw_fy) if raw_fy.isdigit() else -1).number
        except ValueError:
            abort(404)
    else:
        fy = fiscal.fiscal_year_of(as_of)
    return Period(fy=fy, as_of=as_of, years=fiscal_year_choices(fiscal.fiscal_year_of(today), fy), as_of_error=error)


def _iso_date(text: str) -> date | None:
    """``YYYY-MM-DD`` only (``fromisoformat`` also takes ``20200115`` and week dates)."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# --- the page ---------------------------------------------------------------------------

@bp.get("/dashboard")
@roles_required(*READERS)
def index():
    period = selected_period(request.args, clock.today())
    content = cached_fragment("dashboard", period.key(), lambda: _content(period))
    return render_template("dashboard/index.html", period=period, content=content), \
        422 if period.as_of_error else 200


def _content(period: Period) -> str:
    parameters = fiscal_years.get_parameters(period.fy)
    specs = {spec.number: spec for spec in parameters.indicators}
    results = fiscal_years.evaluate_fiscal_year(period.fy, period.as_of)
    # A hidden title never enters the evaluation; the secretariat, who reads it everywhere else,
    # gets it back here (the content is kept per role, so no other reader is shown it).
    hidden = {entry["id"] for result in results for entry in result.evidence
              if entry.get("kind") == "agenda_item" and entry.get("title_hidden")}
    titles = meetings.agenda_item_titles(hidden) if hidden and reader().secretariat else {}
    cards = [card_of(result, specs[result.number], period, titles) for result in results]
    counts = Counter(card.status for card in cards)
    return render_template("dashboard/_content.html", period=period, cards=cards,
                           counts=[(status, counts[status]) for status in Status if counts[status]],
                           criteria_change=_local(fiscal_years.criteria_last_changed(period.fy)))


def _local(change: fiscal_years.CriteriaChange | None) -> dict | None:
    """The criteria's last change as Thailand's date and time, for the page."""
    if change is None:
        return None
    moment = (change.at if change.at.tzinfo else change.at.replace(tzinfo=UTC)).astimezone(clock.BANGKOK)
    return {"day": moment.date(), "time": f"{moment:%H:%M}", "by": audit_changes.actor_text(change.by)}


# --- a card -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Evidence:
    text: str
    href: str | None = None
    note: str = ""
    external: bool = False


@dataclass(frozen=True)
class Card:
    number: int
    kind: str
    title: str
    status: Status
    measure: str  # the value, in words: "1 held meeting", "87.50 per cent of ..."
    target: str  # the target, in words: "at least 1"
    facts: list[str] = field(default_factory=list)  # the value's parts: quarters per subject, ...
    deadline: date | None = None
    needed: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    link: tuple[str, str] | None = None  # (text, href): the page behind the indicator


def card_of(result: IndicatorResult, spec: IndicatorSpec, period: Period,
            hidden_titles: dict[int, str] | None = None) -> Card:
    titles = _item_titles(spec)
    measure, target, facts = _MEASURES.get(spec.kind, _plain_measure)(result, spec)
    return Card(
        number=result.number, kind=spec.kind, status=result.status,
        title=spec.title_th if _thai() else spec.title_en,
        measure=measure, target=target, facts=facts, deadline=result.deadline,
        needed=[needed_text(entry, thai_date, titles) for entry in result.needed],
        evidence=_evidence(result.evidence, period, titles, hidden_titles or {}),
        link=_page_link(spec.kind, period),
    )


def _item_titles(spec: IndicatorSpec) -> dict[str, str]:
    """The website checklist's items by key, in the reader's language."""
    items = getattr(spec.rule, "items", ())
    thai = _thai()
    return {item.key: item.title_th if thai else item.title_en for item in items}


def _thai() -> bool:
    return str(get_locale() or "th").startswith("th")


Measure = Callable[[IndicatorResult, IndicatorSpec], tuple[str, str, list[str]]]


def _meetings_measure(result: IndicatorResult, spec: IndicatorSpec) -> tuple[str, str, list[str]]:
    return _("Held meetings: %(count)s", count=result.value), _("at least %(count)s", count=result.target), []


def _reports_measure(result: IndicatorResult, spec: IndicatorSpec) -> tuple[str, str, list[str]]:
    return _("Reports sent: %(count)s", count=result.value), _("at least %(count)s", count=result.target), []


def _plans_measure(result: IndicatorResult, spec: IndicatorSpec) -> tuple[str, str, list[str]]:
    plans = result.detail.get("plans", {})
    facts = []
    for topic, plan in plans.items():
        days = ", ".join(thai_date(day) for day in plan["considered_on"]) or _("not yet considered")
        late = plan["in_time"] is False and plan["considered_on"]
        facts.append(f"{label(topic)}: {days}" + (f" ({_('after the deadline')})" if late else ""))
    if result.value is None:
        return _("Deadline not set"), _("all %(count)s by the deadline", count=len(plans)), facts
    done = sum(1 for plan in plans.values() if plan["in_time"])
    return (_("%(done)s of %(total)s considered by the deadline", done=done, total=len(plans)),
            _("all %(count)s by the deadline", count=len(plans)), facts)


def _quarters_measure(result: IndicatorResult, spec: IndicatorSpec) -> tuple[str, str, list[str]]:
    subjects = result.detail["subjects"]
    facts = [_("%(subject)s: quarters counted %(count)s (%(quarters)s)", subject=label(subject), count=progress["count"],
               quarters=", ".join(str(q) for q in progress["quarters"]) or "–")
             for subject, progress in subjects.items()]
    done = sum(1 for progress in subjects.values() if progress["done"])
    return (_("%(done)s of %(total)s subjects reached", done=done, total=len(subjects)),
            _("every subject in at least %(count)s quarters", count=result.detail["min_quarters"]), facts)


def _budget_measure(result: IndicatorResult, spec: IndicatorSpec) -> tuple[str, str, list[str]]:
    target = _("at least %(percent)s per cent", percent=threshold_text(result.target))
    if result.value is None:
        return _("No actual disbursement yet"), target, []
    detail = result.detail
    facts = [_("%(actual)s of %(planned)s baht planned, to the end of %(month)s",
               actual=f"{Decimal(detail['actual']):,.2f}", planned=f"{Decimal(detail['planned']):,.2f}",
               month=month_label(detail["to_month"]))]
    return _("%(percent)s per cent of the plan disbursed", percent=percent_text(result.value)), target, facts


def _attendance_measure(result: IndicatorResult, spec: IndicatorSpec) -> tuple[str, str, list[str]]:
    detail = result.detail
    target = _("at least %(percent)s per cent of meetings", percent=threshold_text(result.target))
    if result.value is None:
        return _("No board meeting held yet"), target, []
    facts = [_("%(qualifying)s of %(held)s held meetings had at least %(threshold)s per cent of directors present",
               qualifying=detail["meetings_qualifying"], held=detail["meetings_held"],
               threshold=threshold_text(detail["meeting_threshold_percent"]))]
    if detail["meetings_remaining"]:
        facts.append(_("Further non-qualifying meetings the year can absorb: %(count)s "
                       "(board meetings still planned: %(planned)s)",
                       count=detail["can_absorb"], planned=detail["meetings_remaining"]))
    return _("%(percent)s per cent of meetings qualified", percent=percent_text(result.value)), target, facts


def _checklist_measure(result: IndicatorResult, spec: IndicatorSpec) -> tuple[str, str, list[str]]:
    items = result.detail["items"]
    done = sum(1 for item in items.values() if item["current"])
    return _("%(done)s of %(total)s items present and current", done=done, total=len(items)), _("every item"), []


def _parts_measure(result: IndicatorResult, spec: IndicatorSpec) -> tuple[str, str, list[str]]:
    parts = result.detail["parts"]
    done = sum(1 for ok in parts.values() if ok)
    return _("%(done)s of %(total)s parts done", done=done, total=len(parts)), _("every part"), []


def _plain_measure(result: IndicatorResult, spec: IndicatorSpec) -> tuple[str, str, list[str]]:
    # A rule kind this page does not know yet: the bare figures.
    value = "–" if result.value is None else (
        percent_text(result.value) if isinstance(result.value, Decimal) else str(result.value))
    target = threshold_text(result.target) if isinstance(result.target, Decimal) else str(result.target)
    return value, target, []


_MEASURES: dict[str, Measure] = {
    "meeting_topic_count": _meetings_measure,
    "record_count": _reports_measure,
    "topics_by_deadline": _plans_measure,
    "quarters_per_subject": _quarters_measure,
    "budget_ratio": _budget_measure,
    "attendance": _attendance_measure,
    "checklist": _checklist_measure,
    "self_assessment": _parts_measure,
}


# --- evidence and links -----------------------------------------------------------------

def optional_url(endpoint: str, **values) -> str | None:
    """A link to a page of another part of the app, or None while that part is not installed."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def _page_link(kind: str, period: Period) -> tuple[str, str] | None:
    targets = {
        "attendance": (_("Attendance report"), optional_url("attendance_report.show", **period.args())),
        "budget_ratio": (_("Budget"), optional_url("budget.show", fy=period.fy)),
        "record_count": (_("Reports to the minister"), optional_url("reports.index", fy=period.fy)),
        "checklist": (_("Website checklist"), optional_url("website.show", fy=period.fy)),
        "self_assessment": (_("Self-assessment"), optional_url("self_assessment.show", fy=period.fy)),
    }
    text, href = targets.get(kind, (None, None))
    return (text, href) if href else None


def _hidden_title(entry: dict, hidden_titles: dict[int, str]) -> str:
    title = hidden_titles.get(entry["id"])
    return _("%(title)s (confidential)", title=title) if title else _("Confidential item (title withheld)")


def _evidence(entries: list[dict], period: Period, titles: dict[str, str],
              hidden_titles: dict[int, str]) -> list[Evidence]:
    shown: list[Evidence] = []
    submissions = 0
    for entry in entries:
        kind = entry.get("kind")
        if kind == "agenda_item":
            notes = [label(entry["topic"])]
            if "quarter" in entry:
                notes.append(_("quarter %(number)s", number=entry["quarter"]))
            if entry.get("in_time") is False:
                notes.append(_("after the deadline"))
            shown.append(Evidence(
                text=_("Meeting %(number)s of %(date)s: %(title)s", number=entry["meeting_number"],
                       date=thai_date(entry["held_on"]),
                       title=_hidden_title(entry, hidden_titles) if entry.get("title_hidden") else entry["title"]),
                href=url_for("meetings.show", meeting_id=entry["meeting_id"]), note=" · ".join(notes)))
        elif kind == "meeting":
            notes = [_("%(present)s of %(eligible)s present", present=entry["present"], eligible=entry["eligible"]),
                     _("qualifies") if entry["qualifies"] else _("does not qualify")]
            if entry.get("one_place_flag"):
                notes.append(_("check: one place"))
            shown.append(Evidence(
                text=_("Meeting %(number)s of %(date)s", number=entry["number"], date=thai_date(entry["held_on"])),
                href=url_for("meetings.show", meeting_id=entry["id"]), note=" · ".join(notes)))
        elif kind == "ministerial_report":
            shown.append(Evidence(text=f"{thai_date(entry['sent_on'])}: {entry['title']}",
                                  href=url_for("reports.index", fy=period.fy)))
        elif kind == "budget_month":
            actual = "–" if entry["actual"] is None else f"{Decimal(entry['actual']):,.2f}"
            shown.append(Evidence(
                text=_("%(month)s: %(actual)s of %(planned)s baht", month=month_label(entry["month"]), actual=actual,
                       planned=f"{Decimal(entry['planned']):,.2f}"),
                href=url_for("budget.show", fy=period.fy)))
        elif kind == "website_item":
            updated = thai_date(entry["last_updated_on"]) if entry.get("last_updated_on") else "–"
            url = entry.get("url") or ""
            notes = [_("updated %(date)s", date=updated)] + ([] if entry["current"] else [_("not up to date")])
            shown.append(Evidence(
                text=titles.get(entry["key"], entry["key"]), external=True, note=" · ".join(notes),
                # The service accepts only web addresses; a link never carries another scheme.
                href=url if url.startswith(("https://", "http://")) else None))
        elif kind == "self_assessment_submission":
            submissions += 1  # who submitted stays on the self-assessment page, where access decides
        else:
            shown.append(Evidence(text=f"{kind} {entry.get('id', '')}".strip()))
    if submissions:
        shown.append(Evidence(text=_("Individual assessments submitted: %(count)s", count=submissions),
                              href=optional_url("self_assessment.show", fy=period.fy)))
    return shown

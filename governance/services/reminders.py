"""Reminder planning: what is due as of a date, queued in the outbox once per reminder.

A reminder is identified by its idempotency key: kind | subject record | due date |
mark | recipient.  Planning is a sweep: run it any number of times on any days and each
reminder is queued once (the outbox refuses a key it has seen).

Lead times (``REMINDER_LEAD_DAYS``, default 30, 14, 7, 1) divide the time before a due
date into marks.  On a given day the *current mark* is the smallest lead time whose day
has come (14 days before, 13 days before ... 8 days before are all the 14-day mark).  Only
the current mark is ever planned, so:

- a day missed (the scheduler was down) is caught up by the next run: the mark's key has
  not been queued yet, so it is queued once, however many days were skipped;
- when a gap spans several marks, only the nearest is sent: a "14 days left" email that
  arrives 6 days before the deadline would be wrong, and the 7-day one says it all.

Changed data changes the key only where a new email is worth sending: a rescheduled
meeting gets a new due date (or a new calendar SEQUENCE), an attendance shortfall a new
"can absorb" figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from governance import fiscal
from governance.extensions import db
from governance.indicators import IndicatorResult
from governance.indicators.parameters import IndicatorSpec
from governance.indicators.result import Status
from governance.indicators.vocabulary import MeetingBody, MeetingStatus, Position
from governance.models import AgendaItem, Director, Meeting, MeetingInvitation, Role, User
from governance.services import emails, fiscal_years, kpi_reminders, outbox, rsvps, self_assessment
from governance.services.meetings import directors_in_office
from governance.services.outbox import Attachment

# Indicator rule kind -> the reminder the secretary gets before its deadline.  Quarter
# subjects (12, 13) have their own per-quarter reminder; attendance (16) is told after
# each meeting instead, when no further miss can be absorbed.
DEADLINE_KINDS = {
    "meeting_topic_count": "indicator_deadline",
    "topics_by_deadline": "indicator_deadline",
    "budget_ratio": "indicator_deadline",
    "record_count": "ministerial_report",
    "checklist": "indicator_deadline",
    "self_assessment": "indicator_deadline",
}
# Where the secretary fixes each kind of indicator; (endpoint, takes ?fy=).
FIX_PAGES = {
    "budget_ratio": ("budget.show", True),
    "record_count": ("reports.index", True),
    "checklist": ("website.show", True),
    "self_assessment": ("self_assessment.show", True),
}
DIGEST_MEETING_DAYS = 14


@dataclass(frozen=True)
class Recipient:
    email: str
    locale: str
    name: str | None


@dataclass(frozen=True)
class Reminder:
    kind: str
    recipient: Recipient
    #: the record it is about, e.g. "fy2563:indicator:15", "meeting:12"
    subject_ref: str
    #: the deadline, meeting day or quarter end it leads up to
    due_on: date
    #: which mark or event: "lead-7", "missed", "absorb-0", "lead-7.seq-1", "weekly"
    mark: str
    context: dict = field(compare=False)
    attachment: Attachment | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return "|".join((self.kind, self.subject_ref, self.due_on.isoformat(), self.mark, self.recipient.email))


@dataclass
class PlanReport:
    queued: list[Reminder] = field(default_factory=list)
    #: due but queued by an earlier run
    already_queued: int = 0
    #: optional reminders the recipient unsubscribed from
    opted_out: int = 0


def lead_days() -> tuple[int, ...]:
    return tuple(sorted({int(d) for d in current_app.config["REMINDER_LEAD_DAYS"]}, reverse=True))


def current_mark(due_on: date, as_of: date, leads: Iterable[int]) -> int | None:
    """The smallest lead time whose day has come; None before the first mark or after ``due_on``."""
    if as_of > due_on:
        return None
    passed = [lead for lead in leads if due_on - timedelta(days=lead) <= as_of]
    return min(passed) if passed else None


# --- the sweep ----------------------------------------------------------------------------

def queue_due(as_of: date, now: datetime) -> PlanReport:
    """Queue every reminder due as of ``as_of`` that was not queued before (caller commits)."""
    return _queue(plan(as_of, now), now)


def queue_meeting_cancellations(as_of: date, now: datetime) -> PlanReport:
    """Only the notices of cancelled meetings (caller commits). The scheduler runs this every
    few minutes: a meeting cancelled in the morning for the next day must not wait for the
    daily run, which would come on the meeting's own morning."""
    return _queue(_cancelled_meetings(as_of, now, _People.load(as_of)), now)


def _queue(reminders: list[Reminder], now: datetime) -> PlanReport:
    report = PlanReport()
    for reminder in reminders:
        if reminder.kind in emails.OPTIONAL_KINDS and emails.is_opted_out(reminder.recipient.email, reminder.kind):
            report.opted_out += 1
        elif outbox.is_queued(reminder.key):
            report.already_queued += 1  # checked first, so a rerun renders nothing
        else:
            email = emails.render(reminder.kind, reminder.recipient.email, reminder.recipient.locale,
                                  {**reminder.context, "name": reminder.recipient.name},
                                  attachment=reminder.attachment)
            if outbox.enqueue(reminder.key, reminder.kind, reminder.subject_ref, email, now):
                report.queued.append(reminder)
            else:
                report.already_queued += 1  # another planner queued it meanwhile
    return report


def plan(as_of: date, now: datetime) -> list[Reminder]:
    """Every reminder due as of ``as_of`` (queued or not)."""
    leads = lead_days()
    people = _People.load(as_of)
    current = fiscal.fiscal_year_of(as_of)
    results = {fy: fiscal_years.evaluate_fiscal_year(fy, as_of) for fy in _years_in_view(as_of, leads)}
    reminders: list[Reminder] = []
    for fy, year_results in results.items():
        specs = {spec.number: spec for spec in fiscal_years.get_parameters(fy).indicators}
        reminders += _indicator_deadlines(fy, specs, year_results, as_of, leads, people)
        reminders += _chair_alerts(fy, specs, year_results, as_of, leads, people)
    specs = {spec.number: spec for spec in fiscal_years.get_parameters(current).indicators}
    reminders += _quarter_reviews(current, specs, results[current], as_of, leads, people)
    reminders += _self_assessments(current, as_of, leads, people)
    reminders += _meetings(as_of, now, leads, people)
    reminders += _cancelled_meetings(as_of, now, people)
    reminders += _attendance_absorb(current, as_of, people)
    reminders += _weekly_digest(current, specs, results[current], as_of, people)
    reminders += kpi_reminders.plan(as_of, people.secretaries, Reminder)
    return reminders


def _years_in_view(as_of: date, leads: tuple[int, ...]) -> list[int]:
    # Shortly after a year ends its missed indicators still need telling to the chair.
    current = fiscal.fiscal_year_of(as_of)
    previous_end = fiscal.fiscal_year(current - 1).end
    recent = (as_of - previous_end).days <= max(leads, default=0)
    return [current - 1, current] if recent else [current]


# --- who is told ----------------------------------------------------------------------------

@dataclass
class _People:
    secretaries: list[Recipient]
    chairs: list[Recipient]
    accounts: dict[int, User]  # director id -> the director's sign-in account

    @classmethod
    def load(cls, as_of: date) -> _People:
        users = db.session.scalars(sa.select(User).where(User.is_active.is_(True))).all()
        accounts = {u.director_id: u for u in users if u.director_id is not None}
        # No name of their own: the templates greet them as the board secretariat.
        secretaries = [Recipient(u.email.lower(), u.locale, u.director.name if u.director else None)
                       for u in users if u.role == Role.SECRETARY]
        people = cls(secretaries=secretaries, chairs=[], accounts=accounts)
        chairs = (d for d in directors_in_office(as_of) if d.position == Position.CHAIR)
        people.chairs = [r for r in map(people.director, chairs) if r is not None]
        return people

    def director(self, director: Director) -> Recipient | None:
        """A director's address (or their account's), in their account's language, else Thai."""
        account = self.accounts.get(director.id)
        email = director.email or (account.email if account else None)
        if not email:
            return None
        return Recipient(email.lower(), account.locale if account else "th", director.name)

    def secretaries_and_chairs(self) -> list[Recipient]:
        seen: dict[str, Recipient] = {}
        for recipient in self.secretaries + self.chairs:
            seen.setdefault(recipient.email, recipient)
        return list(seen.values())


# --- indicators -----------------------------------------------------------------------------

def _indicator_deadlines(fy: int, specs: dict[int, IndicatorSpec], results: list[IndicatorResult],
                         as_of: date, leads: tuple[int, ...], people: _People) -> list[Reminder]:
    """Each indicator not yet met, to the secretaries, at each lead-time mark before its deadline."""
    out = []
    for result in results:
        spec = specs[result.number]
        kind = DEADLINE_KINDS.get(spec.kind)
        if kind is None or result.status == Status.MET or result.deadline is None:
            continue
        lead = current_mark(result.deadline, as_of, leads)
        if lead is None:
            continue
        context = _indicator_context(fy, spec, result, as_of)
        out += [Reminder(kind, r, f"fy{fy}:indicator:{spec.number}", result.deadline, f"lead-{lead}", context)
                for r in people.secretaries]
    return out


def _chair_alerts(fy: int, specs: dict[int, IndicatorSpec], results: list[IndicatorResult],
                  as_of: date, leads: tuple[int, ...], people: _People) -> list[Reminder]:
    """An indicator at risk (once early, then at each mark) or missed (once), to the chair."""
    out = []
    for result in results:
        spec = specs[result.number]
        if spec.kind == "attendance" or result.status not in (Status.AT_RISK, Status.MISSED):
            continue
        due_on = result.deadline or fiscal.fiscal_year(fy).end
        if result.status == Status.MISSED:
            mark = "missed"
        else:
            lead = current_mark(due_on, as_of, leads)
            mark = f"at_risk.lead-{lead}" if lead is not None else "at_risk.early"
        context = _indicator_context(fy, spec, result, as_of)
        out += [Reminder("indicator_alert", r, f"fy{fy}:indicator:{spec.number}", due_on, mark, context)
                for r in people.chairs]
    return out


def _indicator_context(fy: int, spec: IndicatorSpec, result: IndicatorResult, as_of: date) -> dict:
    endpoint, takes_year = FIX_PAGES.get(spec.kind, ("meetings.index", True))
    return {
        "fiscal_year": fy, "spec": spec, "status": str(result.status), "needed": result.needed,
        "deadline": result.deadline, "days_left": (result.deadline - as_of).days if result.deadline else None,
        "director_names": _director_names(result.needed),
        "link": emails.absolute_url(endpoint, **({"fy": fy} if takes_year else {})),
    }


def _director_names(needed: list[dict]) -> dict[int, str]:
    ids = {i for n in needed for i in n.get("director_ids", ())}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Director.id, Director.name).where(Director.id.in_(ids))).all())


def _quarter_reviews(fy: int, specs: dict[int, IndicatorSpec], results: list[IndicatorResult],
                     as_of: date, leads: tuple[int, ...], people: _People) -> list[Reminder]:
    """Subjects of 12 and 13 not yet considered this quarter nor on any agenda before it ends."""
    year = fiscal.fiscal_year(fy)
    quarter = fiscal.quarter_of(as_of)
    start, end = year.quarter_bounds(quarter)
    lead = current_mark(end, as_of, leads)
    if lead is None:
        return []
    on_agenda = _topics_on_agenda(start, end)
    by_number = {r.number: r for r in results}
    missing = []
    for spec in specs.values():
        if spec.kind != "quarters_per_subject":
            continue
        progress = by_number[spec.number].detail["subjects"]
        subjects = [s for s in spec.rule.subjects
                    if not progress[s]["done"] and quarter not in progress[s]["quarters"] and s not in on_agenda]
        if subjects:
            missing.append({"spec": spec, "subjects": subjects})
    if not missing:
        return []
    context = {"fiscal_year": fy, "quarter": quarter, "quarter_end": end, "deadline": end,
               "days_left": (end - as_of).days, "missing": missing,
               "link": emails.absolute_url("meetings.index", fy=fy)}
    return [Reminder("quarter_reviews", r, f"fy{fy}:q{quarter}", end, f"lead-{lead}", context)
            for r in people.secretaries]


def _topics_on_agenda(start: date, end: date) -> set[str]:
    """Topics on the agenda of a board meeting in the period, held or still planned."""
    rows = db.session.scalars(
        sa.select(AgendaItem.topic).join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Meeting.held_on.between(start, end), Meeting.body == MeetingBody.BOARD,
               Meeting.status != MeetingStatus.CANCELLED)).all()
    return {str(topic) for topic in rows}


def _self_assessments(fy: int, as_of: date, leads: tuple[int, ...], people: _People) -> list[Reminder]:
    """Each director who has not yet submitted, before the assessment closes."""
    progress = self_assessment.progress(fy, as_of)
    if progress.assessment is None:
        return []  # not opened: nothing a director could fill in yet (the secretary hears of 18)
    due_on = progress.assessment.closing_on or fiscal.fiscal_year(fy).end
    lead = current_mark(due_on, as_of, leads)
    if lead is None:
        return []
    context = {"fiscal_year": fy, "deadline": due_on, "days_left": (due_on - as_of).days,
               "link": emails.absolute_url("self_assessment.show", fy=fy)}
    recipients = [r for r in map(people.director, progress.outstanding) if r is not None]
    return [Reminder("self_assessment", r, f"fy{fy}:self_assessment", due_on, f"lead-{lead}", context)
            for r in recipients]


# --- meetings -------------------------------------------------------------------------------

def _meetings(as_of: date, now: datetime, leads: tuple[int, ...], people: _People) -> list[Reminder]:
    """Each planned board meeting, to the directors in office on its day, with a calendar file."""
    out = []
    for meeting in upcoming_meetings(as_of, as_of + timedelta(days=max(leads, default=0))):
        lead = current_mark(meeting.held_on, as_of, leads)
        if lead is None:
            continue
        sequence = _invitation_sequence(meeting)
        context = {"meeting": meeting, "sequence": sequence, "deadline": meeting.held_on,
                   "days_left": (meeting.held_on - as_of).days,
                   "link": emails.absolute_url("meetings.show", meeting_id=meeting.id)}
        invited = [(d, people.director(d)) for d in directors_in_office(meeting.held_on)]
        # The sequence is in the key: a meeting moved within a mark is announced again at once.
        # Each director's mail carries their own answer link (signed: answering needs no sign-in),
        # in the mail and in the calendar file's description, in their language.
        for director, recipient in invited:
            if recipient is None:
                continue
            rsvp_link = emails.absolute_url("rsvp.by_link", token=rsvps.token_for(meeting.id, director.id))
            attachment = emails.meeting_calendar(meeting, sequence, now, locale=recipient.locale, rsvp_link=rsvp_link)
            out.append(Reminder("meeting", recipient, f"meeting:{meeting.id}", meeting.held_on,
                                f"lead-{lead}.seq-{sequence}", {**context, "rsvp_link": rsvp_link}, attachment))
    return out


def _cancelled_meetings(as_of: date, now: datetime, people: _People) -> list[Reminder]:
    """Each cancelled board meeting whose invitation went out, once, to the directors it reached
    (those in office on its day whose invitation was delivered), with an .ics that takes it out of their calendars; not after
    the meeting's day. The cancellation raises the stored SEQUENCE like any change (it is in
    the fingerprint), so a meeting planned again is invited anew, at a sequence above this one."""
    cancelled = list(db.session.scalars(
        sa.select(Meeting).join(MeetingInvitation, MeetingInvitation.meeting_id == Meeting.id)
        .where(Meeting.status == MeetingStatus.CANCELLED, Meeting.body == MeetingBody.BOARD,
               Meeting.held_on >= as_of)
        .order_by(Meeting.held_on, Meeting.id)))
    out = []
    for meeting in cancelled:
        sequence = _invitation_sequence(meeting)
        context = {"meeting": meeting, "link": emails.absolute_url("meetings.show", meeting_id=meeting.id)}
        recipients = (people.director(d) for d in directors_in_office(meeting.held_on))
        # Only where an invitation was delivered: one still queued is withdrawn instead (services.delivery).
        out += [Reminder("meeting_cancelled", r, f"meeting:{meeting.id}", meeting.held_on, f"cancelled.seq-{sequence}",
                         context, emails.meeting_cancellation(meeting, sequence, now, locale=r.locale))
                for r in recipients
                if r is not None and outbox.was_delivered("meeting", f"meeting:{meeting.id}", r.email)]
    return out


def upcoming_meetings(first: date, last: date) -> list[Meeting]:
    return list(db.session.scalars(
        sa.select(Meeting).where(Meeting.held_on.between(first, last), Meeting.status == MeetingStatus.PLANNED,
                                 Meeting.body == MeetingBody.BOARD)
        .order_by(Meeting.held_on, Meeting.starts_at, Meeting.id)))


def _invitation_sequence(meeting: Meeting) -> int:
    """The calendar SEQUENCE: 0 at first, one more each time the date, time, place or title
    changes, the meeting is cancelled, or it is planned again after that (not for an edit
    while it stays cancelled)."""
    fingerprint = emails.meeting_fingerprint(meeting)  # the calendar feeds read the same one
    invitation = db.session.get(MeetingInvitation, meeting.id)
    if invitation is None:
        db.session.add(MeetingInvitation(meeting_id=meeting.id, fingerprint=fingerprint, sequence=0))
        db.session.flush()
        return 0
    if emails.is_new_revision(invitation.fingerprint, meeting):
        invitation.fingerprint = fingerprint
        invitation.sequence += 1
        db.session.flush()
    return invitation.sequence


def _attendance_absorb(fy: int, as_of: date, people: _People) -> list[Reminder]:
    """After a held meeting, when the year can absorb no further non-qualifying meeting."""
    report = fiscal_years.fiscal_year_attendance(fy, as_of)
    if not report.meetings or report.can_absorb > 0:
        return []
    latest = max(report.meetings, key=lambda m: (m.held_on, m.meeting_id))
    context = {"fiscal_year": fy, "can_absorb": report.can_absorb, "meeting_number": latest.number,
               "held_on": latest.held_on, "meetings_held": report.meetings_held,
               "meetings_qualifying": report.meetings_qualifying, "meetings_remaining": report.meetings_remaining,
               "threshold": report.year_threshold_percent,
               "link": emails.absolute_url("meetings.index", fy=fy)}
    return [Reminder("attendance_absorb", r, f"meeting:{latest.meeting_id}", latest.held_on,
                     f"absorb-{report.can_absorb}", context) for r in people.secretaries_and_chairs()]


# --- the weekly digest ----------------------------------------------------------------------

def _weekly_digest(fy: int, specs: dict[int, IndicatorSpec], results: list[IndicatorResult],
                   as_of: date, people: _People) -> list[Reminder]:
    """Once per ISO week, on the first run of the week, to the secretaries."""
    monday = as_of - timedelta(days=as_of.weekday())
    week = as_of.isocalendar()
    context = {
        "fiscal_year": fy, "as_of": as_of, "meeting_days": DIGEST_MEETING_DAYS,
        "open": [{"spec": specs[r.number], "status": str(r.status), "deadline": r.deadline}
                 for r in results if r.status != Status.MET],
        "meetings": upcoming_meetings(as_of, as_of + timedelta(days=DIGEST_MEETING_DAYS)),
        "failed_mail": outbox.view_counts()[outbox.FAILED],
        "link": emails.absolute_url("main.home", fy=fy),  # the compliance dashboard
        "mail_log": emails.absolute_url("mail_log.index", view=outbox.FAILED),
    }
    return [Reminder("weekly_digest", r, f"week:{week.year}-W{week.week:02d}", monday, "weekly", context)
            for r in people.secretaries]

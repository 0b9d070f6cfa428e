"""A realistic board history, built through the app's own services and models.

Ten fiscal years by default: fifteen directors in office at any time (staggered
four-year terms), fifteen board meetings a year with twenty agenda items each and the
attendance of every director in office, the year's budget months, two reports to the
minister, the self-assessment with every director's form, the website checklist, the
year's criteria, and a year's worth of sent emails in the outbox.

Records are made through the services a secretary uses (so they obey every rule and
every change lands in the audit trail), except where the services have no bulk form:
agenda items and attendance go straight onto the meeting through the models (audited
all the same, at one flush per meeting), and past outbox rows are one bulk insert (the
outbox is not an audited table).  Call inside an app context; the caller commits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

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
from governance.models import AgendaItem, AssessmentForm, Attendance, OutboxMessage, OutboxStatus, Role
from governance.services import budget, directors, fiscal_years, meetings, reports, users, website
from governance.services import self_assessment as assessments

PASSWORD = "bench-password-123"

#: the topics of a year's agenda, spread so that every indicator has something to count
_QUARTERLY = (Topic.INTERNAL_CONTROL, Topic.INTERNAL_AUDIT, Topic.RISK_MANAGEMENT, Topic.HR_MANAGEMENT,
              Topic.FINANCIAL_REPORT, Topic.MISSION_REPORT)
_OTHER = (Topic.PERFORMANCE_REVIEW, Topic.DIGITAL_TECHNOLOGY, Topic.BUDGET_DISBURSEMENT,
          Topic.MINISTERIAL_REPORT, Topic.OTHER)


@dataclass(frozen=True)
class Shape:
    years: int = 10
    directors: int = 15
    meetings_per_year: int = 15
    items_per_meeting: int = 20
    reports_per_year: int = 2
    #: sent emails kept in the outbox per year of history
    emails_per_year: int = 300
    #: the last (current) fiscal year; the history is the years before it and it
    last_fy: int = 2568
    #: "today" in the last year: meetings after it are still planned
    as_of: date = date(2025, 6, 30)
    #: the last year's latest past meetings not yet recorded as held (still "planned", no attendance)
    unrecorded: int = 1

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.last_fy - self.years + 1, self.last_fy + 1))


@dataclass
class History:
    shape: Shape
    meeting_ids: list[int] = field(default_factory=list)
    director_ids: list[int] = field(default_factory=list)
    #: sign-ins, role -> email (password: PASSWORD)
    logins: dict[str, str] = field(default_factory=dict)

    @property
    def last_meeting_id(self) -> int:
        """The last year's latest held meeting (the page a secretary opens)."""
        return self.meeting_ids[-1]


def generate(shape: Shape = Shape(), seed: int = 2568) -> History:
    """Write the history (inside an app context; commits once per fiscal year)."""
    chance = random.Random(seed)
    history = History(shape)
    first = fiscal.fiscal_year(shape.fiscal_years[0]).start
    last = fiscal.fiscal_year(shape.last_fy).end
    roster = _directors(shape, first, last, history)
    db.session.commit()
    for fy in shape.fiscal_years:
        _year(shape, fy, roster, chance, history)
        db.session.commit()
    _past_emails(shape, chance)
    _users(history, roster)
    db.session.commit()
    return history


def _directors(shape: Shape, first: date, last: date, history: History) -> list:
    """``shape.directors`` seats, each filled by successive four-year terms, staggered."""
    roster = []
    for seat in range(shape.directors):
        position = Position.CHAIR if seat == 0 else Position.VICE_CHAIR if seat == 1 else (
            Position.EX_OFFICIO if seat in (2, 3) else Position.DIRECTOR)
        start = first - timedelta(days=365 * (seat % 4))
        term = 0
        while start <= last:
            end = None if position == Position.EX_OFFICIO else date(start.year + 4, start.month, 1) - timedelta(days=1)
            director = directors.create_director(directors.DirectorInput(
                name=f"กรรมการ ที่นั่ง {seat + 1} วาระ {term + 1}", position=position, term_start=start,
                term_end=end, email=f"seat{seat + 1}.term{term + 1}@example.org"))
            roster.append(director)
            history.director_ids.append(director.id)
            if end is None:
                break
            start, term = end + timedelta(days=1), term + 1
    db.session.flush()
    return roster


def _year(shape: Shape, fy: int, roster: list, chance: random.Random, history: History) -> None:
    year = fiscal.fiscal_year(fy)
    fiscal_years.update_parameters(fy, {"cabinet_plan_deadline": (year.start + timedelta(days=80)).isoformat()},
                                   by=Role.SECRETARY)
    # Twelve monthly meetings on the third Monday-ish, the rest special meetings in between.
    days = [year.start + timedelta(days=int(i * 365 / shape.meetings_per_year) + 14)
            for i in range(shape.meetings_per_year)]
    past = [day for day in days if day < shape.as_of]
    unrecorded = set(past[len(past) - shape.unrecorded:]) if fy == shape.last_fy and shape.unrecorded else set()
    for index, held_on in enumerate(days, 1):
        planned = held_on > shape.as_of or held_on in unrecorded
        meeting = meetings.create_meeting(meetings.MeetingInput(
            held_on=held_on, kind=MeetingKind.REGULAR if index <= 12 else MeetingKind.SPECIAL,
            number=f"{index}/{fy}", title=f"การประชุมคณะกรรมการ ครั้งที่ {index}/{fy}",
            status=MeetingStatus.PLANNED if planned else MeetingStatus.HELD, body=MeetingBody.BOARD,
            starts_at=time(9, 30), place="ห้องประชุม 1 ชั้น 20"))
        for position in range(1, shape.items_per_meeting + 1):
            topic = _topic(index, position, chance)
            meeting.agenda_items.append(AgendaItem(
                position=position, topic=topic, title=f"วาระที่ {position}: {topic.value} ปีงบประมาณ {fy}",
                states_problems_and_remedies=topic in (Topic.FINANCIAL_REPORT, Topic.MISSION_REPORT)))
        if not planned:
            for director in roster:
                if director.in_office_on(held_on):
                    roll = chance.random()
                    status = (AttendanceStatus.ABSENT if roll < 0.03 else AttendanceStatus.LEAVE if roll < 0.10
                              else AttendanceStatus.ONLINE if roll < 0.40 else AttendanceStatus.IN_PERSON)
                    meeting.attendances.append(Attendance(director_id=director.id, status=status))
        db.session.flush()
        if not planned:
            history.meeting_ids.append(meeting.id)
    # A committee meeting too: it never counts, but the loader reads it.
    meetings.create_meeting(meetings.MeetingInput(
        held_on=year.start + timedelta(days=40), kind=MeetingKind.REGULAR, number=f"C1/{fy}",
        title="ประชุมคณะอนุกรรมการตรวจสอบ", status=MeetingStatus.HELD, body=MeetingBody.COMMITTEE))
    for n in range(shape.reports_per_year):
        sent_on = year.start + timedelta(days=200 + 120 * n)
        if sent_on <= min(year.end, shape.as_of):
            reports.create_report(reports.ReportInput(
                sent_on=sent_on, title=f"รายงานผลการดำเนินงาน {fy} ฉบับที่ {n + 1}",
                period_start=year.start, period_end=sent_on - timedelta(days=30)))
    months = []
    for month in year.months():
        planned = Decimal(chance.randrange(8_000_000, 16_000_000)) + Decimal("0.50")
        known = date.fromisoformat(f"{month}-28") <= shape.as_of
        actual = (planned * Decimal(chance.uniform(0.85, 1.05))).quantize(Decimal("0.01")) if known else None
        months.append(budget.BudgetMonthInput(month=month, planned=planned, actual=actual))
    budget.replace_budget(fy, months)
    for row in website.checklist(fy, min(year.end, shape.as_of)):
        website.record_website_item(fy, row.item.key, f"https://www.example.go.th/{fy}/{row.item.key}",
                                    year.start + timedelta(days=chance.randrange(30, 200)))
    _self_assessment(fy, roster, chance, shape)


def _topic(meeting_index: int, position: int, chance: random.Random) -> Topic:
    if meeting_index == 1 and position <= 2:
        return (Topic.FIVE_YEAR_PLAN, Topic.ANNUAL_PLAN)[position - 1]
    if meeting_index == 11 and position == 1:
        return Topic.SELF_ASSESSMENT_DISCLOSURE
    if meeting_index % 3 == 2 and position <= len(_QUARTERLY):
        return _QUARTERLY[position - 1]  # the quarterly reviews, once a quarter
    return chance.choice(_OTHER)


def _self_assessment(fy: int, roster: list, chance: random.Random, shape: Shape) -> None:
    year = fiscal.fiscal_year(fy)
    closing = year.end - timedelta(days=45)
    assessments.open_assessment(fy, closing_on=closing)
    assessment = assessments.require_assessment(fy)
    submitted_on = closing - timedelta(days=10)
    if submitted_on > shape.as_of:
        return  # the current year's forms are not in yet
    for director in roster:
        if director.counts_for_attendance and director.in_office_on(closing) and chance.random() < 0.9:
            answers = [assessments.AnswerInput(question_id=q.id, rating=chance.choice((3, 4, 4, 5, 5)))
                       for q in assessments.questions_of(assessment, AssessmentForm.INDIVIDUAL)]
            assessments.submit(fy, AssessmentForm.INDIVIDUAL, answers, submitted_on=submitted_on,
                               director_id=director.id)
    board = [assessments.AnswerInput(question_id=q.id, rating=4)
             for q in assessments.questions_of(assessment, AssessmentForm.WHOLE_BOARD)]
    assessments.submit(fy, AssessmentForm.WHOLE_BOARD, board, submitted_on=submitted_on)
    assessments.update_assessment(fy, closing_on=closing, guidelines="ส่งเอกสารล่วงหน้า 7 วัน",
                                  guidelines_recorded_on=closing + timedelta(days=5))


def _past_emails(shape: Shape, chance: random.Random) -> None:
    """Sent reminders of past years: the outbox keeps them (the mail log pages through them)."""
    rows = []
    for fy in shape.fiscal_years[:-1]:
        start = fiscal.fiscal_year(fy).start
        for n in range(shape.emails_per_year):
            moment = datetime.combine(start + timedelta(days=n % 360), time(7), tzinfo=UTC)
            rows.append({
                "idempotency_key": f"bench|fy{fy}|{n}", "recipient": f"seat{n % 15 + 1}.term1@example.org",
                "locale": "th", "kind": "indicator_deadline", "subject_ref": f"fy{fy}:indicator:{10 + n % 9}",
                "subject": f"เตือน: ตัวชี้วัดที่ {10 + n % 9}", "body_text": ("ข้อความ " * 8 + "\n") * 10,
                "body_html": ("<p>" + "ข้อความ " * 8 + "</p>\n") * 10, "status": OutboxStatus.SENT, "attempts": 1,
                "next_attempt_at": moment, "sent_at": moment, "created_at": moment,
            })
    if rows:
        # The outbox is not audited; a bulk insert on the session's connection, in its transaction.
        db.session.connection().execute(sa.insert(OutboxMessage.__table__), rows)


def _users(history: History, roster: list) -> None:
    for role in (Role.SECRETARY, Role.AUDITOR, Role.ADMIN):
        email = f"bench.{role.value}@example.org"
        users.create_user(email, role, PASSWORD)
        history.logins[role.value] = email
    chair = next(d for d in roster if d.position == Position.CHAIR and d.in_office_on(history.shape.as_of))
    email = "bench.director@example.org"
    users.create_user(email, Role.DIRECTOR, PASSWORD, director_id=chair.id)
    history.logins[Role.DIRECTOR.value] = email

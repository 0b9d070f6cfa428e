"""What is due when: lead-time marks, gaps, each kind of reminder, opting out of optional mail."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus, MeetingStatus, Topic
from governance.models import AssessmentForm, OutboxMessage
from governance.services import emails, meetings, outbox, reminders, self_assessment
from tests.reminders.conftest import at, reschedule

FY_END = date(2020, 9, 30)  # FY2563: marks on 31 Aug (30), 16 Sep (14), 23 Sep (7), 29 Sep (1)


def run(day: date) -> reminders.PlanReport:
    report = reminders.queue_due(day, at(day))
    db.session.commit()
    return report


def keys(kind: str, recipient: str | None = None) -> list[str]:
    query = sa.select(OutboxMessage.idempotency_key).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    if recipient:
        query = query.where(OutboxMessage.recipient == recipient)
    return list(db.session.scalars(query))


@pytest.mark.parametrize(("as_of", "expected"), [
    (date(2020, 8, 30), None), (date(2020, 8, 31), 30), (date(2020, 9, 15), 30), (date(2020, 9, 16), 14),
    (date(2020, 9, 22), 14), (date(2020, 9, 23), 7), (date(2020, 9, 29), 1), (date(2020, 9, 30), 1),
    (date(2020, 10, 1), None),
])
def test_the_current_mark_is_the_nearest_lead_time_that_has_come(as_of, expected):
    assert reminders.current_mark(FY_END, as_of, (30, 14, 7, 1)) == expected


def test_a_three_day_gap_sends_each_missed_reminder_once(mail_app, smtp, board):
    run(date(2020, 8, 28))  # the scheduler's last run before it went down
    assert keys("indicator_deadline", "sec@example.org") == []
    run(date(2020, 9, 1))  # back after three days, the 30-day mark (31 Aug) among them
    outbox.deliver_due(at(date(2020, 9, 1)))
    run(date(2020, 9, 2))
    run(date(2020, 9, 3))
    outbox.deliver_due(at(date(2020, 9, 3)))
    assert smtp.subjects("sec@example.org").count("เตือน: ตัวชี้วัดที่ 10 ครบกำหนด 30 กันยายน 2563") == 1
    assert keys("indicator_deadline", "sec@example.org")[0] == \
        "indicator_deadline|fy2563:indicator:10|2020-09-30|lead-30|sec@example.org"


def test_a_gap_across_two_marks_sends_only_the_nearest(app, board):
    run(date(2020, 9, 10))
    run(date(2020, 9, 24))  # 14-day (16 Sep) and 7-day (23 Sep) marks both passed meanwhile
    marks = [key.split("|")[3] for key in keys("indicator_deadline", "sec@example.org") if ":indicator:10|" in key]
    assert marks == ["lead-30", "lead-7"]


def test_a_met_indicator_is_not_reminded(app, board, make_meeting):
    meeting = make_meeting(date(2020, 8, 20))
    meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(Topic.PERFORMANCE_REVIEW, "ทบทวนผลการดำเนินงาน"))
    db.session.commit()
    run(date(2020, 9, 1))
    assert not [k for k in keys("indicator_deadline") if ":indicator:10|" in k]
    assert [k for k in keys("indicator_deadline") if ":indicator:17|" in k]


def test_lead_times_are_configurable(app, board):
    app.config["REMINDER_LEAD_DAYS"] = (10,)
    run(date(2020, 9, 1))
    assert not [k for k in keys("indicator_deadline") if ":indicator:10|" in k]
    run(date(2020, 9, 20))
    assert [k.split("|")[3] for k in keys("indicator_deadline") if ":indicator:10|" in k] == ["lead-10"]


def test_quarter_reviews_skip_subjects_already_on_an_agenda(app, board, make_meeting):
    planned = make_meeting(date(2020, 6, 25), status=MeetingStatus.PLANNED)
    held = make_meeting(date(2020, 4, 10))
    meetings.add_agenda_item(planned.id, meetings.AgendaItemInput(Topic.INTERNAL_CONTROL, "แผนควบคุมภายใน"))
    meetings.add_agenda_item(held.id, meetings.AgendaItemInput(Topic.RISK_MANAGEMENT, "รายงานความเสี่ยง"))
    db.session.commit()
    report = run(date(2020, 6, 20))  # Q3 ends 30 Jun: its 14-day mark
    quarter = [r for r in report.queued if r.kind == "quarter_reviews"]
    assert [r.recipient.email for r in quarter] == ["sec@example.org"]
    assert quarter[0].key == "quarter_reviews|fy2563:q3|2020-06-30|lead-14|sec@example.org"
    subjects = [s for group in quarter[0].context["missing"] for s in group["subjects"]]
    assert subjects == ["internal_audit", "hr_management", "digital_technology", "financial_report",
                        "mission_report"]


def test_self_assessment_reminds_only_directors_who_have_not_submitted(app, board):
    assessment = self_assessment.open_assessment(2563, closing_on=date(2020, 9, 15))
    db.session.flush()
    answers = [self_assessment.AnswerInput(q.id, 4)
               for q in self_assessment.questions_of(assessment, AssessmentForm.INDIVIDUAL)]
    self_assessment.submit(2563, AssessmentForm.INDIVIDUAL, answers, submitted_on=date(2020, 8, 30),
                           director_id=board.director_ids[1])
    db.session.commit()
    report = run(date(2020, 9, 1))  # 14 days before the closing date
    reminded = sorted(r.recipient.email for r in report.queued if r.kind == "self_assessment")
    assert reminded == ["chair@example.org", "two@example.org"]  # one@ submitted; "No Address" has none
    mark = next(r for r in report.queued if r.kind == "self_assessment").mark
    assert mark == "lead-14"


def test_attendance_notice_after_the_meeting_that_leaves_nothing_to_absorb(app, board, make_meeting):
    held = make_meeting(date(2020, 8, 20))
    meetings.replace_attendance(held.id, [meetings.AttendanceRow(d, AttendanceStatus.IN_PERSON)
                                          for d in board.all_ids])
    planned = make_meeting(date(2020, 9, 15), status=MeetingStatus.PLANNED)
    db.session.commit()
    report = run(date(2020, 8, 21))  # one of two meetings failing would leave the year at 50 %
    notices = [r for r in report.queued if r.kind == "attendance_absorb"]
    assert sorted(r.recipient.email for r in notices) == ["chair@example.org", "sec@example.org"]
    assert notices[0].mark == "absorb-0" and notices[0].subject_ref == f"meeting:{held.id}"
    assert not [r for r in run(date(2020, 8, 22)).queued if r.kind == "attendance_absorb"]

    reschedule(planned.id, status=MeetingStatus.HELD)  # held, with only one director present
    meetings.replace_attendance(planned.id, [meetings.AttendanceRow(board.chair_id, AttendanceStatus.IN_PERSON)])
    db.session.commit()
    after = [r for r in run(date(2020, 9, 16)).queued if r.kind == "attendance_absorb"]
    assert {r.mark for r in after} == {"absorb--1"} and after[0].subject_ref == f"meeting:{planned.id}"


def test_unsubscribing_stops_optional_mail_but_not_deadline_mail(app, board, planned_meeting):
    planned_meeting(held_on=date(2020, 9, 20))
    run(date(2020, 9, 1))
    assert keys("meeting", "one@example.org") and keys("weekly_digest", "sec@example.org")
    emails.unsubscribe("One@Example.org", "meeting", at(date(2020, 9, 1)))
    emails.unsubscribe("sec@example.org", "weekly_digest", at(date(2020, 9, 1)))
    db.session.commit()

    # A later week: the meeting's 7-day mark and the year-end deadlines' 14-day mark.
    report = run(date(2020, 9, 17))
    queued = {(r.kind, r.recipient.email) for r in report.queued}
    assert ("meeting", "two@example.org") in queued
    assert ("meeting", "one@example.org") not in queued  # ...but not to who opted out
    assert ("weekly_digest", "sec@example.org") not in queued
    assert ("indicator_deadline", "sec@example.org") in queued  # mandatory: still sent
    assert report.opted_out == 2


def test_mandatory_kinds_cannot_be_unsubscribed(app):
    with pytest.raises(Exception, match="not valid"):
        emails.unsubscribe("sec@example.org", "indicator_deadline", at(date(2020, 9, 1)))
    token = emails.unsubscribe_token("sec@example.org", "indicator_deadline")
    with pytest.raises(Exception, match="not valid"):
        emails.read_unsubscribe_token(token)


def test_the_chair_hears_once_when_missed(app, board):
    run(date(2020, 9, 1))
    run(date(2020, 9, 20))
    missed = [k for k in keys("indicator_alert", "chair@example.org") if ":indicator:12|" in k]
    assert missed == ["indicator_alert|fy2563:indicator:12|2020-09-30|missed|chair@example.org"]


def test_missed_after_the_year_ends_is_still_told_to_the_chair(app, board):
    run(date(2020, 10, 5))  # FY2564 has begun; FY2563's misses are told in its first weeks
    alerts = [k for k in keys("indicator_alert", "chair@example.org") if "|fy2563:indicator:10|" in k]
    assert alerts == ["indicator_alert|fy2563:indicator:10|2020-09-30|missed|chair@example.org"]

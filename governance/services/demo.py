"""A realistic FY2563 board so that a newcomer sees the tracker working at once.

Built only through the same services a secretary uses, so demo data obeys every rule.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from governance import clock, fiscal
from governance.extensions import db
from governance.indicators.vocabulary import (
    AttendanceStatus,
    MeetingBody,
    MeetingKind,
    MeetingStatus,
    Position,
    Topic,
)
from governance.models import AgendaSection, AssessmentForm, Confidentiality, Director, Role, RsvpResponse, User
from governance.services import accounts, agenda, budget, directors, fiscal_years, kpis, meetings, reports, rsvps, users, website
from governance.services import self_assessment as assessments

DEMO_PASSWORD = "demo-password"

_DIRECTORS = [
    # name, position, term_start, term_end, counts_for_attendance
    ("ศาสตราจารย์ สมชาย วงศ์ประเสริฐ", Position.CHAIR, date(2018, 6, 1), date(2022, 5, 31), True),
    ("นางสาววิไลวรรณ ศรีสุข", Position.VICE_CHAIR, date(2018, 6, 1), date(2022, 5, 31), True),
    ("นายประเสริฐ ทองดี", Position.DIRECTOR, date(2018, 6, 1), date(2022, 5, 31), True),
    ("ดร.กมลา จันทร์เพ็ญ", Position.DIRECTOR, date(2018, 6, 1), date(2022, 5, 31), True),
    ("นายธนพล รัตนชัย", Position.DIRECTOR, date(2018, 6, 1), date(2022, 5, 31), True),
    ("นางอรุณี พงษ์ศิริ", Position.DIRECTOR, date(2018, 6, 1), date(2022, 5, 31), True),
    ("นายวีระ สุขสวัสดิ์ (ผู้แทนกระทรวงดิจิทัลฯ)", Position.EX_OFFICIO, date(2017, 1, 1), None, True),
    ("นางปราณี มีสุข (ผู้แทนกรมบัญชีกลาง)", Position.EX_OFFICIO, date(2017, 1, 1), None, True),
    ("นายอนันต์ แก้วมณี", Position.DIRECTOR, date(2018, 6, 1), date(2020, 3, 31), True),
    ("ดร.ศิริพร บุญญาธิการ", Position.DIRECTOR, date(2020, 4, 1), date(2024, 3, 31), True),
    ("นายชัยวัฒน์ เจริญผล", Position.DIRECTOR, date(2018, 6, 1), date(2022, 5, 31), True),
    ("นายภาณุ วัฒนากร (ผู้อำนวยการ)", Position.SECRETARY, date(2018, 6, 1), None, True),
    ("นางสาวณัฐธิดา ใจดี (ผู้ช่วยเลขานุการ)", Position.SECRETARY, date(2018, 6, 1), None, False),
]

# held_on, number, kind, topics on the agenda (topic, states_problems_and_remedies)
_Q_REVIEWS = [(Topic.INTERNAL_CONTROL, False), (Topic.INTERNAL_AUDIT, False),
              (Topic.RISK_MANAGEMENT, False), (Topic.HR_MANAGEMENT, False)]
_REPORTS = [(Topic.FINANCIAL_REPORT, True), (Topic.MISSION_REPORT, True)]
_MEETINGS = [
    (date(2019, 10, 21), "10/2562", MeetingKind.REGULAR,
     [(Topic.FIVE_YEAR_PLAN, False), (Topic.ANNUAL_PLAN, False), (Topic.DIGITAL_TECHNOLOGY, False)]),
    (date(2019, 11, 18), "11/2562", MeetingKind.REGULAR, _Q_REVIEWS + _REPORTS),
    (date(2019, 12, 16), "12/2562", MeetingKind.REGULAR, [(Topic.BUDGET_DISBURSEMENT, False)]),
    (date(2020, 1, 20), "1/2563", MeetingKind.REGULAR, [(Topic.PERFORMANCE_REVIEW, False)]),
    (date(2020, 2, 17), "2/2563", MeetingKind.REGULAR, _Q_REVIEWS + _REPORTS + [(Topic.DIGITAL_TECHNOLOGY, False)]),
    (date(2020, 3, 16), "3/2563", MeetingKind.SPECIAL, [(Topic.OTHER, False)]),
    (date(2020, 4, 27), "4/2563", MeetingKind.REGULAR, [(Topic.MINISTERIAL_REPORT, False)]),
    (date(2020, 5, 18), "5/2563", MeetingKind.REGULAR,
     _Q_REVIEWS + [(Topic.FINANCIAL_REPORT, True), (Topic.MISSION_REPORT, False)]),
    (date(2020, 6, 15), "6/2563", MeetingKind.REGULAR, [(Topic.BUDGET_DISBURSEMENT, False)]),
    (date(2020, 7, 20), "7/2563", MeetingKind.REGULAR, _Q_REVIEWS + _REPORTS),
    (date(2020, 8, 17), "8/2563", MeetingKind.REGULAR,
     [(Topic.SELF_ASSESSMENT_DISCLOSURE, False), (Topic.DIGITAL_TECHNOLOGY, False)]),
    (date(2020, 9, 21), "9/2563", MeetingKind.REGULAR, [(Topic.MINISTERIAL_REPORT, False)]),
]

_TOPIC_TITLES = {
    Topic.PERFORMANCE_REVIEW: "ทบทวนผลการดำเนินงานเพื่อกำหนดทิศทางและนโยบาย",
    Topic.FIVE_YEAR_PLAN: "แผนปฏิบัติการ 3 ปี (พ.ศ. 2563 - 2565)",
    Topic.ANNUAL_PLAN: "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2563",
    Topic.INTERNAL_CONTROL: "รายงานผลการควบคุมภายใน",
    Topic.INTERNAL_AUDIT: "รายงานผลการตรวจสอบภายใน",
    Topic.RISK_MANAGEMENT: "รายงานผลการบริหารความเสี่ยง",
    Topic.HR_MANAGEMENT: "รายงานผลการบริหารงานบุคคล",
    Topic.DIGITAL_TECHNOLOGY: "แผนและรายงานการนำเทคโนโลยีดิจิทัลมาใช้ในการปฏิบัติงาน",
    Topic.FINANCIAL_REPORT: "รายงานผลการปฏิบัติงานด้านการเงิน",
    Topic.MISSION_REPORT: "รายงานผลการดำเนินงานด้านภารกิจหลัก",
    Topic.BUDGET_DISBURSEMENT: "ผลการเบิกจ่ายงบประมาณเทียบกับแผน",
    Topic.MINISTERIAL_REPORT: "รายงานผลการดำเนินงานเสนอรัฐมนตรีผู้กำกับดูแล",
    Topic.SELF_ASSESSMENT_DISCLOSURE: "เปิดเผยผลการประเมินตนเองของคณะกรรมการ",
    Topic.OTHER: "เรื่องอื่น ๆ",
}


@dataclass
class DemoLogin:
    email: str
    role: str
    password: str


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Director)) == 0


def load_demo() -> list[DemoLogin]:
    """Load the FY2563 demo board; returns the demo sign-ins."""
    roster = [directors.create_director(directors.DirectorInput(
        name=name, position=position, term_start=start, term_end=end, counts_for_attendance=counts,
        email=f"director{index}@example.org")) for index, (name, position, start, end, counts) in enumerate(_DIRECTORS, 1)]
    chance = random.Random(2563)  # the same demo every time
    held = [_demo_meeting(held_on, number, kind, topics, roster, chance)
            for held_on, number, kind, topics in _MEETINGS]
    _demo_workflow(held, roster)
    meetings.create_meeting(meetings.MeetingInput(
        held_on=date(2020, 6, 8), kind=MeetingKind.REGULAR, number="2/2563", status=MeetingStatus.HELD,
        title="ประชุมคณะอนุกรรมการตรวจสอบ", body=MeetingBody.COMMITTEE))
    for sent_on, title, start, end in (
        (date(2020, 4, 30), "รายงานผลการดำเนินงานรอบ 6 เดือน ปีงบประมาณ 2563", date(2019, 10, 1), date(2020, 3, 31)),
        (date(2020, 9, 25), "รายงานผลการดำเนินงานรอบ 9 เดือน ปีงบประมาณ 2563", date(2019, 10, 1), date(2020, 6, 30)),
    ):
        reports.create_report(reports.ReportInput(sent_on=sent_on, title=title, period_start=start, period_end=end))
    _demo_budget()
    fiscal_years.update_parameters(2563, {"cabinet_plan_deadline": "2019-12-27"}, by=Role.SECRETARY)
    _demo_website()
    _demo_self_assessment(roster, chance)
    kpis.load_demo()
    return _demo_users(roster)


def _demo_meeting(held_on, number, kind, topics, roster, chance):
    meeting = meetings.create_meeting(meetings.MeetingInput(
        held_on=held_on, kind=kind, number=number, status=MeetingStatus.HELD, body=MeetingBody.BOARD,
        title=f"การประชุมคณะกรรมการ ครั้งที่ {number}", starts_at=time(9, 30), ends_at=time(12, 0),
        place="ห้องประชุม 1 ชั้น 20" if held_on < date(2020, 4, 19) else "ห้องประชุม 1 และผ่านสื่ออิเล็กทรอนิกส์"))
    rows = []
    for director in roster:
        if not director.in_office_on(held_on):
            continue
        roll = chance.random()
        # The special meeting of March 2020 drew too few directors: the one miss the year absorbs.
        if number == "3/2563" and roll < 0.45:
            status = AttendanceStatus.LEAVE
        elif roll < 0.08:
            status = AttendanceStatus.LEAVE
        elif held_on >= date(2020, 4, 19) and roll < 0.45:
            status = AttendanceStatus.ONLINE
        else:
            status = AttendanceStatus.IN_PERSON
        rows.append(meetings.AttendanceRow(director_id=director.id, status=status))
    meetings.replace_attendance(meeting.id, rows)
    meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
        topic=Topic.OTHER, title="ประธานแจ้งที่ประชุมทราบ", section=AgendaSection.CHAIR_ANNOUNCEMENTS,
        resolution="ที่ประชุมรับทราบ"))
    for topic, states in topics:
        considered = topic in _FOR_CONSIDERATION
        meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
            topic=topic, title=_TOPIC_TITLES[topic], states_problems_and_remedies=states,
            section=AgendaSection.FOR_CONSIDERATION if considered else AgendaSection.FOR_INFORMATION,
            resolution="ที่ประชุมพิจารณาแล้ว มีมติเห็นชอบ" if considered else "ที่ประชุมรับทราบ"))
    return meeting


_FOR_CONSIDERATION = {Topic.FIVE_YEAR_PLAN, Topic.ANNUAL_PLAN, Topic.PERFORMANCE_REVIEW, Topic.BUDGET_DISBURSEMENT,
                      Topic.MINISTERIAL_REPORT, Topic.SELF_ASSESSMENT_DISCLOSURE, Topic.OTHER}


def _demo_workflow(held, roster) -> None:
    """Each meeting approves the previous one's minutes; two resolutions assign work (one done,
    one still open and carried forward); the next meeting, in October, is planned and six
    directors have answered."""
    for previous, meeting in zip(held, held[1:], strict=False):
        meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
            topic=Topic.OTHER, title=f"รับรองรายงานการประชุมครั้งที่ {previous.number}",
            section=AgendaSection.PREVIOUS_MINUTES, resolution="ที่ประชุมรับรองรายงานการประชุมโดยไม่มีการแก้ไข"))
        agenda.approve_minutes(previous.id, meeting.id)
    by_number = {m.number: m for m in held}
    for number, topic, action, owner, due_on, done_on in (
        ("11/2562", Topic.FINANCIAL_REPORT, "จัดทำแผนเร่งรัดการเบิกจ่ายงบลงทุน", "ฝ่ายบริหารและการเงิน",
         date(2020, 1, 31), date(2020, 1, 15)),
        ("5/2563", Topic.RISK_MANAGEMENT, "ทบทวนแผนบริหารความเสี่ยงจากสถานการณ์โควิด-19", "ฝ่ายนโยบายและแผน",
         date(2020, 8, 31), None),
        # the demo director's own work: it is on her page (/me)
        ("5/2563", Topic.RISK_MANAGEMENT, "เสนอแนวทางกำกับดูแลความเสี่ยงด้านไซเบอร์ต่อที่ประชุม",
         "นางสาววิไลวรรณ ศรีสุข", date(2020, 10, 19), None),
    ):
        item = next(i for i in by_number[number].agenda_items if i.topic == topic)
        created = agenda.add_action_item(by_number[number].id, item.id, agenda.ActionItemInput(action, owner, due_on))
        if done_on is not None:
            agenda.complete_action_item(created.id, done_on)
    # A confidential item (วาระลับ): an auditor sees it exists, its title, but not its resolution.
    meetings.add_agenda_item(by_number["5/2563"].id, meetings.AgendaItemInput(
        topic=Topic.OTHER, title="พิจารณาข้อพิพาทตามสัญญาจ้างพัฒนาระบบสารสนเทศ (วาระลับ)",
        section=AgendaSection.FOR_CONSIDERATION, confidentiality=Confidentiality.CONFIDENTIAL,
        resolution="ที่ประชุมมอบหมายให้ฝ่ายกฎหมายเจรจาไกล่เกลี่ยกับคู่สัญญาก่อนดำเนินคดี"))
    planned = meetings.create_meeting(meetings.MeetingInput(
        held_on=date(2020, 10, 19), kind=MeetingKind.REGULAR, number="10/2563", status=MeetingStatus.PLANNED,
        body=MeetingBody.BOARD, title="การประชุมคณะกรรมการ ครั้งที่ 10/2563", starts_at=time(9, 30),
        place="ห้องประชุม 1 และผ่านสื่ออิเล็กทรอนิกส์"))
    meetings.add_agenda_item(planned.id, meetings.AgendaItemInput(
        topic=Topic.ANNUAL_PLAN, title="พิจารณาแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2564",
        section=AgendaSection.FOR_CONSIDERATION))
    answers = [RsvpResponse.IN_PERSON, RsvpResponse.ONLINE, RsvpResponse.IN_PERSON, RsvpResponse.APOLOGIES,
               RsvpResponse.ONLINE, RsvpResponse.IN_PERSON]
    invited = [d for d in roster if d.in_office_on(planned.held_on) and d.counts_for_attendance]
    for director, response in zip(invited[2:], answers, strict=False):  # the demo director (vice chair) has not answered
        rsvps.answer(planned.id, director.id, response, datetime(2020, 10, 5, 3, tzinfo=UTC))


def _demo_budget() -> None:
    planned = [Decimal(x) for x in ("8500000.00", "9200000.00", "12400000.00", "9800000.00", "10150000.00",
                                    "14300000.00", "9600000.00", "9900000.00", "13750000.00", "10400000.00",
                                    "11200000.00", "16800000.00")]
    ratio = [Decimal(x) for x in ("0.91", "0.97", "1.02", "0.95", "0.99", "0.97", "0.93", "1.01", "0.98",
                                  "0.99", "1.00", "0.99")]
    months = [budget.BudgetMonthInput(month=month, planned=plan, actual=(plan * r).quantize(Decimal("0.01")))
              for month, plan, r in zip(fiscal.fiscal_year(2563).months(), planned, ratio, strict=True)]
    budget.replace_budget(2563, months)


def _demo_website() -> None:
    # Everything published and updated during the year, but procurement results last
    # updated in May: stale under its 90-day rule by the year's end.
    for index, row in enumerate(website.checklist(2563, date(2020, 9, 30))):
        updated = date(2020, 5, 15) if row.item.key == "procurement_results" else date(2020, 1 + index % 8, 10)
        website.record_website_item(2563, row.item.key, f"https://www.example.go.th/{row.item.key.replace('_', '-')}",
                                    updated)


def _demo_self_assessment(roster, chance) -> None:
    assessments.open_assessment(2563, closing_on=date(2020, 8, 14))
    assessment = assessments.require_assessment(2563)
    late = "นายธนพล รัตนชัย"  # one director has not yet submitted: the page names them
    for director in roster:
        if not director.counts_for_attendance or not director.in_office_on(date(2020, 8, 14)) or director.name == late:
            continue
        answers = [assessments.AnswerInput(question_id=q.id, rating=chance.choice((3, 4, 4, 5, 5)))
                   for q in assessments.questions_of(assessment, AssessmentForm.INDIVIDUAL)]
        assessments.submit(2563, AssessmentForm.INDIVIDUAL, answers, submitted_on=date(2020, 8, 3),
                           director_id=director.id)
    board_answers = [assessments.AnswerInput(question_id=q.id, rating=4)
                     for q in assessments.questions_of(assessment, AssessmentForm.WHOLE_BOARD)]
    assessments.submit(2563, AssessmentForm.WHOLE_BOARD, board_answers, submitted_on=date(2020, 8, 10),
                       comments="ควรเพิ่มเวลาพิจารณาวาระเชิงยุทธศาสตร์")
    assessments.update_assessment(
        2563, closing_on=date(2020, 8, 14), guidelines_recorded_on=date(2020, 8, 17),
        guidelines="ส่งเอกสารประกอบการประชุมล่วงหน้าอย่างน้อย 7 วัน และติดตามมติคณะกรรมการทุกไตรมาส")


_LOGINS = (
    DemoLogin("admin@example.org", Role.ADMIN.value, DEMO_PASSWORD),
    DemoLogin("secretary@example.org", Role.SECRETARY.value, DEMO_PASSWORD),
    DemoLogin("director@example.org", Role.DIRECTOR.value, DEMO_PASSWORD),
    DemoLogin("auditor@example.org", Role.AUDITOR.value, DEMO_PASSWORD),
)


def working_logins() -> list[DemoLogin]:
    """The demo's sign-ins that still open with the demo password (a second ``make run`` says
    them again; one whose password was changed or account disabled is left out)."""
    found = {user.email: user for user in db.session.scalars(
        sa.select(User).where(User.email.in_([login.email for login in _LOGINS])))}
    return [login for login in _LOGINS if login.email in found and found[login.email].is_active
            and check_password_hash(found[login.email].password_hash, login.password)]


def _demo_users(roster) -> list[DemoLogin]:
    logins = list(_LOGINS)
    for login in logins:
        director_id = roster[1].id if login.role == Role.DIRECTOR.value else None
        user = users.create_user(login.email, login.role, login.password, director_id=director_id)
        # The demo is set in FY2563: kept open, the demo director can sign in whatever today's date.
        user.keep_open = director_id is not None
    # A director whose term ended (31 Mar 2020): their account was disabled the day after.
    former = roster[8]
    users.create_user(former.email, Role.DIRECTOR, DEMO_PASSWORD, director_id=former.id)
    accounts.disable_departed(former.term_end + timedelta(days=1), clock.now())
    return logins

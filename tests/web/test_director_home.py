"""A director signs in to their own page: their meetings, answers, papers, work, assessment, mail."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, date, datetime

import pytest

from governance.extensions import db
from governance.indicators.vocabulary import MeetingStatus, Topic
from governance.models import AgendaSection, Director, DocumentKind, OutboxMessage, OutboxStatus, Role, Rsvp
from governance.services import agenda, director_home, documents, meetings, self_assessment

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def board(make_director, make_meeting, login):
    """A director with an account, a planned meeting with papers and a decision, and work."""
    me = make_director("นายสมชาย ใจดี", email="somchai@example.org")
    other = make_director("นางสาวสมหญิง รักดี")
    planned = make_meeting(date(2020, 2, 10), number="2/2563", title="ประชุมครั้งที่ 2/2563",
                           status=MeetingStatus.PLANNED)
    past = make_meeting(date(2019, 12, 10), number="1/2563", title="ประชุมครั้งที่ 1/2563")
    decision = meetings.add_agenda_item(planned.id, meetings.AgendaItemInput(
        topic=Topic.OTHER, title="พิจารณาแผนปฏิบัติการดิจิทัล", section=AgendaSection.FOR_CONSIDERATION))
    meetings.add_agenda_item(planned.id, meetings.AgendaItemInput(
        topic=Topic.OTHER, title="แจ้งเพื่อทราบผลการเบิกจ่าย", section=AgendaSection.FOR_INFORMATION))
    source = meetings.add_agenda_item(past.id, meetings.AgendaItemInput(
        topic=Topic.OTHER, title="ติดตามงาน", section=AgendaSection.FOR_CONSIDERATION))
    mine = agenda.add_action_item(past.id, source.id, agenda.ActionItemInput("ทบทวนแผนความเสี่ยง", "สมชาย ใจดี",
                                                                            date(2020, 1, 10)))
    theirs = agenda.add_action_item(past.id, source.id, agenda.ActionItemInput("จัดทำรายงาน", "ฝ่ายบริหาร",
                                                                              date(2020, 1, 31)))
    paper = documents.attach_to_meeting(planned.id, documents.Upload("วาระ 4.1.pdf", io.BytesIO(PDF)), DocumentKind.PAPER,
                                        None, agenda_item_id=decision.id)
    db.session.commit()
    user = login(Role.DIRECTOR, email="somchai@example.org", director_id=me.id)
    return {"me": me, "other": other, "planned": planned, "decision": decision, "mine": mine, "theirs": theirs,
            "paper": paper, "user": user}


def test_a_director_lands_on_their_own_page(client, board):
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/me")
    page = client.get("/me").get_data(as_text=True)
    assert "นายสมชาย ใจดี" in page
    assert 'data-testid="nav-main"' in page


def test_the_page_shows_the_next_meeting_its_papers_and_what_the_board_decides(client, board):
    page = client.get("/me").get_data(as_text=True)
    meeting = re.search(r'data-testid="home-meeting-%d".*?</article>' % board["planned"].id, page, re.S).group(0)
    text = _text(meeting)
    assert "ประชุมครั้งที่ 2/2563" in text
    assert "10 ก.พ. 2563" in text or "10 กุมภาพันธ์ 2563" in text  # the Buddhist Era
    assert "ยังไม่ตอบ" in text
    assert "วาระ 4.1.pdf" in text
    assert "พิจารณาแผนปฏิบัติการดิจิทัล" in text
    assert "แจ้งเพื่อทราบผลการเบิกจ่าย" not in text  # for information: nothing to decide
    assert "1/2563" not in text  # a held meeting is not a next meeting


def test_one_tap_answers_and_comes_back_to_the_page(client, board):
    planned = board["planned"]
    response = client.post(f"/meetings/{planned.id}/rsvp",
                           data={"response": "online", "return_to": "home", "as_of": "2020-01-20"})
    assert response.status_code == 302
    assert "/me?as_of=2020-01-20" in response.location and response.location.endswith(f"#meeting-{planned.id}")
    answer = db.session.query(Rsvp).filter_by(meeting_id=planned.id, director_id=board["me"].id).one()
    assert answer.response.value == "online"
    page = client.get("/me").get_data(as_text=True)
    pressed = re.search(r'data-testid="home-rsvp-%d-online"[^>]*aria-pressed="(\w+)"' % planned.id, page, re.S)
    assert pressed.group(1) == "true"


def test_only_action_items_that_name_the_director_and_are_open(client, board):
    page = client.get("/me").get_data(as_text=True)
    assert f'data-testid="home-action-{board["mine"].id}"' in page
    assert f'data-testid="home-action-{board["theirs"].id}"' not in page
    mine = re.search(r'data-testid="home-action-%d".*?</li>' % board["mine"].id, page, re.S).group(0)
    assert "overdue" in mine  # due 10 Jan 2020; today is 15 Jan
    agenda.complete_action_item(board["mine"].id, date(2020, 1, 14))
    db.session.commit()
    assert f'data-testid="home-action-{board["mine"].id}"' not in client.get("/me").get_data(as_text=True)


@pytest.mark.parametrize(("owner", "names"), [
    ("สมชาย ใจดี", True), ("นายสมชาย  ใจดี", True), ("คุณสมชาย ใจดี และฝ่ายแผน", True),
    ("สมชาย", False), ("ฝ่ายบริหาร", False), ("", False),
])
def test_an_owner_names_the_director_with_or_without_a_title(owner, names):
    director = Director(name="นายสมชาย ใจดี")
    assert director_home.names_director(owner, director) is names


def test_the_self_assessment_part_says_what_is_left_and_by_when(client, board):
    page = _text(client.get("/me").get_data(as_text=True))
    assert "ยังไม่เปิด" in page or "not opened" in page
    self_assessment.open_assessment(2563, date(2020, 8, 31))
    db.session.commit()
    page = client.get("/me").get_data(as_text=True)
    state = _text(re.search(r'data-testid="home-assessment-state".*?</p>', page, re.S).group(0))
    assert "31 สิงหาคม 2563" in state
    assert 'href="/self-assessment/2563"' in page


def test_the_last_messages_sent_to_the_director_and_no_one_elses(client, board):
    now = datetime(2020, 1, 14, 2, tzinfo=UTC)
    for recipient, subject in (("somchai@example.org", "เชิญประชุมครั้งที่ 2/2563"),
                               ("someone@example.org", "ข้อความของคนอื่น")):
        db.session.add(OutboxMessage(idempotency_key=subject, recipient=recipient, locale="th", kind="meeting",
                                     subject_ref="x", subject=subject, body_text="-", body_html="-",
                                     status=OutboxStatus.SENT, next_attempt_at=now, sent_at=now, created_at=now))
    db.session.commit()
    part = _text(re.search(r'data-testid="home-messages".*?</section>', client.get("/me").get_data(as_text=True),
                           re.S).group(0))
    assert "เชิญประชุมครั้งที่ 2/2563" in part
    assert "ข้อความของคนอื่น" not in part
    assert "14 ม.ค. 2563 09:00" in part  # Bangkok time, Buddhist Era


def test_the_page_in_english(client, board, english):
    english()
    page = _text(client.get("/me").get_data(as_text=True))
    assert "My next meetings" in page and "My action items" in page and "Messages sent to me" in page


def test_an_account_linked_to_no_director_is_told_so(client, login):
    login(Role.DIRECTOR)
    page = client.get("/me").get_data(as_text=True)
    assert 'data-testid="not-linked"' in page


def test_the_secretariat_still_lands_on_the_dashboard(client, login):
    login(Role.SECRETARY)
    assert "/dashboard" in client.get("/").location

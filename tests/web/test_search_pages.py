"""Search from the navigation bar: Thai words found inside titles, every kind of record, and
nothing a reader may not see."""

from __future__ import annotations

import re
from datetime import date

import pytest

from governance.extensions import db
from governance.indicators.vocabulary import Topic
from governance.models import AgendaSection, Confidentiality, Role
from governance.services import agenda, meetings


def _hits(page: str, kind: str) -> str:
    found = re.search(rf'data-testid="search-{kind}">(.*?)</section>', page, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


@pytest.fixture
def board(make_director, make_meeting):
    director = make_director("นางสาวมาลี ศรีสุข")
    meeting = make_meeting(date(2020, 2, 17), number="5/2563", title="การประชุมคณะกรรมการ ครั้งที่ 5/2563")
    item = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
        topic=Topic.ANNUAL_PLAN, title="พิจารณาแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2564",
        resolution="ที่ประชุมมีมติเห็นชอบแผนปฏิบัติการ", section=AgendaSection.FOR_CONSIDERATION))
    secret = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
        topic=Topic.OTHER, title="พิจารณาโทษทางวินัยผู้อำนวยการ", resolution="ลงโทษภาคทัณฑ์",
        section=AgendaSection.FOR_CONSIDERATION, confidentiality=Confidentiality.TITLE_HIDDEN))
    agenda.add_action_item(meeting.id, item.id, agenda.ActionItemInput(
        title="จัดทำแผนปฏิบัติการฉบับปรับปรุง", owner="กองยุทธศาสตร์", due_on=date(2020, 3, 31)))
    db.session.commit()
    return {"meeting": meeting, "item": item, "secret": secret, "director": director}


def test_a_thai_word_inside_a_title_is_found_in_every_kind(client, login, board):
    login(Role.SECRETARY)
    # "ปฏิบัติการ" sits inside "แผนปฏิบัติการประจำปีงบประมาณ", with no space around it
    page = client.get("/search?q=ปฏิบัติการ").get_data(as_text=True)
    assert "พิจารณาแผนปฏิบัติการประจำปีงบประมาณ" in _hits(page, "agenda_items")
    assert "จัดทำแผนปฏิบัติการฉบับปรับปรุง" in _hits(page, "action_items")
    assert "<mark>ปฏิบัติการ</mark>" in page
    assert "มาลี" in _hits(client.get("/search?q=มาลี").get_data(as_text=True), "directors")
    assert "ครั้งที่ 5/2563" in _hits(client.get("/search?q=5/2563").get_data(as_text=True), "meetings")
    # several words: each must be found, in the title or the resolution of one record
    across = _hits(client.get("/search?q=แผน เห็นชอบ").get_data(as_text=True), "agenda_items")
    assert "พิจารณาแผนปฏิบัติการประจำปีงบประมาณ" in across  # แผน in its title, เห็นชอบ in its resolution
    apart = client.get("/search?q=แผน ภาคทัณฑ์").get_data(as_text=True)
    assert 'data-testid="search-agenda_items"' not in apart  # no one item holds both


def test_a_confidential_item_is_searched_only_for_those_who_may_read_it(client, login, make_user, board):
    login(Role.AUDITOR)
    for word in ("วินัย", "ภาคทัณฑ์"):
        page = client.get(f"/search?q={word}").get_data(as_text=True)
        assert word not in re.sub(r'value="[^"]*"|“[^”]*”|<title>.*?</title>', "", page), word  # not even a hit
        assert 'data-testid="search-agenda_items"' not in page
    client.post("/logout")
    login(Role.SECRETARY, email="sec2@example.org")
    page = client.get("/search?q=ภาคทัณฑ์").get_data(as_text=True)
    assert "พิจารณาโทษทางวินัยผู้อำนวยการ" in _hits(page, "agenda_items")


def test_percent_and_underscore_are_plain_letters(client, login, board):
    login(Role.SECRETARY)
    page = client.get("/search?q=%25%25").get_data(as_text=True)
    assert 'data-testid="search-nothing"' in page


def test_one_letter_asks_for_more(client, login, board):
    login(Role.DIRECTOR)
    page = client.get("/search?q=ก").get_data(as_text=True)
    assert 'data-testid="search-too-short"' in page


def test_the_navigation_bar_searches(client, login):
    login(Role.DIRECTOR)
    page = client.get("/me").get_data(as_text=True)
    assert 'action="/search"' in page and 'name="q"' in page
    assert client.get("/search").status_code == 200

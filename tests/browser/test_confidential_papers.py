"""A confidential agenda item (วาระลับ) whose title is hidden, in a real browser, in Thai: the
auditor sees that it exists but not its title, resolution or paper; the meeting's director
reads it and downloads the paper; the auditor then sees who opened it."""

from __future__ import annotations

import io
from datetime import date

import pytest
from playwright.sync_api import expect

from governance.extensions import db
from governance.models import Confidentiality, DocumentKind, Role
from governance.services import documents, meetings
from tests.browser.conftest import fresh_page, sign_in_with
from tests.conftest import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SECRET_TITLE = "พิจารณาโทษทางวินัยผู้อำนวยการ"
SECRET_RESOLUTION = "ที่ประชุมมีมติลงโทษภาคทัณฑ์"
SECRET_FILE = "สำนวนการสอบสวน.pdf"
DIRECTOR_EMAIL = "somsri@example.org"


@pytest.fixture
def board(live_server, make_meeting, make_director, make_user):
    """A held meeting of 10 Feb 2020 with one item whose title is hidden, its resolution and paper;
    a director in office that day with her account, an auditor and a secretary."""
    meeting = make_meeting(date(2020, 2, 10), number="2/2563")
    somsri = make_director("นางสาวสมศรี ใจดี", term_start=date(2019, 1, 1), email=DIRECTOR_EMAIL)
    item = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
        topic="other", title=SECRET_TITLE, resolution=SECRET_RESOLUTION,
        confidentiality=Confidentiality.TITLE_HIDDEN))
    paper = documents.attach_to_meeting(meeting.id, documents.Upload(SECRET_FILE, io.BytesIO(PDF)),
                                        DocumentKind.PAPER, None, agenda_item_id=item.id)
    db.session.commit()
    make_user(Role.DIRECTOR, email=DIRECTOR_EMAIL, director_id=somsri.id)
    make_user(Role.AUDITOR, email="auditor@example.org")
    make_user(Role.SECRETARY, email="secretary@example.org")
    return {"meeting": meeting, "item": item, "paper": paper}


def test_only_the_meetings_director_reads_a_hidden_item_and_the_auditor_sees_she_did(page, browser, live_server,
                                                                                   board):
    meeting, item, paper = board["meeting"], board["item"], board["paper"]
    meeting_url = f"{live_server}/meetings/{meeting.id}"

    # The auditor sees that the item exists, and nothing of it.
    sign_in_with(page, live_server, "auditor@example.org", PASSWORD)
    page.goto(meeting_url)
    shown = page.locator(f"[data-testid=agenda-item-{item.id}]")
    expect(shown.get_by_test_id("hidden-title")).to_have_text("วาระลับ (ไม่แสดงชื่อเรื่อง)")
    expect(shown.locator(".item-head [data-testid=confidential-badge]")).to_have_text("วาระลับ")
    body = page.locator("body")
    for secret in (SECRET_TITLE, SECRET_RESOLUTION, SECRET_FILE):
        expect(body).not_to_contain_text(secret)
    expect(page.get_by_test_id(f"document-{paper.id}-closed")).to_be_visible()
    expect(page.locator(f"a[data-testid=document-{paper.id}]")).to_have_count(0)
    expect(page.get_by_test_id(f"opened-{paper.id}")).not_to_contain_text(DIRECTOR_EMAIL)

    # Asking for the paper by its address is refused, saying which meeting's directors may open it.
    refused = page.goto(f"{live_server}/documents/{paper.id}")
    assert refused.status == 403
    expect(body).to_contain_text(f"เปิดได้เฉพาะกรรมการที่ดำรงตำแหน่งในวันประชุมครั้งที่ {meeting.number}")
    expect(body).not_to_contain_text(SECRET_FILE)

    # The director in office that day, in her own browser, reads the item and downloads its paper.
    with fresh_page(browser) as director:
        sign_in_with(director, live_server, DIRECTOR_EMAIL, PASSWORD)
        director.goto(meeting_url)
        expect(director.locator(f"[data-testid=agenda-item-{item.id}]")).to_contain_text(SECRET_TITLE)
        expect(director.locator(f"[data-testid=resolution-{item.id}]")).to_contain_text(SECRET_RESOLUTION)
        with director.expect_download() as info:
            director.get_by_test_id(f"document-{paper.id}").click()
        download = info.value
        assert download.suggested_filename == SECRET_FILE
        assert download.failure() is None
        with open(download.path(), "rb") as received:
            assert received.read() == PDF

    # Back on the meeting page, the auditor sees who opened the paper.
    page.goto(meeting_url)
    opened = page.get_by_test_id(f"opened-{paper.id}")
    expect(opened).to_contain_text("เปิดโดย")
    expect(opened).to_contain_text(DIRECTOR_EMAIL)
    expect(body).not_to_contain_text(SECRET_TITLE)

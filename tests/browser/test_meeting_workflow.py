"""The meeting workflow in a real browser: the agenda in the Thai standard order, directors'
answers and the quorum check, resolutions with action items carried forward, and the
minutes kept as a file.

The UI is Thai and new strings may not be translated yet, so the assertions read
data-testid attributes, data attributes and what the test typed, never translated text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from playwright.sync_api import expect

from governance import clock
from governance.extensions import db
from governance.indicators.vocabulary import MeetingStatus
from governance.models import ActionItem, AgendaItem, AgendaSection, Document, DocumentKind, Rsvp, RsvpResponse
from governance.services import documents, rsvps
from tests.browser.conftest import fresh_page
from tests.conftest import PASSWORD

NOW = datetime(2020, 3, 1, 3, tzinfo=UTC)
STANDARD_ORDER = [s.value for s in AgendaSection]  # ระเบียบวาระที่ 1-6


def submit(page, selector):
    """Click a button that posts a form and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()


def sign_in_as(page, live_server, user):
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    submit(page, "button[type=submit].primary")
    expect(page).not_to_have_url(f"{live_server}/login")


def section_order(page):
    return [testid.removeprefix("agenda-section-") for testid in page.locator(
        "[data-testid^=agenda-section-]").evaluate_all("els => els.map(e => e.dataset.testid)")]


def item_titles(page):
    return page.locator("[data-testid=agenda-items] [data-testid=agenda-item-title]").all_inner_texts()


# --- 1. drafting an agenda --------------------------------------------------------------

def test_secretary_drafts_an_agenda_in_the_standard_order_and_reorders_it(page, live_server, sign_in,
                                                                         make_meeting):
    meeting = make_meeting(date(2020, 3, 10), number="3/2563", status=MeetingStatus.PLANNED)
    sign_in("secretary")
    page.goto(f"{live_server}/meetings/{meeting.id}")

    # Added out of order: other business first, then for consideration, then the chair's.
    typed = [
        ("other_business", "other", "กำหนดวันประชุมครั้งถัดไป"),
        ("for_consideration", "annual_plan", "พิจารณาแผนปฏิบัติการประจำปี 2564"),
        ("chair_announcements", "other", "ประธานแจ้งที่ประชุมทราบ"),
        ("for_consideration", "risk_management", "พิจารณาแผนบริหารความเสี่ยง ปี 2564"),
    ]
    for section, topic, title in typed:
        page.select_option("[data-testid=agenda-section]", section)
        page.select_option("[data-testid=agenda-topic]", topic)
        page.fill("[data-testid=agenda-title]", title)
        submit(page, "[data-testid=create-agenda-item]")
        assert page.locator(".flash-success").count() == 1, title

    assert section_order(page) == STANDARD_ORDER
    chair, plan, risk, other = ("ประธานแจ้งที่ประชุมทราบ", "พิจารณาแผนปฏิบัติการประจำปี 2564",
                                "พิจารณาแผนบริหารความเสี่ยง ปี 2564", "กำหนดวันประชุมครั้งถัดไป")
    assert item_titles(page) == [chair, plan, risk, other]
    # Each item sits under its own section's heading, numbered section.place.
    consideration = page.locator("[data-testid=agenda-items-for_consideration]")
    assert consideration.locator("[data-testid=agenda-item-title]").all_inner_texts() == [plan, risk]
    assert consideration.locator(".item-number").all_inner_texts() == ["4.1", "4.2"]
    assert page.locator("[data-testid=agenda-items-chair_announcements] .item-number").all_inner_texts() == ["1.1"]
    assert page.locator("[data-testid=agenda-items-other_business] .item-number").all_inner_texts() == ["6.1"]

    db.session.expire_all()
    items = {i.title: i for i in db.session.scalars(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))}
    assert {t: (i.section.value, i.position) for t, i in items.items()} == {
        other: ("other_business", 1), plan: ("for_consideration", 1),
        chair: ("chair_announcements", 1), risk: ("for_consideration", 2)}
    # The first item of a section cannot move up; the last cannot move down.
    assert page.locator(f"[data-testid=move-up-{items[plan].id}]").count() == 0
    assert page.locator(f"[data-testid=move-down-{items[risk].id}]").count() == 0

    submit(page, f"[data-testid=move-up-{items[risk].id}]")
    page.reload()
    assert item_titles(page) == [chair, risk, plan, other]
    assert consideration.locator("[data-testid=agenda-item-title]").all_inner_texts() == [risk, plan]
    db.session.expire_all()
    assert (db.session.get(AgendaItem, items[risk].id).position,
            db.session.get(AgendaItem, items[plan].id).position) == (1, 2)


# --- 2. a director's answer -------------------------------------------------------------

def test_a_director_answers_on_the_meeting_page_and_from_the_reminder_link(page, browser, live_server, make_user,
                                                                          make_director, make_meeting):
    somchai = make_director("สมชาย ใจดี", email="somchai@example.org")
    make_director("กรรมการ อื่น")
    meeting = make_meeting(date(2020, 3, 10), number="3/2563", status=MeetingStatus.PLANNED,
                           title="การประชุมคณะกรรมการ ครั้งที่ 3/2563")
    user = make_user("director", email="somchai@example.org", director_id=somchai.id)
    sign_in_as(page, live_server, user)

    page.goto(f"{live_server}/meetings/{meeting.id}")
    expect(page.locator("[data-testid=rsvp-form]")).to_be_visible()
    assert page.locator("[data-testid=rsvp-answers]").count() == 0  # not the others' answers
    page.select_option("[data-testid=rsvp-response]", "online")
    submit(page, "[data-testid=send-rsvp]")
    assert page.locator(".flash-success").count() == 1
    assert page.locator("[data-testid=rsvp-response]").input_value() == "online"  # shown as sent

    db.session.expire_all()
    saved = db.session.scalars(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id)).all()
    assert [(r.director_id, r.response) for r in saved] == [(somchai.id, RsvpResponse.ONLINE)]

    # Later, from the link in the reminder, in a browser that is not signed in.
    token = rsvps.token_for(meeting.id, somchai.id)
    with fresh_page(browser) as mail:
        mail.goto(f"{live_server}/rsvp/{token}")
        assert "/login" not in mail.url
        assert "การประชุมคณะกรรมการ ครั้งที่ 3/2563" in mail.content()
        before = mail.locator("[data-testid=current-answer]").inner_text()
        assert mail.locator("[data-testid=rsvp-response]").input_value() == "online"
        mail.select_option("[data-testid=rsvp-response]", "apologies")
        submit(mail, "[data-testid=send-rsvp]")
        assert mail.locator(".flash-success").count() == 1
        after = mail.locator("[data-testid=current-answer]").inner_text()
        assert after.strip() and after != before
        assert mail.locator("[data-testid=rsvp-response]").input_value() == "apologies"

    db.session.expire_all()
    saved = db.session.scalars(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id)).all()
    assert [(r.director_id, r.response) for r in saved] == [(somchai.id, RsvpResponse.APOLOGIES)]
    # Back on the signed-in page, the director's select shows the changed answer.
    page.reload()
    assert page.locator("[data-testid=rsvp-response]").input_value() == "apologies"


# --- 3. the quorum warning --------------------------------------------------------------

def outlooks(page):
    return (page.locator("[data-testid=quorum-check]").get_attribute("data-outlook"),
            page.locator("[data-testid=line-check]").get_attribute("data-outlook"))


def test_the_secretary_sees_the_quorum_out_of_reach_and_then_within_reach(page, live_server, sign_in,
                                                                         make_director, make_meeting):
    board = [make_director(f"กรรมการ {n}") for n in range(1, 6)]  # quorum 3 of 5, the 80 % line 4 of 5
    meeting = make_meeting(date(2020, 3, 10), number="3/2563", status=MeetingStatus.PLANNED)
    for director in board[:3]:
        rsvps.answer(meeting.id, director.id, RsvpResponse.APOLOGIES, NOW)
    db.session.commit()
    sign_in("secretary")

    # 0 coming, 2 silent: even if both came, 2 < 3.
    page.goto(f"{live_server}/meetings/{meeting.id}")
    assert outlooks(page) == ("out_of_reach", "out_of_reach")
    assert "notice-ok" not in page.locator("[data-testid=quorum-check]").get_attribute("class")
    answers = page.locator("[data-testid=rsvp-answers] tbody tr")
    assert answers.count() == 5
    assert [n.strip() for n in page.locator("[data-testid=rsvp-answers] tbody td:first-child").all_inner_texts()] \
        == [d.name for d in board]

    # Two apologies become "in person": 2 coming, 2 silent: quorum 3 and line 4 both reachable.
    for director in board[:2]:
        rsvps.answer(meeting.id, director.id, RsvpResponse.IN_PERSON, NOW)
    db.session.commit()
    page.reload()
    assert outlooks(page) == ("open", "open")

    # A silent director says "online": 3 coming secures the quorum; the line still needs the last one.
    rsvps.answer(meeting.id, board[3].id, RsvpResponse.ONLINE, NOW)
    db.session.commit()
    page.reload()
    assert outlooks(page) == ("secure", "open")
    assert "notice-ok" in page.locator("[data-testid=quorum-check]").get_attribute("class")
    assert "notice-ok" not in page.locator("[data-testid=line-check]").get_attribute("class")


# --- 4. a resolution with an action item ------------------------------------------------

def test_a_resolution_assigns_work_carried_forward_until_marked_done(page, live_server, sign_in, make_meeting):
    meeting = make_meeting(date(2019, 11, 20), number="11/2562")
    later = make_meeting(date(2020, 1, 15), number="1/2563", status=MeetingStatus.PLANNED)
    sign_in("secretary")

    page.goto(f"{live_server}/meetings/{meeting.id}")
    page.select_option("[data-testid=agenda-section]", "for_consideration")
    page.select_option("[data-testid=agenda-topic]", "annual_plan")
    page.fill("[data-testid=agenda-title]", "พิจารณาแผนปฏิบัติการประจำปี 2563")
    submit(page, "[data-testid=create-agenda-item]")
    db.session.expire_all()
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
    assert item is not None

    submit(page, f"[data-testid=edit-agenda-item-{item.id}]")
    resolution = "ที่ประชุมมีมติเห็นชอบแผนปฏิบัติการ และมอบฝ่ายแผนงานปรับตัวชี้วัดตามข้อสังเกตของกรรมการ"
    assert page.locator("[data-testid=agenda-title]").input_value() == "พิจารณาแผนปฏิบัติการประจำปี 2563"
    page.fill("[data-testid=agenda-resolution]", resolution)
    submit(page, "[data-testid=save-agenda-item]")
    assert page.locator(".flash-success").count() == 1
    expect(page.locator(f"[data-testid=resolution-{item.id}]")).to_contain_text(resolution)

    submit(page, f"[data-testid=edit-agenda-item-{item.id}]")
    page.fill("[data-testid=action-title]", "ปรับตัวชี้วัดในแผนปฏิบัติการ")
    page.fill("[data-testid=action-owner]", "ฝ่ายแผนงาน")
    page.fill("[data-testid=action-due-on]", "2019-12-31")
    submit(page, "[data-testid=add-action]")
    assert page.locator(".flash-success").count() == 1
    expect(page.locator("[data-testid=action-items]")).to_contain_text("ปรับตัวชี้วัดในแผนปฏิบัติการ")

    db.session.expire_all()
    action = db.session.scalar(sa.select(ActionItem).where(ActionItem.agenda_item_id == item.id))
    assert (action.title, action.owner, action.due_on, action.done_on) == (
        "ปรับตัวชี้วัดในแผนปฏิบัติการ", "ฝ่ายแผนงาน", date(2019, 12, 31), None)
    assert db.session.get(AgendaItem, item.id).resolution == resolution

    page.goto(f"{live_server}/meetings/{meeting.id}")
    expect(page.locator(f"[data-testid=resolution-{item.id}]")).to_contain_text(resolution)
    listed = page.locator(f"[data-testid=action-items-{item.id}]")
    expect(listed).to_contain_text("ปรับตัวชี้วัดในแผนปฏิบัติการ")
    expect(listed).to_contain_text("ฝ่ายแผนงาน")
    assert page.locator("[data-testid=carried-forward]").count() == 0  # nothing is carried into its own meeting

    page.goto(f"{live_server}/meetings/{later.id}")
    carried = page.locator("[data-testid=carried-forward] tbody tr")
    assert carried.count() == 1
    expect(carried).to_contain_text("ปรับตัวชี้วัดในแผนปฏิบัติการ")
    expect(carried).to_contain_text("ฝ่ายแผนงาน")
    expect(carried.locator("a")).to_have_text("11/2562")
    # It is listed under matters arising (ระเบียบวาระที่ 3), between its heading and the next one.
    assert page.locator("[data-testid=agenda-section-matters_arising] + div [data-testid=carried-forward]").count() == 1

    page.goto(f"{live_server}/action-items")
    row = page.locator(f"[data-testid=action-{action.id}]")
    expect(row).to_contain_text("ปรับตัวชี้วัดในแผนปฏิบัติการ")
    assert page.locator(f"[data-testid=done-on-{action.id}]").input_value() == clock.today().isoformat()
    submit(page, f"[data-testid=complete-{action.id}]")
    assert page.locator(".flash-success").count() == 1
    assert page.locator(f"[data-testid=action-{action.id}]").count() == 0  # gone from the open list
    db.session.expire_all()
    assert db.session.get(ActionItem, action.id).done_on == clock.today()

    # Still on the "show done too" list, and still under the later meeting's matters arising
    # (it was open on that meeting's date).
    page.goto(f"{live_server}/action-items?show=all")
    assert page.locator(f"[data-testid=action-{action.id}]").count() == 1
    assert page.locator(f"[data-testid=reopen-{action.id}]").count() == 1
    page.goto(f"{live_server}/meetings/{later.id}")
    expect(page.locator("[data-testid=carried-forward] tbody tr")).to_contain_text("ปรับตัวชี้วัดในแผนปฏิบัติการ")


# --- 5. documents -----------------------------------------------------------------------

MINUTES_NAME = "รายงานการประชุม ครั้งที่ 11-2562.pdf"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_minutes_are_uploaded_checked_by_content_and_downloaded_by_a_director(page, browser, live_server, sign_in,
                                                                             make_user, make_meeting, tmp_path):
    meeting = make_meeting(date(2019, 11, 20), number="11/2562")
    minutes = tmp_path / MINUTES_NAME
    minutes.write_bytes(PDF)
    disguised = tmp_path / "มติที่ประชุม.pdf"
    disguised.write_bytes(b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n")
    sign_in("secretary")

    page.goto(f"{live_server}/meetings/{meeting.id}")
    assert page.locator("[data-testid=meeting-documents]").count() == 0
    page.set_input_files("[data-testid=upload-document-file]", str(minutes))
    page.select_option("[data-testid=upload-document-kind]", "minutes")
    submit(page, "[data-testid=upload-document]")
    assert page.locator(".flash-success").count() == 1
    listed = page.locator("[data-testid=meeting-documents] a[data-testid^=document-]")
    expect(listed).to_have_text([MINUTES_NAME])

    db.session.expire_all()
    stored = db.session.scalars(sa.select(Document).where(Document.meeting_id == meeting.id)).all()
    assert [(d.filename, d.kind, d.media_type, d.size_bytes, d.agenda_item_id) for d in stored] == [
        (MINUTES_NAME, DocumentKind.MINUTES, "application/pdf", len(PDF), None)]
    document = stored[0]
    store = documents.store_root()
    assert sorted(p.name for p in store.iterdir()) == [document.storage_name]

    # HTML named .pdf: refused by its content, the error beside the file field, nothing kept.
    page.set_input_files("[data-testid=upload-document-file]", str(disguised))
    submit(page, "[data-testid=upload-document]")
    file_field = page.locator("[data-testid=upload-document-form] .field:has([data-testid=upload-document-file])")
    expect(file_field.locator(".error")).to_have_count(1)
    assert "has-error" in file_field.get_attribute("class")
    assert page.locator("[data-testid=upload-document-file]").get_attribute("aria-invalid") == "true"
    assert page.locator(".flash-success").count() == 0
    expect(listed).to_have_text([MINUTES_NAME])  # the page still lists only the minutes
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 1
    assert sorted(p.name for p in store.iterdir()) == [document.storage_name]

    # A director, in another browser, downloads the minutes under their Thai name.
    director = make_user("director", email="director@example.org")
    with fresh_page(browser) as other:
        sign_in_as(other, live_server, director)
        other.goto(f"{live_server}/meetings/{meeting.id}")
        assert other.locator("[data-testid=upload-document-form]").count() == 0  # read-only
        assert other.locator(f"[data-testid=remove-document-{document.id}]").count() == 0
        with other.expect_download() as info:
            other.click(f"[data-testid=document-{document.id}]")
        download = info.value
        assert download.suggested_filename == MINUTES_NAME
        assert download.failure() is None
        with open(download.path(), "rb") as received:
            assert received.read() == PDF

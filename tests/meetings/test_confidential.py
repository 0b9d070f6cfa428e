"""Confidential agenda items and papers (วาระลับ): the meeting's directors and the secretariat
read them; auditors and others see that they exist, their title unless it is hidden, and who
opened them; every opening is on the audit trail."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.models import AuditAction, AuditEntry, Confidentiality, DocumentKind, Role
from governance.services import agenda, audit, confidentiality, documents, fiscal_years, meetings
from governance.services.confidentiality import Reader

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SECRET_TITLE = "พิจารณาโทษทางวินัยผู้อำนวยการ"
SECRET_RESOLUTION = "ที่ประชุมมีมติลงโทษภาคทัณฑ์"
SECRET_ACTION = "แจ้งคำสั่งลงโทษแก่ผู้ถูกกล่าวหา"
SECRET_FILE = "สำนวนการสอบสวน.pdf"
HELD_ON = date(2020, 2, 10)


@pytest.fixture
def board(make_meeting, make_director):
    """A held meeting with one confidential item (title hidden), its paper, resolution and action,
    a director in office that day and one whose term ended before it."""
    meeting = make_meeting(HELD_ON)
    serving = make_director("นางสาวสมศรี ใจดี", term_start=date(2019, 1, 1))
    former = make_director("นายสมชาย เคยเป็น", term_start=date(2016, 1, 1), term_end=date(2019, 12, 31))
    item = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
        topic="other", title=SECRET_TITLE, resolution=SECRET_RESOLUTION,
        confidentiality=Confidentiality.TITLE_HIDDEN))
    action = agenda.add_action_item(meeting.id, item.id, agenda.ActionItemInput(
        title=SECRET_ACTION, owner="ฝ่ายบุคคล", due_on=date(2020, 3, 1)))
    paper = documents.attach_to_meeting(meeting.id, documents.Upload(SECRET_FILE, io.BytesIO(PDF)),
                                        DocumentKind.PAPER, None, agenda_item_id=item.id)
    db.session.commit()
    return {"meeting": meeting, "item": item, "action": action, "paper": paper, "serving": serving,
            "former": former}


def openings_of(document_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == AuditAction.OPEN, AuditEntry.record_id == str(document_id)).order_by(AuditEntry.id)))


def test_the_meetings_director_reads_and_downloads_it_and_the_opening_is_audited(client, login, board):
    user = login(Role.DIRECTOR, email="somsri@example.org", director_id=board["serving"].id)
    page = client.get(f"/meetings/{board['meeting'].id}").get_data(as_text=True)
    assert SECRET_TITLE in page and SECRET_RESOLUTION in page and SECRET_ACTION in page
    assert f'href="/documents/{board["paper"].id}"' in page
    response = client.get(f"/documents/{board['paper'].id}")
    assert response.status_code == 200 and response.data == PDF
    response.close()
    [opened] = openings_of(board["paper"].id)
    assert (opened.actor, opened.actor_user_id, opened.parent_id) == (user.email, user.id, str(board["meeting"].id))
    assert audit.verify_chain().ok


@pytest.mark.parametrize("who", ["auditor", "former director", "unlinked director"])
def test_others_see_that_it_exists_but_not_its_content(client, login, board, who):
    if who == "auditor":
        login(Role.AUDITOR)
    elif who == "former director":
        login(Role.DIRECTOR, email="somchai@example.org", director_id=board["former"].id)
    else:
        login(Role.DIRECTOR, email="nobody@example.org")
    page = client.get(f"/meetings/{board['meeting'].id}").get_data(as_text=True)
    for secret in (SECRET_TITLE, SECRET_RESOLUTION, SECRET_ACTION, SECRET_FILE):
        assert secret not in page
    assert 'data-testid="hidden-title"' in page
    assert f'data-testid="document-{board["paper"].id}-closed"' in page
    assert f'href="/documents/{board["paper"].id}"' not in page
    refused = client.get(f"/documents/{board['paper'].id}")
    assert refused.status_code == 403
    assert board["meeting"].number in refused.get_data(as_text=True)  # says why, naming the meeting
    assert refused.data != PDF
    assert openings_of(board["paper"].id) == []  # a refusal opens nothing


def test_the_page_lists_who_opened_a_confidential_paper(client, login, make_user, board):
    director = make_user(Role.DIRECTOR, email="somsri@example.org", director_id=board["serving"].id)
    with confidentiality.audit.acting_as(director):
        confidentiality.open_document(board["paper"].id, director)
    db.session.commit()
    login(Role.AUDITOR)
    page = client.get(f"/meetings/{board['meeting'].id}").get_data(as_text=True)
    listed = page.split(f'data-testid="opened-{board["paper"].id}"')[1].split("</span>")[0]
    assert "somsri@example.org" in listed


def test_a_confidential_item_with_its_title_shown(client, login, make_meeting):
    meeting = make_meeting(HELD_ON)
    item = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
        topic="other", title="ข้อพิพาททางกฎหมาย", resolution=SECRET_RESOLUTION,
        confidentiality=Confidentiality.CONFIDENTIAL))
    db.session.commit()
    login(Role.AUDITOR)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "ข้อพิพาททางกฎหมาย" in page and SECRET_RESOLUTION not in page
    assert f'data-testid="agenda-item-{item.id}"' in page and 'data-testid="withheld"' in page


def test_a_paper_can_be_confidential_on_an_open_item_and_open_papers_are_not_logged(client, login, make_meeting):
    meeting = make_meeting(HELD_ON)
    minutes = documents.attach_to_meeting(meeting.id, documents.Upload("minutes.pdf", io.BytesIO(PDF)),
                                          DocumentKind.MINUTES, None)
    closed = documents.attach_to_meeting(meeting.id, documents.Upload("secret-minutes.pdf", io.BytesIO(PDF)),
                                         DocumentKind.MINUTES, None, confidentiality=Confidentiality.CONFIDENTIAL)
    db.session.commit()
    login(Role.AUDITOR)
    opened = client.get(f"/documents/{minutes.id}")
    assert opened.status_code == 200
    opened.close()
    assert client.get(f"/documents/{closed.id}").status_code == 403
    assert openings_of(minutes.id) == [] and openings_of(closed.id) == []
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "secret-minutes.pdf" in page  # its name is not hidden, only its content


def test_the_secretary_marks_an_item_and_a_paper_confidential_in_the_forms(client, login, make_meeting):
    meeting = make_meeting(HELD_ON)
    login(Role.SECRETARY)
    response = client.post(f"/meetings/{meeting.id}/agenda-items", data={
        "section": "for_consideration", "topic": "other", "title": SECRET_TITLE, "confidentiality": "title_hidden"})
    assert response.status_code == 302
    [item] = meetings.get_meeting(meeting.id).agenda_items
    assert item.confidentiality is Confidentiality.TITLE_HIDDEN
    response = client.post(f"/meetings/{meeting.id}/documents", content_type="multipart/form-data", data={
        "file": (io.BytesIO(PDF), "x.pdf"), "kind": "minutes", "confidentiality": "confidential"})
    assert response.status_code == 302
    [document] = documents.meeting_documents(meeting.id)
    assert document.confidentiality is Confidentiality.CONFIDENTIAL
    refused = client.post(f"/meetings/{meeting.id}/agenda-items", data={
        "topic": "other", "title": "x", "confidentiality": "secret"})
    assert refused.status_code == 422 and 'id="confidentiality"' in refused.get_data(as_text=True)
    # The secretariat reads everything: the title shows on the page.
    assert SECRET_TITLE in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_a_hidden_title_never_enters_the_evidence(client, login, board):
    data = fiscal_years.load_fiscal_year_data(2563)
    [record] = [i for i in data.agenda_items if i.id == board["item"].id]
    assert (record.title, record.title_hidden) == ("", True)
    login(Role.SECRETARY)  # even for the secretariat: the dashboard is one page for every reader of a role
    page = client.get("/dashboard?fy=2563&as_of=2020-09-30").get_data(as_text=True)
    assert SECRET_TITLE not in page


def test_the_dashboard_names_a_hidden_item_to_the_secretariat_only(client, login, make_user, make_meeting):
    meeting = make_meeting(date(2020, 2, 17))
    meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
        topic="performance_review", title="ทบทวนผลงานผู้อำนวยการ (ลับ)",
        confidentiality=Confidentiality.TITLE_HIDDEN))  # evidence of indicator 10
    db.session.commit()
    url = "/dashboard?fy=2563&as_of=2020-09-30"
    login(Role.AUDITOR)
    seen = client.get(url).get_data(as_text=True)
    assert "ทบทวนผลงานผู้อำนวยการ" not in seen and "วาระลับ (ไม่แสดงชื่อเรื่อง)" in seen
    client.post("/logout")
    login(Role.SECRETARY, email="sec@example.org")
    assert "ทบทวนผลงานผู้อำนวยการ (ลับ) (วาระลับ)" in client.get(url).get_data(as_text=True)
    client.post("/logout")
    login(Role.AUDITOR, email="auditor2@example.org")  # the page kept for auditors is still the withheld one
    assert "ทบทวนผลงานผู้อำนวยการ" not in client.get(url).get_data(as_text=True)


def test_the_action_items_list_withholds_a_confidential_actions_words(client, login, board):
    login(Role.AUDITOR)
    page = client.get("/action-items").get_data(as_text=True)
    assert f'data-testid="action-{board["action"].id}"' in page
    assert SECRET_ACTION not in page and SECRET_TITLE not in page and "ฝ่ายบุคคล" in page


def test_the_audit_log_withholds_confidential_values_from_auditors_only(client, login, make_user, board):
    login(Role.AUDITOR)
    page = client.get("/audit").get_data(as_text=True)
    for secret in (SECRET_TITLE, SECRET_RESOLUTION, SECRET_ACTION, SECRET_FILE):
        assert secret not in page
    assert 'data-testid="withheld-value"' in page
    history = client.get(f"/meetings/{board['meeting'].id}").get_data(as_text=True)
    assert SECRET_TITLE not in history and SECRET_FILE not in history
    client.post("/logout")
    login(Role.SECRETARY)
    page = client.get("/audit").get_data(as_text=True)
    assert SECRET_TITLE in page and SECRET_FILE in page


def test_a_removed_confidential_item_stays_withheld_in_the_trail(client, login, board):
    meetings.delete_agenda_item(board["meeting"].id, board["item"].id)
    db.session.commit()
    login(Role.AUDITOR)
    page = client.get("/audit").get_data(as_text=True)
    for secret in (SECRET_TITLE, SECRET_RESOLUTION, SECRET_ACTION, SECRET_FILE):
        assert secret not in page


def test_an_item_opened_up_later_does_not_reveal_what_was_hidden(client, login, board):
    # One save renames it, changes the resolution and opens it: the old values stay withheld.
    meetings.update_agenda_item(board["meeting"].id, board["item"].id, meetings.AgendaItemInput(
        topic="other", title="เรื่องบุคคล", resolution="ที่ประชุมรับทราบ", confidentiality=Confidentiality.OPEN))
    db.session.commit()
    login(Role.AUDITOR)
    page = client.get("/audit").get_data(as_text=True)
    assert SECRET_TITLE not in page and SECRET_RESOLUTION not in page and SECRET_FILE not in page


def test_a_new_record_given_a_removed_ones_id_reveals_nothing(client, login, make_meeting, make_user, board):
    director = make_user(Role.DIRECTOR, email="somsri@example.org", director_id=board["serving"].id)
    with confidentiality.audit.acting_as(director):
        confidentiality.open_document(board["paper"].id, director)
    meetings.delete_agenda_item(board["meeting"].id, board["item"].id)
    db.session.commit()
    # An open item, action and paper on another meeting: SQLite may give them the removed ones' ids.
    other = make_meeting(date(2020, 3, 10))
    item = meetings.add_agenda_item(other.id, meetings.AgendaItemInput(topic="other", title="เรื่องเปิด"))
    agenda.add_action_item(other.id, item.id, agenda.ActionItemInput("งานเปิด", "ฝ่ายแผน", date(2020, 4, 1)))
    paper = documents.attach_to_meeting(other.id, documents.Upload("open.pdf", io.BytesIO(PDF)),
                                        DocumentKind.PAPER, None, agenda_item_id=item.id,
                                        confidentiality=Confidentiality.CONFIDENTIAL)
    db.session.commit()
    login(Role.AUDITOR)
    for url in ("/audit", f"/meetings/{board['meeting'].id}"):
        page = client.get(url).get_data(as_text=True)
        for secret in (SECRET_TITLE, SECRET_RESOLUTION, SECRET_ACTION, SECRET_FILE):
            assert secret not in page, url
    # The new paper was opened by nobody, whatever id it was given.
    assert confidentiality.openings([paper]) == {paper.id: []}


def test_a_confidential_paper_is_not_kept_in_the_browsers_cache(client, login, make_user, board):
    login(Role.DIRECTOR, email="somsri@example.org", director_id=board["serving"].id)
    response = client.get(f"/documents/{board['paper'].id}")
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    response.close()


def test_only_a_file_sent_whole_is_an_opening(client, login, board):
    # HEAD sends no file; a Range or a revalidation of a confidential paper gets the whole file,
    # so each recorded opening is one file received
    login(Role.DIRECTOR, email="somsri@example.org", director_id=board["serving"].id)
    url = f"/documents/{board['paper'].id}"
    head = client.head(url)
    assert head.status_code == 200
    head.close()
    assert openings_of(board["paper"].id) == []
    ranged = client.get(url, headers={"Range": "bytes=0-3"})
    assert ranged.status_code == 200 and ranged.data == PDF and "ETag" not in ranged.headers
    ranged.close()
    again = client.get(url, headers={"If-None-Match": f'"{board["paper"].sha256}"'})
    assert again.status_code == 200 and again.data == PDF
    again.close()
    assert len(openings_of(board["paper"].id)) == 2


def test_the_api_withholds_content_from_those_not_entitled(client, api_token, board):
    url = f"/api/v1/meetings/{board['meeting'].id}/agenda-items/{board['item'].id}"
    seen = client.get(url, headers=api_token(Role.AUDITOR)).get_json()
    assert (seen["title"], seen["resolution"], seen["confidentiality"], seen["withheld"]) == (
        None, None, "title_hidden", True)
    full = client.get(url, headers=api_token(Role.SECRETARY, email="sec@example.org")).get_json()
    assert (full["title"], full["resolution"], full["withheld"]) == (SECRET_TITLE, SECRET_RESOLUTION, False)
    director = client.get(url, headers=api_token(Role.DIRECTOR, email="somsri@example.org",
                                                 director_id=board["serving"].id)).get_json()
    assert director["title"] == SECRET_TITLE


def test_the_rule_itself(board, make_user):
    meeting, item, paper = board["meeting"], board["item"], board["paper"]
    assert paper.access_level is Confidentiality.TITLE_HIDDEN  # the paper follows its item
    serving = Reader(director=board["serving"])
    former = Reader(director=board["former"])
    assert serving.entitled(meeting) and serving.may_open(paper) and serving.sees_title(item)
    assert not former.entitled(meeting) and not former.may_open(paper) and not former.sees_name(paper)
    assert Reader(secretariat=True).may_open(paper)
    assert not Reader().reads_item(item) and not Reader().reads_action(board["action"])
    assert Reader.of(make_user(Role.AUDITOR)) == Reader()
    assert Reader.of(make_user(Role.ADMIN, email="a@example.org")).secretariat
    assert Confidentiality.stricter(Confidentiality.CONFIDENTIAL, None, Confidentiality.OPEN) is \
        Confidentiality.CONFIDENTIAL

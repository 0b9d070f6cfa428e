"""The fiscal year's meetings, one meeting's page, its attendance grid and agenda items."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus, MeetingBody, MeetingStatus, Position, Topic
from governance.models import AgendaItem, Attendance, Meeting
from governance.services import meetings
from tests.web.pagetools import error_for, form_errors

NEW_MEETING = {"held_on": "2020-02-20", "number": "2/2563", "kind": "regular", "body": "board",
               "status": "planned", "title": "ประชุมคณะกรรมการ", "starts_at": "13:30", "place": "ห้องประชุม 1"}


def _attend(meeting, *rows):
    meetings.replace_attendance(meeting.id, [meetings.AttendanceRow(d.id, status) for d, status in rows])
    db.session.commit()


# --- the list -----------------------------------------------------------------------------

def test_the_list_shows_the_current_fiscal_year_in_thai(client, login, make_meeting, make_director):
    login("secretary")
    director = make_director()
    in_year = make_meeting(date(2020, 1, 15), number="1/2563")
    make_meeting(date(2020, 10, 28), number="10/2563")  # numbered 2563, held in FY2564
    _attend(in_year, (director, AttendanceStatus.ONLINE))
    meetings.add_agenda_item(in_year.id, meetings.AgendaItemInput(Topic.FINANCIAL_REPORT, "งบการเงิน"))
    db.session.commit()
    page = client.get("/meetings").get_data(as_text=True)
    assert 'lang="th"' in page
    assert "การประชุมในปีงบประมาณ 2563" in page
    assert "15 ม.ค. 2563" in page and "1/2563" in page and "ประชุมแล้ว" in page
    assert "10/2563" not in page
    assert f'data-testid="meeting-attendance-{in_year.id}">1 / 1</td>' in page  # present / eligible
    assert 'data-testid="create-meeting"' in page
    assert 'aria-current="page"' in page and 'data-testid="nav-meetings"' in page


def test_the_list_and_the_meeting_page_give_the_reports_attendance_figure(client, login, make_meeting,
                                                                          make_director):
    login("secretary")
    present, absent = make_director("กรรมการ มา"), make_director("กรรมการ ลา")
    minute_taker = make_director("ผู้ช่วยเลขานุการ", counts_for_attendance=False)
    meeting = make_meeting(date(2020, 1, 15), number="1/2563")
    _attend(meeting, (present, AttendanceStatus.IN_PERSON), (absent, AttendanceStatus.LEAVE),
            (minute_taker, AttendanceStatus.IN_PERSON))
    listed = client.get("/meetings?fy=2563").get_data(as_text=True)
    # 1 of the 2 eligible, as the attendance report counts it: the minute-taker is not a director here.
    assert f'data-testid="meeting-attendance-{meeting.id}">1 / 2 <span class="badge badge-missed">ต่ำกว่าร้อยละ 80' in listed
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    result = page.split('data-testid="attendance-result"')[1].split("</p>")[0]
    assert "กรรมการเข้าประชุม 1 คน จากกรรมการที่ดำรงตำแหน่งในวันประชุม 2 คน (ร้อยละ 50.00)" in result
    assert "ต่ำกว่าร้อยละ 80 ตามตัวชี้วัดที่ 16" in result and "ครบองค์ประชุม (ต้องมีอย่างน้อย 1 คน)" in result
    _attend(meeting, (present, AttendanceStatus.IN_PERSON), (absent, AttendanceStatus.ONLINE))
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert 'data-testid="attendance-qualifies"' in page and "(ร้อยละ 100.00)" in page


def test_everyone_present_fills_the_grid_without_saving_then_the_exceptions_are_changed(
        client, login, make_meeting, make_director):
    login("secretary")
    first, second = make_director("กรรมการ หนึ่ง"), make_director("กรรมการ สอง")
    meeting = make_meeting(date(2020, 1, 15))
    page = client.get(f"/meetings/{meeting.id}?fill=everyone").get_data(as_text=True)
    assert 'data-testid="attendance-everyone-filled"' in page
    for director in (first, second):
        select = page.split(f'data-testid="attendance-status-{director.id}"')[0].rsplit("<select", 1)[1]
        rest = page.split(f'data-testid="attendance-status-{director.id}"')[1].split("</select>")[0]
        assert '<option selected value="in_person">' in select + rest
    assert db.session.scalars(sa.select(Attendance)).all() == []  # nothing saved yet
    response = client.post(f"/meetings/{meeting.id}/attendance", data={
        "rows-0-director_id": first.id, "rows-0-status": "in_person",
        "rows-1-director_id": second.id, "rows-1-status": "leave"})
    assert response.status_code == 302
    saved = {a.director_id: a.status for a in db.session.scalars(sa.select(Attendance))}
    assert saved == {first.id: AttendanceStatus.IN_PERSON, second.id: AttendanceStatus.LEAVE}


def test_a_planned_meeting_has_no_attendance_result(client, login, make_meeting):
    login("secretary")
    meeting = make_meeting(date(2020, 1, 15), status=MeetingStatus.PLANNED)
    assert 'data-testid="attendance-result"' not in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_the_fiscal_year_selector_follows_the_date_not_the_number(client, login, make_meeting):
    login("secretary")
    make_meeting(date(2020, 10, 28), number="10/2563")
    page = client.get("/meetings?fy=2564").get_data(as_text=True)
    assert "28 ต.ค. 2563" in page and "10/2563" in page
    assert '<option value="2564" selected>' in page


def test_the_list_and_a_meeting_in_english(client, login, make_meeting, make_director, english):
    login("secretary")
    make_director("Ms Member")
    meeting = make_meeting(date(2020, 1, 15), number="1/2563")
    english()
    page = client.get("/meetings?fy=2563").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "15 Jan 2020" in page and "Held" in page and "Meetings of fiscal year 2563" in page
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Meeting 1/2563" in page and "15 Jan 2020" in page and "2563, quarter 2" in page
    assert "— not recorded —" in page and "In person" in page and "On leave" in page


def test_a_fiscal_year_that_is_not_one_is_404(client, login):
    login("secretary")
    assert client.get("/meetings?fy=1999").status_code == 404
    assert client.get("/meetings?fy=abc").status_code == 404


# --- create and edit ----------------------------------------------------------------------

def test_record_a_meeting_then_open_it(client, login):
    login("secretary")
    response = client.post("/meetings?fy=2563", data=NEW_MEETING)
    assert response.status_code == 302
    meeting = db.session.scalar(sa.select(Meeting))
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert (meeting.held_on, meeting.number, meeting.status, meeting.place) == (
        date(2020, 2, 20), "2/2563", MeetingStatus.PLANNED, "ห้องประชุม 1")
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "การประชุมครั้งที่ 2/2563" in page
    assert "20 กุมภาพันธ์ 2563" in page
    assert "2563 ไตรมาสที่ 2" in page
    assert "บันทึกการประชุมครั้งที่ 2/2563 แล้ว" in page  # the flash


def test_edit_a_meeting(client, login, make_meeting):
    login("secretary")
    meeting = make_meeting(date(2020, 1, 15), number="1/2563")
    form = client.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True)
    assert 'value="15/01/2563"' in form and 'value="1/2563"' in form  # the date in the Buddhist Era
    response = client.post(f"/meetings/{meeting.id}/edit", data={**NEW_MEETING, "status": "cancelled"})
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert (meeting.number, meeting.status, meeting.held_on) == ("2/2563", MeetingStatus.CANCELLED, date(2020, 2, 20))


def test_a_duplicate_board_meeting_number_is_refused(client, login, make_meeting, snapshot):
    login("secretary")
    make_meeting(date(2020, 1, 15), number="2/2563")
    before = snapshot()
    response = client.post("/meetings?fy=2563", data=NEW_MEETING)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "number") == "มีการประชุมคณะกรรมการครั้งที่ 2/2563 บันทึกไว้แล้ว"
    assert snapshot() == before


def test_a_committee_may_reuse_a_board_number(client, login, make_meeting):
    login("secretary")
    make_meeting(date(2020, 1, 15), number="2/2563")
    response = client.post("/meetings", data={**NEW_MEETING, "body": "committee"})
    assert response.status_code == 302


def test_an_impossible_meeting_date_is_refused(client, login, snapshot):
    login("secretary")
    before = snapshot()
    response = client.post("/meetings?fy=2563", data={**NEW_MEETING, "held_on": "2020-02-30", "kind": "weekly"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "วันที่ไม่ถูกต้อง" in error_for(page, "held_on")
    assert error_for(page, "kind") == "กรุณาเลือกจากรายการที่กำหนด"
    assert snapshot() == before


@pytest.mark.parametrize("typed", ["20/02/2563", "2563-02-20", "๒๐/๐๒/๒๕๖๓", "20/2/2020", "2020-02-20"])
def test_a_date_is_typed_in_the_buddhist_era_or_the_common_era(client, login, typed):
    login("secretary")
    response = client.post("/meetings", data={**NEW_MEETING, "held_on": typed})
    assert response.status_code == 302
    meeting = db.session.scalar(sa.select(Meeting))
    assert meeting.held_on == date(2020, 2, 20)
    assert 'value="20/02/2563"' in client.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True)


def test_a_date_shows_in_the_common_era_in_english(client, login, make_meeting, english):
    login("secretary")
    english()
    meeting = make_meeting(date(2020, 1, 15))
    assert 'value="2020-01-15"' in client.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True)


def test_a_two_digit_year_or_month_first_date_is_refused_by_name(client, login):
    login("secretary")
    for typed in ("20/02/63", "02/30/2563"):
        response = client.post("/meetings", data={**NEW_MEETING, "held_on": typed})
        assert response.status_code == 422
        assert "29/02/2563 (พ.ศ.)" in error_for(response.get_data(as_text=True), "held_on")


def test_the_end_time_is_recorded_and_shown_after_the_start(client, login):
    login("secretary")
    assert client.post("/meetings?fy=2563", data={**NEW_MEETING, "ends_at": "16:00"}).status_code == 302
    meeting = db.session.scalar(sa.select(Meeting))
    assert meeting.ends_at == time(16, 0)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert 'data-testid="meeting-hours">13:30–16:00<' in page


@pytest.mark.parametrize("times", [{"starts_at": "13:30", "ends_at": "13:00"}, {"starts_at": "", "ends_at": "12:00"}])
def test_an_end_before_the_start_or_without_one_is_refused_beside_the_end(client, login, snapshot, times):
    login("secretary")
    before = snapshot()
    response = client.post("/meetings?fy=2563", data={**NEW_MEETING, **times})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "ends_at") != ""
    assert snapshot() == before


def test_a_meeting_after_today_cannot_be_saved_as_held(client, login, snapshot):
    login("secretary")
    before = snapshot()
    response = client.post("/meetings", data={**NEW_MEETING, "held_on": "2031-02-20", "number": "1/2574",
                                              "status": "held"})
    assert response.status_code == 422
    assert "บันทึกเป็นการประชุมที่กำหนดไว้" in error_for(response.get_data(as_text=True), "status")
    assert snapshot() == before
    planned = client.post("/meetings", data={**NEW_MEETING, "held_on": "2031-02-20", "number": "1/2574"})
    assert planned.status_code == 302  # the same meeting, planned, is fine


def test_a_date_far_outside_any_board_is_refused_by_the_service(client, login, snapshot):
    login("secretary")
    before = snapshot()
    response = client.post("/meetings", data={**NEW_MEETING, "held_on": "0202-02-20"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "held_on") == "กรุณากรอกวันที่ระหว่าง 1950-01-01 ถึง 2200-12-31"
    assert snapshot() == before


def test_cancelling_a_meeting_with_attendance_is_refused_beside_the_status(client, login, make_meeting,
                                                                          make_director, snapshot):
    login("secretary")
    director = make_director()
    meeting = make_meeting(date(2020, 1, 15), number="1/2563")
    _attend(meeting, (director, AttendanceStatus.IN_PERSON))
    before = snapshot()
    response = client.post(f"/meetings/{meeting.id}/edit",
                           data={**NEW_MEETING, "held_on": "2020-01-15", "number": "1/2563", "status": "cancelled"})
    assert response.status_code == 422
    assert "ก่อนยกเลิกการประชุม" in error_for(response.get_data(as_text=True), "status")
    assert snapshot() == before


def test_moving_a_meeting_out_of_its_attendees_terms_is_refused(client, login, make_meeting, make_director,
                                                                 snapshot):
    login("secretary")
    director = make_director("นาย ก", term_start=date(2019, 1, 1), term_end=date(2020, 1, 31))
    meeting = make_meeting(date(2020, 1, 15), number="1/2563")
    _attend(meeting, (director, AttendanceStatus.IN_PERSON))
    before = snapshot()
    response = client.post(f"/meetings/{meeting.id}/edit", data={**NEW_MEETING, "number": "1/2563"})
    assert response.status_code == 422
    assert "นาย ก" in error_for(response.get_data(as_text=True), "held_on")
    assert snapshot() == before


def test_delete_a_meeting(client, login, make_meeting):
    login("secretary")
    meeting = make_meeting(date(2020, 1, 15))
    response = client.post(f"/meetings/{meeting.id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/meetings?fy=2563")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_an_unknown_meeting_is_404(client, login):
    login("secretary")
    assert client.get("/meetings/999").status_code == 404
    assert client.post("/meetings/999/attendance", data={}).status_code == 404


# --- the attendance grid --------------------------------------------------------------------

def test_the_grid_has_a_row_per_director_in_office_preselected(client, login, make_meeting, make_director):
    login("secretary")
    chair = make_director("นาย ประธาน", position=Position.CHAIR)
    member = make_director("นาง กรรมการ")
    make_director("นาย พ้นวาระ", term_start=date(2015, 1, 1), term_end=date(2019, 12, 31))
    make_director("นาย มาใหม่", term_start=date(2020, 2, 1))
    meeting = make_meeting(date(2020, 1, 15))
    _attend(meeting, (member, AttendanceStatus.LEAVE))
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'data-testid="attendance-status-{chair.id}"' in page
    assert f'data-testid="attendance-status-{member.id}"' in page
    assert "นาย พ้นวาระ" not in page and "นาย มาใหม่" not in page
    assert page.index("นาย ประธาน") < page.index("นาง กรรมการ")  # the chair heads the grid
    assert '<option selected value="leave">ลา</option>' in page
    assert "มาประชุม" in page and "ประชุมออนไลน์" in page and "ขาด" in page
    assert 'data-testid="save-attendance"' in page


def test_one_save_replaces_the_attendance_and_blank_rows_are_not_recorded(client, login, make_meeting,
                                                                          make_director):
    login("secretary")
    first, second, third = (make_director(name) for name in ("นาย หนึ่ง", "นาย สอง", "นาย สาม"))
    meeting = make_meeting(date(2020, 1, 15))
    _attend(meeting, (third, AttendanceStatus.ABSENT))
    response = client.post(f"/meetings/{meeting.id}/attendance", data={
        "rows-0-director_id": first.id, "rows-0-status": "in_person",
        "rows-1-director_id": second.id, "rows-1-status": "online",
        "rows-2-director_id": third.id, "rows-2-status": "",
    })
    assert response.status_code == 302
    recorded = dict(db.session.execute(sa.select(Attendance.director_id, Attendance.status)).all())
    assert recorded == {first.id: AttendanceStatus.IN_PERSON, second.id: AttendanceStatus.ONLINE}


def test_attendance_for_a_director_not_in_office_is_refused_on_their_row(client, login, make_meeting,
                                                                         make_director, snapshot):
    login("secretary")
    present = make_director("นาย อยู่")
    gone = make_director("นาย พ้นวาระ", term_start=date(2015, 1, 1), term_end=date(2019, 12, 31))
    meeting = make_meeting(date(2020, 1, 15))
    _attend(meeting, (present, AttendanceStatus.ABSENT))
    before = snapshot()
    response = client.post(f"/meetings/{meeting.id}/attendance", data={
        "rows-0-director_id": present.id, "rows-0-status": "in_person",
        "rows-1-director_id": gone.id, "rows-1-status": "in_person",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "rows-1-status") == "นาย พ้นวาระ ไม่ได้ดำรงตำแหน่งกรรมการในวันที่ 2020-01-15"
    assert error_for(page, "rows-0-status") == ""
    assert '<option selected value="in_person">' in page  # what was chosen is kept
    assert snapshot() == before


def test_a_blank_row_does_not_shift_where_an_error_shows(client, login, make_meeting, make_director):
    login("secretary")
    present = make_director("นาย อยู่")
    gone = make_director("นาย พ้นวาระ", term_start=date(2015, 1, 1), term_end=date(2019, 12, 31))
    meeting = make_meeting(date(2020, 1, 15))
    response = client.post(f"/meetings/{meeting.id}/attendance", data={
        "rows-0-director_id": present.id, "rows-0-status": "",
        "rows-1-director_id": gone.id, "rows-1-status": "online",
    })
    assert response.status_code == 422
    assert "นาย พ้นวาระ" in error_for(response.get_data(as_text=True), "rows-1-status")


def test_a_cancelled_meeting_takes_no_attendance(client, login, make_meeting, make_director, snapshot):
    login("secretary")
    director = make_director()
    meeting = make_meeting(date(2020, 1, 15), status=MeetingStatus.CANCELLED)
    before = snapshot()
    response = client.post(f"/meetings/{meeting.id}/attendance",
                           data={"rows-0-director_id": director.id, "rows-0-status": "in_person"})
    assert response.status_code == 422
    assert "ยกเลิกแล้ว" in form_errors(response.get_data(as_text=True))
    assert snapshot() == before


def test_an_unknown_attendance_status_is_refused(client, login, make_meeting, make_director, snapshot):
    login("secretary")
    director = make_director()
    meeting = make_meeting(date(2020, 1, 15))
    before = snapshot()
    response = client.post(f"/meetings/{meeting.id}/attendance",
                           data={"rows-0-director_id": director.id, "rows-0-status": "asleep"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "rows-0-status") == "กรุณาเลือกจากรายการที่กำหนด"
    assert snapshot() == before


# --- agenda items ---------------------------------------------------------------------------

def test_add_edit_and_delete_agenda_items(client, login, make_meeting):
    login("secretary")
    meeting = make_meeting(date(2020, 1, 15))
    for title, topic in (("รายงานการเงิน ไตรมาส 1", "financial_report"), ("แผนปฏิบัติการประจำปี", "annual_plan")):
        response = client.post(f"/meetings/{meeting.id}/agenda-items",
                               data={"topic": topic, "title": title, "states_problems_and_remedies": "y"})
        assert response.status_code == 302
    items = db.session.scalars(sa.select(AgendaItem).order_by(AgendaItem.position)).all()
    assert [(i.position, i.topic, i.states_problems_and_remedies) for i in items] == [
        (1, Topic.FINANCIAL_REPORT, True), (2, Topic.ANNUAL_PLAN, True)]
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "รายงานผลการปฏิบัติงานด้านการเงิน" in page and "แผนปฏิบัติการประจำปี" in page

    first = items[0]
    form = client.get(f"/meetings/{meeting.id}/agenda-items/{first.id}/edit").get_data(as_text=True)
    assert '<option selected value="financial_report">' in form
    response = client.post(f"/meetings/{meeting.id}/agenda-items/{first.id}/edit",
                           data={"topic": "mission_report", "title": "รายงานภารกิจหลัก"})
    assert response.status_code == 302
    db.session.refresh(first)
    assert (first.topic, first.title, first.states_problems_and_remedies) == (
        Topic.MISSION_REPORT, "รายงานภารกิจหลัก", False)

    assert client.post(f"/meetings/{meeting.id}/agenda-items/{first.id}/delete").status_code == 302
    assert [i.title for i in db.session.scalars(sa.select(AgendaItem))] == ["แผนปฏิบัติการประจำปี"]
    listing = client.get("/meetings?fy=2563").get_data(as_text=True)
    assert '<td class="num">1</td>' in listing  # one agenda item left


def test_an_unknown_topic_is_refused_beside_the_topic(client, login, make_meeting, snapshot):
    login("secretary")
    meeting = make_meeting(date(2020, 1, 15))
    before = snapshot()
    response = client.post(f"/meetings/{meeting.id}/agenda-items", data={"topic": "gossip", "title": "เรื่องอื่น"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "topic") == "กรุณาเลือกจากรายการที่กำหนด"
    assert 'value="เรื่องอื่น"' in page
    assert snapshot() == before


def test_an_agenda_item_of_another_meeting_is_404(client, login, make_meeting):
    login("secretary")
    one, other = make_meeting(date(2020, 1, 15)), make_meeting(date(2020, 2, 15))
    item = meetings.add_agenda_item(one.id, meetings.AgendaItemInput(Topic.OTHER, "เรื่องอื่น ๆ"))
    db.session.commit()
    assert client.get(f"/meetings/{other.id}/agenda-items/{item.id}/edit").status_code == 404
    assert client.post(f"/meetings/{other.id}/agenda-items/{item.id}/delete").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) == 1


def test_committee_meetings_are_listed_with_their_body(client, login, make_meeting):
    login("secretary")
    make_meeting(date(2020, 1, 15), body=MeetingBody.COMMITTEE)
    assert "คณะอนุกรรมการ" in client.get("/meetings").get_data(as_text=True)



def test_a_refusal_outside_any_form_is_explained_not_a_server_error(client, login, make_meeting, monkeypatch):
    """E.g. a delete racing someone else's save: the service refuses, nothing changes."""
    from governance.services.errors import Conflict

    login("secretary")
    meeting = make_meeting()

    def refuse(_meeting_id):
        raise Conflict("Someone else changed this record after you opened it; reload to see their changes.")

    monkeypatch.setattr(meetings, "delete_meeting", refuse)
    response = client.post(f"/meetings/{meeting.id}/delete",
                           headers={"Referer": f"http://localhost/meetings/{meeting.id}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Someone else changed this record" in page
    assert db.session.get(Meeting, meeting.id) is not None

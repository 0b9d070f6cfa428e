"""The board roster: list, add and edit directors; bad input is refused beside its field."""

from __future__ import annotations

from datetime import date

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus, Position
from governance.models import Director
from governance.services import meetings
from tests.web.pagetools import error_for

GOOD = {
    "name": "นางสาว สมศรี ใจดี", "position": "vice_chair", "email": "Somsri@Example.org",
    "term_start": "2019-10-01", "term_end": "2023-09-30", "counts_for_attendance": "y",
}


def test_roster_is_thai_with_buddhist_era_dates(client, login, make_director):
    login("secretary")
    make_director("นาย ประธาน", position=Position.CHAIR, term_start=date(2019, 1, 15), term_end=date(2023, 1, 14))
    make_director("นาย อดีต", term_start=date(2015, 1, 1), term_end=date(2018, 12, 31))
    page = client.get("/directors").get_data(as_text=True)
    assert 'lang="th"' in page
    assert "ทะเบียนรายชื่อกรรมการ" in page
    assert "15 ม.ค. 2562 – 14 ม.ค. 2566" in page
    assert "ประธานกรรมการ" in page
    assert "ไม่ได้ดำรงตำแหน่ง" in page  # the 2015-2018 director, today being 15 Jan 2020
    assert 'data-testid="create-director"' in page


def test_roster_in_english_after_the_switch(client, login, make_director, english):
    login("secretary")
    make_director("Mr Chair", position=Position.CHAIR, term_start=date(2019, 1, 15))
    english()
    page = client.get("/directors").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "15 Jan 2019" in page and "open-ended" in page
    assert "Board roster" in page and "Chair" in page


def test_add_a_director(client, login):
    login("secretary")
    response = client.post("/directors", data=GOOD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/directors")
    director = db.session.scalar(db.select(Director))
    assert (director.name, director.position, director.email) == ("นางสาว สมศรี ใจดี", Position.VICE_CHAIR, "somsri@example.org")
    assert (director.term_start, director.term_end, director.counts_for_attendance) == (date(2019, 10, 1), date(2023, 9, 30), True)
    page = client.get("/directors").get_data(as_text=True)
    assert "นางสาว สมศรี ใจดี" in page and "1 ต.ค. 2562 – 30 ก.ย. 2566" in page


def test_edit_a_director(client, login, make_director):
    login("secretary")
    director = make_director("นาย เดิม")
    form = client.get(f"/directors/{director.id}/edit").get_data(as_text=True)
    assert 'value="นาย เดิม"' in form and 'value="01/01/2562"' in form
    response = client.post(f"/directors/{director.id}/edit",
                           data={**GOOD, "name": "นาย ใหม่", "counts_for_attendance": ""})
    assert response.status_code == 302
    db.session.refresh(director)
    assert director.name == "นาย ใหม่" and director.counts_for_attendance is False


def test_an_impossible_date_is_refused_beside_its_field(client, login, snapshot):
    login("secretary")
    before = snapshot()
    response = client.post("/directors", data={**GOOD, "term_start": "2020-02-30"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "วันที่ไม่ถูกต้อง" in error_for(page, "term_start")
    assert 'value="นางสาว สมศรี ใจดี"' in page  # what was typed is kept
    assert snapshot() == before


def test_a_term_ending_before_it_starts_is_refused(client, login, snapshot):
    login("secretary")
    before = snapshot()
    response = client.post("/directors", data={**GOOD, "term_end": "2019-09-30"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "term_end") == "วันสิ้นสุดวาระต้องไม่ก่อนวันเริ่มวาระ"
    assert snapshot() == before


def test_missing_name_and_unknown_position_are_named(client, login, snapshot):
    login("secretary")
    before = snapshot()
    response = client.post("/directors", data={**GOOD, "name": "", "position": "emperor"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "name") == "กรุณากรอกข้อมูลช่องนี้"
    assert error_for(page, "position") == "กรุณาเลือกจากรายการที่กำหนด"
    assert snapshot() == before


def test_shortening_a_term_that_would_strand_attendance_is_refused(client, login, make_director, make_meeting,
                                                                   snapshot):
    login("secretary")
    director = make_director("นาย ก", term_start=date(2019, 1, 1))
    meeting = make_meeting(date(2019, 11, 20))
    meetings.replace_attendance(meeting.id, [meetings.AttendanceRow(director.id, AttendanceStatus.IN_PERSON)])
    db.session.commit()
    before = snapshot()
    response = client.post(f"/directors/{director.id}/edit", data={**GOOD, "term_start": "2019-01-01",
                                                                  "term_end": "2019-10-31"})
    assert response.status_code == 422
    assert "2019-11-20" in error_for(response.get_data(as_text=True), "term_end")
    assert snapshot() == before


def test_an_unknown_director_is_404(client, login):
    login("secretary")
    assert client.get("/directors/999/edit").status_code == 404


def test_a_new_director_is_an_ordinary_director_unless_chosen_otherwise(client, login):
    # The first position (the chair) was preselected: added in a hurry, directors became chairs.
    login("secretary")
    page = client.get("/directors").get_data(as_text=True)
    assert '<option selected value="director">' in page or '<option value="director" selected>' in page

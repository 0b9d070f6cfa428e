"""Reports to the supervising minister: list by fiscal year, record, edit, delete."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from governance.extensions import db
from governance.models import MinisterialReport
from governance.services import reports
from tests.web.pagetools import error_for

REPORT = {"sent_on": "2020-04-20", "title": "รายงานผลการดำเนินงานรอบ 6 เดือน",
          "period_start": "2019-10-01", "period_end": "2020-03-31"}


def _report(sent_on: date, title: str = "รายงาน") -> MinisterialReport:
    report = reports.create_report(reports.ReportInput(sent_on=sent_on, title=title,
                                                       period_start=date(2019, 10, 1), period_end=date(2020, 3, 31)))
    db.session.commit()
    return report


def test_the_list_is_thai_and_shows_only_the_fiscal_year(client, login):
    login("secretary")
    _report(date(2020, 4, 20), "รอบ 6 เดือน")
    _report(date(2020, 10, 15), "รอบ 12 เดือน")  # FY2564
    page = client.get("/reports").get_data(as_text=True)
    assert 'lang="th"' in page and "รายงานต่อรัฐมนตรี ปีงบประมาณ 2563" in page
    assert "20 เม.ย. 2563" in page and "1 ต.ค. 2562 – 31 มี.ค. 2563" in page
    assert "รอบ 6 เดือน" in page and "รอบ 12 เดือน" not in page
    assert "รอบ 12 เดือน" in client.get("/reports?fy=2564").get_data(as_text=True)


def test_the_list_in_english(client, login, english):
    login("secretary")
    _report(date(2020, 4, 20))
    english()
    page = client.get("/reports?fy=2563").get_data(as_text=True)
    assert "20 Apr 2020" in page and "Reports to the minister, fiscal year 2563" in page


def test_record_edit_and_delete_a_report(client, login):
    login("secretary")
    response = client.post("/reports?fy=2563", data=REPORT)
    assert response.status_code == 302 and response.headers["Location"].endswith("/reports?fy=2563")
    report = db.session.scalar(sa.select(MinisterialReport))
    assert (report.sent_on, report.title) == (date(2020, 4, 20), "รายงานผลการดำเนินงานรอบ 6 เดือน")

    form = client.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert 'value="20/04/2563"' in form
    response = client.post(f"/reports/{report.id}/edit", data={**REPORT, "sent_on": "2020-10-15"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/reports?fy=2564")
    db.session.refresh(report)
    assert report.sent_on == date(2020, 10, 15)

    response = client.post(f"/reports/{report.id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MinisterialReport)) == 0


def test_bad_dates_are_refused_beside_their_fields(client, login, snapshot):
    login("secretary")
    before = snapshot()
    response = client.post("/reports", data={**REPORT, "sent_on": "2020-02-30", "title": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "วันที่ไม่ถูกต้อง" in error_for(page, "sent_on")
    assert error_for(page, "title") == "กรุณากรอกข้อมูลช่องนี้"
    assert snapshot() == before


def test_a_period_ending_before_it_starts_is_refused(client, login, snapshot):
    login("secretary")
    report = _report(date(2020, 4, 20))
    before = snapshot()
    response = client.post(f"/reports/{report.id}/edit", data={**REPORT, "period_end": "2019-09-30"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "period_end") == "วันสิ้นสุดของช่วงเวลาต้องไม่ก่อนวันเริ่มต้น"
    assert snapshot() == before


def test_a_report_sent_before_its_period_ends_is_refused(client, login, snapshot):
    login("secretary")
    before = snapshot()
    response = client.post("/reports", data={**REPORT, "sent_on": "2020-03-01"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "sent_on") == \
        "วันที่ส่งรายงานต้องไม่ก่อนวันสิ้นสุดของช่วงผลการดำเนินงานที่รายงาน"
    assert snapshot() == before


def test_an_unknown_report_is_404(client, login):
    login("secretary")
    assert client.get("/reports/999/edit").status_code == 404
    assert client.post("/reports/999/delete").status_code == 404

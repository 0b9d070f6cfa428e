"""The compliance dashboard: nine indicator cards as of a date, in Thai and in English.

The board as of 15 Jan 2020 (the pinned today), built through the services: five
directors; meeting 1/2563 reviewed performance, risk and the financial report with 4 of
5 present; 2/2563 had internal control with 3 of 5; 3/2563 everyone online; seven
meetings planned; one report sent to the minister; two months of budget at 95 %.
"""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

import pytest

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus, MeetingStatus, Position, Topic
from governance.models import Role
from governance.services import budget, meetings, reports

IN, ONLINE, LEAVE, ABSENT = (AttendanceStatus.IN_PERSON, AttendanceStatus.ONLINE, AttendanceStatus.LEAVE,
                             AttendanceStatus.ABSENT)


@pytest.fixture
def board(make_director, make_meeting):
    roster = [make_director("ประธาน ใจดี", position=Position.CHAIR)] + [
        make_director(name) for name in ("สมศรี มีสุข", "วิชัย ตั้งใจ", "มานะ อดทน", "ปิติ ยินดี")]

    def held(day, number, statuses, topics=()):
        meeting = make_meeting(day, number=number)
        meetings.replace_attendance(meeting.id, [meetings.AttendanceRow(d.id, s)
                                                 for d, s in zip(roster, statuses, strict=True)])
        for topic in topics:
            meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(
                topic=topic, title=f"วาระ {topic.value}", states_problems_and_remedies=True))
        db.session.commit()
        return meeting

    first = held(date(2019, 11, 20), "1/2563", [IN, IN, ONLINE, IN, LEAVE],
                 [Topic.PERFORMANCE_REVIEW, Topic.RISK_MANAGEMENT, Topic.FINANCIAL_REPORT])
    second = held(date(2019, 12, 18), "2/2563", [IN, ABSENT, LEAVE, IN, IN], [Topic.INTERNAL_CONTROL])
    third = held(date(2020, 1, 10), "3/2563", [ONLINE] * 5)
    for month in range(2, 9):
        make_meeting(date(2020, month, 19), number=f"{month + 2}/2563", status=MeetingStatus.PLANNED)
    report = reports.create_report(reports.ReportInput(
        sent_on=date(2019, 12, 20), title="รายงานผลการดำเนินงาน ไตรมาส 1",
        period_start=date(2019, 10, 1), period_end=date(2019, 11, 30)))
    budget.replace_budget(2563, [
        budget.BudgetMonthInput("2019-10", Decimal("1000000"), Decimal("900000")),
        budget.BudgetMonthInput("2019-11", Decimal("1000000"), Decimal("1000000")),
    ])
    db.session.commit()
    return {"meetings": [first, second, third], "report": report}


def card(page: str, number: int) -> str:
    found = re.search(rf'<article class="card indicator-card [^"]*" data-testid="indicator-{number}".*?</article>',
                      page, re.S)
    assert found, f"no card for indicator {number}"
    return found.group(0)


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def part(block: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">(.*?)</(?:p|span|div)>', block, re.S)
    return text(found.group(1)) if found else ""


def status(page: str, number: int) -> str:
    return re.search(r'class="badge badge-(\w+)"', card(page, number)).group(1)


def test_the_home_page_is_the_dashboard(client, login):
    login(Role.AUDITOR)  # a director's home is their own page (tests/web/test_director_home.py)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    response = client.get("/?fy=2562&as_of=2019-09-01&other=x")
    assert response.headers["Location"].endswith("/dashboard?fy=2562&as_of=2019-09-01")


def test_nine_cards_in_thai_with_status_value_target_deadline_and_what_is_needed(client, login, board):
    login(Role.AUDITOR)
    response = client.get("/dashboard")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ผลการดำเนินงานตามตัวชี้วัด ปีงบประมาณ 2563" in page
    assert "ข้อมูล ณ วันที่ 15 มกราคม 2563" in page
    assert re.findall(r'data-testid="indicator-(\d+)"', page) == [str(n) for n in range(10, 19)]
    # 12, 13: a subject never yet considered needs every quarter left (spec: at_risk).
    assert {n: status(page, n) for n in range(10, 19)} == {
        10: "met", 11: "on_track", 12: "at_risk", 13: "at_risk", 14: "at_risk", 15: "on_track",
        16: "at_risk", 17: "on_track", 18: "on_track"}

    ten = card(page, 10)
    assert "คณะกรรมการทบทวนผลการดำเนินงานขององค์การมหาชนเพื่อกำหนดทิศทางและนโยบายการปฏิบัติงานขององค์การมหาชน" in ten
    assert '<span class="badge badge-met">ผ่านเกณฑ์</span>' in ten
    assert part(ten, "measure-10") == "ประชุมแล้ว 1 ครั้ง" and part(ten, "target-10") == "อย่างน้อย 1"
    assert part(ten, "deadline-10") == "30 ก.ย. 2563"
    assert 'data-testid="needed-10"' not in ten  # met: nothing needed
    first, second, third = board["meetings"]
    assert f'<a href="/meetings/{first.id}">การประชุมครั้งที่ 1/2563 วันที่ 20 พ.ย. 2562: วาระ performance_review</a>' in ten

    eleven = card(page, 11)
    assert part(eleven, "measure-11") == "ยังไม่ได้กำหนดวันครบกำหนด"
    assert part(eleven, "deadline-11") == "ยังไม่ได้กำหนด"
    assert "ยังไม่ได้บันทึกกำหนดเวลาที่คณะรัฐมนตรีกำหนด จึงยังประเมินเรื่องแผนไม่ได้" in eleven

    twelve = card(page, 12)
    assert part(twelve, "measure-12") == "ครบเกณฑ์แล้ว 0 จาก 5 เรื่อง"
    assert part(twelve, "target-12") == "ทุกเรื่อง อย่างน้อย 3 ไตรมาส"
    assert "การบริหารความเสี่ยง: 1 ไตรมาส (ไตรมาสที่ 1)" in twelve
    assert "การบริหารความเสี่ยง: ยังขาดอีก 2 ไตรมาส เหลือโอกาส 3 ไตรมาส" in twelve
    assert f'href="/meetings/{second.id}"' in twelve

    fourteen = card(page, 14)
    assert part(fourteen, "measure-14") == "เบิกจ่ายร้อยละ 95.00 ของแผน"
    assert part(fourteen, "target-14") == "ไม่น้อยกว่าร้อยละ 96"
    assert "ต้องเบิกจ่ายเพิ่มอีก 20,000.00 บาท จึงจะถึงเป้าหมาย" in fourteen
    assert "เบิกจ่าย 1,900,000.00 บาท จากแผน 2,000,000.00 บาท ถึงสิ้นเดือน พ.ย. 2562" in fourteen
    assert '<a href="/budget/2563">ต.ค. 2562: เบิกจ่าย 900,000.00 บาท จากแผน 1,000,000.00 บาท</a>' in fourteen

    fifteen = card(page, 15)
    assert part(fifteen, "measure-15") == "รายงานแล้ว 1 ครั้ง" and part(fifteen, "target-15") == "อย่างน้อย 2"
    assert "ยังต้องรายงานผลการดำเนินงานต่อรัฐมนตรีอีก 1 ครั้ง" in fifteen
    assert '<a href="/reports?fy=2563">20 ธ.ค. 2562: รายงานผลการดำเนินงาน ไตรมาส 1</a>' in fifteen

    sixteen = card(page, 16)
    assert "ในการเข้าร่วมประชุมของคณะกรรมการ ร้อยละ 90 ของจำนวนการประชุม มีกรรมการเข้าประชุมร้อยละ 80 ขึ้นไป" in sixteen
    assert '<span class="badge badge-at_risk">มีความเสี่ยง</span>' in sixteen
    assert part(sixteen, "measure-16") == "การประชุมผ่านเกณฑ์ร้อยละ 66.67"
    assert part(sixteen, "target-16") == "ไม่น้อยกว่าร้อยละ 90 ของจำนวนการประชุม"
    assert "การประชุม 2 จาก 3 ครั้ง มีกรรมการเข้าประชุมร้อยละ 80 ขึ้นไป" in sixteen
    assert "จำนวนการประชุมที่ไม่ผ่านเกณฑ์ที่ยังรับได้อีก: 0 ครั้ง (การประชุมที่ยังมีกำหนดจัด 7 ครั้ง)" in sixteen
    assert "การประชุมคณะกรรมการที่ยังมีกำหนดจัดทั้ง 7 ครั้ง ต้องมีกรรมการเข้าประชุมครบตามเกณฑ์ทุกครั้ง" in sixteen
    assert "<summary>หลักฐาน (3)</summary>" in sixteen
    assert [m.id for m in board["meetings"]] == [int(i) for i in re.findall(r'href="/meetings/(\d+)"', sixteen)]
    assert "เข้าประชุม 3 จาก 5 คน · ไม่ผ่านเกณฑ์" in text(sixteen)
    assert "เข้าประชุม 5 จาก 5 คน · ผ่านเกณฑ์ · ตรวจสอบ: การประชุม ณ สถานที่เดียวกัน" in text(sixteen)
    assert 'href="/attendance?fy=2563&amp;as_of=2020-01-15" data-testid="open-16">รายงานการเข้าประชุม' in sixteen

    eighteen = card(page, 18)
    assert "ยังไม่ได้เปิดเผยผลการประเมินในที่ประชุมคณะกรรมการ" in eighteen

    # Read-only, and within the CSP: a GET form, no inline style or script.
    assert 'method="post"' not in page.split("</header>", 1)[1]
    assert 'method="get" action="/dashboard"' in page
    assert "style=" not in page and "<script" not in page


def test_the_dashboard_in_english(client, login, english, board):
    login(Role.SECRETARY)
    english()
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Compliance, fiscal year 2563" in page and "As of 15 Jan 2020" in page
    sixteen = card(page, 16)
    assert "In 90% of board meetings, 80% or more of the directors attend" in sixteen
    assert '<span class="badge badge-at_risk">At risk</span>' in sixteen
    assert part(sixteen, "measure-16") == "66.67 per cent of meetings qualified"
    assert part(sixteen, "deadline-16") == "30 Sep 2020"
    assert "Every one of the 7 board meetings still planned must have enough directors present." in sixteen
    assert "Reports to the minister still to be sent: 1." in card(page, 15)
    assert "Risk management: quarters still needed 2, quarters left 3." in card(page, 12)
    assert part(card(page, 10), "measure-10") == "Held meetings: 1"


def test_an_earlier_as_of_date_counts_only_what_had_happened(client, login, board):
    login(Role.AUDITOR)
    page = client.get("/dashboard?as_of=2019-11-30").get_data(as_text=True)
    assert "ผลการดำเนินงานตามตัวชี้วัด ปีงบประมาณ 2563" in page  # the fiscal year of the date
    assert "ข้อมูล ณ วันที่ 30 พฤศจิกายน 2562" in page
    assert part(card(page, 16), "measure-16") == "การประชุมผ่านเกณฑ์ร้อยละ 100.00"
    assert part(card(page, 15), "measure-15") == "รายงานแล้ว 0 ครั้ง"
    assert status(page, 10) == "met"
    before = client.get("/dashboard?as_of=2019-11-01").get_data(as_text=True)
    assert status(before, 10) == "on_track"
    assert part(card(before, 16), "measure-16") == "ยังไม่มีการประชุมคณะกรรมการ"


def test_after_the_year_ends_the_verdicts_are_final(client, login, board):
    login(Role.AUDITOR)
    page = client.get("/dashboard?fy=2563&as_of=2020-10-01").get_data(as_text=True)
    assert status(page, 10) == "met"
    assert status(page, 15) == "missed" and status(page, 16) == "missed"
    assert 'class="card indicator-card status-missed" data-testid="indicator-16"' in page


def test_the_selectors_choose_the_year_and_the_date(client, login, board):
    login(Role.DIRECTOR)
    page = client.get("/dashboard?as_of=2020-10-05").get_data(as_text=True)
    assert "ผลการดำเนินงานตามตัวชี้วัด ปีงบประมาณ 2564" in page
    assert '<option value="2564" selected>' in page and 'value="2020-10-05"' in page
    page = client.get("/dashboard?fy=2562").get_data(as_text=True)
    assert "ผลการดำเนินงานตามตัวชี้วัด ปีงบประมาณ 2562" in page and '<option value="2562" selected>' in page
    assert part(card(page, 16), "measure-16") == "ยังไม่มีการประชุมคณะกรรมการ"
    response = client.get("/dashboard?as_of=2020-13-01")
    assert response.status_code == 422
    assert 'id="as_of-error">กรุณาระบุวันที่ในรูปแบบ' in response.get_data(as_text=True)
    assert client.get("/dashboard?fy=abc").status_code == 404


def test_every_reader_sees_the_dashboard_and_anonymous_visitors_sign_in(client, login, board):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for role in Role:
        login(role)
        page = client.get("/dashboard").get_data(as_text=True)
        assert 'data-testid="indicator-16"' in page, role
        assert 'data-testid="nav-dashboard"' in page and 'data-testid="nav-attendance_report"' in page
        client.post("/logout")

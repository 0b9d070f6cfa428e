"""The secretary logs a board meeting with its attendance and an agenda item, in a real browser."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from governance.extensions import db
from governance.models import AgendaItem, Attendance, Meeting


def test_secretary_logs_a_meeting_with_attendance(page, live_server, sign_in, make_director):
    chair = make_director("ประธาน ทดสอบ", position="chair")
    members = [make_director(f"กรรมการ {n}") for n in range(1, 5)]
    make_director("พ้นวาระแล้ว", term_end=date(2019, 9, 30))  # not in office: no row on the grid
    sign_in("secretary")

    page.goto(f"{live_server}/meetings?fy=2563")
    page.fill("[data-testid=meeting-held-on]", "2019-11-20")
    page.fill("[data-testid=meeting-number]", "11/2562")
    page.select_option("[data-testid=meeting-status]", "held")
    page.fill("[data-testid=meeting-title]", "การประชุมคณะกรรมการ ครั้งที่ 11/2562")
    page.click("[data-testid=create-meeting]")
    page.wait_for_load_state()

    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.number == "11/2562"))
    assert meeting is not None and meeting.held_on == date(2019, 11, 20)
    page.goto(f"{live_server}/meetings/{meeting.id}")
    assert "20 พฤศจิกายน 2562" in page.content()  # Buddhist Era, in Thai
    grid = page.locator("[data-testid=attendance-form] select")
    assert grid.count() == 5  # the chair and four directors in office on that date

    page.select_option(f"[data-testid=attendance-status-{chair.id}]", "in_person")
    for member, status in zip(members, ("in_person", "online", "leave", "in_person"), strict=True):
        page.select_option(f"[data-testid=attendance-status-{member.id}]", status)
    page.click("[data-testid=save-attendance]")
    page.wait_for_load_state()
    assert page.locator(".flash-success").count() == 1

    page.select_option("[data-testid=agenda-topic]", "risk_management")
    page.fill("[data-testid=agenda-title]", "รายงานผลการบริหารความเสี่ยง ไตรมาส 1")
    page.locator("form:has([data-testid=agenda-topic]) button[type=submit]").click()
    page.wait_for_load_state()
    assert "รายงานผลการบริหารความเสี่ยง ไตรมาส 1" in page.locator("[data-testid=agenda-items]").inner_text()

    db.session.expire_all()
    saved = {a.director_id: a.status.value for a in db.session.scalars(
        sa.select(Attendance).where(Attendance.meeting_id == meeting.id))}
    assert saved == {chair.id: "in_person", members[0].id: "in_person", members[1].id: "online",
                     members[2].id: "leave", members[3].id: "in_person"}
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
    assert item.topic.value == "risk_management"


def test_attendance_grid_reselects_what_was_saved_after_a_reload(page, live_server, sign_in, make_director,
                                                                make_meeting):
    director = make_director("กรรมการ หนึ่ง")
    meeting = make_meeting(date(2020, 5, 18), number="5/2563")
    sign_in("secretary")
    page.goto(f"{live_server}/meetings/{meeting.id}")
    page.select_option(f"[data-testid=attendance-status-{director.id}]", "online")
    page.click("[data-testid=save-attendance]")
    page.wait_for_load_state()
    page.reload()
    assert page.locator(f"[data-testid=attendance-status-{director.id}]").input_value() == "online"

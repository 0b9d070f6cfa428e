"""The agenda in the Thai standard order; resolutions, action items, minutes approval."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.indicators.vocabulary import MeetingStatus
from governance.models import ActionItem, AgendaSection
from governance.services import agenda, meetings
from governance.services.errors import ValidationFailed


def add(meeting, title, section, topic="other"):
    item = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(topic=topic, title=title, section=section))
    db.session.commit()
    return item


def titles(meeting):
    db.session.expire_all()
    return {s.section.value: [i.title for i in s.items] for s in agenda.sections(meetings.get_meeting(meeting.id))}


def test_sections_follow_the_standard_order_whatever_the_order_of_entry(make_meeting):
    meeting = make_meeting()
    add(meeting, "อื่น ๆ", AgendaSection.OTHER_BUSINESS)
    add(meeting, "พิจารณา", AgendaSection.FOR_CONSIDERATION)
    add(meeting, "ประธานแจ้ง", AgendaSection.CHAIR_ANNOUNCEMENTS)
    seen = agenda.sections(meetings.get_meeting(meeting.id))
    assert [s.section.number for s in seen] == [1, 2, 3, 4, 5, 6]
    assert [i.title for s in seen for i in s.items] == ["ประธานแจ้ง", "พิจารณา", "อื่น ๆ"]


def test_an_item_without_a_section_goes_under_consideration(make_meeting):
    meeting = make_meeting()
    item = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(topic="annual_plan", title="แผน"))
    assert item.section is AgendaSection.FOR_CONSIDERATION


def test_reorder_within_a_section(make_meeting):
    meeting = make_meeting()
    first, second, third = (add(meeting, t, AgendaSection.FOR_CONSIDERATION) for t in ("ก", "ข", "ค"))
    agenda.move_agenda_item(meeting.id, third.id, -1)
    db.session.commit()
    assert titles(meeting)["for_consideration"] == ["ก", "ค", "ข"]
    agenda.move_agenda_item(meeting.id, first.id, +1)
    db.session.commit()
    assert titles(meeting)["for_consideration"] == ["ค", "ก", "ข"]
    agenda.move_agenda_item(meeting.id, second.id, +1)  # already last: nothing moves
    db.session.commit()
    assert titles(meeting)["for_consideration"] == ["ค", "ก", "ข"]


def test_moving_an_item_to_another_section_puts_it_last_there(make_meeting):
    meeting = make_meeting()
    add(meeting, "ทราบ 1", AgendaSection.FOR_INFORMATION)
    item = add(meeting, "ย้าย", AgendaSection.FOR_CONSIDERATION)
    meetings.update_agenda_item(meeting.id, item.id, meetings.AgendaItemInput(
        topic="other", title="ย้าย", section=AgendaSection.FOR_INFORMATION))
    db.session.commit()
    assert titles(meeting)["for_information"] == ["ทราบ 1", "ย้าย"]


def test_an_edit_that_does_not_name_a_section_or_resolution_keeps_them(make_meeting):
    meeting = make_meeting()
    item = add(meeting, "วาระ", AgendaSection.MATTERS_ARISING)
    meetings.update_agenda_item(meeting.id, item.id, meetings.AgendaItemInput(
        topic="other", title="วาระ", resolution="ที่ประชุมรับทราบ"))
    meetings.update_agenda_item(meeting.id, item.id, meetings.AgendaItemInput(topic="other", title="วาระ ๆ"))
    db.session.commit()
    assert (item.section, item.resolution) == (AgendaSection.MATTERS_ARISING, "ที่ประชุมรับทราบ")


def test_reorder_page_buttons_move_items(client, login, make_meeting):
    login("secretary")
    meeting = make_meeting()
    add(meeting, "ก", AgendaSection.FOR_CONSIDERATION)
    second = add(meeting, "ข", AgendaSection.FOR_CONSIDERATION)
    response = client.post(f"/meetings/{meeting.id}/agenda-items/{second.id}/move", data={"direction": "up"})
    assert response.status_code == 302
    assert titles(meeting)["for_consideration"] == ["ข", "ก"]
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert page.index(">ข<") < page.index(">ก<")


def test_resolution_and_action_item_from_the_item_page(client, login, make_meeting):
    login("secretary")
    meeting = make_meeting(date(2020, 1, 20))
    item = add(meeting, "อนุมัติแผนปฏิบัติการ", AgendaSection.FOR_CONSIDERATION, topic="annual_plan")
    response = client.post(f"/meetings/{meeting.id}/agenda-items/{item.id}/edit", data={
        "section": "for_consideration", "topic": "annual_plan", "title": "อนุมัติแผนปฏิบัติการ",
        "resolution": "ที่ประชุมมีมติอนุมัติ และมอบฝ่ายแผนปรับตัวชี้วัด", "version": item.version})
    assert response.status_code == 302
    response = client.post(f"/meetings/{meeting.id}/agenda-items/{item.id}/action-items", data={
        "title": "ปรับตัวชี้วัดตามข้อสังเกต", "owner": "ฝ่ายแผนและยุทธศาสตร์", "due_on": "2020-02-28"})
    assert response.status_code == 302
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "ที่ประชุมมีมติอนุมัติ" in page and "ปรับตัวชี้วัดตามข้อสังเกต" in page


def test_an_action_item_due_before_its_meeting_is_refused_by_field(client, login, make_meeting):
    login("secretary")
    meeting = make_meeting(date(2020, 1, 20))
    item = add(meeting, "วาระ", AgendaSection.FOR_CONSIDERATION)
    response = client.post(f"/meetings/{meeting.id}/agenda-items/{item.id}/action-items", data={
        "title": "งาน", "owner": "", "due_on": "2020-01-01"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="owner-error"' in page
    response = client.post(f"/meetings/{meeting.id}/agenda-items/{item.id}/action-items", data={
        "title": "งาน", "owner": "ฝ่ายบัญชี", "due_on": "2020-01-01"})
    assert response.status_code == 422
    assert "ต้องไม่ก่อนวันประชุม" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ActionItem.id))) == 0


def test_open_action_items_are_carried_to_later_meetings_until_done(make_meeting):
    january, february, march = (make_meeting(date(2020, m, 15)) for m in (1, 2, 3))
    item = add(january, "วาระ", AgendaSection.FOR_CONSIDERATION)
    action = agenda.add_action_item(january.id, item.id, agenda.ActionItemInput("ส่งรายงาน", "ฝ่ายบัญชี", date(2020, 2, 1)))
    db.session.commit()
    assert agenda.carried_forward(january) == []
    assert agenda.carried_forward(february) == [action]
    agenda.complete_action_item(action.id, date(2020, 3, 1))
    db.session.commit()
    # Done between February and March: still open at February's meeting, gone by March's.
    assert agenda.carried_forward(february) == [action]
    assert agenda.carried_forward(march) == []


def test_the_next_meeting_page_lists_them_under_matters_arising(client, login, make_meeting):
    january, february = make_meeting(date(2020, 1, 15)), make_meeting(date(2020, 2, 15))
    item = add(january, "วาระ", AgendaSection.FOR_CONSIDERATION)
    agenda.add_action_item(january.id, item.id, agenda.ActionItemInput("จัดทำคู่มือ", "ฝ่ายบุคคล", date(2020, 3, 1)))
    db.session.commit()
    login("director")
    page = client.get(f"/meetings/{february.id}").get_data(as_text=True)
    arising = page.index('data-testid="agenda-section-matters_arising"')
    assert arising < page.index("จัดทำคู่มือ") < page.index('data-testid="agenda-section-for_consideration"')


def test_tracker_marks_done_and_reopens(client, login, make_meeting):
    meeting = make_meeting(date(2020, 1, 15))
    item = add(meeting, "วาระ", AgendaSection.FOR_CONSIDERATION)
    action = agenda.add_action_item(meeting.id, item.id, agenda.ActionItemInput("ส่งงบทดลองไตรมาส", "ฝ่ายบัญชี", date(2020, 2, 1)))
    db.session.commit()
    login("secretary")
    assert "ส่งงบทดลองไตรมาส" in client.get("/action-items").get_data(as_text=True)
    client.post(f"/action-items/{action.id}/done", data={"done_on": "2020-01-30", "version": action.version})
    db.session.expire_all()
    assert action.done_on == date(2020, 1, 30)
    assert "ส่งงบทดลองไตรมาส" not in client.get("/action-items").get_data(as_text=True)
    assert "ส่งงบทดลองไตรมาส" in client.get("/action-items?show=all").get_data(as_text=True)
    client.post(f"/action-items/{action.id}/reopen")
    db.session.expire_all()
    assert action.done_on is None


def test_done_before_the_meeting_is_refused(make_meeting):
    meeting = make_meeting(date(2020, 1, 15))
    item = add(meeting, "วาระ", AgendaSection.FOR_CONSIDERATION)
    action = agenda.add_action_item(meeting.id, item.id, agenda.ActionItemInput("ส่งงบทดลองไตรมาส", "ฝ่าย", date(2020, 2, 1)))
    with pytest.raises(ValidationFailed) as refused:
        agenda.complete_action_item(action.id, date(2020, 1, 1))
    assert "done_on" in refused.value.fields


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_readers_see_the_tracker_but_cannot_change_it(client, login, make_meeting, role):
    meeting = make_meeting(date(2020, 1, 15))
    item = add(meeting, "วาระ", AgendaSection.FOR_CONSIDERATION)
    action = agenda.add_action_item(meeting.id, item.id, agenda.ActionItemInput("ส่งงบทดลองไตรมาส", "ฝ่าย", date(2020, 2, 1)))
    db.session.commit()
    login(role)
    page = client.get("/action-items").get_data(as_text=True)
    assert "ส่งงบทดลองไตรมาส" in page and f'data-testid="complete-{action.id}"' not in page
    assert client.post(f"/action-items/{action.id}/done", data={"done_on": "2020-01-30"}).status_code == 403


def test_minutes_are_approved_at_a_later_meeting(client, login, make_meeting):
    january, february = make_meeting(date(2020, 1, 15)), make_meeting(date(2020, 2, 15))
    cancelled = make_meeting(date(2020, 3, 15), status=MeetingStatus.CANCELLED)
    login("secretary")
    response = client.post(f"/meetings/{january.id}/minutes-approval",
                           data={"approving_meeting_id": february.id, "version": january.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert january.minutes_approved_at_id == february.id
    page = client.get(f"/meetings/{january.id}").get_data(as_text=True)
    status = page[page.index('data-testid="minutes-status"'):]
    assert february.number in status[:status.index("</dd>")]
    assert f"/meetings/{january.id}" in client.get(f"/meetings/{february.id}").get_data(as_text=True)
    with pytest.raises(ValidationFailed):
        agenda.approve_minutes(february.id, january.id)  # an earlier meeting cannot approve them
    with pytest.raises(ValidationFailed):
        agenda.approve_minutes(february.id, cancelled.id)


def test_the_section_stays_chosen_for_the_next_item(client, login, make_meeting):
    login("secretary")
    meeting = make_meeting()
    response = client.post(f"/meetings/{meeting.id}/agenda-items", data={
        "section": "for_information", "topic": "other", "title": "แจ้งเพื่อทราบ"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    select = page[page.index('data-testid="agenda-section"'):]
    assert 'selected value="for_information"' in select[:select.index("</select>")] or \
        'value="for_information" selected' in select[:select.index("</select>")]

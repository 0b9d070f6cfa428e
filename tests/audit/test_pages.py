"""The audit log page, a record's history on its page, and who may see them."""

from __future__ import annotations

from datetime import date

import pytest

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus
from governance.services import audit, meetings


@pytest.fixture
def meeting_with_history(make_director, make_meeting):
    director = make_director("นายสมชาย ใจดี")
    meeting = make_meeting(date(2019, 11, 20), number="3/2563")
    with audit.acting_as("secretary@example.org"):
        meetings.replace_attendance(meeting.id, [meetings.AttendanceRow(director.id, AttendanceStatus.ONLINE)])
        db.session.commit()
    return meeting


@pytest.mark.parametrize("role", ["auditor", "admin", "secretary"])
def test_the_audit_log_is_open_to_auditors_admins_and_the_secretary(client, login, meeting_with_history, role):
    login(role)
    response = client.get("/audit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-testid="audit-log"' in page
    assert "3/2563" in page and "online" in page


def test_the_audit_log_is_closed_to_directors_and_anonymous(client, login, meeting_with_history):
    assert client.get("/audit").status_code == 302  # to sign-in
    login("director")
    assert client.get("/audit").status_code == 403


def test_no_route_writes_to_the_audit_log(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("audit.")]
    assert rules and all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in rules)


def test_the_audit_log_filters(client, login, meeting_with_history):
    login("auditor")
    only_attendance = client.get("/audit?record_type=attendance").get_data(as_text=True)
    assert only_attendance.count('data-testid="audit-entry-') == 1
    by_user = client.get("/audit?user=SECRETARY@example").get_data(as_text=True)
    assert by_user.count('data-testid="audit-entry-') == 1
    by_record = client.get(f"/audit?record_type=meeting&record_id={meeting_with_history.id}").get_data(as_text=True)
    assert by_record.count('data-testid="audit-entry-') == 1
    today_and_on = client.get("/audit?since=2000-01-01&until=2200-12-31").get_data(as_text=True)
    assert today_and_on.count('data-testid="audit-entry-') == 4  # director, meeting, attendance, the auditor
    long_ago = client.get("/audit?since=2000-01-01&until=2000-12-31").get_data(as_text=True)
    assert 'data-testid="audit-entry-' not in long_ago
    nonsense = client.get("/audit?record_type=x&since=not-a-day&until=0001-01-01&page=-3")
    assert nonsense.status_code == 200


def test_the_audit_log_is_paginated(client, login, make_director):
    for index in range(55):
        make_director(f"กรรมการ {index}")
    login("auditor")  # one more entry: the auditor's account
    first = client.get("/audit").get_data(as_text=True)
    assert first.count('data-testid="audit-entry-') == 50 and 'data-testid="audit-older"' in first
    second = client.get("/audit?page=2").get_data(as_text=True)
    assert second.count('data-testid="audit-entry-') == 6


def test_a_meeting_page_shows_its_history_with_its_attendance(client, login, meeting_with_history):
    login("auditor")
    page = client.get(f"/meetings/{meeting_with_history.id}").get_data(as_text=True)
    assert 'data-testid="audit-history"' in page
    history = page.split('data-testid="audit-history"', 1)[1]
    assert "3/2563" in history and "online" in history and "secretary@example.org" in history
    assert history.count('data-testid="audit-entry-') == 2  # the meeting and its attendance row


def test_directors_do_not_see_the_history(client, login, meeting_with_history):
    login("director")
    page = client.get(f"/meetings/{meeting_with_history.id}").get_data(as_text=True)
    assert "Meeting" in page or "ประชุม" in page
    assert 'data-testid="audit-history"' not in page


def test_the_director_edit_page_shows_the_directors_history(client, login, make_director):
    director = make_director("นางสาวมาลี")
    login("secretary")
    page = client.get(f"/directors/{director.id}/edit").get_data(as_text=True)
    assert 'data-testid="audit-history"' in page and "นางสาวมาลี" in page.split('data-testid="audit-history"', 1)[1]


def test_the_filter_names_every_audited_record_type():
    from governance.services import audit
    from governance.web.audit import RECORD_TYPES

    assert set(RECORD_TYPES) == set(audit.record_types())

"""Every create, update and delete of a governance record leaves an entry: who, when, what changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus
from governance.models import (
    AuditAction,
    AuditEntry,
    AuditHead,
    PasswordResetRequest,
    SignInThrottle,
    MailOptOut,
    MeetingInvitation,
    OutboxMessage,
)
from governance.services import audit, meetings
from tests.audit.conftest import changes_of
from tests.conftest import PASSWORD

NEW_DIRECTOR = {"name": "นางสาวมาลี ใจดี", "position": "director", "email": "malee@example.org",
                "term_start": "2019-01-01", "term_end": "", "counts_for_attendance": "y"}
NEW_MEETING = {"held_on": "2020-02-20", "number": "2/2563", "kind": "regular", "body": "board",
               "status": "held", "title": "ประชุมคณะกรรมการ", "starts_at": "13:30", "place": "ห้องประชุม 1"}


def _recent(moment: datetime) -> bool:
    return abs(audit.as_utc(moment) - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_director_created_and_edited_on_the_web_names_the_secretary(client, login, entries):
    secretary = login("secretary")
    assert client.post("/directors", data=NEW_DIRECTOR).status_code == 302
    [created] = entries(record_type="director")
    assert created.action == AuditAction.CREATE
    assert (created.actor_user_id, created.actor) == (secretary.id, "secretary@example.org")
    assert _recent(created.recorded_at)
    fields = changes_of(created)
    assert fields["name"] == (None, "นางสาวมาลี ใจดี")
    assert fields["term_start"] == (None, "2019-01-01")
    assert fields["counts_for_attendance"] == (None, "true")
    assert "term_end" not in fields  # blank at creation: nothing to record

    edit = {**NEW_DIRECTOR, "name": "นางมาลี ใจดี", "position": "chair", "version": "1"}
    assert client.post(f"/directors/{created.record_id}/edit", data=edit).status_code == 302
    _, updated = entries(record_type="director")
    assert updated.action == AuditAction.UPDATE and updated.actor == "secretary@example.org"
    assert changes_of(updated) == {"name": ("นางสาวมาลี ใจดี", "นางมาลี ใจดี"), "position": ("director", "chair")}


def test_a_meeting_with_attendance_created_changed_and_deleted(client, login, make_director, entries):
    login("admin")
    director = make_director("นายสมชาย", term_start=date(2019, 1, 1))
    response = client.post("/meetings", data=NEW_MEETING)
    assert response.status_code == 302
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    grid = {"rows-0-director_id": director.id, "rows-0-status": "online"}
    assert client.post(f"/meetings/{meeting_id}/attendance", data=grid).status_code == 302
    grid["rows-0-status"] = "in_person"
    assert client.post(f"/meetings/{meeting_id}/attendance", data=grid).status_code == 302
    edit = {**NEW_MEETING, "title": "ประชุมคณะกรรมการ ครั้งที่ 2", "version": "1"}
    assert client.post(f"/meetings/{meeting_id}/edit", data=edit).status_code == 302
    assert client.post(f"/meetings/{meeting_id}/delete").status_code == 302

    trail = [(e.action.value, e.record_type) for e in entries(actor="admin@example.org")]
    assert trail == [("create", "meeting"), ("create", "attendance"), ("update", "attendance"),
                     ("update", "meeting"), ("delete", "attendance"), ("delete", "meeting")]
    created, added, changed, edited, removed, deleted = entries(actor="admin@example.org")
    assert changes_of(created)["number"] == (None, "2/2563")
    assert changes_of(created)["starts_at"] == (None, "13:30:00")
    assert (added.parent_type, added.parent_id) == ("meeting", str(meeting_id))
    assert changes_of(added)["status"] == (None, "online")
    assert changes_of(changed) == {"status": ("online", "in_person")}
    assert (changed.parent_type, changed.parent_id) == ("meeting", str(meeting_id))
    assert changes_of(edited) == {"title": ("ประชุมคณะกรรมการ", "ประชุมคณะกรรมการ ครั้งที่ 2")}
    assert changes_of(removed)["director_id"] == (str(director.id), None)
    assert changes_of(deleted)["title"] == ("ประชุมคณะกรรมการ ครั้งที่ 2", None)
    assert all(entry.actor_user_id is not None and _recent(entry.recorded_at) for entry in (created, deleted))


def test_an_agenda_item_is_recorded_under_its_meeting(client, login, make_meeting, entries):
    login("secretary")
    meeting = make_meeting()
    item = {"topic": "other", "title": "เรื่องอื่น ๆ"}
    assert client.post(f"/meetings/{meeting.id}/agenda-items", data=item).status_code == 302
    [entry] = entries(record_type="agenda_item")
    assert (entry.parent_type, entry.parent_id, entry.actor) == ("meeting", str(meeting.id), "secretary@example.org")


def test_the_api_user_is_the_actor(client, api_token, entries):
    headers = api_token("secretary", email="api@example.org")
    body = {"name": "ก", "position": "director", "term_start": "2019-01-01"}
    response = client.post("/api/v1/directors", json=body, headers=headers)
    assert response.status_code == 201
    [entry] = entries(record_type="director")
    assert entry.actor == "api@example.org" and entry.actor_user_id is not None


def test_a_cli_command_is_the_actor_and_password_hashes_are_never_written(runner, entries):
    result = runner.invoke(args=["users", "create", "new@example.org", "--role", "auditor",
                                 "--password", "longenough1"])
    assert result.exit_code == 0, result.output
    [entry] = entries(record_type="user")
    assert (entry.actor, entry.actor_user_id, entry.action) == ("cli", None, AuditAction.CREATE)
    assert changes_of(entry)["password_hash"] == (None, "changed")
    assert changes_of(entry)["email"] == (None, "new@example.org")
    assert "scrypt" not in str(entry.changes) and "pbkdf2" not in str(entry.changes)


def test_api_tokens_are_recorded_without_their_hash(client, make_user, entries):
    user = make_user("director", email="d@example.org")
    response = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    [entry] = entries(record_type="api_token")
    assert changes_of(entry)["token_hash"] == (None, "changed")
    assert (entry.parent_type, entry.parent_id) == ("user", str(user.id))
    assert response.get_json()["token"] not in str(entry.changes)


def test_without_an_adapter_the_actor_is_system_and_acting_as_names_one(make_director, entries):
    make_director("ก")
    with audit.acting_as("scheduler"):
        make_director("ข")
    assert [e.actor for e in entries(record_type="director")] == ["system", "scheduler"]


def test_a_rolled_back_change_leaves_no_entry(make_director, entries):
    director = make_director()
    meetings.create_meeting(meetings.MeetingInput(
        held_on=date(2020, 1, 1), kind="regular", number="1/2563", title="ก", status="held"))
    db.session.rollback()
    assert [e.record_type for e in entries()] == ["director"]
    assert director.id


def test_every_model_is_audited_or_declared_as_bookkeeping():
    """A new model must be added to audit.AUDITED (or here, if it holds no governance record)."""
    # SignInThrottle: failed sign-ins counted per unknown address, client and browser (like the user row's);
    # PasswordResetRequest: an address typed on "forgot password", gone within a minute (the link is mail)
    bookkeeping = {AuditEntry, AuditHead, OutboxMessage, MailOptOut, MeetingInvitation, SignInThrottle,
                   PasswordResetRequest}
    models = {mapper.class_ for mapper in db.Model.registry.mappers}
    assert models - bookkeeping == set(audit.AUDITED)


@pytest.mark.parametrize(("value", "text"), [
    (None, None), (True, "true"), (3, "3"), (AttendanceStatus.ONLINE, "online"), (date(2020, 2, 29), "2020-02-29"),
    (datetime(2020, 1, 1, 7, 0), "2020-01-01T07:00:00.000000+00:00"), ({"b": 1, "a": "ไทย"}, '{"a":"ไทย","b":1}'),
])
def test_values_are_written_as_json_safe_text(value, text):
    assert audit.as_text(value) == text


def test_an_attendance_row_cleared_from_the_grid_is_recorded_as_deleted(client, login, make_director,
                                                                        make_meeting, entries):
    login("secretary")
    director = make_director()
    meeting = make_meeting()
    grid = {"rows-0-director_id": director.id, "rows-0-status": "leave"}
    assert client.post(f"/meetings/{meeting.id}/attendance", data=grid).status_code == 302
    grid["rows-0-status"] = ""  # "not recorded": the row goes (a delete-orphan in the unit of work)
    assert client.post(f"/meetings/{meeting.id}/attendance", data=grid).status_code == 302
    added, removed = entries(record_type="attendance")
    assert (added.action, removed.action) == (AuditAction.CREATE, AuditAction.DELETE)
    assert changes_of(removed)["status"] == ("leave", None)
    assert (removed.parent_type, removed.parent_id, removed.actor) == ("meeting", str(meeting.id),
                                                                       "secretary@example.org")

"""Records edited in forms carry a version: a save over a newer version is refused, nothing overwritten."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.indicators.vocabulary import Position, Topic
from governance.models import Meeting
from governance.services import directors, meetings, reports
from governance.services.errors import Conflict
from tests.audit.conftest import version_in
from tests.conftest import PASSWORD

STALE = "Someone else changed this record after you opened it; reload to see their changes."
MEETING = {"held_on": "2019-11-20", "number": "1/2563", "kind": "regular", "body": "board", "status": "held",
           "title": "ประชุมคณะกรรมการ"}


def _signed_in(app, make_user, email):
    client = app.test_client()
    user = make_user("secretary", email=email, locale="en")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_the_second_of_two_saves_of_a_meeting_is_refused(app, make_user, make_meeting):
    meeting = make_meeting(date(2019, 11, 20), number="1/2563")
    first = _signed_in(app, make_user, "first@example.org")
    second = _signed_in(app, make_user, "second@example.org")
    first_version = version_in(first.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True))
    second_version = version_in(second.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True))
    assert first_version == second_version == "1"

    saved = first.post(f"/meetings/{meeting.id}/edit",
                       data={**MEETING, "title": "ฉบับของคนแรก", "version": first_version})
    assert saved.status_code == 302
    refused = second.post(f"/meetings/{meeting.id}/edit",
                          data={**MEETING, "title": "ฉบับของคนที่สอง", "version": second_version})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'class="form-errors"' in page and STALE in page.split('class="form-errors"', 1)[1]
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "ฉบับของคนแรก"
    assert db.session.get(Meeting, meeting.id).version == 2
    reloaded = version_in(second.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True))
    assert reloaded == "2"


@pytest.mark.parametrize("kind", ["director", "agenda_item", "report"])
def test_other_forms_refuse_a_stale_save_too(client, login, make_director, make_meeting, kind):
    login("secretary", locale="en")
    if kind == "director":
        record = make_director("ก")
        url, data = f"/directors/{record.id}/edit", {"name": "ข", "position": "director", "term_start": "2019-01-01"}
        directors.update_director(record.id, directors.DirectorInput("ค", Position.DIRECTOR, date(2019, 1, 1)))
    elif kind == "agenda_item":
        meeting = make_meeting()
        record = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(Topic.OTHER, "ก"))
        url, data = f"/meetings/{meeting.id}/agenda-items/{record.id}/edit", {"topic": "other", "title": "ข"}
        meetings.update_agenda_item(meeting.id, record.id, meetings.AgendaItemInput(Topic.OTHER, "ค"))
    else:
        record = reports.create_report(reports.ReportInput(date(2020, 4, 30), "ก", date(2019, 10, 1),
                                                           date(2020, 3, 31)))
        url, data = (f"/reports/{record.id}/edit",
                     {"sent_on": "2020-04-30", "title": "ข", "period_start": "2019-10-01", "period_end": "2020-03-31"})
        db.session.flush()
        reports.update_report(record.id, reports.ReportInput(date(2020, 4, 30), "ค", date(2019, 10, 1),
                                                             date(2020, 3, 31)))
    db.session.commit()
    response = client.post(url, data={**data, "version": "1"})
    assert response.status_code == 422 and STALE in response.get_data(as_text=True)
    db.session.expire_all()
    assert (record.name if kind == "director" else record.title) == "ค"


def test_a_save_racing_past_the_check_loses_at_the_flush(app, make_meeting):
    """Another transaction commits between this one's read and its UPDATE: StaleDataError → Conflict."""
    meeting = make_meeting(date(2019, 11, 20), number="1/2563")
    loaded = meetings.get_meeting(meeting.id)
    assert loaded.version == 1
    with db.engine.begin() as other:
        other.execute(sa.text("UPDATE meeting SET title = 'ของอีกคน', version = version + 1 WHERE id = :id"),
                      {"id": meeting.id})
    data = meetings.MeetingInput(held_on=date(2019, 11, 20), kind="regular", number="1/2563", title="ของฉัน",
                                 status="held")
    with pytest.raises(Conflict) as refused:
        meetings.update_meeting(meeting.id, data, expected_version=1)
    assert str(refused.value.message) == STALE and set(refused.value.fields) == {"version"}
    db.session.rollback()
    assert db.session.get(Meeting, meeting.id).title == "ของอีกคน"


def test_an_api_put_without_a_version_still_works(client, api_token, make_meeting):
    meeting = make_meeting(date(2019, 11, 20), number="1/2563")
    headers = api_token("secretary")
    body = {**MEETING, "title": "ผ่าน API"}
    response = client.put(f"/api/v1/meetings/{meeting.id}", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()

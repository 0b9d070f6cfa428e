"""The page with one's feed links, and a meeting's .ics download."""

from __future__ import annotations

import re
from datetime import date

import icalendar

from governance.indicators.vocabulary import MeetingStatus
from governance.models import Role
from governance.services import calendars, directors, emails
from governance.services.errors import Conflict


def _feed_urls(html: str) -> dict[str, str]:
    """data-testid -> the address in each copyable field."""
    return {testid: url for url, testid in re.findall(r'value="([^"]+)" class="feed-url" data-testid="([^"]+)"', html)}


def test_a_director_sees_their_own_feed_and_no_one_elses(client, login, make_director, fetch):
    mine = make_director("กรรมการ ของฉัน")
    other = make_director("กรรมการ คนอื่น")
    login(Role.DIRECTOR, director_id=mine.id)
    response = client.get("/calendars")
    assert response.status_code == 200
    urls = _feed_urls(response.get_data(as_text=True))
    assert urls == {"own-feed-url": calendars.director_feed_url(mine)}
    assert calendars.director_feed_url(other) not in response.get_data(as_text=True)
    assert fetch(urls["own-feed-url"])[0].status_code == 200


def test_the_secretary_sees_the_board_feed_and_every_directors(client, login, make_director, fetch):
    one, two = make_director("หนึ่ง"), make_director("สอง")
    login(Role.SECRETARY)
    urls = _feed_urls(client.get("/calendars").get_data(as_text=True))
    assert urls == {"board-feed-url": calendars.board_feed_url(),
                    f"director-feed-url-{one.id}": calendars.director_feed_url(one),
                    f"director-feed-url-{two.id}": calendars.director_feed_url(two)}
    assert all(url.startswith("https://governance.example.org/feeds/") for url in urls.values())
    assert all(fetch(url)[0].status_code == 200 for url in urls.values())


def test_an_auditor_has_no_feed_to_copy(client, login, make_director):
    make_director()
    login(Role.AUDITOR)
    html = client.get("/calendars").get_data(as_text=True)
    assert _feed_urls(html) == {}


def test_a_meeting_page_offers_its_ics(client, login, make_meeting):
    meeting = make_meeting(date(2020, 2, 20), status=MeetingStatus.PLANNED)
    login(Role.DIRECTOR)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"/meetings/{meeting.id}/calendar.ics" in page
    response = client.get(f"/meetings/{meeting.id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == f'attachment; filename="meeting-{meeting.id}.ics"'
    event = icalendar.Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["UID"]) == emails.meeting_uid(meeting.id) == f"meeting-{meeting.id}@governance.example.org"
    assert client.get(f"/meetings/{meeting.id + 99}/calendar.ics").status_code == 404


def test_the_ics_needs_a_sign_in(client, make_meeting):
    meeting = make_meeting()
    response = client.get(f"/meetings/{meeting.id}/calendar.ics")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_director_makes_a_new_address_and_the_old_one_stops(client, login, make_director, fetch):
    mine = make_director("กรรมการ ของฉัน")
    login(Role.DIRECTOR, director_id=mine.id)
    old = _feed_urls(client.get("/calendars").get_data(as_text=True))["own-feed-url"]
    response = client.post("/calendars/renew")
    assert response.status_code == 302
    page = client.get("/calendars").get_data(as_text=True)
    assert "ที่อยู่เดิมใช้ไม่ได้แล้ว" in page  # the flash, in Thai
    new = _feed_urls(page)["own-feed-url"]
    assert new != old
    assert fetch(old)[0].status_code == 404 and fetch(new)[0].status_code == 200


def test_the_secretary_renews_one_directors_address_only(client, login, make_director, fetch):
    one, two = make_director("หนึ่ง"), make_director("สอง")
    login(Role.SECRETARY)
    before = _feed_urls(client.get("/calendars").get_data(as_text=True))
    assert client.post(f"/calendars/directors/{one.id}/renew").status_code == 302
    after = _feed_urls(client.get("/calendars").get_data(as_text=True))
    assert after[f"director-feed-url-{one.id}"] != before[f"director-feed-url-{one.id}"]
    assert after[f"director-feed-url-{two.id}"] == before[f"director-feed-url-{two.id}"]
    assert after["board-feed-url"] == before["board-feed-url"]
    assert fetch(before[f"director-feed-url-{one.id}"])[0].status_code == 404
    assert client.post(f"/calendars/directors/{two.id + 99}/renew").status_code == 404


def test_a_director_cannot_renew_someone_elses_address(client, login, make_director):
    mine, other = make_director("ของฉัน"), make_director("คนอื่น")
    login(Role.DIRECTOR, director_id=mine.id)
    assert client.post(f"/calendars/directors/{other.id}/renew").status_code == 403


def test_a_new_address_does_not_make_an_open_edit_form_of_the_director_stale(client, login, make_director):
    director = make_director("กรรมการ แก้ไข")
    login(Role.SECRETARY)
    form = client.get(f"/directors/{director.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', form)
    assert client.post(f"/calendars/directors/{director.id}/renew").status_code == 302
    response = client.post(f"/directors/{director.id}/edit", data={
        "version": version.group(1) or version.group(2), "name": "กรรมการ แก้ไขแล้ว", "position": "director",
        "term_start": "2019-01-01", "counts_for_attendance": "y"})
    assert response.status_code == 302
    assert directors.get_director(director.id).name == "กรรมการ แก้ไขแล้ว"


def test_a_renewal_that_cannot_be_made_is_said_not_a_server_error(client, login, make_director, monkeypatch):
    director = make_director()
    login(Role.SECRETARY)

    def busy(_director_id):
        raise Conflict("busy")

    monkeypatch.setattr(calendars, "renew_director_feed", busy)
    response = client.post(f"/calendars/directors/{director.id}/renew")
    assert response.status_code == 302
    assert "busy" in client.get("/calendars").get_data(as_text=True)

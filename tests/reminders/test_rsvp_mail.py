"""The meeting invitation carries each director's own answer link, which works without sign-in."""

from __future__ import annotations

import re

import sqlalchemy as sa

from governance.extensions import db
from governance.models import Rsvp
from tests.reminders.conftest import BASE_URL
from tests.reminders.test_emails_arrive import send


def test_the_link_in_the_invitation_records_that_directors_answer(mail_app, runner, smtp, board, planned_meeting,
                                                                 client):
    meeting = planned_meeting()
    send(runner)
    thai = next(r for r in smtp.received if r.to == "one@example.org" and r.part("text/calendar") is not None)
    english = next(r for r in smtp.received if r.to == "two@example.org" and r.part("text/calendar") is not None)
    links = [re.search(rf"{re.escape(BASE_URL)}(/rsvp/\S+)", mail.text).group(1) for mail in (thai, english)]
    assert links[0] != links[1]  # one per director
    assert "แจ้งการเข้าร่วมประชุม" in thai.text

    page = client.get(links[0])
    assert page.status_code == 200 and meeting.number in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Rsvp.id))) == 0  # a GET (a mail scanner) answers nothing
    assert client.post(links[0], data={"response": "online"}).status_code == 302
    assert client.post(links[1], data={"response": "apologies"}).status_code == 302
    answers = {r.director_id: r.response.value for r in db.session.scalars(sa.select(Rsvp))}
    assert answers == {board.director_ids[1]: "online", board.director_ids[2]: "apologies"}

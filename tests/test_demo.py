"""`flask demo` gives a newcomer a living FY2563 board."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from governance.extensions import db
from governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    BudgetMonth,
    Director,
    Meeting,
    MinisterialReport,
    Rsvp,
    User,
)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_loads_a_realistic_board_once(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "secretary@example.org" in result.output
    assert count(Director) == 13
    assert count(Meeting) == 14  # twelve board meetings held, one planned, and one committee meeting
    assert count(Rsvp) == 6 and count(ActionItem) == 3
    approved = db.session.scalar(sa.select(sa.func.count()).where(Meeting.minutes_approved_at_id.is_not(None)))
    assert approved == 11  # each held board meeting's minutes, at the next one
    assert count(Attendance) > 100
    assert count(AgendaItem) > 30
    assert count(MinisterialReport) == 2
    assert count(BudgetMonth) == 12
    assert count(User) == 5
    # the demo director's account is linked; a former director's was disabled after the term
    linked = db.session.scalar(sa.select(User).where(User.email == "director@example.org"))
    assert linked.director_id is not None and linked.is_active
    former = db.session.scalars(sa.select(User).where(User.is_active.is_(False))).all()
    assert len(former) == 1 and former[0].director.term_end == date(2020, 3, 31)

    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output
    assert "secretary@example.org" in again.output and "demo-password" in again.output  # how to sign in, again
    assert count(Director) == 13
    changed = db.session.scalar(sa.select(User).where(User.email == "auditor@example.org"))
    changed.password_hash = generate_password_hash("a-new-password-of-their-own")
    db.session.commit()
    third = runner.invoke(args=["demo", "--if-empty"])
    assert "auditor@example.org" not in third.output and "secretary@example.org" in third.output
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code != 0


def test_demo_director_can_sign_in(runner, client):
    runner.invoke(args=["demo"])
    response = client.post("/login", data={"email": "director@example.org", "password": "demo-password"})
    assert response.status_code == 302


def test_the_demo_directors_page_has_a_meeting_to_answer_and_work_of_her_own(runner):
    from datetime import date

    from governance.services import director_home
    runner.invoke(args=["demo"])
    account = db.session.scalar(sa.select(User).where(User.email == "director@example.org"))
    home = director_home.home_of(account.director, account, date(2020, 10, 5))
    assert [m.meeting.number for m in home.meetings] == ["10/2563"]
    assert home.meetings[0].answer is None and home.meetings[0].to_decide
    assert [a.owner for a in home.action_items] == ["นางสาววิไลวรรณ ศรีสุข"]

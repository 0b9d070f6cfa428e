"""The accounts page: the secretariat invites, links, disables and unlocks, in Thai and English."""

from __future__ import annotations

import html
from datetime import date

import sqlalchemy as sa

from governance.extensions import db
from governance.models import OutboxMessage, Role, User
from tests.web.pagetools import error_for


def _account(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_the_secretary_invites_a_director_from_the_roster_in_one_step(client, login, make_director):
    login("secretary")
    director = make_director("นางสาว วิภา ใจดี", email="wipa@example.org")
    page = client.get("/accounts").get_data(as_text=True)
    assert "บัญชีผู้ใช้" in page and "เชิญผู้ใช้" in page
    assert 'value="admin"' not in page  # the secretary cannot make an administrator
    answer = client.post("/accounts", data={"director_id": str(director.id), "email": "", "role": "director",
                                            "locale": "th"})
    assert answer.status_code == 302
    user = _account("wipa@example.org")
    assert user.director_id == director.id and user.role == Role.DIRECTOR
    queued = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == "wipa@example.org"))
    assert queued.kind == "account_invitation"
    listed = client.get("/accounts").get_data(as_text=True)
    assert "เชิญแล้ว ยังไม่เคยเข้าสู่ระบบ" in listed and "นางสาว วิภา ใจดี" in listed
    assert f'data-testid="resend-{user.id}"' in listed


def test_a_bad_invitation_names_its_field_and_writes_nothing(client, login, make_director):
    login("secretary")
    director = make_director("นาย มีบัญชี", email="has@example.org")
    client.post("/accounts", data={"director_id": str(director.id), "role": "director", "locale": "th"})
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    again = client.post("/accounts", data={"director_id": str(director.id), "email": "other@example.org",
                                           "role": "director", "locale": "th"})
    assert again.status_code == 422
    assert "มีบัญชีผู้ใช้อยู่แล้ว" in error_for(again.get_data(as_text=True), "director_id")
    blank = client.post("/accounts", data={"director_id": "", "email": "", "role": "auditor", "locale": "th"})
    assert blank.status_code == 422 and error_for(blank.get_data(as_text=True), "email")
    bad_role = client.post("/accounts", data={"email": "x@example.org", "role": "admin", "locale": "th"})
    assert bad_role.status_code == 422 and error_for(bad_role.get_data(as_text=True), "role")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before


def test_disable_then_enable_from_the_page_with_the_filter_kept(client, login, make_user):
    login("secretary")
    target = make_user(Role.DIRECTOR, email="d@example.org")
    answer = client.post(f"/accounts/{target.id}/disable?state=active")
    assert answer.status_code == 302 and "state=active" in answer.headers["Location"]
    assert not _account("d@example.org").is_active
    disabled = client.get("/accounts?state=disabled").get_data(as_text=True)
    assert "d@example.org" in disabled
    assert "d@example.org" not in client.get("/accounts?state=active").get_data(as_text=True)
    client.post(f"/accounts/{target.id}/enable")
    assert _account("d@example.org").is_active


def test_the_secretary_neither_sees_nor_touches_an_admin(client, login, make_user):
    login("secretary")
    admin = make_user(Role.ADMIN, email="boss@example.org")
    assert "boss@example.org" not in client.get("/accounts").get_data(as_text=True)
    assert client.post(f"/accounts/{admin.id}/disable").status_code == 404
    assert _account("boss@example.org").is_active


def test_link_change_role_and_refusals_are_said_on_the_page(client, login, make_user, make_director):
    login("admin")
    director = make_director("นาย สมชาย", email="somchai@example.org")
    account = make_user(Role.AUDITOR, email="aud@example.org")
    client.post(f"/accounts/{account.id}/link", data={"director_id": str(director.id)})
    assert _account("aud@example.org").director_id == director.id
    client.post(f"/accounts/{account.id}/role", data={"role": "director"})
    assert _account("aud@example.org").role == Role.DIRECTOR
    me = _account("admin@example.org")
    refused = client.post(f"/accounts/{me.id}/role", data={"role": "auditor"}, follow_redirects=True)
    assert "ผู้ดูแลระบบคนสุดท้าย" in html.unescape(refused.get_data(as_text=True))
    assert _account("admin@example.org").role == Role.ADMIN


def test_the_page_in_english_with_dates_and_the_term_rule(client, login, make_user, make_director, english):
    login("admin")
    director = make_director("Ms Leaving", term_end=date(2020, 9, 30))
    make_user(Role.DIRECTOR, email="leaving@example.org", director_id=director.id)
    english()
    page = client.get("/accounts").get_data(as_text=True)
    assert "Accounts" in page and "term ends" in page and "30 Sep 2020" in page
    assert "disabled automatically the day after their term ends" in html.unescape(page)
    assert "Keep open after the term" in page


def test_directors_and_auditors_cannot_open_the_page(client, login):
    login("auditor")
    assert client.get("/accounts").status_code == 403


NEW_DIRECTOR = {"name": "นาย ใหม่ มาก", "position": "director", "email": "new.director@example.org",
                "term_start": "2019-10-01", "term_end": "", "counts_for_attendance": "y"}


def test_adding_a_director_can_invite_them_in_the_same_step(client, login):
    login("secretary")
    assert 'data-testid="director-invite"' in client.get("/directors").get_data(as_text=True)
    answer = client.post("/directors", data={**NEW_DIRECTOR, "invite": "y"}, follow_redirects=True)
    assert "เชิญให้เข้าสู่ระบบแล้ว" in answer.get_data(as_text=True)
    user = _account("new.director@example.org")
    assert user.role == Role.DIRECTOR and user.director is not None and user.director.name == "นาย ใหม่ มาก"
    assert db.session.scalar(sa.select(OutboxMessage.kind).where(
        OutboxMessage.recipient == "new.director@example.org")) == "account_invitation"


def test_an_invitation_without_an_address_adds_nobody(client, login):
    from governance.models import Director

    login("secretary")
    answer = client.post("/directors", data={**NEW_DIRECTOR, "email": "", "invite": "y"})
    assert answer.status_code == 422
    assert "กรอกอีเมลที่จะส่งคำเชิญไป" in error_for(answer.get_data(as_text=True), "email")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Director)) == 0

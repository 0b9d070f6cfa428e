"""Signing in and out in a real browser."""

from __future__ import annotations

from tests.conftest import PASSWORD


def test_wrong_password_shows_an_error_beside_the_field(page, live_server, make_user):
    user = make_user()
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit].primary")
    assert page.locator("#password-error").is_visible()
    assert "/login" in page.url


def test_secretary_signs_in_and_out(page, live_server, make_user):
    user = make_user("secretary")
    page.goto(f"{live_server}/")
    assert "/login" in page.url
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert "/login" not in page.url
    assert user.email in page.content()
    page.click("[data-testid=logout]")
    page.wait_for_load_state()
    assert "/login" in page.url
    page.goto(f"{live_server}/")
    assert "/login" in page.url

"""The administrator manages accounts (/accounts) on a phone, in Thai: the page does not scroll
sideways, every account's action buttons are on the screen with room for their text, and one
of them (disable, then enable a director's account) works from the phone.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from governance.extensions import db
from governance.models import User
from governance.services import demo
from tests.browser.conftest import ARTIFACTS, sign_in_with

PHONE = {"width": 390, "height": 844}
DIRECTOR_EMAIL = "director@example.org"
INVITED = "เชิญแล้ว ยังไม่เคยเข้าสู่ระบบ"  # the demo director has never signed in


@pytest.fixture
def director_id(live_server):
    demo.load_demo()
    db.session.commit()
    return db.session.query(User).filter_by(email=DIRECTOR_EMAIL).one().id


def sign_in_as_the_demo_admin(page, base):
    sign_in_with(page, base, "admin@example.org", demo.DEMO_PASSWORD)
    page.goto(f"{base}/accounts")


def buttons_that_do_not_fit(page) -> list[dict]:
    """Every visible button in the accounts list that is off the screen or too small for its text."""
    return page.evaluate("""() => {
        const bad = [];
        for (const el of document.querySelectorAll('[data-testid=accounts] button')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) continue;  // not shown
            const clipped = el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight;
            if (box.left < 0 || box.right > innerWidth || clipped)
                bad.push({id: el.dataset.testid, text: el.textContent.trim(), left: box.left, right: box.right,
                          width: innerWidth, clipped});
        }
        return bad;
    }""")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_admin_manages_accounts_on_a_phone_in_thai(page, live_server, director_id):
    page.set_viewport_size(PHONE)
    sign_in_as_the_demo_admin(page, live_server)
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("h1")).to_have_text("บัญชีผู้ใช้")

    row = page.get_by_test_id(f"account-{DIRECTOR_EMAIL}")
    expect(row).to_be_visible()
    assert page.get_by_test_id("accounts").locator("button").count() > 0
    assert no_sideways_scroll(page), "the page scrolls sideways"
    assert buttons_that_do_not_fit(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "accounts-phone.png"), full_page=True)

    state = page.get_by_test_id(f"state-{director_id}")
    expect(state).to_contain_text(INVITED)
    disable = page.get_by_test_id(f"disable-{director_id}")
    expect(disable).to_have_text("ปิดการใช้งาน")
    with page.expect_navigation():
        disable.click()
    expect(page.locator(".flash-success")).to_contain_text(DIRECTOR_EMAIL)
    expect(page.get_by_test_id(f"state-{director_id}")).to_contain_text("ปิดการใช้งานแล้ว")
    assert no_sideways_scroll(page)
    assert buttons_that_do_not_fit(page) == []

    enable = page.get_by_test_id(f"enable-{director_id}")
    expect(enable).to_have_text("เปิดการใช้งาน")
    with page.expect_navigation():
        enable.click()
    expect(page.locator(".flash-success")).to_contain_text(DIRECTOR_EMAIL)
    expect(page.get_by_test_id(f"state-{director_id}")).to_contain_text(INVITED)
    expect(page.get_by_test_id(f"disable-{director_id}")).to_be_visible()
    assert no_sideways_scroll(page)
    assert buttons_that_do_not_fit(page) == []

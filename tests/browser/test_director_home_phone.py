"""The demo director opens her own page (/me) on a phone, in Thai, and answers the invitation
to the planned meeting 10/2563 with one tap; the same page reads in English on a desktop.

The demo is set in FY2563: ``?as_of=2020-10-05`` is the day the page is read as of (the
planned meeting is on 19 Oct 2020), and the answer must bring the reader back to that page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from governance.extensions import db
from governance.models import Meeting
from governance.services import demo
from tests.browser.conftest import sign_in_with

AS_OF = "2020-10-05"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def meeting_id(live_server):
    demo.load_demo()
    db.session.commit()
    return db.session.query(Meeting).filter_by(number="10/2563").one().id


def sign_in_as_the_demo_director(page, base):
    sign_in_with(page, base, "director@example.org", demo.DEMO_PASSWORD)
    assert urlpath(page).endswith("/me")
    page.goto(f"{base}/me?as_of={AS_OF}")


def urlpath(page) -> str:
    return page.url.split("?")[0].split("#")[0]


def fits(locator) -> dict:
    """Where a button sits and whether its text has room, as the browser laid it out."""
    return locator.evaluate("""el => {
        const box = el.getBoundingClientRect();
        return {left: box.left, right: box.right, width: innerWidth,
                clipped: el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight};
    }""")


def test_a_director_answers_with_one_tap_on_a_phone_in_thai(page, live_server, meeting_id):
    page.set_viewport_size(PHONE)
    sign_in_as_the_demo_director(page, live_server)

    meeting = page.get_by_test_id(f"home-meeting-{meeting_id}")
    expect(meeting).to_contain_text("การประชุมคณะกรรมการ ครั้งที่ 10/2563")
    expect(meeting).to_contain_text(re.compile(r"19 (ต\.ค\.|ตุลาคม) 2563"))  # the Buddhist Era
    expect(page.get_by_test_id(f"home-answer-{meeting_id}")).to_contain_text("ยังไม่ตอบ")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"

    for response, text in (("in_person", "มาประชุม"), ("online", "ประชุมผ่านสื่ออิเล็กทรอนิกส์"),
                           ("apologies", "ลาประชุม")):
        button = page.get_by_test_id(f"home-rsvp-{meeting_id}-{response}")
        expect(button).to_be_visible()
        expect(button).to_have_text(text)
        where = fits(button)
        assert 0 <= where["left"] and where["right"] <= where["width"], (response, where)
        assert not where["clipped"], (response, where)

    with page.expect_navigation():
        page.get_by_test_id(f"home-rsvp-{meeting_id}-online").click()
    assert urlpath(page).endswith("/me") and f"as_of={AS_OF}" in page.url
    expect(page.locator(".flash-success")).to_contain_text("ขอบคุณ ระบบบันทึกการตอบรับของท่านแล้ว")
    expect(page.get_by_test_id(f"home-answer-{meeting_id}")).to_contain_text("ประชุมผ่านสื่ออิเล็กทรอนิกส์")
    expect(page.get_by_test_id(f"home-rsvp-{meeting_id}-online")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id(f"home-rsvp-{meeting_id}-in_person")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_same_page_in_english_on_a_desktop(page, live_server, meeting_id):
    sign_in_as_the_demo_director(page, live_server)
    with page.expect_navigation():
        page.locator(".session button[name=locale][value=en]").click()
    assert urlpath(page).endswith("/me") and f"as_of={AS_OF}" in page.url
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("home-meetings").locator("h2")).to_have_text("My next meetings")
    expect(page.get_by_test_id(f"home-rsvp-{meeting_id}-online")).to_have_text("Will attend online")

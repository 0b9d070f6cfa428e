"""The main pages on a phone (390 × 844), in Thai, with the demo data: no page scrolls sideways
(a wide table scrolls inside its own focusable region, nothing else sticks out), the main
navigation folds into a menu, and the choices of the attendance grid and of the RSVP forms are
shown whole ("มาประชุม", not "มาประชุ"; "ประชุมออนไลน์", not "ประชุมอ").
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from governance.extensions import db
from governance.models import Director, User
from governance.services import rsvps
from tests.browser.test_accessibility import (  # noqa: F401 (fixtures)
    DESKTOP, PAGES, PHONE, ROLE_PAGES, demo_site, open_page, signed_in)

STICKING_OUT = """() => {
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('.table-wrap, .chart')) continue;  // scrolls inside its own region
        const box = el.getBoundingClientRect();
        if (box.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
        if (box.left < -1 || box.right > innerWidth + 1)
            out.push({tag: el.tagName.toLowerCase(), cls: el.className, testid: el.dataset.testid || null,
                      left: Math.round(box.left), right: Math.round(box.right),
                      text: (el.innerText || '').trim().slice(0, 40)});
    }
    return out.slice(0, 10);
}"""

# A table wider than the screen scrolls inside its wrapper, which says so: it takes the focus (so the
# keyboard scrolls it) and is a named region.
SCROLLERS = """() => [...document.querySelectorAll('.table-wrap')]
    .filter(el => el.scrollWidth > el.clientWidth)
    .map(el => ({table: el.querySelector('table')?.dataset.testid || null, tabindex: el.tabIndex,
                 role: el.getAttribute('role'), named: !!(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')),
                 focusable_inside: !!el.querySelector('a[href], button, input, select, textarea')}))"""

# Whether each choice fits: a copy of the select at its natural width (wide enough for its longest
# option) must be no wider than the select as laid out.
CHOICES_FIT = """els => els.map(el => {
    const probe = el.cloneNode(true);
    probe.removeAttribute('id');
    probe.style.cssText = 'width:auto;min-width:0;max-width:none;position:absolute;visibility:hidden;';
    el.parentElement.appendChild(probe);
    const need = probe.getBoundingClientRect().width;
    probe.remove();
    const box = el.getBoundingClientRect();
    return {testid: el.dataset.testid, need: Math.ceil(need), has: Math.floor(box.width) + 1,
            onscreen: box.left >= 0 && box.right <= innerWidth,
            options: [...el.options].map(o => o.text)};
})"""

LABELS_FIT = """els => els.filter(el => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > innerWidth)
    .map(el => el.textContent.trim())"""


def phone_cases():
    for role in ("secretary", "director", "auditor"):
        for name in ROLE_PAGES[role]:
            yield pytest.param(role, name, id=f"{role}-{name}")
    yield pytest.param(None, "login", id="signed-out-login")


@pytest.mark.parametrize(("role", "name"), list(phone_cases()))
def test_no_page_scrolls_sideways_on_a_phone(signed_in, demo_site, role, name):
    page = open_page(signed_in(role, PHONE), demo_site, name)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
        f"{PAGES[name]} scrolls sideways: {page.evaluate(STICKING_OUT)}"
    assert page.evaluate(STICKING_OUT) == []
    for scroller in page.evaluate(SCROLLERS):
        assert scroller["tabindex"] >= 0 or scroller["focusable_inside"], scroller
        if not scroller["focusable_inside"]:
            assert scroller["role"] == "region" and scroller["named"], scroller


def test_the_navigation_folds_into_a_menu_on_a_phone(signed_in, demo_site):
    page = open_page(signed_in("secretary", PHONE), demo_site, "dashboard")
    nav = page.locator("nav.mainnav")
    toggle = page.locator("label[for=nav-toggle]")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("เมนูหลัก")
    expect(nav).to_be_hidden()
    assert page.locator("header.topbar").bounding_box()["height"] < 150  # the links no longer fill the screen

    toggle.click()
    expect(nav).to_be_visible()
    expect(page.get_by_test_id("nav-meetings")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for link in page.locator("nav.mainnav a").all():
        box = link.bounding_box()
        assert box and 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], link.inner_text()
    toggle.click()
    expect(nav).to_be_hidden()

    # From the keyboard: the first Tab after the brand reaches the menu; Space opens it; the
    # focus ring shows on its label.
    page.reload()
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "nav-toggle"
    ring = toggle.evaluate("el => getComputedStyle(el).outlineStyle")
    assert ring != "none"
    page.keyboard.press("Space")
    expect(nav).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "nav-dashboard"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(nav).to_be_hidden()  # closed again on the next page


def test_the_navigation_stays_a_row_of_links_on_a_desktop(signed_in, demo_site):
    page = open_page(signed_in("secretary", DESKTOP), demo_site, "dashboard")
    expect(page.locator("label[for=nav-toggle]")).to_be_hidden()
    expect(page.get_by_test_id("nav-meetings")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "nav-dashboard"  # no hidden stop before it


def assert_choices_fit(page, selector):
    selects = page.locator(selector)
    assert selects.count() > 0, selector
    shown = selects.evaluate_all(CHOICES_FIT)
    cut = [s for s in shown if s["need"] > s["has"] or not s["onscreen"]]
    assert cut == [], cut
    return shown


def test_the_attendance_grid_on_a_phone(signed_in, demo_site):
    page = open_page(signed_in("secretary", PHONE), demo_site, "meeting-held")
    shown = assert_choices_fit(page, "[data-testid^=attendance-status-]")
    assert {"มาประชุม", "ประชุมออนไลน์"} <= set(shown[0]["options"])
    assert page.locator("[data-testid=attendance-form] label").evaluate_all(LABELS_FIT) == []  # the directors' names
    save = page.get_by_test_id("save-attendance")
    expect(save).to_be_visible()
    box = save.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert save.evaluate("el => el.scrollWidth <= el.clientWidth")

    page = open_page(page, demo_site, "meeting-everyone-present")
    assert_choices_fit(page, "[data-testid^=attendance-status-]")


def test_the_rsvp_forms_on_a_phone(signed_in, demo_site):
    base, app, ids = demo_site
    page = open_page(signed_in("director", PHONE), demo_site, "meeting-planned")
    shown = assert_choices_fit(page, "[data-testid=rsvp-response]")
    assert len(shown[0]["options"]) >= 3
    expect(page.get_by_test_id("send-rsvp")).to_be_visible()

    # The answer page the reminder links to, signed out.
    with app.app_context():
        director_id = db.session.scalars(sa.select(User.director_id).where(User.email == "director@example.org")).one()
        token = rsvps.token_for(ids["planned"], director_id)
        assert db.session.get(Director, director_id) is not None
    page = signed_in(None, PHONE)
    page.goto(f"{base}/rsvp/{token}")
    assert_choices_fit(page, "[data-testid=rsvp-response]")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The one-tap buttons on the director's own page.
    page = open_page(signed_in("director", PHONE), demo_site, "me")
    buttons = page.locator("[data-testid^=home-rsvp-]")
    assert buttons.count() >= 3
    assert buttons.evaluate_all(LABELS_FIT) == []

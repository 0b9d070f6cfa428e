"""Printing the pages a secretary prints (a meeting, the dashboard, the attendance report, the
action items) gives their content: no navigation, buttons, forms that change things, download
links or change history; the meeting's heading, attendance and agenda stay, and a held meeting
of the demo fits on at most 3 A4 pages (it took 7 of buttons, forms and history before).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import demo_site, open_page, signed_in  # noqa: F401 (fixtures)

# Whatever a reader can act on but not read: none of it may show on paper.
NOT_ON_PAPER = """() => {
    const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const forms = [...document.querySelectorAll('form')].filter(f => !f.querySelector('table'));
    const bad = [...document.querySelectorAll(
        'header.topbar, nav, button, a.button, input[type=submit], #history, [data-testid=audit-history], .downloads')]
        .concat(forms)
        .filter(shown);
    return bad.map(el => el.tagName.toLowerCase() + (el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : '')
                         + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
                         + ' ' + (el.innerText || '').trim().slice(0, 30));
}"""


@pytest.fixture
def printing(signed_in):
    """printing(role) -> that role's page, rendered for print until the test ends."""
    used = []

    def get(role):
        page = signed_in(role)
        page.emulate_media(media="print")
        used.append(page)
        return page
    yield get
    for page in used:
        page.emulate_media(media="screen")


@pytest.mark.parametrize("role", ["secretary", "director"])
def test_a_printed_meeting_is_the_meeting(printing, demo_site, role):
    page = open_page(printing(role), demo_site, "meeting-held")
    assert page.evaluate(NOT_ON_PAPER) == []
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("5/2563")
    expect(page.locator("#attendance h2")).to_be_visible()
    expect(page.get_by_test_id("attendance-result")).to_be_visible()
    expect(page.get_by_test_id("agenda-items")).to_be_visible()
    expect(page.locator("[data-testid=agenda-item-title]").first).to_be_visible()
    expect(page.locator("[data-testid^=resolution-]").first).to_be_visible()
    if role == "secretary":
        # The attendance grid prints each director's status as words, without the select's box.
        grid = page.get_by_test_id("attendance-form")
        expect(grid.locator("table")).to_be_visible()
        status = grid.locator("select").first
        expect(status).to_be_visible()
        assert status.evaluate("el => [getComputedStyle(el).appearance, getComputedStyle(el).borderTopStyle]") \
            == ["none", "none"]
        for hidden in ("everyone-present", "save-attendance", "create-agenda-item", "upload-document-form",
                       "save-minutes-approval", "edit-meeting", "audit-history"):
            expect(page.get_by_test_id(hidden)).to_be_hidden()
        headings = [h.strip() for h in page.locator("h3:visible").all_inner_texts()]
        assert "เพิ่มวาระการประชุม" not in headings  # a form's heading goes with its form
    else:
        expect(page.get_by_test_id("attendance")).to_be_visible()


def test_a_printed_meeting_fits_on_three_pages(printing, demo_site):
    page = open_page(printing("secretary"), demo_site, "meeting-held")
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert 1 <= pages <= 3, f"{pages} pages"


@pytest.mark.parametrize("name", ["dashboard", "attendance", "action-items"])
def test_the_other_printed_pages_are_their_content(printing, demo_site, name):
    page = open_page(printing("secretary"), demo_site, name)
    assert page.evaluate(NOT_ON_PAPER) == []
    expect(page.locator("h1")).to_be_visible()
    if name == "dashboard":
        expect(page.locator(".indicator-card").first).to_be_visible()
        expect(page.get_by_test_id("period-form")).to_be_hidden()
    elif name == "attendance":
        expect(page.get_by_test_id("meeting-rows")).to_be_visible()
        expect(page.get_by_test_id("director-rows")).to_be_visible()
        expect(page.get_by_test_id("download-pdf")).to_be_hidden()
    else:
        rows = page.locator("[data-testid=action-items] tbody tr")
        assert rows.count() > 0
        expect(rows.first).to_be_visible()
        # An open item's status reads "open" on paper, where its "mark done" form is left out.
        open_item = rows.filter(has=page.locator("[data-testid^=complete-]")).first
        expect(open_item.locator(".print-only")).to_have_text("ยังไม่แล้วเสร็จ")
        expect(open_item.locator(".print-only")).to_be_visible()


def test_on_screen_the_forms_and_history_are_still_there(signed_in, demo_site):
    page = open_page(signed_in("secretary"), demo_site, "meeting-held")
    for shown in ("save-attendance", "create-agenda-item", "audit-history", "edit-meeting"):
        expect(page.get_by_test_id(shown)).to_be_visible()
    expect(page.locator("nav.mainnav")).to_be_visible()
    page = open_page(page, demo_site, "action-items")
    expect(page.locator("[data-testid^=complete-]").first).to_be_visible()
    expect(page.locator(".print-only").first).to_be_hidden()

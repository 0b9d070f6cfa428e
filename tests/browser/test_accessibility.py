"""Accessibility of the main pages, in Thai, as each role with the demo data: axe-core (bundled by
axe-playwright-python) finds no serious or critical WCAG 2.0/2.1/2.2 A or AA violation, and the
attendance grid can be used with the keyboard alone, the focus always visible.

The demo is loaded once for the module (``demo_site``) and each role signs in once
(``signed_in``); test_phone_layout.py and test_print.py share both fixtures.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from werkzeug.serving import make_server

from governance import create_app
from governance.extensions import db
from governance.indicators.vocabulary import AttendanceStatus
from governance.models import Attendance, Meeting
from governance.services import demo
from tests.browser.conftest import sign_in_with
from tests.conftest import _config, wipe

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
FY, AS_OF = 2563, "2020-06-30"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}

# name -> path, with {held} and {planned} for the demo's meetings 5/2563 (held) and 10/2563 (planned).
PAGES = {
    "login": "/login",
    "dashboard": f"/dashboard?fy={FY}&as_of={AS_OF}",
    "meetings": f"/meetings?fy={FY}",
    "meeting-held": "/meetings/{held}",
    "meeting-everyone-present": "/meetings/{held}?fill=everyone",
    "meeting-planned": "/meetings/{planned}",
    "attendance": f"/attendance?fy={FY}",
    "action-items": "/action-items",
    "budget": f"/budget/{FY}",
    "self-assessment": f"/self-assessment/{FY}",
    "me": "/me?as_of=2020-10-05",
    "audit": "/audit",
    "directors": "/directors",
    "import": "/import",
    "accounts": "/accounts",
    "kpis": f"/kpis?fy={FY}&as_of={AS_OF}",
    "website": f"/website/{FY}",
    "reports": "/reports",
    "criteria": f"/fiscal-years/{FY}/parameters",
    "calendars": "/calendars",
    "mail-log": "/mail-log?view=sent",
    "search": "/search?q=" + "แผน",
    "results": f"/self-assessment/{FY}/results",
}
MAIN = ["dashboard", "meetings", "meeting-held", "meeting-planned", "attendance", "action-items", "budget",
        "self-assessment", "directors", "kpis", "website", "reports", "criteria", "calendars", "search", "results"]
ROLE_PAGES = {
    "secretary": MAIN + ["meeting-everyone-present", "audit", "import", "mail-log"],
    "director": MAIN + ["me"],
    "auditor": MAIN + ["audit"],
    "admin": ["dashboard", "meeting-held", "audit", "import", "accounts"],  # a few: it sees what the secretary sees
}


# --- shared by the three modules: one demo load, one sign-in per role ------------------------

@pytest.fixture(scope="module")
def demo_site(database_url, _schema, tmp_path_factory):
    """The demo loaded once into the test database and served on loopback for the whole module.

    Yields (base URL, app, ids); afterwards every table is emptied, as the ``app`` fixture does.
    """
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GOVERNANCE_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))
        app = create_app(_config(database_url))
        app.config.update(SERVER_NAME=None)
        with app.app_context():
            demo.load_demo()
            db.session.commit()
            ids = {"held": meeting_id("5/2563"), "planned": meeting_id("10/2563")}
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", app, ids
        finally:
            server.shutdown()
            thread.join(timeout=5)
            server.server_close()
            with app.app_context():
                wipe()
                db.engine.dispose()


def meeting_id(number: str) -> int:
    return db.session.scalars(sa.select(Meeting.id).where(
        Meeting.number == number, Meeting.title == f"การประชุมคณะกรรมการ ครั้งที่ {number}")).one()


@pytest.fixture(scope="module")
def signed_in(browser, demo_site):
    """signed_in(role, viewport) -> a Thai page signed in as the demo's ``role`` (None: signed out),
    one browser context per (role, viewport) for the module."""
    base = demo_site[0]
    pages = {}

    def get(role: str | None, viewport: dict = DESKTOP):
        key = (role, viewport["width"])
        if key not in pages:
            context = browser.new_context(locale="th-TH", viewport=viewport)
            page = context.new_page()
            page.set_default_timeout(15_000)
            if role:
                sign_in_with(page, base, f"{role}@example.org", demo.DEMO_PASSWORD)
            pages[key] = page
        return pages[key]
    yield get
    for page in pages.values():
        page.context.close()


def open_page(page, demo_site, name: str):
    """Go to the page called ``name`` in PAGES; it must answer 200."""
    base, _, ids = demo_site
    response = page.goto(base + PAGES[name].format(**ids))
    assert response is not None and response.status == 200, (name, response and response.status)
    return page


# --- axe --------------------------------------------------------------------------------------

AXE = Axe()


def blocking_violations(page) -> list[str]:
    """axe's serious and critical WCAG A/AA violations on the page, one line per rule."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[' '.join(n['target']) for n in v['nodes']][:8]}"
            for v in results.response["violations"] if v["impact"] in BLOCKING]


def cases():
    yield pytest.param(None, "login", DESKTOP, id="signed-out-login")
    yield pytest.param(None, "login", PHONE, id="signed-out-login-phone")
    for role, names in ROLE_PAGES.items():
        for name in names:
            yield pytest.param(role, name, DESKTOP, id=f"{role}-{name}")
    for role in ("secretary", "director"):  # wide tables scroll on a phone: their regions must be focusable
        for name in ROLE_PAGES[role]:
            yield pytest.param(role, name, PHONE, id=f"{role}-{name}-phone")


@pytest.mark.parametrize(("role", "name", "viewport"), list(cases()))
def test_no_serious_or_critical_axe_violation(signed_in, demo_site, role, name, viewport):
    page = open_page(signed_in(role, viewport), demo_site, name)
    assert page.locator("html").get_attribute("lang") == "th"
    violations = blocking_violations(page)
    assert violations == [], f"{role or 'signed out'} on {PAGES[name]}:\n" + "\n".join(violations)


# --- the keyboard alone -----------------------------------------------------------------------

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {tag: el.tagName.toLowerCase(), testid: el.dataset.testid || null, id: el.id || null,
            text: (el.innerText || el.value || '').trim().slice(0, 40),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
            shadow: style.boxShadow !== 'none'};
}"""


def tab_to(page, testid: str, limit: int = 120) -> list[dict]:
    """Press Tab until the element ``testid`` has the focus; returns every element focused on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        seen.append(focused)
        if focused["testid"] == testid:
            return seen
    raise AssertionError(f"{testid} never had the focus after {limit} Tabs: {[f['testid'] or f['tag'] for f in seen]}")


def without_visible_focus(seen: list[dict]) -> list[dict]:
    return [f for f in seen if not (f["outline"] or f["shadow"])]


def test_the_attendance_grid_with_the_keyboard_alone(signed_in, demo_site):
    base, app, ids = demo_site
    page = open_page(signed_in("secretary"), demo_site, "meeting-held")
    with app.app_context():
        record = db.session.scalars(sa.select(Attendance).where(
            Attendance.meeting_id == ids["held"], Attendance.status == AttendanceStatus.IN_PERSON)
            .order_by(Attendance.director_id)).first()
        director_id = record.director_id
    status = f"attendance-status-{director_id}"
    assert page.get_by_test_id(status).input_value() == "in_person"

    page.locator("body").focus()
    seen = tab_to(page, status)
    choices = page.get_by_test_id(status).evaluate("el => [...el.options].map(o => o.value)")
    for _ in range(len(choices)):  # the arrow keys move a closed select's choice
        if page.get_by_test_id(status).input_value() == "leave":
            break
        page.keyboard.press("ArrowDown")
    assert page.get_by_test_id(status).input_value() == "leave"
    seen += tab_to(page, "save-attendance")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator(".flash-success")).to_have_count(1)
    assert page.get_by_test_id(status).input_value() == "leave"
    with app.app_context():
        saved = db.session.scalars(sa.select(Attendance.status).where(
            Attendance.meeting_id == ids["held"], Attendance.director_id == director_id)).one()
    assert saved == AttendanceStatus.LEAVE
    assert without_visible_focus(seen) == []

    # And back with Space on the button, from the keyboard too.
    page.locator("body").focus()
    tab_to(page, status)
    for _ in range(len(choices)):
        if page.get_by_test_id(status).input_value() == "in_person":
            break
        page.keyboard.press("ArrowUp")
    tab_to(page, "save-attendance")
    with page.expect_navigation():
        page.keyboard.press("Space")
    with app.app_context():
        saved = db.session.scalars(sa.select(Attendance.status).where(
            Attendance.meeting_id == ids["held"], Attendance.director_id == director_id)).one()
    assert saved == AttendanceStatus.IN_PERSON


def test_everyone_present_and_the_rsvp_form_with_the_keyboard(signed_in, demo_site):
    """The "everyone present" link is reached and followed with Enter; a director answers the
    invitation with the keyboard alone; every focused element shows its focus."""
    page = open_page(signed_in("secretary"), demo_site, "meeting-held")
    page.locator("body").focus()
    seen = tab_to(page, "everyone-present")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("attendance-everyone-filled")).to_be_visible()
    assert without_visible_focus(seen) == []

    page = open_page(signed_in("director"), demo_site, "meeting-planned")
    page.locator("body").focus()
    seen = tab_to(page, "rsvp-response")
    page.get_by_test_id("rsvp-response").press("ArrowDown")
    chosen = page.get_by_test_id("rsvp-response").input_value()
    assert chosen
    seen += tab_to(page, "send-rsvp")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_have_count(1)
    assert page.get_by_test_id("rsvp-response").input_value() == chosen
    assert without_visible_focus(seen) == []

"""Issue #15's "done when", in Thai, in a real browser: a new organisation goes from an empty
database to a director who signs in, answers an invitation and submits a self-assessment,
and back to a departed director who can no longer sign in.

Only two steps happen outside the browser, because no person does them in the app either:
the secretary's account is created directly (as ``flask users create`` would, the one thing
a new organisation does on the server), and the outbox is delivered by calling the service
the scheduler runs (``delivery.deliver_due``, what ``flask reminders send`` does after
queueing), to a real SMTP server on loopback. The director then follows the link in the
email as it arrived. Everything else is clicks and typing in two browsers, one per person.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from governance import clock, fiscal
from governance.extensions import db
from governance.models import Role
from governance.services import delivery
from tests.browser.conftest import fresh_page
from tests.conftest import PASSWORD
from tests.reminders.conftest import SmtpServer

SECRETARY_EMAIL = "sec@example.org"
DIRECTOR_NAME = "นางสาว วิภา ใจดี"
DIRECTOR_EMAIL = "wipa@example.org"
CHOSEN_PASSWORD = "wipa chose this 2568"
MEETING_TITLE = "การประชุมคณะกรรมการ ครั้งที่ 1"


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(app, live_server, smtp):
    """The live server, mailing through the loopback SMTP server, its links pointing at itself."""
    app.config.update(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                      MAIL_DEFAULT_SENDER="governance@example.org", BASE_URL=live_server)
    return live_server


# --- helpers ----------------------------------------------------------------------------

def submit(page, selector):
    """Click a button that posts a form and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()


def follow(page, link):
    """Click a link (a selector or a locator) and wait for the page it opens."""
    with page.expect_navigation():
        (page.locator(link) if isinstance(link, str) else link).click()
    page.wait_for_load_state()


def sign_in(page, base, email, password):
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    submit(page, "button[type=submit].primary")


def said(page, text):
    """The green message the page shows after a change."""
    expect(page.locator(".flash-success")).to_contain_text(text)


def deliver_the_outbox():
    """What the scheduler does every few minutes: send what is queued."""
    db.session.expire_all()
    report = delivery.deliver_due(clock.now(), clock.today())
    assert report.sent and not report.failed and not report.withdrawn


def link_in(received) -> str:
    return re.search(r"https?://\S+/password/reset/\S+", received.text).group(0)


def account_id(page, email) -> str:
    """The id the accounts page uses in its buttons, read off the account's row."""
    state = page.locator(f"[data-testid='account-{email}'] [data-testid^=state-]")
    return state.get_attribute("data-testid").removeprefix("state-")


# --- the secretary's steps --------------------------------------------------------------

def add_to_roster(page, term_start):
    follow(page, "[data-testid=nav-directors]")
    expect(page.locator("body")).to_contain_text("ยังไม่มีการบันทึกรายชื่อกรรมการ")  # empty
    page.fill("[data-testid=director-name]", DIRECTOR_NAME)
    page.select_option("[data-testid=director-position]", "director")  # the default, chosen as a secretary would
    page.fill("[data-testid=director-email]", DIRECTOR_EMAIL)
    page.fill("[data-testid=director-term-start]", term_start.isoformat())
    submit(page, "[data-testid=create-director]")
    said(page, f"เพิ่ม {DIRECTOR_NAME} ในทะเบียนรายชื่อกรรมการแล้ว")
    expect(page.locator("[data-testid=roster]")).to_contain_text(DIRECTOR_NAME)


def plan_meeting(page, held_on, number):
    follow(page, "[data-testid=nav-meetings]")
    page.fill("[data-testid=meeting-held-on]", held_on.isoformat())
    page.fill("[data-testid=meeting-number]", number)
    page.select_option("[data-testid=meeting-status]", "planned")
    page.fill("[data-testid=meeting-title]", MEETING_TITLE)
    page.fill("[data-testid=meeting-place]", "ห้องประชุม 1")
    submit(page, "[data-testid=create-meeting]")
    said(page, f"บันทึกการประชุมครั้งที่ {number} แล้ว")


def open_self_assessment(page, fy, closing_on):
    # Through the UI: the year's page offers the secretary an "open" form with its closing date.
    follow(page, "[data-testid=nav-self_assessment]")
    page.fill("[data-testid=open-form] [data-testid=closing-on]", closing_on.isoformat())
    submit(page, "[data-testid=open-assessment]")
    said(page, f"เปิดการประเมินตนเองของปีงบประมาณ {fy} แล้ว")


def invite_from_roster(page):
    follow(page, "[data-testid=nav-accounts]")
    page.get_by_test_id("invite-director").select_option(label=DIRECTOR_NAME)
    # The address is left blank: the roster's is used.
    page.get_by_test_id("invite-role").select_option("director")
    page.get_by_test_id("invite-locale").select_option("th")
    submit(page, "[data-testid=invite]")
    said(page, f"ส่งคำเชิญถึง {DIRECTOR_EMAIL} แล้ว")
    user_id = account_id(page, DIRECTOR_EMAIL)
    row = page.locator(f"[data-testid='account-{DIRECTOR_EMAIL}']")
    expect(row).to_contain_text(DIRECTOR_NAME)  # linked to the roster entry
    expect(page.locator(f"[data-testid=state-{user_id}]")).to_have_text("เชิญแล้ว ยังไม่เคยเข้าสู่ระบบ")
    return user_id


def disable(page, user_id):
    follow(page, "[data-testid=nav-accounts]")
    submit(page, f"[data-testid=disable-{user_id}]")
    said(page, f"ปิดการใช้งาน {DIRECTOR_EMAIL} แล้ว")
    expect(page.locator(f"[data-testid=state-{user_id}]")).to_have_text("ปิดการใช้งานแล้ว")


# --- the director's steps ---------------------------------------------------------------

def choose_password(page, link):
    page.goto(link)
    expect(page.locator("h1")).to_have_text("ตั้งรหัสผ่านของท่าน")
    page.fill("input[name=password]", CHOSEN_PASSWORD)
    page.fill("input[name=confirm]", CHOSEN_PASSWORD)
    submit(page, "[data-testid=set-password]")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator(".flash")).to_contain_text("ตั้งรหัสผ่านเรียบร้อยแล้ว")


def answer_the_invitation(page, number):
    follow(page, "[data-testid=nav-meetings]")
    follow(page, page.locator("[data-testid=meetings] a", has_text=number))
    expect(page.locator("[data-testid=own-answer]")).to_contain_text("ยังไม่ตอบ")
    page.select_option("[data-testid=rsvp-response]", "in_person")
    submit(page, "[data-testid=send-rsvp]")
    said(page, "ขอบคุณ ระบบบันทึกการตอบรับของท่านแล้ว")
    expect(page.locator("[data-testid=own-answer]")).to_contain_text("มาประชุม")


def submit_self_assessment(page):
    follow(page, "[data-testid=nav-self_assessment]")
    expect(page.locator("#own")).to_contain_text("ท่านยังไม่ได้ส่งแบบประเมิน")
    questions = page.locator("[data-testid=submit-own-form] fieldset.rating").count()
    assert questions > 0
    for position in range(1, questions + 1):
        page.check(f"[data-testid=rating-{position}-4]")
    page.fill("[data-testid=submit-own-form] textarea[name=comments]", "ขอเอกสารประกอบวาระล่วงหน้าอย่างน้อย 7 วัน")
    submit(page, "[data-testid=submit-own]")
    said(page, "ส่งแบบประเมินตนเองแล้ว ท่านแก้ไขและส่งใหม่ได้จนถึง")
    expect(page.locator("[data-testid=own-submitted]")).to_contain_text("ท่านส่งแบบประเมินแล้ว")


# --- the journey ------------------------------------------------------------------------

def test_a_new_board_member_is_invited_takes_part_and_is_offboarded_in_thai(page, browser, server, smtp,
                                                                           make_user):
    today = clock.today()
    fy = fiscal.fiscal_year_of(today)
    year = fiscal.fiscal_year(fy)
    held_on = min(today + timedelta(days=7), year.end)  # a week ahead, in this fiscal year's list
    number = f"1/{fy}"
    make_user(Role.SECRETARY, email=SECRETARY_EMAIL)  # the one account made on the server

    # The secretary sets the board up from nothing.
    sign_in(page, server, SECRETARY_EMAIL, PASSWORD)
    add_to_roster(page, term_start=year.start)
    plan_meeting(page, held_on, number)
    open_self_assessment(page, fy, closing_on=year.end)
    user_id = invite_from_roster(page)

    # The invitation leaves the outbox and arrives, in Thai, with its link.
    deliver_the_outbox()
    [received] = smtp.to(DIRECTOR_EMAIL)
    assert received.subject == "บัญชีผู้ใช้ของท่านในระบบติดตามธรรมาภิบาลคณะกรรมการ"
    link = link_in(received)
    assert link.startswith(f"{server}/password/reset/")

    with fresh_page(browser) as director:
        # The director chooses a password from the email and signs in as themselves.
        choose_password(director, link)
        sign_in(director, server, DIRECTOR_EMAIL, CHOSEN_PASSWORD)
        expect(director).not_to_have_url(re.compile(r"/login"))
        expect(director.locator("body")).to_contain_text(DIRECTOR_EMAIL)
        answer_the_invitation(director, number)
        submit_self_assessment(director)

        # The secretary sees both, under the director's name.
        follow(page, "[data-testid=nav-meetings]")
        follow(page, page.locator("[data-testid=meetings] a", has_text=number))
        expect(page.locator("[data-testid=rsvp-answers] tbody tr", has_text=DIRECTOR_NAME)).to_contain_text("มาประชุม")
        follow(page, "[data-testid=nav-self_assessment]")
        expect(page.locator("[data-testid=progress-count]")).to_have_text("กรรมการส่งแบบประเมินแล้ว 1 จาก 1 คน")
        expect(page.locator("[data-testid=outstanding]")).to_have_text("กรรมการส่งแบบประเมินครบทุกคนแล้ว")
        follow(page, "[data-testid=nav-accounts]")
        expect(page.locator(f"[data-testid=state-{user_id}]")).to_have_text("ใช้งานอยู่")

        # The director leaves the board: the secretary disables the account.
        disable(page, user_id)

        # The director's open session is gone: the next page is the sign-in page.
        follow(director, "[data-testid=nav-meetings]")
        expect(director).to_have_url(re.compile(r"/login\?next="))
        expect(director.locator(".flash")).to_contain_text("กรุณาเข้าสู่ระบบเพื่อดูหน้านี้")
        # And the password they chose no longer opens it.
        sign_in(director, server, DIRECTOR_EMAIL, CHOSEN_PASSWORD)
        expect(director).to_have_url(re.compile(r"/login"))
        expect(director.locator("#password-error")).to_have_text("อีเมลหรือรหัสผ่านไม่ถูกต้อง")
        director.goto(f"{server}/meetings")
        expect(director).to_have_url(re.compile(r"/login\?next="))

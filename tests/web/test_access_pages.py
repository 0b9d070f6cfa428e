"""Who may see and change what: readers see the pages without forms; their POSTs are 403."""

from __future__ import annotations

import re
from datetime import date

import pytest

from governance.extensions import db
from governance.indicators.vocabulary import Topic
from governance.models import Role
from governance.services import meetings, reports
from governance.web import RECORD_BLUEPRINTS
from governance.web.access import READERS, WRITERS

WRITES = ["/directors", "/directors/{director}/edit", "/meetings", "/meetings/{meeting}/edit",
          "/meetings/{meeting}/delete", "/meetings/{meeting}/attendance", "/meetings/{meeting}/agenda-items",
          "/meetings/{meeting}/agenda-items/{item}/edit", "/meetings/{meeting}/agenda-items/{item}/delete",
          "/reports", "/reports/{report}/edit", "/reports/{report}/delete", "/budget/2563"]
PAGES = ["/directors", "/meetings", "/meetings?fy=2563", "/meetings/{meeting}", "/reports", "/budget/2563"]
WRITE_FORMS = ["/directors/{director}/edit", "/meetings/{meeting}/edit",
               "/meetings/{meeting}/agenda-items/{item}/edit", "/reports/{report}/edit"]


@pytest.fixture
def records(make_director, make_meeting):
    director = make_director()
    meeting = make_meeting(date(2020, 1, 15))
    item = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(Topic.OTHER, "เรื่องอื่น ๆ"))
    report = reports.create_report(reports.ReportInput(date(2020, 4, 20), "รายงาน", date(2019, 10, 1),
                                                       date(2020, 3, 31)))
    db.session.commit()
    ids = {"director": director.id, "meeting": meeting.id, "item": item.id, "report": report.id}
    return lambda path: path.format(**ids)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.AUDITOR])
def test_readers_see_every_page_but_no_form_that_writes(client, login, records, role):
    login(role)
    for path in PAGES:
        response = client.get(records(path))
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        # The only POST forms left are the header's language switch and sign-out.
        assert page.count('method="post"') == 2, path
        assert 'data-testid="create-' not in page and 'data-testid="save-' not in page, path
    meeting_page = client.get(records("/meetings/{meeting}")).get_data(as_text=True)
    assert "เรื่องอื่น ๆ" in meeting_page  # the agenda is shown, read-only


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.AUDITOR])
def test_readers_may_not_write(client, login, records, snapshot, role):
    login(role)
    before = snapshot()
    for path in WRITES:
        assert client.post(records(path), data={}).status_code == 403, path
    for path in WRITE_FORMS:
        assert client.get(records(path)).status_code == 403, path
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in(client, records):
    for path in PAGES + WRITE_FORMS + ["/budget"]:
        response = client.get(records(path))
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    for path in WRITES:
        response = client.post(records(path), data={})
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECRETARY])
def test_writers_see_the_forms(client, login, records, role):
    login(role)
    assert 'data-testid="create-meeting"' in client.get("/meetings").get_data(as_text=True)
    assert 'data-testid="save-attendance"' in client.get(records("/meetings/{meeting}")).get_data(as_text=True)
    assert client.get(records("/reports/{report}/edit")).status_code == 200


def test_every_view_declares_its_roles_and_only_writers_change_things(app):
    names = {blueprint.name for blueprint in RECORD_BLUEPRINTS}
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] in names]
    assert {rule.endpoint.split(".")[0] for rule in rules} == {"directors", "meetings", "reports", "budget",
                                                                  "agenda", "documents"}
    for rule in rules:
        roles = app.view_functions[rule.endpoint].allowed_roles
        if "POST" in rule.methods or "edit" in rule.endpoint:  # an edit page is all form
            assert set(roles) == set(WRITERS), rule.endpoint
        else:
            assert set(roles) == set(READERS), rule.endpoint


def test_with_csrf_on_a_grid_post_needs_the_token_the_page_carries(app, client, login, records):
    login("secretary")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(records("/meetings/{meeting}")).get_data(as_text=True)
    token = re.search(r'data-testid="attendance-form" novalidate>\s*<input type="hidden" name="csrf_token" '
                      r'value="([^"]+)"', page).group(1)
    grid = {"rows-0-director_id": re.search(r'name="rows-0-director_id" type="hidden" value="(\d+)"', page).group(1),
            "rows-0-status": "in_person"}
    assert client.post(records("/meetings/{meeting}/attendance"), data=grid).status_code == 400
    response = client.post(records("/meetings/{meeting}/attendance"), data={**grid, "csrf_token": token})
    assert response.status_code == 302

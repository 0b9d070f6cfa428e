"""The scorecard pages in Thai and English, the progress form, exports, the frozen scorecard,
the API (answers validated against the OpenAPI document), the CLI and the reminders."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest

from governance import clock
from governance.extensions import db
from governance.indicators.vocabulary import Topic
from governance.models import Role
from governance.services import kpis, meetings, reminders
from tests.api.conftest import Api


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2020, 9, 10))


def test_scorecard_in_thai_and_english(client, login, record):
    record(1, date(2020, 1, 20), level=50, evidence="ร่างยุทธศาสตร์แล้วเสร็จ")
    login("director")
    page = client.get("/kpis?fy=2563&as_of=2020-06-30").get_data(as_text=True)
    assert "(ร่าง) ยุทธศาสตร์เกี่ยวกับธุรกรรมทางอิเล็กทรอนิกส์ แล้วเสร็จ" in page  # level reached, verbatim
    assert "30 มิ.ย. 2563" in page or "30 มิถุนายน 2563" in page
    assert 'data-testid="kpi-score-1">50<' in page
    assert "ร่างยุทธศาสตร์แล้วเสร็จ" in page
    client.post("/language", data={"locale": "en", "next": "/kpis"})
    english = client.get("/kpis?fy=2563&as_of=2020-06-30").get_data(as_text=True)
    assert "Strategy on electronic transactions" in english and "30 Jun 2020" in english
    assert 'action="/kpis/2563/1/progress"' not in client.get("/kpis/2563/1").get_data(as_text=True)


def test_an_empty_year_offers_the_secretary_to_load_its_set(client, login):
    login("secretary")
    assert 'data-testid="kpi-load"' in client.get("/kpis?fy=2563").get_data(as_text=True)
    assert client.post("/kpis/2563/load").status_code == 302
    assert len(kpis.list_kpis(2563)) == 9
    assert 'data-testid="kpi-load"' not in client.get("/kpis?fy=2562").get_data(as_text=True)


def test_the_secretary_records_figures_and_the_score_follows(client, login, fy2563):
    login("secretary")
    form = {"reached_on": "2020-08-28", "level": "", "figure_partners": "6", "figure_trainings": "10",
            "figure_trainees": "1,240", "figure_knowledge_gain_percent": "84",
            "evidence": "10 trainings, 1,240 trainees, 84 % gain", "links": "https://example.go.th/report.pdf"}
    response = client.post("/kpis/2563/4/progress", data=form)
    assert response.status_code == 302
    page = client.get("/kpis/2563/4").get_data(as_text=True)
    assert "1240" in page and "https://example.go.th/report.pdf" in page and "secretary@example.org" in page
    assert kpis.kpi_score(2563, 4, date(2020, 9, 10)).score == 100


def test_a_refused_update_shows_the_error_beside_its_field(client, login, fy2563):
    login("secretary")
    response = client.post("/kpis/2563/4/progress", data={"reached_on": "2020-08-28", "figure_trainees": "10.5",
                                                          "evidence": "x"})
    assert response.status_code == 422
    assert 'id="figure_trainees-error"' in response.get_data(as_text=True)
    response = client.post("/kpis/2563/4/progress", data={"reached_on": "2020-08-28", "figure_trainees": "many",
                                                          "evidence": "x"})
    assert response.status_code == 422
    assert client.get("/kpis/2563/42").status_code == 404


def test_exports_carry_the_same_scores(client, login, record):
    record(7, date(2020, 5, 1), disbursement_percent="96")
    login("auditor")
    xlsx = client.get("/kpis/xlsx?fy=2563&as_of=2020-09-10")
    assert xlsx.status_code == 200 and xlsx.headers["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    rows = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[4]) for r in rows][6] == (7, 50)
    assert list(book.worksheets[1].iter_rows(min_row=2, values_only=True))[6][2:] == (0, 0, 50, 50)
    pdf = client.get("/kpis/pdf?fy=2563&as_of=2020-09-10")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get("/kpis/pdf?fy=2563&as_of=nonsense").status_code == 400
    assert client.get("/kpis/history?fy=2563&as_of=2020-09-10").status_code == 200


def test_the_agenda_item_page_freezes_and_then_shows_the_scorecard(client, login, record, make_meeting):
    record(1, date(2020, 1, 20), level=50)
    meeting = make_meeting(date(2020, 2, 14))
    item = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(Topic.MISSION_REPORT, "รายงานผลภารกิจ"))
    db.session.commit()
    login("secretary")
    edit = f"/meetings/{meeting.id}/agenda-items/{item.id}/edit"
    assert 'data-testid="kpi-freeze"' in client.get(edit).get_data(as_text=True)
    assert client.post(f"/kpis/snapshots/{item.id}").headers["Location"].endswith(edit)
    page = client.get(edit).get_data(as_text=True)
    assert 'data-testid="kpi-freeze"' not in page and 'data-testid="kpi-score-1">50<' in page
    assert client.get(f"/kpis/snapshots/{item.id}").status_code == 200
    again = client.post(f"/kpis/snapshots/{item.id}", follow_redirects=True)  # refused, with a message
    assert "flash-error" in again.get_data(as_text=True)


def test_api_scorecard_and_progress_keep_to_the_document(client, api_token, fy2563):
    document = client.get("/api/v1/openapi.json").get_json()
    api = Api(client, api_token, document)
    body = {"reached_on": "2020-06-30", "figures": {"satisfaction_percent": "86.2", "quality_pass_percent": "78"},
            "evidence": "รายงานการประเมินความพึงพอใจ", "links": ["https://example.go.th/survey"]}
    created = api.post("/api/v1/fiscal-years/2563/kpis/9/progress", json=body)
    assert created.status_code == 201 and created.get_json()["kpi"]["score"] == 75
    assert api.post("/api/v1/fiscal-years/2563/kpis/9/progress", json={**body, "level": 50}).status_code == 422
    assert api.post("/api/v1/fiscal-years/2563/kpis/9/progress", json=body, role="auditor").status_code == 403
    assert api.post("/api/v1/fiscal-years/2563/kpis/42/progress", json=body).status_code == 404
    card = api.get("/api/v1/fiscal-years/2563/kpis?as_of=2020-07-01", role="director").get_json()
    assert [k["score"] for k in card["kpis"]] == [0, 0, 0, 0, 0, 0, 0, 0, 75]
    assert card["kpis"][8]["needed"][0]["value"] == "90.00"
    assert api.get("/api/v1/fiscal-years/2563/kpis?as_of=x").status_code == 422


def test_cli_loads_the_set(runner):
    result = runner.invoke(args=["kpis", "load", "--fy", "2563"])
    assert result.exit_code == 0 and "9 created" in result.output
    assert "9 unchanged" in runner.invoke(args=["kpis", "load", "--fy", "2563"]).output
    assert runner.invoke(args=["kpis", "load", "--fy", "2550"]).exit_code != 0


def test_reminders_before_quarter_end_list_kpis_without_an_update(app, make_user, record):
    make_user(Role.SECRETARY, email="sec@example.org")
    record(1, date(2020, 7, 2), level=50)  # updated this quarter
    record(6, date(2020, 5, 1), personnel_cost_percent="27", personnel_cost_growth_percent="10")  # at 100
    now = datetime(2020, 9, 16, 0, 0, tzinfo=UTC)
    assert [r for r in reminders.queue_due(date(2020, 9, 15), now).queued if r.kind == "kpi_progress"] == []
    report = reminders.queue_due(date(2020, 9, 16), now)  # 14 days before 30 Sep
    queued = [r for r in report.queued if r.kind == "kpi_progress"]
    assert [r.key for r in queued] == ["kpi_progress|fy2563:kpis:q4|2020-09-30|lead-14|sec@example.org"]
    assert [k["number"] for k in queued[0].context["kpis"]] == [2, 3, 4, 5, 7, 8, 9]
    again = reminders.queue_due(date(2020, 9, 20), now)
    assert [r for r in again.queued if r.kind == "kpi_progress"] == []
    week = [r for r in reminders.queue_due(date(2020, 9, 23), now).queued if r.kind == "kpi_progress"]
    assert [r.mark for r in week] == ["lead-7"]
    db.session.commit()

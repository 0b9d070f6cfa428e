"""/api/v1/fiscal-years/{fy}/self-assessment: the board's self-assessment (indicator 18).

A director submits and reads only their own form and sees only counts of who submitted;
the summary is anonymous; the secretary and the admin run the assessment; an auditor reads.
"""

from __future__ import annotations

from datetime import date

import pytest

from governance import clock
from tests.api.conftest import MEETING

URL = "/api/v1/fiscal-years/2563/self-assessment"
MINE = f"{URL}/responses/mine"
WHOLE_BOARD = f"{URL}/responses/whole-board"
SUMMARY = f"{URL}/summary"
INDICATORS = "/api/v1/fiscal-years/2563/indicators"
SETTINGS = {"closing_on": "2020-08-31", "guidelines": "ส่งเอกสารการประชุมล่วงหน้าอย่างน้อย 7 วัน",
            "guidelines_recorded_on": "2020-09-10"}
NAMES = ("นางสาวหนึ่ง ใจดี", "นายสอง รักงาน", "นางสาม มีสุข")


class Today:
    day = date(2020, 3, 9)


@pytest.fixture
def today(monkeypatch):
    """The views' clock; set ``today.day`` to move it."""
    now = Today()
    monkeypatch.setattr(clock, "today", lambda: now.day)
    return now


@pytest.fixture
def board(api, make_director, today):
    """Three directors in office, each with a director account of their own (roles ``d0``..``d2``)."""
    directors = [make_director(name) for name in NAMES]
    for index, director in enumerate(directors):
        api.sign_in(f"d{index}", "director", director_id=director.id, email=f"d{index}@example.org")
    return directors


@pytest.fixture
def opened(api, board):
    """FY2563's assessment, open with the standard questions."""
    response = api.post(URL, json={"closing_on": "2020-08-31"})
    assert response.status_code == 201
    return response.get_json()


def answers(assessment: dict, form: str = "individual", rating: int = 4, **extra) -> dict:
    return {"answers": [{"question_id": q["id"], "rating": rating} for q in assessment["questions"][form]],
            **extra}


def indicator_18(api, as_of: str) -> dict:
    body = api.get(INDICATORS, query_string={"as_of": as_of}).get_json()
    return next(r for r in body["indicators"] if r["number"] == 18)


def walk(value):
    """Every key and value of a JSON document, nested."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)
    else:
        yield value


# ---------------------------------------------------------------------------- opening and settings


def test_open_read_and_a_second_open_is_a_conflict(api, board, snapshot):
    assert api.get(URL).status_code == 404
    response = api.post(URL, json={"closing_on": "2020-08-31"})
    assert response.status_code == 201
    assert response.headers["Location"].endswith("/api/v1/fiscal-years/2563/self-assessment")
    body = response.get_json()
    assert isinstance(body["id"], int) and body["fiscal_year"] == 2563
    assert (body["closing_on"], body["closed"], body["guidelines"], body["guidelines_recorded_on"]) == (
        "2020-08-31", False, None, None)
    for form in ("individual", "whole_board"):
        questions = body["questions"][form]
        assert len(questions) == 5 and [q["position"] for q in questions] == [1, 2, 3, 4, 5]
        assert all(q["form"] == form and q["scale_max"] == 5 and q["text_th"] and q["text_en"] for q in questions)
    progress = body["progress"]
    assert (progress["roster_count"], progress["submitted_count"], progress["not_submitted_count"]) == (3, 0, 3)
    assert progress["whole_board_submitted_on"] is None
    assert [entry["name"] for entry in progress["roster"]] == sorted(NAMES)
    assert {d["director_id"] for d in progress["not_submitted"]} == {d.id for d in board}
    assert api.get(URL).get_json() == body

    before = snapshot()
    again = api.post(URL, json={"closing_on": None})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"
    assert snapshot() == before
    assert api.get("/api/v1/fiscal-years/2564/self-assessment").status_code == 404


def test_open_without_a_closing_date(api, board):
    response = api.post(URL, json={})
    assert response.status_code == 201 and response.get_json()["closing_on"] is None


@pytest.mark.parametrize(("body", "field"), [
    ({"closing_on": "2020-10-01"}, "closing_on"),  # FY2564
    ({"closing_on": "2020-02-30"}, "closing_on"),
    ({"closing_on": 20200831}, "closing_on"),
    ({"closing_on": "2020-08-31", "guidelines": "x"}, "guidelines"),
])
def test_a_bad_opening_is_a_422_naming_the_field(api, board, body, field, snapshot):
    before = snapshot()
    response = api.post(URL, json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert snapshot() == before
    assert api.get(URL).status_code == 404


def test_settings_round_trip(api, opened):
    response = api.put(URL, json=SETTINGS)
    assert response.status_code == 200
    body = response.get_json()
    assert {key: body[key] for key in SETTINGS} == SETTINGS
    assert body["id"] == opened["id"] and body["questions"] == opened["questions"]
    assert api.get(URL).get_json() == body
    cleared = api.put(URL, json={"closing_on": None, "guidelines": None, "guidelines_recorded_on": None}).get_json()
    assert (cleared["closing_on"], cleared["guidelines"], cleared["guidelines_recorded_on"]) == (None, None, None)


@pytest.mark.parametrize(("body", "field"), [
    ({**SETTINGS, "guidelines_recorded_on": None}, "guidelines_recorded_on"),
    ({**SETTINGS, "guidelines": "  "}, "guidelines"),
    ({**SETTINGS, "closing_on": "2019-09-30"}, "closing_on"),
    ({**SETTINGS, "guidelines_recorded_on": "0001-01-01"}, "guidelines_recorded_on"),
    ({"guidelines": SETTINGS["guidelines"], "guidelines_recorded_on": "2020-09-10"}, "closing_on"),  # all three
    ({**SETTINGS, "guidelines": "ก\x00"}, "guidelines"),
    ({**SETTINGS, "status": "closed"}, "status"),
])
def test_bad_settings_are_a_422_naming_the_field(api, opened, body, field, snapshot):
    before = snapshot()
    response = api.put(URL, json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"], response.get_json()
    assert snapshot() == before


def test_settings_of_a_year_not_open_are_a_404(api, board):
    assert api.put(URL, json=SETTINGS).status_code == 404


# ---------------------------------------------------------------------------- questions


QUESTIONS = [{"text_th": "ข้าพเจ้าเตรียมตัวก่อนประชุม", "text_en": "I prepare before meetings", "scale_max": 4},
             {"text_th": "ข้าพเจ้ามีส่วนร่วม", "text_en": "I take part"}]


def test_replace_a_form_questions(api, opened):
    response = api.put(f"{URL}/questions/individual", json=QUESTIONS)
    assert response.status_code == 200
    questions = response.get_json()
    assert [(q["position"], q["form"], q["text_en"], q["scale_max"]) for q in questions] == [
        (1, "individual", "I prepare before meetings", 4), (2, "individual", "I take part", 5)]
    assert api.get(f"{URL}/questions/individual").get_json() == questions
    body = api.get(URL).get_json()
    assert body["questions"]["individual"] == questions
    assert body["questions"]["whole_board"] == opened["questions"]["whole_board"]  # the other form untouched


@pytest.mark.parametrize(("body", "field"), [
    ([{**QUESTIONS[0], "text_th": "   "}], "[0].text_th"),
    ([QUESTIONS[0], {**QUESTIONS[1], "text_en": ""}], "[1].text_en"),
    ([{**QUESTIONS[0], "scale_max": 11}], "[0].scale_max"),
    ([{**QUESTIONS[0], "scale_max": 1}], "[0].scale_max"),
    ([{**QUESTIONS[0], "scale_max": "5"}], "[0].scale_max"),
    ([{"text_th": "ก"}], "[0].text_en"),
    ([{**QUESTIONS[0], "text_th": "ก" * 501}], "[0].text_th"),
    ([], "body"),
    ({"questions": QUESTIONS}, "body"),
])
def test_bad_questions_are_a_422_naming_the_field(api, opened, body, field, snapshot):
    before = snapshot()
    response = api.put(f"{URL}/questions/individual", json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"], response.get_json()
    assert snapshot() == before


def test_an_unknown_form_is_a_422_naming_it(api, opened):
    for response in (api.get(f"{URL}/questions/board"), api.put(f"{URL}/questions/whole-board", json=QUESTIONS)):
        assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"form"}


def test_questions_lock_once_the_form_is_answered(api, opened, snapshot):
    assert api.put(MINE, role="d0", json=answers(opened)).status_code == 200
    before = snapshot()
    response = api.put(f"{URL}/questions/individual", json=QUESTIONS)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "conflict"
    assert snapshot() == before
    # the whole-board form is not answered yet
    assert api.put(f"{URL}/questions/whole_board", json=QUESTIONS).status_code == 200


def test_questions_of_a_year_not_open_are_a_404(api, board):
    assert api.get(f"{URL}/questions/individual").status_code == 404
    assert api.put(f"{URL}/questions/individual", json=QUESTIONS).status_code == 404


# ---------------------------------------------------------------------------- a director's own form


def test_a_director_submits_and_reads_their_own_form(api, opened, board):
    assert api.get(MINE, role="d0").status_code == 404  # not submitted yet
    first = opened["questions"]["individual"][0]["id"]
    body = answers(opened, rating=5, comments="ขอบคุณ")
    body["answers"][0]["comment"] = "เอกสารมาช้า"
    response = api.put(MINE, role="d0", json=body)
    assert response.status_code == 200
    mine = response.get_json()
    assert (mine["fiscal_year"], mine["form"], mine["submitted_on"], mine["comments"]) == (
        2563, "individual", "2020-03-09", "ขอบคุณ")
    assert mine["answers"][0] == {"question_id": first, "rating": 5, "comment": "เอกสารมาช้า"}
    assert [a["question_id"] for a in mine["answers"]] == [q["id"] for q in opened["questions"]["individual"]]
    assert api.get(MINE, role="d0").get_json() == mine
    assert not {"director_id", "name"} & set(walk(mine))

    # another director does not see it: their own is still missing
    assert api.get(MINE, role="d1").status_code == 404
    # resubmitting replaces the answers
    again = api.put(MINE, role="d0", json=answers(opened, rating=3)).get_json()
    assert {a["rating"] for a in again["answers"]} == {3} and again["comments"] is None
    assert api.get(URL).get_json()["progress"]["submitted_count"] == 1


def test_a_director_account_linked_to_no_director_is_refused(api, opened, snapshot):
    api.sign_in("unlinked", "director", email="unlinked@example.org")
    before = snapshot()
    for response in (api.put(MINE, role="unlinked", json=answers(opened)), api.get(MINE, role="unlinked")):
        assert response.status_code == 403
        assert "not linked to a director" in response.get_json()["error"]["message"]
    assert snapshot() == before


@pytest.mark.parametrize("role", ["admin", "secretary", "auditor"])
def test_only_a_director_has_a_form_of_their_own(api, opened, role, snapshot):
    before = snapshot()
    assert api.put(MINE, role=role, json=answers(opened)).status_code == 403
    assert api.get(MINE, role=role).status_code == 403
    assert snapshot() == before


def test_a_year_not_open_is_a_404_for_a_director(api, board):
    assert api.put(MINE, role="d0", json={"answers": []}).status_code == 404
    assert api.get(MINE, role="d0").status_code == 404


def bad_answers(opened: dict, form: str) -> list:
    good = answers(opened, form)
    first, rest = good["answers"][0], good["answers"][1:]
    other_form = "whole_board" if form == "individual" else "individual"
    return [
        ({"answers": [{**first, "rating": 6}, *rest]}, "answers[0].rating"),
        ({"answers": [{**first, "rating": 0}, *rest]}, "answers[0].rating"),
        ({"answers": [{**first, "rating": "5"}, *rest]}, "answers[0].rating"),
        ({"answers": [{**first, "rating": 4.5}, *rest]}, "answers[0].rating"),
        ({"answers": [{**first, "question_id": opened["questions"][other_form][0]["id"]}, *rest]},
         "answers[0].question_id"),
        ({"answers": [{**first, "question_id": 999999}, *rest]}, "answers[0].question_id"),
        ({"answers": [first, *rest, first]}, "answers[5].question_id"),  # answered twice
        ({"answers": rest}, "answers"),
        ({"answers": []}, "answers"),
        ({"comments": "x"}, "answers"),
        ({**good, "director_id": 1}, "director_id"),
        ({"answers": [{**first, "comment": "\x07"}, *rest]}, "answers[0].comment"),
    ]


@pytest.mark.parametrize("case", range(12))
@pytest.mark.parametrize(("url", "role", "form"), [(MINE, "d0", "individual"),
                                                   (WHOLE_BOARD, "secretary", "whole_board")])
def test_bad_answers_are_a_422_naming_the_field_and_store_nothing(api, opened, url, role, form, case, snapshot):
    body, field = bad_answers(opened, form)[case]
    before = snapshot()
    response = api.put(url, role=role, json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"], response.get_json()
    assert snapshot() == before
    assert api.get(url, role=role).status_code == 404


def test_a_director_cannot_run_the_assessment(api, opened, snapshot):
    before = snapshot()
    assert api.post("/api/v1/fiscal-years/2564/self-assessment", json={}, role="d0").status_code == 403
    assert api.put(URL, json=SETTINGS, role="d0").status_code == 403
    assert api.put(f"{URL}/questions/individual", json=QUESTIONS, role="d0").status_code == 403
    assert api.put(WHOLE_BOARD, json=answers(opened, "whole_board"), role="d0").status_code == 403
    assert snapshot() == before


def test_an_auditor_reads_and_writes_nothing(api, opened, snapshot):
    api.put(MINE, role="d0", json=answers(opened))
    body = api.get(URL, role="auditor").get_json()
    assert body["progress"]["roster"] and body["progress"]["submitted_count"] == 1
    assert api.get(SUMMARY, role="auditor", query_string={"form": "individual"}).status_code == 200
    assert api.get(f"{URL}/questions/whole_board", role="auditor").status_code == 200
    before = snapshot()
    assert api.post("/api/v1/fiscal-years/2564/self-assessment", json={}, role="auditor").status_code == 403
    assert api.put(URL, json=SETTINGS, role="auditor").status_code == 403
    assert api.put(f"{URL}/questions/whole_board", json=QUESTIONS, role="auditor").status_code == 403
    assert api.put(WHOLE_BOARD, json=answers(opened, "whole_board"), role="auditor").status_code == 403
    assert api.put(MINE, json=answers(opened), role="auditor").status_code == 403
    assert snapshot() == before


# ---------------------------------------------------------------------------- progress


def test_progress_names_who_submitted_except_to_a_director(api, opened, board):
    api.put(MINE, role="d0", json=answers(opened))
    for role in ("admin", "secretary", "auditor"):
        progress = api.get(URL, role=role).get_json()["progress"]
        assert (progress["roster_count"], progress["submitted_count"], progress["not_submitted_count"]) == (3, 1, 2)
        submitted = {entry["director_id"]: entry["submitted_on"] for entry in progress["roster"]}
        assert submitted == {board[0].id: "2020-03-09", board[1].id: None, board[2].id: None}
        assert {d["name"] for d in progress["not_submitted"]} == {NAMES[1], NAMES[2]}

    response = api.get(URL, role="d1")
    progress = response.get_json()["progress"]
    assert (progress["roster_count"], progress["submitted_count"], progress["not_submitted_count"]) == (3, 1, 2)
    assert progress["roster"] is None and progress["not_submitted"] is None
    raw = response.get_data(as_text=True)
    assert not any(name in raw for name in NAMES)
    assert "director_id" not in raw


def test_the_roster_is_who_is_in_office_on_the_closing_date(api, board, make_director):
    make_director("พ้นวาระก่อนปิด", term_end=date(2020, 6, 30))
    make_director("ผู้จดบันทึก", counts_for_attendance=False)
    api.post(URL, json={"closing_on": "2020-08-31"})
    progress = api.get(URL).get_json()["progress"]
    assert progress["roster_count"] == 3 and [e["name"] for e in progress["roster"]] == sorted(NAMES)


# ---------------------------------------------------------------------------- the whole-board form


def test_the_whole_board_form(api, opened, today):
    assert api.get(WHOLE_BOARD).status_code == 404
    response = api.put(WHOLE_BOARD, json=answers(opened, "whole_board", rating=3, comments="ควรประชุมตรงเวลา"))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["form"], body["submitted_on"], body["comments"]) == ("whole_board", "2020-03-09", "ควรประชุมตรงเวลา")
    assert api.get(WHOLE_BOARD).get_json() == body
    assert api.get(WHOLE_BOARD, role="auditor").get_json() == body
    assert api.get(URL).get_json()["progress"]["whole_board_submitted_on"] == "2020-03-09"
    # a director reads it only once the assessment is closed
    assert api.get(WHOLE_BOARD, role="d0").status_code == 403
    today.day = date(2020, 9, 1)
    assert api.get(WHOLE_BOARD, role="d0").get_json() == body


# ---------------------------------------------------------------------------- the summary


def test_the_summary_is_anonymous(api, opened, board):
    for role, rating, comment in (("d0", 5, "ดีมาก"), ("d1", 4, "ควรปรับปรุง")):
        body = answers(opened, rating=rating, comments=f"general remark signed {role}")
        body["answers"][0]["comment"] = comment
        assert api.put(MINE, role=role, json=body).status_code == 200
    response = api.get(SUMMARY, query_string={"form": "individual"})
    assert response.status_code == 200
    summary = response.get_json()
    assert (summary["fiscal_year"], summary["form"]) == (2563, "individual")
    questions = summary["questions"]
    assert [q["question_id"] for q in questions] == [q["id"] for q in opened["questions"]["individual"]]
    assert all(q["average"] == "4.50" and q["responses"] == 2 for q in questions)
    assert sorted(questions[0]["comments"]) == ["ควรปรับปรุง", "ดีมาก"]
    assert all(q["comments"] == [] for q in questions[1:])
    # never who answered: no name, no director's id, no response-level comments (they would say whose)
    raw = response.get_data(as_text=True)
    assert not any(name in raw for name in NAMES) and "signed" not in raw
    assert set(summary) == {"fiscal_year", "form", "questions"}
    assert all(set(q) == {"question_id", "position", "text_th", "text_en", "scale_max", "responses", "average",
                          "comments"} for q in questions)

    empty = api.get(SUMMARY, query_string={"form": "whole_board"}).get_json()
    assert all(q["average"] is None and q["responses"] == 0 and q["comments"] == [] for q in empty["questions"])


def test_an_average_has_two_places(api, opened):
    for role, rating in (("d0", 5), ("d1", 4), ("d2", 4)):
        api.put(MINE, role=role, json=answers(opened, rating=rating))
    averages = {q["average"] for q in api.get(SUMMARY, query_string={"form": "individual"}).get_json()["questions"]}
    assert averages == {"4.33"}


def test_a_director_reads_the_summary_once_the_assessment_is_closed(api, opened, today):
    api.put(MINE, role="d0", json=answers(opened))
    response = api.get(SUMMARY, role="d1", query_string={"form": "individual"})
    assert response.status_code == 403 and "closed" in response.get_json()["error"]["message"]
    assert api.get(URL, role="d1").get_json()["closed"] is False

    today.day = date(2020, 8, 31)  # the closing day itself: still open
    assert api.get(SUMMARY, role="d1", query_string={"form": "individual"}).status_code == 403
    today.day = date(2020, 9, 1)  # the closing date has passed
    assert api.get(SUMMARY, role="d1", query_string={"form": "individual"}).status_code == 200
    assert api.get(URL, role="d1").get_json()["closed"] is True


def test_without_a_closing_date_a_director_reads_the_summary_once_the_year_ends(api, board, today):
    api.post(URL, json={"closing_on": None})
    today.day = date(2020, 9, 30)
    assert api.get(SUMMARY, role="d0", query_string={"form": "whole_board"}).status_code == 403
    today.day = date(2020, 10, 1)
    assert api.get(SUMMARY, role="d0", query_string={"form": "whole_board"}).status_code == 200


@pytest.mark.parametrize("query", [{}, {"form": "whole-board"}, {"form": ""}])
def test_the_summary_needs_a_form(api, opened, query):
    response = api.get(SUMMARY, query_string=query)
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"form"}


def test_the_summary_of_a_year_not_open_is_a_404(api, board):
    assert api.get(SUMMARY, query_string={"form": "individual"}).status_code == 404


# ---------------------------------------------------------------------------- after the year, and the indicator


def test_the_year_over_a_submission_is_refused(api, opened, today, snapshot):
    today.day = date(2020, 10, 1)
    before = snapshot()
    response = api.put(MINE, role="d0", json=answers(opened))
    assert response.status_code == 422 and "has ended" in response.get_json()["error"]["message"]
    assert snapshot() == before


def test_indicator_18_reflects_what_was_submitted(api, board, today):
    assessment = api.post(URL, json={"closing_on": "2020-08-31"}).get_json()
    result = indicator_18(api, "2020-09-30")
    assert result["status"] != "met" and result["value"] == 0
    assert {n["part"] for n in result["needed"]} == {
        "individual_assessments", "whole_board_assessment", "disclosed_at_meeting", "guidelines_recorded"}

    today.day = date(2020, 8, 20)
    for role in ("d0", "d1"):
        api.put(MINE, role=role, json=answers(assessment))
    result = indicator_18(api, "2020-09-30")
    assert result["detail"]["parts"]["individual_assessments"] is False
    assert result["detail"]["not_submitted"] == [{"director_id": board[2].id, "name": NAMES[2]}]
    api.put(MINE, role="d2", json=answers(assessment))
    api.put(WHOLE_BOARD, json=answers(assessment, "whole_board"))
    result = indicator_18(api, "2020-09-30")
    assert result["detail"]["parts"] == {"individual_assessments": True, "whole_board_assessment": True,
                                         "disclosed_at_meeting": False, "guidelines_recorded": False}
    assert result["value"] == 50.0
    assert {e["director_id"] for e in result["evidence"] if e["kind"] == "self_assessment_submission"} == {
        d.id for d in board}

    # the results disclosed at a held board meeting, and the guidelines the board set (recorded
    # once the meeting has happened: a meeting after today cannot be saved as held)
    today.day = date(2020, 9, 10)
    meeting = api.post("/api/v1/meetings", json={**MEETING, "held_on": "2020-09-10", "number": "9/2563"}).get_json()
    api.post(f"/api/v1/meetings/{meeting['id']}/agenda-items",
             json={"topic": "self_assessment_disclosure", "title": "รายงานผลการประเมินตนเองของคณะกรรมการ"})
    api.put(URL, json=SETTINGS)
    result = indicator_18(api, "2020-09-30")
    assert (result["status"], result["value"], result["needed"]) == ("met", 100.0, [])
    # as of a day before the disclosure meeting and the guidelines, not yet
    assert indicator_18(api, "2020-09-05")["status"] != "met"


# ---------------------------------------------------------------------------- tokens and years


def test_without_a_token_is_401(api, opened):
    for method, url, body in (("GET", URL, None), ("POST", URL, {}), ("PUT", URL, SETTINGS),
                              ("GET", f"{URL}/questions/individual", None),
                              ("PUT", f"{URL}/questions/individual", QUESTIONS),
                              ("GET", MINE, None), ("PUT", MINE, answers(opened)),
                              ("GET", WHOLE_BOARD, None), ("PUT", WHOLE_BOARD, answers(opened, "whole_board")),
                              ("GET", f"{SUMMARY}?form=individual", None)):
        response = api.open(method, url, role=None, **({"json": body} if body is not None else {}))
        assert response.status_code == 401, (method, url)


@pytest.mark.parametrize("year", [1999, 2019, 9999])
def test_a_fiscal_year_is_a_buddhist_era_number(api, board, year):
    base = f"/api/v1/fiscal-years/{year}/self-assessment"
    for response in (api.get(base), api.post(base, json={}), api.put(base, json=SETTINGS),
                     api.get(f"{base}/questions/individual"), api.get(f"{base}/summary?form=individual"),
                     api.get(f"{base}/responses/mine", role="d0")):
        assert response.status_code == 422
        assert set(response.get_json()["error"]["fields"]) == {"fiscal_year"}


def test_directors_do_not_learn_who_submitted_through_the_indicators(client, api_token, make_director):
    """Indicator 18 names who has not submitted; a director sees only the counts."""
    from datetime import date

    from governance.extensions import db
    from governance.services import self_assessment

    make_director("ยังไม่ส่ง", term_start=date(2019, 1, 1))
    self_assessment.open_assessment(2563, closing_on=date(2020, 8, 31))
    db.session.commit()
    secretary = client.get("/api/v1/fiscal-years/2563/indicators?as_of=2020-09-01", headers=api_token("secretary"))
    director = client.get("/api/v1/fiscal-years/2563/indicators?as_of=2020-09-01",
                          headers=api_token("director", email="d@example.org"))
    [full] = [i for i in secretary.get_json()["indicators"] if i["number"] == 18]
    [redacted] = [i for i in director.get_json()["indicators"] if i["number"] == 18]
    assert full["detail"]["not_submitted"][0]["name"] == "ยังไม่ส่ง"
    assert "ยังไม่ส่ง" not in director.get_data(as_text=True)
    assert redacted["detail"]["not_submitted_count"] == 1
    assert all("director_ids" not in need for need in redacted["needed"])

"""The board's self-assessment pages: settings, a director's own form, progress, anonymous results."""

from __future__ import annotations

import re
from datetime import date

import pytest

from governance.extensions import db
from governance.models import AssessmentForm, Role
from governance.services import self_assessment as sa_service
from governance.web.access import READERS, WRITERS
from tests.conftest import PASSWORD
from tests.web.pagetools import error_for, form_errors

FY = 2563


def _open(closing_on=date(2020, 8, 31)):
    assessment = sa_service.open_assessment(FY, closing_on)
    db.session.commit()
    return assessment


def _questions(form=AssessmentForm.INDIVIDUAL):
    return sa_service.questions_of(sa_service.require_assessment(FY), form)


def _answers(ratings, comments=None, overall=None, form=AssessmentForm.INDIVIDUAL) -> dict:
    """The form as a browser posts it: ``rating_<question id>`` and ``comment_<question id>``."""
    questions = _questions(form)
    ratings = ratings if isinstance(ratings, list) else [ratings] * len(questions)
    data = {f"rating_{q.id}": str(r) for q, r in zip(questions, ratings, strict=True) if r is not None}
    for index, text in (comments or {}).items():
        data[f"comment_{questions[index].id}"] = text
    if overall is not None:
        data["comments"] = overall
    return data


def _submit(director, rating, comment=None, form=AssessmentForm.INDIVIDUAL):
    answers = [sa_service.AnswerInput(question_id=q.id, rating=rating, comment=comment) for q in _questions(form)]
    sa_service.submit(FY, form, answers, submitted_on=date(2020, 1, 10),
                      director_id=director.id if director else None)
    db.session.commit()


def _sign_in_as(client, make_user, role, **kwargs):
    client.post("/logout")
    user = make_user(role, **kwargs)
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return user


# --- the secretary ------------------------------------------------------------------------

def test_without_a_year_the_current_one_opens(client, login):
    login("secretary")
    response = client.get("/self-assessment")
    assert response.status_code == 302 and response.headers["Location"].endswith("/self-assessment/2563")
    assert client.get("/self-assessment/1999").status_code == 404


def test_secretary_opens_the_year_in_thai(client, login):
    login("secretary")
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    assert 'lang="th"' in page
    assert "ยังไม่ได้เปิดการประเมินตนเองของปีงบประมาณ 2563" in page
    assert 'data-testid="open-assessment"' in page

    response = client.post("/self-assessment/2563/open", data={"closing_on": "2020-08-31"})
    assert response.status_code == 302
    assert sa_service.require_assessment(FY).closing_on == date(2020, 8, 31)
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    assert "31 สิงหาคม 2563" in page  # the closing date, Buddhist Era
    assert 'data-testid="settings-form"' in page and 'data-testid="edit-questions-individual"' in page


def test_a_closing_date_outside_the_year_is_refused_beside_the_field(client, login):
    login("secretary")
    response = client.post("/self-assessment/2563/open", data={"closing_on": "2020-10-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "closing_on") == "วันปิดการประเมินต้องอยู่ในปีงบประมาณ 2563"
    assert sa_service.get_assessment(FY) is None


def test_guidelines_need_the_day_the_board_set_them(client, login):
    login("secretary")
    _open()
    response = client.post("/self-assessment/2563/settings", data={
        "closing_on": "2020-08-31", "guidelines": "ส่งเอกสารการประชุมล่วงหน้า 7 วัน", "guidelines_recorded_on": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "guidelines_recorded_on") == "กรุณากรอกวันที่คณะกรรมการกำหนดแนวปฏิบัตินี้"
    assert error_for(page, "guidelines") == ""
    assert "ส่งเอกสารการประชุมล่วงหน้า 7 วัน" in page  # what was typed is kept
    db.session.expire_all()
    assert sa_service.require_assessment(FY).guidelines is None

    response = client.post("/self-assessment/2563/settings", data={
        "closing_on": "2020-08-31", "guidelines": "ส่งเอกสารการประชุมล่วงหน้า 7 วัน",
        "guidelines_recorded_on": "2020-01-14"})
    assert response.status_code == 302
    db.session.expire_all()
    assessment = sa_service.require_assessment(FY)
    assert (assessment.guidelines, assessment.guidelines_recorded_on) == (
        "ส่งเอกสารการประชุมล่วงหน้า 7 วัน", date(2020, 1, 14))
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    assert "14 มกราคม 2563" in page


def test_a_date_that_is_not_a_date_is_refused(client, login):
    login("secretary")
    _open()
    response = client.post("/self-assessment/2563/settings", data={"closing_on": "2020-02-30"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "closing_on").startswith("วันที่ไม่ถูกต้อง")


def test_secretary_sees_who_has_not_submitted(client, login, make_director):
    login("secretary")
    done, waiting, late = make_director("สมชาย ส่งแล้ว"), make_director("สมหญิง ยังไม่ส่ง"), make_director("สมศักดิ์ ยังไม่ส่ง")
    make_director("ผู้จดบันทึก", counts_for_attendance=False)
    _open()
    _submit(done, 4)
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    count = re.search(r'data-testid="progress-count">(.*?)</p>', page, re.S).group(1)
    assert re.findall(r"\d+", count) == ["1", "3"]
    outstanding = re.search(r'data-testid="outstanding">(.*?)</p>', page, re.S).group(1)
    assert waiting.name in outstanding and late.name in outstanding and done.name not in outstanding
    assert "ผู้จดบันทึก" not in page  # takes the minutes: not assessed
    progress = re.search(r'data-testid="progress">(.*?)</table>', page, re.S).group(1)
    assert "10 ม.ค. 2563" in progress  # the day the director submitted


def test_secretary_edits_a_forms_questions_until_it_is_answered(client, login, make_director):
    login("secretary")
    _open()
    page = client.get("/self-assessment/2563/questions/individual").get_data(as_text=True)
    assert "ข้าพเจ้าเข้าใจบทบาท หน้าที่ และความรับผิดชอบของกรรมการ" in page
    rows = {}
    for index, q in enumerate(_questions()):
        rows |= {f"questions-{index}-text_th": q.text_th, f"questions-{index}-text_en": q.text_en,
                 f"questions-{index}-scale_max": "5"}
    # the last question cleared (removed), a new one in the first blank row
    rows |= {"questions-4-text_th": "", "questions-4-text_en": "",
             "questions-5-text_th": "ข้าพเจ้ารักษาความลับของที่ประชุม",
             "questions-5-text_en": "I keep the board's confidences",
             "questions-5-scale_max": "4",
             "questions-6-text_th": "", "questions-6-text_en": "", "questions-6-scale_max": "5"}

    bad = rows | {"questions-1-text_en": "", "questions-2-scale_max": "11"}
    response = client.post("/self-assessment/2563/questions/individual", data=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "questions-1-text_th") == "กรุณากรอกคำถามทั้งภาษาไทยและภาษาอังกฤษ"
    assert error_for(page, "questions-2-scale_max") == "มาตรวัดคะแนนต้องเริ่มที่ 1 และมีค่าสูงสุดระหว่าง 2 ถึง 10"
    assert len(_questions()) == 5

    response = client.post("/self-assessment/2563/questions/individual", data=rows)
    assert response.status_code == 302
    db.session.expire_all()
    questions = _questions()
    assert [q.text_en for q in questions][-1] == "I keep the board's confidences"
    assert len(questions) == 5 and questions[-1].scale_max == 4
    assert "I follow up on what the board resolved" not in [q.text_en for q in questions]

    _submit(make_director(), 3)
    page = client.get("/self-assessment/2563/questions/individual").get_data(as_text=True)
    assert "แบบประเมินนี้มีผู้ตอบแล้ว จึงแก้ไขคำถามไม่ได้อีก" in page
    assert 'data-testid="save-questions"' not in page
    response = client.post("/self-assessment/2563/questions/individual", data=rows)
    assert response.status_code == 422
    assert "แบบประเมินนี้มีผู้ตอบแล้ว" in form_errors(response.get_data(as_text=True))


def test_secretary_fills_in_the_whole_board_form(client, login):
    login("secretary")
    _open()
    page = client.get("/self-assessment/2563/whole-board").get_data(as_text=True)
    assert "โครงสร้างและองค์ประกอบของคณะกรรมการเหมาะสม" in page
    assert page.count('type="radio"') == 25  # five questions rated 1..5

    missing = _answers([5, 4, None, 4, 5], form=AssessmentForm.WHOLE_BOARD)
    response = client.post("/self-assessment/2563/whole-board", data=missing)
    assert response.status_code == 422
    third = _questions(AssessmentForm.WHOLE_BOARD)[2]
    assert error_for(response.get_data(as_text=True), f"rating_{third.id}") != ""
    assert sa_service.whole_board_response(FY) is None

    data = _answers([5, 4, 3, 4, 5], overall="คณะกรรมการควรประชุมเชิงปฏิบัติการปีละครั้ง",
                    form=AssessmentForm.WHOLE_BOARD)
    assert client.post("/self-assessment/2563/whole-board", data=data).status_code == 302
    response = sa_service.whole_board_response(FY)
    assert response.submitted_on == date(2020, 1, 15)  # today, read by the view
    assert sorted(a.rating for a in response.answers) == [3, 4, 4, 5, 5]
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    status = re.search(r'data-testid="whole-board-status">(.*?)</p>', page, re.S).group(1)
    assert "15 ม.ค. 2563" in status


# --- a director ---------------------------------------------------------------------------

def test_a_director_submits_resubmits_and_sees_only_their_own_answers(client, make_user, make_director):
    first, second = make_director("กรรมการ คนแรก"), make_director("กรรมการ คนที่สอง")
    _open()
    questions = _questions()

    _sign_in_as(client, make_user, Role.DIRECTOR, email="second@example.org", director_id=second.id)
    data = _answers(2, comments={0: "ความเห็นลับของคนที่สอง"}, overall="ภาพรวมของคนที่สอง")
    assert client.post("/self-assessment/2563/mine", data=data).status_code == 302

    _sign_in_as(client, make_user, Role.DIRECTOR, email="first@example.org", director_id=first.id)
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    assert 'lang="th"' in page and "ข้าพเจ้าเข้าใจบทบาท หน้าที่ และความรับผิดชอบของกรรมการ" in page
    assert page.count('type="radio"') == 25
    assert 'data-testid="own-submitted"' not in page

    data = _answers([5, 5, 4, 5, 4], comments={1: "ควรได้รับเอกสารเร็วขึ้น"}, overall="โดยรวมดี")
    response = client.post("/self-assessment/2563/mine", data=data)
    assert response.status_code == 302
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    assert 'data-testid="own-submitted"' in page and "15 มกราคม 2563" in page
    assert re.search(rf'<input checked[^>]*name="rating_{questions[0].id}"[^>]*value="5"', page)
    assert "ควรได้รับเอกสารเร็วขึ้น" in page and "โดยรวมดี" in page

    # resubmitted: the answers are replaced, still one response
    data = _answers([3, 3, 3, 3, 3], overall="แก้ไขแล้ว")
    assert client.post("/self-assessment/2563/mine", data=data).status_code == 302
    own = sa_service.own_response(FY, first.id)
    assert [a.rating for a in own.answers] == [3] * 5 and own.comments == "แก้ไขแล้ว"
    assert len([r for r in sa_service.require_assessment(FY).responses if r.director_id == first.id]) == 1

    page = client.get("/self-assessment/2563").get_data(as_text=True)
    assert "แก้ไขแล้ว" in page
    # nothing of the other director's: not the answers, not the name, not the list of who submitted
    for secret in ("ความเห็นลับของคนที่สอง", "ภาพรวมของคนที่สอง", second.name):
        assert secret not in page
    assert 'data-testid="progress"' not in page and 'data-testid="outstanding"' not in page


def test_a_missing_rating_is_shown_beside_its_question(client, login, make_director, english):
    director = make_director()
    _open()
    login("director", director_id=director.id)
    english()
    data = _answers([5, None, 4, 4, 4])
    response = client.post("/self-assessment/2563/mine", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, f"rating_{_questions()[1].id}") == "Choose a rating."
    assert error_for(page, f"rating_{_questions()[0].id}") == ""
    assert re.search(rf'<input checked[^>]*name="rating_{_questions()[0].id}"[^>]*value="5"', page)
    assert sa_service.own_response(FY, director.id) is None


def test_a_rating_outside_the_scale_is_refused(client, login, make_director):
    director = make_director()
    _open()
    login("director", director_id=director.id)
    response = client.post("/self-assessment/2563/mine", data=_answers([5, 9, 4, 4, 4]))
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), f"rating_{_questions()[1].id}") != ""
    assert sa_service.own_response(FY, director.id) is None


def test_a_director_account_without_a_director_gets_a_clear_message(client, login):
    _open()
    login("director")
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    assert 'data-testid="not-linked"' in page and 'type="radio"' not in page
    assert client.post("/self-assessment/2563/mine", data={}).status_code == 403


def test_directors_read_the_results_only_once_the_assessment_is_closed(client, login, make_director):
    director = make_director()
    _open(closing_on=date(2020, 8, 31))
    login("director", director_id=director.id)
    assert client.get("/self-assessment/2563/results").status_code == 403
    assert 'data-testid="results-link"' not in client.get("/self-assessment/2563").get_data(as_text=True)

    sa_service.update_assessment(FY, closing_on=date(2020, 1, 10), guidelines=None, guidelines_recorded_on=None)
    db.session.commit()
    assert 'data-testid="results-link"' in client.get("/self-assessment/2563").get_data(as_text=True)
    assert client.get("/self-assessment/2563/results").status_code == 200


# --- results -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.SECRETARY, Role.AUDITOR])
def test_the_results_show_averages_and_comments_without_names(client, login, make_director, role):
    first, second = make_director("นายหนึ่ง ใจดี"), make_director("นางสอง ใจงาม")
    _open()
    _submit(first, 5, comment="ความเห็นจากกรรมการ")
    _submit(second, 4)
    _submit(None, 3, form=AssessmentForm.WHOLE_BOARD)
    login(role)
    page = client.get("/self-assessment/2563/results").get_data(as_text=True)
    individual = re.search(r'data-testid="summary-individual">(.*?)</section>', page, re.S).group(1)
    assert individual.count("<strong>4.50</strong>") == 5
    assert "ความเห็นจากกรรมการ" in individual
    whole_board = re.search(r'data-testid="summary-whole_board">(.*?)</section>', page, re.S).group(1)
    assert whole_board.count("<strong>3.00</strong>") == 5
    assert first.name not in page and second.name not in page
    count = re.search(r'data-testid="individual-count">(.*?)</dd>', page, re.S).group(1)
    assert re.findall(r"\d+", count) == ["2", "2"]
    assert 'data-testid="disclosure-hint"' in page and "เปิดเผยผลการประเมินตนเองของคณะกรรมการ" in page


def test_the_pages_in_english(client, login, make_director, english):
    director = make_director("Somchai")
    _open()
    _submit(director, 4)
    login("secretary")
    english()
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    assert 'lang="en"' in page and "Board self-assessment, fiscal year 2563" in page
    assert "31 Aug 2020" in page
    assert "10 Jan 2020" in page
    page = client.get("/self-assessment/2563/results").get_data(as_text=True)
    assert "I understand a director&#39;s role, duties and responsibilities" in page
    assert "<strong>4.00</strong>" in page
    page = client.get("/self-assessment/2563/whole-board").get_data(as_text=True)
    assert "The board&#39;s structure and composition are appropriate" in page


# --- who may do what -----------------------------------------------------------------------

WRITES = ["/self-assessment/2563/open", "/self-assessment/2563/settings", "/self-assessment/2563/whole-board",
          "/self-assessment/2563/questions/individual", "/self-assessment/2563/questions/whole_board"]


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.AUDITOR])
def test_directors_and_auditors_may_not_use_the_secretarys_forms(client, login, make_director, role):
    director = make_director()
    _open()
    login(role, director_id=director.id if role == Role.DIRECTOR else None)
    for path in WRITES:
        assert client.post(path, data={"closing_on": "2020-08-01"}).status_code == 403, path
    for path in WRITES[2:]:
        assert client.get(path).status_code == 403, path
    db.session.expire_all()
    assert sa_service.require_assessment(FY).closing_on == date(2020, 8, 31)
    assert sa_service.whole_board_response(FY) is None


def test_an_auditor_reads_progress_and_results_without_forms(client, login, make_director):
    director = make_director("กรรมการ ผู้ยังไม่ส่ง")
    _open()
    login("auditor")
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    assert page.count('method="post"') == 2  # the header's language switch and sign-out
    assert director.name in re.search(r'data-testid="outstanding">(.*?)</p>', page, re.S).group(1)
    assert client.get("/self-assessment/2563/results").status_code == 200
    assert client.post("/self-assessment/2563/mine", data={}).status_code == 403


def test_only_directors_submit_their_own_form(client, login, make_director):
    _open()
    login("secretary")
    assert client.post("/self-assessment/2563/mine", data={}).status_code == 403


def test_every_view_declares_its_roles(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("self_assessment.")]
    expected = {"current": READERS, "show": READERS, "results": READERS, "open_year": WRITERS,
                "settings": WRITERS, "questions": WRITERS, "whole_board": WRITERS, "submit_own": (Role.DIRECTOR,)}
    assert {rule.endpoint.split(".")[1] for rule in rules} == set(expected)
    for rule in rules:
        roles = app.view_functions[rule.endpoint].allowed_roles
        assert set(roles) == set(expected[rule.endpoint.split(".")[1]]), rule.endpoint


# --- one rule for when the forms take answers ----------------------------------------------

def _visible(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_a_closed_assessment_says_so_once_and_offers_no_form(client, login, make_director, monkeypatch):
    from governance import clock
    login("secretary")
    _open(closing_on=date(2020, 8, 31))
    monkeypatch.setattr(clock, "today", lambda: date(2020, 9, 10))  # after the closing date, in the year
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    rule = _visible(re.search(r'data-testid="assessment-rule">(.*?)</dd>', page, re.S).group(1))
    assert "31 สิงหาคม 2563" in rule and "ย้ายวันปิดรับ" in rule
    assert 'data-testid="whole-board-link"' not in page
    whole = client.get("/self-assessment/2563/whole-board").get_data(as_text=True)
    assert 'data-testid="assessment-closed"' in whole and 'data-testid="save-whole-board"' not in whole

    # a form opened before the closing date and sent after it: refused, the reason said once
    response = client.post("/self-assessment/2563/whole-board", data=_answers(4, form=AssessmentForm.WHOLE_BOARD))
    assert response.status_code == 422
    text = _visible(response.get_data(as_text=True))
    assert text.count("ปิดรับแล้ว") == 1, text
    assert sa_service.whole_board_response(FY) is None


def test_a_past_years_assessment_is_final(client, login, monkeypatch):
    from governance import clock
    login("secretary")
    _open(closing_on=date(2020, 8, 31))
    monkeypatch.setattr(clock, "today", lambda: date(2021, 2, 1))  # FY2564
    page = _visible(client.get("/self-assessment/2563").get_data(as_text=True))
    assert "ปีงบประมาณสิ้นสุดแล้ว ผลการประเมินจึงเป็นที่สุด" in page
    assert "วันนี้" not in page  # the roster is taken on the closing date, not today


def test_the_roster_day_is_the_one_the_indicator_uses(client, login, make_director):
    login("secretary")
    _open(closing_on=None)
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    rule = _visible(re.search(r'data-testid="roster-rule">(.*?)</p>', page, re.S).group(1))
    assert "15 มกราคม 2563" in rule  # today, 15 Jan 2020, until a closing date is set
    assert "31 สิงหาคม" not in rule


def test_a_director_after_the_closing_date_sees_results_not_a_form(client, make_user, make_director, monkeypatch):
    from governance import clock
    director = make_director("นางสาวมาลี ศรีสุข")
    _open(closing_on=date(2020, 8, 31))
    _sign_in_as(client, make_user, Role.DIRECTOR, email="malee@example.org", director_id=director.id)
    monkeypatch.setattr(clock, "today", lambda: date(2020, 9, 1))
    page = client.get("/self-assessment/2563").get_data(as_text=True)
    assert 'data-testid="submit-own"' not in page and 'data-testid="own-missed"' in page
    assert 'data-testid="results-link"' in page
    response = client.post("/self-assessment/2563/mine", data=_answers(4))
    assert response.status_code == 422 and sa_service.own_response(FY, director.id) is None


def test_the_confirmation_names_the_closing_date(client, make_user, make_director):
    director = make_director("นางสาวมาลี ศรีสุข")
    _open(closing_on=date(2020, 8, 31))
    _sign_in_as(client, make_user, Role.DIRECTOR, email="malee@example.org", director_id=director.id)
    response = client.post("/self-assessment/2563/mine", data=_answers(4), follow_redirects=True)
    text = _visible(response.get_data(as_text=True))
    assert "31 สิงหาคม 2563" in text and "สิ้นปีงบประมาณ" not in text


def test_a_form_sent_after_the_year_ended_is_refused_once(client, login, monkeypatch):
    from governance import clock
    login("secretary")
    _open(closing_on=date(2020, 8, 31))
    monkeypatch.setattr(clock, "today", lambda: date(2021, 2, 1))
    response = client.post("/self-assessment/2563/whole-board", data=_answers(4, form=AssessmentForm.WHOLE_BOARD))
    assert response.status_code == 422
    assert _visible(response.get_data(as_text=True)).count("ปีงบประมาณ 2563 สิ้นสุดแล้ว") == 1

"""The self-assessment service: who must submit, answers checked, summaries anonymous."""

from __future__ import annotations

from datetime import date

import pytest

from governance.extensions import db
from governance.models import AssessmentForm
from governance.services import fiscal_years, meetings
from governance.services import self_assessment as sa_service
from governance.services.errors import Conflict, ValidationFailed

FY = 2563


def answers_for(form, rating=4):
    assessment = sa_service.require_assessment(FY)
    return [sa_service.AnswerInput(question_id=q.id, rating=rating) for q in sa_service.questions_of(assessment, form)]


def test_only_directors_in_office_on_the_closing_day_must_submit(app, make_director):
    staying = make_director("อยู่ต่อ")
    make_director("พ้นวาระ", term_end=date(2020, 3, 31))
    make_director("ผู้จดบันทึก", counts_for_attendance=False)
    sa_service.open_assessment(FY, closing_on=date(2020, 8, 31))
    db.session.commit()
    progress = sa_service.progress(FY, as_of=date(2020, 9, 1))
    assert [d.name for d in progress.roster] == ["อยู่ต่อ"]
    assert [d.id for d in progress.outstanding] == [staying.id]

    sa_service.submit(FY, AssessmentForm.INDIVIDUAL, answers_for(AssessmentForm.INDIVIDUAL),
                      submitted_on=date(2020, 8, 20), director_id=staying.id)
    db.session.commit()
    assert sa_service.progress(FY, as_of=date(2020, 9, 1)).outstanding == []


def test_every_question_needs_a_rating_in_range(app, make_director):
    director = make_director()
    sa_service.open_assessment(FY, closing_on=date(2020, 8, 31))
    answers = answers_for(AssessmentForm.INDIVIDUAL)
    with pytest.raises(ValidationFailed) as missing:
        sa_service.submit(FY, AssessmentForm.INDIVIDUAL, answers[:-1], submitted_on=date(2020, 8, 1),
                          director_id=director.id)
    assert "answers" in missing.value.fields
    answers[0].rating = 6
    with pytest.raises(ValidationFailed) as out_of_range:
        sa_service.submit(FY, AssessmentForm.INDIVIDUAL, answers, submitted_on=date(2020, 8, 1),
                          director_id=director.id)
    assert "answers[0].rating" in out_of_range.value.fields


def test_summary_averages_without_names_and_questions_lock_once_answered(app, make_director):
    first, second = make_director("หนึ่ง"), make_director("สอง")
    sa_service.open_assessment(FY, closing_on=date(2020, 8, 31))
    for director, rating in ((first, 5), (second, 4)):
        sa_service.submit(FY, AssessmentForm.INDIVIDUAL, answers_for(AssessmentForm.INDIVIDUAL, rating),
                          submitted_on=date(2020, 8, 1), director_id=director.id)
    db.session.commit()
    rows = sa_service.summary(FY, AssessmentForm.INDIVIDUAL)
    assert {str(r.average) for r in rows} == {"4.50"} and all(r.responses == 2 for r in rows)
    with pytest.raises(Conflict):
        sa_service.replace_questions(FY, AssessmentForm.INDIVIDUAL, [sa_service.QuestionInput("ก", "a")])


def test_indicator_18_is_met_when_all_four_parts_are_done(app, make_director, make_meeting):
    director = make_director()
    sa_service.open_assessment(FY, closing_on=date(2020, 8, 31))
    sa_service.submit(FY, AssessmentForm.INDIVIDUAL, answers_for(AssessmentForm.INDIVIDUAL),
                      submitted_on=date(2020, 8, 1), director_id=director.id)
    sa_service.submit(FY, AssessmentForm.WHOLE_BOARD, answers_for(AssessmentForm.WHOLE_BOARD),
                      submitted_on=date(2020, 8, 5))
    db.session.commit()
    result = {r.number: r for r in fiscal_years.evaluate_fiscal_year(FY, date(2020, 9, 30))}[18]
    assert result.status != "met"  # no disclosure at a meeting, no guidelines yet

    meeting = make_meeting(date(2020, 9, 10))
    meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(topic="self_assessment_disclosure", title="ผล"))
    sa_service.update_assessment(FY, closing_on=date(2020, 8, 31), guidelines="ส่งเอกสารล่วงหน้า 7 วัน",
                                 guidelines_recorded_on=date(2020, 9, 10))
    db.session.commit()
    result = {r.number: r for r in fiscal_years.evaluate_fiscal_year(FY, date(2020, 9, 30))}[18]
    assert result.status == "met", result.detail


@pytest.mark.parametrize("form", list(AssessmentForm))
def test_both_forms_take_answers_until_the_closing_date_and_no_later(app, make_director, form):
    director = make_director()
    sa_service.open_assessment(FY, closing_on=date(2020, 8, 31))
    db.session.commit()
    who = director.id if form == AssessmentForm.INDIVIDUAL else None
    sa_service.submit(FY, form, answers_for(form), submitted_on=date(2020, 8, 31), director_id=who)
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        sa_service.submit(FY, form, answers_for(form, rating=1), submitted_on=date(2020, 9, 1), director_id=who)
    db.session.rollback()
    assert "submitted_on" in refused.value.fields
    stored = sa_service.own_response(FY, director.id) if who else sa_service.whole_board_response(FY)
    assert {a.rating for a in stored.answers} == {4}  # the refused resubmission changed nothing


def test_without_a_closing_date_the_forms_close_with_the_year(app):
    assessment = sa_service.open_assessment(FY, closing_on=None)
    db.session.commit()
    assert sa_service.closes_on(assessment) == date(2020, 9, 30)
    assert not sa_service.is_closed(assessment, date(2020, 9, 30))
    assert sa_service.is_closed(assessment, date(2020, 10, 1))

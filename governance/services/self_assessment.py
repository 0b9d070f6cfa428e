"""The board's self-assessment (indicator 18): individual and whole-board forms, results, guidelines.

Individual answers are anonymous in every summary: averages per question, comments
without names.  A director sees only their own answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from governance import fiscal
from governance.extensions import db
from governance.models import (
    AssessmentAnswer,
    AssessmentForm,
    AssessmentQuestion,
    AssessmentResponse,
    Director,
    SelfAssessment,
)
from governance.services import locks
from governance.services.errors import Conflict, NotFound, ValidationFailed, plausible_dates, single_line

# A common shape of Thai state-enterprise and public-organisation board self-assessments.
DEFAULT_QUESTIONS = {
    AssessmentForm.INDIVIDUAL: [
        ("ข้าพเจ้าเข้าใจบทบาท หน้าที่ และความรับผิดชอบของกรรมการ", "I understand a director's role, duties and responsibilities"),
        ("ข้าพเจ้าศึกษาเอกสารและเตรียมตัวล่วงหน้าก่อนการประชุม", "I study the papers and prepare before each meeting"),
        ("ข้าพเจ้าแสดงความคิดเห็นอย่างเป็นอิสระและสร้างสรรค์", "I give my views independently and constructively"),
        ("ข้าพเจ้าเข้าร่วมประชุมคณะกรรมการอย่างสม่ำเสมอ", "I attend board meetings regularly"),
        ("ข้าพเจ้าติดตามผลการดำเนินงานตามมติคณะกรรมการ", "I follow up on what the board resolved"),
    ],
    AssessmentForm.WHOLE_BOARD: [
        ("โครงสร้างและองค์ประกอบของคณะกรรมการเหมาะสม", "The board's structure and composition are appropriate"),
        ("คณะกรรมการกำหนดทิศทางและนโยบายขององค์การอย่างชัดเจน", "The board sets clear direction and policy"),
        ("การประชุมคณะกรรมการมีประสิทธิภาพ", "Board meetings are effective"),
        ("คณะกรรมการกำกับดูแลการบริหารความเสี่ยงและการควบคุมภายใน", "The board oversees risk management and internal control"),
        ("คณะกรรมการมีความสัมพันธ์ที่ดีกับฝ่ายบริหาร", "The board works well with management"),
    ],
}


@dataclass
class QuestionInput:
    text_th: str
    text_en: str
    scale_max: int = 5


@dataclass
class AnswerInput:
    question_id: int
    rating: int
    comment: str | None = None


@dataclass
class QuestionSummary:
    question: AssessmentQuestion
    responses: int
    average: Decimal | None
    comments: list[str] = field(default_factory=list)


@dataclass
class Progress:
    """Who must submit (in office on the closing date, or ``as_of`` until it is set) and who has."""

    assessment: SelfAssessment | None
    roster: list[Director]
    submitted: dict[int, date]
    whole_board_on: date | None
    #: the day the roster is taken on: the closing date, or until it is set, ``as_of`` (at
    #: the latest the year's last day), the same day indicator 18 uses
    roster_day: date | None = None

    @property
    def outstanding(self) -> list[Director]:
        return [d for d in self.roster if d.id not in self.submitted]


def closes_on(assessment: SelfAssessment) -> date:
    """The last day the forms take answers: the closing date, or the year's last day while
    none is set.  One rule for both forms; the secretariat may move the date within the year."""
    return assessment.closing_on or fiscal.fiscal_year(assessment.fiscal_year).end


def is_closed(assessment: SelfAssessment, today: date) -> bool:
    """No more answers, and directors may read the anonymous results."""
    return today > closes_on(assessment)


def is_final(assessment: SelfAssessment, today: date) -> bool:
    """Its fiscal year has ended: no closing date can be moved to take more answers."""
    return today > fiscal.fiscal_year(assessment.fiscal_year).end


def get_assessment(fiscal_year: int, *, for_update: bool = False) -> SelfAssessment | None:
    """``for_update``: lock the year's assessment first and read it afresh (its questions or a response replaced)."""
    fiscal.fiscal_year(fiscal_year)
    if for_update:
        locks.lock_name("self_assessment", fiscal_year)
    return db.session.scalar(
        sa.select(SelfAssessment).where(SelfAssessment.fiscal_year == fiscal_year)
        .options(selectinload(SelfAssessment.questions))
        .execution_options(**(locks.FRESH if for_update else {})))


def require_assessment(fiscal_year: int, *, for_update: bool = False) -> SelfAssessment:
    assessment = get_assessment(fiscal_year, for_update=for_update)
    if assessment is None:
        raise NotFound(_l("The self-assessment for fiscal year %(fy)s has not been opened.", fy=fiscal_year))
    return assessment


def open_assessment(fiscal_year: int, closing_on: date | None) -> SelfAssessment:
    """Start the year's self-assessment with the standard questions (editable until answered)."""
    if get_assessment(fiscal_year) is not None:
        raise Conflict(_l("The self-assessment for fiscal year %(fy)s is already open.", fy=fiscal_year))
    _check_closing(fiscal_year, closing_on)
    assessment = SelfAssessment(fiscal_year=fiscal_year, closing_on=closing_on)
    for form, questions in DEFAULT_QUESTIONS.items():
        for position, (text_th, text_en) in enumerate(questions, 1):
            assessment.questions.append(AssessmentQuestion(form=form, position=position, text_th=text_th,
                                                            text_en=text_en, scale_max=5))
    db.session.add(assessment)
    db.session.flush()
    return assessment


def update_assessment(fiscal_year: int, *, closing_on: date | None, guidelines: str | None,
                      guidelines_recorded_on: date | None) -> SelfAssessment:
    assessment = require_assessment(fiscal_year)
    _check_closing(fiscal_year, closing_on)
    guidelines = (guidelines or "").strip() or None
    errors = plausible_dates(guidelines_recorded_on=guidelines_recorded_on)
    if guidelines and guidelines_recorded_on is None:
        errors["guidelines_recorded_on"] = _l("Enter the day the board set these guidelines.")
    if guidelines_recorded_on and not guidelines:
        errors["guidelines"] = _l("Enter the guidelines the board set.")
    if errors:
        raise ValidationFailed(errors)
    assessment.closing_on = closing_on
    assessment.guidelines = guidelines
    assessment.guidelines_recorded_on = guidelines_recorded_on
    db.session.flush()
    return assessment


def _check_closing(fiscal_year: int, closing_on: date | None) -> None:
    if closing_on is not None and not fiscal.fiscal_year(fiscal_year).contains(closing_on):
        raise ValidationFailed({"closing_on": _l("The closing date must fall in fiscal year %(fy)s.", fy=fiscal_year)})


def replace_questions(fiscal_year: int, form: AssessmentForm, questions: list[QuestionInput]) -> SelfAssessment:
    """Edit a form's questions; refused once anyone has answered that form."""
    assessment = require_assessment(fiscal_year, for_update=True)
    if any(r.form == form for r in assessment.responses):
        raise Conflict(_l("This form has answers already; its questions can no longer change."))
    errors: dict[str, str] = {}
    if not questions:
        errors["questions"] = _l("A form needs at least one question.")
    for index, question in enumerate(questions):
        if not question.text_th.strip() or not question.text_en.strip():
            errors[f"questions[{index}].text_th"] = _l("Enter the question in Thai and in English.")
        errors.update(single_line(**{f"questions[{index}].text_th": question.text_th,
                                     f"questions[{index}].text_en": question.text_en}))
        if not 2 <= question.scale_max <= 10:
            errors[f"questions[{index}].scale_max"] = _l("A rating scale runs from 1 to between 2 and 10.")
    if errors:
        raise ValidationFailed(errors)
    for old in [q for q in assessment.questions if q.form == form]:
        assessment.questions.remove(old)
    db.session.flush()
    for position, question in enumerate(questions, 1):
        assessment.questions.append(AssessmentQuestion(form=form, position=position, text_th=question.text_th.strip(),
                                                        text_en=question.text_en.strip(), scale_max=question.scale_max))
    db.session.flush()
    return assessment


def questions_of(assessment: SelfAssessment, form: AssessmentForm) -> list[AssessmentQuestion]:
    return [q for q in assessment.questions if q.form == form]


def submit(fiscal_year: int, form: AssessmentForm, answers: list[AnswerInput], *, submitted_on: date,
           director_id: int | None = None, comments: str | None = None) -> AssessmentResponse:
    """Record a filled-in form; it may be submitted again, replacing the answers, until the
    closing date (``closes_on``)."""
    assessment = require_assessment(fiscal_year, for_update=True)
    _check_submitter(assessment, form, director_id, submitted_on)
    questions = {q.id: q for q in questions_of(assessment, form)}
    _check_answers(questions, answers)
    response = _existing_response(assessment, form, director_id)
    if response is None:
        response = AssessmentResponse(assessment=assessment, form=form, director_id=director_id,
                                      submitted_on=submitted_on)
        db.session.add(response)
    response.submitted_on = submitted_on
    response.comments = (comments or "").strip() or None
    response.answers.clear()
    db.session.flush()
    for answer in answers:
        response.answers.append(AssessmentAnswer(question_id=answer.question_id, rating=answer.rating,
                                                 comment=(answer.comment or "").strip() or None))
    db.session.flush()
    return response


def _check_submitter(assessment, form, director_id, submitted_on) -> None:
    year = fiscal.fiscal_year(assessment.fiscal_year)
    if form == AssessmentForm.INDIVIDUAL:
        director = db.session.get(Director, director_id) if director_id else None
        if director is None:
            raise ValidationFailed({"director_id": _l("Only a director fills in an individual assessment.")})
        if not director.in_office_on(min(submitted_on, year.end)):
            raise ValidationFailed({"director_id": _l("%(name)s is not in office.", name=director.name)})
    elif director_id is not None:
        raise ValidationFailed({"director_id": _l("The whole-board form belongs to the board, not one director.")})
    if is_final(assessment, submitted_on):
        raise ValidationFailed({"submitted_on": _l("Fiscal year %(fy)s has ended; its self-assessment is closed "
                                                   "and takes no more answers.", fy=assessment.fiscal_year)})
    if is_closed(assessment, submitted_on):
        raise ValidationFailed({"submitted_on": _l("The self-assessment of fiscal year %(fy)s has closed: it took "
                                                   "answers until its closing date. The board secretariat may "
                                                   "move the closing date to take more.", fy=assessment.fiscal_year)})


def _check_answers(questions: dict[int, AssessmentQuestion], answers: list[AnswerInput]) -> None:
    errors: dict[str, str] = {}
    given = [a.question_id for a in answers]
    for index, answer in enumerate(answers):
        question = questions.get(answer.question_id)
        if question is None:
            errors[f"answers[{index}].question_id"] = _l("Not a question of this form.")
        elif not 1 <= answer.rating <= question.scale_max:
            errors[f"answers[{index}].rating"] = _l("Choose a rating from 1 to %(max)s.", max=question.scale_max)
        elif given.count(answer.question_id) > 1:
            errors[f"answers[{index}].question_id"] = _l("This question is answered twice.")
    missing = [q for q in questions.values() if q.id not in given]
    if missing:
        errors["answers"] = _l("Answer every question (%(count)s left).", count=len(missing))
    if errors:
        raise ValidationFailed(errors)


def _existing_response(assessment, form, director_id) -> AssessmentResponse | None:
    return next((r for r in assessment.responses if r.form == form and r.director_id == director_id), None)


def own_response(fiscal_year: int, director_id: int) -> AssessmentResponse | None:
    assessment = get_assessment(fiscal_year)
    return _existing_response(assessment, AssessmentForm.INDIVIDUAL, director_id) if assessment else None


def whole_board_response(fiscal_year: int) -> AssessmentResponse | None:
    assessment = get_assessment(fiscal_year)
    return _existing_response(assessment, AssessmentForm.WHOLE_BOARD, None) if assessment else None


def progress(fiscal_year: int, as_of: date) -> Progress:
    assessment = get_assessment(fiscal_year)
    year = fiscal.fiscal_year(fiscal_year)
    roster_day = assessment.closing_on if assessment and assessment.closing_on else min(as_of, year.end)
    roster = list(db.session.scalars(
        sa.select(Director).where(
            Director.counts_for_attendance.is_(True), Director.term_start <= roster_day,
            sa.or_(Director.term_end.is_(None), Director.term_end >= roster_day))
        .order_by(Director.name)))
    responses = assessment.responses if assessment else []
    return Progress(
        assessment=assessment,
        roster=roster,
        submitted={r.director_id: r.submitted_on for r in responses if r.form == AssessmentForm.INDIVIDUAL},
        whole_board_on=next((r.submitted_on for r in responses if r.form == AssessmentForm.WHOLE_BOARD), None),
        roster_day=roster_day,
    )


def summary(fiscal_year: int, form: AssessmentForm) -> list[QuestionSummary]:
    """Average rating per question and the comments, never who gave them."""
    assessment = require_assessment(fiscal_year)
    rows = db.session.execute(
        sa.select(AssessmentAnswer.question_id, AssessmentAnswer.rating, AssessmentAnswer.comment)
        .join(AssessmentResponse, AssessmentAnswer.response_id == AssessmentResponse.id)
        .where(AssessmentResponse.assessment_id == assessment.id, AssessmentResponse.form == form)
        .order_by(AssessmentAnswer.comment)).all()  # sorted, so the order says nothing about who wrote it
    out = []
    for question in questions_of(assessment, form):
        ratings = [r.rating for r in rows if r.question_id == question.id]
        average = (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.01")) if ratings else None
        comments = [r.comment for r in rows if r.question_id == question.id and r.comment]
        out.append(QuestionSummary(question=question, responses=len(ratings), average=average, comments=comments))
    return out

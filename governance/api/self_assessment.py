"""/api/v1/fiscal-years/{fy}/self-assessment: the board's self-assessment (indicator 18).

Who may do what:
- the secretary and the admin open the year's assessment, set its closing date and the
  board's guidelines, replace a form's questions while no one has answered that form,
  and fill in the whole-board form;
- a director (a ``director`` account linked to a Director) submits, and may resubmit
  until the fiscal year ends, their own individual form, and reads only their own
  answers; of the progress they see only counts, never who submitted; they read the
  anonymous summary once the assessment is closed (its closing date has passed, or the
  fiscal year has ended);
- an auditor reads everything that is not one director's answers, and writes nothing.
"""

from __future__ import annotations

from datetime import date

from flask import abort, request, url_for
from pydantic import TypeAdapter

from governance import clock, fiscal
from governance.api.auth import READERS, WRITERS, current_api_user, token_required
from governance.api.blueprint import bp
from governance.api.parsing import parse_body
from governance.api.schemas import (
    AssessmentResponse,
    AssessmentResponseRequest,
    AssessmentSummary,
    OpenSelfAssessmentRequest,
    QuestionRequest,
    SelfAssessment,
    SelfAssessmentRequest,
    check_fiscal_year,
    commit,
    questions_of,
    respond,
)
from governance.models import AssessmentForm, Role
from governance.models import SelfAssessment as SelfAssessmentRecord
from governance.services import self_assessment as assessments
from governance.services.errors import NotFound, ValidationFailed

QUESTIONS_BODY = TypeAdapter(list[QuestionRequest])
FORMS = tuple(form.value for form in AssessmentForm)
NOT_LINKED = ("This account is not linked to a director, so it has no assessment of its own; "
              "ask the secretary or an admin to link it.")
NOT_CLOSED = ("Directors read the results once the assessment is closed: after its closing date, "
              "or once the fiscal year has ended.")


@bp.get("/fiscal-years/<int:fiscal_year>/self-assessment")
@token_required(*READERS)
def get_self_assessment(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    return respond(_document(assessments.require_assessment(fiscal_year)))


@bp.post("/fiscal-years/<int:fiscal_year>/self-assessment")
@token_required(*WRITERS)
def open_self_assessment(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    body = parse_body(OpenSelfAssessmentRequest)
    assessment = assessments.open_assessment(fiscal_year, body.closing_on)
    commit()
    return respond(_document(assessment), 201,
                   {"Location": url_for("api.get_self_assessment", fiscal_year=fiscal_year)})


@bp.put("/fiscal-years/<int:fiscal_year>/self-assessment")
@token_required(*WRITERS)
def update_self_assessment(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    body = parse_body(SelfAssessmentRequest)
    assessment = assessments.update_assessment(
        fiscal_year, closing_on=body.closing_on, guidelines=body.guidelines,
        guidelines_recorded_on=body.guidelines_recorded_on)
    commit()
    return respond(_document(assessment))


# ---------------------------------------------------------------------------- questions


@bp.get("/fiscal-years/<int:fiscal_year>/self-assessment/questions/<form>")
@token_required(*READERS)
def get_assessment_questions(fiscal_year: int, form: str):
    check_fiscal_year(fiscal_year)
    kind = _form(form)
    return respond(questions_of(assessments.require_assessment(fiscal_year), kind))


@bp.put("/fiscal-years/<int:fiscal_year>/self-assessment/questions/<form>")
@token_required(*WRITERS)
def replace_assessment_questions(fiscal_year: int, form: str):
    check_fiscal_year(fiscal_year)
    kind = _form(form)
    rows = parse_body(QUESTIONS_BODY)
    try:
        assessment = assessments.replace_questions(fiscal_year, kind, [row.to_input() for row in rows])
    except ValidationFailed as error:
        # The service names `questions[0].text_th`; the body is the list itself: `[0].text_th`.
        raise ValidationFailed({_list_field(name): message for name, message in error.fields.items()}) from None
    answer = questions_of(assessment, kind)  # before the commit, as api/budget.py says why
    commit()
    return respond(answer)


# ---------------------------------------------------------------------------- responses


@bp.get("/fiscal-years/<int:fiscal_year>/self-assessment/responses/mine")
@token_required(Role.DIRECTOR)
def get_own_assessment_response(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    assessments.require_assessment(fiscal_year)
    response = assessments.own_response(fiscal_year, _own_director_id())
    if response is None:
        raise NotFound(f"You have not submitted your self-assessment for fiscal year {fiscal_year}.")
    return respond(AssessmentResponse.of(response))


@bp.put("/fiscal-years/<int:fiscal_year>/self-assessment/responses/mine")
@token_required(Role.DIRECTOR)
def submit_own_assessment_response(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    assessments.require_assessment(fiscal_year)
    director_id = _own_director_id()
    body = parse_body(AssessmentResponseRequest)
    response = assessments.submit(fiscal_year, AssessmentForm.INDIVIDUAL, body.to_inputs(),
                                  submitted_on=clock.today(), director_id=director_id, comments=body.comments)
    commit()
    return respond(AssessmentResponse.of(response))


@bp.get("/fiscal-years/<int:fiscal_year>/self-assessment/responses/whole-board")
@token_required(*READERS)
def get_whole_board_response(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    _check_may_read_results(assessments.require_assessment(fiscal_year))
    response = assessments.whole_board_response(fiscal_year)
    if response is None:
        raise NotFound(f"The whole-board assessment for fiscal year {fiscal_year} has not been filled in.")
    return respond(AssessmentResponse.of(response))


@bp.put("/fiscal-years/<int:fiscal_year>/self-assessment/responses/whole-board")
@token_required(*WRITERS)
def submit_whole_board_response(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    body = parse_body(AssessmentResponseRequest)
    response = assessments.submit(fiscal_year, AssessmentForm.WHOLE_BOARD, body.to_inputs(),
                                  submitted_on=clock.today(), comments=body.comments)
    commit()
    return respond(AssessmentResponse.of(response))


# ---------------------------------------------------------------------------- results


@bp.get("/fiscal-years/<int:fiscal_year>/self-assessment/summary")
@token_required(*READERS)
def get_assessment_summary(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    raw = request.args.get("form")
    if raw is None:
        raise ValidationFailed({"form": f"Choose the form: {' or '.join(FORMS)}."})
    kind = _form(raw)
    _check_may_read_results(assessments.require_assessment(fiscal_year))
    return respond(AssessmentSummary.of(fiscal_year, kind, assessments.summary(fiscal_year, kind)))


# ---------------------------------------------------------------------------- helpers


def _document(assessment: SelfAssessmentRecord) -> SelfAssessment:
    today = clock.today()
    return SelfAssessment.of(
        assessment, assessments.progress(assessment.fiscal_year, today), closed=_closed(assessment, today),
        with_names=current_api_user().role != Role.DIRECTOR)  # a director sees counts, never who submitted


def _closed(assessment: SelfAssessmentRecord, today: date) -> bool:
    """Closed once the closing date has passed, or once the fiscal year has ended."""
    return ((assessment.closing_on is not None and assessment.closing_on < today)
            or today > fiscal.fiscal_year(assessment.fiscal_year).end)


def _check_may_read_results(assessment: SelfAssessmentRecord) -> None:
    if current_api_user().role == Role.DIRECTOR and not _closed(assessment, clock.today()):
        abort(403, description=NOT_CLOSED)


def _own_director_id() -> int:
    director_id = current_api_user().director_id
    if director_id is None:
        abort(403, description=NOT_LINKED)
    return director_id


def _form(raw: str) -> AssessmentForm:
    if raw not in FORMS:
        raise ValidationFailed({"form": f"Choose the form: {' or '.join(FORMS)}, not {raw!r}."})
    return AssessmentForm(raw)


def _list_field(name: str) -> str:
    if name == "questions":
        return "body"
    return name.removeprefix("questions") if name.startswith("questions[") else name

"""The board's self-assessment (indicator 18): the year's settings, the forms, progress, results.

Who sees what:
- secretary and admin open the year's assessment, set its closing date and the board's
  guidelines, edit each form's questions while no one has answered it, fill in the
  whole-board form (the board's collective answers), and see progress and results;
- a director (a ``director`` user linked to a Director) fills in and may resubmit their
  own individual form, and sees only their own answers, never the list of who submitted;
  once the assessment is *closed* (its closing date has passed, or the fiscal year has
  ended) they may also read the anonymous results;
- an auditor reads progress and results, and sees no form.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from governance import clock, fiscal
from governance.extensions import db
from governance.indicators.result import IndicatorResult
from governance.models import AssessmentForm, Role, SelfAssessment
from governance.services import fiscal_years
from governance.services import self_assessment as assessments
from governance.services.errors import ServiceError
from governance.web import assessment_labels as words
from governance.web import filters
from governance.web.access import READERS, WRITERS, roles_required
from governance.web.assessment_forms import AssessmentSettingsForm, OpenAssessmentForm, QuestionsForm, ResponseForm
from governance.web.forms import fiscal_year_choices, show_service_errors

bp = Blueprint("self_assessment", __name__)

#: blank rows under a form's questions, to add new ones
NEW_QUESTION_ROWS = 2


@bp.context_processor
def _words():
    return {"words": words}


@bp.get("/self-assessment")
@roles_required(*READERS)
def current():
    return redirect(url_for(".show", fy=fiscal.fiscal_year_of(clock.today())))


@bp.get("/self-assessment/<int:fy>")
@roles_required(*READERS)
def show(fy: int):
    _year_or_404(fy)
    return _page(fy)


# --- the secretary: the year's settings --------------------------------------------------

@bp.post("/self-assessment/<int:fy>/open")
@roles_required(*WRITERS)
def open_year(fy: int):
    _year_or_404(fy)
    form = OpenAssessmentForm()
    if form.validate():
        try:
            assessments.open_assessment(fy, form.closing_on.data)
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("The self-assessment for fiscal year %(fy)s is open.", fy=fy), "success")
            return redirect(url_for(".show", fy=fy))
    return _page(fy, open_form=form), 422


@bp.post("/self-assessment/<int:fy>/settings")
@roles_required(*WRITERS)
def settings(fy: int):
    _assessment_or_404(fy)
    form = AssessmentSettingsForm()
    if form.validate():
        try:
            assessments.update_assessment(fy, closing_on=form.closing_on.data, guidelines=form.guidelines.data,
                                          guidelines_recorded_on=form.guidelines_recorded_on.data)
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("The self-assessment settings were saved."), "success")
            return redirect(url_for(".show", fy=fy))
    return _page(fy, settings_form=form), 422


@bp.route("/self-assessment/<int:fy>/questions/<any(individual, whole_board):form_code>", methods=["GET", "POST"])
@roles_required(*WRITERS)
def questions(fy: int, form_code: str):
    assessment = _assessment_or_404(fy)
    form_kind = AssessmentForm(form_code)
    answered = _answered(assessment, form_kind)
    if answered:
        form = QuestionsForm(formdata=None, data=_question_rows(assessment, form_kind, blank_rows=0))
    else:
        form = QuestionsForm(data=_question_rows(assessment, form_kind, blank_rows=NEW_QUESTION_ROWS))
    if form.is_submitted():
        if form.validate():
            inputs, origin = form.to_inputs()
            try:
                assessments.replace_questions(fy, form_kind, inputs)
            except ServiceError as error:
                db.session.rollback()
                show_service_errors(form, error, locate=form.locate(origin))
            else:
                db.session.commit()
                flash(_("The questions were saved."), "success")
                return redirect(url_for(".show", fy=fy, _anchor="questions"))
        return _questions_page(fy, form_kind, form, answered), 422
    return _questions_page(fy, form_kind, form, answered)


def _question_rows(assessment: SelfAssessment, form_kind: AssessmentForm, blank_rows: int) -> dict:
    rows = [{"text_th": q.text_th, "text_en": q.text_en, "scale_max": q.scale_max}
            for q in assessments.questions_of(assessment, form_kind)]
    return {"questions": rows + [{"scale_max": 5} for _ in range(blank_rows)]}


def _questions_page(fy: int, form_kind: AssessmentForm, form: QuestionsForm, answered: bool) -> str:
    return render_template("self_assessment/questions.html", fy=fy, form_kind=form_kind, form=form,
                           answered=answered)


# --- the secretary: the whole-board form -------------------------------------------------

@bp.route("/self-assessment/<int:fy>/whole-board", methods=["GET", "POST"])
@roles_required(*WRITERS)
def whole_board(fy: int):
    assessment = _assessment_or_404(fy)
    questions = assessments.questions_of(assessment, AssessmentForm.WHOLE_BOARD)
    response = assessments.whole_board_response(fy)
    page = {"fy": fy, "response": response, "closes_on": assessments.closes_on(assessment),
            "closed": assessments.is_closed(assessment, clock.today())}
    if request.method != "POST":
        form = ResponseForm.for_questions(questions, formdata=None, data=ResponseForm.data_of(response))
        return render_template("self_assessment/whole_board.html", form=form, **page)
    form = ResponseForm.for_questions(questions)
    if form.validate():
        try:
            assessments.submit(fy, AssessmentForm.WHOLE_BOARD, form.to_answers(), submitted_on=clock.today(),
                               comments=form.comments.data)
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error, locate=form.locate)
        else:
            db.session.commit()
            flash(_("The whole-board assessment was saved."), "success")
            return redirect(url_for(".show", fy=fy))
    return render_template("self_assessment/whole_board.html", form=form, **page), 422


# --- a director: their own form ----------------------------------------------------------

@bp.post("/self-assessment/<int:fy>/mine")
@roles_required(Role.DIRECTOR)
def submit_own(fy: int):
    assessment = _assessment_or_404(fy)
    if current_user.director_id is None:
        abort(403)
    form = ResponseForm.for_questions(assessments.questions_of(assessment, AssessmentForm.INDIVIDUAL))
    if form.validate():
        try:
            assessments.submit(fy, AssessmentForm.INDIVIDUAL, form.to_answers(), submitted_on=clock.today(),
                               director_id=current_user.director_id, comments=form.comments.data)
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error, locate=form.locate)
        else:
            db.session.commit()
            flash(_("Your self-assessment was submitted. You may change it and submit again until "
                    "%(day)s.", day=filters.thai_date(assessments.closes_on(assessment), long=True)), "success")
            return redirect(url_for(".show", fy=fy))
    return _page(fy, own_form=form), 422


# --- results, for disclosure at a meeting ------------------------------------------------

@bp.get("/self-assessment/<int:fy>/results")
@roles_required(*READERS)
def results(fy: int):
    assessment = _assessment_or_404(fy)
    today = clock.today()
    if current_user.role == Role.DIRECTOR and not assessments.is_closed(assessment, today):
        abort(403)
    progress = assessments.progress(fy, today)
    return render_template(
        "self_assessment/results.html", fy=fy, assessment=assessment,
        summaries={kind: assessments.summary(fy, kind) for kind in AssessmentForm},
        whole_board=assessments.whole_board_response(fy),
        submitted=len([d for d in progress.roster if d.id in progress.submitted]), roster=len(progress.roster),
        indicator=indicator_result(fy, "self_assessment", today))


# --- the page ------------------------------------------------------------------------------

def _page(fy: int, *, open_form: OpenAssessmentForm | None = None,
          settings_form: AssessmentSettingsForm | None = None, own_form: ResponseForm | None = None) -> str:
    today = clock.today()
    assessment = assessments.get_assessment(fy)
    context = {"fy": fy, "assessment": assessment, "today": today,
               "years": fiscal_year_choices(fiscal.fiscal_year_of(today), fy),
               "closed": assessment is not None and assessments.is_closed(assessment, today),
               "closes_on": assessments.closes_on(assessment) if assessment is not None else None,
               "final": assessment is not None and assessments.is_final(assessment, today),
               "as_director": current_user.role == Role.DIRECTOR}
    if context["as_director"]:
        return render_template("self_assessment/show.html", **context, **_director_context(fy, assessment, own_form))
    progress = assessments.progress(fy, today)
    context |= {"progress": progress, "indicator": indicator_result(fy, "self_assessment", today)}
    if current_user.can_write_board_records():
        context["open_form"] = open_form or OpenAssessmentForm(formdata=None)
        if assessment is not None:
            context["settings_form"] = settings_form or AssessmentSettingsForm(formdata=None, obj=assessment)
            context["answered"] = {kind: _answered(assessment, kind) for kind in AssessmentForm}
    return render_template("self_assessment/show.html", **context)


def _director_context(fy: int, assessment: SelfAssessment | None, own_form: ResponseForm | None) -> dict:
    """A director's part of the page: their own form and answers, nobody else's."""
    director_id = current_user.director_id
    if assessment is None or director_id is None:
        return {"linked": director_id is not None, "own_form": None, "own_response": None}
    response = assessments.own_response(fy, director_id)
    if own_form is None:
        own_form = ResponseForm.for_questions(assessments.questions_of(assessment, AssessmentForm.INDIVIDUAL),
                                              formdata=None, data=ResponseForm.data_of(response))
    return {"linked": True, "own_form": own_form, "own_response": response}


def _answered(assessment: SelfAssessment, form_kind: AssessmentForm) -> bool:
    return any(r.form == form_kind for r in assessment.responses)


def indicator_result(fy: int, kind: str, as_of) -> IndicatorResult | None:
    """The year's indicator of a rule kind (e.g. ``self_assessment``, ``checklist``), as of a day."""
    number = next((spec.number for spec in fiscal_years.get_parameters(fy).indicators if spec.kind == kind), None)
    if number is None:
        return None
    return next((r for r in fiscal_years.evaluate_fiscal_year(fy, as_of) if r.number == number), None)


def _year_or_404(fy: int) -> fiscal.FiscalYear:
    try:
        return fiscal.fiscal_year(fy)
    except ValueError:
        abort(404)


def _assessment_or_404(fy: int) -> SelfAssessment:
    _year_or_404(fy)
    assessment = assessments.get_assessment(fy)
    if assessment is None:
        abort(404)
    return assessment

"""The fiscal year's criteria (indicator parameters), readable by all and edited by role.

- everyone reads a summary: the warning window, the Cabinet's deadline, the attendance
  thresholds, each indicator's rule kind and numbers, the website checklist;
- the secretary and the admin set the Cabinet's deadline for the plans and the warning window;
- only the admin changes the attendance thresholds, the indicators' numbers and the
  website checklist's items.

Each form builds a partial document (whole top-level keys) and calls
``fiscal_years.update_parameters``; the engine's field paths (``attendance.meeting_threshold_percent``,
``indicators[7].items[2].freshness``) are put back on the form's fields.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from governance import clock, fiscal
from governance.extensions import db
from governance.indicators.parameters import TITLE_FIGURES
from governance.models import Role
from governance.services import fiscal_years
from governance.services.errors import ServiceError
from governance.web import assessment_labels as words
from governance.web.access import READERS, WRITERS, roles_required
from governance.web.assessment_forms import (
    AttendanceThresholdsForm,
    ChecklistItemsForm,
    DeadlinesForm,
    IndicatorNumbersForm,
    show_parameter_errors,
)
from governance.web.forms import fiscal_year_choices

bp = Blueprint("parameters", __name__)

ADMIN_ONLY = (Role.ADMIN,)


@bp.context_processor
def _words():
    return {"words": words}


@bp.get("/parameters")
@roles_required(*READERS)
def current():
    return redirect(url_for(".show", fy=fiscal.fiscal_year_of(clock.today())))


@bp.get("/fiscal-years/<int:fy>/parameters")
@roles_required(*READERS)
def show(fy: int):
    _year_or_404(fy)
    return _page(fy)


@bp.post("/fiscal-years/<int:fy>/parameters/deadlines")
@roles_required(*WRITERS)
def save_deadlines(fy: int):
    _year_or_404(fy)
    form = DeadlinesForm()
    return _save(fy, form, form.changes, _("The deadline and the warning window were saved."),
                 "deadlines", deadlines_form=form)


@bp.post("/fiscal-years/<int:fy>/parameters/attendance")
@roles_required(*ADMIN_ONLY)
def save_attendance(fy: int):
    _year_or_404(fy)
    form = AttendanceThresholdsForm()
    return _save(fy, form, lambda: form.changes(fiscal_years.parameters_document(fy)),
                 _("The attendance thresholds were saved."), "attendance", attendance_form=form)


@bp.post("/fiscal-years/<int:fy>/parameters/indicators")
@roles_required(*ADMIN_ONLY)
def save_indicators(fy: int):
    _year_or_404(fy)
    document = fiscal_years.parameters_document(fy)
    form = IndicatorNumbersForm.for_document(document)
    return _save(fy, form, lambda: form.changes(document), _("The indicators' numbers were saved."),
                 "indicators", indicators_form=form)


def _save(fy: int, form, changes, saved: str, anchor: str, **page_forms):
    """Validate a criteria form, store its partial document, and put any refused field
    path back beside the form's field (the three criteria forms differ only in these)."""
    if form.validate():
        try:
            fiscal_years.update_parameters(fy, changes(), expected_version=form.version.data,
                                           by=current_user.role)
        except ServiceError as error:
            db.session.rollback()
            show_parameter_errors(form, error, locate=form.locate)
        else:
            db.session.commit()
            flash(saved, "success")
            return redirect(url_for(".show", fy=fy, _anchor=anchor))
    return _page(fy, **page_forms), 422


@bp.route("/fiscal-years/<int:fy>/parameters/website-items", methods=["GET", "POST"])
@roles_required(*ADMIN_ONLY)
def website_items(fy: int):
    _year_or_404(fy)
    document = fiscal_years.parameters_document(fy)
    index = _checklist_index(document)
    if index is None:
        abort(404)
    form = ChecklistItemsForm(data={**ChecklistItemsForm.data_of(document["indicators"][index]["items"]),
                                    "version": fiscal_years.parameters_version(fy)})
    if not form.is_submitted():
        return _items_page(fy, form)
    if form.validate():
        items, origin = form.to_items()
        indicators = [dict(indicator) for indicator in document["indicators"]]
        indicators[index]["items"] = items
        try:
            fiscal_years.update_parameters(fy, {"indicators": indicators}, expected_version=form.version.data,
                                           by=current_user.role)
        except ServiceError as error:
            db.session.rollback()
            show_parameter_errors(form, error, locate=form.locate(origin))
        else:
            db.session.commit()
            flash(_("The website checklist was saved."), "success")
            return redirect(url_for(".show", fy=fy, _anchor="website-items"))
    return _items_page(fy, form), 422


def _items_page(fy: int, form: ChecklistItemsForm) -> str:
    return render_template("parameters/website_items.html", fy=fy, form=form)


def _checklist_index(document: dict) -> int | None:
    return next((i for i, indicator in enumerate(document["indicators"]) if indicator.get("kind") == "checklist"),
                None)


def _page(fy: int, *, deadlines_form: DeadlinesForm | None = None,
          attendance_form: AttendanceThresholdsForm | None = None,
          indicators_form: IndicatorNumbersForm | None = None) -> str:
    document = fiscal_years.parameters_document(fy)
    parameters = fiscal_years.get_parameters(fy)
    context = {"fy": fy, "parameters": parameters,
               "years": fiscal_year_choices(fiscal.fiscal_year_of(clock.today()), fy),
               "is_admin": current_user.role == Role.ADMIN,
               "checklist": next((spec for spec in parameters.indicators if spec.kind == "checklist"), None),
               "title_figures": Markup(", ").join(Markup('<code lang="en" translate="no">{%s}</code>') % name
                                                  for name in TITLE_FIGURES)}
    version = fiscal_years.parameters_version(fy)
    if current_user.can_write_board_records():
        context["deadlines_form"] = deadlines_form or DeadlinesForm(formdata=None, data={
            "cabinet_plan_deadline": parameters.cabinet_plan_deadline, "warning_days": parameters.warning_days,
            "version": version})
    if context["is_admin"]:
        context["attendance_form"] = attendance_form or AttendanceThresholdsForm(
            formdata=None, data={**document["attendance"], "version": version})
        context["indicators_form"] = indicators_form or IndicatorNumbersForm.for_document(
            document, formdata=None, data={**IndicatorNumbersForm.data_of(document), "version": version})
    return render_template("parameters/show.html", **context)


def _year_or_404(fy: int) -> fiscal.FiscalYear:
    try:
        return fiscal.fiscal_year(fy)
    except ValueError:
        abort(404)

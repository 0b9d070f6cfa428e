"""Performance reports sent to the supervising minister."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from governance import clock, fiscal
from governance.extensions import db
from governance.models import DocumentKind
from governance.services import documents, reports
from governance.services.errors import ServiceError
from governance.web.access import READERS, WRITERS, roles_required
from governance.web.forms import (
    ReportForm,
    fiscal_year_choices,
    selected_fiscal_year,
    show_service_errors,
)
from governance.web.meeting_forms import DocumentForm

bp = Blueprint("reports", __name__)


@bp.get("/reports")
@roles_required(*READERS)
def index():
    fy, current = selected_fiscal_year(request.args, clock.today())
    return _index(fy, current, ReportForm())


@bp.post("/reports")
@roles_required(*WRITERS)
def create():
    form = ReportForm()
    if form.validate():
        try:
            report = reports.create_report(form.to_input())
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("The report was recorded."), "success")
            return redirect(url_for(".index", fy=fiscal.fiscal_year_of(report.sent_on)))
    fy, current = selected_fiscal_year(request.args, clock.today())
    return _index(fy, current, form), 422


@bp.route("/reports/<int:report_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit(report_id: int):
    report = reports.get_report(report_id)
    form = ReportForm(obj=report)
    if form.is_submitted():
        if form.validate():
            try:
                report = reports.update_report(report_id, form.to_input(), expected_version=form.version.data)
            except ServiceError as error:
                db.session.rollback()
                show_service_errors(form, error)
            else:
                db.session.commit()
                flash(_("The report was saved."), "success")
                return redirect(url_for(".index", fy=fiscal.fiscal_year_of(report.sent_on)))
        return _edit_page(report, form), 422
    return _edit_page(report, form)


def _edit_page(report, form: ReportForm) -> str:
    return render_template("reports/edit.html", report=report, form=form,
                           files=documents.report_documents([report.id])[report.id],
                           document_form=DocumentForm(formdata=None, kinds=(DocumentKind.EVIDENCE,)))


@bp.post("/reports/<int:report_id>/delete")
@roles_required(*WRITERS)
def delete(report_id: int):
    fy = fiscal.fiscal_year_of(reports.get_report(report_id).sent_on)
    reports.delete_report(report_id)
    db.session.commit()
    flash(_("The report was deleted."), "success")
    return redirect(url_for(".index", fy=fy))


def _index(fy: int, current: int, form: ReportForm) -> str:
    listed = reports.list_reports(fy)
    return render_template("reports/index.html", fy=fy, years=fiscal_year_choices(current, fy),
                           reports=listed, form=form, files=documents.report_documents([r.id for r in listed]))

"""Uploading documents to meetings, agenda items, reports and KPI updates; downloading them by role."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Forbidden as HTTPForbidden

from governance.extensions import csrf, db
from governance.models import Confidentiality, Document, DocumentKind
from governance.services import confidentiality, documents, meetings, reports
from governance.services.documents import Upload
from governance.services.errors import Forbidden, ServiceError
from governance.web.access import READERS, WRITERS, roles_required, security_log
from governance.web.forms import show_service_errors
from governance.web.meeting_forms import DocumentForm
from governance.web.meetings import agenda_item_page, meeting_page
from governance.web.uploads import allow_upload

bp = Blueprint("documents", __name__)


def _allow_large_upload() -> None:
    allow_upload(current_app.config["DOCUMENT_MAX_BYTES"])


@bp.post("/meetings/<int:meeting_id>/documents")
@csrf.exempt  # checked by allow_upload, after the limit is raised
@roles_required(*WRITERS)
def upload_to_meeting(meeting_id: int):
    _allow_large_upload()
    meeting = meetings.get_meeting(meeting_id)
    form = DocumentForm()
    if form.validate():
        try:
            document = documents.attach_to_meeting(meeting_id, form.to_upload(), form.document_kind(),
                                                   current_user, confidentiality=form.access_level())
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s was uploaded.", name=document.filename), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor="documents"))
    return meeting_page(meeting, document_form=form), 422


@bp.post("/meetings/<int:meeting_id>/agenda-items/<int:item_id>/papers")
@csrf.exempt  # checked by allow_upload, after the limit is raised
@roles_required(*WRITERS)
def upload_paper(meeting_id: int, item_id: int):
    _allow_large_upload()
    meeting = meetings.get_meeting(meeting_id)
    item = meetings.get_agenda_item(meeting_id, item_id)
    form = DocumentForm(kinds=(DocumentKind.PAPER,))
    if form.validate():
        try:
            document = documents.attach_to_meeting(meeting_id, form.to_upload(), DocumentKind.PAPER,
                                                   current_user, agenda_item_id=item_id,
                                                   confidentiality=form.access_level())
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s was uploaded.", name=document.filename), "success")
            return redirect(url_for("meetings.edit_agenda_item", meeting_id=meeting_id, item_id=item_id,
                                    _anchor="papers"))
    return agenda_item_page(meeting, item, paper_form=form), 422


@bp.post("/reports/<int:report_id>/documents")
@csrf.exempt  # checked by allow_upload, after the limit is raised
@roles_required(*WRITERS)
def upload_to_report(report_id: int):
    _allow_large_upload()
    reports.get_report(report_id)
    _upload_evidence(lambda upload: documents.attach_to_report(report_id, upload, current_user))
    return redirect(url_for("reports.edit", report_id=report_id, _anchor="documents"))


@bp.post("/kpis/progress/<int:progress_id>/documents")
@csrf.exempt  # checked by allow_upload, after the limit is raised
@roles_required(*WRITERS)
def upload_to_kpi_progress(progress_id: int):
    _allow_large_upload()
    documents.get_kpi_progress(progress_id)
    _upload_evidence(lambda upload: documents.attach_to_kpi_progress(progress_id, upload, current_user))
    return redirect(_kpi_page(progress_id))


def _upload_evidence(attach: Callable[[Upload], Document]) -> Document | None:
    """An upload from a page that lists its record's files: the outcome is flashed (the page
    is re-read after the redirect), one transaction."""
    form = DocumentForm(kinds=(DocumentKind.EVIDENCE,))
    if not form.validate():
        flash(" ".join(str(e) for e in form.file.errors), "error")
        return None
    try:
        document = attach(form.to_upload())
    except ServiceError as error:
        db.session.rollback()
        flash(error.fields.get("file", error.message), "error")
        return None
    db.session.commit()
    flash(_("%(name)s was uploaded.", name=document.filename), "success")
    return document


@bp.get("/documents/<int:document_id>")
@roles_required(*READERS)
def download(document_id: int):
    try:
        # HEAD sends no file, so it opens nothing
        document = confidentiality.open_document(document_id, current_user, sends_file=request.method == "GET")
    except Forbidden as refused:
        security_log.warning("refused: user=%s confidential document %s", current_user.id, document_id)
        db.session.rollback()
        return render_template("error.html", error=HTTPForbidden(), message=refused.message), 403
    path = documents.file_of(document)
    db.session.commit()  # the opening of a confidential paper, on the audit trail, before the bytes leave
    # Always a download, never shown inline: an uploaded file must not run as our page.
    confidential = document.access_level is not Confidentiality.OPEN
    # A confidential paper is always sent whole (no 304, no Range part): each opening recorded
    # is the file received, and a partial or revalidated download is not an opening half-counted.
    response = send_file(path, mimetype=document.media_type, as_attachment=True,
                         download_name=document.filename, etag=False if confidential else document.sha256,
                         conditional=not confidential, max_age=0)
    # A confidential paper is not kept in the browser's cache, where the next user of the computer finds it.
    response.headers["Cache-Control"] = ("private, no-cache" if document.access_level is Confidentiality.OPEN
                                         else "private, no-store")
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.post("/documents/<int:document_id>/delete")
@roles_required(*WRITERS)
def remove(document_id: int):
    document = documents.remove_document(document_id)
    back = _owner_page(document)
    db.session.commit()
    flash(_("%(name)s was removed.", name=document.filename), "success")
    return redirect(back)


def _kpi_page(progress_id: int) -> str:
    kpi = documents.get_kpi_progress(progress_id).kpi
    return url_for("kpis.show", fy=kpi.fiscal_year, number=kpi.number, _anchor=f"update-{progress_id}")


def _owner_page(document: Document) -> str:
    if document.agenda_item_id is not None:
        return url_for("meetings.edit_agenda_item", meeting_id=document.meeting_id,
                       item_id=document.agenda_item_id, _anchor="papers")
    if document.meeting_id is not None:
        return url_for("meetings.show", meeting_id=document.meeting_id, _anchor="documents")
    if document.kpi_progress_id is not None:
        return _kpi_page(document.kpi_progress_id)
    return url_for("reports.edit", report_id=document.ministerial_report_id, _anchor="documents")


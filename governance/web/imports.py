"""Importing the secretary's spreadsheet: upload, preview every row, then import all or nothing.

The preview runs the whole import and rolls it back, so it shows exactly what confirming
would do (and every error); confirming runs it again on the same stored file and commits
only if no row has an error (services.imports).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from governance import clock
from governance.extensions import csrf, db
from governance.services import imports
from governance.services.errors import NotFound
from governance.services.imports import Outcome
from governance.web.access import WRITERS, roles_required
from governance.web.import_forms import ImportConfirmForm, ImportUploadForm
from governance.web.uploads import allow_upload

bp = Blueprint("imports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/import")
@roles_required(*WRITERS)
def index():
    return _upload_page(ImportUploadForm())


@bp.post("/import")
@csrf.exempt  # checked by allow_upload, after the limit is raised
@roles_required(*WRITERS)
def preview():
    allow_upload(imports.MAX_FILES * imports.MAX_FILE_BYTES)
    form = ImportUploadForm()
    if not form.validate():
        return _upload_page(form), 422
    uploads = form.uploads()
    report = imports.run_import(imports.read_uploads(uploads), today=clock.today())
    db.session.rollback()  # a preview never writes
    token = None
    if report.ok and report.changes_anything:
        token = imports.store_upload(uploads, current_user.id, clock.now())
    confirm = ImportConfirmForm(formdata=None, data={"token": token})
    return render_template("imports/preview.html", report=report, names=[u.filename for u in uploads],
                           confirm=confirm if token else None, form=ImportUploadForm(formdata=None),
                           Outcome=Outcome), 200 if report.ok else 422


@bp.post("/import/confirm")
@roles_required(*WRITERS)
def confirm():
    form = ImportConfirmForm()
    if not form.validate():
        abort(400)
    try:
        uploads = imports.claim_upload(form.token.data, current_user.id, clock.now())
    except NotFound as error:
        flash(str(error.message), "error")
        return redirect(url_for(".index"))
    report = imports.run_import(imports.read_uploads(uploads), today=clock.today())
    if not report.ok:
        # Something changed since the preview (someone else's edit): nothing is written.
        db.session.rollback()
        return render_template("imports/preview.html", report=report, names=[u.filename for u in uploads],
                               confirm=None, form=ImportUploadForm(formdata=None), Outcome=Outcome,
                               refused=True), 422
    db.session.commit()
    counts = {outcome: sum(s.count(outcome) for s in report.sheets) for outcome in Outcome}
    flash(_("The file was imported: %(new)d rows added, %(updated)d updated, %(unchanged)d already recorded.",
            new=counts[Outcome.NEW], updated=counts[Outcome.UPDATED], unchanged=counts[Outcome.UNCHANGED]),
          "success")
    return redirect(url_for(".index"))


@bp.get("/import/template.xlsx")
@roles_required(*WRITERS)
def template_xlsx():
    return _download(imports.template_xlsx(), XLSX, "import-template.xlsx")


@bp.get("/import/template-<kind>.csv")
@roles_required(*WRITERS)
def template_csv(kind: str):
    if kind not in imports.KINDS:
        abort(404)
    return _download(imports.template_csv(kind), "text/csv", f"import-{kind}.csv")


def _upload_page(form: ImportUploadForm) -> str:
    return render_template("imports/index.html", form=form, kinds=imports.KINDS, columns=imports.COLUMNS,
                           sheet_names=imports.SHEET_NAMES)


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})

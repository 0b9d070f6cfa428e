"""The organisation's KPIs 1-9: the scorecard as of a date, each KPI's page with its
progress form and history, the quarter-by-quarter history, the board-pack exports (XLSX,
PDF), and the scorecard frozen onto a mission-report agenda item.

Every page renders the service's scorecard *document* (``services.kpis.scorecard_document``),
the same shape a frozen snapshot keeps, so what the board saw renders exactly as it was.
"""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from werkzeug.exceptions import NotFound as HTTPNotFound

from governance import clock, fiscal
from governance.extensions import db
from governance.models import DocumentKind
from governance.services import documents, kpis
from governance.services.errors import NotFound, ServiceError
from governance.web.access import READERS, WRITERS, roles_required
from governance.web.dashboard import Period, selected_period
from governance.web.exports import text_cells_only, to_pdf
from governance.web.filters import thai_date
from governance.web.forms import show_service_errors
from governance.web.kpi_forms import progress_form_for
from governance.web.meeting_forms import DocumentForm

bp = Blueprint("kpis", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- template helpers (also used by the agenda-item page's partial) ---------------------------

@bp.app_template_global("kpi_snapshot_of")
def kpi_snapshot_of(agenda_item_id: int):
    """The scorecard frozen onto an agenda item, or None (``templates/kpis/_agenda_snapshot.html``)."""
    return kpis.snapshot_for_agenda_item(agenda_item_id)


@bp.app_template_filter("kpi_date")
def kpi_date(value: str | date | None, long: bool = False) -> str:
    """An ISO date from a scorecard document (or a date) as the reader reads it."""
    if not value:
        return ""
    return thai_date(date.fromisoformat(value) if isinstance(value, str) else value, long=long)


@bp.app_template_global("kpi_name")
def kpi_name(kpi: dict) -> str:
    """The KPI's name in the reader's language (the OPDC's Thai text when no English is given)."""
    return kpi["name"] if _thai() or not kpi.get("name_en") else kpi["name_en"]


@bp.app_template_global("kpi_figure_label")
def kpi_figure_label(item: dict) -> str:
    return item["label_th"] if _thai() else item["label_en"]


def _thai() -> bool:
    return str(get_locale() or "th").startswith("th")


# --- errors ---------------------------------------------------------------------------------

@bp.errorhandler(NotFound)
def _not_found(_error):
    db.session.rollback()
    return render_template("error.html", error=HTTPNotFound()), 404


@bp.errorhandler(ServiceError)
def _refused(error: ServiceError):
    db.session.rollback()
    flash(str(error.message), "error")
    return redirect(url_for(".scorecard"))


# --- the scorecard --------------------------------------------------------------------------

@bp.get("/kpis")
@roles_required(*READERS)
def scorecard():
    period = selected_period(request.args, clock.today())
    document = kpis.scorecard_document(kpis.scorecard(period.fy, period.as_of))
    return render_template("kpis/scorecard.html", period=period, card=document,
                           shipped=kpis.data_file(period.fy).is_file()), 422 if period.as_of_error else 200


@bp.post("/kpis/<int:fy>/load")
@roles_required(*WRITERS)
def load(fy: int):
    _year_or_404(fy)
    report = kpis.load_fiscal_year(fy)
    db.session.commit()
    flash(_("KPIs of fiscal year %(fy)s loaded: %(created)s new, %(updated)s updated.", fy=fy,
            created=len(report.created), updated=len(report.updated)), "success")
    return redirect(url_for(".scorecard", fy=fy))


@bp.get("/kpis/history")
@roles_required(*READERS)
def history():
    period = selected_period(request.args, clock.today())
    return render_template("kpis/history.html", period=period,
                           history=kpis.quarter_history(period.fy, period.as_of)), \
        422 if period.as_of_error else 200


# --- one KPI --------------------------------------------------------------------------------

@bp.get("/kpis/<int:fy>/<int:number>")
@roles_required(*READERS)
def show(fy: int, number: int):
    _year_or_404(fy)
    kpi = kpis.get_kpi(fy, number)
    form = progress_form_for(kpis.definition_of(kpi), formdata=None, data={"reached_on": clock.today()})
    return _kpi_page(fy, number, form)


@bp.post("/kpis/<int:fy>/<int:number>/progress")
@roles_required(*WRITERS)
def record_progress(fy: int, number: int):
    _year_or_404(fy)
    kpi = kpis.get_kpi(fy, number)
    form = progress_form_for(kpis.definition_of(kpi))
    if form.validate():
        try:
            kpis.record_progress(fy, number, form.to_input(), today=clock.today(), recorded_by_id=current_user.id)
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error, locate=lambda name: _figure_field(form, name))
        else:
            db.session.commit()
            flash(_("Progress on KPI %(number)s recorded.", number=number), "success")
            return redirect(url_for(".show", fy=fy, number=number))
    return _kpi_page(fy, number, form), 422


def _figure_field(form, name: str):
    """``figures.trainees`` names the trainees field."""
    if name.startswith("figures."):
        key = f"figure_{name.split('.', 1)[1]}"
        return form[key] if key in form else None
    return None


def _kpi_page(fy: int, number: int, form):
    period = selected_period({"fy": str(fy), "as_of": request.args.get("as_of", "")}, clock.today())
    result = kpis.score_document(kpis.kpi_score(fy, number, period.as_of))
    files = documents.kpi_progress_documents([entry["id"] for entry in result["evidence"]])
    return render_template("kpis/kpi.html", fy=fy, kpi=result, form=form, period=period, files=files,
                           document_form=DocumentForm(formdata=None, kinds=(DocumentKind.EVIDENCE,)))


# --- exports for the board pack -----------------------------------------------------------

@bp.get("/kpis/xlsx")
@roles_required(*READERS)
def xlsx():
    period = _download_period()
    card = kpis.scorecard_document(kpis.scorecard(period.fy, period.as_of))
    history = kpis.quarter_history(period.fy, period.as_of)
    return _download(scorecard_xlsx(card, history), XLSX, f"kpis-{period.fy}-{period.as_of.isoformat()}.xlsx")


@bp.get("/kpis/pdf")
@roles_required(*READERS)
def pdf():
    period = _download_period()
    card = kpis.scorecard_document(kpis.scorecard(period.fy, period.as_of))
    html = render_template("kpis/pdf.html", period=period, card=card,
                           history=kpis.quarter_history(period.fy, period.as_of))
    return _download(to_pdf(html), "application/pdf", f"kpis-{period.fy}-{period.as_of.isoformat()}.pdf")


def scorecard_xlsx(card: dict, history: kpis.QuarterHistory) -> bytes:
    """Two sheets: the scorecard as of the date, and the score at each quarter's end."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Scorecard")[:31]
    sheet.append([_("Organisation KPIs, fiscal year %(fy)s, as of %(date)s", fy=card["fiscal_year"],
                    date=kpi_date(card["as_of"], long=True))])
    sheet["A1"].font = Font(bold=True, size=13)
    header = [_("KPI"), _("Component"), _("Indicator"), _("Owner"), _("Score"), _("Level reached"),
              _("Figures"), _("Next level needs"), _("Last update"), _("Evidence")]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for kpi in card["kpis"]:
        sheet.append([kpi["number"], kpi["component_name"], kpi_name(kpi), kpi["owner_unit"], kpi["score"],
                      kpi["level_text"] or "–", figures_text(kpi), needed_text(kpi),
                      kpi_date(kpi["last_update_on"]) or "–",
                      "\n".join(f"{kpi_date(e['reached_on'])}: {e['evidence']}" for e in kpi["evidence"])])
    for column, width in zip("ABCDEFGHIJ", (6, 20, 50, 30, 8, 50, 35, 50, 14, 60), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"

    quarters = book.create_sheet(_("By quarter")[:31])
    quarters.append([_("KPI"), _("Indicator")] + [_("Q%(quarter)s (to %(date)s)", quarter=q, date=thai_date(day))
                                                  for q, _end, day in history.quarters])
    for cell in quarters[1]:
        cell.font = Font(bold=True)
    for row in history.rows:
        quarters.append([row["number"], row["name"] if _thai() or not row["name_en"] else row["name_en"]]
                        + [cell["score"] for cell in row["cells"]])
    quarters.column_dimensions["B"].width = 60
    text_cells_only(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@bp.app_template_global("kpi_figures_text")
def figures_text(kpi: dict) -> str:
    return ", ".join(f"{kpi_figure_label(f)}: {f['value']}" for f in kpi["figures"]) or "–"


@bp.app_template_global("kpi_needed_text")
def needed_text(kpi: dict) -> str:
    """What the next level needs, in one sentence per need."""
    if kpi["next_level"] is None:
        return _("Full score reached")
    sentences = []
    for need in kpi["needed"]:
        if need["code"] == "milestone":
            sentences.append(_("%(score)s points: %(text)s", score=need["score"], text=need["text"]))
        else:
            bound = (_("at least %(value)s", value=need["value"]) if need["op"] == ">="
                     else _("at most %(value)s", value=need["value"]))
            now = (_("now %(value)s", value=need["current"]) if need["current"] is not None
                   else _("not yet entered"))
            sentences.append(_("%(score)s points: %(figure)s %(bound)s (%(now)s)", score=need["score"],
                               figure=kpi_figure_label(need), bound=bound, now=now))
    return "; ".join(sentences)


def _download_period() -> Period:
    period = selected_period(request.args, clock.today())
    if period.as_of_error:
        abort(400)
    return period


def _download(body: bytes, content_type: str, filename: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the scorecard the board saw ----------------------------------------------------------

@bp.post("/kpis/snapshots/<int:item_id>")
@roles_required(*WRITERS)
def freeze(item_id: int):
    """Freeze the scorecard as of the meeting's date onto a mission-report agenda item."""
    try:
        snapshot = kpis.freeze_for_agenda_item(item_id, frozen_by_id=current_user.id)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(_back_to_agenda_item(item_id))
    db.session.commit()
    flash(_("The KPI scorecard as of %(date)s is attached to the agenda item.",
            date=thai_date(snapshot.as_of, long=True)), "success")
    return redirect(_back_to_agenda_item(item_id))


@bp.get("/kpis/snapshots/<int:item_id>")
@roles_required(*READERS)
def snapshot(item_id: int):
    """The frozen scorecard on a page of its own (directors and auditors read it here)."""
    frozen = kpis.snapshot_for_agenda_item(item_id)
    if frozen is None:
        abort(404)
    return render_template("kpis/snapshot.html", snapshot=frozen, card=frozen.scorecard)


def _back_to_agenda_item(item_id: int) -> str:
    target = kpis.agenda_item_location(item_id)
    if target is None:
        return url_for(".scorecard")
    return url_for("meetings.edit_agenda_item", meeting_id=target[0], item_id=item_id)


def _year_or_404(fy: int) -> fiscal.FiscalYear:
    try:
        return fiscal.fiscal_year(fy)
    except ValueError:
        abort(404)

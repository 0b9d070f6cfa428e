"""The website checklist (indicator 17): each required item, where it is published, whether it is current.

Everyone reads the checklist; the secretary and the admin record an item's address and
last-updated date, one small form per row (its fields are prefixed ``item<row>-``).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from governance import clock, fiscal
from governance.extensions import db
from governance.services import website
from governance.services.errors import ServiceError
from governance.web import assessment_labels as words
from governance.web.access import READERS, WRITERS, roles_required
from governance.web.assessment_forms import WebsiteItemForm
from governance.web.forms import fiscal_year_choices, show_service_errors
from governance.web.self_assessment import indicator_result

bp = Blueprint("website", __name__)


@bp.context_processor
def _words():
    return {"words": words}


@bp.get("/website")
@roles_required(*READERS)
def current():
    return redirect(url_for(".show", fy=fiscal.fiscal_year_of(clock.today())))


@bp.get("/website/<int:fy>")
@roles_required(*READERS)
def show(fy: int):
    _year_or_404(fy)
    return _page(fy, website.checklist(fy, clock.today()))


@bp.post("/website/<int:fy>/items/<path:key>")
@roles_required(*WRITERS)
def record(fy: int, key: str):
    _year_or_404(fy)
    rows = website.checklist(fy, clock.today())
    index = next((i for i, row in enumerate(rows) if row.item.key == key), None)
    if index is None:
        abort(404)
    form = WebsiteItemForm(prefix=_prefix(index))
    if form.validate():
        try:
            website.record_website_item(fy, key, form.url.data, form.last_updated_on.data)
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("“%(item)s” was saved.", item=words.localized(rows[index].item.title_th,
                                                                   rows[index].item.title_en)), "success")
            return redirect(url_for(".show", fy=fy, _anchor=_prefix(index)))
    return _page(fy, rows, failed=(index, form)), 422


def _prefix(index: int) -> str:
    return f"item{index}"


def _page(fy: int, rows: list[website.ChecklistRow], failed: tuple[int, WebsiteItemForm] | None = None) -> str:
    today = clock.today()
    forms = {}
    for index, row in enumerate(rows):
        if failed is not None and failed[0] == index:
            forms[index] = failed[1]
        else:
            record = row.record
            forms[index] = WebsiteItemForm(formdata=None, prefix=_prefix(index), data={
                "url": record.url if record else None,
                "last_updated_on": record.last_updated_on if record else None})
    return render_template(
        "website/show.html", fy=fy, rows=rows, forms=forms, prefix=_prefix,
        current_count=sum(1 for row in rows if row.current),
        indicator=indicator_result(fy, "checklist", today),
        years=fiscal_year_choices(fiscal.fiscal_year_of(today), fy))


def _year_or_404(fy: int) -> fiscal.FiscalYear:
    try:
        return fiscal.fiscal_year(fy)
    except ValueError:
        abort(404)

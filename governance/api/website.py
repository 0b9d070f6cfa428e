"""/api/v1/fiscal-years/{fy}/website-items: the website checklist (indicator 17).

Which items a year requires, and how fresh each must be, is the year's checklist
parameter; an item's record is where it is published and when it was last updated.
Everyone reads the checklist; the secretary and the admin record an item.
"""

from __future__ import annotations

from governance import clock
from governance.api.auth import READERS, WRITERS, token_required
from governance.api.blueprint import bp
from governance.api.fiscal_years import as_of_arg
from governance.api.parsing import parse_body
from governance.api.schemas import WebsiteChecklist, WebsiteItem, WebsiteItemRequest, check_fiscal_year, commit, respond
from governance.services import website
from governance.services.errors import NotFound


@bp.get("/fiscal-years/<int:fiscal_year>/website-items")
@token_required(*READERS)
def list_website_items(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    as_of = as_of_arg()
    return respond(WebsiteChecklist.of(fiscal_year, as_of, website.checklist(fiscal_year, as_of)))


@bp.get("/fiscal-years/<int:fiscal_year>/website-items/<key>")
@token_required(*READERS)
def get_website_item(fiscal_year: int, key: str):
    check_fiscal_year(fiscal_year)
    return respond(WebsiteItem.of(_row(fiscal_year, key, as_of_arg())))


@bp.put("/fiscal-years/<int:fiscal_year>/website-items/<key>")
@token_required(*WRITERS)
def record_website_item(fiscal_year: int, key: str):
    check_fiscal_year(fiscal_year)
    body = parse_body(WebsiteItemRequest)
    website.record_website_item(fiscal_year, key, body.url, body.last_updated_on)  # an unknown key: 422 naming `key`
    commit()
    return respond(WebsiteItem.of(_row(fiscal_year, key, clock.today())))


def _row(fiscal_year: int, key: str, as_of) -> website.ChecklistRow:
    row = next((row for row in website.checklist(fiscal_year, as_of) if row.item.key == key), None)
    if row is None:
        raise NotFound(f"{key!r} is not on fiscal year {fiscal_year}'s website checklist.")
    return row

"""The website checklist (indicator 17): where each required item is and when it was updated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from governance.extensions import db
from governance.indicators.data import FiscalYearData, WebsiteItemRecord
from governance.indicators.parameters import Checklist, ChecklistItem, IndicatorSpec, Parameters
from governance.indicators.rules import checklist as checklist_rule
from governance.models import WebsiteItem
from governance.services import locks
from governance.services.errors import ValidationFailed, plausible_dates, single_line
from governance.services.fiscal_years import get_parameters


@dataclass
class ChecklistRow:
    """One required item with the organisation's evidence and today's verdict on it."""

    item: ChecklistItem
    record: WebsiteItem | None
    present: bool
    current: bool


def checklist(fiscal_year: int, as_of: date) -> list[ChecklistRow]:
    parameters = get_parameters(fiscal_year)
    spec = _checklist_spec(parameters)
    if spec is None:
        return []
    records = {r.key: r for r in _records(fiscal_year)}
    data = FiscalYearData(fiscal_year=fiscal_year, website_items=[
        WebsiteItemRecord(id=r.id, key=r.key, url=r.url, last_updated_on=r.last_updated_on)
        for r in records.values()])
    # The verdict per item comes from the indicator rule itself, so page and dashboard agree.
    verdicts = checklist_rule(spec, data, parameters, as_of).detail["items"]
    return [ChecklistRow(item=item, record=records.get(item.key), present=verdicts[item.key]["present"],
                         current=verdicts[item.key]["current"]) for item in spec.rule.items]


def record_website_item(fiscal_year: int, key: str, url: str | None, last_updated_on: date | None) -> WebsiteItem:
    """Set where a checklist item is published and when it was last updated."""
    spec = _checklist_spec(get_parameters(fiscal_year))
    keys = {item.key for item in spec.rule.items} if spec else set()
    errors = {**plausible_dates(last_updated_on=last_updated_on), **single_line(url=url)}
    if key not in keys:
        errors["key"] = _l("%(key)s is not on fiscal year %(fy)s's website checklist.", key=key, fy=fiscal_year)
    url = (url or "").strip() or None
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 1000:
            errors["url"] = _l("Enter the page's full address, starting with https://")
    if errors:
        raise ValidationFailed(errors)
    locks.lock_name("website", fiscal_year)  # two saves of a new item would both insert it
    record = db.session.scalar(sa.select(WebsiteItem).where(WebsiteItem.fiscal_year == fiscal_year,
                                                           WebsiteItem.key == key)
                               .execution_options(**locks.FRESH))
    if record is None:
        record = WebsiteItem(fiscal_year=fiscal_year, key=key)
        db.session.add(record)
    record.url = url
    record.last_updated_on = last_updated_on
    db.session.flush()
    return record


def _checklist_spec(parameters: Parameters) -> IndicatorSpec | None:
    return next((spec for spec in parameters.indicators if isinstance(spec.rule, Checklist)), None)


def _records(fiscal_year: int) -> list[WebsiteItem]:
    return list(db.session.scalars(sa.select(WebsiteItem).where(WebsiteItem.fiscal_year == fiscal_year)))

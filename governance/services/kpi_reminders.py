"""Reminders before a quarter ends: KPIs with no progress recorded that quarter.

To the secretaries, who record progress on the owner units' behalf, 14 and 7 days
before the quarter's last day, through the same outbox as every other reminder
(``services.reminders.plan`` gathers these with the rest, and ``queue_due`` queues each
once by its key).  A KPI already at 100 points needs no further update and is left out.

``plan`` is handed the reminder type rather than importing ``services.reminders``, which
imports this module: no import cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from governance import fiscal
from governance.services import emails, kpis

LEAD_DAYS = (14, 7)
KIND = "kpi_progress"


def current_mark(due_on: date, as_of: date, leads: Iterable[int] = LEAD_DAYS) -> int | None:
    """The smallest lead time whose day has come; None before the first mark or after ``due_on``."""
    if as_of > due_on:
        return None
    passed = [lead for lead in leads if due_on - timedelta(days=lead) <= as_of]
    return min(passed) if passed else None


def stale_kpis(fiscal_year: int, quarter: int, as_of: date) -> list[dict]:
    """KPIs of the year with no update dated in the quarter (up to ``as_of``) and under 100 points."""
    start, _end = fiscal.fiscal_year(fiscal_year).quarter_bounds(quarter)
    out = []
    for result in kpis.scorecard(fiscal_year, as_of).scores:
        if result.score == 100 or any(start <= e.reached_on <= as_of for e in result.evidence):
            continue
        d = result.definition
        out.append({"number": d.number, "name": d.name, "name_en": d.name_en, "owner_unit": d.owner_unit,
                    "score": result.score, "last_update_on": result.last_update_on})
    return out


def plan(as_of: date, recipients: list, make: Callable) -> list:
    """The reminders due as of ``as_of``: ``make(kind, recipient, subject_ref, due_on, mark, context)``
    builds each (``services.reminders.Reminder``); one per recipient listing every stale KPI."""
    fiscal_year = fiscal.fiscal_year_of(as_of)
    quarter = fiscal.quarter_of(as_of)
    _start, end = fiscal.fiscal_year(fiscal_year).quarter_bounds(quarter)
    lead = current_mark(end, as_of)
    if lead is None or not recipients:
        return []
    stale = stale_kpis(fiscal_year, quarter, as_of)
    if not stale:
        return []
    context = {"fiscal_year": fiscal_year, "quarter": quarter, "quarter_end": end, "deadline": end,
               "days_left": (end - as_of).days, "kpis": stale,
               "link": emails.absolute_url("kpis.scorecard", fy=fiscal_year)}
    return [make(KIND, r, f"fy{fiscal_year}:kpis:q{quarter}", end, f"lead-{lead}", context) for r in recipients]

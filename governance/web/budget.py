"""The fiscal year's board-approved monthly spending plan and actual disbursement."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from governance import clock, fiscal
from governance.extensions import db
from governance.indicators.result import percent
from governance.models import BudgetMonth
from governance.services import budget
from governance.services.errors import ServiceError
from governance.web.access import READERS, WRITERS, roles_required
from governance.web.forms import BudgetForm, fiscal_year_choices, indexed_name, show_service_errors

bp = Blueprint("budget", __name__)


@bp.get("/budget")
@roles_required(*READERS)
def current():
    return redirect(url_for(".show", fy=fiscal.fiscal_year_of(clock.today())))


@bp.get("/budget/<int:fy>")
@roles_required(*READERS)
def show(fy: int):
    year = _year_or_404(fy)
    lines = running_totals(year.months(), budget.get_budget(fy))
    rows = [{"planned": line.planned, "actual": line.actual} for line in lines]
    return _page(year, lines, BudgetForm(formdata=None, data={"months": rows}))


@bp.post("/budget/<int:fy>")
@roles_required(*WRITERS)
def save(fy: int):
    year = _year_or_404(fy)
    form = BudgetForm()
    if form.validate():
        months, origin = form.to_inputs(year.months())
        try:
            budget.replace_budget(fy, months)
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error, locate=lambda name: _month_field(form, origin, name))
        else:
            db.session.commit()
            flash(_("The budget for fiscal year %(fy)s was saved.", fy=fy), "success")
            return redirect(url_for(".show", fy=fy))
    return _page(year, running_totals(year.months(), budget.get_budget(fy)), form), 422


def _year_or_404(fy: int) -> fiscal.FiscalYear:
    try:
        return fiscal.fiscal_year(fy)
    except ValueError:
        abort(404)


def _month_field(form: BudgetForm, origin: list[int], name: str):
    """``months[2].planned`` names the third month sent; a bad month shows on its plan."""
    found = indexed_name(name)
    if found is None or found[0] >= len(origin):
        return None
    row = form.months[origin[found[0]]]
    return row.actual if found[1] == "actual" else row.planned


def _page(year: fiscal.FiscalYear, lines: list[BudgetLine], form: BudgetForm) -> str:
    return render_template(
        "budget/show.html", fy=year.number, lines=lines, form=form,
        latest=next((line for line in reversed(lines) if line.percent is not None), None),
        years=fiscal_year_choices(fiscal.fiscal_year_of(clock.today()), year.number))


@dataclass(frozen=True)
class BudgetLine:
    """A month of the saved budget with the running totals up to it."""

    month: str
    planned: Decimal | None
    actual: Decimal | None
    planned_to_date: Decimal
    #: None for a month without an actual figure
    actual_to_date: Decimal | None
    #: cumulative actual as a percentage of cumulative plan; None without an actual or a plan
    percent: Decimal | None


def running_totals(months: list[str], saved: list[BudgetMonth]) -> list[BudgetLine]:
    """Cumulative plan and actual month by month, and actual ÷ plan × 100 to that month (pure).

    Indicator 14 judges the year's ratio (``indicators.rules.budget_ratio``); this is the
    month-by-month table behind it, shown to two decimals.
    """
    by_month = {row.month: row for row in saved}
    lines, planned_sum, actual_sum = [], Decimal(0), Decimal(0)
    for month in months:
        row = by_month.get(month)
        planned = row.planned if row else None
        actual = row.actual if row else None
        planned_sum += planned or 0
        actual_sum += actual or 0
        ratio = percent(actual_sum, planned_sum) if actual is not None else None
        lines.append(BudgetLine(
            month=month, planned=planned, actual=actual, planned_to_date=planned_sum,
            actual_to_date=actual_sum if actual is not None else None,
            percent=None if ratio is None else ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)))
    return lines

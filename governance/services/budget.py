"""The fiscal year's board-approved spending plan and actual disbursement, month by month."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from governance import fiscal
from governance.extensions import db
from governance.models import BudgetMonth
from governance.models.budget import to_satang
from governance.services import locks
from governance.services.errors import ValidationFailed


@dataclass
class BudgetMonthInput:
    month: str  # 'YYYY-MM' (CE)
    planned: Decimal
    actual: Decimal | None = None


def get_budget(fiscal_year: int, *, fresh: bool = False) -> list[BudgetMonth]:
    fiscal.fiscal_year(fiscal_year)
    query = sa.select(BudgetMonth).where(BudgetMonth.fiscal_year == fiscal_year).order_by(BudgetMonth.month)
    return list(db.session.scalars(query.execution_options(**(locks.FRESH if fresh else {}))))


def replace_budget(fiscal_year: int, months: list[BudgetMonthInput]) -> list[BudgetMonth]:
    """Make the year's budget exactly ``months``; one bad month rejects them all."""
    year = fiscal.fiscal_year(fiscal_year)
    _check(year, months)
    locks.lock_name("budget", fiscal_year)  # a second replacement waits, then replaces the whole year again
    existing = {row.month: row for row in get_budget(fiscal_year, fresh=True)}
    wanted = {m.month: m for m in months}
    for month, row in existing.items():
        if month not in wanted:
            db.session.delete(row)
    for month, item in wanted.items():
        row = existing.get(month) or BudgetMonth(fiscal_year=fiscal_year, month=month, planned_satang=0)
        row.planned_satang = to_satang(item.planned)
        row.actual_satang = None if item.actual is None else to_satang(item.actual)
        db.session.add(row)
    db.session.flush()
    return get_budget(fiscal_year)


def _check(year: fiscal.FiscalYear, months: list[BudgetMonthInput]) -> None:
    allowed = set(year.months())
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for index, item in enumerate(months):
        prefix = f"months[{index}]"
        if item.month not in allowed:
            errors[f"{prefix}.month"] = _l(
                "%(month)s is not a month of fiscal year %(fy)s (%(first)s to %(last)s).",
                month=item.month, fy=year.number, first=year.months()[0], last=year.months()[-1])
        elif item.month in seen:
            errors[f"{prefix}.month"] = _l("%(month)s is listed twice.", month=item.month)
        seen.add(item.month)
        for name, amount in (("planned", item.planned), ("actual", item.actual)):
            problem = _amount_problem(amount)
            if problem:
                errors[f"{prefix}.{name}"] = problem
    if errors:
        raise ValidationFailed(errors)


def _amount_problem(amount: Decimal | None):
    if amount is None:
        return None
    if not amount.is_finite():
        return _l("Enter an amount in baht.")
    if amount < 0:
        return _l("An amount cannot be negative.")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        return _l("Use at most two decimal places (satang).")
    if amount >= Decimal("1e15"):
        return _l("The amount is too large.")
    return None

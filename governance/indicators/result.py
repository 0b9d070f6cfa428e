"""What an indicator evaluation answers, and its JSON shape (spec/api.md, "Indicator results")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any


class Status(StrEnum):
    """spec/indicators.md, "Statuses"."""

    MET = "met"  # the requirement is satisfied
    ON_TRACK = "on_track"  # anything else
    AT_RISK = "at_risk"  # possible, but the deadline is near or no further miss can be absorbed
    MISSED = "missed"  # can no longer be satisfied this fiscal year


@dataclass(frozen=True)
class IndicatorResult:
    number: int
    status: Status
    # A count (int) or a percentage (Decimal, exact); None when there is nothing to
    # measure yet (no meeting held, no budget actual, a deadline not yet set).
    value: int | Decimal | None
    target: int | Decimal
    # JSON-friendly except for dates and Decimals, converted by to_dict(); a Decimal
    # in detail is always a percentage (money is already a two-place string).
    detail: dict = field(default_factory=dict)
    evidence: list[dict] = field(default_factory=list)
    deadline: date | None = None
    # What is still needed, as codes a UI translates, e.g.
    # {"code": "subject_quarters", "subject": "risk_management", "missing": 1}
    needed: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        # The value is shown to the target's own precision (at least two places) and
        # rounded down, the target exactly: so a value below its target never shows as
        # reaching it, and a value at or above it never shows below it.
        places = max(PERCENT_PLACES, _places(self.target))
        return {
            "number": self.number,
            "status": str(self.status),
            "value": to_json(self.value, places),
            # a whole target reads as the OPDC writes it (90, not 90.0)
            "target": int(self.target) if self.target == int(self.target) else float(self.target),
            "detail": to_json(self.detail),
            "evidence": to_json(self.evidence),
            "deadline": to_json(self.deadline),
            "needed": to_json(self.needed),
        }


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part / whole x 100, exact to Decimal's 28 digits; only ever shown, never compared."""
    if whole == 0:
        return None
    return Decimal(part) * 100 / Decimal(whole)


def money(amount: Decimal, rounding: str = ROUND_HALF_UP) -> str:
    """Baht as the API writes money: a string with two decimals."""
    return str(amount.quantize(Decimal("0.01"), rounding=rounding))


PERCENT_PLACES = 2  # a percentage is shown to two decimals unless its target needs more


def _places(number: int | Decimal) -> int:
    """Decimal places written in ``number`` (``Decimal("95.5")`` -> 1; an int -> 0)."""
    if not isinstance(number, Decimal):
        return 0
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def shown_percent(value: Decimal | Fraction, places: int = PERCENT_PLACES) -> float:
    """A percentage as shown: rounded *down* (toward minus infinity) to ``places`` decimals.

    Every threshold in the rules reads "met when value >= target" (budget_ratio, the
    attendance rates, the share of parts done against 100).  Rounding down never moves
    a figure up, so a value short of its target can never be shown as reaching it
    (95.999999 % shows 95.99 against 96, not 96.0); and a value at or above a target
    written with at most ``places`` decimals still shows at or above it.  Half-up
    rounding broke the first promise.
    """
    decimal = value if isinstance(value, Decimal) else Decimal(value.numerator) / value.denominator
    return float(decimal.quantize(Decimal(1).scaleb(-places), rounding=ROUND_FLOOR))


def to_json(value: Any, places: int = PERCENT_PLACES) -> Any:
    """Dates to ISO strings, percentages to floats rounded down to two decimals, containers to lists and dicts.

    Rounding happens only here, at the edge: every comparison in the rules is exact.
    ``places`` is for a value shown against a target written with more decimals.
    """
    if isinstance(value, str):
        return str(value)  # a StrEnum member becomes its plain code
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | Fraction):
        return shown_percent(value, places)
    if isinstance(value, dict):
        return {str(key): to_json(item, places) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item, places) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(to_json(item, places) for item in value)
    raise TypeError(f"cannot put {type(value).__name__} into the API's JSON")

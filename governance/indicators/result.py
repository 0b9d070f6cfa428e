"""What an indicator evaluation answers, and its JSON shape (spec/api.md, "Indicator results")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
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
        return {
            "number": self.number,
            "status": str(self.status),
            "value": to_json(self.value),
            # a whole target reads as the OPDC writes it (90, not 90.0)
            "target": int(self.target) if self.target == int(self.target) else to_json(self.target),
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


def to_json(value: Any) -> Any:
    """Dates to ISO strings, percentages to floats of two decimals, containers to lists and dicts.

    Rounding happens only here, at the edge: every comparison in the rules is exact.
    """
    if isinstance(value, str):
        return str(value)  # a StrEnum member becomes its plain code
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | Fraction):
        decimal = value if isinstance(value, Decimal) else Decimal(value.numerator) / value.denominator
        return float(decimal.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(to_json(item) for item in value)
    raise TypeError(f"cannot put {type(value).__name__} into the API's JSON")

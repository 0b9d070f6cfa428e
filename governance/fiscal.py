"""The Thai fiscal calendar (pure: no Flask, no database).

Budget Procedure Act B.E. 2561, s. 4: the fiscal year runs from 1 October to
30 September and takes the Buddhist-Era number of the calendar year in which it
ends.  So FY2563 is 2019-10-01 .. 2020-09-30.  Quarters: Q1 Oct-Dec, Q2 Jan-Mar,
Q3 Apr-Jun, Q4 Jul-Sep.  Dates are always stored in CE (ISO); the Buddhist Era
is only a way of numbering and showing them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
ENGLISH_MONTHS_SHORT = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)


def be_year(ce_year: int) -> int:
    """Buddhist-Era number of a CE year (2020 -> 2563)."""
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    """CE number of a Buddhist-Era year (2563 -> 2020)."""
    return be - BE_OFFSET


def fiscal_year_of(day: date) -> int:
    """The BE fiscal year a date falls in: from October on it is next year's."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


@dataclass(frozen=True)
class FiscalYear:
    """One Thai fiscal year, numbered in the Buddhist Era."""

    number: int

    @property
    def start(self) -> date:
        return date(ce_year(self.number) - 1, 10, 1)

    @property
    def end(self) -> date:
        return date(ce_year(self.number), 9, 30)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def quarter_bounds(self, quarter: int) -> tuple[date, date]:
        """First and last day of quarter 1..4 of this fiscal year."""
        if quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1..4, not {quarter}")
        first_month_index = 9 + 3 * (quarter - 1)  # months counted from January of the start year
        year = self.start.year + first_month_index // 12
        month = first_month_index % 12 + 1
        start = date(year, month, 1)
        end_month_index = first_month_index + 3
        end = date(self.start.year + end_month_index // 12, end_month_index % 12 + 1, 1)
        return start, date.fromordinal(end.toordinal() - 1)

    def months(self) -> list[str]:
        """The twelve months of the year as ``YYYY-MM`` (CE), October first."""
        out = []
        for i in range(12):
            index = 9 + i
            out.append(f"{self.start.year + index // 12:04d}-{index % 12 + 1:02d}")
        return out

    def quarters_left(self, as_of: date) -> int:
        """Quarters whose end is still ahead of (or on) ``as_of``, the current one included."""
        if as_of < self.start:
            return 4
        if as_of > self.end:
            return 0
        return 4 - quarter_of(as_of) + 1


def quarter_of(day: date) -> int:
    """Fiscal quarter (1..4) of a date: Oct-Dec is 1, Jan-Mar 2, Apr-Jun 3, Jul-Sep 4."""
    return ((day.month - 10) % 12) // 3 + 1


def fiscal_year(number: int) -> FiscalYear:
    if not 2400 <= number <= 2800:
        raise ValueError(f"fiscal year is a Buddhist-Era number such as 2563, not {number}")
    return FiscalYear(number)


def format_date(day: date | None, locale: str = "th", *, long: bool = False) -> str:
    """Show a date as users read it: ``15 ม.ค. 2563`` in Thai (BE), ``15 Jan 2020`` in English."""
    if day is None:
        return ""
    if locale.startswith("th"):
        months = THAI_MONTHS if long else THAI_MONTHS_SHORT
        return f"{day.day} {months[day.month - 1]} {be_year(day.year)}"
    return f"{day.day} {ENGLISH_MONTHS_SHORT[day.month - 1]} {day.year}"


def format_month(month: str, locale: str = "th") -> str:
    """Show a ``YYYY-MM`` month: ``ต.ค. 2562`` in Thai, ``Oct 2019`` in English."""
    year, mon = (int(part) for part in month.split("-"))
    if locale.startswith("th"):
        return f"{THAI_MONTHS_SHORT[mon - 1]} {be_year(year)}"
    return f"{ENGLISH_MONTHS_SHORT[mon - 1]} {year}"


# --- dates as Thai secretaries type them -------------------------------------------------

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_MONTH_NAMES = {
    **{name: i for i, name in enumerate(THAI_MONTHS, 1)},
    **{name.replace(".", ""): i for i, name in enumerate(THAI_MONTHS_SHORT, 1)},
    **{name.lower(): i for i, name in enumerate(ENGLISH_MONTHS_SHORT, 1)},
    **{name: i for i, name in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                         "september", "october", "november", "december"), 1)},
}


def parse_date(text: str) -> date:
    """``25/12/2563``, ``25/12/2020``, ``2563-12-25``, ``2020-12-25`` or ``25 ธ.ค. 2563``: day
    first, never month first; Thai digits too. A year from 2400 on is Buddhist Era (2400 BE is
    1857 CE, and a board's dates are 2493-2743 BE, so the two never meet); two-digit years are
    refused. ValueError for anything else."""
    text = re.sub(r"(พ\.ศ\.|ค\.ศ\.)", " ", text.translate(THAI_DIGITS)).strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        return date_of(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", text):
        return date_of(int(m[3]), int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{1,2})\s*([^\d\s]+(?:\s[^\d\s]+)?)\s*(\d{4})", text):
        month = _MONTH_NAMES.get(m[2].lower().replace(".", "").replace(" ", ""))
        if month is None:
            raise ValueError("unknown month")
        return date_of(int(m[3]), month, int(m[1]))
    raise ValueError("not a date")


def date_of(year: int, month: int, day: int) -> date:
    """The date, its year read as Buddhist Era from 2400 on (converted before the date is
    built: 29/02/2563 is 29 Feb 2020, a real day)."""
    return date(ce_year(year) if year >= 2400 else year, month, day)


def numeric_date(day: date, locale: str = "th") -> str:
    """A date as it is typed back into a form: ``25/12/2563`` in Thai, ``2020-12-25`` in English."""
    if locale.startswith("th"):
        return f"{day.day:02d}/{day.month:02d}/{be_year(day.year)}"
    return day.isoformat()

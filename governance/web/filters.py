"""Jinja filters: dates as the reader reads them (Buddhist Era in Thai)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import get_locale

from governance import clock, fiscal
from governance.services import emails


def _locale() -> str:
    return str(get_locale() or "th")


def thai_date(day: date | None, long: bool = False) -> str:
    return fiscal.format_date(day, _locale(), long=long)


def month_label(month: str) -> str:
    return fiscal.format_month(month, _locale())


def baht(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:,.2f}"


def moment(value: datetime | None, seconds: bool = False) -> str:
    """A stored UTC instant as Thailand's date and time (SQLite hands it back naive);
    ``seconds`` for the audit trail, where the order of two edits in a minute matters."""
    if value is None:
        return ""
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(clock.BANGKOK)
    return f"{thai_date(local.date())} {local:{'%H:%M:%S' if seconds else '%H:%M'}}"


def meeting_hours(meeting) -> str:
    """"09:30" or "09:30–12:00": when a meeting starts, and ends once recorded."""
    if meeting.starts_at is None:
        return ""
    start = meeting.starts_at.strftime("%H:%M")
    return f"{start}–{meeting.ends_at:%H:%M}" if getattr(meeting, "ends_at", None) else start


def webcal(url: str) -> str:
    """A feed's address as webcal:// (http or https alike): calendar apps subscribe on a click."""
    scheme, _, rest = url.partition("://")
    return f"webcal://{rest}" if scheme in ("http", "https") else url


def register_filters(app: Flask) -> None:
    app.add_template_filter(thai_date, "date")
    app.add_template_filter(month_label, "month")
    app.add_template_filter(baht, "baht")
    app.add_template_filter(moment, "moment")
    app.add_template_filter(meeting_hours, "hours")
    app.add_template_filter(emails.meeting_name, "meeting_name")
    app.add_template_filter(webcal, "webcal")
    app.add_template_global(fiscal.fiscal_year_of, "fiscal_year_of")
    app.add_template_global(_locale, "current_locale")

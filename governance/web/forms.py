"""The secretary's forms (WTForms), and how a service's field errors land on them.

Each form turns its fields into the service's input dataclass (``to_input``); the view
passes that to one service call.  Messages are given explicitly: WTForms ships no Thai.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from flask import abort
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from governance import fiscal
from governance.indicators.vocabulary import (
    AttendanceStatus,
    MeetingBody,
    MeetingKind,
    MeetingStatus,
    Position,
    Topic,
)
from governance.models import AgendaSection, Confidentiality
from governance.services.budget import BudgetMonthInput
from governance.services.directors import DirectorInput
from governance.services.errors import ServiceError
from governance.services.meetings import AgendaItemInput, AttendanceRow, MeetingInput
from governance.services.reports import ReportInput
from governance.web import page_cache
from governance.web.labels import choices

REQUIRED = _l("This field is required.")
BAD_DATE = _l("Not a real date: write day/month/year, e.g. 29/02/2563 (Buddhist Era) or 29/02/2020, "
              "or 2020-02-29.")
DATE_HINT = _l("dd/mm/yyyy, e.g. 29/02/2563")
BAD_TIME = _l("Not a time: use HH:MM, e.g. 13:30.")
BAD_CHOICE = _l("Choose one of the listed options.")
BAD_AMOUNT = _l("Enter an amount in baht, such as 1234567.89.")


def too_long(limit: int):
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


class EnumSelectField(SelectField):
    """A select over an enum's codes, labelled for the reader; anything else is refused."""

    def __init__(self, label, enum_class: type[StrEnum], *, blank=None, **kwargs):
        options = [SelectChoice("", blank)] if blank is not None else []
        options += [SelectChoice(value, text) for value, text in choices(enum_class)]
        kwargs.setdefault("validators", [InputRequired(message=REQUIRED)])
        super().__init__(label, choices=options, invalid_choice_message=BAD_CHOICE, **kwargs)


class AmountField(StringField):
    """Baht typed as people type it (``1,234,567.89``): commas and spaces are dropped.

    ``data`` is a Decimal, or None when left blank.  A sign is let through so that the
    service, which owns the rule, can say why a negative amount is refused.
    """

    _NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist:
            return
        text = re.sub(r"[,\s\u00a0\u202f]", "", valuelist[0] or "")
        if not text:
            return
        if not self._NUMBER.fullmatch(text):
            raise ValueError(str(BAD_AMOUNT))
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            raise ValueError(str(BAD_AMOUNT)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        # Shown back as the secretary types it, with thousands separators (12,000,000.00).
        return "" if self.data is None else f"{self.data:,.2f}"


def version_field() -> IntegerField:
    """The version of the record the form was loaded with (hidden; see services.versions)."""
    return IntegerField(widget=HiddenInput(), validators=[Optional()])


class ThaiDateField(StringField):
    """A date typed as Thai secretaries write it: ``25/12/2563`` (Buddhist Era), ``25/12/2020``,
    ``2563-12-25`` or ``2020-12-25`` (``fiscal.parse_date``), and shown back in the reader's
    calendar (``25/12/2563`` in Thai, ``2020-12-25`` in English). ``data`` is a date or None."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off", "placeholder": str(DATE_HINT),
                     **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "") or ""
        if text.strip():
            try:
                self.data = fiscal.parse_date(text)
            except ValueError:
                raise ValueError(str(BAD_DATE)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else fiscal.numeric_date(self.data, str(get_locale() or "th"))


def date_field(label, *, required: bool = True, **kwargs) -> ThaiDateField:
    validator = InputRequired(message=REQUIRED) if required else Optional()
    return ThaiDateField(label, validators=[validator], **kwargs)


# --- directors --------------------------------------------------------------------------

class DirectorForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(message=REQUIRED), too_long(200)])
    position = EnumSelectField(_l("Position"), Position, default=Position.DIRECTOR.value)  # most are; not the chair
    email = EmailField(_l("Email"), validators=[
        Optional(), Email(message=_l("Enter a valid email address.")), too_long(254)])
    term_start = date_field(_l("Term starts"))
    term_end = date_field(_l("Term ends"), required=False,
                     description=_l("Leave blank for an open-ended term (e.g. ex officio)."))
    counts_for_attendance = BooleanField(
        _l("Counts for attendance"), default=True,
        description=_l("Untick for someone on the roster who only takes the minutes."))
    version = version_field()

    def to_input(self) -> DirectorInput:
        return DirectorInput(
            name=self.name.data, position=Position(self.position.data),
            term_start=self.term_start.data, term_end=self.term_end.data,
            email=self.email.data or None, counts_for_attendance=self.counts_for_attendance.data)


class NewDirectorForm(DirectorForm):
    """Adding a director: the secretary may invite them to sign in in the same step."""

    invite = BooleanField(_l("Invite them to sign in"), default=False,
                          description=_l("Emails the address above a link to choose a password (valid for 7 days)."))


# --- meetings ---------------------------------------------------------------------------

class MeetingForm(FlaskForm):
    held_on = date_field(_l("Date"))
    number = StringField(_l("Number"), validators=[InputRequired(message=REQUIRED), too_long(40)],
                         description=_l("As the board numbers it, e.g. 3/2563."))
    kind = EnumSelectField(_l("Kind"), MeetingKind)
    body = EnumSelectField(_l("Body"), MeetingBody)
    status = EnumSelectField(_l("Status"), MeetingStatus)
    title = StringField(_l("Title"), validators=[InputRequired(message=REQUIRED), too_long(300)])
    starts_at = TimeField(_l("Starts at"), validators=[Optional()], invalid_value_message=BAD_TIME)
    ends_at = TimeField(_l("Ends at"), validators=[Optional()], invalid_value_message=BAD_TIME)
    place = StringField(_l("Place"), validators=[Optional(), too_long(300)])
    version = version_field()

    def to_input(self) -> MeetingInput:
        return MeetingInput(
            held_on=self.held_on.data, kind=MeetingKind(self.kind.data), number=self.number.data,
            title=self.title.data, status=MeetingStatus(self.status.data),
            body=MeetingBody(self.body.data), starts_at=self.starts_at.data, ends_at=self.ends_at.data,
            place=self.place.data)


class AttendanceRowForm(Form):
    director_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(message=REQUIRED)])
    status = EnumSelectField(_l("Attendance"), AttendanceStatus, blank=_l("— not recorded —"),
                             validators=[Optional()])


class AttendanceForm(FlaskForm):
    """The whole grid in one form: a row per director in office on the meeting date."""

    rows = FieldList(FormField(AttendanceRowForm), max_entries=500)

    def to_rows(self) -> tuple[list[AttendanceRow], list[int]]:
        """The rows to record (blank ones are not), and for each the grid row it came from."""
        rows, origin = [], []
        for index, entry in enumerate(self.rows):
            if entry.status.data:
                rows.append(AttendanceRow(director_id=entry.director_id.data,
                                          status=AttendanceStatus(entry.status.data)))
                origin.append(index)
        return rows, origin


class AgendaItemForm(FlaskForm):
    section = EnumSelectField(_l("Agenda section"), AgendaSection, default=AgendaSection.FOR_CONSIDERATION.value,
                              validators=[Optional()])
    topic = EnumSelectField(_l("Indicator topic"), Topic, blank=_l("— choose a topic —"),
                            description=_l("Which OPDC indicator this item serves; “Other” when none."))
    title = StringField(_l("Title"), validators=[InputRequired(message=REQUIRED), too_long(500)])
    states_problems_and_remedies = BooleanField(
        _l("States problems and remedies"),
        description=_l("Tick when the report names the problems behind missed targets and the "
                       "suggested remedies, or when every target was met."))
    resolution = TextAreaField(_l("Resolution"), validators=[Optional(), too_long(10000)],
                               description=_l("The board's resolution on this item, as the minutes record it."))
    confidentiality = EnumSelectField(
        _l("Confidentiality"), Confidentiality, default=Confidentiality.OPEN.value, validators=[Optional()],
        description=_l("A confidential item (วาระลับ): its papers, resolution and action items are for the "
                       "directors in office on the meeting's day and the secretariat; auditors see that it "
                       "exists and who opened its papers."))
    version = version_field()

    def to_input(self) -> AgendaItemInput:
        return AgendaItemInput(topic=Topic(self.topic.data), title=self.title.data,
                               states_problems_and_remedies=self.states_problems_and_remedies.data,
                               section=AgendaSection(self.section.data) if self.section.data else None,
                               resolution=self.resolution.data or "",
                               confidentiality=Confidentiality(self.confidentiality.data)
                               if self.confidentiality.data else None)


# --- ministerial reports ----------------------------------------------------------------

class ReportForm(FlaskForm):
    sent_on = date_field(_l("Sent on"))
    title = StringField(_l("Title"), validators=[InputRequired(message=REQUIRED), too_long(300)])
    period_start = date_field(_l("Period from"))
    period_end = date_field(_l("Period to"))
    version = version_field()

    def to_input(self) -> ReportInput:
        return ReportInput(sent_on=self.sent_on.data, title=self.title.data,
                           period_start=self.period_start.data, period_end=self.period_end.data)


# --- budget -----------------------------------------------------------------------------

class BudgetRowForm(Form):
    planned = AmountField(_l("Plan"))
    actual = AmountField(_l("Actual"))

    def validate_planned(self, field):
        if field.data is None and self.actual.data is not None:
            raise ValidationError(_l("Enter the planned amount for a month that has an actual amount."))


class BudgetForm(FlaskForm):
    """The twelve months of a fiscal year, October first, in one form."""

    months = FieldList(FormField(BudgetRowForm), min_entries=12, max_entries=12)

    def to_inputs(self, months: list[str]) -> tuple[list[BudgetMonthInput], list[int]]:
        """The months with an amount (blank months are not recorded), and the row each came from."""
        inputs, origin = [], []
        for index, (month, entry) in enumerate(zip(months, self.months, strict=True)):
            if entry.planned.data is None and entry.actual.data is None:
                continue
            inputs.append(BudgetMonthInput(month=month, planned=entry.planned.data,
                                           actual=entry.actual.data))
            origin.append(index)
        return inputs, origin


# --- putting a service's errors next to the fields --------------------------------------

_INDEXED = re.compile(r"^(?P<list>\w*)\[(?P<index>\d+)\]\.(?P<name>\w+)$")


def indexed_name(name: str) -> tuple[int, str] | None:
    """``[3].director_id`` or ``months[3].planned`` -> ``(3, 'director_id')``; else None."""
    match = _INDEXED.match(name)
    return (int(match["index"]), match["name"]) if match else None


def show_service_errors(form: FlaskForm, error: ServiceError,
                        locate: Callable[[str], Field | None] | None = None) -> None:
    """Put each of ``error.fields`` on its form field (``locate`` maps API-style names);
    what matches no field or a hidden one, or an error without fields, goes above the form."""
    for name, message in error.fields.items():
        field = (locate(name) if locate else None) or (form[name] if name in form else None)
        if field is None or isinstance(field.widget, HiddenInput):
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]
    if not error.fields:
        form.form_errors.append(error.message)


# --- the fiscal-year selector (a GET parameter) -----------------------------------------

def selected_fiscal_year(args: Mapping[str, str], today: date) -> tuple[int, int]:
    """The year asked for with ``?fy=2563`` (default: today's), and today's; 404 if not a year."""
    current = fiscal.fiscal_year_of(today)
    raw = args.get("fy") or ""
    if not raw:
        return current, current
    try:
        return fiscal.fiscal_year(int(raw) if raw.isdigit() else -1).number, current
    except ValueError:
        abort(404)


def fiscal_year_choices(current: int, selected: int) -> list[int]:
    """The years offered by the selector, newest first: every year with records, the current
    one and the next (planning starts before the year), and the one shown."""
    years = page_cache.recorded_years() | {current, current + 1, selected}
    return sorted(years, reverse=True)

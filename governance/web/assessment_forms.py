"""Forms of the self-assessment, website-checklist and parameters pages (WTForms).

As in ``forms.py``: messages are explicit (WTForms ships no Thai), each form turns its
fields into what one service call takes, and the service's field errors are put back on
the fields by name (``locate_*``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional, ValidationError

from governance.models import AssessmentQuestion
from governance.services.errors import ServiceError
from governance.services.self_assessment import AnswerInput, QuestionInput
from governance.web.assessment_labels import freshness_choices, freshness_days, freshness_kind, parameter_error_text
from governance.web.forms import (
    BAD_CHOICE,
    REQUIRED,
    ThaiDateField,
    date_field,
    indexed_name,
    show_service_errors,
    too_long,
    version_field,
)

CHOOSE_RATING = _l("Choose a rating.")
BAD_WHOLE_NUMBER = _l("Enter a whole number, such as 3.")
BAD_PERCENT = _l("Enter a number such as 80 or 96.5.")


def optional_date(label, **kwargs) -> ThaiDateField:
    """Every date on these pages may be left blank."""
    return date_field(label, required=False, **kwargs)


class WholeNumberField(StringField):
    """A whole number typed in a box; ``data`` is an int, or None when left blank.

    A sign is let through, so the service (which owns the rule) says why -1 is refused.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            raise ValueError(str(BAD_WHOLE_NUMBER))
        self.data = int(text)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class PercentField(StringField):
    """A percentage such as 80 or 96.5; ``data`` is a Decimal, or None when left blank."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        if not re.fullmatch(r"[+-]?(\d{1,9}(\.\d{0,9})?|\.\d{1,9})", text):
            raise ValueError(str(BAD_PERCENT))
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            raise ValueError(str(BAD_PERCENT)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


def _required() -> InputRequired:
    return InputRequired(message=REQUIRED)


def show_parameter_errors(form: FlaskForm, error: ServiceError, locate: Callable[[str], Field | None]) -> None:
    """``show_service_errors`` for the parameters engine, whose messages are English: translated first."""
    fields = {name: parameter_error_text(str(message)) for name, message in error.fields.items()}
    show_service_errors(form, ServiceError(parameter_error_text(str(error.message)), fields), locate=locate)


# --- the self-assessment: the year's settings ---------------------------------------------

CLOSING_HINT = _l("The forms take answers until this day, and directors in office on it must each submit "
                  "an individual assessment.")


class OpenAssessmentForm(FlaskForm):
    closing_on = optional_date(_l("Closing date"), description=CLOSING_HINT)


class AssessmentSettingsForm(FlaskForm):
    closing_on = optional_date(_l("Closing date"), description=CLOSING_HINT)
    guidelines = TextAreaField(
        _l("Guidelines to improve the board's effectiveness"), validators=[Optional(), too_long(10000)],
        description=_l("The practices the board set after considering the results."),
        render_kw={"rows": 5})
    guidelines_recorded_on = optional_date(_l("Day the board set the guidelines"))


# --- the self-assessment: a form's questions ---------------------------------------------

class QuestionRowForm(Form):
    text_th = StringField(_l("Question in Thai"), validators=[Optional(), too_long(500)])
    text_en = StringField(_l("Question in English"), validators=[Optional(), too_long(500)])
    scale_max = WholeNumberField(_l("Highest rating"))

    def is_blank(self) -> bool:
        return not (self.text_th.data or "").strip() and not (self.text_en.data or "").strip()

    def validate_scale_max(self, field):
        if field.data is None and not self.is_blank():
            raise ValidationError(REQUIRED)


class QuestionsForm(FlaskForm):
    """A form's questions in order; a row left blank is dropped, blank rows at the end add one."""

    questions = FieldList(FormField(QuestionRowForm), max_entries=60)

    def to_inputs(self) -> tuple[list[QuestionInput], list[int]]:
        """The questions to keep, and for each the row it came from."""
        inputs, origin = [], []
        for index, row in enumerate(self.questions):
            if row.form.is_blank():
                continue
            inputs.append(QuestionInput(text_th=row.text_th.data or "", text_en=row.text_en.data or "",
                                        scale_max=row.scale_max.data))
            origin.append(index)
        return inputs, origin

    def locate(self, origin: list[int]) -> Callable[[str], Field | None]:
        """``questions[2].scale_max`` names the third question kept: its row's field."""
        def find(name: str) -> Field | None:
            found = indexed_name(name)
            if found is None or found[0] >= len(origin):
                return None
            row = self.questions[origin[found[0]]]
            return row.form[found[1]] if found[1] in row.form else row.text_th
        return find


# --- the self-assessment: answering a form -----------------------------------------------

class ResponseForm(FlaskForm):
    """One form's answers: a rating (1..scale_max) and a comment per question, and overall comments.

    The fields per question are made for the questions the server knows (``for_questions``),
    so a posted form can answer no other question.
    """

    comments = TextAreaField(_l("Overall comments"), validators=[Optional(), too_long(5000)],
                             render_kw={"rows": 4})

    #: the questions answered, in order; set on the class ``for_questions`` makes
    questions: ClassVar[tuple[AssessmentQuestion, ...]] = ()

    @classmethod
    def for_questions(cls, questions: list[AssessmentQuestion], **kwargs) -> ResponseForm:
        bound = type("BoundResponseForm", (cls,), {})
        for question in questions:
            setattr(bound, f"rating_{question.id}", RadioField(
                _l("Rating"), coerce=int,
                choices=[SelectChoice(n, str(n)) for n in range(1, question.scale_max + 1)],
                invalid_choice_message=CHOOSE_RATING, invalid_value_message=CHOOSE_RATING))
            setattr(bound, f"comment_{question.id}", TextAreaField(
                _l("Comment"), validators=[Optional(), too_long(2000)], render_kw={"rows": 2}))
        bound.questions = tuple(questions)
        return bound(**kwargs)

    @staticmethod
    def data_of(response) -> dict:
        """The saved answers as the form's data (empty without a response)."""
        if response is None:
            return {}
        data = {"comments": response.comments}
        for answer in response.answers:
            data[f"rating_{answer.question_id}"] = answer.rating
            data[f"comment_{answer.question_id}"] = answer.comment
        return data

    def rows(self) -> list[tuple[AssessmentQuestion, Field, Field]]:
        return [(q, self[f"rating_{q.id}"], self[f"comment_{q.id}"]) for q in self.questions]

    def to_answers(self) -> list[AnswerInput]:
        return [AnswerInput(question_id=q.id, rating=rating.data, comment=comment.data)
                for q, rating, comment in self.rows()]

    def locate(self, name: str) -> Field | None:
        """``answers[3].rating`` is the fourth question's answer (answers go in question order)."""
        found = indexed_name(name)
        if found is None or found[0] >= len(self.questions):
            return None
        question = self.questions[found[0]]
        return self[f"comment_{question.id}"] if found[1] == "comment" else self[f"rating_{question.id}"]


# --- the website checklist ---------------------------------------------------------------

class WebsiteItemForm(FlaskForm):
    """Where one checklist item is published and when it was last updated (one per row)."""

    url = StringField(_l("Address (URL)"), validators=[Optional(), too_long(1000)],
                      render_kw={"inputmode": "url", "autocomplete": "off", "placeholder": "https://"})
    last_updated_on = optional_date(_l("Last updated"))


# --- the fiscal year's parameters --------------------------------------------------------

class DeadlinesForm(FlaskForm):
    """What the secretary enters: the Cabinet's deadline for the plans, and the warning window."""

    version = version_field()  # of the year's criteria: each criteria form carries it

    cabinet_plan_deadline = optional_date(
        _l("The Cabinet's deadline for the plans"),
        description=_l("Indicator 11: both plans must be considered at held meetings on or before this day. "
                       "Leave blank until the Cabinet sets it."))
    warning_days = WholeNumberField(
        _l("Warning window (days)"), validators=[_required()],
        description=_l("An indicator not yet met turns “at risk” this many days before its deadline."))

    def changes(self) -> dict:
        deadline = self.cabinet_plan_deadline.data
        return {"cabinet_plan_deadline": deadline.isoformat() if deadline else None,
                "warning_days": self.warning_days.data}

    def locate(self, name: str) -> Field | None:
        return self[name] if name in ("cabinet_plan_deadline", "warning_days") else None


class AttendanceThresholdsForm(FlaskForm):
    version = version_field()
    meeting_threshold_percent = PercentField(
        _l("A meeting qualifies with at least this share of directors present (%)"), validators=[_required()])
    year_threshold_percent = PercentField(
        _l("The year meets indicator 16 with at least this share of meetings qualifying (%)"),
        validators=[_required()])

    def changes(self, document: dict) -> dict:
        """The whole ``attendance`` object (the engine replaces top-level keys), the two shares changed."""
        return {"attendance": {**document["attendance"],
                               "meeting_threshold_percent": str(self.meeting_threshold_percent.data),
                               "year_threshold_percent": str(self.year_threshold_percent.data)}}

    def locate(self, name: str) -> Field | None:
        field = name.removeprefix("attendance.")
        return self[field] if field in ("meeting_threshold_percent", "year_threshold_percent") else None


# The simple numbers of each rule kind an admin edits on the page; lists (topics, parts)
# stay as the framework sets them.
INDICATOR_NUMBERS = {
    "meeting_topic_count": ("target",),
    "record_count": ("target",),
    "quarters_per_subject": ("min_quarters",),
    "budget_ratio": ("threshold_percent",),
}
#: every indicator's wording, which may name the year's figures ({fiscal_year}...)
TITLE_LABELS = {"title_th": _l("Title in Thai"), "title_en": _l("Title in English")}
NUMBER_LABELS = {
    "target": _l("Target (at least)"),
    "min_quarters": _l("Quarters needed per subject"),
    "threshold_percent": _l("Threshold (%)"),
}


class IndicatorNumbersForm(FlaskForm):
    """Each indicator's simple numbers: fields ``ind<index>_<name>`` for the document's indicators."""

    version = version_field()
    #: indicator index -> its number fields; set on the class ``for_document`` makes
    fields_by_indicator: ClassVar[dict[int, list[str]]] = {}

    @classmethod
    def for_document(cls, document: dict, **kwargs) -> IndicatorNumbersForm:
        bound = type("BoundIndicatorNumbersForm", (cls,), {})
        by_indicator: dict[int, list[str]] = {}
        for index, indicator in enumerate(document["indicators"]):
            for name, text in TITLE_LABELS.items():
                setattr(bound, f"ind{index}_{name}", StringField(text, validators=[_required(), too_long(1000)]))
            for name in INDICATOR_NUMBERS.get(indicator.get("kind"), ()):
                field_class = PercentField if name == "threshold_percent" else WholeNumberField
                setattr(bound, f"ind{index}_{name}", field_class(NUMBER_LABELS[name], validators=[_required()]))
                by_indicator.setdefault(index, []).append(name)
        bound.fields_by_indicator = by_indicator
        return bound(**kwargs)

    @staticmethod
    def data_of(document: dict) -> dict:
        return {f"ind{index}_{name}": indicator[name]
                for index, indicator in enumerate(document["indicators"])
                for name in (*INDICATOR_NUMBERS.get(indicator.get("kind"), ()), *TITLE_LABELS) if name in indicator}

    def fields_of(self, index: int) -> list[Field]:
        return [self[f"ind{index}_{name}"] for name in self.fields_by_indicator.get(index, [])]

    def title_fields_of(self, index: int) -> list[Field]:
        return [self[f"ind{index}_{name}"] for name in TITLE_LABELS]

    def changes(self, document: dict) -> dict:
        indicators = []
        for index, indicator in enumerate(document["indicators"]):
            changed = dict(indicator)
            for name in TITLE_LABELS:
                changed[name] = (self[f"ind{index}_{name}"].data or "").strip()
            for name in self.fields_by_indicator.get(index, []):
                value = self[f"ind{index}_{name}"].data
                changed[name] = str(value) if isinstance(value, Decimal) else value
            indicators.append(changed)
        return {"indicators": indicators}

    def locate(self, name: str) -> Field | None:
        found = re.fullmatch(r"indicators\[(\d+)\]\.(\w+)", name)
        if found is None:
            return None
        field_name = f"ind{found[1]}_{found[2]}"
        return self[field_name] if field_name in self else None


class ChecklistItemRowForm(Form):
    key = StringField(_l("Key"), validators=[Optional(), too_long(80)])
    title_th = StringField(_l("Title in Thai"), validators=[Optional(), too_long(300)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), too_long(300)])
    freshness_kind = SelectField(_l("Must be current"),
                                 choices=[SelectChoice(code, text) for code, text in freshness_choices()],
                                 invalid_choice_message=BAD_CHOICE)
    freshness_days = WholeNumberField(_l("Days"))
    remove = BooleanField(_l("Remove"))

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.key, self.title_th, self.title_en))

    def freshness(self) -> str:
        if self.freshness_kind.data == "days":
            return f"days:{'' if self.freshness_days.data is None else self.freshness_days.data}"
        return self.freshness_kind.data


class ChecklistItemsForm(FlaskForm):
    """The website checklist's items: edit in place, tick Remove, or fill a blank row to add one."""

    version = version_field()
    items = FieldList(FormField(ChecklistItemRowForm), max_entries=200)

    @staticmethod
    def data_of(items: list[dict], blank_rows: int = 3) -> dict:
        rows = [{"key": i["key"], "title_th": i["title_th"], "title_en": i["title_en"],
                 "freshness_kind": freshness_kind(i["freshness"]),
                 "freshness_days": freshness_days(i["freshness"])} for i in items]
        rows += [{"freshness_kind": "current_fy"} for _ in range(blank_rows)]
        return {"items": rows}

    def to_items(self) -> tuple[list[dict], list[int]]:
        """The items to keep, and for each the row it came from."""
        items, origin = [], []
        for index, row in enumerate(self.items):
            if row.form.remove.data or row.form.is_blank():
                continue
            items.append({"key": (row.key.data or "").strip(), "title_th": (row.title_th.data or "").strip(),
                          "title_en": (row.title_en.data or "").strip(), "freshness": row.form.freshness()})
            origin.append(index)
        return items, origin

    def locate(self, origin: list[int]) -> Callable[[str], Field | None]:
        """``indicators[7].items[2].freshness`` names the third item kept: its row's field."""
        def find(name: str) -> Field | None:
            found = re.fullmatch(r"indicators\[\d+\]\.items\[(\d+)\]\.(\w+)", name)
            if found is None or int(found[1]) >= len(origin):
                return None
            row = self.items[origin[int(found[1])]]
            if found[2] == "freshness":
                return row.freshness_days if row.freshness_kind.data == "days" else row.freshness_kind
            return row.form[found[2]] if found[2] in row.form else None
        return find

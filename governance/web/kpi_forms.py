"""The KPI progress form: one per KPI, with a field for each of its figures.

A KPI's figures are data (its definition), so the form class is built per KPI
(``progress_form_for``); the service owns every rule, the form only parses.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from governance.indicators.kpis import KpiDefinition
from governance.services.kpis import ProgressInput
from governance.web.forms import BAD_CHOICE, date_field

BAD_FIGURE = _l("Enter a number, such as 1,240 or 84.5.")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class FigureField(StringField):
    """A figure typed as people type it (``1,240``, ``84.5``): ``data`` is a Decimal or None."""

    def process_formdata(self, valuelist):
        self.raw_data = valuelist
        text = (valuelist[0] if valuelist else "").replace(",", "").replace(" ", "").strip()
        self.data = None
        if not text:
            return
        if not _NUMBER.fullmatch(text):
            raise ValueError(str(BAD_FIGURE))
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            raise ValueError(str(BAD_FIGURE)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class ProgressForm(FlaskForm):
    reached_on = date_field(_l("Reached on / figures as of"))
    level = SelectField(_l("Milestone reached"), choices=[], validate_choice=False, validators=[Optional()])
    evidence = TextAreaField(_l("Evidence"), validators=[Length(max=5000)],
                             description=_l("Documents, decisions and figures in words, e.g. "
                                            "\"10 trainings, 1,240 trainees, 84 per cent gain\"."))
    links = TextAreaField(_l("Links to the evidence"), validators=[Optional()],
                          description=_l("One web address per line."))

    figure_keys: tuple[str, ...] = ()

    def validate_level(self, field):
        allowed = {value for value, _text in field.choices}
        if (field.data or "") not in allowed:
            raise ValidationError(BAD_CHOICE)

    def figure_fields(self):
        return [self[f"figure_{key}"] for key in self.figure_keys]

    def to_input(self) -> ProgressInput:
        return ProgressInput(
            reached_on=self.reached_on.data,
            level=int(self.level.data) if self.level.data else None,
            figures={key: self[f"figure_{key}"].data for key in self.figure_keys
                     if self[f"figure_{key}"].data is not None},
            evidence=self.evidence.data or "",
            links=[line.strip() for line in (self.links.data or "").splitlines() if line.strip()])


def progress_form_for(definition: KpiDefinition, **kwargs) -> ProgressForm:
    """The form for one KPI: its milestone levels to choose from and a field per figure."""
    thai = str(get_locale() or "th").startswith("th")
    fields = {f"figure_{figure.key}": FigureField(figure.label_th if thai else figure.label_en,
                                                  validators=[Optional()])
              for figure in definition.figures}
    form_class = type("KpiProgressForm", (ProgressForm,), {**fields,
                                                          "figure_keys": tuple(f.key for f in definition.figures)})
    form = form_class(**kwargs)
    form.level.choices = [("", _l("None (figures only)"))] + [
        (str(level.score), _l("%(score)s points: %(text)s", score=level.score, text=level.text))
        for level in definition.levels if level.is_milestone]
    return form

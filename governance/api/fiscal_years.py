"""/api/v1/fiscal-years/{fy}/indicators, /attendance and /parameters.

The evaluation is *as of* a date (``?as_of=YYYY-MM-DD``, default today in Thailand):
only what happened on or before it counts. The parameters are the year's criteria as
data; the engine validates a change and names the offending field.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import request
from pydantic import TypeAdapter

from governance import clock
from governance.api.auth import READERS, WRITERS, current_api_user, token_required
from governance.api.blueprint import bp
from governance.api.parsing import parse_body
from governance.api.schemas import AttendanceReport, Indicators, Parameters, check_fiscal_year, commit, respond
from governance.models import Role
from governance.services import fiscal_years
from governance.services.errors import ValidationFailed, plausible_dates

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: a PUT body: any JSON object; its keys and values are the engine's to judge
_CHANGES = TypeAdapter(dict[str, Any])


def as_of_arg() -> date:
    """The optional ``?as_of=YYYY-MM-DD``; today (in Thailand) without it; anything else is a 422 naming it."""
    raw = request.args.get("as_of")
    if raw is None:
        return clock.today()
    try:
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed({"as_of": f"Enter the date as YYYY-MM-DD, not {raw!r}."}) from None
    problems = plausible_dates(as_of=day)
    if problems:
        raise ValidationFailed(problems)
    return day


@bp.get("/fiscal-years/<int:fiscal_year>/indicators")
@token_required(*READERS)
def get_indicators(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    as_of = as_of_arg()
    results = fiscal_years.evaluate_fiscal_year(fiscal_year, as_of)
    if current_api_user().role == Role.DIRECTOR:
        results = fiscal_years.without_individual_submissions(results)
    return respond(Indicators.of(fiscal_year, as_of, results))


@bp.get("/fiscal-years/<int:fiscal_year>/attendance")
@token_required(*READERS)
def get_fiscal_year_attendance(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    as_of = as_of_arg()
    return respond(AttendanceReport.of(fiscal_years.fiscal_year_attendance(fiscal_year, as_of)))


@bp.get("/fiscal-years/<int:fiscal_year>/parameters")
@token_required(*READERS)
def get_parameters(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    return respond(Parameters.model_validate(fiscal_years.parameters_document(fiscal_year)))


@bp.put("/fiscal-years/<int:fiscal_year>/parameters")
@token_required(*WRITERS)  # the secretary enters the Cabinet's deadline; the rest is the admin's (403)
def update_parameters(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    changes = parse_body(_CHANGES)
    parameters = fiscal_years.update_parameters(fiscal_year, changes, by=current_api_user().role)
    commit()
    return respond(Parameters.model_validate(parameters.to_dict()))

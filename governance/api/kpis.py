"""/api/v1/fiscal-years/{fy}/kpis: the organisation's KPIs 1-9 scored as of a date, and owners' progress.

Figures travel as decimal strings (``"84.5"``, ``"1240"``), like money: exact, never floats.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from governance import clock
from governance.api.auth import READERS, WRITERS, current_api_user, token_required
from governance.api.blueprint import bp
from governance.api.fiscal_years import as_of_arg
from governance.api.parsing import StrictModel, parse_body
from governance.api.schemas import Text, check_fiscal_year, commit, respond
from governance.services import kpis

FIGURE_PATTERN = r"^-?[0-9]+(\.[0-9]{1,2})?$"
FigureText = Annotated[str, StringConstraints(pattern=FIGURE_PATTERN, max_length=20)]


class KpiLevel(BaseModel):
    score: Literal[50, 75, 100]
    text: str = Field(description="The OPDC's text of the level, verbatim; `-` where the KPI has no such level.")
    exists: bool
    kind: Literal["milestone", "figures", "none"] = Field(
        description="`milestone`: reached when the owner records it; `figures`: follows from the figures.")
    reached: bool
    reached_on: date | None = Field(description="When a milestone was first recorded as reached.")


class KpiFigure(BaseModel):
    key: str = Field(examples=["disbursement_percent"])
    label_th: str
    label_en: str
    unit: Literal["count", "percent"]
    value: str = Field(pattern=FIGURE_PATTERN, description="Two decimals, e.g. `96.52`.")
    as_of: date | None = Field(description="The day the figure holds for.")
    source: Literal["entered", "budget_disbursement"] = Field(
        description="`budget_disbursement`: indicator 14's ratio from the budget records.")


class KpiNeed(BaseModel):
    code: Literal["milestone", "figure"]
    score: Literal[50, 75, 100]
    text: str | None = Field(default=None, description="For a milestone: the level's text.")
    figure: str | None = None
    label_th: str | None = None
    label_en: str | None = None
    op: Literal[">=", "<="] | None = None
    value: str | None = Field(default=None, description="For a figure: the bound it must reach.")
    current: str | None = Field(default=None, description="For a figure: its value now; null if not entered.")


class KpiEvidence(BaseModel):
    id: int
    reached_on: date
    level: Literal[50, 75, 100] | None
    figures: dict[str, str]
    evidence: str
    links: list[str]
    recorded_by: str = Field(description="The account's email; empty when loaded by a command.")


class KpiScore(BaseModel):
    number: int = Field(examples=[7])
    component: int
    component_name: str
    name: str = Field(description="The OPDC's text, verbatim.")
    name_en: str
    owner_unit: str = Field(examples=["โครงการ Speed-up e-Licensing"])
    notes: str
    score: Literal[0, 50, 75, 100] = Field(
        description="The highest level reached with every existing level below it reached too.")
    level_text: str | None
    levels: list[KpiLevel]
    figures: list[KpiFigure]
    next_level: Literal[50, 75, 100] | None = Field(description="The lowest level not yet counted; null at 100.")
    needed: list[KpiNeed] = Field(description="What the next level still needs.")
    last_update_on: date | None
    evidence: list[KpiEvidence] = Field(description="The updates counted as of the date, newest first.")


class KpiScorecard(BaseModel):
    fiscal_year: int = Field(examples=[2563])
    as_of: date
    kpis: list[KpiScore] = Field(description="Empty until the year's KPIs are loaded (`flask kpis load`).")


class KpiProgressRequest(StrictModel):
    """An owner's update: a milestone reached and/or figures, with the evidence."""

    reached_on: date = Field(description="The day the milestone was reached or the figures hold for; not in the "
                                         "future, not before the fiscal year.")
    level: Literal[50, 75, 100] | None = Field(
        default=None, description="A milestone level of this KPI reached; a level reached through figures is a 422.")
    figures: dict[Annotated[str, StringConstraints(max_length=60)], FigureText] = Field(
        default_factory=dict, examples=[{"trainings": "10", "trainees": "1240", "knowledge_gain_percent": "84"}],
        description="Figure key -> value as a decimal string; an unknown key is a 422 naming `figures.<key>`.")
    evidence: Text = Field(min_length=1, max_length=5000)
    links: list[Annotated[Text, StringConstraints(max_length=500)]] = Field(default_factory=list, max_length=20)


class KpiProgressCreated(BaseModel):
    id: int = Field(description="The update's id.")
    kpi: KpiScore = Field(description="The KPI scored as of today, the update included.")


@bp.get("/fiscal-years/<int:fiscal_year>/kpis")
@token_required(*READERS)
def get_kpi_scorecard(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    document = kpis.scorecard_document(kpis.scorecard(fiscal_year, as_of_arg()))
    return respond(KpiScorecard.model_validate(document))


@bp.post("/fiscal-years/<int:fiscal_year>/kpis/<int:number>/progress")
@token_required(*WRITERS)
def record_kpi_progress(fiscal_year: int, number: int):
    check_fiscal_year(fiscal_year)
    kpis.get_kpi(fiscal_year, number)  # an unknown KPI is a 404 whatever the body
    body = parse_body(KpiProgressRequest)
    today = clock.today()
    progress = kpis.record_progress(
        fiscal_year, number,
        kpis.ProgressInput(reached_on=body.reached_on, level=body.level,
                           figures={key: Decimal(value) for key, value in body.figures.items()},
                           evidence=body.evidence, links=list(body.links)),
        today=today, recorded_by_id=current_api_user().id)
    commit()
    document = kpis.score_document(kpis.kpi_score(fiscal_year, number, max(today, progress.reached_on)))
    return respond(KpiProgressCreated(id=progress.id, kpi=KpiScore.model_validate(document)), status=201)

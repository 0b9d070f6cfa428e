"""The organisation's KPIs 1-9: load a year's set, record owners' progress, score them as
of a date, quarter by quarter, and freeze the scorecard onto a board agenda item.

The rules are ``indicators.kpis`` (pure); this module copies rows into its plain data and
back.  Each public function that writes is one user operation: it flushes, never commits.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from governance import fiscal
from governance.extensions import db
from governance.indicators.data import BudgetMonthRecord, FiscalYearData
from governance.indicators.kpis import (
    FigureValue,
    KpiDefinition,
    KpiDefinitionError,
    KpiScore,
    ProgressEntry,
    parse_definition,
    parse_document,
    score,
)
from governance.indicators.rules import budget_ratio
from governance.indicators.vocabulary import Topic
from governance.models import AgendaItem, Kpi, KpiFigure, KpiProgress, KpiSnapshot
from governance.services import budget, fiscal_years
from governance.services.errors import Conflict, NotFound, ValidationFailed, plausible_dates

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
EVIDENCE_MAX = 5000
LINK_MAX = 500
LINKS_MAX = 20
FIGURE_LIMIT = Decimal("1e12")
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
TWO_PLACES = Decimal("0.01")


# --- the year's set -----------------------------------------------------------------------

def data_file(fiscal_year: int) -> Path:
    return DATA_DIR / f"kpis-fy{fiscal_year}.json"


def read_data_file(fiscal_year: int) -> list[KpiDefinition]:
    """The year's KPI set as shipped in ``governance/data``; NotFound when there is none."""
    fiscal.fiscal_year(fiscal_year)
    path = data_file(fiscal_year)
    if not path.is_file():
        raise NotFound(_l("No KPI set is shipped for fiscal year %(fy)s.", fy=fiscal_year))
    try:
        year, definitions = parse_document(json.loads(path.read_text(encoding="utf-8")))
    except (KpiDefinitionError, json.JSONDecodeError) as error:
        raise ValidationFailed({"document": str(error)}) from None
    if year != fiscal_year:
        raise ValidationFailed({"fiscal_year": f"{path.name} is for fiscal year {year}, not {fiscal_year}"})
    return definitions


@dataclass
class LoadReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


def load_fiscal_year(fiscal_year: int, definitions: list[KpiDefinition] | None = None) -> LoadReport:
    """Make the year's KPIs those of its data file (or ``definitions``); progress is kept.

    Loading again is harmless: a KPI whose definition is unchanged is left alone.
    """
    definitions = read_data_file(fiscal_year) if definitions is None else definitions
    existing = {kpi.number: kpi for kpi in list_kpis(fiscal_year)}
    report = LoadReport()
    for definition in definitions:
        columns = {"component": definition.component, "component_name": definition.component_name,
                   "name": definition.name, "name_en": definition.name_en, "owner_unit": definition.owner_unit,
                   "notes": definition.notes, "definition": definition.to_dict()}
        kpi = existing.get(definition.number)
        if kpi is None:
            db.session.add(Kpi(fiscal_year=fiscal_year, number=definition.number, **columns))
            report.created.append(definition.number)
        elif any(getattr(kpi, name) != value for name, value in columns.items()):
            for name, value in columns.items():
                setattr(kpi, name, value)
            report.updated.append(definition.number)
        else:
            report.unchanged.append(definition.number)
    db.session.flush()
    return report


def list_kpis(fiscal_year: int) -> list[Kpi]:
    fiscal.fiscal_year(fiscal_year)
    return list(db.session.scalars(sa.select(Kpi).where(Kpi.fiscal_year == fiscal_year).order_by(Kpi.number)))


def get_kpi(fiscal_year: int, number: int) -> Kpi:
    kpi = db.session.scalar(sa.select(Kpi).where(Kpi.fiscal_year == fiscal_year, Kpi.number == number))
    if kpi is None:
        raise NotFound(_l("No KPI %(number)s in fiscal year %(fy)s.", number=number, fy=fiscal_year))
    return kpi


def definition_of(kpi: Kpi) -> KpiDefinition:
    return parse_definition(kpi.definition)


# --- progress -----------------------------------------------------------------------------

@functools.cache
def figure_labels() -> dict[str, tuple[str, str]]:
    """Every figure the shipped KPI sets define, by key: (Thai label, English label)."""
    labels: dict[str, tuple[str, str]] = {}
    for path in sorted(DATA_DIR.glob("kpis-fy*.json")):
        for definition in read_data_file(int(path.stem.removeprefix("kpis-fy"))):
            labels.update({f.key: (f.label_th, f.label_en) for f in definition.figures})
    return labels


@dataclass
class ProgressInput:
    reached_on: date | None
    #: the milestone level reached (50, 75, 100), or None
    level: int | None = None
    #: figure key -> value (e.g. {"trainees": Decimal("1240")})
    figures: dict[str, Decimal] = field(default_factory=dict)
    evidence: str = ""
    links: list[str] = field(default_factory=list)


def record_progress(fiscal_year: int, number: int, data: ProgressInput, today: date,
                    recorded_by_id: int | None = None) -> KpiProgress:
    """An owner's update (recorded by the secretariat on the owner's behalf)."""
    kpi = get_kpi(fiscal_year, number)
    definition = definition_of(kpi)
    _check_progress(fiscal.fiscal_year(fiscal_year), definition, data, today)
    progress = KpiProgress(kpi=kpi, reached_on=data.reached_on, level=data.level, evidence=data.evidence.strip(),
                           links="\n".join(link.strip() for link in data.links if link.strip()),
                           recorded_by_id=recorded_by_id)
    progress.figures = [KpiFigure(figure=key, value_hundredths=int((value * 100).to_integral_exact()))
                        for key, value in sorted(data.figures.items())]
    db.session.add(progress)
    db.session.flush()
    return progress


def _check_progress(year: fiscal.FiscalYear, definition: KpiDefinition, data: ProgressInput, today: date) -> None:
    errors: dict[str, str] = {}
    if data.reached_on is None:
        errors["reached_on"] = _l("Enter the date the milestone was reached or the figures hold for.")
    else:
        errors.update(plausible_dates(reached_on=data.reached_on))
        if "reached_on" not in errors and data.reached_on < year.start:
            errors["reached_on"] = _l("The date is before fiscal year %(fy)s began (%(start)s).",
                                      fy=year.number, start=year.start.isoformat())
        elif "reached_on" not in errors and data.reached_on > today:
            errors["reached_on"] = _l("The date cannot be in the future.")
    if data.level is not None and data.level not in definition.milestone_scores:
        errors["level"] = (_l("Level %(score)s of this KPI is reached through its figures; enter them instead.",
                              score=data.level)
                           if any(lv.score == data.level and lv.exists for lv in definition.levels)
                           else _l("This KPI has no milestone level %(score)s.", score=data.level))
    for key, value in data.figures.items():
        problem = _figure_problem(definition, key, value)
        if problem:
            errors[f"figures.{key}"] = problem
    if data.level is None and not data.figures and "level" not in errors:
        errors["level"] = _l("Record a milestone reached or at least one figure.")
    if not data.evidence.strip():
        errors["evidence"] = _l("Describe the evidence: documents, decisions, figures.")
    elif len(data.evidence) > EVIDENCE_MAX:
        errors["evidence"] = _l("Use at most %(max)d characters.", max=EVIDENCE_MAX)
    links = [link.strip() for link in data.links if link.strip()]
    if len(links) > LINKS_MAX:
        errors["links"] = _l("At most %(max)d links.", max=LINKS_MAX)
    for link in links:
        if len(link) > LINK_MAX or not _URL.fullmatch(link):
            errors["links"] = _l("Each link must be a web address starting with https:// or http://.")
    if errors:
        raise ValidationFailed(errors)


def _figure_problem(definition: KpiDefinition, key: str, value: Decimal):
    figure = definition.figure(key)
    if figure is None:
        return _l("This KPI has no figure %(key)s.", key=key)
    if not value.is_finite() or abs(value) >= FIGURE_LIMIT:
        return _l("Enter a number.")
    if value < 0 and not figure.signed:
        return _l("The figure cannot be negative.")
    if figure.unit == "count" and value != value.to_integral_value():
        return _l("Enter a whole number.")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        return _l("Use at most two decimal places.")
    return None


def progress_entries(kpi: Kpi) -> list[ProgressEntry]:
    return [ProgressEntry(id=p.id, reached_on=p.reached_on, level=p.level,
                          figures={f.figure: f.value for f in p.figures}, evidence=p.evidence,
                          links=tuple(p.link_list), recorded_by=p.recorded_by.email if p.recorded_by else "")
            for p in kpi.progress]


# --- scoring ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scorecard:
    fiscal_year: int
    as_of: date
    scores: list[KpiScore]


def scorecard(fiscal_year: int, as_of: date) -> Scorecard:
    """Every KPI of the year as of a date, with the budget's figure where a KPI takes it."""
    kpis = list_kpis(fiscal_year)
    external = {"disbursement_percent": disbursement_to_date(fiscal_year, as_of)}
    return Scorecard(fiscal_year, as_of, [score(definition_of(k), progress_entries(k), as_of, external)
                                          for k in kpis])


def kpi_score(fiscal_year: int, number: int, as_of: date) -> KpiScore:
    kpi = get_kpi(fiscal_year, number)
    external = {"disbursement_percent": disbursement_to_date(fiscal_year, as_of)}
    return score(definition_of(kpi), progress_entries(kpi), as_of, external)


def disbursement_to_date(fiscal_year: int, as_of: date) -> FigureValue | None:
    """Indicator 14's ratio (cumulative actual ÷ plan x 100) from the same budget rows, exact;
    None while the year has no actual figure."""
    spec = next((s for s in fiscal_years.get_parameters(fiscal_year).indicators if s.kind == "budget_ratio"), None)
    rows = budget.get_budget(fiscal_year)
    if spec is None or not rows:
        return None
    data = FiscalYearData(fiscal_year=fiscal_year, budget_months=[
        BudgetMonthRecord(month=row.month, planned=row.planned, actual=row.actual) for row in rows])
    result = budget_ratio(spec, data, fiscal_years.get_parameters(fiscal_year), as_of)
    if result.value is None:
        return None
    detail = result.detail
    ratio = Fraction(Decimal(detail["actual"])) * 100 / Fraction(Decimal(detail["planned"]))
    year, month = (int(part) for part in detail["to_month"].split("-"))
    last_day = (date(year + month // 12, month % 12 + 1, 1).toordinal() - 1)
    return FigureValue("disbursement_percent", ratio, date.fromordinal(last_day), "budget_disbursement")


@dataclass(frozen=True)
class QuarterHistory:
    fiscal_year: int
    as_of: date
    #: (quarter, its last day, the day it is scored as of: the quarter end, or as_of in the current one)
    quarters: list[tuple[int, date, date]]
    #: KPI number -> its score at each quarter (None for quarters not begun)
    rows: list[dict]


def quarter_history(fiscal_year: int, as_of: date) -> QuarterHistory:
    """Each KPI's score at the end of each quarter begun by ``as_of`` (the current one as of today)."""
    year = fiscal.fiscal_year(fiscal_year)
    quarters = []
    for quarter in (1, 2, 3, 4):
        start, end = year.quarter_bounds(quarter)
        if start <= as_of:
            quarters.append((quarter, end, min(end, as_of)))
    kpis = list_kpis(fiscal_year)
    externals = {day: {"disbursement_percent": disbursement_to_date(fiscal_year, day)} for _q, _e, day in quarters}
    rows = []
    for kpi in kpis:
        definition, entries = definition_of(kpi), progress_entries(kpi)
        cells = []
        for quarter, _end, day in quarters:
            start = year.quarter_bounds(quarter)[0]
            result = score(definition, entries, day, externals[day])
            cells.append({"score": result.score,
                          "updates": sum(1 for e in entries if start <= e.reached_on <= day)})
        rows.append({"number": kpi.number, "name": kpi.name, "name_en": kpi.name_en,
                     "owner_unit": kpi.owner_unit, "cells": cells})
    return QuarterHistory(fiscal_year, as_of, quarters, rows)


# --- the scorecard as a document (the API's answer and the frozen snapshot) -----------------

def figure_text(value: Fraction | Decimal | None, unit: str = "percent") -> str | None:
    """A figure as shown: a count whole, a percentage to two places, half up (``Fraction(96)`` -> ``"96.00"``)."""
    if value is None:
        return None
    decimal = value if isinstance(value, Decimal) else Decimal(value.numerator) / Decimal(value.denominator)
    if unit == "count" and decimal == decimal.to_integral_value():
        return str(decimal.to_integral_value())
    return str(decimal.quantize(TWO_PLACES, rounding=ROUND_HALF_UP))


def score_document(result: KpiScore) -> dict:
    d = result.definition
    figures = {f.key: f for f in d.figures}
    return {
        "number": d.number, "component": d.component, "component_name": d.component_name, "name": d.name,
        "name_en": d.name_en, "owner_unit": d.owner_unit, "notes": d.notes, "score": result.score,
        "level_text": result.level_reached.text if result.level_reached else None,
        "levels": [{"score": s.level.score, "text": s.level.text, "exists": s.level.exists,
                    "kind": "milestone" if s.level.is_milestone else ("figures" if s.level.exists else "none"),
                    "reached": s.reached, "reached_on": s.reached_on.isoformat() if s.reached_on else None}
                   for s in result.levels],
        "figures": [{"key": key, "label_th": figures[key].label_th, "label_en": figures[key].label_en,
                     "unit": figures[key].unit, "value": figure_text(value.value, figures[key].unit),
                     "as_of": value.as_of.isoformat() if value.as_of else None, "source": value.source}
                    for key, value in sorted(result.figures.items(), key=lambda kv: list(figures).index(kv[0]))],
        "next_level": result.next_level.score if result.next_level else None,
        "needed": [_needed_document(need, figures) for need in result.needed],
        "last_update_on": result.last_update_on.isoformat() if result.last_update_on else None,
        "evidence": [{"id": e.id, "reached_on": e.reached_on.isoformat(), "level": e.level,
                      "figures": {k: figure_text(v, figures[k].unit if k in figures else "percent")
                                  for k, v in sorted(e.figures.items())},
                      "evidence": e.evidence, "links": list(e.links), "recorded_by": e.recorded_by}
                     for e in result.evidence],
    }


def _needed_document(need: dict, figures: dict) -> dict:
    if need["code"] == "milestone":
        return {"code": "milestone", "score": need["score"], "text": need["text"]}
    figure = figures[need["figure"]]
    return {"code": "figure", "score": need["score"], "figure": need["figure"], "label_th": figure.label_th,
            "label_en": figure.label_en, "op": need["op"], "value": figure_text(need["value"], figure.unit),
            "current": figure_text(need["current"], figure.unit)}


def scorecard_document(card: Scorecard) -> dict:
    return {"fiscal_year": card.fiscal_year, "as_of": card.as_of.isoformat(),
            "kpis": [score_document(result) for result in card.scores]}


# --- the scorecard the board saw -----------------------------------------------------------

def snapshot_for_agenda_item(item_id: int) -> KpiSnapshot | None:
    return db.session.scalar(sa.select(KpiSnapshot).where(KpiSnapshot.agenda_item_id == item_id))


def agenda_item_location(item_id: int) -> tuple[int] | None:
    """(meeting id,) of an agenda item, for a link back to it; None when it is gone."""
    item = db.session.get(AgendaItem, item_id)
    return None if item is None else (item.meeting_id,)


def freeze_for_agenda_item(item_id: int, frozen_by_id: int | None = None) -> KpiSnapshot:
    """Attach the scorecard as of the meeting's date to a mission-report agenda item, for good."""
    item = db.session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound(_l("No agenda item with id %(id)s.", id=item_id))
    if item.topic != Topic.MISSION_REPORT:
        raise ValidationFailed({"topic": _l("Only a mission-report agenda item carries the KPI scorecard.")})
    if snapshot_for_agenda_item(item_id) is not None:
        raise Conflict(_l("The scorecard for this agenda item was frozen already; it does not change."))
    as_of = item.meeting.held_on
    fiscal_year = fiscal.fiscal_year_of(as_of)
    card = scorecard(fiscal_year, as_of)
    if not card.scores:
        raise ValidationFailed({"fiscal_year": _l("No KPIs are loaded for fiscal year %(fy)s.", fy=fiscal_year)})
    snapshot = KpiSnapshot(agenda_item_id=item_id, fiscal_year=fiscal_year, as_of=as_of,
                           scorecard=scorecard_document(card), frozen_by_id=frozen_by_id)
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


# --- the demo -----------------------------------------------------------------------------

def load_demo() -> None:
    """FY2563's KPIs with a year's worth of owners' updates (``flask demo``)."""
    load_fiscal_year(2563)
    end = date(2020, 9, 30)
    updates = (
        (1, date(2020, 1, 20), 50, {}, "ร่างยุทธศาสตร์ธุรกรรมทางอิเล็กทรอนิกส์แล้วเสร็จ (บันทึกข้อความ ที่ 12/2563)"),
        (1, date(2020, 5, 12), 75, {}, "คณะกรรมการกำกับ สพชอ. เห็นชอบ ในการประชุมครั้งที่ 3/2563"),
        (3, date(2020, 3, 10), 50, {}, "รายงานผลการศึกษาขั้นต้นนำไปหารือผู้มีส่วนได้ส่วนเสีย 3 ครั้ง"),
        (4, date(2019, 12, 5), None, {"partners": Decimal(6)}, "บันทึกความร่วมมือกับภาคเอกชน 6 หน่วยงาน"),
        (4, date(2020, 8, 28), None, {"trainings": Decimal(10), "trainees": Decimal(1240),
                                      "knowledge_gain_percent": Decimal(84)},
         "อบรม 10 ครั้ง ผู้เข้าอบรม 1,240 คน ความรู้เพิ่มขึ้นร้อยละ 84"),
        (6, date(2020, 7, 15), None, {"personnel_cost_percent": Decimal("27.40"),
                                      "personnel_cost_growth_percent": Decimal("12.50")},
         "รายงานค่าใช้จ่ายบุคลากร ไตรมาส 3"),
        (9, date(2020, 6, 30), None, {"satisfaction_percent": Decimal("86.20"),
                                      "quality_pass_percent": Decimal("78.00")},
         "รายงานการประเมินความพึงพอใจ e-Time Stamping รอบ 9 เดือน"),
    )
    for number, day, level, figures, evidence in updates:
        record_progress(2563, number, ProgressInput(reached_on=day, level=level, figures=figures, evidence=evidence),
                        today=end)


"""The organisation's KPIs 1-9 (OPDC components 1-4), scored by milestone (pure: stdlib only).

Each KPI has three score levels, 50, 75 and 100 points, whose text is the OPDC's own
(``governance/data/kpis-fy2563.json``).  A level is reached either

- as a *milestone*: the owner records that it was reached (with evidence), or
- by its *figures*: every condition holds for the latest figure entered on or before the
  as-of date, e.g. ``disbursement_percent >= 96`` (indicator 7); a figure may instead come
  from the budget records (``source: budget_disbursement``), the same data as indicator 14.

A level whose text is ``-`` does not exist (indicator 6 has no 50-point level).  Levels
are steps: the score is the highest level reached *with every existing level below it
also reached*, so a 100-point milestone recorded before the 50-point one scores nothing
until the 50-point one is recorded too.  Comparisons are exact (``Fraction``), never
rounded: 95.99 % is below 96 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

SCORES = (50, 75, 100)
NO_LEVEL = "-"
OPERATORS = {
    ">=": lambda value, bound: value >= bound,
    "<=": lambda value, bound: value <= bound,
}
UNITS = ("count", "percent")
SOURCES = ("entered", "budget_disbursement")


class KpiDefinitionError(ValueError):
    """A KPI document that does not follow the format; ``path`` names the offending part."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


# --- definitions ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Condition:
    figure: str
    op: str  # ">=" or "<="
    value: Decimal

    def holds(self, value: Fraction | Decimal | None) -> bool:
        return value is not None and OPERATORS[self.op](Fraction(value), Fraction(self.value))

    def to_dict(self) -> dict:
        return {"figure": self.figure, "op": self.op, "value": str(self.value)}


@dataclass(frozen=True)
class Level:
    score: int
    #: the OPDC's text, verbatim; "-" when the KPI has no such level
    text: str
    #: empty: a milestone the owner records; otherwise all must hold
    conditions: tuple[Condition, ...] = ()

    @property
    def exists(self) -> bool:
        return self.text.strip() != NO_LEVEL

    @property
    def is_milestone(self) -> bool:
        return self.exists and not self.conditions

    def to_dict(self) -> dict:
        out: dict = {"score": self.score, "text": self.text}
        if self.conditions:
            out["conditions"] = [c.to_dict() for c in self.conditions]
        return out


@dataclass(frozen=True)
class Figure:
    key: str
    unit: str  # "count" (a whole number) or "percent"
    label_th: str
    label_en: str
    #: "entered" by the owner, or "budget_disbursement": indicator 14's ratio when the budget has actuals
    source: str = "entered"
    #: may be negative (a growth rate)
    signed: bool = False

    def to_dict(self) -> dict:
        out = {"key": self.key, "unit": self.unit, "label_th": self.label_th, "label_en": self.label_en}
        if self.source != "entered":
            out["source"] = self.source
        if self.signed:
            out["signed"] = True
        return out


@dataclass(frozen=True)
class KpiDefinition:
    number: int
    component: int
    component_name: str
    name: str
    owner_unit: str
    levels: tuple[Level, ...]
    figures: tuple[Figure, ...] = ()
    name_en: str = ""
    notes: str = ""

    def level(self, score: int) -> Level:
        return next(level for level in self.levels if level.score == score)

    @property
    def existing_levels(self) -> tuple[Level, ...]:
        return tuple(level for level in self.levels if level.exists)

    @property
    def milestone_scores(self) -> tuple[int, ...]:
        return tuple(level.score for level in self.levels if level.is_milestone)

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def to_dict(self) -> dict:
        return {"number": self.number, "component": self.component, "component_name": self.component_name,
                "name": self.name, "name_en": self.name_en, "owner_unit": self.owner_unit,
                "levels": [level.to_dict() for level in self.levels],
                "figures": [f.to_dict() for f in self.figures], "notes": self.notes}


def parse_definition(raw: Mapping, path: str = "kpi") -> KpiDefinition:
    """One KPI from its JSON form; a malformed one raises ``KpiDefinitionError`` naming the part."""
    if not isinstance(raw, Mapping):
        raise KpiDefinitionError(path, "must be an object")
    number = _int(raw, "number", path, 1, 99)
    component = _int(raw, "component", path, 1, 99)
    figures = tuple(_figure(item, f"{path}.figures[{i}]") for i, item in enumerate(raw.get("figures") or ()))
    keys = [f.key for f in figures]
    if len(set(keys)) != len(keys):
        raise KpiDefinitionError(f"{path}.figures", "a figure key is listed twice")
    levels_raw = raw.get("levels")
    if not isinstance(levels_raw, list) or [lv.get("score") if isinstance(lv, Mapping) else None
                                            for lv in levels_raw] != list(SCORES):
        raise KpiDefinitionError(f"{path}.levels", "must be the three levels 50, 75 and 100, in order")
    levels = tuple(_level(item, f"{path}.levels[{i}]", set(keys)) for i, item in enumerate(levels_raw))
    if not any(level.exists for level in levels):
        raise KpiDefinitionError(f"{path}.levels", "at least one level must exist")
    return KpiDefinition(
        number=number, component=component, component_name=_text(raw, "component_name", path),
        name=_text(raw, "name", path), owner_unit=_text(raw, "owner_unit", path), levels=levels,
        figures=figures, name_en=_text(raw, "name_en", path, required=False),
        notes=_text(raw, "notes", path, required=False))


def parse_document(raw: Mapping) -> tuple[int, list[KpiDefinition]]:
    """A fiscal year's KPI set: ``{"fiscal_year": 2563, "kpis": [...]}``."""
    if not isinstance(raw, Mapping):
        raise KpiDefinitionError("document", "must be an object")
    fiscal_year = _int(raw, "fiscal_year", "document", 2400, 2800)
    items = raw.get("kpis")
    if not isinstance(items, list) or not items:
        raise KpiDefinitionError("kpis", "must list at least one KPI")
    kpis = [parse_definition(item, f"kpis[{i}]") for i, item in enumerate(items)]
    numbers = [k.number for k in kpis]
    if len(set(numbers)) != len(numbers):
        raise KpiDefinitionError("kpis", "a KPI number is listed twice")
    return fiscal_year, kpis


def _int(raw: Mapping, key: str, path: str, low: int, high: int) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise KpiDefinitionError(f"{path}.{key}", f"must be a whole number from {low} to {high}")
    return value


def _text(raw: Mapping, key: str, path: str, required: bool = True) -> str:
    value = raw.get(key, "" if not required else None)
    if not isinstance(value, str) or (required and not value.strip()):
        raise KpiDefinitionError(f"{path}.{key}", "must be text")
    return value


def _figure(raw: Mapping, path: str) -> Figure:
    if not isinstance(raw, Mapping):
        raise KpiDefinitionError(path, "must be an object")
    figure = Figure(key=_text(raw, "key", path), unit=_text(raw, "unit", path),
                    label_th=_text(raw, "label_th", path), label_en=_text(raw, "label_en", path),
                    source=raw.get("source", "entered"), signed=raw.get("signed", False) is True)
    if figure.unit not in UNITS:
        raise KpiDefinitionError(f"{path}.unit", f"must be one of {', '.join(UNITS)}")
    if figure.source not in SOURCES:
        raise KpiDefinitionError(f"{path}.source", f"must be one of {', '.join(SOURCES)}")
    return figure


def _level(raw: Mapping, path: str, figure_keys: set[str]) -> Level:
    conditions = []
    for i, item in enumerate(raw.get("conditions") or ()):
        where = f"{path}.conditions[{i}]"
        if not isinstance(item, Mapping) or item.get("figure") not in figure_keys:
            raise KpiDefinitionError(f"{where}.figure", "must name one of the KPI's figures")
        if item.get("op") not in OPERATORS:
            raise KpiDefinitionError(f"{where}.op", "must be >= or <=")
        try:
            value = Decimal(str(item.get("value")))
        except InvalidOperation:
            raise KpiDefinitionError(f"{where}.value", "must be a number written as text, e.g. \"96\"") from None
        if not value.is_finite():
            raise KpiDefinitionError(f"{where}.value", "must be a number")
        conditions.append(Condition(item["figure"], item["op"], value))
    level = Level(score=raw["score"], text=_text(raw, "text", path), conditions=tuple(conditions))
    if not level.exists and conditions:
        raise KpiDefinitionError(f"{path}.conditions", "a level that does not exist (\"-\") has no conditions")
    return level


# --- progress and scoring ------------------------------------------------------------------

@dataclass(frozen=True)
class ProgressEntry:
    """What an owner recorded: a milestone reached and/or figures, as of ``reached_on``."""

    id: int
    reached_on: date
    #: the milestone level reached (50, 75, 100), or None for figures only
    level: int | None = None
    figures: Mapping[str, Decimal] = field(default_factory=dict)
    evidence: str = ""
    links: tuple[str, ...] = ()
    recorded_by: str = ""


@dataclass(frozen=True)
class FigureValue:
    key: str
    value: Fraction | Decimal
    #: the day it holds for (a progress entry's date, or the last day of the budget's month)
    as_of: date | None
    source: str  # "entered" or "budget_disbursement"
    entry_id: int | None = None


@dataclass(frozen=True)
class LevelState:
    level: Level
    reached: bool
    #: the day a milestone was recorded as reached (None for figure levels)
    reached_on: date | None = None
    entry_id: int | None = None


@dataclass(frozen=True)
class KpiScore:
    definition: KpiDefinition
    as_of: date
    score: int  # 0, 50, 75 or 100
    levels: tuple[LevelState, ...]
    figures: Mapping[str, FigureValue]
    #: the lowest existing level not yet counted (None at 100 points)
    next_level: Level | None
    #: what that level still needs, as codes a UI words:
    #: {"code": "milestone", "score": 75, "text": ...} or
    #: {"code": "figure", "figure": key, "op": ">=", "value": Decimal, "current": value or None}
    needed: tuple[dict, ...]
    #: the entries counted as of the date, newest first
    evidence: tuple[ProgressEntry, ...]

    @property
    def level_reached(self) -> Level | None:
        return self.definition.level(self.score) if self.score else None

    @property
    def last_update_on(self) -> date | None:
        return self.evidence[0].reached_on if self.evidence else None


def latest_figures(definition: KpiDefinition, entries: Iterable[ProgressEntry], as_of: date,
                   external: Mapping[str, FigureValue] | None = None) -> dict[str, FigureValue]:
    """Each figure's latest entered value on or before ``as_of``; an external (budget) value wins."""
    out: dict[str, FigureValue] = {}
    for entry in sorted((e for e in entries if e.reached_on <= as_of), key=lambda e: (e.reached_on, e.id)):
        for key, value in entry.figures.items():
            if definition.figure(key) is not None:
                out[key] = FigureValue(key, value, entry.reached_on, "entered", entry.id)
    for key, value in (external or {}).items():
        figure = definition.figure(key)
        if figure is not None and figure.source != "entered" and value is not None:
            out[key] = value
    return out


def score(definition: KpiDefinition, entries: Iterable[ProgressEntry], as_of: date,
          external: Mapping[str, FigureValue] | None = None) -> KpiScore:
    """The KPI as of a date: levels reached, the score, what the next level needs, the evidence."""
    counted = tuple(sorted((e for e in entries if e.reached_on <= as_of),
                           key=lambda e: (e.reached_on, e.id), reverse=True))
    figures = latest_figures(definition, counted, as_of, external)
    values = {key: fv.value for key, fv in figures.items()}
    milestones: dict[int, ProgressEntry] = {}
    for entry in reversed(counted):  # oldest first: the first day a milestone was reached
        if entry.level is not None:
            milestones.setdefault(entry.level, entry)
    states = []
    for level in definition.levels:
        if not level.exists:
            states.append(LevelState(level, reached=False))
        elif level.conditions:
            states.append(LevelState(level, reached=all(c.holds(values.get(c.figure)) for c in level.conditions)))
        else:
            entry = milestones.get(level.score)
            states.append(LevelState(level, reached=entry is not None,
                                     reached_on=entry.reached_on if entry else None,
                                     entry_id=entry.id if entry else None))
    total, next_level = 0, None
    for state in states:
        if not state.level.exists:
            continue
        if not state.reached:
            next_level = state.level
            break
        total = state.level.score
    return KpiScore(definition=definition, as_of=as_of, score=total, levels=tuple(states), figures=figures,
                    next_level=next_level, needed=_needed(next_level, values), evidence=counted)


def _needed(level: Level | None, values: Mapping[str, Fraction | Decimal]) -> tuple[dict, ...]:
    if level is None:
        return ()
    if not level.conditions:
        return ({"code": "milestone", "score": level.score, "text": level.text},)
    return tuple({"code": "figure", "score": level.score, "figure": c.figure, "op": c.op, "value": c.value,
                  "current": values.get(c.figure)}
                 for c in level.conditions if not c.holds(values.get(c.figure)))


"""Loading the set, recording progress (each rule names its field), the scorecard with the
budget's figure, the quarter history, and the scorecard frozen onto a mission-report item."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from governance.extensions import db
from governance.indicators.vocabulary import Topic
from governance.models import AuditEntry, Kpi, KpiFigure, KpiProgress
from governance.services import budget, kpis, meetings
from governance.services.errors import Conflict, NotFound, ValidationFailed

TODAY = date(2020, 9, 30)


def test_loading_twice_changes_nothing_and_keeps_progress(fy2563, record):
    record(1, date(2020, 1, 20), level=50)
    again = kpis.load_fiscal_year(2563)
    assert again.created == [] and again.updated == [] and again.unchanged == list(range(1, 10))
    assert len(kpis.list_kpis(2563)) == 9 and db.session.scalar(sa.select(sa.func.count(KpiProgress.id))) == 1
    assert kpis.get_kpi(2563, 6).notes.startswith("หมายเหตุ *")


def test_the_database_refuses_a_second_kpi_with_the_same_number(fy2563):
    db.session.add(Kpi(fiscal_year=2563, number=1, component=1, component_name="x", name="x", owner_unit="x",
                       definition={}))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_no_data_file_no_set():
    with pytest.raises(NotFound):
        kpis.load_fiscal_year(2550)


@pytest.mark.parametrize(("change", "field"), [
    ({"reached_on": None}, "reached_on"),
    ({"reached_on": date(2019, 9, 30)}, "reached_on"),  # before FY2563
    ({"reached_on": date(2020, 10, 1)}, "reached_on"),  # after today
    ({"level": 50}, "level"),  # KPI 7's 50 points follow from the figure
    ({"figures": {"trainees": Decimal(5)}}, "figures.trainees"),
    ({"figures": {"disbursement_percent": Decimal("-1")}}, "figures.disbursement_percent"),
    ({"figures": {"disbursement_percent": Decimal("96.125")}}, "figures.disbursement_percent"),
    ({"figures": {}, "level": None}, "level"),
    ({"evidence": "  "}, "evidence"),
    ({"links": ["javascript:alert(1)"]}, "links"),
])
def test_each_rule_names_its_field_and_writes_nothing(fy2563, change, field):
    data = {"reached_on": date(2020, 6, 1), "level": None, "figures": {"disbursement_percent": Decimal(97)},
            "evidence": "รายงาน", "links": [], **change}
    with pytest.raises(ValidationFailed) as error:
        kpis.record_progress(2563, 7, kpis.ProgressInput(**data), today=TODAY)
    assert field in error.value.fields
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(KpiProgress.id))) == 0


def test_counts_must_be_whole_numbers_and_a_growth_rate_may_be_negative(fy2563, record):
    with pytest.raises(ValidationFailed) as error:
        kpis.record_progress(2563, 4, kpis.ProgressInput(reached_on=date(2020, 6, 1), figures={
            "trainees": Decimal("10.5")}, evidence="x"), today=TODAY)
    assert "figures.trainees" in error.value.fields
    db.session.rollback()
    record(6, date(2020, 7, 1), personnel_cost_percent="27.4", personnel_cost_growth_percent="-2")
    assert kpis.kpi_score(2563, 6, TODAY).score == 100


def test_figures_are_stored_exactly_and_audited_under_their_kpi(fy2563, record):
    progress = record(4, date(2020, 8, 28), evidence="อบรม 10 ครั้ง", trainings="10", trainees="1240",
                      knowledge_gain_percent="84.5")
    stored = {f.figure: f.value_hundredths for f in db.session.scalars(sa.select(KpiFigure))}
    assert stored == {"trainings": 1000, "trainees": 124000, "knowledge_gain_percent": 8450}
    types = set(db.session.scalars(sa.select(AuditEntry.record_type)))
    assert {"kpi", "kpi_progress", "kpi_figure"} <= types
    assert progress.kpi.number == 4


def test_kpi_7_takes_the_budget_data_of_indicator_14(fy2563, record):
    months = ["2019-10", "2019-11"]
    budget.replace_budget(2563, [budget.BudgetMonthInput(month=m, planned=Decimal("100.00"),
                                                         actual=Decimal(a))
                                for m, a in zip(months, ("96.00", "95.99"), strict=True)])
    db.session.commit()
    record(7, date(2020, 1, 5), disbursement_percent="100")  # entered, but the budget has actuals: they count
    as_of_oct = kpis.kpi_score(2563, 7, date(2019, 10, 31))
    assert as_of_oct.score == 50 and as_of_oct.figures["disbursement_percent"].source == "budget_disbursement"
    card = kpis.scorecard_document(kpis.scorecard(2563, date(2020, 1, 10)))
    seven = card["kpis"][6]
    assert seven["score"] == 0  # 191.99 of 200: 95.995 %, below 96 although it shows as 96.00
    assert seven["figures"][0] == {"key": "disbursement_percent", "label_th": "การเบิกจ่ายงบประมาณตามแผน (ร้อยละ)",
                                   "label_en": "budget disbursed against the plan (%)", "unit": "percent",
                                   "value": "96.00", "as_of": "2019-11-30", "source": "budget_disbursement"}


def test_quarter_history_scores_each_quarter_end(fy2563, record):
    record(1, date(2019, 12, 2), level=50)
    record(1, date(2020, 4, 2), level=75)
    history = kpis.quarter_history(2563, date(2020, 5, 15))
    assert [(q, end.isoformat(), day.isoformat()) for q, end, day in history.quarters] == [
        (1, "2019-12-31", "2019-12-31"), (2, "2020-03-31", "2020-03-31"), (3, "2020-06-30", "2020-05-15")]
    first = history.rows[0]
    assert [c["score"] for c in first["cells"]] == [50, 50, 75]
    assert [c["updates"] for c in first["cells"]] == [1, 0, 1]


def test_the_scorecard_is_frozen_once_onto_a_mission_report_item(fy2563, record, make_meeting):
    record(1, date(2020, 1, 20), level=50)
    meeting = make_meeting(date(2020, 2, 14))
    item = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(Topic.MISSION_REPORT, "รายงานผลภารกิจ"))
    other = meetings.add_agenda_item(meeting.id, meetings.AgendaItemInput(Topic.OTHER, "อื่น ๆ"))
    db.session.commit()
    with pytest.raises(ValidationFailed) as error:
        kpis.freeze_for_agenda_item(other.id)
    assert "topic" in error.value.fields
    snapshot = kpis.freeze_for_agenda_item(item.id)
    db.session.commit()
    record(1, date(2020, 2, 1), level=75)  # later news does not change what the board saw
    assert snapshot.as_of == date(2020, 2, 14) and snapshot.fiscal_year == 2563
    assert snapshot.scorecard["kpis"][0]["score"] == 50
    assert kpis.scorecard(2563, date(2020, 2, 14)).scores[0].score == 75
    with pytest.raises(Conflict):
        kpis.freeze_for_agenda_item(item.id)
    with pytest.raises(NotFound):
        kpis.freeze_for_agenda_item(999_999)

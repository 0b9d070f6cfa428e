"""Indicator 16 and the attendance report: every boundary the spec names."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from governance.indicators import Status, attendance_report, parse_parameters

from .builders import FY_END, Year, evaluate, params

MID_YEAR = date(2020, 6, 30)
AFTER_YEAR = date(2020, 10, 1)


def meeting_with(year: Year, held_on: date, eligible: int, present: int, mark: str = "in_person") -> int:
    directors = year.directors_(eligible)
    meeting = year.meeting(held_on)
    year.attend(meeting, directors[:present], directors[present:], mark=mark)
    return meeting


def report(year: Year, as_of: date = MID_YEAR):
    return attendance_report(year.data(), params(), as_of)


# --- one meeting -----------------------------------------------------------------


@pytest.mark.parametrize("eligible, present, qualifies", [
    (5, 4, True),  # 80 % exactly
    (9, 7, False),  # 77.8 %
    (9, 8, True),
    (10, 8, True),
    (10, 7, False),
    (1, 1, True),
    (1, 0, False),
    (3, 2, False),  # 66.7 %
    (6, 5, True),  # 83.3 %
])
def test_meeting_qualifies_exactly_at_80_percent(eligible, present, qualifies):
    year = Year()
    meeting_with(year, date(2019, 11, 20), eligible, present)
    [row] = report(year).meetings
    assert (row.eligible, row.present, row.qualifies) == (eligible, present, qualifies)
    assert row.rate == Decimal(present) * 100 / eligible


def test_online_counts_as_present_leave_and_absent_and_no_mark_do_not():
    year = Year()
    a, b, c, d, e = year.directors_(5)
    meeting = year.meeting(date(2020, 5, 20), marks={a: "in_person", b: "online", c: "leave", d: "absent"})
    [row] = report(year).meetings
    assert row.eligible == 5
    assert row.present_director_ids == (a, b)
    assert row.in_person == 1
    assert not row.qualifies
    year.attendance[-2:] = []  # c and d unmarked as well: still not present
    assert report(year).meetings[0].present == 2
    assert meeting == row.meeting_id


def test_all_online_meeting_qualifies():
    year = Year()
    meeting_with(year, date(2020, 5, 20), 5, 5, mark="online")
    assert report(year).meetings[0].qualifies


def test_term_ending_mid_year_is_not_eligible_afterwards():
    year = Year()
    staying = year.directors_(4)
    leaving = year.director(end=date(2020, 1, 31))
    before = year.meeting(date(2020, 1, 31), marks={d: "in_person" for d in staying})  # last day still in office
    after = year.meeting(date(2020, 2, 1), marks={d: "in_person" for d in staying} | {leaving: "in_person"})
    rows = {row.meeting_id: row for row in report(year).meetings}
    assert leaving in rows[before].eligible_director_ids
    assert (rows[before].eligible, rows[before].present, rows[before].qualifies) == (5, 4, True)
    # A mark for someone whose term is over is ignored, not counted as present.
    assert leaving not in rows[after].eligible_director_ids
    assert (rows[after].eligible, rows[after].present) == (4, 4)


def test_term_starting_mid_year_is_eligible_from_its_first_day():
    year = Year()
    year.directors_(4)
    new = year.director(start=date(2020, 3, 1))
    early = year.meeting(date(2020, 2, 29))
    first_day = year.meeting(date(2020, 3, 1))
    rows = {row.meeting_id: row for row in report(year).meetings}
    assert new not in rows[early].eligible_director_ids
    assert new in rows[first_day].eligible_director_ids


def test_minute_taker_does_not_count():
    year = Year()
    directors = year.directors_(4)
    secretary = year.director(counts=False)
    year.meeting(date(2019, 12, 1), marks={d: "in_person" for d in directors[:3]} | {secretary: "in_person"})
    [row] = report(year).meetings
    assert (row.eligible, row.present, row.qualifies) == (4, 3, False)
    assert secretary not in [d.director_id for d in report(year).directors]


def test_meeting_with_nobody_eligible_does_not_qualify():
    year = Year()
    year.meeting(date(2019, 12, 1))
    [row] = report(year).meetings
    assert (row.eligible, row.rate, row.qualifies, row.quorate) == (0, None, False, False)


# --- which meetings count ---------------------------------------------------------


def test_only_held_board_meetings_of_the_year_up_to_as_of_count():
    year = Year()
    directors = year.directors_(5)
    all_present = {d: "in_person" for d in directors}
    counted = year.meeting(date(2019, 10, 1), marks=all_present)
    year.meeting(date(2019, 11, 1), body="committee", marks=all_present)
    year.meeting(date(2019, 12, 1), status="cancelled", marks=all_present)
    unrecorded = year.meeting(date(2020, 1, 1), status="planned")
    year.meeting(date(2019, 9, 30), marks=all_present)  # previous fiscal year
    year.meeting(date(2020, 10, 28), number="10/2563", marks=all_present)  # FY2564 despite its number
    later = year.meeting(MID_YEAR + timedelta(days=1), marks=all_present)  # recorded held, dated after as_of
    result = report(year, MID_YEAR)
    assert [row.meeting_id for row in result.meetings] == [counted]
    assert result.meetings_held == 1
    assert result.unrecorded_meeting_ids == (unrecorded,)
    assert result.meetings_remaining == 1  # the meeting dated after as_of is still to come
    assert later not in [row.meeting_id for row in result.meetings]


def test_meeting_held_on_as_of_counts_and_planned_one_remains():
    year = Year()
    directors = year.directors_(5)
    held = year.meeting(MID_YEAR, marks={d: "in_person" for d in directors})
    year.meeting(MID_YEAR, status="planned")
    result = report(year, MID_YEAR)
    assert [row.meeting_id for row in result.meetings] == [held]
    assert result.meetings_remaining == 1


# --- the year ---------------------------------------------------------------------


def year_of_meetings(qualifying: int, failing: int, planned: int = 0) -> Year:
    year = Year()
    directors = year.directors_(5)
    day = date(2019, 10, 5)
    for i in range(qualifying + failing):
        present = 5 if i < qualifying else 3
        year.meeting(day, marks={d: "in_person" for d in directors[:present]})
        day += timedelta(days=14)
    for _ in range(planned):
        day += timedelta(days=7)
        year.meeting(day if day <= FY_END else FY_END, status="planned")
    return year


def test_9_of_10_meetings_meets_90_percent_at_year_end():
    result = evaluate(year_of_meetings(9, 1), AFTER_YEAR, 16)
    assert result.status == Status.MET
    assert result.value == Decimal(90)
    assert result.detail["meetings_held"] == 10
    assert result.detail["meetings_qualifying"] == 9
    assert result.detail["can_absorb"] == 0
    assert result.to_dict()["value"] == 90.0
    assert result.to_dict()["target"] == 90


def test_8_of_9_meetings_misses_at_year_end():
    result = evaluate(year_of_meetings(8, 1), AFTER_YEAR, 16)
    assert result.status == Status.MISSED
    assert result.to_dict()["value"] == 88.88  # 8/9 = 88.888…, shown rounded down
    assert result.detail["can_absorb"] == -1


def test_all_meetings_qualifying_is_met_on_the_last_day_when_nothing_remains():
    assert evaluate(year_of_meetings(3, 0), FY_END, 16).status == Status.MET


def test_no_meeting_held_is_not_met():
    result = evaluate(Year(), AFTER_YEAR, 16)
    assert result.status == Status.MISSED
    assert result.value is None
    assert result.detail["meetings_held"] == 0
    assert {"code": "meetings_held", "missing": 1} in result.needed


def test_a_good_ratio_during_the_year_is_not_yet_met():
    # 10 qualifying so far, 10 planned: 20 meetings, 18 needed, 2 may still fail.
    result = evaluate(year_of_meetings(10, 0, planned=10), date(2020, 2, 10), 16)
    assert result.detail["can_absorb"] == 2
    assert result.status == Status.ON_TRACK


@pytest.mark.parametrize("qualifying, failing, planned, can_absorb, status", [
    (3, 0, 7, 1, Status.ON_TRACK),  # 10 meetings, 9 needed
    (2, 1, 7, 0, Status.AT_RISK),  # one miss already: every remaining meeting must qualify
    (1, 2, 7, -1, Status.MISSED),  # even 8 of 10 is short
    (0, 0, 6, 0, Status.AT_RISK),  # 6 meetings: one miss is 83 %
    (0, 0, 0, 0, Status.AT_RISK),  # nothing held, nothing planned, year not over
    # Nothing more planned: no planned meeting can fail, and the ratio decides.
    (19, 1, 0, 0, Status.ON_TRACK),  # 95 %
    (18, 2, 0, 0, Status.ON_TRACK),  # exactly 90 %
    (17, 3, 0, -1, Status.MISSED),  # 85 %, and no meeting left to mend it
])
def test_can_absorb_during_the_year(qualifying, failing, planned, can_absorb, status):
    # as_of must be after the held meetings and before the planned ones
    year = year_of_meetings(qualifying, failing, planned)
    held_days = [m.held_on for m in year.meetings if m.status == "held"]
    as_of = max(held_days, default=date(2019, 10, 2))
    result = evaluate(year, as_of, 16)
    assert result.detail["meetings_remaining"] == planned
    assert (result.detail["can_absorb"], result.status) == (can_absorb, status)


def test_status_is_not_raised_by_the_warning_window():
    # September, one meeting still planned, comfortable margin: no alarm.
    year = year_of_meetings(10, 0)
    year.meeting(date(2020, 9, 25), status="planned")
    assert evaluate(year, date(2020, 9, 10), 16).status == Status.ON_TRACK


def test_cancelled_future_meeting_is_not_remaining():
    year = year_of_meetings(3, 0)
    year.meeting(date(2020, 9, 1), status="cancelled")
    assert report(year, date(2020, 8, 1)).meetings_remaining == 0


# --- the one-place rule before electronic meetings ------------------------------------


@pytest.mark.parametrize("held_on, in_person, online, flagged", [
    (date(2020, 4, 18), 1, 8, True),  # 9 directors: quorum 5, a third of it 1.67 -> 2 needed in one place
    (date(2020, 4, 18), 2, 7, False),
    (date(2020, 4, 19), 0, 9, False),  # the Emergency Decree is in force from 19 Apr 2020
    (date(2019, 10, 10), 0, 9, True),
])
def test_one_place_flag_before_electronic_meetings(held_on, in_person, online, flagged):
    year = Year()
    directors = year.directors_(9)
    marks = {d: "in_person" for d in directors[:in_person]} | {d: "online" for d in directors[in_person:]}
    year.meeting(held_on, marks=marks)
    [row] = report(year).meetings
    assert row.quorum == 5
    assert row.one_place_flag is flagged
    assert row.qualifies  # the flag never changes the count
    result = evaluate(year, MID_YEAR, 16)
    assert result.detail["one_place_flags"] == ([row.meeting_id] if flagged else [])
    assert result.evidence[0]["one_place_flag"] is flagged


@pytest.mark.parametrize("eligible, quorum", [(1, 1), (2, 1), (9, 5), (10, 5), (11, 6)])
def test_quorum_is_not_less_than_half(eligible, quorum):
    year = Year()
    meeting_with(year, date(2019, 12, 1), eligible, quorum)
    [row] = report(year).meetings
    assert row.quorum == quorum and row.quorate


def test_quorum_fraction_is_a_parameter():
    year = Year()
    meeting_with(year, date(2019, 12, 1), 9, 5)
    raw = params().to_dict()
    raw["attendance"]["quorum_fraction"] = "2/3"
    [row] = attendance_report(year.data(), parse_parameters(raw), MID_YEAR).meetings
    assert (row.quorum, row.quorate) == (6, False)


def test_thresholds_are_parameters():
    raw = params().to_dict()
    raw["attendance"]["meeting_threshold_percent"] = "77.5"
    year = Year()
    meeting_with(year, date(2019, 12, 1), 9, 7)  # 77.78 %
    [row] = attendance_report(year.data(), parse_parameters(raw), MID_YEAR).meetings
    assert row.qualifies


# --- the report -------------------------------------------------------------------


def test_report_per_director_and_json_shape():
    year = Year()
    a, b = year.directors_(2)
    c = year.director(end=date(2019, 12, 31))
    year.director(start=date(2020, 8, 1))  # not yet in office on as_of: not listed
    m1 = year.meeting(date(2019, 11, 1), marks={a: "in_person", b: "leave", c: "online"})
    year.meeting(date(2020, 2, 1), marks={a: "online", b: "in_person"})
    result = report(year, MID_YEAR)
    rows = {d.director_id: (d.attended, d.eligible_meetings) for d in result.directors}
    assert rows == {a: (2, 2), b: (1, 2), c: (1, 1)}
    out = json.loads(json.dumps(result.to_dict()))
    assert out["fiscal_year"] == 2563 and out["as_of"] == "2020-06-30"
    first = out["meetings"][0]
    assert {k: first[k] for k in ("meeting_id", "held_on", "eligible", "present", "rate", "qualifies")} == {
        "meeting_id": m1, "held_on": "2019-11-01", "eligible": 3, "present": 2, "rate": 66.66, "qualifies": False}
    assert out["totals"]["meetings_held"] == 2
    assert out["totals"]["meetings_qualifying"] == 1
    assert out["totals"]["rate"] == 50.0
    assert out["totals"]["status"] == "missed"


def test_indicator_16_is_the_report():
    year = year_of_meetings(5, 1, planned=3)
    as_of = date(2019, 12, 15)
    result, rep = evaluate(year, as_of, 16), report(year, as_of)
    assert rep.meetings_remaining == 3
    assert result.status == rep.status
    assert result.value == rep.rate
    assert result.detail["can_absorb"] == rep.can_absorb
    assert [e["id"] for e in result.evidence] == [m.meeting_id for m in rep.meetings]


def test_unknown_attendance_mark_is_refused():
    year = Year()
    d = year.director()
    year.meeting(date(2019, 12, 1), marks={d: "sleeping"})
    with pytest.raises(ValueError):
        report(year)

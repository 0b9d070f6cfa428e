"""Indicators 16 and 12 against brute-force recounts written independently here.

The recounts use no code of the engine but the record types: their own calendar
tables, their own filters, and (for 12) a simulation of the best possible rest of the
year instead of a formula.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.indicators import (
    AgendaItemRecord,
    AttendanceRecord,
    DirectorRecord,
    FiscalYearData,
    MeetingRecord,
    Status,
    attendance_report,
    evaluate_fiscal_year,
)

from .builders import params

START, END = date(2019, 10, 1), date(2020, 9, 30)
QUARTER_OF_MONTH = {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}
LAST_DAY_OF_QUARTER = {1: date(2019, 12, 31), 2: date(2020, 3, 31), 3: date(2020, 6, 30), 4: date(2020, 9, 30)}
SUBJECTS = ("internal_control", "internal_audit", "risk_management", "hr_management", "digital_technology")

days = st.dates(min_value=date(2019, 8, 1), max_value=date(2020, 11, 30))
# Weighted towards what counts, so that every status turns up often.
statuses = st.sampled_from(["held"] * 4 + ["planned", "cancelled"])
bodies = st.sampled_from(["board"] * 5 + ["committee"])
marks = st.sampled_from(["in_person"] * 12 + ["online"] * 6 + ["leave", "absent", None])


@st.composite
def attendance_years(draw):
    directors = []
    for director_id in range(1, draw(st.integers(0, 9)) + 1):
        start = draw(st.dates(min_value=date(2018, 1, 1), max_value=date(2020, 9, 30)))
        end = draw(st.none() | st.none() | st.dates(min_value=start, max_value=date(2021, 12, 31)))
        counts = draw(st.sampled_from([True, True, True, False]))
        directors.append(DirectorRecord(director_id, f"d{director_id}", start, end, counts))
    meetings, attendance = [], []
    for meeting_id in range(100, 100 + draw(st.integers(0, 24))):
        meetings.append(MeetingRecord(meeting_id, draw(days), draw(statuses), draw(bodies), f"{meeting_id}"))
        for director in directors:
            mark = draw(marks)
            if mark is not None:
                attendance.append(AttendanceRecord(meeting_id, director.id, mark))
    return FiscalYearData(2563, meetings=meetings, directors=directors, attendance=attendance)


def brute_force_attendance(data: FiscalYearData, as_of: date):
    rows = {}
    for m in data.meetings:
        if not (m.status == "held" and m.body == "board" and START <= m.held_on <= END and m.held_on <= as_of):
            continue
        eligible = {d.id for d in data.directors if d.counts_for_attendance and d.term_start <= m.held_on
                    and (d.term_end is None or m.held_on <= d.term_end)}
        present = {a.director_id for a in data.attendance if a.meeting_id == m.id
                   and a.director_id in eligible and a.status in ("in_person", "online")}
        rows[m.id] = (len(eligible), len(present), bool(eligible) and Fraction(len(present), len(eligible)) >= Fraction(4, 5))
    remaining = [m for m in data.meetings if m.body == "board" and m.status != "cancelled"
                 and START <= m.held_on <= END and m.id not in rows and m.held_on >= as_of]
    return rows, len(remaining)


@settings(max_examples=300, deadline=None)
@given(attendance_years(), days)
def test_indicator_16_agrees_with_a_recount(data, as_of):
    rows, remaining = brute_force_attendance(data, as_of)
    report = attendance_report(data, params(), as_of)
    assert {r.meeting_id: (r.eligible, r.present, r.qualifies) for r in report.meetings} == rows
    n, q = len(rows), sum(qualifies for _, _, qualifies in rows.values())
    assert (report.meetings_held, report.meetings_qualifying, report.meetings_remaining) == (n, q, remaining)

    # The most of the remaining meetings that may fail: try every number.
    absorb = max(k for k in range(-n - 1, remaining + 1)
                 if (q + remaining - k) * 10 >= 9 * (n + remaining))
    assert report.can_absorb == absorb

    on_target = bool(n) and Fraction(q, n) >= Fraction(9, 10)
    if as_of >= END and remaining == 0:
        expected = Status.MET if on_target else Status.MISSED
    elif remaining == 0 and on_target:
        expected = Status.ON_TRACK
    else:
        expected = Status.MISSED if absorb < 0 else Status.AT_RISK if absorb == 0 else Status.ON_TRACK
    [result] = [r for r in evaluate_fiscal_year(data, params(), as_of) if r.number == 16]
    assert result.status == report.status == expected
    if n:  # a Decimal percentage, exact to its 28 digits
        assert abs(Fraction(result.value) - Fraction(q * 100, n)) < Fraction(1, 10**20)
    else:
        assert result.value is None


@st.composite
def subject_years(draw):
    meetings, items = [], []
    item_id = 1000
    for meeting_id in range(1, draw(st.integers(0, 20)) + 1):
        meetings.append(MeetingRecord(meeting_id, draw(days), draw(statuses), draw(bodies)))
        # Some meetings take every subject, so that years meeting the indicator turn up too.
        every = draw(st.integers(0, 3)) == 0
        for subject in SUBJECTS if every else draw(st.lists(st.sampled_from(SUBJECTS + ("other",)), max_size=6)):
            item_id += 1
            items.append(AgendaItemRecord(item_id, meeting_id, subject))
    return FiscalYearData(2563, meetings=meetings, agenda_items=items)


def brute_force_quarters(meetings, items, as_of):
    counted = {m.id: m for m in meetings
               if m.status == "held" and m.body == "board" and START <= m.held_on <= END and m.held_on <= as_of}
    quarters = {s: set() for s in SUBJECTS}
    for item in items:
        if item.meeting_id in counted and item.topic in quarters:
            quarters[item.topic].add(QUARTER_OF_MONTH[counted[item.meeting_id].held_on.month])
    return quarters


def best_future(data, as_of, skip_quarter=None):
    """Hold every subject in every quarter still open (bar one), then recount."""
    # What is recorded after as_of has not happened yet: the future is only the hypothetical meetings.
    meetings = [m for m in data.meetings if m.held_on <= as_of]
    items = list(data.agenda_items)
    for quarter, last_day in LAST_DAY_OF_QUARTER.items():
        if last_day >= as_of and quarter != skip_quarter:
            meeting_id = -quarter
            meetings.append(MeetingRecord(meeting_id, last_day, "held", "board"))
            items += [AgendaItemRecord(-100 * quarter - i, meeting_id, s) for i, s in enumerate(SUBJECTS)]
    return brute_force_quarters(meetings, items, END)


@settings(max_examples=300, deadline=None)
@given(subject_years(), days)
def test_indicator_12_agrees_with_a_recount(data, as_of):
    quarters = brute_force_quarters(data.meetings, data.agenda_items, as_of)
    [result] = [r for r in evaluate_fiscal_year(data, params(), as_of) if r.number == 12]
    assert {s: v["quarters"] for s, v in result.detail["subjects"].items()} == \
        {s: sorted(q) for s, q in quarters.items()}

    if all(len(q) >= 3 for q in quarters.values()):
        expected = Status.MET
    elif not all(len(q) >= 3 for q in best_future(data, as_of).values()):
        expected = Status.MISSED
    else:
        # Tight: losing any one open quarter would make some subject fall short.
        open_quarters = [q for q, last in LAST_DAY_OF_QUARTER.items() if last >= as_of]
        tight = any(not all(len(q) >= 3 for q in best_future(data, as_of, skip).values())
                    for skip in open_quarters)
        in_window = END - as_of <= timedelta(days=30)
        expected = Status.AT_RISK if tight or in_window else Status.ON_TRACK
    assert result.status == expected
    assert result.value == Fraction(100 * sum(len(q) >= 3 for q in quarters.values()), len(SUBJECTS))

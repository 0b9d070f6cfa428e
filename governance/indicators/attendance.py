"""Board-meeting attendance, meeting by meeting and for the year (indicator 16; pure).

ตัวชี้วัดที่ 16: "ในการเข้าร่วมประชุมของคณะกรรมการ ร้อยละ 90 ของจำนวนการประชุม
มีกรรมการเข้าประชุมร้อยละ 80 ขึ้นไป" (in 90 % of the board's meetings, 80 % or more of
the directors attend).

For each held board meeting of the fiscal year (spec/indicators.md, 16):

- *eligible*: directors whose term covers the meeting date and who count for
  attendance (a staff member who only takes the minutes does not);
- *present*: eligible directors marked ``in_person`` or ``online`` (Emergency Decree on
  Electronic Meetings B.E. 2563); ``leave`` (ลา), ``absent`` and no mark at all are not;
- the meeting *qualifies* when ``present x 100 >= 80 x eligible``, exactly (4 of 5
  qualifies, 7 of 9 does not).

The year meets the indicator when ``qualifying x 100 >= 90 x held`` at the end of the
fiscal year; with no meeting held it is not met.  During the year the report shows how
many more non-qualifying meetings the rest of the year can absorb.

This module is the single computation: the attendance resource of the API and
indicator 16 both read ``attendance_report``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from governance.fiscal import FiscalYear
from governance.indicators.data import DirectorRecord, FiscalYearData, MeetingRecord
from governance.indicators.parameters import AttendanceParameters, Parameters
from governance.indicators.result import Status, percent, to_json
from governance.indicators.selection import counted_meetings, year_of
from governance.indicators.vocabulary import AttendanceStatus, MeetingBody, MeetingStatus


@dataclass(frozen=True)
class MeetingAttendance:
    meeting_id: int
    held_on: date
    number: str
    eligible: int
    present: int
    rate: Decimal | None  # present / eligible x 100; None when nobody was eligible
    qualifies: bool
    eligible_director_ids: tuple[int, ...]
    present_director_ids: tuple[int, ...]
    in_person: int  # present in the meeting room (not online)
    quorum: int  # the fewest directors present for a quorum, e.g. ceil(eligible / 2)
    quorate: bool
    # Held before electronic meetings were allowed, with fewer than a third of the
    # quorum in one place (NCPO Announcement 74/2557): for the secretary to look at;
    # it does not change whether the meeting qualifies.
    one_place_flag: bool

    def to_dict(self) -> dict:
        return to_json({
            "meeting_id": self.meeting_id, "held_on": self.held_on, "number": self.number,
            "eligible": self.eligible, "present": self.present, "rate": self.rate,
            "qualifies": self.qualifies, "in_person": self.in_person, "quorum": self.quorum,
            "quorate": self.quorate, "one_place_flag": self.one_place_flag,
            "eligible_director_ids": self.eligible_director_ids,
            "present_director_ids": self.present_director_ids,
        })


@dataclass(frozen=True)
class DirectorAttendance:
    director_id: int
    name: str
    attended: int  # held board meetings attended while eligible
    eligible_meetings: int  # held board meetings during the director's term

    def to_dict(self) -> dict:
        return {"director_id": self.director_id, "name": self.name,
                "attended": self.attended, "eligible_meetings": self.eligible_meetings}


@dataclass(frozen=True)
class AttendanceReport:
    fiscal_year: int
    as_of: date
    meetings: tuple[MeetingAttendance, ...]
    directors: tuple[DirectorAttendance, ...]
    meetings_held: int
    meetings_qualifying: int
    # Board meetings still to come this year: not cancelled, not yet counted as held,
    # dated on or after as_of (a meeting planned for today may still be held today).
    meetings_remaining: int
    rate: Decimal | None  # qualifying / held x 100; None while no meeting is held
    # How many of the remaining meetings may still fail to qualify with the year
    # reaching its threshold; negative when even all of them qualifying would not do.
    can_absorb: int
    status: Status
    meeting_threshold_percent: Decimal
    year_threshold_percent: Decimal
    # Board meetings dated before as_of still recorded as planned: neither counted nor
    # remaining, shown so the secretary records what happened.
    unrecorded_meeting_ids: tuple[int, ...]

    def to_dict(self) -> dict:
        return {
            "fiscal_year": self.fiscal_year,
            "as_of": self.as_of.isoformat(),
            "meetings": [m.to_dict() for m in self.meetings],
            "directors": [d.to_dict() for d in self.directors],
            "totals": to_json({
                "meetings_held": self.meetings_held,
                "meetings_qualifying": self.meetings_qualifying,
                "meetings_remaining": self.meetings_remaining,
                "rate": self.rate,
                "can_absorb": self.can_absorb,
                "status": self.status,
                "meeting_threshold_percent": self.meeting_threshold_percent,
                "year_threshold_percent": self.year_threshold_percent,
                "unrecorded_meeting_ids": self.unrecorded_meeting_ids,
            }),
        }


def attendance_report(data: FiscalYearData, parameters: Parameters, as_of: date) -> AttendanceReport:
    if data.fiscal_year != parameters.fiscal_year:
        raise ValueError(f"data are for FY{data.fiscal_year}, parameters for FY{parameters.fiscal_year}")
    fy = year_of(data)
    rules = parameters.attendance
    held = counted_meetings(data, as_of)
    marks = {(a.meeting_id, a.director_id): AttendanceStatus(a.status) for a in data.attendance}
    directors = [d for d in data.directors if d.counts_for_attendance]
    rows = tuple(_meeting_row(m, directors, marks, rules) for m in held)

    held_ids = {m.id for m in held}
    remaining = [m for m in _board_meetings_of(data, fy)
                 if m.status != MeetingStatus.CANCELLED and m.id not in held_ids and m.held_on >= as_of]
    unrecorded = [m.id for m in _board_meetings_of(data, fy)
                  if m.status == MeetingStatus.PLANNED and m.held_on < as_of]

    n, q, r = len(rows), sum(row.qualifies for row in rows), len(remaining)
    can_absorb = _can_absorb(q, n, r, rules.year_threshold_percent)
    return AttendanceReport(
        fiscal_year=data.fiscal_year, as_of=as_of, meetings=rows,
        directors=_director_rows(directors, rows, fy, as_of),
        meetings_held=n, meetings_qualifying=q, meetings_remaining=r,
        rate=percent(q, n), can_absorb=can_absorb,
        status=_status(q, n, r, can_absorb, fy, as_of, rules.year_threshold_percent),
        meeting_threshold_percent=rules.meeting_threshold_percent,
        year_threshold_percent=rules.year_threshold_percent,
        unrecorded_meeting_ids=tuple(sorted(unrecorded)),
    )


def _meeting_row(meeting: MeetingRecord, directors: list[DirectorRecord],
                 marks: dict[tuple[int, int], AttendanceStatus], rules: AttendanceParameters) -> MeetingAttendance:
    eligible = [d.id for d in directors if d.in_office_on(meeting.held_on)]
    mark = {d: marks.get((meeting.id, d)) for d in eligible}  # None: no mark, so not present
    present = [d for d in eligible if mark[d] is not None and mark[d].is_present]
    in_person = sum(mark[d] == AttendanceStatus.IN_PERSON for d in eligible)
    # "not less than half of all directors": the smallest whole number >= half.
    quorum = math.ceil(rules.quorum_fraction * len(eligible))
    return MeetingAttendance(
        meeting_id=meeting.id, held_on=meeting.held_on, number=meeting.number,
        eligible=len(eligible), present=len(present), rate=percent(len(present), len(eligible)),
        # Exact: 4 of 5 is 400 >= 400, 7 of 9 is 700 < 720.  A meeting with nobody
        # eligible (a roster not yet entered) does not qualify: 0 >= 0 would say it does.
        qualifies=bool(eligible) and len(present) * 100 >= rules.meeting_threshold_percent * len(eligible),
        eligible_director_ids=tuple(eligible), present_director_ids=tuple(present),
        in_person=in_person, quorum=quorum, quorate=bool(eligible) and len(present) >= quorum,
        one_place_flag=(meeting.held_on < rules.electronic_meetings_from
                        and in_person < rules.one_place_fraction_of_quorum * quorum),
    )


def _board_meetings_of(data: FiscalYearData, fy: FiscalYear) -> list[MeetingRecord]:
    return [m for m in data.meetings if m.body == MeetingBody.BOARD and fy.contains(m.held_on)]


def _can_absorb(q: int, n: int, r: int, threshold: Decimal) -> int:
    """The most of the ``r`` remaining meetings that may fail, the year still reaching the threshold.

    If all ``r`` are held and ``k`` of them fail, the year ends with ``q + r - k`` of
    ``n + r`` qualifying; it needs ``(q + r - k) x 100 >= threshold x (n + r)``, so
    ``k <= q + r - threshold x (n + r) / 100``.  Fractions keep it exact.  No more than
    the ``r`` meetings planned can fail ("given the meetings planned", spec 16).
    """
    return min(r, math.floor(Fraction(q + r) - Fraction(threshold) * (n + r) / 100))


def _status(q: int, n: int, r: int, can_absorb: int, fy: FiscalYear, as_of: date, threshold: Decimal) -> Status:
    # The verdict is the ratio at the year's end, so "met" waits for the end; during
    # the year the status follows what the remaining meetings can absorb.  The warning
    # window does not apply: a good ratio in September needs no action.
    on_target = n > 0 and q * 100 >= threshold * n
    if as_of >= fy.end and r == 0:
        return Status.MET if on_target else Status.MISSED
    if r == 0 and on_target:
        # Nothing more is planned and the year is on target: no planned meeting can spoil it.
        return Status.ON_TRACK
    if can_absorb < 0:
        return Status.MISSED
    if can_absorb == 0:
        return Status.AT_RISK
    return Status.ON_TRACK


def _director_rows(directors: list[DirectorRecord], rows: tuple[MeetingAttendance, ...],
                   fy: FiscalYear, as_of: date) -> tuple[DirectorAttendance, ...]:
    last = min(as_of, fy.end)
    # Everyone counting for attendance who held office at some time in the year so far.
    in_year = [d for d in directors
               if d.term_start <= last and (d.term_end is None or d.term_end >= fy.start)]
    return tuple(
        DirectorAttendance(
            director_id=d.id, name=d.name,
            attended=sum(d.id in row.present_director_ids for row in rows),
            eligible_meetings=sum(d.id in row.eligible_director_ids for row in rows),
        )
        for d in sorted(in_year, key=lambda d: d.id)
    )

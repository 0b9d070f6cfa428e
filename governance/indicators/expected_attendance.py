"""Before a board meeting: will it have a quorum, and will it reach the 80 % line? (pure)

The directors' answers (in person, online, apologies) are counted against the same rules
the held meeting will be judged by (``attendance._meeting_row``): the eligible directors
are those in office who count for attendance; the quorum is ``ceil(quorum_fraction x
eligible)`` (not less than half, by default); the meeting qualifies for indicator 16 when
``present x 100 >= 80 x eligible``.

A director who has not answered is neither counted in nor out: the secretary sees the
expected figure (those who said they will come) and the best case (those plus everyone
who has not answered), so "no quorum unless two of the five silent directors come" is
visible days ahead.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from governance.indicators.parameters import AttendanceParameters


class Outlook(StrEnum):
    SECURE = "secure"  # reached by those who said they will come
    OPEN = "open"  # reachable only if enough who have not answered come
    OUT_OF_REACH = "out_of_reach"  # not reachable even if everyone silent comes


@dataclass(frozen=True)
class ExpectedAttendance:
    eligible: int
    in_person: int
    online: int
    apologies: int
    no_answer: int
    quorum: int  # the fewest present for a quorum
    line: int  # the fewest present for the meeting to count towards indicator 16
    quorum_outlook: Outlook
    line_outlook: Outlook

    @property
    def expected(self) -> int:
        return self.in_person + self.online

    @property
    def best_case(self) -> int:
        return self.expected + self.no_answer


def expected_attendance(eligible_ids: Iterable[int], answers: Mapping[int, str],
                        rules: AttendanceParameters) -> ExpectedAttendance:
    """``answers``: director id to ``in_person`` / ``online`` / ``apologies``; answers of
    directors who are not eligible (a staff secretary, someone out of office) do not count."""
    eligible = list(dict.fromkeys(eligible_ids))
    given = [answers.get(d) for d in eligible]
    in_person, online, apologies = (given.count(code) for code in ("in_person", "online", "apologies"))
    no_answer = len(eligible) - in_person - online - apologies
    quorum = math.ceil(rules.quorum_fraction * len(eligible))
    line = _fewest_for(rules.meeting_threshold_percent, len(eligible))
    expected = in_person + online
    return ExpectedAttendance(
        eligible=len(eligible), in_person=in_person, online=online, apologies=apologies,
        no_answer=no_answer, quorum=quorum, line=line,
        quorum_outlook=_outlook(expected, expected + no_answer, quorum, len(eligible)),
        line_outlook=_outlook(expected, expected + no_answer, line, len(eligible)),
    )


def _fewest_for(threshold_percent: Decimal, eligible: int) -> int:
    """The smallest ``present`` with ``present x 100 >= threshold x eligible`` (exact)."""
    return math.ceil(Decimal(threshold_percent) * eligible / 100)


def _outlook(expected: int, best_case: int, needed: int, eligible: int) -> Outlook:
    if eligible and expected >= needed:
        return Outlook.SECURE
    if eligible and best_case >= needed:
        return Outlook.OPEN
    return Outlook.OUT_OF_REACH

"""Expected attendance from RSVPs: quorum and the 80 % line, before the meeting."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.indicators.expected_attendance import Outlook, expected_attendance
from governance.indicators.parameters import parse_parameters, default_parameters

RULES = parse_parameters(default_parameters(2563)).attendance


def answers(*codes: str | None) -> tuple[list[int], dict[int, str]]:
    ids = list(range(1, len(codes) + 1))
    return ids, {d: code for d, code in zip(ids, codes) if code is not None}


def test_counts_each_answer_and_the_silent():
    ids, given_answers = answers("in_person", "online", "apologies", None, "in_person")
    seen = expected_attendance(ids, given_answers, RULES)
    assert (seen.in_person, seen.online, seen.apologies, seen.no_answer) == (2, 1, 1, 1)
    assert (seen.expected, seen.best_case) == (3, 4)


@pytest.mark.parametrize(("eligible", "quorum"), [(1, 1), (2, 1), (5, 3), (6, 3), (13, 7), (14, 7)])
def test_quorum_is_not_less_than_half(eligible, quorum):
    ids, _ = answers(*([None] * eligible))
    assert expected_attendance(ids, {}, RULES).quorum == quorum


@pytest.mark.parametrize(("eligible", "line"), [(5, 4), (9, 8), (10, 8), (13, 11), (15, 12)])
def test_the_80_percent_line_is_exact(eligible, line):
    # 4 of 5 is 80 % exactly and counts; 7 of 9 is 77.8 % and does not.
    ids, _ = answers(*([None] * eligible))
    assert expected_attendance(ids, {}, RULES).line == line


def test_quorum_secure_open_and_out_of_reach():
    ids, given_answers = answers("in_person", "online", "in_person", "apologies", "apologies")
    assert expected_attendance(ids, given_answers, RULES).quorum_outlook is Outlook.SECURE
    ids, given_answers = answers("in_person", "online", None, "apologies", "apologies")
    assert expected_attendance(ids, given_answers, RULES).quorum_outlook is Outlook.OPEN
    ids, given_answers = answers("in_person", "apologies", "apologies", "apologies", None)
    assert expected_attendance(ids, given_answers, RULES).quorum_outlook is Outlook.OUT_OF_REACH


def test_line_can_be_out_of_reach_while_quorum_is_secure():
    # 10 directors, 8 needed for the line: 3 apologies leave at most 7.
    ids, given_answers = answers(*(["in_person"] * 6 + ["apologies"] * 3 + [None]))
    seen = expected_attendance(ids, given_answers, RULES)
    assert seen.quorum_outlook is Outlook.SECURE
    assert seen.line_outlook is Outlook.OUT_OF_REACH


def test_answers_of_directors_not_eligible_do_not_count():
    seen = expected_attendance([1, 2], {1: "in_person", 2: "in_person", 3: "in_person"}, RULES)
    assert (seen.eligible, seen.expected) == (2, 2)


def test_nobody_eligible_is_never_secure():
    seen = expected_attendance([], {}, RULES)
    assert seen.quorum_outlook is Outlook.OUT_OF_REACH and seen.line_outlook is Outlook.OUT_OF_REACH


def test_the_quorum_rule_is_the_year_parameter():
    rules = replace(RULES, quorum_fraction=Fraction(2, 3))
    ids, _ = answers(*([None] * 9))
    assert expected_attendance(ids, {}, rules).quorum == 6


@given(st.lists(st.sampled_from(["in_person", "online", "apologies", None]), max_size=30))
def test_outlooks_agree_with_the_counts(codes):
    ids, given_answers = answers(*codes)
    seen = expected_attendance(ids, given_answers, RULES)
    assert seen.in_person + seen.online + seen.apologies + seen.no_answer == seen.eligible
    for needed, outlook in ((seen.quorum, seen.quorum_outlook), (seen.line, seen.line_outlook)):
        if outlook is Outlook.SECURE:
            assert seen.expected >= needed
        elif outlook is Outlook.OPEN:
            assert seen.expected < needed <= seen.best_case
        else:
            assert seen.best_case < needed or seen.eligible == 0

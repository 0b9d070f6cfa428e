"""The generic rule kinds, one short function each (pure: stdlib only).

Each function takes an indicator's spec (its number and the rule's parameters), the
year's data and the evaluation date, and returns an ``IndicatorResult``.  The FY2563
framework (ตัวชี้วัด ก.พ.ร. ปีงบประมาณ พ.ศ. 2563, องค์ประกอบที่ 5 การควบคุมดูแลกิจการของคณะกรรมการ)
uses them as follows; the wording is the seed's:

10  meeting_topic_count   "คณะกรรมการทบทวนผลการดำเนินงานขององค์การมหาชนเพื่อกำหนดทิศทางและนโยบาย
                          การปฏิบัติงานขององค์การมหาชน" — อย่างน้อยปีละ 1 ครั้ง
11  topics_by_deadline    "คณะกรรมการพิจารณาแผนปฏิบัติการ 5 ปี (ในวาระแรก 3 ปี พ.ศ. 2563 - 2565) และ
                          แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2563" — ภายในเวลาที่คณะรัฐมนตรีกำหนด
12  quarters_per_subject  "คณะกรรมการพิจารณาแผนและรายงานผลการควบคุมภายใน การตรวจสอบภายใน
                          การบริหารความเสี่ยง การบริหารงานบุคคลและการนำเทคโนโลยีดิจิทัลมาใช้ใน
                          การปฏิบัติงาน" — ทุกไตรมาส (อย่างน้อย 3 ไตรมาส)
13  quarters_per_subject  "คณะกรรมการพิจารณารายงานผลการปฏิบัติงานด้านการเงินและรายงานด้านภารกิจหลัก
                          โดยรายงานได้ระบุปัญหาอุปสรรคที่ผลงานไม่เป็นไปตามเป้าหมายและข้อเสนอแนะ
                          เพื่อแก้ไข" — ทุกไตรมาส (อย่างน้อย 3 ไตรมาส)
14  budget_ratio          "คณะกรรมการควบคุมให้องค์การมหาชนมีการเบิกจ่ายงบประมาณตามแผนการใช้จ่ายเงิน
                          ที่ได้รับอนุมัติจากคณะกรรมการ ณ ต้นปีงบประมาณ" — ไม่น้อยกว่า ร้อยละ 96
15  record_count          "คณะกรรมการกำกับให้มีการรายงานผลการดำเนินงานแก่รัฐมนตรีที่กำกับดูแล
                          องค์การมหาชน" — อย่างน้อยปีละ 2 ครั้ง
16  attendance            "ในการเข้าร่วมประชุมของคณะกรรมการ ร้อยละ 90 ของจำนวนการประชุม มีกรรมการ
                          เข้าประชุมร้อยละ 80 ขึ้นไป" (see attendance.py)
17  checklist             "เว็บไซต์ขององค์การมหาชนมีข้อมูลสำคัญครบถ้วนและเป็นปัจจุบัน" — ครบถ้วน
18  self_assessment       "คณะกรรมการมีการประเมินตนเอง ทั้งแบบรายบุคคลและแบบทั้งคณะ และมีการเปิดเผย
                          ผลการประเมินตนเองของคณะกรรมการในที่ประชุม และกำหนดแนวปฏิบัติเพื่อเพิ่ม
                          ประสิทธิภาพในการปฏิบัติหน้าที่" — ก่อนสิ้นปีงบประมาณ

Shared conventions: only held board meetings of the fiscal year dated on or before
``as_of`` count (selection.py); unless a rule says otherwise the deadline is the end of
the fiscal year, and a requirement not yet met is ``at_risk`` from ``warning_days``
before its deadline, ``missed`` the day after.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_CEILING, Decimal

from governance.fiscal import FiscalYear, quarter_of
from governance.indicators.attendance import attendance_report
from governance.indicators.data import FiscalYearData, WebsiteItemRecord
from governance.indicators.parameters import (
    FISCAL_YEAR_END,
    Checklist,
    ChecklistItem,
    IndicatorSpec,
    Parameters,
    SelfAssessment,
    TopicsByDeadline,
)
from governance.indicators.result import IndicatorResult, Status, money, percent
from governance.indicators.selection import (
    counted_items,
    item_evidence,
    status_by_deadline,
    year_of,
)

ALL_PARTS = Decimal(100)  # the target of a rule whose value is the share of its parts done

Rule = Callable[[IndicatorSpec, FiscalYearData, Parameters, date], IndicatorResult]


def meeting_topic_count(spec: IndicatorSpec, data: FiscalYearData, params: Parameters,
                        as_of: date) -> IndicatorResult:
    """Held meetings with at least one item on the topics (10: ≥ 1 performance review)."""
    rule, fy = spec.rule, year_of(data)
    items = counted_items(data, as_of, rule.topics)
    count = len({meeting.id for _, meeting in items})  # meetings, not items: two items at one meeting are one review
    done = count >= rule.target
    return IndicatorResult(
        number=spec.number,
        status=status_by_deadline(done=done, as_of=as_of, deadline=fy.end, warning_days=params.warning_days),
        value=count, target=rule.target,
        detail={"meetings": count, "topics": list(rule.topics)},
        evidence=[item_evidence(item, meeting) for item, meeting in items],
        deadline=fy.end,
        needed=[] if done else [{"code": "topic_meetings", "topics": list(rule.topics),
                                 "missing": rule.target - count}],
    )


def record_count(spec: IndicatorSpec, data: FiscalYearData, params: Parameters,
                 as_of: date) -> IndicatorResult:
    """Records sent within the fiscal year up to ``as_of`` (15: ≥ 2 reports to the minister)."""
    rule, fy = spec.rule, year_of(data)
    reports = sorted((r for r in data.ministerial_reports if fy.contains(r.sent_on) and r.sent_on <= as_of),
                     key=lambda r: (r.sent_on, r.id))
    done = len(reports) >= rule.target
    return IndicatorResult(
        number=spec.number,
        status=status_by_deadline(done=done, as_of=as_of, deadline=fy.end, warning_days=params.warning_days),
        value=len(reports), target=rule.target,
        detail={"reports": len(reports)},
        evidence=[{"kind": "ministerial_report", "id": r.id, "sent_on": r.sent_on, "title": r.title}
                  for r in reports],
        deadline=fy.end,
        needed=[] if done else [{"code": "ministerial_reports", "missing": rule.target - len(reports)}],
    )


def topics_by_deadline(spec: IndicatorSpec, data: FiscalYearData, params: Parameters,
                       as_of: date) -> IndicatorResult:
    """Every topic considered at a held meeting on or before the deadline (11: both plans by the Cabinet's date).

    Only meetings of the fiscal year count, so once the year is over (``as_of`` after its
    last day) a plan never considered in it can no longer be: the indicator is
    ``missed``, whether or not the deadline was entered, and even if the deadline falls
    after the year's end.

    A deadline never entered is never guessed: the value stays None and nothing is
    judged in time or late.  While the year is open that is ``on_track`` with
    ``deadline_unset``, as before.  A closed year whose plans were all considered but
    whose deadline was never entered keeps ``on_track`` too, with the code
    ``deadline_unset_year_closed`` (and ``detail["judgeable"] = False``) saying plainly
    that the verdict cannot be given.  Why that status: ``met`` would claim the plans
    were in time, which nobody knows; ``missed`` would claim they were late, which
    nobody knows either (entering the date can still make it met); ``at_risk`` means a
    deadline near or no miss left to absorb, neither of which is the case.  The spec
    makes ``on_track`` "anything else", so it is the one status that claims nothing;
    the code, the empty value and the absent deadline carry the "cannot be judged".
    """
    rule, fy = spec.rule, year_of(data)
    deadline = _resolve_deadline(rule, params, fy)
    year_closed = as_of > fy.end
    items = counted_items(data, as_of, rule.topics)
    considered = {t: [m.held_on for i, m in items if i.topic == t] for t in rule.topics}
    # After the year, a plan with no item in it is known to be missing, deadline or not.
    never_considered = [t for t, days in considered.items() if not days] if year_closed else []
    # A plan considered after the deadline stays in the evidence, marked late.
    evidence = [item_evidence(i, m, in_time=None if deadline is None else m.held_on <= deadline)
                for i, m in items]
    if deadline is None:
        # No guessing: until the secretary enters the date, nothing considered is judged in time or late.
        if never_considered:
            status = Status.MISSED
        else:
            status = Status.ON_TRACK  # see the docstring: claims neither met nor missed
        needed = [{"code": "topic_not_considered", "topic": t, "fiscal_year_end": fy.end}
                  for t in never_considered]
        needed.append({"code": "deadline_unset_year_closed" if year_closed else "deadline_unset",
                       "parameter": rule.deadline})
        return IndicatorResult(
            number=spec.number, status=status, value=None, target=ALL_PARTS,
            detail={"deadline_set": False, "deadline_parameter": rule.deadline, "year_closed": year_closed,
                    # Whether the indicator can be judged at all without the deadline.
                    "judgeable": bool(never_considered),
                    "plans": {t: {"considered_on": days, "in_time": False if t in never_considered else None}
                              for t, days in considered.items()}},
            evidence=evidence, deadline=None, needed=needed,
        )
    in_time = {t: any(day <= deadline for day in days) for t, days in considered.items()}
    done = all(in_time.values())
    return IndicatorResult(
        number=spec.number,
        status=status_by_deadline(done=done, as_of=as_of, deadline=deadline, warning_days=params.warning_days,
                                  still_possible=not never_considered),
        value=percent(sum(in_time.values()), len(in_time)), target=ALL_PARTS,
        detail={"deadline_set": True, "plans": {t: {"considered_on": considered[t], "in_time": in_time[t]}
                                                for t in rule.topics}},
        evidence=evidence, deadline=deadline,
        needed=[{"code": "topic_by_deadline", "topic": t, "deadline": deadline}
                for t, ok in in_time.items() if not ok],
    )


def _resolve_deadline(rule: TopicsByDeadline, params: Parameters, fy: FiscalYear) -> date | None:
    if isinstance(rule.deadline, date):
        return rule.deadline
    if rule.deadline == FISCAL_YEAR_END:
        return fy.end
    return params.named_date(rule.deadline)


def quarters_per_subject(spec: IndicatorSpec, data: FiscalYearData, params: Parameters,
                         as_of: date) -> IndicatorResult:
    """Distinct fiscal quarters in which each subject was considered (12, 13: every subject ≥ 3 quarters)."""
    rule, fy = spec.rule, year_of(data)
    items = [(i, m) for i, m in counted_items(data, as_of, rule.subjects)
             if i.states_problems_and_remedies or not rule.require_states_problems_and_remedies]
    left = _quarters_left(fy, as_of)
    subjects = {s: _subject_progress(s, items, left, rule.min_quarters) for s in rule.subjects}
    short = {s: rule.min_quarters - p["count"] for s, p in subjects.items() if not p["done"]}
    spare = {s: len(subjects[s]["quarters_available"]) - missing for s, missing in short.items()}
    status = status_by_deadline(done=not short, as_of=as_of, deadline=fy.end, warning_days=params.warning_days,
                                still_possible=all(n >= 0 for n in spare.values()))
    # spec: at_risk when some subject needs every quarter that is left to it (no spare quarter).
    if status == Status.ON_TRACK and 0 in spare.values():
        status = Status.AT_RISK
    detail = {"subjects": subjects, "min_quarters": rule.min_quarters, "quarters_left": left}
    if rule.require_states_problems_and_remedies:
        # Shown so the secretary sees why a report was not counted.
        detail["items_not_stating_problems_and_remedies"] = [
            i.id for i, _ in counted_items(data, as_of, rule.subjects) if not i.states_problems_and_remedies]
    return IndicatorResult(
        number=spec.number, status=status,
        value=percent(len(rule.subjects) - len(short), len(rule.subjects)), target=ALL_PARTS,
        detail=detail,
        evidence=[item_evidence(i, m, quarter=quarter_of(m.held_on)) for i, m in items],
        deadline=fy.end,
        needed=[{"code": "subject_quarters", "subject": s, "missing": missing,
                 "quarters_available": len(subjects[s]["quarters_available"])} for s, missing in short.items()],
    )


def _subject_progress(subject: str, items: list, left: list[int], min_quarters: int) -> dict:
    quarters = sorted({quarter_of(m.held_on) for i, m in items if i.topic == subject})
    return {"quarters": quarters, "count": len(quarters), "done": len(quarters) >= min_quarters,
            # A quarter already counted for this subject cannot count again.
            "quarters_available": [q for q in left if q not in quarters]}


def _quarters_left(fy: FiscalYear, as_of: date) -> list[int]:
    # The current quarter is still open: a meeting may yet be held in it.
    return list(range(5 - fy.quarters_left(as_of), 5))


def budget_ratio(spec: IndicatorSpec, data: FiscalYearData, params: Parameters,
                 as_of: date) -> IndicatorResult:
    """Cumulative actual ÷ cumulative plan x 100 up to the last month with an actual figure (14: ≥ 96)."""
    rule, fy = spec.rule, year_of(data)
    by_month = {b.month: b for b in data.budget_months}
    # Months of the fiscal year that have begun by as_of; a figure for a later month is not yet known.
    started = [m for m in fy.months() if date.fromisoformat(f"{m}-01") <= as_of and m in by_month]
    with_actual = [m for m in started if by_month[m].actual is not None]
    months = started[:started.index(with_actual[-1]) + 1] if with_actual else []
    planned = sum((by_month[m].planned for m in months), Decimal(0))
    actual = sum((by_month[m].actual or Decimal(0) for m in months), Decimal(0))
    measured = planned > 0
    reached = measured and actual * 100 >= rule.threshold_percent * planned  # 96.00 % meets, 95.99 % does not
    if as_of > fy.end:
        status = Status.MET if reached else Status.MISSED
    else:
        # During the year the ratio to date is shown; below the threshold is at_risk.  "met"
        # is the year-end verdict, and the warning window does not apply to a ratio.
        status = Status.AT_RISK if measured and not reached else Status.ON_TRACK
    needed = []
    if not measured:
        needed.append({"code": "budget_actuals_missing"})
    elif not reached:
        # Rounded up: the satang that would still leave it short is not "enough".
        needed.append({"code": "budget_shortfall",
                       "amount": money(rule.threshold_percent * planned / 100 - actual, ROUND_CEILING)})
    return IndicatorResult(
        number=spec.number, status=status,
        value=percent(actual, planned) if measured else None, target=rule.threshold_percent,
        detail={"to_month": months[-1] if months else None, "planned": money(planned), "actual": money(actual),
                "months_without_actual": [m for m in months if by_month[m].actual is None]},
        evidence=[{"kind": "budget_month", "month": m, "planned": money(by_month[m].planned),
                   "actual": None if by_month[m].actual is None else money(by_month[m].actual)} for m in months],
        deadline=fy.end, needed=needed,
    )


def attendance(spec: IndicatorSpec, data: FiscalYearData, params: Parameters,
               as_of: date) -> IndicatorResult:
    """Qualifying meetings ÷ held meetings x 100 (16: ≥ 90), from the attendance report."""
    report = attendance_report(data, params, as_of)
    needed = []
    if report.meetings_held == 0:
        needed.append({"code": "meetings_held", "missing": 1})
    if report.status in (Status.AT_RISK, Status.MISSED):
        needed.append({"code": "qualifying_meetings", "can_absorb": report.can_absorb,
                       "meetings_remaining": report.meetings_remaining})
    return IndicatorResult(
        number=spec.number, status=report.status, value=report.rate, target=report.year_threshold_percent,
        detail={"meetings_held": report.meetings_held, "meetings_qualifying": report.meetings_qualifying,
                "meetings_remaining": report.meetings_remaining, "can_absorb": report.can_absorb,
                "meeting_threshold_percent": report.meeting_threshold_percent,
                "one_place_flags": [row.meeting_id for row in report.meetings if row.one_place_flag],
                "unrecorded_meeting_ids": list(report.unrecorded_meeting_ids)},
        evidence=[{"kind": "meeting", "id": row.meeting_id, "held_on": row.held_on, "number": row.number,
                   "eligible": row.eligible, "present": row.present, "qualifies": row.qualifies,
                   "one_place_flag": row.one_place_flag} for row in report.meetings],
        deadline=year_of(data).end, needed=needed,
    )


def checklist(spec: IndicatorSpec, data: FiscalYearData, params: Parameters,
              as_of: date) -> IndicatorResult:
    """Every required item present (has a URL) and current by its freshness rule (17)."""
    rule: Checklist = spec.rule
    fy = year_of(data)
    # Judged on as_of, or on the last day of the year for a year that is over: a
    # 90-day rule must not fail a past year because time has since gone by.
    on = min(as_of, fy.end)
    records = _latest_by_key(data.website_items)
    items, evidence, needed = {}, [], []
    for item in rule.items:
        record = records.get(item.key)
        present = record is not None and bool(record.url)
        current = present and _is_current(item, record, fy, on)
        items[item.key] = {"present": present, "current": current, "freshness": item.freshness}
        if record is not None:
            evidence.append({"kind": "website_item", "id": record.id, "key": item.key, "url": record.url,
                             "last_updated_on": record.last_updated_on, "freshness": item.freshness,
                             "current": current})
        if not current:
            problem = "no_record" if record is None else "missing_url" if not present else "not_current"
            needed.append({"code": "website_item", "key": item.key, "problem": problem})
    done = not needed
    return IndicatorResult(
        number=spec.number,
        status=status_by_deadline(done=done, as_of=as_of, deadline=fy.end, warning_days=params.warning_days),
        value=percent(len(items) - len(needed), len(items)), target=ALL_PARTS,
        detail={"items": items, "judged_on": on}, evidence=evidence, deadline=fy.end, needed=needed,
    )


def _latest_by_key(records: tuple[WebsiteItemRecord, ...]) -> dict[str, WebsiteItemRecord]:
    # If an item was recorded twice, the latest update (then the latest id) speaks for it.
    out: dict[str, WebsiteItemRecord] = {}
    for record in sorted(records, key=lambda r: (r.last_updated_on or date.min, r.id)):
        out[record.key] = record
    return out


def _is_current(item: ChecklistItem, record: WebsiteItemRecord, fy: FiscalYear, on: date) -> bool:
    if item.freshness in ("any", "tracker"):  # "tracker": published by this tracker, current by construction
        return True
    updated = record.last_updated_on
    # An update dated after the judging date had not happened on it.
    if updated is None or updated > on:
        return False
    if item.freshness == "current_fy":
        return updated >= fy.start
    # "days:N": updated at most N days before the judging date (N days ago still counts).
    return (on - updated).days <= int(item.freshness.removeprefix("days:"))


def self_assessment(spec: IndicatorSpec, data: FiscalYearData, params: Parameters,
                    as_of: date) -> IndicatorResult:
    """The parts of the board's self-assessment done on or before the end of the fiscal year (18)."""
    rule: SelfAssessment = spec.rule
    fy = year_of(data)
    cutoff = min(as_of, fy.end)  # what happens after the year's end is too late for it
    record = data.self_assessment

    def by_cutoff(day: date | None) -> bool:
        return day is not None and day <= cutoff

    # Who must submit: directors in office on the closing date (or, until it is set, on
    # the cutoff, to show who is outstanding).  "Director" as for attendance: someone
    # who only takes the minutes is not assessed.
    roster_day = record.closing_on if record and record.closing_on else cutoff
    roster = sorted((d for d in data.directors if d.counts_for_attendance and d.in_office_on(roster_day)),
                    key=lambda d: d.id)
    submitted = {d: day for d, day in (record.submissions.items() if record else ()) if day <= cutoff}
    outstanding = [d for d in roster if d.id not in submitted]
    disclosures = counted_items(data, as_of, (rule.disclosure_topic,))
    parts = {
        "individual_assessments": bool(record and record.closing_on and roster and not outstanding),
        "whole_board_assessment": bool(record and by_cutoff(record.whole_board_completed_on)),
        "disclosed_at_meeting": bool(disclosures),
        "guidelines_recorded": bool(record and by_cutoff(record.guidelines_recorded_on)),
    }
    parts = {part: parts[part] for part in rule.parts}
    done = all(parts.values())
    evidence = [item_evidence(i, m) for i, m in disclosures]
    evidence += [{"kind": "self_assessment_submission", "director_id": d, "submitted_on": day}
                 for d, day in sorted(submitted.items())]
    return IndicatorResult(
        number=spec.number,
        status=status_by_deadline(done=done, as_of=as_of, deadline=fy.end, warning_days=params.warning_days),
        value=percent(sum(parts.values()), len(parts)), target=ALL_PARTS,
        detail={"parts": parts,
                "closing_on": record.closing_on if record else None,
                "whole_board_completed_on": record.whole_board_completed_on if record else None,
                "guidelines_recorded_on": record.guidelines_recorded_on if record else None,
                "directors_to_submit": [d.id for d in roster],
                "not_submitted": [{"director_id": d.id, "name": d.name} for d in outstanding]},
        evidence=evidence, deadline=fy.end,
        needed=[{"code": "self_assessment_part", "part": part,
                 **({"director_ids": [d.id for d in outstanding]} if part == "individual_assessments" else {})}
                for part, ok in parts.items() if not ok],
    )


# rule kind -> rule; parameters.RULE_KINDS lists the same kinds.
RULES: dict[str, Rule] = {
    "meeting_topic_count": meeting_topic_count,
    "topics_by_deadline": topics_by_deadline,
    "quarters_per_subject": quarters_per_subject,
    "budget_ratio": budget_ratio,
    "record_count": record_count,
    "attendance": attendance,
    "checklist": checklist,
    "self_assessment": self_assessment,
}

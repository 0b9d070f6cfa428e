"""Two replacements of one set sent at the same moment never merge: the last one wins whole.

Each pair is two real concurrent requests (two threads, two database connections, released
together by a barrier) on whatever database the suite runs on (SQLite, or PostgreSQL in CI).
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from governance.extensions import db
from governance.models import Attendance, AuditEntry, BudgetMonth

PAIRS = 50


def _race(app, headers, method: str, url: str, bodies: list) -> list[int]:
    """Send each body from its own thread at once; the answers' status codes, in order."""
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = [0] * len(bodies)

    def send(index: int, body) -> None:
        client = app.test_client()
        barrier.wait()
        statuses[index] = client.open(url, method=method, json=body, headers=headers).status_code

    threads = [threading.Thread(target=send, args=(i, body)) for i, body in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.fixture
def board(make_director, make_meeting):
    directors = [make_director(f"กรรมการ {n}") for n in range(8)]
    return directors, make_meeting(date(2019, 11, 20))


def test_fifty_pairs_of_attendance_saves_each_end_as_one_body_sent(app, api, board):
    directors, meeting = board
    half = len(directors) // 2
    a = [{"director_id": d.id, "status": "in_person" if i < half else "leave"} for i, d in enumerate(directors)]
    b = [{"director_id": d.id, "status": "leave" if i < half else "online"} for i, d in enumerate(directors)]
    as_sent = {"A": {r["director_id"]: r["status"] for r in a}, "B": {r["director_id"]: r["status"] for r in b}}
    headers = api.headers("secretary")
    url = f"/api/v1/meetings/{meeting.id}/attendance"
    outcomes = []
    for _ in range(PAIRS):
        assert api.put(url, json=[]).status_code == 200
        assert _race(app, headers, "PUT", url, [a, b]) == [200, 200]
        db.session.expire_all()
        final = dict(db.session.execute(sa.select(Attendance.director_id, Attendance.status)
                                        .where(Attendance.meeting_id == meeting.id)).all())
        final = {director_id: str(status) for director_id, status in final.items()}
        outcomes.append(next((name for name, body in as_sent.items() if body == final), final))
    merged = [o for o in outcomes if not isinstance(o, str)]
    assert not merged, f"{len(merged)} of {PAIRS} pairs ended in a state neither client sent: {merged[0]}"


def test_the_audit_trail_of_a_race_records_the_first_save_as_the_second_ones_before(app, api, board):
    directors, meeting = board
    a = [{"director_id": d.id, "status": "in_person"} for d in directors]
    b = [{"director_id": d.id, "status": "online"} for d in directors]
    url = f"/api/v1/meetings/{meeting.id}/attendance"
    assert _race(app, api.headers("secretary"), "PUT", url, [a, b]) == [200, 200]
    db.session.expire_all()
    final = set(db.session.scalars(sa.select(Attendance.status).where(Attendance.meeting_id == meeting.id)))
    assert len(final) == 1
    loser = ({"in_person", "online"} - {str(s) for s in final}).pop()
    changes = [e.changes for e in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.record_type == "attendance", AuditEntry.action == "update"))]
    # The winner changed each row from what the loser had written, not from "no row".
    assert len(changes) == len(directors)
    olds = [change["old"] for entry in changes for change in entry if change["field"] == "status"]
    assert olds == [loser] * len(directors), changes


def test_twenty_pairs_of_budget_replacements_each_end_as_one_body_sent(app, api):
    months = [f"{y}-{m:02d}" for y, m in [(2019, 10), (2019, 11), (2019, 12), (2020, 1)]]
    a = {"months": [{"month": m, "planned": "100.00", "actual": "90.00"} for m in months[:2]]}
    b = {"months": [{"month": m, "planned": "200.00", "actual": None} for m in months[1:]]}
    url = "/api/v1/fiscal-years/2563/budget"
    headers = api.headers("secretary")
    for _ in range(20):
        assert api.put(url, json={"months": []}).status_code == 200
        statuses = _race(app, headers, "PUT", url, [a, b])
        assert statuses == [200, 200]
        db.session.expire_all()
        rows = db.session.execute(sa.select(BudgetMonth.month, BudgetMonth.planned_satang)
                                  .where(BudgetMonth.fiscal_year == 2563).order_by(BudgetMonth.month)).all()
        as_a = [(m, 10_000) for m in months[:2]]
        as_b = [(m, 20_000) for m in months[1:]]
        assert [tuple(r) for r in rows] in (as_a, as_b), rows

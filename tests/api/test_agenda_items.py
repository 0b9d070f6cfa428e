"""/api/v1/meetings/{id}/agenda-items."""

from __future__ import annotations

import pytest

from governance.indicators.vocabulary import Topic

ITEM = {"topic": "financial_report", "title": "รายงานผลการดำเนินงานด้านการเงิน ไตรมาสที่ 1",
        "states_problems_and_remedies": True}


def items_url(meeting) -> str:
    return f"/api/v1/meetings/{meeting.id}/agenda-items"


def test_sections_resolution_and_agenda_order(api, make_meeting):
    meeting = make_meeting()
    later = api.post(items_url(meeting), json={**ITEM, "section": "other_business"}).get_json()
    earlier = api.post(items_url(meeting), json={**ITEM, "section": "chair_announcements",
                                                 "resolution": "ที่ประชุมรับทราบ"}).get_json()
    assert (later["position"], earlier["position"]) == (1, 1)  # positions count within a section
    assert [i["id"] for i in api.get(items_url(meeting)).get_json()] == [earlier["id"], later["id"]]
    # A PUT that names neither keeps the section and the resolution; "" clears the resolution.
    kept = api.put(f"{items_url(meeting)}/{earlier['id']}", json=ITEM).get_json()
    assert (kept["section"], kept["resolution"]) == ("chair_announcements", "ที่ประชุมรับทราบ")
    cleared = api.put(f"{items_url(meeting)}/{earlier['id']}", json={**ITEM, "resolution": ""}).get_json()
    assert cleared["resolution"] is None
    refused = api.post(items_url(meeting), json={**ITEM, "section": "lunch"})
    assert refused.status_code == 422 and "section" in str(refused.get_json())


def test_create_list_get_update_delete(api, make_meeting, row_counts):
    meeting = make_meeting()
    created = api.post(items_url(meeting), json=ITEM)
    assert created.status_code == 201
    first = created.get_json()
    assert first == {**ITEM, "id": first["id"], "meeting_id": meeting.id, "position": 1,
                     "section": "for_consideration", "resolution": None, "confidentiality": "open",
                     "withheld": False}
    assert created.headers["Location"].endswith(f"{items_url(meeting)}/{first['id']}")

    second = api.post(items_url(meeting), json={"topic": "performance_review", "title": "ทบทวนผลการดำเนินงาน"})
    assert second.status_code == 201
    second = second.get_json()
    assert second["position"] == 2 and second["states_problems_and_remedies"] is False

    assert api.get(items_url(meeting)).get_json() == [first, second]
    assert api.get(f"{items_url(meeting)}/{first['id']}").get_json() == first

    replacement = {"topic": "mission_report", "title": "รายงานผลภารกิจหลัก", "states_problems_and_remedies": False}
    updated = api.put(f"{items_url(meeting)}/{first['id']}", json=replacement)
    assert updated.status_code == 200
    assert updated.get_json() == {**replacement, "id": first["id"], "meeting_id": meeting.id, "position": 1,
                                  "section": "for_consideration", "resolution": None, "confidentiality": "open",
                     "withheld": False}

    assert api.delete(f"{items_url(meeting)}/{first['id']}").status_code == 204
    assert api.get(items_url(meeting)).get_json() == [second]
    assert row_counts()["agenda_items"] == 1


@pytest.mark.parametrize("topic", [t.value for t in Topic])
def test_every_topic_code_is_accepted(api, make_meeting, topic):
    assert api.post(items_url(make_meeting()), json={**ITEM, "topic": topic}).status_code == 201


def test_an_item_belongs_to_its_meeting(api, make_meeting):
    meeting, other = make_meeting(), make_meeting()
    item_id = api.post(items_url(meeting), json=ITEM).get_json()["id"]
    assert api.get(f"{items_url(other)}/{item_id}").status_code == 404
    assert api.put(f"{items_url(other)}/{item_id}", json=ITEM).status_code == 404
    assert api.delete(f"{items_url(other)}/{item_id}").status_code == 404
    assert api.get(items_url(meeting)).get_json()[0]["id"] == item_id


def test_missing_meeting_or_item_is_404(api, make_meeting):
    assert api.get("/api/v1/meetings/999/agenda-items").status_code == 404
    assert api.post("/api/v1/meetings/999/agenda-items", json=ITEM).status_code == 404
    assert api.get(f"{items_url(make_meeting())}/999").status_code == 404


BAD_BODIES = [
    ({**ITEM, "topic": "gossip"}, "topic"),
    ({**ITEM, "topic": "Financial_Report"}, "topic"),
    ({**ITEM, "topic": None}, "topic"),
    ({**ITEM, "title": ""}, "title"),
    ({**ITEM, "title": "  "}, "title"),
    ({**ITEM, "states_problems_and_remedies": "true"}, "states_problems_and_remedies"),
    ({**ITEM, "position": 3}, "position"),
    ({"title": "ไม่มีหัวข้อ"}, "topic"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_BODIES)])
def test_bad_input_is_refused_naming_the_field(api, make_meeting, body, field, snapshot):
    meeting = make_meeting()
    item_id = api.post(items_url(meeting), json=ITEM).get_json()["id"]
    before = snapshot()
    for response in (api.post(items_url(meeting), json=body), api.put(f"{items_url(meeting)}/{item_id}", json=body)):
        assert response.status_code == 422
        assert field in response.get_json()["error"]["fields"], response.get_json()
    assert snapshot() == before


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_readers_read_but_may_not_write(api, make_meeting, role, snapshot):
    meeting = make_meeting()
    item_id = api.post(items_url(meeting), json=ITEM).get_json()["id"]
    assert api.get(items_url(meeting), role=role).status_code == 200
    assert api.get(f"{items_url(meeting)}/{item_id}", role=role).status_code == 200
    before = snapshot()
    assert api.post(items_url(meeting), json=ITEM, role=role).status_code == 403
    assert api.put(f"{items_url(meeting)}/{item_id}", json=ITEM, role=role).status_code == 403
    assert api.delete(f"{items_url(meeting)}/{item_id}", role=role).status_code == 403
    assert snapshot() == before


def test_without_a_token_is_401(api, make_meeting):
    meeting = make_meeting()
    assert api.get(items_url(meeting), role=None).status_code == 401
    assert api.post(items_url(meeting), json=ITEM, role=None).status_code == 401

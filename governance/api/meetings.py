"""/api/v1/meetings: meetings, their attendance and their agenda items."""

from __future__ import annotations

from flask import url_for
from pydantic import TypeAdapter

from governance import clock
from governance.api.auth import READERS, WRITERS, current_api_user, token_required
from governance.api.blueprint import bp
from governance.api.parsing import parse_body
from governance.api.schemas import (
    ID,
    AgendaItem,
    AgendaItemRequest,
    AttendanceRowRequest,
    Meeting,
    MeetingRequest,
    attendance_of,
    commit,
    fiscal_year_arg,
    no_content,
    respond,
)
from governance.services import agenda, meetings
from governance.services.confidentiality import Reader

ATTENDANCE_BODY = TypeAdapter(list[AttendanceRowRequest])


@bp.get("/meetings")
@token_required(*READERS)
def list_meetings():
    return respond([Meeting.of(m) for m in meetings.list_meetings(fiscal_year_arg())])


@bp.post("/meetings")
@token_required(*WRITERS)
def create_meeting():
    body = parse_body(MeetingRequest)
    meeting = meetings.create_meeting(body.to_input(), today=clock.today())
    commit()
    return respond(Meeting.of(meeting), 201, {"Location": url_for("api.get_meeting", meeting_id=meeting.id)})


@bp.get(f"/meetings/<{ID}:meeting_id>")
@token_required(*READERS)
def get_meeting(meeting_id: int):
    return respond(Meeting.of(meetings.get_meeting(meeting_id)))


@bp.put(f"/meetings/<{ID}:meeting_id>")
@token_required(*WRITERS)
def update_meeting(meeting_id: int):
    body = parse_body(MeetingRequest)
    meeting = meetings.update_meeting(meeting_id, body.to_input(), today=clock.today())
    commit()
    return respond(Meeting.of(meeting))


@bp.delete(f"/meetings/<{ID}:meeting_id>")
@token_required(*WRITERS)
def delete_meeting(meeting_id: int):
    meetings.delete_meeting(meeting_id)
    commit()
    return no_content()


# ---------------------------------------------------------------------------- attendance


@bp.get(f"/meetings/<{ID}:meeting_id>/attendance")
@token_required(*READERS)
def get_attendance(meeting_id: int):
    return respond(attendance_of(meetings.get_meeting(meeting_id)))


@bp.put(f"/meetings/<{ID}:meeting_id>/attendance")
@token_required(*WRITERS)
def replace_attendance(meeting_id: int):
    rows = parse_body(ATTENDANCE_BODY)
    # Built before the commit: what this request wrote, not what a racing save left (budget.py).
    answer = attendance_of(meetings.replace_attendance(meeting_id, [row.to_input() for row in rows]))
    commit()
    return respond(answer)


# ---------------------------------------------------------------------------- agenda items


def _reader() -> Reader:
    return Reader.of(current_api_user())


@bp.get(f"/meetings/<{ID}:meeting_id>/agenda-items")
@token_required(*READERS)
def list_agenda_items(meeting_id: int):
    # In agenda order: section by section in the standard order, by position within each.
    return respond([AgendaItem.of(item, _reader()) for part in agenda.sections(meetings.get_meeting(meeting_id))
                    for item in part.items])


@bp.post(f"/meetings/<{ID}:meeting_id>/agenda-items")
@token_required(*WRITERS)
def create_agenda_item(meeting_id: int):
    body = parse_body(AgendaItemRequest)
    item = meetings.add_agenda_item(meeting_id, body.to_input())
    commit()
    return respond(AgendaItem.of(item, _reader()), 201,
                   {"Location": url_for("api.get_agenda_item", meeting_id=meeting_id, item_id=item.id)})


@bp.get(f"/meetings/<{ID}:meeting_id>/agenda-items/<{ID}:item_id>")
@token_required(*READERS)
def get_agenda_item(meeting_id: int, item_id: int):
    return respond(AgendaItem.of(meetings.get_agenda_item(meeting_id, item_id), _reader()))


@bp.put(f"/meetings/<{ID}:meeting_id>/agenda-items/<{ID}:item_id>")
@token_required(*WRITERS)
def update_agenda_item(meeting_id: int, item_id: int):
    body = parse_body(AgendaItemRequest)
    item = meetings.update_agenda_item(meeting_id, item_id, body.to_input())
    commit()
    return respond(AgendaItem.of(item, _reader()))


@bp.delete(f"/meetings/<{ID}:meeting_id>/agenda-items/<{ID}:item_id>")
@token_required(*WRITERS)
def delete_agenda_item(meeting_id: int, item_id: int):
    meetings.delete_agenda_item(meeting_id, item_id)
    commit()
    return no_content()

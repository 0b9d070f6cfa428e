"""Calendars: the page with one's feed links, a meeting's .ics, and the signed feeds themselves.

The feeds answer without a session (calendar apps cannot sign in): the signed token in
the URL is the permission, and a bad one is a 404 (services.calendars).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from governance import clock
from governance.models import Role
from governance.services import calendars, directors, meetings
from governance.services.errors import NotFound
from governance.web.access import READERS, roles_required

bp = Blueprint("calendars", __name__)
feeds_bp = Blueprint("calendar_feeds", __name__)


@bp.get("/calendars")
@roles_required(*READERS)
def index():
    own = current_user.director
    everyone = current_user.role in (Role.ADMIN, Role.SECRETARY)
    return render_template(
        "calendars/index.html",
        own=own, own_url=calendars.director_feed_url(own.id) if own is not None else None,
        board_url=calendars.board_feed_url() if everyone else None,
        directors=[(d, calendars.director_feed_url(d.id)) for d in directors.list_directors()] if everyone else [])


@bp.get("/meetings/<int:meeting_id>/calendar.ics")
@roles_required(*READERS)
def meeting_ics(meeting_id: int):
    try:
        meeting = meetings.get_meeting(meeting_id)
    except NotFound:
        abort(404)
    ics = calendars.meeting_ics(meeting, clock.now())
    return Response(ics.data, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{ics.filename}"'})


@feeds_bp.get("/feeds/directors/<token>.ics")
def director(token: str):
    try:
        person = calendars.director_for_token(token)
    except NotFound:
        abort(404)
    return _feed(calendars.director_feed(person, clock.today(), clock.now()), f"director-{person.id}.ics")


@feeds_bp.get("/feeds/board/<token>.ics")
def board(token: str):
    try:
        calendars.check_board_token(token)
    except NotFound:
        abort(404)
    return _feed(calendars.board_feed(clock.today(), clock.now()), "board.ics")


def _feed(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        # The URL is the secret: no shared cache may keep it, no search engine list it.
        "Cache-Control": "private, max-age=300",
        "X-Robots-Tag": "noindex, nofollow",
    })

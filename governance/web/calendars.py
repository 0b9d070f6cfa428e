"""Calendars: the page with one's feed links, a meeting's .ics, and the signed feeds themselves.

The feeds answer without a session (calendar apps cannot sign in): the signed token in
the URL is the permission, and a bad one is a 404 (services.calendars).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from governance import clock
from governance.extensions import db
from governance.models import Role
from governance.services import calendars, directors, meetings
from governance.services.errors import NotFound, ServiceError
from governance.web.access import READERS, roles_required

bp = Blueprint("calendars", __name__)
SECRETARIAT = (Role.ADMIN, Role.SECRETARY)
#: who may replace their own feed address (auditors only read, so they change nothing)
OWN_RENEWERS = (Role.DIRECTOR, *SECRETARIAT)
feeds_bp = Blueprint("calendar_feeds", __name__)


@bp.get("/calendars")
@roles_required(*READERS)
def index():
    own = current_user.director
    everyone = current_user.role in SECRETARIAT
    return render_template(
        "calendars/index.html",
        own=own, own_url=calendars.director_feed_url(own) if own is not None else None,
        can_renew_own=current_user.role in OWN_RENEWERS,
        board_url=calendars.board_feed_url() if everyone else None,
        directors=calendars.director_feed_urls(directors.list_directors()) if everyone else [])


@bp.post("/calendars/renew")
@roles_required(*OWN_RENEWERS)
def renew_own():
    """A director replaces their own address (e.g. after sending it to the wrong person)."""
    own = current_user.director
    if own is None:
        flash(_("Your account is not linked to a director, so it has no feed of its own."), "error")
    else:
        _renew(own.id)
    return redirect(url_for(".index"))


@bp.post("/calendars/directors/<int:director_id>/renew")
@roles_required(*SECRETARIAT)
def renew(director_id: int):
    """The secretariat replaces a director's address (a leaked link, a lost phone)."""
    try:
        _renew(director_id)
    except NotFound:
        abort(404)
    return redirect(url_for(".index"))


def _renew(director_id: int) -> None:
    try:
        calendars.renew_director_feed(director_id)
        db.session.commit()
    except NotFound:
        db.session.rollback()
        raise
    except ServiceError as error:  # e.g. two renewals at the same moment: say so, change nothing
        db.session.rollback()
        flash(str(error.message), "error")
        return
    flash(_("A new address was made; the old one no longer works. Subscribe again with the new one."),
          "success")


@bp.get("/meetings/<int:meeting_id>/calendar.ics")
@roles_required(*READERS)
def meeting_ics(meeting_id: int):
    try:
        meeting = meetings.get_meeting(meeting_id)
    except NotFound:
        abort(404)
    ics = calendars.meeting_ics(meeting, clock.now(), str(get_locale() or "th"))
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

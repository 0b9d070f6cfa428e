"""The home page: a director's own page; everyone else starts at the compliance dashboard."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from governance import clock
from governance.models import Role, RsvpResponse
from governance.services import director_home
from governance.web.access import READERS, roles_required
from governance.web.dashboard import selected_period

bp = Blueprint("main", __name__)


@bp.get("/")
@roles_required(*READERS)
def home():
    asked = {name: request.args[name] for name in ("fy", "as_of") if request.args.get(name)}
    if current_user.role == Role.DIRECTOR:
        asked.pop("fy", None)
        return redirect(url_for(".mine", **asked))
    return redirect(url_for("dashboard.index", **asked))


@bp.get("/me")
@roles_required(*READERS)
def mine():
    """What is the signed-in director's to do (as of ``?as_of=``, for the demo's year)."""
    period = selected_period(request.args, clock.today())
    director = current_user.director
    home = director_home.home_of(director, current_user, period.as_of) if director is not None else None
    return render_template("home/director.html", home=home, period=period, answers=list(RsvpResponse),
                           as_of_asked=request.args.get("as_of") if not period.as_of_error else None)

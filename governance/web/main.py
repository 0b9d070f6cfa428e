"""The home page."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for

from governance.web.access import READERS, roles_required

bp = Blueprint("main", __name__)


@bp.get("/")
@roles_required(*READERS)
def home():
    # Until the compliance dashboard exists, the secretary's work starts at the meeting log.
    return redirect(url_for("meetings.index"))

"""The home page."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from governance.web.access import READERS, roles_required

bp = Blueprint("main", __name__)


@bp.get("/")
@roles_required(*READERS)
def home():
    # Everyone starts at the compliance dashboard (the fiscal year and date asked for, if any).
    asked = {name: request.args[name] for name in ("fy", "as_of") if request.args.get(name)}
    return redirect(url_for("dashboard.index", **asked))

"""``GET /healthz`` for load balancers and uptime checks: no sign-in, no session, one query."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, jsonify

from governance.services import health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 while the database answers and its schema is the code's; 503 otherwise (a migration
    not yet run, or the database down), so a balancer sends no traffic to this process."""
    state = health.check(current_app.extensions["migrate"].directory)
    response = jsonify({"status": "ok" if state.ok else "unavailable", **asdict(state)})
    response.status_code = 200 if state.ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response

"""JSON API v1 (../shared/spec/api.md is the contract)."""

from __future__ import annotations

from flask import Flask

from governance.api import (  # noqa: F401  (each resource module attaches its views to bp)
    budget,
    directors,
    fiscal_years,
    kpis,
    meetings,
    openapi,
    reports,
    self_assessment,
    tokens,
    users,
    website,
)
from governance.api.blueprint import bp
from governance.api.errors import json_http_error
from governance.extensions import csrf

__all__ = ["json_http_error", "register"]


def register(app: Flask) -> None:
    # Bearer tokens, not cookies: a cross-site request cannot carry them, so no CSRF token.
    csrf.exempt(bp)
    app.register_blueprint(bp)

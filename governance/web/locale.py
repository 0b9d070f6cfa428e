"""Which language a request is served in: Thai unless the user chose English."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    # The JSON API and the command line speak English; pages speak the reader's language.
    if not has_request_context() or request.path.startswith("/api/"):
        return "en"
    chosen = session.get("locale")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    if current_user and current_user.is_authenticated:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]

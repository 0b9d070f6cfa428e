"""Routes that accept files bigger than the app-wide request limit (MAX_CONTENT_LENGTH).

Flask-WTF's global CSRF check runs before any view and reads the form, so it parses the body
under the 2 MB app-wide limit: raising the limit inside the view comes too late. Upload views
are therefore exempt from the global check (``@csrf.exempt``) and call ``allow_upload`` first
thing: it raises the limit for this request only (Flask >= 3.1), then checks the CSRF token.
The role check has run by then, so no anonymous request gets the larger allowance.
"""

from __future__ import annotations

from flask import current_app, request

from governance.extensions import csrf

# Form fields and multipart framing around the files themselves.
ENVELOPE = 64 * 1024


def allow_upload(max_file_bytes: int) -> None:
    request.max_content_length = max_file_bytes + ENVELOPE
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()

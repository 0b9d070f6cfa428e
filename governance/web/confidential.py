"""The confidentiality rule as the templates ask it: ``reader()`` is the signed-in user as a
``services.confidentiality.Reader`` (once per request), ``templates/_confidential.html`` the
words for what is withheld."""

from __future__ import annotations

from flask import Flask, g
from flask_login import current_user

from governance.services.confidentiality import Reader


def reader() -> Reader:
    if "confidentiality_reader" not in g:
        g.confidentiality_reader = Reader.of(current_user)
    return g.confidentiality_reader


def register(app: Flask) -> None:
    app.add_template_global(reader, "reader")

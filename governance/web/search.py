"""Search from the navigation bar: every signed-in role, each seeing only what it may read."""

from __future__ import annotations

import re

from flask import Blueprint, render_template, request
from markupsafe import Markup, escape

from governance.services import search as finder
from governance.web.access import READERS, roles_required
from governance.web.confidential import reader

bp = Blueprint("search", __name__)


@bp.get("/search")
@roles_required(*READERS)
def index():
    query = request.args.get("q", "")
    results = finder.search(query, reader())
    too_short = bool(query.strip()) and not results.words
    return render_template("search/index.html", results=results, too_short=too_short,
                           min_length=finder.MIN_LENGTH, limit=finder.LIMIT,
                           mark=lambda text: highlight(text, results.words))


def highlight(text: str | None, words: list[str]) -> Markup:
    """``text`` escaped, with each searched word marked where it occurs (any case)."""
    if not text:
        return Markup("")
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[last:match.start()]), Markup("<mark>"), escape(match.group(0)), Markup("</mark>")]
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)

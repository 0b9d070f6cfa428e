"""Reading a rendered page the way a person does: what error sits beside which field."""

from __future__ import annotations

import html
import re


def error_for(page: str, field_id: str) -> str:
    """The error shown beside a field (``<p class="error" id="<field>-error">``), or ''."""
    found = re.findall(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    return html.unescape(" ".join(found))


def form_errors(page: str) -> str:
    """The errors shown above a form (they belong to no one field)."""
    block = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', page, re.S)
    return html.unescape(block.group(1)) if block else ""

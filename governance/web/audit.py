"""The audit log (admin, secretary, auditor) and the history shown on a record's page.

Read-only: no route here, nor anywhere else, edits or deletes an entry.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Flask, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from governance.models import AuditAction, AuditEntry, Role
from governance.services import audit, confidentiality
from governance.services.errors import EARLIEST, LATEST
from governance.web import audit_changes, filters
from governance.web.access import roles_required
from governance.web.confidential import reader

bp = Blueprint("audit", __name__)

#: who may read the trail
AUDIT_READERS = (Role.ADMIN, Role.SECRETARY, Role.AUDITOR)

RECORD_TYPES = {
    "director": _l("Director"),
    "meeting": _l("Meeting record"),  # not "Meeting": its Thai reads "meeting no.", and this is an id
    "attendance": _l("Attendance"),
    "agenda_item": _l("Agenda item"),
    "action_item": _l("Action item"),
    "document": _l("Document"),
    "ministerial_report": _l("Report to the minister"),
    "budget_month": _l("Budget month"),
    "fiscal_year_parameters": _l("Fiscal-year criteria"),
    "website_item": _l("Website item"),
    "self_assessment": _l("Self-assessment"),
    "assessment_question": _l("Self-assessment question"),
    "assessment_response": _l("Self-assessment response"),
    "assessment_answer": _l("Self-assessment answer"),
    "user": _l("User account"),
    "api_token": _l("API token"),
    "rsvp": _l("Answer to an invitation"),
    "director_calendar_feed": _l("Calendar-feed address"),
    "kpi": _l("Key performance indicator"),
    "kpi_progress": _l("KPI update"),
    "kpi_figure": _l("KPI figure"),
    "kpi_snapshot": _l("KPI scorecard on an agenda item"),
}
ACTIONS = {
    AuditAction.CREATE: _l("Created"),
    AuditAction.UPDATE: _l("Changed"),
    AuditAction.DELETE: _l("Deleted"),
    AuditAction.OPEN: _l("Opened (confidential)"),
}


@bp.get("/audit")
@roles_required(*AUDIT_READERS)
def index():
    query = audit.AuditQuery(
        record_type=request.args.get("record_type") if request.args.get("record_type") in RECORD_TYPES else None,
        record_id=(request.args.get("record_id") or "").strip()[:60] or None,
        actor=(request.args.get("user") or "").strip()[:254] or None,
        since=_day(request.args.get("since")),
        until=_day(request.args.get("until")),
    )
    entries = audit.search(query, page=max(request.args.get("page", 1, type=int) or 1, 1))
    return render_template("audit/index.html", query=query, entries=entries, record_types=RECORD_TYPES,
                           page_url=lambda page: url_for(".index", **{**request.args.to_dict(), "page": page}))


def history_for_page(record_type: str, record_id: object) -> list[AuditEntry] | None:
    """A record's history for its page; None for readers who may not see the trail."""
    if not current_user.is_authenticated or current_user.role not in AUDIT_READERS:
        return None
    return audit.history(record_type, record_id)


def withheld_fields(entries) -> dict[int, frozenset[str]]:
    """Per entry, the fields of confidential records this reader may not see (their values are
    left out of the page, never out of the trail)."""
    return confidentiality.hidden_fields(list(entries), reader())


def record_label(record_type: str) -> str:
    return str(RECORD_TYPES.get(record_type, record_type))


def action_label(action: AuditAction | str) -> str:
    return str(ACTIONS.get(AuditAction(action), action))


def record_link(entry: AuditEntry) -> str | None:
    """The page that shows the entry's record, when it has one (and still exists: a 404 says otherwise)."""
    if entry.record_type == "meeting":
        return url_for("meetings.show", meeting_id=int(entry.record_id))
    if entry.parent_type == "meeting" and entry.parent_id:
        return url_for("meetings.show", meeting_id=int(entry.parent_id))
    return None


def record_name(entry: AuditEntry) -> str:
    """The entry's record as a reader names it ("Director: นาง ก"), or its type and number."""
    words = record_label(entry.record_type)
    if entry.record_type in audit_changes.NAMED and str(entry.record_id).isdigit():
        name = audit_changes.reference_text(entry.record_type, str(entry.record_id))
        if name is not None:
            return f"{words}: {name}"
    return f"{words} #{entry.record_id}"


def moment(value: datetime | None) -> str:
    return filters.moment(value, seconds=True)


def _day(raw: str | None) -> date | None:
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return day if day is None or EARLIEST <= day <= LATEST else None


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(history_for_page, "audit_history")
    app.add_template_global(record_label, "audit_record_label")
    app.add_template_global(withheld_fields, "audit_withheld")
    app.add_template_global(action_label, "audit_action_label")
    app.add_template_global(record_link, "audit_record_link")
    app.add_template_global(moment, "audit_moment")
    app.add_template_global(record_name, "audit_record_name")
    app.add_template_global(audit_changes.describe, "audit_changes")
    app.add_template_global(audit_changes.prefetch, "audit_prefetch")
    app.add_template_global(audit_changes.actor_text, "audit_actor")

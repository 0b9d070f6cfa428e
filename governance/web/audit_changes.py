"""How an audit entry's changes read: field labels, names for ids, baht, dates in the reader's
calendar and times in Bangkok, instead of the stored text (``held_on: 2020-02-17``).

The trail keeps the stored text (that is what its hash chain covers); this only words it for
the page, and the page keeps the stored value one click away for auditors.  The kind of each
value comes from the record's table (an Enum column, a Date, a foreign key to a director...),
so a new column reads sensibly without a change here; only its label is added below.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import Enum

import sqlalchemy as sa
from flask import g
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from governance.extensions import db
from governance.indicators import default_parameters
from governance.services import audit, kpis
from governance.web import filters, labels
from governance.web.confidential import reader

#: A field's label wherever it occurs; (record type, field) where one name means two things.
FIELD_LABELS: dict[str, object] = {
    "name": _l("Name"), "email": _l("Email"), "position": _l("Position"),
    "term_start": _l("Term starts"), "term_end": _l("Term ends"),
    "counts_for_attendance": _l("Counts for attendance"), "created_at": _l("Created at"),
    "version": _l("Edit number"), "director_id": _l("Director"), "generation": _l("Feed address generation"),
    "held_on": _l("Meeting date"), "kind": _l("Kind"), "number": _l("Number"), "title": _l("Title"),
    "status": _l("Status"), "body": _l("Held by"), "starts_at": _l("Starts at"), "ends_at": _l("Ends at"),
    "place": _l("Place"), "minutes_approved_at_id": _l("Minutes approved at"),
    "meeting_id": _l("Meeting"), "section": _l("Agenda section"), "topic": _l("Topic"),
    "states_problems_and_remedies": _l("States problems and remedies"), "resolution": _l("Resolution"),
    "confidentiality": _l("Confidentiality"), "agenda_item_id": _l("Agenda item"), "owner": _l("Owner"),
    "due_on": _l("Due"), "done_on": _l("Done on"), "response": _l("Answer"), "responded_at": _l("Answered at"),
    "ministerial_report_id": _l("Report to the minister"), "kpi_progress_id": _l("KPI update"),
    "filename": _l("File name"), "media_type": _l("File type"), "size_bytes": _l("Size (bytes)"),
    "sha256": _l("SHA-256 checksum"), "storage_name": _l("Stored file"), "uploaded_by_id": _l("Uploaded by"),
    "uploaded_at": _l("Uploaded at"), "sent_on": _l("Sent on"), "period_start": _l("Period from"),
    "period_end": _l("Period to"), "fiscal_year": _l("Fiscal year"), "month": _l("Month"),
    "planned_satang": _l("Planned (baht)"), "actual_satang": _l("Disbursed (baht)"),
    "document": _l("Criteria"), "updated_at": _l("Updated at"), "component": _l("Component"),
    "component_name": _l("Component name"), "name_en": _l("Name in English"), "owner_unit": _l("Responsible unit"),
    "notes": _l("Notes"), "definition": _l("Definition"), "kpi_id": _l("Key performance indicator"),
    "reached_on": _l("Reached on"), "level": _l("Level"), "evidence": _l("Evidence"), "links": _l("Links"),
    "recorded_by_id": _l("Recorded by"), "recorded_at": _l("Recorded at"), "progress_id": _l("KPI update"),
    "figure": _l("Figure"), "value_hundredths": _l("Value"), "as_of": _l("As of"), "scorecard": _l("Scorecard"),
    "frozen_by_id": _l("Frozen by"), "frozen_at": _l("Frozen at"), "key": _l("Item"), "url": _l("Web address"),
    "last_updated_on": _l("Last updated on"), "closing_on": _l("Closing date"), "guidelines": _l("Guidelines"),
    "guidelines_recorded_on": _l("Guidelines recorded on"), "assessment_id": _l("Self-assessment"),
    "form": _l("Form"), "text_th": _l("Text in Thai"), "text_en": _l("Text in English"),
    "scale_max": _l("Highest rating"), "submitted_on": _l("Submitted on"), "submitted_at": _l("Submitted at"),
    "comments": _l("Comments"), "response_id": _l("Self-assessment response"), "question_id": _l("Question"),
    "rating": _l("Rating"), "comment": _l("Comment"), "role": _l("Role"), "locale": _l("Language"),
    "is_active": _l("Active"), "session_version": _l("Sign-in generation"), "locked_until": _l("Locked until"),
    "keep_open": _l("Stay signed in"), "password_hash": _l("Password"), "user_id": _l("User account"),
    "token_hash": _l("Token"), "expires_at": _l("Expires at"), "revoked_at": _l("Revoked at"),
    "opened_by": _l("Opened by"),
}
FIELD_LABELS_BY_TYPE: dict[tuple[str, str], object] = {
    ("agenda_item", "position"): _l("Order on the agenda"),
    ("assessment_question", "position"): _l("Order on the form"),
    ("kpi", "number"): _l("KPI number"),
    ("director", "position"): _l("Position"),
}
LANGUAGES = {"th": "ไทย", "en": "English"}

#: what a foreign key names: the referenced record's words, or None when it is gone
_NAMES = {
    "director": lambda director: director.name,
    "meeting": lambda meeting: meeting.title or meeting.number,
    "user": lambda user: user.email,
    "ministerial_report": lambda report: report.title,
    "kpi": lambda kpi: _("KPI %(number)s", number=kpi.number),
}


@dataclass(frozen=True)
class ChangeView:
    field: str  # the stored name, for the raw view
    label: str
    old: str | None
    new: str | None
    raw_old: str | None
    raw_new: str | None
    #: "en" for a record's English text (name_en, text_en), so it is read as English
    lang: str | None = None


def field_label(record_type: str, field: str) -> str:
    text = FIELD_LABELS_BY_TYPE.get((record_type, field)) or FIELD_LABELS.get(field)
    return str(text) if text is not None else field.replace("_", " ")


def describe(entry) -> list[ChangeView]:
    """The entry's changes as its reader should read them."""
    table = db.metadata.tables.get(entry.record_type)
    out = []
    for change in entry.changes or ():
        field = change["field"]
        column = table.columns.get(field) if table is not None else None
        out.append(ChangeView(field=field, label=field_label(entry.record_type, field),
                              old=value_text(entry.record_type, column, change.get("old")),
                              new=value_text(entry.record_type, column, change.get("new")),
                              raw_old=change.get("old"), raw_new=change.get("new"),
                              lang="en" if field.endswith("_en") or _is_english(field, change) else None))
    return out


def _is_english(field: str, change: dict) -> bool:
    return field == "locale" and "en" in (change.get("old"), change.get("new"))


_SECRETS = frozenset(name for policy in audit.AUDITED.values() for name in policy.secret)

#: who did it, when it was not a signed-in user (audit.Actor's labels)
ACTORS = {"system": _l("the system (a scheduled job)"), "cli": _l("a command on the server"),
          "anonymous": _l("someone not signed in")}


def actor_text(actor: str) -> str:
    return str(ACTORS[actor]) if actor in ACTORS else actor


def value_text(record_type: str, column: sa.Column | None, raw: str | None) -> str | None:
    """One stored value in the reader's words; the stored text when its kind is unknown."""
    if raw == audit.MASKED and column is not None and column.name in _SECRETS:
        return _("changed (never shown)")
    if raw is None or column is None:
        return raw
    try:
        return _worded(record_type, column, raw)
    except (ValueError, TypeError, KeyError, InvalidOperation):
        return raw  # a value older code stored differently: shown as stored, never an error


def _worded(record_type: str, column: sa.Column, raw: str) -> str:
    kind = column.type
    if column.foreign_keys:
        return reference_text(next(iter(column.foreign_keys)).column.table.name, raw) or f"#{raw}"
    if isinstance(kind, sa.Enum) and kind.enum_class is not None and issubclass(kind.enum_class, Enum):
        return labels.label(kind.enum_class(raw))
    if isinstance(kind, sa.Boolean):
        return _("Yes") if raw == "true" else _("No")
    if isinstance(kind, sa.DateTime):
        return filters.moment(datetime.fromisoformat(raw.replace("Z", "+00:00")), seconds=True)
    if isinstance(kind, sa.Date):
        return filters.thai_date(date.fromisoformat(raw))
    if isinstance(kind, sa.Time):
        return time.fromisoformat(raw).strftime("%H:%M")
    if column.name.endswith("_satang"):
        return filters.baht(Decimal(raw) / 100)
    if column.name == "value_hundredths":
        return f"{Decimal(raw) / 100:,}"
    if record_type == "budget_month" and column.name == "month":
        return filters.month_label(raw)
    if record_type == "website_item" and column.name == "key":
        return _localized(_website_items().get(raw)) or raw
    if record_type == "kpi_figure" and column.name == "figure":
        return _localized(kpis.figure_labels().get(raw)) or raw
    if column.name == "locale":
        return LANGUAGES.get(raw, raw)
    if isinstance(kind, sa.JSON):
        return _("(a document of %(count)s fields)", count=len(json.loads(raw)))
    return raw


def prefetch(entries) -> str:
    """Load every record the entries name, one query per table, so a page of the log costs the
    same however many records it names (returns "" to be called from a template)."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.record_type in NAMED and str(entry.record_id).isdigit():
            wanted.setdefault(entry.record_type, set()).add(int(entry.record_id))
        table = db.metadata.tables.get(entry.record_type)
        for change in (entry.changes or ()) if table is not None else ():
            column = table.columns.get(change["field"])
            if column is None or not column.foreign_keys:
                continue
            target = next(iter(column.foreign_keys)).column.table.name
            for raw in (change.get("old"), change.get("new")):
                if target in NAMED and raw and raw.isdigit():
                    wanted.setdefault(target, set()).add(int(raw))
    known = _known()
    wanted = {table: ids - {record_id for t, record_id in known if t == table} for table, ids in wanted.items()}
    known.update(audit.records_by_id({table: ids for table, ids in wanted.items() if ids}))
    return ""


def _known() -> dict[tuple[str, int], object]:
    """This request's records named by the log, None for those gone (held here: the session's
    identity map keeps a record only while something else does)."""
    if "audit_names" not in g:
        g.audit_names = {}
    return g.audit_names


def _localized(pair: tuple[str, str] | None) -> str | None:
    if pair is None:
        return None
    return pair[0] if str(get_locale() or "th").startswith("th") else pair[1]


def _website_items() -> dict[str, tuple[str, str]]:
    """The checklist's items by key, as the seed names them (a year's own criteria may add more)."""
    checklist = next(spec for spec in default_parameters(2563)["indicators"] if spec["kind"] == "checklist")
    return {item["key"]: (item["title_th"], item["title_en"]) for item in checklist["items"]}


def reference_text(table: str, raw: str) -> str | None:
    """A referenced record by its name (a director's, a meeting's title...); None when it is
    gone, unnamed, or its name is withheld from this reader."""
    record_id = int(raw)
    known = _known()
    if (table, record_id) not in known and table in NAMED:
        known.update(audit.records_by_id({table: {record_id}}))
    record = known.get((table, record_id))
    if record is None:
        return None
    if table in ("agenda_item", "document"):
        # Outside the secretariat these are not named: a record closed at any time keeps what it
        # was called then out of the trail (confidentiality.hidden_fields), and its name now may
        # be that name.
        if not reader().secretariat:
            return None
        return record.title if table == "agenda_item" else record.filename
    return _NAMES[table](record)


#: the record types ``reference_text`` can name
NAMED = frozenset(_NAMES) | {"agenda_item", "document"}

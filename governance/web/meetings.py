"""The fiscal year's meetings; a meeting's attendance grid and agenda items."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from governance import clock, fiscal
from governance.extensions import db
from governance.models import Meeting
from governance.services import directors, meetings
from governance.services.errors import ServiceError
from governance.web.access import READERS, WRITERS, roles_required
from governance.web.forms import (
    AgendaItemForm,
    AttendanceForm,
    MeetingForm,
    fiscal_year_choices,
    indexed_name,
    selected_fiscal_year,
    show_service_errors,
)

bp = Blueprint("meetings", __name__)


# --- the fiscal year's meetings ---------------------------------------------------------

@bp.get("/meetings")
@roles_required(*READERS)
def index():
    fy, current = selected_fiscal_year(request.args, clock.today())
    return _index(fy, current, MeetingForm())


@bp.post("/meetings")
@roles_required(*WRITERS)
def create():
    form = MeetingForm()
    if form.validate():
        try:
            meeting = meetings.create_meeting(form.to_input())
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("Meeting %(number)s was recorded.", number=meeting.number), "success")
            return redirect(url_for(".show", meeting_id=meeting.id))
    fy, current = selected_fiscal_year(request.args, clock.today())
    return _index(fy, current, form), 422


def _index(fy: int, current: int, form: MeetingForm) -> str:
    return render_template(
        "meetings/index.html", fy=fy, years=fiscal_year_choices(current, fy),
        rows=[MeetingRow.of(m) for m in meetings.list_meetings(fy)], form=form)


@dataclass(frozen=True)
class MeetingRow:
    """A line of the meeting list: the meeting and what it holds, counted."""

    meeting: Meeting
    present: int
    recorded: int
    agenda_items: int

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingRow:
        return cls(meeting=meeting,
                   present=sum(1 for a in meeting.attendances if a.status.is_present),
                   recorded=len(meeting.attendances), agenda_items=len(meeting.agenda_items))


# --- one meeting ------------------------------------------------------------------------

@bp.get("/meetings/<int:meeting_id>")
@roles_required(*READERS)
def show(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return _page(meeting)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    form = MeetingForm(obj=meeting)
    if form.is_submitted():
        if form.validate():
            try:
                meetings.update_meeting(meeting_id, form.to_input(), expected_version=form.version.data)
            except ServiceError as error:
                db.session.rollback()
                show_service_errors(form, error)
            else:
                db.session.commit()
                flash(_("The meeting was saved."), "success")
                return redirect(url_for(".show", meeting_id=meeting_id))
        return render_template("meetings/edit.html", meeting=meeting, form=form), 422
    return render_template("meetings/edit.html", meeting=meeting, form=form)


@bp.post("/meetings/<int:meeting_id>/delete")
@roles_required(*WRITERS)
def delete(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    fy = fiscal.fiscal_year_of(meeting.held_on)
    meetings.delete_meeting(meeting_id)
    db.session.commit()
    flash(_("The meeting was deleted."), "success")
    return redirect(url_for(".index", fy=fy))


@bp.post("/meetings/<int:meeting_id>/attendance")
@roles_required(*WRITERS)
def attendance(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    form = AttendanceForm()
    if form.validate():
        rows, origin = form.to_rows()
        try:
            meetings.replace_attendance(meeting_id, rows)
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error, locate=lambda name: _grid_field(form, origin, name))
        else:
            db.session.commit()
            flash(_("Attendance was saved."), "success")
            return redirect(url_for(".show", meeting_id=meeting_id, _anchor="attendance"))
    return _page(meeting, attendance_form=form), 422


def _grid_field(form: AttendanceForm, origin: list[int], name: str):
    """``[2].director_id`` names the third row sent: its select is where the error shows."""
    found = indexed_name(name)
    if found is None or found[0] >= len(origin):
        return None
    return form.rows[origin[found[0]]].status


# --- agenda items -----------------------------------------------------------------------

@bp.post("/meetings/<int:meeting_id>/agenda-items")
@roles_required(*WRITERS)
def add_agenda_item(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    form = AgendaItemForm()
    if form.validate():
        try:
            meetings.add_agenda_item(meeting_id, form.to_input())
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("The agenda item was added."), "success")
            return redirect(url_for(".show", meeting_id=meeting_id, _anchor="agenda"))
    return _page(meeting, agenda_form=form), 422


@bp.route("/meetings/<int:meeting_id>/agenda-items/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit_agenda_item(meeting_id: int, item_id: int):
    meeting = meetings.get_meeting(meeting_id)
    item = meetings.get_agenda_item(meeting_id, item_id)
    form = AgendaItemForm(obj=item)
    if form.is_submitted():
        if form.validate():
            try:
                meetings.update_agenda_item(meeting_id, item_id, form.to_input(),
                                            expected_version=form.version.data)
            except ServiceError as error:
                db.session.rollback()
                show_service_errors(form, error)
            else:
                db.session.commit()
                flash(_("The agenda item was saved."), "success")
                return redirect(url_for(".show", meeting_id=meeting_id, _anchor="agenda"))
        return render_template("meetings/agenda_item.html", meeting=meeting, item=item, form=form), 422
    return render_template("meetings/agenda_item.html", meeting=meeting, item=item, form=form)


@bp.post("/meetings/<int:meeting_id>/agenda-items/<int:item_id>/delete")
@roles_required(*WRITERS)
def delete_agenda_item(meeting_id: int, item_id: int):
    meetings.delete_agenda_item(meeting_id, item_id)
    db.session.commit()
    flash(_("The agenda item was deleted."), "success")
    return redirect(url_for(".show", meeting_id=meeting_id, _anchor="agenda"))


# --- the meeting page -------------------------------------------------------------------

def _page(meeting: Meeting, attendance_form: AttendanceForm | None = None,
          agenda_form: AgendaItemForm | None = None) -> str:
    in_office = meetings.directors_in_office(meeting.held_on)
    recorded = {a.director_id: a for a in meeting.attendances}
    if attendance_form is None:
        rows = [{"director_id": d.id, "status": recorded[d.id].status.value if d.id in recorded else ""}
                for d in in_office]
        attendance_form = AttendanceForm(formdata=None, data={"rows": rows})
    # A rejected save shows the rows that were sent; their names come from the roster,
    # which also knows a director who has since left office.
    roster = {d.id: d for d in directors.list_directors()}
    return render_template(
        "meetings/show.html", meeting=meeting,
        fiscal_year=fiscal.fiscal_year_of(meeting.held_on), quarter=fiscal.quarter_of(meeting.held_on),
        attendance_form=attendance_form, roster=roster, recorded=recorded, in_office=in_office,
        agenda_form=agenda_form or AgendaItemForm(formdata=None))

"""The fiscal year's meetings; a meeting's attendance grid and agenda items."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from governance import clock, fiscal
from governance.extensions import db
from governance.indicators import MeetingAttendance
from governance.indicators.vocabulary import AttendanceStatus
from governance.models import AgendaSection, Confidentiality, Document, DocumentKind, Meeting
from governance.services import agenda, confidentiality, directors, documents, fiscal_years, meetings, rsvps
from governance.services.errors import ServiceError
from governance.web.access import READERS, WRITERS, roles_required
from governance.web.exports import percent_text, threshold_text
from governance.web.forms import (
    AgendaItemForm,
    AttendanceForm,
    MeetingForm,
    fiscal_year_choices,
    indexed_name,
    selected_fiscal_year,
    show_service_errors,
)
from governance.web.meeting_forms import ActionItemForm, DocumentForm, MinutesApprovalForm, RsvpForm

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
            meeting = meetings.create_meeting(form.to_input(), today=clock.today())
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
    counted, report = fiscal_years.attendance_by_meeting(fy)
    return render_template(
        "meetings/index.html", fy=fy, years=fiscal_year_choices(current, fy),
        rows=[MeetingRow(m, counted.get(m.id), len(m.agenda_items)) for m in meetings.list_meetings(fy)],
        attendance_threshold=threshold_text(report.meeting_threshold_percent), form=form)


@dataclass(frozen=True)
class MeetingRow:
    """A line of the meeting list: the meeting, its attendance as the report counts it (None for
    a meeting the report does not count: planned, cancelled or a committee's), its items."""

    meeting: Meeting
    attendance: MeetingAttendance | None
    agenda_items: int


# --- one meeting ------------------------------------------------------------------------

@bp.get("/meetings/<int:meeting_id>")
@roles_required(*READERS)
def show(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    # "Everyone present": the grid comes back filled in, nothing saved, for the exceptions to be changed.
    return meeting_page(meeting, everyone_present=request.args.get("fill") == "everyone")


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    form = MeetingForm(obj=meeting)
    if form.is_submitted():
        if form.validate():
            try:
                meetings.update_meeting(meeting_id, form.to_input(), expected_version=form.version.data,
                                        today=clock.today())
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
    return meeting_page(meeting, attendance_form=form), 422


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
            # The next item most often goes in the same section: keep it chosen.
            return redirect(url_for(".show", meeting_id=meeting_id, section=form.section.data or None,
                                    _anchor="agenda"))
    return meeting_page(meeting, agenda_form=form), 422


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
                return redirect(url_for(".show", meeting_id=meeting_id, _anchor=f"item-{item_id}"))
        return agenda_item_page(meeting, item, form=form), 422
    return agenda_item_page(meeting, item, form=form)


def agenda_item_page(meeting: Meeting, item, form: AgendaItemForm | None = None,
                     action_form: ActionItemForm | None = None, paper_form: DocumentForm | None = None) -> str:
    """The secretary's page for one item: its fields and resolution, its action items, its papers."""
    papers = [d for d in documents.meeting_documents(meeting.id) if d.agenda_item_id == item.id]
    return render_template(
        "meetings/agenda_item.html", meeting=meeting, item=item, form=form or AgendaItemForm(obj=item),
        action_form=action_form or ActionItemForm(formdata=None),
        paper_form=paper_form or DocumentForm(formdata=None, kinds=(DocumentKind.PAPER,)),
        papers=papers, opened=_openings(papers))


@bp.post("/meetings/<int:meeting_id>/agenda-items/<int:item_id>/delete")
@roles_required(*WRITERS)
def delete_agenda_item(meeting_id: int, item_id: int):
    meetings.delete_agenda_item(meeting_id, item_id)
    db.session.commit()
    flash(_("The agenda item was deleted."), "success")
    return redirect(url_for(".show", meeting_id=meeting_id, _anchor="agenda"))


# --- the meeting page -------------------------------------------------------------------

def meeting_page(meeting: Meeting, **forms) -> str:
    """The meeting page; ``forms`` replaces a form with one that was sent and refused."""
    return render_template("meetings/show.html", **_page_context(meeting, **forms))


def _page_context(meeting: Meeting, attendance_form: AttendanceForm | None = None,
                  agenda_form: AgendaItemForm | None = None, document_form: DocumentForm | None = None,
                  approval_form: MinutesApprovalForm | None = None, rsvp_form: RsvpForm | None = None,
                  everyone_present: bool = False) -> dict:
    in_office = meetings.directors_in_office(meeting.held_on)
    recorded = {a.director_id: a for a in meeting.attendances}
    suggested = rsvps.suggested_attendance(meeting)
    if attendance_form is None and everyone_present:
        rows = [{"director_id": d.id, "status": AttendanceStatus.IN_PERSON.value} for d in in_office]
        attendance_form = AttendanceForm(formdata=None, data={"rows": rows})
    if attendance_form is None:
        rows = [{"director_id": d.id,
                 "status": recorded[d.id].status.value if d.id in recorded else suggested.get(d.id, "")}
                for d in in_office]
        attendance_form = AttendanceForm(formdata=None, data={"rows": rows})
    # A rejected save shows the rows that were sent; their names come from the roster,
    # which also knows a director who has since left office.
    roster = {d.id: d for d in directors.list_directors()}
    files = documents.meeting_documents(meeting.id)
    own = current_user.director_id if rsvps.is_invited(current_user.director_id, in_office) else None
    answers = rsvps.answers(meeting)
    counted, report = fiscal_years.attendance_by_meeting(fiscal.fiscal_year_of(meeting.held_on))
    return dict(
        meeting=meeting, counted=counted.get(meeting.id), percent_text=percent_text,
        attendance_threshold=threshold_text(report.meeting_threshold_percent),
        fiscal_year=fiscal.fiscal_year_of(meeting.held_on), quarter=fiscal.quarter_of(meeting.held_on),
        attendance_form=attendance_form, roster=roster, recorded=recorded, in_office=in_office,
        prefilled=bool(suggested) and not everyone_present, everyone_filled=everyone_present,
        agenda_form=agenda_form or _new_item_form(),
        sections=agenda.sections(meeting), carried_forward=agenda.carried_forward(meeting),
        papers=_papers_by_item(files), meeting_files=[f for f in files if f.agenda_item_id is None],
        opened=_openings(files),
        document_form=document_form or DocumentForm(formdata=None),
        approval_form=approval_form or MinutesApprovalForm(
            formdata=None, candidates=agenda.approval_candidates(meeting),
            data={"approving_meeting_id": meeting.minutes_approved_at_id or 0, "version": meeting.version}),
        approved_here=agenda.minutes_to_approve(meeting),
        answers=answers, expected=rsvps.expected(meeting), own_director_id=own,
        rsvp_form=rsvp_form or RsvpForm(formdata=None, data={
            "response": answers[own].response.value if own in answers else None}),
    )


def _new_item_form() -> AgendaItemForm:
    section = request.args.get("section")
    return AgendaItemForm(formdata=None, data={"section": section} if section in set(AgendaSection) else None)


def _openings(files: list[Document]) -> dict:
    """Who opened each confidential file of ``files``."""
    return confidentiality.openings([f for f in files if f.access_level is not Confidentiality.OPEN])


def _papers_by_item(files: list[Document]) -> dict[int, list[Document]]:
    papers: dict[int, list[Document]] = {}
    for document in files:
        if document.agenda_item_id is not None:
            papers.setdefault(document.agenda_item_id, []).append(document)
    return papers


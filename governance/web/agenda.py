"""The agenda builder's actions, action items and their tracker, and minutes approval."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from governance import clock
from governance.extensions import db
from governance.services import agenda, meetings
from governance.services.errors import ServiceError
from governance.web.access import READERS, WRITERS, roles_required
from governance.web.forms import show_service_errors
from governance.web.meeting_forms import ActionItemForm, CompleteActionForm, MinutesApprovalForm
from governance.web.meetings import agenda_item_page, meeting_page

bp = Blueprint("agenda", __name__)


@bp.post("/meetings/<int:meeting_id>/agenda-items/<int:item_id>/move")
@roles_required(*WRITERS)
def move(meeting_id: int, item_id: int):
    offset = -1 if request.form.get("direction") == "up" else 1
    agenda.move_agenda_item(meeting_id, item_id, offset)
    db.session.commit()
    return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor=f"item-{item_id}"))


# --- action items -----------------------------------------------------------------------

@bp.post("/meetings/<int:meeting_id>/agenda-items/<int:item_id>/action-items")
@roles_required(*WRITERS)
def add_action(meeting_id: int, item_id: int):
    meeting = meetings.get_meeting(meeting_id)
    item = meetings.get_agenda_item(meeting_id, item_id)
    form = ActionItemForm()
    if form.validate():
        try:
            agenda.add_action_item(meeting_id, item_id, form.to_input())
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("The action item was added."), "success")
            return redirect(url_for("meetings.edit_agenda_item", meeting_id=meeting_id, item_id=item_id,
                                    _anchor="action-items"))
    return agenda_item_page(meeting, item, action_form=form), 422


@bp.get("/action-items")
@roles_required(*READERS)
def index():
    show_all = request.args.get("show") == "all"
    return render_template("agenda/action_items.html", actions=agenda.action_items(open_only=not show_all),
                           show_all=show_all, today=clock.today(), complete_form=CompleteActionForm(
                               formdata=None, data={"done_on": clock.today()}))


@bp.post("/action-items/<int:action_id>/done")
@roles_required(*WRITERS)
def complete(action_id: int):
    form = CompleteActionForm()
    if form.validate():
        try:
            agenda.complete_action_item(action_id, form.done_on.data, expected_version=form.version.data)
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The action item was marked done."), "success")
    else:
        flash(_("Done on: %(error)s", error=" ".join(map(str, form.done_on.errors))), "error")
    return redirect(url_for(".index"))


@bp.post("/action-items/<int:action_id>/reopen")
@roles_required(*WRITERS)
def reopen(action_id: int):
    agenda.complete_action_item(action_id, None)
    db.session.commit()
    flash(_("The action item is open again."), "success")
    return redirect(url_for(".index"))


@bp.post("/action-items/<int:action_id>/delete")
@roles_required(*WRITERS)
def delete_action(action_id: int):
    item = agenda.get_action_item(action_id).agenda_item
    agenda.delete_action_item(action_id)
    db.session.commit()
    flash(_("The action item was deleted."), "success")
    return redirect(url_for("meetings.edit_agenda_item", meeting_id=item.meeting_id, item_id=item.id,
                            _anchor="action-items"))


# --- minutes approval -------------------------------------------------------------------

@bp.post("/meetings/<int:meeting_id>/minutes-approval")
@roles_required(*WRITERS)
def approve_minutes(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    form = MinutesApprovalForm(candidates=agenda.approval_candidates(meeting))
    if form.validate():
        try:
            agenda.approve_minutes(meeting_id, form.approving_meeting(), expected_version=form.version.data)
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("The approval of the minutes was recorded."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor="minutes"))
    return meeting_page(meeting, approval_form=form), 422

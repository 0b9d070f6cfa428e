"""Directors answer an invitation: on the meeting page, or from the link in their reminder."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from governance import clock
from governance.extensions import db
from governance.models import Role, RsvpResponse
from governance.services import audit, meetings, rsvps
from governance.services.errors import ServiceError
from governance.web.access import roles_required
from governance.web.meeting_forms import RsvpForm
from governance.web.meetings import meeting_page

bp = Blueprint("rsvp", __name__)


@bp.post("/meetings/<int:meeting_id>/rsvp")
@roles_required(Role.DIRECTOR)
def answer(meeting_id: int):
    """A signed-in director answers for themself (a user linked to no director cannot)."""
    if current_user.director_id is None:
        flash(_("Your account is not linked to a director, so it cannot answer invitations."), "error")
        return redirect(url_for("meetings.show", meeting_id=meeting_id))
    # From the director's own page the answer goes back there (one tap per meeting).
    from_home = request.form.get("return_to") == "home"
    back = (url_for("main.mine", as_of=request.form.get("as_of") or None, _anchor=f"meeting-{meeting_id}")
            if from_home else url_for("meetings.show", meeting_id=meeting_id, _anchor="rsvp"))
    form = RsvpForm()
    if form.validate():
        try:
            rsvps.answer(meeting_id, current_user.director_id, RsvpResponse(form.response.data), clock.now())
        except ServiceError as error:
            db.session.rollback()
            flash(" ".join(map(str, error.fields.values())) or error.message, "error")
            if from_home:
                return redirect(back)
        else:
            db.session.commit()
            flash(_("Thank you: your answer was recorded."), "success")
            return redirect(back)
    return meeting_page(meetings.get_meeting(meeting_id), rsvp_form=form), 422


# The reminder's link: the signature names the meeting and the director, so no sign-in.
# GET only shows the choices (mail scanners follow links); answering is a POST.
@bp.route("/rsvp/<token>", methods=["GET", "POST"])
def by_link(token: str):
    meeting, director_id = rsvps.read_token(token)
    # Nobody is signed in: the audit trail names the director the signed link was made for.
    audit.set_actor(audit.Actor(None, f"director {director_id} (invitation link)"))
    answers = rsvps.answers(meeting)
    form = RsvpForm(data={"response": answers[director_id].response.value} if director_id in answers else None)
    if form.is_submitted():
        if form.validate():
            try:
                rsvps.answer(meeting.id, director_id, RsvpResponse(form.response.data), clock.now())
            except ServiceError as error:
                db.session.rollback()
                form.response.errors = [*error.fields.values()] or [error.message]
            else:
                db.session.commit()
                flash(_("Thank you: your answer was recorded."), "success")
                return redirect(url_for(".by_link", token=token))
        return render_template("rsvp/answer.html", meeting=meeting, form=form, answer=answers.get(director_id),
                               token=token), 422
    return render_template("rsvp/answer.html", meeting=meeting, form=form, answer=answers.get(director_id),
                           token=token)

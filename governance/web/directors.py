"""The board roster: directors and their terms."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from governance import clock
from governance.extensions import db
from governance.services import accounts, directors
from governance.services.errors import ServiceError
from governance.web.access import READERS, WRITERS, roles_required
from governance.web.forms import DirectorForm, NewDirectorForm, show_service_errors

bp = Blueprint("directors", __name__)


@bp.get("/directors")
@roles_required(*READERS)
def index():
    return _roster(NewDirectorForm())


@bp.post("/directors")
@roles_required(*WRITERS)
def create():
    form = NewDirectorForm()
    if form.validate():
        try:
            director = directors.create_director(form.to_input())
            if form.invite.data:  # one transaction: the director and the invitation, or neither
                accounts.invite(current_user, clock.now(), role="director", director_id=director.id)
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            if form.invite.data:
                flash(_("%(name)s was added to the roster and invited to sign in.", name=director.name), "success")
            else:
                flash(_("%(name)s was added to the roster.", name=director.name), "success")
            return redirect(url_for(".index"))
    return _roster(form), 422


@bp.route("/directors/<int:director_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit(director_id: int):
    director = directors.get_director(director_id)
    form = DirectorForm(obj=director)
    if form.is_submitted():
        if form.validate():
            try:
                directors.update_director(director_id, form.to_input(), expected_version=form.version.data)
            except ServiceError as error:
                db.session.rollback()
                show_service_errors(form, error)
            else:
                db.session.commit()
                flash(_("The director's record was saved."), "success")
                return redirect(url_for(".index"))
        return render_template("directors/edit.html", director=director, form=form), 422
    return render_template("directors/edit.html", director=director, form=form)


def _roster(form: DirectorForm) -> str:
    return render_template("directors/index.html", directors=directors.list_directors(),
                           today=clock.today(), form=form)

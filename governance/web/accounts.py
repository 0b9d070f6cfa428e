"""The accounts page: who can sign in, and the secretariat's onboarding and offboarding."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from governance import clock
from governance.extensions import db
from governance.models import Role
from governance.services import accounts, directors
from governance.services.errors import ServiceError
from governance.web.access import roles_required
from governance.web.account_forms import InviteForm, LinkForm, RoleForm, director_choices, role_choices
from governance.web.forms import show_service_errors

bp = Blueprint("accounts", __name__)
MANAGERS = (Role.ADMIN, Role.SECRETARY)


@bp.get("/accounts")
@roles_required(*MANAGERS)
def index():
    return _page(InviteForm())


@bp.post("/accounts")
@roles_required(*MANAGERS)
def invite():
    form = InviteForm().offer(current_user, directors.list_directors())
    if form.validate():
        try:
            user = accounts.invite(current_user, clock.now(), role=form.role.data, email=form.email.data or None,
                                   director_id=int(form.director_id.data) if form.director_id.data else None,
                                   locale=form.locale.data)
        except ServiceError as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(email)s was invited: a link to choose a password is on its way.", email=user.email), "success")
            return redirect(url_for(".index"))
    return _page(form), 422


#: the one-click changes: what each does, and what the page says after
_ACTIONS: dict[str, tuple[Callable, object]] = {
    "disable": (lambda user: accounts.disable(current_user, user, clock.now()),
                _l("%(email)s is disabled: its sessions, API tokens and calendar feed have ended.")),
    "enable": (lambda user: accounts.enable(current_user, user), _l("%(email)s can sign in again.")),
    "unlock": (lambda user: accounts.unlock(current_user, user), _l("%(email)s is unlocked.")),
    "reset": (lambda user: accounts.send_password_reset(current_user, user, clock.now()),
              _l("A link to choose a new password is on its way to %(email)s.")),
    "resend": (lambda user: accounts.resend_invitation(current_user, user, clock.now()),
               _l("The invitation was sent again to %(email)s.")),
    "unlink": (lambda user: accounts.unlink(current_user, user), _l("%(email)s is no longer linked to a director.")),
    "keep-open": (lambda user: accounts.keep_open(current_user, user, True),
                  _l("%(email)s stays open after the director's term ends.")),
    "close-with-term": (lambda user: accounts.keep_open(current_user, user, False),
                        _l("%(email)s will be disabled the day after the director's term ends.")),
}


@bp.post("/accounts/<int:user_id>/<action>")
@roles_required(*MANAGERS)
def change(user_id: int, action: str):
    if action not in _ACTIONS and action not in ("role", "link"):
        abort(404)
    user = accounts.get_account(current_user, user_id)
    form = _form_for(action)
    if not form.validate():
        flash(" ".join(str(m) for errors in form.errors.values() for m in errors), "error")
        return redirect(_back())
    try:
        message = _apply(action, user, form)
    except ServiceError as error:
        db.session.rollback()
        flash(f"{user.email}: {' '.join(str(m) for m in error.fields.values()) or error.message}", "error")
    else:
        db.session.commit()
        flash(str(message) % {"email": user.email}, "success")
    return redirect(_back())


def _form_for(action: str) -> FlaskForm:
    if action == "role":
        form = RoleForm()
        form.role.choices = role_choices(current_user)
    elif action == "link":
        form = LinkForm()
        form.director_id.choices = director_choices(directors.list_directors())[1:]
    else:
        form = FlaskForm()
    return form


def _apply(action: str, user, form):
    if action == "role":
        accounts.change_role(current_user, user, form.role.data)
        return _l("%(email)s has a new role.")
    if action == "link":
        accounts.link(current_user, user, int(form.director_id.data))
        return _l("%(email)s is linked to the director.")
    run, message = _ACTIONS[action]
    run(user)
    return message


def _back() -> str:
    return url_for(".index", role=request.args.get("role") or None, state=request.args.get("state") or None)


def _page(form: InviteForm):
    roster = directors.list_directors()
    form.offer(current_user, roster)
    now = clock.now()
    role, state = request.args.get("role") or None, request.args.get("state") or None
    try:
        listed = accounts.list_accounts(current_user, now, role=role, state=state)
    except ServiceError:
        listed, role, state = accounts.list_accounts(current_user, now), None, None
    linked = {user.director_id for user in accounts.list_accounts(current_user, now) if user.director_id}
    return render_template(
        "accounts/index.html", form=form, accounts=listed, state_of=lambda user: accounts.state_of(user, now),
        roles=[r for r in Role if accounts.may_manage(current_user, r)], states=list(accounts.State),
        role=role, state=state, role_choices=role_choices(current_user),
        unlinked=[d for d in roster if d.id not in linked], today=clock.today())

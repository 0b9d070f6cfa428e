"""The mail log (secretary and admin), and the public unsubscribe pages of optional mail.

The log shows what is queued, what failed and why, and what was sent to whom and when;
a failed email can be queued again.  Unsubscribing works from a signed link without
signing in: GET only asks, POST acts (no state change on GET; mail scanners follow links).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from governance import clock
from governance.extensions import csrf, db
from governance.services import emails, outbox
from governance.services.errors import Conflict, NotFound
from governance.web.access import WRITERS, roles_required
from governance.web.filters import moment

bp = Blueprint("mail_log", __name__)
unsubscribe_bp = Blueprint("unsubscribe", __name__)


@bp.get("/mail-log")
@roles_required(*WRITERS)
def index():
    view = request.args.get("view", outbox.QUEUED)
    if view not in outbox.VIEWS:
        abort(404)
    return render_template("mail_log/index.html", view=view, views=outbox.VIEWS, counts=outbox.view_counts(),
                           messages=outbox.list_messages(view, request.args.get("page", 1, type=int)),
                           moment=moment, mail_body=outbox.body_for_log)


@bp.post("/mail-log/<int:message_id>/retry")
@roles_required(*WRITERS)
def retry(message_id: int):
    try:
        outbox.retry(message_id, clock.now())
    except NotFound:
        abort(404)
    except Conflict as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The email is queued again and will be sent within a minute."), "success")
    return redirect(url_for(".index", view=outbox.FAILED))


@unsubscribe_bp.get("/unsubscribe/<token>")
def confirm(token: str):
    email, kind = _read(token)
    return render_template("mail_log/unsubscribe.html", token=token, email=email, kind=kind,
                           done=emails.is_opted_out(email, kind))


@unsubscribe_bp.post("/unsubscribe/<token>")
# RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" with no session and
# no form token; the signed token in the URL is the proof, as for the page's own button.
@csrf.exempt
def unsubscribe(token: str):
    email, kind = _read(token)
    emails.unsubscribe(email, kind, clock.now())
    db.session.commit()
    return render_template("mail_log/unsubscribe.html", token=token, email=email, kind=kind, done=True)


def _read(token: str) -> tuple[str, str]:
    try:
        return emails.read_unsubscribe_token(token)
    except NotFound:
        abort(404)

"""HTML blueprints: thin adapters that parse a form, call one service, commit, render."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import NotFound as HTTPNotFound

from governance.extensions import db, login_manager
from governance.services import audit as audit_trail
from governance.services import users
from governance.services.errors import NotFound, ServiceError
from governance.web import (
    accounts,
    agenda,
    attendance_report,
    audit,
    auth,
    budget,
    calendars,
    confidential,
    dashboard,
    directors,
    documents,
    health,
    imports,
    kpis,
    mail_log,
    main,
    meetings,
    page_cache,
    parameters,
    reports,
    rsvp,
    search,
    self_assessment,
    website,
)
from governance.web.filters import register_filters
from governance.web.labels import label

# The secretary's pages: a record a service cannot find is the page's 404.
RECORD_BLUEPRINTS = (directors.bp, meetings.bp, reports.bp, budget.bp, agenda.bp, documents.bp)


def register(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(users.user_for_session)
    register_filters(app)
    app.add_template_global(label, "label")
    app.add_template_global(page_cache.main_nav, "main_nav")
    confidential.register(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(attendance_report.bp)
    for blueprint in RECORD_BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.register_blueprint(rsvp.bp)
    app.register_blueprint(mail_log.bp)
    app.register_blueprint(mail_log.unsubscribe_bp)
    app.register_blueprint(self_assessment.bp)
    app.register_blueprint(website.bp)
    app.register_blueprint(parameters.bp)
    app.register_blueprint(calendars.bp)
    app.register_blueprint(calendars.feeds_bp)
    app.register_blueprint(imports.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(kpis.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(health.bp)
    audit.register(app)
    app.before_request(auth.sign_out_idle_sessions)
    app.before_request(_audit_actor)
    app.teardown_request(_forget_audit_actor)
    app.after_request(_security_headers)


def _audit_actor() -> None:
    # Resolved when a change is flushed, so a page that changes nothing loads nobody.
    audit_trail.set_actor(_signed_in_user)


def _signed_in_user():
    return current_user._get_current_object() if current_user.is_authenticated else audit_trail.ANONYMOUS


def _forget_audit_actor(_error=None) -> None:
    audit_trail.clear_actor()


def html_http_error(error):
    """An HTTP error as a page in the user's language (API errors are JSON, see api.errors)."""
    db.session.rollback()
    return render_template("error.html", error=error), error.code


def _record_not_found(_error: NotFound):
    return html_http_error(HTTPNotFound())


def _refused(error: ServiceError):
    """A refusal no form could show (e.g. a record changed or deleted meanwhile by someone
    else): undo everything, say why, and go back to the page the user came from."""
    db.session.rollback()
    flash(str(error.message), "error")
    return redirect(_same_site(request.referrer) or url_for("main.home"))


def _same_site(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return url if parts.netloc in ("", request.host) and parts.scheme in ("", "http", "https") else None


for _blueprint in RECORD_BLUEPRINTS:
    # Once, at import: Flask refuses set-up calls on a blueprint after its first registration.
    _blueprint.register_error_handler(NotFound, _record_not_found)
    _blueprint.register_error_handler(ServiceError, _refused)
# The accounts page: another's account is "not found" too; a refusal is said on the page.
accounts.bp.register_error_handler(NotFound, _record_not_found)
accounts.bp.register_error_handler(ServiceError, _refused)
# Directors answer invitations: a forged or stale link is a 404 page, like a missing record.
rsvp.bp.register_error_handler(NotFound, _record_not_found)


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    )
    return response

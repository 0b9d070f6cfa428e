"""Sign in, sign out, password reset, the idle timeout, and the language switch."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from governance import clock, fiscal
from governance.extensions import db, limiter
from governance.models import User
from governance.services import users
from governance.services.errors import NotFound, ValidationFailed
from governance.web.access import READERS, roles_required

#: sign-ins, failures and refusals, for the operator's log (records' changes are in the audit trail)
security_log = logging.getLogger("governance.security")

bp = Blueprint("auth", __name__)
#: the session key holding when the session was last used (POSIX seconds)
LAST_SEEN = "_last_seen"
SIGNED_IN_AT = "_signed_in_at"
RESTAMP_SECONDS = 60
#: the cookie naming a browser its owner signed in from (sent to the sign-in page only)
TRUSTED_BROWSER = "trusted_browser"
TRUSTED_BROWSER_SECONDS = 400 * 24 * 3600  # browsers cap a cookie's life at 400 days


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[
        DataRequired(), Length(min=users.MIN_PASSWORD, max=users.MAX_PASSWORD)])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


def paused_message(until: datetime) -> str:
    """'Sign-in is paused until <date> <time>' in Thai time, Buddhist Era in Thai."""
    # Shown to the minute, rounded up: "until 10:01" is never before the pause ends.
    local = (until + timedelta(seconds=59)).astimezone(clock.BANGKOK).replace(second=0, microsecond=0)
    moment = f"{fiscal.format_date(local.date(), str(get_locale() or 'th'), long=True)} {local:%H:%M}"
    return _("Too many failed sign-ins: sign-in is paused until %(moment)s. "
             "Try again then, or reset your password.", moment=moment)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = users.authenticate(form.email.data, form.password.data, clock.now(),
                                      client=request.remote_addr, device=request.cookies.get(TRUSTED_BROWSER))
        except users.SignInPaused as paused:
            db.session.commit()  # the failure that locked, and the lock, are kept
            security_log.warning("sign-in refused, paused until %s: email=%s ip=%s",
                                 paused.until.isoformat(), form.email.data, request.remote_addr)
            form.form_errors.append(paused_message(paused.until))
            return render_template("auth/login.html", form=form)
        db.session.commit()  # the failed-attempt counter, or its reset
        if user is None:
            security_log.warning("sign-in failed: email=%s ip=%s", form.email.data, request.remote_addr)
            form.password.errors.append(_("Wrong email or password."))
        else:
            security_log.info("sign-in: user=%s role=%s ip=%s", user.id, user.role.value, request.remote_addr)
            _fresh_session()  # nothing from before sign-in survives (session fixation)
            login_user(user)
            session.permanent = True
            session[LAST_SEEN] = session[SIGNED_IN_AT] = int(clock.now().timestamp())
            return _trusted(redirect(_safe_next(form.next.data) or url_for("main.home")), user)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@roles_required(*READERS)
def logout():
    users.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        users.ask_for_password_reset(form.email.data, clock.now())
        db.session.commit()
        # The same answer whether or not the address has an account.
        flash(_("If an account uses this address, a link to choose a new password will be there within "
                "a few minutes. The link works once, for one hour."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    now = clock.now()
    try:
        users.user_for_reset_token(token, now)
    except NotFound as error:
        return render_template("auth/reset_password.html", form=None, invalid=error.message, first=False), 404
    first = users.link_purpose(token, now) == users.INVITATION  # a new account's first password
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = users.reset_password(token, form.password.data, now)
        except ValidationFailed as error:
            db.session.rollback()
            form.password.errors.extend(str(m) for m in error.fields.values())
        else:
            db.session.commit()
            logout_user()
            session.clear()
            if first:
                flash(_("Your password is set. Sign in with it."), "info")
            else:
                flash(_("Your password has been changed, and every session signed in before has ended. "
                        "Sign in with the new password."), "info")
            # Whoever holds the link is the owner: this browser is theirs, so no stranger's
            # guesses at the address pause their next sign-in from it.
            return _trusted(redirect(url_for("auth.login")), user)
    return render_template("auth/reset_password.html", form=form, invalid=None, first=first)


def _trusted(response: Response, user: User) -> Response:
    """Mark this browser as the owner's (services/users.py: throttling the guesser)."""
    response.set_cookie(TRUSTED_BROWSER, users.device_token(user), max_age=TRUSTED_BROWSER_SECONDS,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax",
                        path=url_for("auth.login"))
    return response


def sign_out_idle_sessions() -> None:
    """before_request: a session unused for SESSION_IDLE_MINUTES, or signed in longer ago than
    SESSION_LIFETIME_SECONDS (PERMANENT_SESSION_LIFETIME) however busy, ends here.

    Both times live in the signed session cookie, so a copy of an old cookie is as dead as
    the original.
    """
    if request.endpoint == "static" or request.path.startswith("/api/") or "_user_id" not in session:
        return
    now = int(clock.now().timestamp())
    last_seen, signed_in_at = session.get(LAST_SEEN), session.get(SIGNED_IN_AT)
    minutes = current_app.config["SESSION_IDLE_MINUTES"]
    # The stamp is moved at most once a minute (below), so it may be up to a minute behind
    # the last request: allow that minute, so nobody is signed out before the promised time.
    if isinstance(last_seen, int) and now - last_seen > minutes * 60 + RESTAMP_SECONDS:
        _end_session(_("You were signed out after %(minutes)s minutes without activity.", minutes=minutes))
        return
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if isinstance(signed_in_at, int) and now - signed_in_at > lifetime:
        _end_session(_("Your session has ended after %(hours)s hours; please sign in again.",
                       hours=f"{lifetime / 3600:g}"))
        return
    if not isinstance(signed_in_at, int):
        session[SIGNED_IN_AT] = now  # a session from before this stamp existed: counted from now
    # Restamped at most once a minute: a changed session is a new signed cookie on the
    # response, and the limit is counted in minutes anyway.
    if not isinstance(last_seen, int) or now - last_seen >= RESTAMP_SECONDS:
        session[LAST_SEEN] = now


def _end_session(message: str) -> None:
    logout_user()
    _fresh_session()
    flash(message, "info")


def _fresh_session() -> None:
    """An empty session that keeps only the language the reader chose."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


@bp.post("/language")
def language():
    locale = request.form.get("locale", "")
    if locale in ("th", "en"):
        session["locale"] = locale
        if current_user.is_authenticated:
            users.set_locale(current_user._get_current_object(), locale)
            db.session.commit()
    return redirect(_safe_next(request.form.get("next", "")) or url_for("main.home"))


def _safe_next(target: str | None) -> str | None:
    """Only local paths: an attacker's link must not bounce a user off-site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target

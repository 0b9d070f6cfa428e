"""Configuration read from the environment (twelve-factor); defaults give a working SQLite app."""

from __future__ import annotations

import os

# The key config.py falls back on, and the one deploy/governance.env.example ships with: both
# are public, so neither may sign anything outside development (check_secret_key).
# bandit B105: a known, public value on purpose, refused outside debug mode and tests.
DEFAULT_SECRET_KEY = "dev-only-change-me"  # nosec B105
PLACEHOLDER_SECRET_KEYS = frozenset({DEFAULT_SECRET_KEY, "change-me-to-a-long-random-value"})
MIN_SECRET_KEY_LENGTH = 32


class ConfigurationError(RuntimeError):
    """The app was configured in a way it refuses to run with (raised by create_app)."""


def check_secret_key(config, *, debug: bool, instance_path: str) -> None:
    """Refuse a public or short SECRET_KEY unless the app is in debug mode or TESTING.

    SECRET_KEY signs the session cookies, the calendar-feed addresses (unless
    CALENDAR_FEED_SECRET is set), the RSVP, unsubscribe and password-reset links: whoever
    knows it can forge any of them.
    """
    if debug or config.get("TESTING"):
        return
    key = config.get("SECRET_KEY") or ""
    length = len(key)  # bytes or characters
    if isinstance(key, bytes):
        key = key.decode("utf-8", "replace")
    if key == DEFAULT_SECRET_KEY:
        problem = f"SECRET_KEY is not set: the development default {key!r} is in use"
    elif key in PLACEHOLDER_SECRET_KEYS:
        problem = f"SECRET_KEY is the published placeholder {key!r}"
    elif length < MIN_SECRET_KEY_LENGTH:
        problem = (f"SECRET_KEY is {'not set' if not key else f'only {length} characters long'}"
                   f" (at least {MIN_SECRET_KEY_LENGTH} are needed)")
    else:
        return
    raise ConfigurationError(
        f"{problem}. It signs sessions, calendar feeds, RSVP, unsubscribe and password-reset links, "
        "so the app will not start with it outside debug mode. Set a random one, e.g.\n"
        "    export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(48))')\n"
        f"or put SECRET_KEY = '<that value>' in {os.path.join(instance_path, 'config.py')}. "
        "For local development only, FLASK_DEBUG=1 accepts the default.")


def _bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


class Config:
    # Required outside debug mode and tests: at least 32 characters, not the default
    # (check_secret_key). instance/config.py, when present, overrides it (`make run` writes one).
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # None means: a SQLite file in the instance folder (filled in by create_app).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = "th"
    BABEL_DEFAULT_TIMEZONE = "Asia/Bangkok"
    LANGUAGES = ("th", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("SESSION_LIFETIME_SECONDS", 8 * 3600))
    # The cookie is sent again when the session changes (its last-seen stamp moves at most once a
    # minute, web/auth.py), not re-signed on every response.
    SESSION_REFRESH_EACH_REQUEST = False
    # A session unused this long is signed out on its next request (docs/operations.md).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", 30))

    # Per-IP limit on POST /login, /password/forgot and /api/v1/auth/token (Flask-Limiter).
    # Memory storage is per worker process: with N workers an address gets up to N times this.
    # The per-account lock-out below is on the user row and holds across workers.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto (nginx: 1). 0 trusts
    # no such header: a client could otherwise pick its own address and dodge the limit above.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
    # Password-reset links are valid this long.
    PASSWORD_RESET_MAX_AGE_SECONDS = int(os.environ.get("PASSWORD_RESET_MAX_AGE_SECONDS", 3600))
    #: an invitation to a new account: its set-password link works this long (7 days)
    ACCOUNT_INVITATION_MAX_AGE_SECONDS = int(os.environ.get("ACCOUNT_INVITATION_MAX_AGE_SECONDS", 7 * 24 * 3600))

    API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", 30))
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Uploaded documents (minutes, papers, evidence): the largest file accepted, and where
    # files are kept (outside static/; None means instance/documents). Upload routes raise
    # the request limit above to this much for themselves only.
    DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))
    DOCUMENT_STORE = os.environ.get("DOCUMENT_STORE") or None
    # Signs the private calendar-feed addresses (None: SECRET_KEY). Change it to revoke every
    # feed address at once without signing anybody out.
    CALENDAR_FEED_SECRET = os.environ.get("CALENDAR_FEED_SECRET") or None

    # Unset: no mail leaves, but the outbox still records every email and the mail log shows it.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "governance@localhost")
    # One line per request and per job run on stderr: "text" or "json" (governance/logs.py)
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # Where a reply goes; unset: the board secretary's own address (the first active one)
    MAIL_REPLY_TO = os.environ.get("MAIL_REPLY_TO") or None
    # Seconds; a hung SMTP server must give up well inside the outbox lease below.
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", 15))

    # Reuse of rendered dashboard and attendance-report content while the data (the audit
    # chain's head), the as-of date, language and role are unchanged: per worker process in
    # memory by default; "NullCache" turns it off, "RedisCache" (CACHE_REDIS_URL) shares it.
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_DEFAULT_TIMEOUT = int(os.environ.get("CACHE_DEFAULT_TIMEOUT", 3600))
    CACHE_THRESHOLD = int(os.environ.get("CACHE_THRESHOLD", 200))  # entries kept per worker (≈70 KB each)
    # Keys start with this: give each instance its own when several share one Redis.
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "governance:")

    # Emails link here (the scheduler has no request to take the host from).
    BASE_URL = os.environ.get("BASE_URL", "http://localhost:5000")
    # Days before a deadline or meeting on which a reminder goes out (docs/reminders.md).
    REMINDER_LEAD_DAYS = tuple(int(d) for d in os.environ.get("REMINDER_LEAD_DAYS", "30,14,7,1").split(","))
    # Outbox delivery: retries back off from BASE doubling up to MAX; DEAD after MAX_ATTEMPTS.
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", 12))
    OUTBOX_RETRY_BASE_SECONDS = 60
    OUTBOX_RETRY_MAX_SECONDS = 6 * 3600
    # How long a deliverer holds a claimed message before another may take it over.
    OUTBOX_LEASE_SECONDS = 300
    OUTBOX_BATCH_SIZE = 50
    # The daily website-checklist URL check: seconds per URL.
    URL_CHECK_TIMEOUT = 10

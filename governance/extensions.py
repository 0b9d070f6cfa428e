"""Unbound extensions: created here, bound to an app in ``create_app``."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so Alembic can alter them (SQLite batch mode needs names).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
mail = Mail()
# Rendered page fragments, keyed by the data's version (web/page_cache.py); per worker by
# default (CACHE_TYPE=SimpleCache), NullCache turns it off.
cache = Cache()
# Per client address; storage from RATELIMIT_STORAGE_URI (memory: per worker process).
limiter = Limiter(key_func=get_remote_address)


@limiter.request_filter
def _reading() -> bool:
    """Every limit here is on a POST (sign-in, password reset, API token): reads skip the check."""
    return request.method in ("GET", "HEAD", "OPTIONS")

"""governance: board-governance workflow and OPDC indicator tracker (app factory)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, ConfigurationError, check_secret_key
from governance import api, cli, logs, models, web
from governance.extensions import babel, cache, csrf, db, limiter, login_manager, mail, migrate
from governance.services import audit
from governance.web.locale import select_locale

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: the pages, static files and migrations: at the checkout's top level, or inside the package
#: when installed from a wheel (setup.py copies them to governance/_bundled)
_IN_CHECKOUT = (PROJECT_ROOT / "templates").is_dir() and (PROJECT_ROOT / "migrations").is_dir()
ASSETS = PROJECT_ROOT if _IN_CHECKOUT else Path(__file__).resolve().parent / "_bundled"


__all__ = ["ConfigurationError", "create_app", "models"]


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        # Installed from a wheel, Flask's own choice: <prefix>/var/governance-instance
        instance_path=os.environ.get("GOVERNANCE_INSTANCE_PATH") or (
            str(PROJECT_ROOT / "instance") if _IN_CHECKOUT else None),
        template_folder=str(ASSETS / "templates"),
        static_folder=str(ASSETS / "static"),
    )
    app.config.from_object(Config)
    # Local settings in the instance folder (not in git), over config.py and the environment:
    # e.g. the SECRET_KEY `make run` generates.
    app.config.from_pyfile(os.path.join(app.instance_path, "config.py"), silent=True)
    if os.environ.get("SECRET_KEY"):  # but a key set for this process wins over a file left behind
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if test_config:
        app.config.update(test_config)
    # Before anything is built: a public or short key would let anyone forge sessions and links.
    check_secret_key(app.config, debug=app.debug, instance_path=app.instance_path)
    # Thai text leaves as UTF-8, not as \\u escapes (the API contract: it round-trips unchanged).
    app.json.ensure_ascii = False
    _configure_database(app)
    if app.config["TRUSTED_PROXIES"]:
        # The client's address and scheme as the proxies saw them (per-address sign-in limits).
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    _register_extensions(app)
    _register_adapters(app)
    logs.configure(app)
    return app


def _configure_database(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'governance.sqlite'}"


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite leaves foreign keys off unless asked, and its default journal loses
    # concurrency; FULL sync because these records are evidence (power-loss safe).
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ASSETS / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    login_manager.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    audit.install()  # idempotent: the audit trail's session and mapper hooks


def _register_adapters(app: Flask) -> None:
    web.register(app)
    api.register(app)
    cli.register(app)
    app.register_error_handler(HTTPException, _http_error)


def _http_error(error: HTTPException):
    if request.path.startswith("/api/"):
        return api.json_http_error(error)
    return web.html_http_error(error)

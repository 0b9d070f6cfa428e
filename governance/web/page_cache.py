"""Reuse of a page's rendered content while nothing it shows can have changed.

The dashboard and the attendance report are the pages opened most, and most of their time
goes on evaluating the year and writing it out in words (docs/benchmarks.md). Their main
content depends only on the records, the fiscal year and as-of date asked for, today's
date (the year choices), the language and the reader's role. The key holds all of these,
the records through ``audit.data_version()`` (the audit chain's head, which every change to
a record moves in the same transaction), so a cached fragment is never older than the
data: a change makes a new key, and the old entry just ages out. The release (code,
templates, translations) is in the key too, for a cache shared across a deployment.

Only the content is cached. The layout around it (who is signed in, the CSRF tokens of its
forms, flashed messages) is rendered for every request. The version is read before the
content is built, so an entry can only ever hold data at least as new as its key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from pathlib import Path

from flask import current_app, g, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from governance.extensions import cache
from governance.services import audit, fiscal_years


def cached_fragment(name: str, key: tuple[Hashable, ...], render: Callable[[], str]) -> Markup:
    """``render()``'s HTML for ``name`` and ``key``, rendered again only when the data changed."""
    # While templates reload (flask run --debug), an edited template must show at once.
    version = _data_version()
    if version is None:
        return Markup(render())
    return _reuse(("fragment", name, version, *key), render)


def main_nav() -> Markup:
    """The navigation bar, rendered once per language, role and section of the app.

    It holds only links and their names: the same for every reader of one role (no data,
    no user names, no tokens), so it is kept until the release changes.
    """
    if _templates_reload():
        return Markup(render_template("_nav.html"))
    return _reuse(("nav", request.blueprint), lambda: render_template("_nav.html"))


def _reuse(parts: tuple[Hashable, ...], render: Callable[[], str]) -> Markup:
    """The cached HTML for ``parts`` plus what every cached piece depends on (the release, the
    language, the URL prefix and the reader's role), rendered and kept when missing."""
    parts = (*parts, _release(), str(get_locale()), request.script_root, current_user.role.value)
    cache_key = hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(cache_key)
    if html is None:
        html = render()
        cache.set(cache_key, html)
        current_app.logger.debug("page cache: rendered %s", parts[:2])
    return Markup(html)


def recorded_years() -> set[int]:
    """``fiscal_years.recorded_years()``, computed again only when a record changed (every page
    with a year selector asks for it, and the cached pages would otherwise query for it)."""
    version = _data_version()
    if version is None:
        return fiscal_years.recorded_years()
    cache_key = hashlib.sha256(repr(("years", version, request.script_root)).encode()).hexdigest()
    years = cache.get(cache_key)
    if years is None:
        years = fiscal_years.recorded_years()
        cache.set(cache_key, years)
    return set(years)


def _data_version():
    """The data's version, read once per request (the years and the fragment both key on it)."""
    if "page_cache_version" not in g:
        g.page_cache_version = None if _templates_reload() else audit.data_version()
    return g.page_cache_version


def _templates_reload() -> bool:
    reload = current_app.config.get("TEMPLATES_AUTO_RELOAD")
    return current_app.debug if reload is None else bool(reload)


def _release() -> str:
    """A fingerprint of what renders the cached parts: the package's code, its translations
    and the templates. With a cache shared between processes (Redis), a new release then
    never serves fragments the old one made, even when no record changed. Computed once
    per process (a few milliseconds)."""
    release = current_app.extensions.get("page_cache_release")
    if release is None:
        package = Path(current_app.root_path)
        templates = Path(current_app.root_path, current_app.template_folder or "templates")
        files = sorted([*package.rglob("*.py"), *package.rglob("*.mo"), *templates.rglob("*.html")])
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        release = current_app.extensions["page_cache_release"] = digest.hexdigest()[:16]
    return release

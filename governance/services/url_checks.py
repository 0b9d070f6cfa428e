"""The daily check that each website-checklist URL still answers (indicator 17).

It records what happened on the item (``last_checked_at``, ``last_check_status``); it
does not decide whether the item is current, which stays the secretary's date.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa

from governance.extensions import db
from governance.models import WebsiteItem

USER_AGENT = "board-governance-url-check/1"


def _web_only_opener() -> urllib.request.OpenerDirector:
    # urlopen's default opener also reads file: and ftp: (and follows a redirect to ftp:);
    # this one speaks HTTP(S) only, redirects included.
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPRedirectHandler(), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


_OPENER = _web_only_opener()


@dataclass(frozen=True)
class UrlCheck:
    item: WebsiteItem
    #: the HTTP status the URL answered with; None when it did not answer at all
    status: int | None
    error: str | None = None


def check_website_urls(fiscal_year: int, now: datetime, timeout: float) -> list[UrlCheck]:
    """Ask each of the year's item URLs for its status and record the answer (caller commits)."""
    items = db.session.scalars(
        sa.select(WebsiteItem).where(WebsiteItem.fiscal_year == fiscal_year, WebsiteItem.url.is_not(None))
        .order_by(WebsiteItem.key)).all()
    checks = []
    for item in items:
        status, error = url_status(item.url, timeout)
        item.last_checked_at = now
        item.last_check_status = status  # None with a fresh last_checked_at: checked, no answer
        checks.append(UrlCheck(item, status, error))
    db.session.flush()
    return checks


def url_status(url: str, timeout: float) -> tuple[int | None, str | None]:
    """HEAD, then GET if the server does not do HEAD; (status, None) or (None, why not)."""
    if urlsplit(url).scheme not in ("http", "https"):
        return None, "not an http(s) address"
    status, error = _request(url, "HEAD", timeout)
    if status in (405, 501):
        status, error = _request(url, "GET", timeout)
    return status, error


def _request(url: str, method: str, timeout: float) -> tuple[int | None, str | None]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, None
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, None  # it answered, with an error status: that is the finding
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, f"{type(error).__name__}: {error}"

"""Job bodies: module-level functions, stored in the job store by reference ("jobs.tasks:name").

Each is a thin adapter: an app context, one service call that sweeps what is due, a
commit.  A run that is missed or repeated heals itself at the next one, because the
services queue by idempotency key and deliver by status.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

import governance
from governance import clock, fiscal, logs
from governance.extensions import db
from governance.services import accounts, delivery, reminders, url_checks, users

log = logging.getLogger(__name__)
_app: Flask | None = None


def bind(app: Flask | None) -> None:
    """Use ``app`` for the jobs (the `jobs run` command binds the app it runs in; tests bind theirs)."""
    global _app
    _app = app


def _job_app() -> Flask:
    global _app
    if _app is None:
        # A scheduler started some other way: build the app once, at the first run, never at import.
        _app = governance.create_app()
    return _app


@contextmanager
def _unit_of_work(job: str) -> Iterator[Flask]:
    app = _job_app()
    with app.app_context(), logs.job_run(job):
        try:
            yield app
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("job failed; its work was rolled back and the next run sweeps it again")
            raise


def plan_reminders() -> None:
    """The daily compliance check: evaluate the year and queue the reminders now due."""
    with _unit_of_work("plan_reminders"):
        report = reminders.queue_due(clock.today(), clock.now())
        log.info("reminders: %d queued, %d queued before, %d unsubscribed",
                 len(report.queued), report.already_queued, report.opted_out)


def queue_meeting_cancellations() -> None:
    """Every five minutes: a cancelled meeting's notice, so it never waits for the daily run."""
    with _unit_of_work("queue_meeting_cancellations"):
        report = reminders.queue_meeting_cancellations(clock.today(), clock.now())
        if report.queued:
            log.info("meeting cancellations: %d notices queued", len(report.queued))


def deliver_outbox() -> None:
    """Every minute: turn "forgot password" requests into links, then send what is due (the
    service commits per message)."""
    with _unit_of_work("deliver_outbox"):
        users.answer_reset_requests(clock.now())
        db.session.commit()  # the links queued before delivery, which commits per message
        report = delivery.deliver_due(clock.now(), clock.today())
        if report.sent or report.failed or report.withdrawn:
            log.info("outbox: %d sent, %d failed, %d withdrawn", len(report.sent), len(report.failed),
                     len(report.withdrawn))


def disable_departed_accounts() -> None:
    """Just after midnight: a director whose term ended yesterday can no longer sign in."""
    with _unit_of_work("disable_departed_accounts"):
        disabled = accounts.disable_departed(clock.today(), clock.now())
        if disabled:
            log.info("accounts: %d disabled after the director's term ended", len(disabled))


def check_website_urls() -> None:
    """Daily: record whether each website-checklist URL of the current year answers."""
    with _unit_of_work("check_website_urls") as app:
        checks = url_checks.check_website_urls(fiscal.fiscal_year_of(clock.today()), clock.now(),
                                               app.config["URL_CHECK_TIMEOUT"])
        log.info("website URLs: %d checked, %d without an answer",
                 len(checks), sum(1 for c in checks if c.status is None))

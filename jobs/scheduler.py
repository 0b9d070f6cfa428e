"""The scheduler process (`flask --app governance jobs run`): one per deployment.

Never inside a web worker: every gunicorn worker would run every job, and APScheduler 3
cannot share a job store between processes.  Jobs are kept in the app's database
(``apscheduler_jobs``, created by APScheduler itself) so that a restarted scheduler knows
what it missed: with ``coalesce`` and a misfire grace it runs each missed job once, not
once per missed tick.

Exactly one scheduler runs the jobs: before it starts, the process takes the scheduler
lock (``jobs.lock``: a PostgreSQL advisory lock, or a file lock beside a SQLite
database) and holds it until it exits.  A second process started by mistake, or as a
standby on another machine, logs that it is waiting and takes over when the first stops.
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from governance.clock import BANGKOK
from jobs import tasks
from jobs.lock import SchedulerLock, lock_for, wait_for

log = logging.getLogger(__name__)

JOBSTORE_TABLE = "apscheduler_jobs"
TIMEZONE = "Asia/Bangkok"
DAY = 24 * 3600
# APScheduler's default grace is 1 s: a run due while the process was down would be dropped.
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}


@dataclass(frozen=True)
class JobSpec:
    id: str
    #: "module:function", stored as text so the job store never pickles code
    func: str
    trigger: BaseTrigger
    #: how late a missed run may still start; a daily job's catch-up must fit in a day
    misfire_grace_time: int


def default_jobs() -> list[JobSpec]:
    return [
        JobSpec("disable_departed_accounts", "jobs.tasks:disable_departed_accounts",
                CronTrigger(hour=0, minute=5, timezone=BANGKOK), DAY),
        JobSpec("check_website_urls", "jobs.tasks:check_website_urls", CronTrigger(hour=6, timezone=BANGKOK), DAY),
        JobSpec("plan_reminders", "jobs.tasks:plan_reminders", CronTrigger(hour=7, timezone=BANGKOK), DAY),
        JobSpec("queue_meeting_cancellations", "jobs.tasks:queue_meeting_cancellations",
                IntervalTrigger(minutes=5, timezone=BANGKOK), 300),
        JobSpec("deliver_outbox", "jobs.tasks:deliver_outbox", IntervalTrigger(minutes=1, timezone=BANGKOK), 60),
    ]


class Scheduler(BackgroundScheduler):
    """APScheduler 3's background scheduler without its one pass after shutdown.

    Its loop wakes once more after ``shutdown()`` and processes jobs (STOPPED is not
    PAUSED): with the executors gone, each due job fails to start and its next run moves
    on, so that run is lost rather than caught up at the next start; and the job store's
    disposed engine is opened again and never closed.  Seen here with 3.11.
    """

    def _process_jobs(self):
        if self.state == STATE_STOPPED:
            return None
        return super()._process_jobs()

    def close_store(self) -> None:
        """After shutdown: wait for the loop thread, then close the job store's pool, which
        a pass already under way at shutdown may have reopened (a leaked connection)."""
        if self._thread is not None:
            self._thread.join(timeout=10)
        for store in self._jobstores.values():
            engine = getattr(store, "engine", None)
            if engine is not None:
                engine.dispose()


def build_scheduler(database_url: str) -> Scheduler:
    """A scheduler on the app's database.  Background, so the caller decides how to wait."""
    return Scheduler(
        jobstores={"default": SQLAlchemyJobStore(url=database_url, tablename=JOBSTORE_TABLE)},
        executors={"default": ThreadPoolExecutor(3)},
        job_defaults=JOB_DEFAULTS,
        timezone=TIMEZONE,
    )


def start(scheduler: Scheduler, jobs: list[JobSpec]) -> None:
    """Start paused, add only the jobs the store lacks, then resume.

    ``add_job(replace_existing=True)`` would reset a stored job's next run time, and the
    runs missed while the process was down would never be caught up.
    """
    scheduler.start(paused=True)
    for spec in jobs:
        stored = scheduler.get_job(spec.id)
        if stored is None:
            scheduler.add_job(spec.func, spec.trigger, id=spec.id, name=spec.id,
                              misfire_grace_time=spec.misfire_grace_time)
            continue
        scheduler.modify_job(spec.id, func=spec.func, misfire_grace_time=spec.misfire_grace_time)
        if str(stored.trigger) != str(spec.trigger):
            scheduler.reschedule_job(spec.id, trigger=spec.trigger)  # the schedule itself changed in code
    scheduler.resume()


def run(app: Flask, jobs: list[JobSpec] | None = None, *, lock: SchedulerLock | None = None,
        check_seconds: float = 30.0) -> bool:
    """Run the scheduler until SIGINT or SIGTERM; the jobs use ``app``.

    It first takes the scheduler lock, waiting (stoppable) while another process holds it;
    every ``check_seconds`` it checks the lock is still held, and stops if it is not.
    Returns False when it stopped because the lock was lost (the command then exits 1, so
    any supervisor restarts it), True when it was asked to stop.
    """
    tasks.bind(app)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    stop = threading.Event()
    previous = {signum: signal.signal(signum, lambda *_: stop.set()) for signum in (signal.SIGINT, signal.SIGTERM)}
    scheduler_lock = lock if lock is not None else lock_for(url)
    try:
        if not wait_for(scheduler_lock, stop):
            return True  # stopped while waiting: another scheduler ran the jobs all along
        scheduler = build_scheduler(url)
        try:
            start(scheduler, default_jobs() if jobs is None else jobs)
            while not stop.wait(check_seconds):
                if not scheduler_lock.still_held():
                    log.error("the scheduler lock was lost (%s); stopping so that a restart waits for it",
                              scheduler_lock.description)
                    return False
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=True)  # lets a running job finish its commit
            scheduler.close_store()
    finally:
        scheduler_lock.release()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return True

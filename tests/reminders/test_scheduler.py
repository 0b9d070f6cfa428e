"""The scheduler process: catch-up after downtime runs each job once; the job bodies; `jobs run`."""

from __future__ import annotations

import os
import signal
import threading
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from governance import clock
from governance.extensions import db
from jobs import scheduler, tasks
from tests.reminders.conftest import at

TODAY = date(2020, 9, 1)  # the 30-day mark of FY2563's year-end deadlines
THREE_DAYS_AGO = datetime.now(clock.BANGKOK) - timedelta(days=3)


@pytest.fixture
def job_app(mail_app, monkeypatch):
    """Jobs bound to the test app, on a pinned day; the job table removed afterwards."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: at(TODAY, 3))
    tasks.bind(mail_app)
    yield mail_app
    tasks.bind(None)
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"DROP TABLE IF EXISTS {scheduler.JOBSTORE_TABLE}"))


class Runs:
    """Counts finished runs per job id, and keeps any job's error."""

    def __init__(self, sched) -> None:
        self.count: dict[str, int] = {}
        self.errors: list[BaseException] = []
        self.done = threading.Event()
        sched.add_listener(self, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def __call__(self, event) -> None:
        self.count[event.job_id] = self.count.get(event.job_id, 0) + 1
        if event.exception:
            self.errors.append(event.exception)
        self.done.set()


def store_plan_job(url: str, next_run_time: datetime) -> None:
    """What a scheduler stopped earlier leaves in the job store, written without running one.

    (A paused scheduler that is shut down still processes due jobs once on its way out,
    advancing their next run; so the stored state is made directly.)
    """
    holder = BackgroundScheduler(timezone=scheduler.TIMEZONE)  # never started: Job needs one
    store = SQLAlchemyJobStore(url=url, tablename=scheduler.JOBSTORE_TABLE)
    store.start(holder, "default")
    store.add_job(Job(holder, id="plan_reminders", func="jobs.tasks:plan_reminders",
                      trigger=CronTrigger(hour=7, timezone=clock.BANGKOK), executor="default", args=(), kwargs={},
                      name="plan_reminders", misfire_grace_time=scheduler.DAY, coalesce=True, max_instances=1,
                      next_run_time=next_run_time))
    store.shutdown()


def test_a_scheduler_back_after_three_days_runs_the_missed_job_once_and_mails_once(job_app, smtp, board):
    url = job_app.config["SQLALCHEMY_DATABASE_URI"]
    store_plan_job(url, THREE_DAYS_AGO)
    after = scheduler.build_scheduler(url)
    runs = Runs(after)
    scheduler.start(after, scheduler.default_jobs())
    try:
        assert runs.done.wait(30), "the missed run was not caught up"
        threading.Event().wait(1)  # time for any (wrong) second catch-up run
        next_run = after.get_job("plan_reminders").next_run_time
        assert {job.id for job in after.get_jobs()} == {"plan_reminders", "deliver_outbox", "check_website_urls",
                                                         "queue_meeting_cancellations", "disable_departed_accounts"}
    finally:
        after.shutdown(wait=True)
        after.close_store()  # a loop pass under way at shutdown may reopen the store's pool
    assert runs.errors == []
    assert runs.count == {"plan_reminders": 1}  # coalesced: three missed days, one run
    assert next_run > datetime.now(clock.BANGKOK)

    tasks.deliver_outbox()
    deadline = "เตือน: ตัวชี้วัดที่ 10 ครบกำหนด 30 กันยายน 2563"
    assert smtp.subjects("sec@example.org").count(deadline) == 1
    tasks.plan_reminders()  # the next day's run, or a second scheduler by mistake: nothing new
    tasks.deliver_outbox()
    assert smtp.subjects("sec@example.org").count(deadline) == 1


def test_starting_again_keeps_a_stored_jobs_next_run(job_app):
    """add_job(replace_existing=True) would reset it to the trigger's next time; start() must not."""
    url = job_app.config["SQLALCHEMY_DATABASE_URI"]
    odd_time = (datetime.now(clock.BANGKOK) + timedelta(hours=5, minutes=17)).replace(microsecond=0)
    store_plan_job(url, odd_time)
    again = scheduler.build_scheduler(url)
    scheduler.start(again, scheduler.default_jobs())
    try:
        assert again.get_job("plan_reminders").next_run_time == odd_time
        assert again.get_job("plan_reminders").misfire_grace_time == scheduler.DAY
    finally:
        again.shutdown()
        again.close_store()


def test_jobs_run_starts_the_scheduler_and_stops_on_sigterm(job_app):
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    before = signal.getsignal(signal.SIGTERM)
    try:
        scheduler.run(job_app, jobs=[])
    finally:
        timer.cancel()
    assert signal.getsignal(signal.SIGTERM) is before  # handlers restored


def test_the_jobs_run_command_runs_the_scheduler_with_the_app(runner, app, monkeypatch):
    started = []
    monkeypatch.setattr(scheduler, "run", lambda flask_app: started.append(flask_app) or True)
    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output
    assert started == [app] and "Scheduler stopped." in result.output


def test_losing_the_lock_exits_non_zero_so_a_supervisor_restarts_it(runner, monkeypatch):
    monkeypatch.setattr(scheduler, "run", lambda flask_app: False)
    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 1 and "lock was lost" in result.output


def test_the_outbox_run_sends_the_link_asked_for_on_forgot_password(job_app, smtp, make_user):
    """The page only records the ask (same work for any address); the minute's run mails the
    link to an account's owner, over a real SMTP server, and nothing to an unknown address."""
    make_user(email="owner@example.org")
    client = job_app.test_client()
    for email in ("owner@example.org", "nobody@example.org"):
        assert client.post("/password/forgot", data={"email": email}).status_code == 302
    tasks.deliver_outbox()
    assert len(smtp.subjects("owner@example.org")) == 1
    assert smtp.subjects("nobody@example.org") == []
    tasks.deliver_outbox()  # the requests were answered once
    assert len(smtp.subjects("owner@example.org")) == 1

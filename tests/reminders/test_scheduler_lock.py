"""Exactly one scheduler runs the jobs: two real `flask --app governance jobs run` processes on PostgreSQL.

The job store is given a probe job that runs every second (a harmless job body: with no
MAIL_SERVER the outbox delivery does nothing), so a scheduler that runs jobs shows it in
its log at once.  The first process takes the advisory lock and runs the probe; the second
says it is waiting and runs nothing; after SIGTERM stops the first, the second takes over.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from governance import clock
from governance.extensions import db
from jobs import lock, scheduler

ROOT = Path(__file__).resolve().parents[2]
EXECUTED = 'Job "probe'  # APScheduler: Job "probe (trigger: ...)" executed successfully


@pytest.fixture
def postgres_url(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the advisory lock is PostgreSQL's; set TEST_DATABASE_URL to a PostgreSQL database")
    yield database_url
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"DROP TABLE IF EXISTS {scheduler.JOBSTORE_TABLE}"))


def store_probe_job(url: str) -> None:
    """A job due now and every second after: whoever runs the jobs logs it each second."""
    holder = BackgroundScheduler(timezone=scheduler.TIMEZONE)  # never started: a Job needs one
    store = SQLAlchemyJobStore(url=url, tablename=scheduler.JOBSTORE_TABLE)
    store.start(holder, "default")
    try:
        store.add_job(Job(holder, id="probe", func="jobs.tasks:deliver_outbox",
                          trigger=IntervalTrigger(seconds=1, timezone=clock.BANGKOK), executor="default", args=(),
                          kwargs={}, name="probe", misfire_grace_time=60, coalesce=True, max_instances=1,
                          next_run_time=datetime.now(clock.BANGKOK)))
    finally:
        store.shutdown()


class SchedulerProcess:
    def __init__(self, name: str, url: str, tmp_path: Path) -> None:
        self.log_path = tmp_path / f"{name}.log"
        flask = Path(sys.executable).with_name("flask")
        command = [str(flask)] if flask.exists() else [sys.executable, "-m", "flask"]
        # A real key: not in debug mode, the app refuses the default one (config.check_secret_key).
        env = {**os.environ, "DATABASE_URL": url, "GOVERNANCE_INSTANCE_PATH": str(tmp_path / "instance"),
               "SECRET_KEY": secrets.token_urlsafe(48), "PYTHONUNBUFFERED": "1"}
        env.pop("MAIL_SERVER", None)
        env.pop("PYTHONTRACEMALLOC", None)  # a traced child starts too slowly for the waits below
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen([*command, "--app", "governance", "jobs", "run"], cwd=ROOT, env=env,
                                            stdout=log, stderr=subprocess.STDOUT)

    @property
    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def runs(self) -> int:
        return sum(1 for line in self.output.splitlines() if EXECUTED in line and "executed successfully" in line)

    def wait_for(self, check, what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            assert self.process.poll() is None, f"exited early ({self.process.returncode}):\n{self.output}"
            time.sleep(0.2)
        raise AssertionError(f"{what} did not happen within {timeout} s:\n{self.output}")

    def terminate(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


def test_a_second_scheduler_waits_and_takes_over_when_the_first_stops(postgres_url, tmp_path):
    store_probe_job(postgres_url)
    first = SchedulerProcess("first", postgres_url, tmp_path)
    second = None
    try:
        first.wait_for(lambda: "holding the scheduler lock" in first.output, "the first taking the lock")
        first.wait_for(lambda: first.runs() >= 2, "the first running the probe job")

        second = SchedulerProcess("second", postgres_url, tmp_path)
        second.wait_for(lambda: "waiting to take over" in second.output, "the second saying it waits")
        before = first.runs()
        time.sleep(3)  # several ticks: the first keeps running the job, the second none
        assert first.runs() > before
        assert second.runs() == 0, second.output

        assert first.terminate() == 0, first.output
        assert "Scheduler stopped." in first.output
        second.wait_for(lambda: "took the scheduler lock" in second.output, "the second taking over")
        second.wait_for(lambda: second.runs() >= 1, "the second running the probe job")
    finally:
        first.terminate()
        if second is not None:
            assert second.terminate() == 0, second.output


def test_the_advisory_lock_is_held_by_one_connection_at_a_time(postgres_url):
    one, two = lock.AdvisoryLock(postgres_url), lock.AdvisoryLock(postgres_url)
    try:
        assert one.try_acquire()
        assert not two.try_acquire()
        assert one.still_held()
        one.release()
        assert two.try_acquire()
    finally:
        one.release()
        two.release()


def test_sqlite_uses_a_file_lock_beside_the_database(tmp_path):
    path = tmp_path / "governance.sqlite"
    one, two = lock.lock_for(f"sqlite:///{path}"), lock.lock_for(f"sqlite:///{path}")
    assert isinstance(one, lock.FileLock) and one.path == tmp_path / "governance.sqlite.scheduler-lock"
    try:
        assert one.try_acquire()
        assert not two.try_acquire()
        one.release()
        assert two.try_acquire()
    finally:
        one.release()
        two.release()
    assert isinstance(lock.lock_for("sqlite://"), lock.NoLock)

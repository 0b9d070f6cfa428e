"""`python -m bench` (or `make bench`): the figures behind docs/benchmarks.md.

1. Build a throwaway database (SQLite in a temporary directory, or a scratch database on
   the PostgreSQL server given by ``--database-url``, dropped afterwards) through the
   migrations, and fill it with ten fiscal years of history (bench/history.py).
2. In-process: evaluating the last fiscal year (indicators 10-18) and its attendance
   report, time and SQL statements; each main page's SQL statements (test client).
3. Mail: 1,000 queued emails delivered to a local SMTP server (aiosmtpd), counted at the
   server, none twice; then the reminder planner over the whole history, first run and rerun.
4. Web: gunicorn, 2 sync workers, on 127.0.0.1; each page driven for a few seconds by
   concurrent clients, side by side *in the same run* with a bare Flask app (no database)
   rendering a template of the same size; then the signed-in floor (the home page's
   redirect: the least a signed-in request costs) and the workers' peak memory; then the two
   pages the app caches (dashboard, attendance report) once more with the cache off, and the
   attendance report once more with no database work per request (bench/floor.py).

Prints a table and the same figures as JSON (``--json PATH`` also writes them to a file).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from bench import load
from bench.history import PASSWORD, History, Shape, generate

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-" + secrets.token_hex(16)

#: the targets of issue #7, checked at the end of a run
TARGETS = {"evaluate_ms_sqlite": 20.0, "ratio_to_bare": 0.5, "p95_ms": 50.0, "delivery_s": 10.0}


# --- the database ---------------------------------------------------------------------------

@contextlib.contextmanager
def scratch_database(server_url: str | None, tmp: Path) -> Iterator[str]:
    """A SQLite file in ``tmp``, or a new database on the PostgreSQL server, dropped afterwards."""
    if not server_url:
        yield f"sqlite:///{tmp / 'bench.sqlite'}"
        return
    server = sa.engine.make_url(server_url)
    if not server.get_backend_name().startswith("postgresql"):
        raise SystemExit("--database-url must be a PostgreSQL URL (postgresql+psycopg://user@host:port/db)")
    name = f"governance_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(url: str, **config):
    from governance import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "BASE_URL": "https://bench.example.org",
                       **config})


def build_schema(app) -> str:
    """The production schema: the Alembic migrations (create_all only if they fail, and said so)."""
    from flask_migrate import upgrade

    from governance.extensions import db

    with app.app_context():
        try:
            upgrade(directory=str(ROOT / "migrations"))
            return "migrations"
        except Exception as error:  # a half-finished migration in a working tree; say so in the results
            db.session.rollback()
            print(f"  migrations failed ({type(error).__name__}: {error}); using create_all", file=sys.stderr)
            db.drop_all()
            db.create_all()
            return "create_all"


# --- counting SQL ---------------------------------------------------------------------------

@contextlib.contextmanager
def counting(engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def timed(function: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        out.append((time.perf_counter() - began) * 1000)
    return out


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * (len(ordered) - 1) + 0.5))], 2),
            "min_ms": round(ordered[0], 2), "runs": len(ordered)}


# --- in-process -----------------------------------------------------------------------------

def in_process(app, history: History, runs: int) -> dict:
    """The last year's evaluation as a request would do it: a fresh session each time."""
    from governance.extensions import db
    from governance.services import fiscal_years

    shape = history.shape
    out = {}
    with app.app_context():
        for name, function in (
            ("evaluate", lambda: fiscal_years.evaluate_fiscal_year(shape.last_fy, shape.as_of)),
            ("attendance_report", lambda: fiscal_years.fiscal_year_attendance(shape.last_fy, shape.as_of)),
        ):
            def fresh(function=function):
                db.session.remove()
                function()
            timed(fresh, 5)  # warm: imports, the pool, SQLite's page cache
            db.session.remove()
            with counting(db.engine) as seen:
                function()
            out[name] = {**summary(timed(fresh, runs)), "queries": len(seen)}
            db.session.remove()
    return out


PAGES = {
    # name: (path, role, through the API)
    "dashboard": ("/dashboard?fy={fy}&as_of={as_of}", "secretary", False),
    "attendance_report": ("/attendance?fy={fy}&as_of={as_of}", "auditor", False),
    "meeting_page": ("/meetings/{meeting}", "secretary", False),
    "api_indicators": ("/api/v1/fiscal-years/{fy}/indicators?as_of={as_of}", "secretary", True),
}
#: the pages whose content the app caches (web/page_cache.py): measured again with the cache off
CACHED_PAGES = ("dashboard", "attendance_report")
COUNTED_PAGES = {
    **PAGES,
    "meetings_list": ("/meetings?fy={fy}", "secretary", False),
    "audit_log": ("/audit", "auditor", False),
    "mail_log": ("/mail-log", "secretary", False),
}


def page_path(template: str, history: History) -> str:
    return template.format(fy=history.shape.last_fy, as_of=history.shape.as_of.isoformat(),
                           meeting=history.last_meeting_id)


def page_queries(app, history: History) -> dict:
    """SQL statements per page (the test client, signed in), after one warm-up request: the page
    built (page cache emptied first), and the same request again (the dashboard and the
    attendance report then come from the page cache)."""
    from governance.extensions import cache, db

    app.config.update(WTF_CSRF_ENABLED=False)
    out = {}
    clients = {}
    with app.app_context():
        engine = db.engine
    for name, (template, role, api) in COUNTED_PAGES.items():
        client = clients.get(role)
        if client is None:
            client = clients[role] = app.test_client()
            response = client.post("/login", data={"email": history.logins[role], "password": PASSWORD})
            assert response.status_code == 302, f"sign-in as {role}: {response.status_code}"
            token = client.post("/api/v1/auth/token", json={"email": history.logins[role], "password": PASSWORD})
            client.bearer = {"Authorization": f"Bearer {token.get_json()['token']}"}
        headers = client.bearer if api else {}
        path = page_path(template, history)
        client.get(path, headers=headers)
        with app.app_context():
            cache.clear()
        with counting(engine) as seen:
            response = client.get(path, headers=headers)
        with counting(engine) as seen_again:
            client.get(path, headers=headers)
        out[name] = {"status": response.status_code, "queries": len(seen), "bytes": len(response.data),
                     "queries_cached": len(seen_again)}
    app.config.update(WTF_CSRF_ENABLED=True)
    return out


# --- mail -----------------------------------------------------------------------------------

_HEADERS = BytesParser(policy=policy.compat32)


class _Collect:
    def __init__(self) -> None:
        self.message_ids: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        # The headers only: the Message-ID is all the count needs, and parsing each whole
        # message (MIME parts, the default policy's header objects) made this server, not the
        # deliverer being measured, most of the time per email.
        headers = _HEADERS.parsebytes(envelope.original_content or envelope.content, headersonly=True)
        self.message_ids.append(str(headers["Message-ID"]))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def delivery(app, count: int) -> dict:
    """``count`` emails queued, then delivered as the scheduler's job does, to aiosmtpd on loopback."""
    from governance.extensions import db
    from governance.models import OutboxMessage, OutboxStatus
    from governance.services import outbox

    collector = _Collect()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SUPPRESS_SEND=False,
                      MAIL_DEFAULT_SENDER="governance@bench.example.org")
    try:
        with app.app_context():
            now = datetime.now(UTC)
            for n in range(count):
                outbox.enqueue(f"bench-delivery|{n}", "indicator_deadline", f"fy:indicator:{10 + n % 9}",
                               outbox.Email(recipient=f"director{n % 15}@example.org", locale="th",
                                            subject=f"เตือน: ตัวชี้วัดที่ {10 + n % 9} ครบกำหนด ({n})",
                                            text="เรียน กรรมการ\n" + ("รายละเอียด " * 6 + "\n") * 10,
                                            html="<p>เรียน กรรมการ</p>\n" + ("<p>" + "รายละเอียด " * 6 + "</p>\n") * 10),
                               now)
            db.session.commit()
            began = time.perf_counter()
            rounds = 0
            while True:
                report = outbox.deliver_due(datetime.now(UTC), limit=count)
                rounds += 1
                if not report.sent and not report.failed:
                    break
            seconds = time.perf_counter() - began
            sent = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
                OutboxMessage.idempotency_key.like("bench-delivery|%"), OutboxMessage.status == OutboxStatus.SENT))
            db.session.remove()
        # Give the server's event loop a moment to hand over the last message.
        deadline = time.monotonic() + 5
        while len(collector.message_ids) < count and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
        app.config.update(MAIL_SERVER=None)
    received = collector.message_ids
    return {"emails": count, "seconds": round(seconds, 2), "per_second": round(count / seconds, 1),
            "received": len(received), "distinct_received": len(set(received)), "marked_sent": sent,
            "delivered_twice": len(received) - len(set(received))}


def planning(app, history: History, runs: int) -> dict:
    """The daily reminder sweep as of the last year's "today", with the whole history behind it."""
    from governance.extensions import db
    from governance.services import reminders

    shape = history.shape
    now = datetime.combine(shape.as_of, datetime.min.time(), tzinfo=UTC).replace(hour=0)
    with app.app_context():
        with counting(db.engine) as seen:
            began = time.perf_counter()
            first = reminders.queue_due(shape.as_of, now)
            db.session.commit()
            first_ms = (time.perf_counter() - began) * 1000
        first_queries = len(seen)
        db.session.remove()

        def rerun():
            db.session.remove()
            reminders.queue_due(shape.as_of, now)
            db.session.rollback()
        with counting(db.engine) as seen:
            rerun()
        rerun_queries = len(seen)
        samples = timed(rerun, runs)
        db.session.remove()
    return {"first_run_ms": round(first_ms, 1), "first_run_queued": len(first.queued), "first_run_queries": first_queries,
            "rerun": {**summary(samples), "queries": rerun_queries}}


# --- the web --------------------------------------------------------------------------------

class Server:
    """gunicorn, ``workers`` sync workers, on a free loopback port; stopped with SIGTERM."""

    def __init__(self, app_spec: str, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--worker-class", "sync", "--log-level", "warning", app_spec],
            cwd=ROOT, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, path: str = "/", timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
            with contextlib.suppress(OSError):
                load.fetch("127.0.0.1", self.port, path)
                return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def peak_rss_mib(self) -> list[float]:
        """VmHWM of each worker: the most resident memory it has ever had."""
        peaks = []
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                found = re.search(r"VmHWM:\s+(\d+) kB", status)
                if found:
                    peaks.append(round(int(found.group(1)) / 1024, 1))
        return peaks

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(port: int, email_address: str) -> dict[str, str]:
    """Sign in through the login form (its CSRF token included); the session cookie as a header."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urlencode({"csrf_token": token, "email": email_address, "password": PASSWORD}).encode()
    try:
        opener.open(urllib.request.Request(f"{base}/login", data=form))
        raise RuntimeError("sign-in did not redirect (wrong password or form?)")
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise
    return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in jar)}


def api_token(port: int, email_address: str) -> dict[str, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/token", method="POST",
        data=json.dumps({"email": email_address, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return {"Authorization": f"Bearer {json.load(answer)['token']}"}


def web(url: str, history: History, tmp: Path, duration: float, processes: int, threads: int) -> dict:
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "GOVERNANCE_INSTANCE_PATH": str(tmp / "instance"),
           "PYTHONPATH": str(ROOT)}
    app_server = Server("governance:create_app()", env, 2, tmp / "gunicorn-app.log")
    bare_server = Server("bench.bare:create_app()", env, 2, tmp / "gunicorn-bare.log")
    try:
        app_server.wait_ready("/login")
        bare_server.wait_ready("/bare/100")
        headers = {}
        for role in ("secretary", "auditor"):
            headers[role] = sign_in(app_server.port, history.logins[role])
        bearer = api_token(app_server.port, history.logins["secretary"])
        out = {}
        for name, (template, role, api) in PAGES.items():
            path = page_path(template, history)
            page_headers = bearer if api else headers[role]
            status, body = load.fetch("127.0.0.1", app_server.port, path, page_headers)
            if status != 200:
                raise RuntimeError(f"{name}: {path} answered {status}")
            bare_path = f"/bare/{len(body)}"
            _, bare_body = load.fetch("127.0.0.1", bare_server.port, bare_path)
            bare = load.drive("127.0.0.1", bare_server.port, bare_path, processes=processes, threads=threads,
                              duration=duration)
            page = load.drive("127.0.0.1", app_server.port, path, page_headers, processes=processes,
                              threads=threads, duration=duration)
            out[name] = {
                "path": path, "bytes": len(body), "bare_bytes": len(bare_body),
                "rps": round(page.rps, 1), "p50_ms": round(page.p50, 2), "p95_ms": round(page.p95, 2),
                "errors": page.errors,
                "bare_rps": round(bare.rps, 1), "bare_p50_ms": round(bare.p50, 2), "bare_p95_ms": round(bare.p95, 2),
                "ratio_to_bare": round(page.rps / bare.rps, 2) if bare.rps else None,
            }
            print(f"  {name:<18} {out[name]['rps']:>8} req/s  p95 {out[name]['p95_ms']:>6} ms   "
                  f"bare {out[name]['bare_rps']:>8} req/s  ratio {out[name]['ratio_to_bare']}", file=sys.stderr)
        out["signed_in_floor"] = signed_in_floor(app_server.port, headers["auditor"], out)
        out["worker_peak_rss_mib"] = app_server.peak_rss_mib()
        out["bare_worker_peak_rss_mib"] = bare_server.peak_rss_mib()
    finally:
        app_server.stop()
        bare_server.stop()
    # The cached pages once more with the page cache off: every request builds the page, as
    # the first request after each change does.
    uncached_server = Server("governance:create_app()", {**env, "CACHE_TYPE": "NullCache"}, 2,
                             tmp / "gunicorn-uncached.log")
    try:
        uncached_server.wait_ready("/login")
        headers = {role: sign_in(uncached_server.port, history.logins[role]) for role in ("secretary", "auditor")}
        for name in CACHED_PAGES:
            template, role, _ = PAGES[name]
            page = load.drive("127.0.0.1", uncached_server.port, page_path(template, history), headers[role],
                              processes=processes, threads=threads, duration=duration)
            out[name].update({
                "uncached_rps": round(page.rps, 1), "uncached_p50_ms": round(page.p50, 2),
                "uncached_p95_ms": round(page.p95, 2), "uncached_errors": page.errors,
                "uncached_ratio_to_bare": round(page.rps / out[name]["bare_rps"], 2) if out[name]["bare_rps"] else None,
            })
            print(f"  {name:<18} {out[name]['uncached_rps']:>8} req/s  p95 {out[name]['uncached_p95_ms']:>6} ms   "
                  f"with the page cache off", file=sys.stderr)
    finally:
        uncached_server.stop()
    out["attendance_report"].update(without_database_work(env, history, tmp, duration, processes, threads,
                                                          out["attendance_report"]["bare_rps"]))
    return out


def signed_in_floor(port: int, headers: dict[str, str], pages: dict) -> dict:
    """The cheapest signed-in request the app answers: the home page's redirect (session read,
    user loaded and checked, a 302 with no page). Every signed-in page does this and more, so
    its rate over a page's bare twin is the best ratio that page could reach (its ceiling)."""
    floor = load.drive("127.0.0.1", port, "/", headers, expect=302)
    for figures in pages.values():
        figures["ceiling_ratio"] = round(floor.rps / figures["bare_rps"], 2) if figures["bare_rps"] else None
    print(f"  {'signed-in floor':<18} {floor.rps:>8.1f} req/s  p95 {floor.p95:>6.2f} ms   (GET / -> 302)",
          file=sys.stderr)
    return {"path": "/", "rps": round(floor.rps, 1), "p50_ms": round(floor.p50, 2), "p95_ms": round(floor.p95, 2),
            "errors": floor.errors}


def without_database_work(env: dict[str, str], history: History, tmp: Path, duration: float, processes: int,
                          threads: int, bare_rps: float) -> dict:
    """The attendance report from the page cache, served by bench/floor.py: the user from memory and
    a constant data version, so no statement per request. What it gains over the real app is the
    cost of the per-request checks (valid session, current data)."""
    email_address = history.logins["auditor"]
    server = Server("bench.floor:create_app()", {**env, "BENCH_FLOOR_EMAIL": email_address}, 2,
                    tmp / "gunicorn-floor.log")
    try:
        server.wait_ready("/login")
        page = load.drive("127.0.0.1", server.port, page_path(PAGES["attendance_report"][0], history),
                          sign_in(server.port, email_address), processes=processes, threads=threads,
                          duration=duration)
    finally:
        server.stop()
    print(f"  {'attendance_report':<18} {page.rps:>8.1f} req/s  p95 {page.p95:>6.2f} ms   "
          f"with no database work per request", file=sys.stderr)
    return {"no_db_rps": round(page.rps, 1), "no_db_p95_ms": round(page.p95, 2), "no_db_errors": page.errors,
            "no_db_ratio_to_bare": round(page.rps / bare_rps, 2) if bare_rps else None}


# --- the run --------------------------------------------------------------------------------

def run(args) -> dict:
    shape = Shape(years=args.years)
    with tempfile.TemporaryDirectory(prefix="governance-bench-") as tmp_name:
        tmp = Path(tmp_name)
        with scratch_database(args.database_url, tmp) as url:
            dialect = sa.engine.make_url(url).get_backend_name()
            print(f"bench: {dialect}, {shape.years} fiscal years of history", file=sys.stderr)
            app = make_app(url)
            results: dict = {"database": dialect, "schema": build_schema(app),
                             "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                         "platform": platform.platform()},
                             "history": {"fiscal_years": shape.years, "directors_in_office": shape.directors,
                                         "meetings_per_year": shape.meetings_per_year,
                                         "agenda_items_per_meeting": shape.items_per_meeting}}
            began = time.perf_counter()
            with app.app_context():
                history = generate(shape)
                results["history"]["rows"] = _row_counts()
            results["history"]["generate_s"] = round(time.perf_counter() - began, 1)
            print(f"  history generated in {results['history']['generate_s']} s", file=sys.stderr)
            _analyze(app)
            results["in_process"] = in_process(app, history, args.runs)
            results["page_queries"] = page_queries(app, history)
            results["delivery"] = delivery(app, args.emails)
            print(f"  {args.emails} emails delivered in {results['delivery']['seconds']} s", file=sys.stderr)
            results["planning"] = planning(app, history, max(5, args.runs // 5))
            with app.app_context():
                from governance.extensions import db
                db.engine.dispose()
            if not args.skip_web:
                results["web"] = web(url, history, tmp, args.duration, args.processes, args.threads)
                results["web"]["load"] = {"seconds_per_endpoint": args.duration,
                                          "clients": args.processes * args.threads,
                                          "gunicorn_workers": 2}
    results["targets"] = check_targets(results)
    return results


def _row_counts() -> dict:
    from governance.extensions import db
    from governance.models import AgendaItem, Attendance, AuditEntry, Director, Meeting, OutboxMessage

    return {model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Meeting, AgendaItem, Attendance, Director, OutboxMessage, AuditEntry)}


def _analyze(app) -> None:
    """PostgreSQL: fresh planner statistics, as autovacuum gives a live database after bulk loading.
    (SQLite is left as the app leaves it: nothing runs ANALYZE there.)"""
    from governance.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))


def check_targets(results: dict) -> dict:
    checks = {}
    evaluate = results["in_process"]["evaluate"]["median_ms"]
    if results["database"] == "sqlite":
        checks["evaluate under 20 ms (SQLite)"] = evaluate < TARGETS["evaluate_ms_sqlite"]
    delivery_result = results["delivery"]
    checks["1,000 emails in under 10 s, none twice"] = (
        delivery_result["seconds"] < TARGETS["delivery_s"] and delivery_result["delivered_twice"] == 0
        and delivery_result["received"] == delivery_result["emails"])
    web_result = results.get("web")
    if web_result:
        for name in ("dashboard", "attendance_report"):
            checks[f"{name}: at least half the bare page's throughput"] = (
                web_result[name]["ratio_to_bare"] >= TARGETS["ratio_to_bare"])
            checks[f"{name}: p95 under 50 ms"] = web_result[name]["p95_ms"] < TARGETS["p95_ms"]
            if "uncached_p95_ms" in web_result[name]:
                checks[f"{name}: p95 under 50 ms with the page cache off"] = (
                    web_result[name]["uncached_p95_ms"] < TARGETS["p95_ms"])
    return checks


def table(results: dict) -> str:
    lines = [f"database: {results['database']} (schema by {results['schema']}), "
             f"{results['machine']['cpus']} CPUs, Python {results['machine']['python']}",
             f"history: {results['history']['fiscal_years']} fiscal years, rows {results['history']['rows']}, "
             f"generated in {results['history']['generate_s']} s", ""]
    lines.append(f"{'in process (fresh session each run)':<40}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for name, figures in results["in_process"].items():
        lines.append(f"{name:<40}{figures['median_ms']:>10}{figures['p95_ms']:>10}{figures['queries']:>9}")
    lines += ["", f"{'page (SQL statements per request)':<40}{'status':>10}{'bytes':>10}{'queries':>9}"
                  f"{'again':>7}"]
    for name, figures in results["page_queries"].items():
        lines.append(f"{name:<40}{figures['status']:>10}{figures['bytes']:>10}{figures['queries']:>9}"
                     f"{figures['queries_cached']:>7}")
    web_result = results.get("web")
    if web_result:
        lines += ["", f"{'gunicorn, 2 workers':<28}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
                      f"{'bare req/s':>12}{'bare p95':>10}{'ratio':>7}{'ceiling':>9}"]
        for name in PAGES:
            f = web_result[name]
            lines.append(f"{name:<28}{f['rps']:>9}{f['p50_ms']:>9}{f['p95_ms']:>9}{f['bare_rps']:>12}"
                         f"{f['bare_p95_ms']:>10}{f['ratio_to_bare']:>7}{f.get('ceiling_ratio', ''):>9}")
        for name in CACHED_PAGES:
            f = web_result[name]
            if "uncached_rps" in f:
                lines.append(f"{name + ', cache off':<28}{f['uncached_rps']:>9}{f['uncached_p50_ms']:>9}"
                             f"{f['uncached_p95_ms']:>9}{f['bare_rps']:>12}{f['bare_p95_ms']:>10}"
                             f"{f['uncached_ratio_to_bare']:>7}")
        f = web_result["attendance_report"]
        if "no_db_rps" in f:
            lines.append(f"{'attendance_report, no DB':<28}{f['no_db_rps']:>9}{'':>9}{f['no_db_p95_ms']:>9}"
                         f"{f['bare_rps']:>12}{f['bare_p95_ms']:>10}{f['no_db_ratio_to_bare']:>7}")
        floor = web_result.get("signed_in_floor")
        if floor:
            lines.append(f"{'signed-in floor (GET / 302)':<28}{floor['rps']:>9}{floor['p50_ms']:>9}{floor['p95_ms']:>9}")
            lines.append("ceiling: the signed-in floor's rate over the page's bare twin, the best ratio any "
                         "signed-in page of that size can reach")
        lines.append(f"web worker peak RSS (MiB): {web_result['worker_peak_rss_mib']} "
                     f"(bare app's: {web_result['bare_worker_peak_rss_mib']})")
    d = results["delivery"]
    p = results["planning"]
    lines += ["", f"delivery: {d['emails']} emails in {d['seconds']} s ({d['per_second']}/s), received "
                  f"{d['received']}, distinct {d['distinct_received']}, delivered twice {d['delivered_twice']}",
              f"planning: first run {p['first_run_ms']} ms ({p['first_run_queued']} queued, "
              f"{p['first_run_queries']} queries); rerun median {p['rerun']['median_ms']} ms "
              f"({p['rerun']['queries']} queries)", ""]
    for check, ok in results["targets"].items():
        lines.append(f"  [{'met ' if ok else 'MISS'}] {check}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (postgresql+psycopg://user@host:port/db): a "
                        "scratch database is created on it and dropped afterwards; default: SQLite in a temp dir")
    parser.add_argument("--years", type=int, default=10, help="fiscal years of history (default 10)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load per endpoint (default 5)")
    parser.add_argument("--processes", type=int, default=2, help="load-driver processes (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="client threads per driver process (default 2)")
    parser.add_argument("--runs", type=int, default=50, help="in-process repetitions (default 50)")
    parser.add_argument("--emails", type=int, default=1000, help="emails to deliver (default 1000)")
    parser.add_argument("--skip-web", action="store_true", help="in-process and mail figures only")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    results = run(args)
    print(table(results))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0

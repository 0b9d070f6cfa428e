"""`python -m bench` runs end to end and produces every figure docs/benchmarks.md reports.

A short run (one fiscal year, a fraction of a second of load per endpoint): it proves the bench
still builds its history through the migrations, serves the pages under gunicorn, delivers mail
to its SMTP server and measures the signed-in floor and the page without database work. No
figure is compared with a target here: speed is the bench's business, not the tests'.
On SQLite, and on PostgreSQL when TEST_DATABASE_URL names one (a scratch database is made on
that server and dropped).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
EMAILS = 12


def test_a_short_bench_run_measures_every_page_and_sends_every_email_once(tmp_path):
    out = tmp_path / "bench.json"
    command = [sys.executable, "-m", "bench", "--years", "1", "--duration", "0.3", "--processes", "1",
               "--threads", "2", "--runs", "2", "--emails", str(EMAILS), "--json", str(out)]
    server = os.environ.get("TEST_DATABASE_URL", "")
    if server.startswith("postgresql"):
        command += ["--database-url", server]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert finished.returncode == 0, finished.stderr[-3000:]
    results = json.loads(out.read_text())

    assert results["database"] == ("postgresql" if server.startswith("postgresql") else "sqlite")
    assert results["schema"] == "migrations"  # the production schema, not create_all
    assert results["in_process"]["evaluate"]["queries"] > 0
    for name, page in results["page_queries"].items():
        assert page["status"] == 200, name
    web = results["web"]
    for name in ("dashboard", "attendance_report", "meeting_page", "api_indicators"):
        assert web[name]["rps"] > 0 and web[name]["errors"] == 0, name
        assert web[name]["bare_rps"] > 0 and web[name]["ceiling_ratio"] > 0, name
        # the bare twin is the page's size, within one rendered row of the bare template
        assert abs(web[name]["bare_bytes"] - web[name]["bytes"]) < 500, name
    for name in ("dashboard", "attendance_report"):
        assert web[name]["uncached_rps"] > 0 and web[name]["uncached_errors"] == 0, name
    assert web["attendance_report"]["no_db_rps"] > 0 and web["attendance_report"]["no_db_errors"] == 0
    assert web["signed_in_floor"]["rps"] > 0 and web["signed_in_floor"]["errors"] == 0
    delivery = results["delivery"]
    assert (delivery["emails"], delivery["received"], delivery["distinct_received"], delivery["delivered_twice"]) == \
        (EMAILS, EMAILS, EMAILS, 0)
    assert "ceiling" in finished.stdout and ("[met ]" in finished.stdout or "[MISS]" in finished.stdout)
    if server.startswith("postgresql"):
        _no_scratch_database_left(server)


def _no_scratch_database_left(server: str) -> None:
    engine = sa.create_engine(server, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            left = connection.execute(sa.text(
                "SELECT datname FROM pg_database WHERE datname LIKE 'governance_bench_%'")).scalars().all()
    finally:
        engine.dispose()
    assert left == []

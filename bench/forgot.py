"""How long "forgot password" takes to answer, for an address with an account and without.

``python -m bench.forgot`` prints the median and the 90th percentile of each, in process on
SQLite (a throwaway database). Issue #15 measured ~16 ms against ~11 ms when the known path
rendered and queued the mail; now both only record the ask, and the figures should agree
within the noise. tests/security/test_login_security.py asserts the same statements run.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from governance import create_app
from governance.extensions import db
from governance.models import Role
from governance.services import users

ROUNDS = 300


def measure(rounds: int = ROUNDS) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench-" + "x" * 32, "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(scratch) / 'forgot.sqlite'}",
                          "SERVER_NAME": "localhost", "RATELIMIT_ENABLED": False})
        with app.app_context():
            db.create_all()
            users.create_user("known@example.org", Role.SECRETARY, "a long password")
            db.session.commit()
            client = app.test_client()
            times: dict[str, list[float]] = {"known": [], "unknown": []}
            for n in range(rounds):  # interleaved, so a warm cache favours neither
                for name, email in (("known", "known@example.org"), ("unknown", f"nobody{n}@example.org")):
                    start = time.perf_counter()
                    answer = client.post("/password/forgot", data={"email": email})
                    times[name].append((time.perf_counter() - start) * 1000)
                    assert answer.status_code == 302, answer.status_code  # not refused by the rate limit
            db.engine.dispose()
    return times


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS
    for name, ms in measure(rounds).items():
        ms.sort()
        print(f"{name:8} median {statistics.median(ms):6.2f} ms   p90 {ms[int(len(ms) * 0.9)]:6.2f} ms   (n={len(ms)})")


if __name__ == "__main__":
    main()

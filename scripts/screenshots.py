"""Regenerate the screenshots of the main pages, in Thai, at 390 px (a phone) and 1280 px wide.

    make screenshots            # or: .venv/bin/python scripts/screenshots.py [--out DIR]

The app runs in this process on a throwaway SQLite database with the demo data (as the browser
tests' live server does), Debian's chromium (or CHROMIUM_PATH) is driven by Playwright, and the
pages are read as the demo secretary, except the director's own page (as the demo director) and
the sign-in page.  Each page is written to docs/screenshots/<name>-<width>.png, full length up to 3000 px.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage"]
WIDTHS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}
MAX_HEIGHT = 3000  # px: the top of a very long page (the audit log, a meeting's history) is enough
FY, AS_OF = 2563, "2020-06-30"  # the demo year, read as of the end of its third quarter


@contextmanager
def demo_server():
    """The app on a fresh SQLite file with the demo loaded, served on a free loopback port."""
    from werkzeug.serving import make_server

    from governance import create_app
    from governance.extensions import db
    from governance.services import demo

    with tempfile.TemporaryDirectory(prefix="governance-screenshots-") as tmp:
        os.environ["GOVERNANCE_INSTANCE_PATH"] = f"{tmp}/instance"  # no file of this checkout's instance/
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
        app = create_app({
            "SECRET_KEY": "screenshots-only-" + "x" * 40, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/demo.sqlite",
            "MAIL_SUPPRESS_SEND": True, "WTF_CSRF_ENABLED": True, "LOGIN_RATE_LIMIT": "1000 per minute",
        })
        with app.app_context():
            db.create_all()
            demo.load_demo()
            db.session.commit()
            ids = demo_ids()
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", ids
        finally:
            server.shutdown()
            thread.join(timeout=5)
            server.server_close()
            with app.app_context():
                db.engine.dispose()


def demo_ids() -> dict:
    """The ids the pages need: a held board meeting with a full agenda, and the planned one."""
    from governance.extensions import db
    from governance.models import Meeting

    def meeting(number):
        return db.session.query(Meeting).filter_by(number=number, title=f"การประชุมคณะกรรมการ ครั้งที่ {number}").one().id
    return {"held": meeting("5/2563"), "planned": meeting("10/2563")}


def pages(ids: dict) -> list[tuple[str, str, str | None]]:
    """(name, path, who) for each page shown; who is the demo account to read it as (None: signed out)."""
    return [
        ("login", "/login", None),
        ("dashboard", f"/dashboard?fy={FY}&as_of={AS_OF}", "secretary"),
        ("meetings", f"/meetings?fy={FY}", "secretary"),
        ("meeting", f"/meetings/{ids['held']}", "secretary"),
        ("attendance", f"/attendance?fy={FY}", "secretary"),
        ("action-items", "/action-items", "secretary"),
        ("budget", f"/budget/{FY}", "secretary"),
        ("self-assessment", f"/self-assessment/{FY}", "secretary"),
        ("director-home", "/me?as_of=2020-10-05", "director"),
        ("audit", "/audit", "secretary"),
    ]


def sign_in(page, base: str, who: str) -> None:
    from governance.services import demo

    page.goto(f"{base}/login")
    page.fill("input[name=email]", f"{who}@example.org")
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit].primary")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with demo_server() as (base, ids), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for width, viewport in WIDTHS.items():
                contexts = {}
                for name, path, who in pages(ids):
                    if who not in contexts:
                        context = browser.new_context(locale="th-TH", viewport=viewport)
                        page = context.new_page()
                        page.set_default_timeout(15_000)
                        if who:
                            sign_in(page, base, who)
                        contexts[who] = (context, page)
                    page = contexts[who][1]
                    response = page.goto(f"{base}{path}")
                    if response is None or response.status >= 400:
                        print(f"{path}: HTTP {response.status if response else '?'}", file=sys.stderr)
                        return 1
                    target = args.out / f"{name}-{width}.png"
                    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                    page.screenshot(path=str(target), full_page=True,
                                    clip={"x": 0, "y": 0, "width": viewport["width"], "height": height})
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                for context, _ in contexts.values():
                    context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Every setting the app reads from the environment is documented where operators look."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = [ROOT / "config.py", ROOT / "governance" / "__init__.py", *(ROOT / "deploy").glob("*.py"),
           *(ROOT / "governance" / "services").glob("*.py")]
DOCS = [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
_READ = re.compile(r"""(?:environ\.get|environ\[|_bool|_int|_seconds|getenv)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")


def settings_read() -> set[str]:
    return {name for path in READERS for name in _READ.findall(path.read_text(encoding="utf-8"))}


def test_the_settings_are_found_at_all():
    assert {"SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "MAIL_REPLY_TO"} <= settings_read()


def test_every_setting_read_is_documented():
    documented = "\n".join(path.read_text(encoding="utf-8") for path in DOCS)
    missing = sorted(name for name in settings_read() if f"`{name}`" not in documented and
                     not re.search(rf"`[^`\n]*\b{name}\b[^`\n]*`", documented))
    assert missing == [], f"document these settings in docs/deployment.md: {missing}"

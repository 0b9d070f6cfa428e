"""The app refuses to start with a public or short SECRET_KEY unless in debug mode or testing (#15).

SECRET_KEY signs sessions, calendar feeds, RSVP, unsubscribe and password-reset links: the
default in config.py is public, so outside development it would let anyone forge them.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config import DEFAULT_SECRET_KEY, MIN_SECRET_KEY_LENGTH
from governance import ConfigurationError, create_app

ROOT = Path(__file__).resolve().parents[1]
STRONG = secrets.token_urlsafe(48)


@pytest.fixture(autouse=True)
def _production_like(monkeypatch, tmp_path):
    """No FLASK_DEBUG, and an empty instance folder of the test's own (no instance/config.py)."""
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("GOVERNANCE_INSTANCE_PATH", str(tmp_path / "instance"))


def build(**config):
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", **config})


def test_the_default_key_is_refused_outside_debug_and_testing():
    with pytest.raises(ConfigurationError) as refused:
        build(SECRET_KEY=DEFAULT_SECRET_KEY)
    assert isinstance(refused.value, RuntimeError)
    message = str(refused.value)
    assert "SECRET_KEY" in message and "not set" in message
    # it says how to set one: a generated key in the environment, or the instance config file
    assert "export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" in message
    assert str(Path(os.environ["GOVERNANCE_INSTANCE_PATH"]) / "config.py") in message


@pytest.mark.parametrize("key", ["x" * (MIN_SECRET_KEY_LENGTH - 1), "Qk7-notlong", "", None, b"y" * 31])
def test_a_short_or_missing_key_is_refused(key):
    with pytest.raises(ConfigurationError, match="SECRET_KEY") as refused:
        build(SECRET_KEY=key)
    assert str(MIN_SECRET_KEY_LENGTH) in str(refused.value)
    if key:
        assert str(key) not in str(refused.value)  # the key itself is never echoed into a log


def test_the_deploy_example_placeholder_is_refused_though_long_enough():
    with pytest.raises(ConfigurationError, match="placeholder"):
        build(SECRET_KEY="change-me-to-a-long-random-value")


@pytest.mark.parametrize("key", [STRONG, "z" * MIN_SECRET_KEY_LENGTH, secrets.token_bytes(32)])
def test_a_strong_key_is_accepted(key):
    app = build(SECRET_KEY=key)
    assert not app.debug and not app.testing
    assert app.secret_key == key


def test_debug_mode_accepts_the_default_key(monkeypatch):
    assert build(SECRET_KEY=DEFAULT_SECRET_KEY, DEBUG=True).debug
    monkeypatch.setenv("FLASK_DEBUG", "1")  # what `flask --debug run` sets
    assert build(SECRET_KEY=DEFAULT_SECRET_KEY).debug


def test_testing_accepts_the_default_key():
    assert build(SECRET_KEY=DEFAULT_SECRET_KEY, TESTING=True).testing


def test_a_key_in_the_instance_config_file_is_used(tmp_path):
    instance = Path(os.environ["GOVERNANCE_INSTANCE_PATH"])
    instance.mkdir()
    (instance / "config.py").write_text(f"SECRET_KEY = {STRONG!r}\n")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).secret_key == STRONG


def _start(tmp_path, **env):
    """A fresh interpreter (config.py read anew from its environment) building the app."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FLASK_DEBUG", "PYTHONTRACEMALLOC"}}
    clean.update(GOVERNANCE_INSTANCE_PATH=str(tmp_path / "instance"), DATABASE_URL="sqlite://", **env)
    return subprocess.run([sys.executable, "-c", "from governance import create_app; create_app()"], cwd=ROOT,
                          env=clean, capture_output=True, text=True, timeout=120, check=False)


def test_a_process_without_secret_key_in_its_environment_does_not_start(tmp_path):
    refused = _start(tmp_path)
    assert refused.returncode != 0
    assert "ConfigurationError" in refused.stderr and "SECRET_KEY is not set" in refused.stderr
    assert _start(tmp_path, SECRET_KEY=STRONG).returncode == 0
    assert _start(tmp_path, FLASK_DEBUG="1").returncode == 0

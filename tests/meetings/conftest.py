import pytest


@pytest.fixture(autouse=True)
def _app_context(app):
    """Every test here works on the database through the services."""
    yield

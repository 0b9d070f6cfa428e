"""The layer rules, checked from the imports of every module.

1. fiscal, clock, indicators: pure (stdlib and each other only)
2. models: may add SQLAlchemy and the extensions
3. services: may add Flask helpers, never an adapter
4. web, api, cli, jobs: adapters; web and api do not import each other
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names)
PURE = ("governance.fiscal", "governance.clock", "governance.indicators")


def modules(*parts: str) -> list[Path]:
    base = ROOT.joinpath(*parts)
    return sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def is_within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


PURE_FILES = modules("governance", "fiscal") + modules("governance", "clock") + modules("governance", "indicators")


@pytest.mark.parametrize("path", PURE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_rules_and_calendar_are_pure(path):
    offending = {name for name in imports_of(path)
                 if name.split(".")[0] not in STDLIB and not is_within(name, PURE)}
    assert not offending, f"{path.name} imports {offending}"


@pytest.mark.parametrize("path", modules("governance", "models"), ids=lambda p: p.name)
def test_models_import_only_lower_layers(path):
    upper = ("governance.services", "governance.web", "governance.api", "governance.cli", "jobs", "flask")
    offending = {name for name in imports_of(path) if is_within(name, upper)}
    assert not offending, f"{path.name} imports {offending}"


@pytest.mark.parametrize("path", modules("governance", "services"), ids=lambda p: p.name)
def test_services_do_not_import_adapters(path):
    adapters = ("governance.web", "governance.api", "governance.cli", "jobs")
    offending = {name for name in imports_of(path) if is_within(name, adapters)}
    assert not offending, f"{path.name} imports {offending}"


@pytest.mark.parametrize(("package", "other"), [("web", "governance.api"), ("api", "governance.web")])
def test_web_and_api_stay_apart(package, other):
    for path in modules("governance", package):
        assert not any(is_within(name, (other,)) for name in imports_of(path)), path.name


def test_adapters_reach_the_database_through_services():
    """No view, CLI command or job opens a query or adds rows itself."""
    for path in modules("governance", "web") + modules("governance", "api") + modules("jobs") + [ROOT / "governance" / "cli.py"]:
        text = path.read_text(encoding="utf-8")
        for forbidden in ("db.session.add(", "db.session.execute(", "db.session.scalar", "sa.select(", ".query."):
            assert forbidden not in text, f"{path.relative_to(ROOT)} uses {forbidden}"

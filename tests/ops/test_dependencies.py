"""Every library the app imports is declared in pyproject.toml, not merely installed with another."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_top_levels() -> set[str]:
    names = set()
    for path in [*(ROOT / "governance").rglob("*.py"), *(ROOT / "jobs").rglob("*.py"), ROOT / "config.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"governance", "jobs", "config", "__future__"}


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
            for requirement in project["dependencies"]}


def test_every_import_is_a_declared_dependency():
    distributions = packages_distributions()
    undeclared = {}
    for module in sorted(imported_top_levels()):
        owners = {name.lower().replace("_", "-") for name in distributions.get(module, [module])}
        if not owners & declared():
            undeclared[module] = sorted(owners)
    assert undeclared == {}, f"declare these in pyproject.toml [project] dependencies: {undeclared}"

"""The wheel carries the pages, the static files and the migrations.

They live at the checkout's top level (``templates/``, ``static/``, ``migrations/``), outside the
``governance`` package, where package data cannot reach; the build copies them into
``governance/_bundled/`` and the app looks there when it runs from an installed wheel.  All
other metadata is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("templates", "static", "migrations")


class BuildWithAssets(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "governance" / "_bundled"
        for name in BUNDLED:
            shutil.copytree(ROOT / name, target / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithAssets})

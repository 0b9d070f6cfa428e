"""KPI fixtures: FY2563's set loaded, and a helper to record an update."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from governance.extensions import db
from governance.services import kpis


@pytest.fixture
def fy2563(app):
    kpis.load_fiscal_year(2563)
    db.session.commit()
    return 2563


@pytest.fixture
def record(fy2563):
    def do(number, day, level=None, evidence="หลักฐาน", **figures):
        progress = kpis.record_progress(2563, number, kpis.ProgressInput(
            reached_on=day, level=level, figures={k: Decimal(v) for k, v in figures.items()}, evidence=evidence),
            today=date(2020, 9, 30))
        db.session.commit()
        return progress
    return do

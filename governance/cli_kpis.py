"""`flask --app governance kpis load --fy 2563`: load a fiscal year's KPIs 1-9 from governance/data."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from governance.extensions import db
from governance.services import kpis
from governance.services.errors import ServiceError

kpis_cli = AppGroup("kpis", help="The organisation's KPIs 1-9 (OPDC components 1-4).")


@kpis_cli.command("load")
@click.option("--fy", "fiscal_year", type=int, required=True, help="Buddhist-Era fiscal year, e.g. 2563.")
def load(fiscal_year: int) -> None:
    """Load (or update) the year's KPIs from governance/data/kpis-fy<FY>.json; progress is kept."""
    try:
        report = kpis.load_fiscal_year(fiscal_year)
    except (ServiceError, ValueError) as error:
        db.session.rollback()
        raise click.ClickException(str(getattr(error, "message", error))) from None
    db.session.commit()
    click.echo(f"KPIs of fiscal year {fiscal_year}: {len(report.created)} created, {len(report.updated)} updated, "
               f"{len(report.unchanged)} unchanged.")


def register(app: Flask) -> None:
    app.cli.add_command(kpis_cli)

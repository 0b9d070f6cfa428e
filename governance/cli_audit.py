"""`flask --app governance audit verify`: check the audit trail's hash chain."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from governance.extensions import db
from governance.services import audit

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def verify() -> None:
    """Walk the chain from the first entry; exit 1 naming the first broken entry."""
    report = audit.verify_chain()
    db.session.rollback()  # read only
    if not report.ok:
        raise click.ClickException(f"Audit chain broken at entry {report.broken_id}: {report.reason}. "
                                   f"{report.entries} entries before it are intact.")
    click.echo(f"OK: {report.entries} audit entries, chain intact (head {report.head_hash}).")


def register(app: Flask) -> None:
    app.cli.add_command(audit_cli)

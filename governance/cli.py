"""`flask --app governance ...` commands: thin adapters over the services."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from governance.extensions import db
from governance.models import Role
from governance.services import users
from governance.services.errors import ServiceError

users_cli = AppGroup("users", help="Manage sign-in accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--locale", type=click.Choice(["th", "en"]), default="th", show_default=True)
def create_user(email: str, role: str, password: str, locale: str) -> None:
    """Create an account that can sign in to the web UI and the API."""
    try:
        user = users.create_user(email, role, password, locale=locale)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(_describe(error)) from None
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}).")


def _describe(error: ServiceError) -> str:
    if error.fields:
        return "; ".join(f"{field}: {message}" for field, message in error.fields.items())
    return str(error.message)


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)

"""`flask --app governance ...` commands: thin adapters over the services."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from governance.extensions import db
from governance.models import Role
from governance.services import demo, users
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


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has directors.")
def load_demo(if_empty: bool) -> None:
    """Load a realistic FY2563 board (directors, meetings, attendance, reports, budget)."""
    if not demo.database_is_empty():
        if if_empty:
            click.echo("The database already has data; demo data not loaded.")
            return
        raise click.ClickException("The database already has data; load the demo into an empty one.")
    logins = demo.load_demo()
    db.session.commit()
    click.echo("Demo board for fiscal year 2563 loaded. Demo sign-ins:")
    for login in logins:
        click.echo(f"  {login.role:<10} {login.email:<24} password: {login.password}")


def _describe(error: ServiceError) -> str:
    if error.fields:
        return "; ".join(f"{field}: {message}" for field, message in error.fields.items())
    return str(error.message)


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(load_demo)

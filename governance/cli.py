"""`flask --app governance ...` commands: thin adapters over the services."""

from __future__ import annotations

import json
from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from governance import cli_audit, cli_kpis, cli_ops, clock, fiscal
from governance.extensions import db
from governance.models import Role
from governance.services import accounts, delivery, demo, fiscal_years, outbox, reminders, users
from governance.services.errors import ServiceError
from jobs import scheduler

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


def _account_command(name: str, help_: str):
    """``flask users NAME EMAIL``: one change to one account, committed, or the reason it was refused."""

    def register_(change):
        def command(email: str, **options) -> None:
            try:
                user = accounts.find_by_email(accounts.OPERATOR, email)
                done = change(user, **options)
            except ServiceError as error:
                db.session.rollback()
                raise click.ClickException(_describe(error)) from None
            db.session.commit()
            click.echo(done)

        command.__click_params__ = list(getattr(change, "__click_params__", []))  # the change's own options
        return users_cli.command(name, help=help_)(click.argument("email")(command))

    return register_


@users_cli.command("invite")
@click.argument("email", required=False)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.DIRECTOR.value, show_default=True)
@click.option("--director", "director_id", type=int, help="Link to this roster entry (its email is the default).")
@click.option("--locale", type=click.Choice(["th", "en"]), default="th", show_default=True)
def invite_user(email: str | None, role: str, director_id: int | None, locale: str) -> None:
    """Open an account and email a link to choose its password (through the outbox)."""
    try:
        user = accounts.invite(accounts.OPERATOR, clock.now(), role=role, email=email, director_id=director_id,
                               locale=locale)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(_describe(error)) from None
    db.session.commit()
    click.echo(f"Invited {user.email} ({user.role.value}); the invitation is in the outbox.")


@_account_command("link", "Link the account to a director on the roster.")
@click.option("--director", "director_id", type=int, required=True)
def link_user(user, director_id: int) -> str:
    accounts.link(accounts.OPERATOR, user, director_id)
    return f"Linked {user.email} to director {director_id}."


@_account_command("unlink", "Unlink the account from its director.")
def unlink_user(user) -> str:
    accounts.unlink(accounts.OPERATOR, user)
    return f"Unlinked {user.email}."


@_account_command("role", "Change the account's role.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
def change_role(user, role: str) -> str:
    accounts.change_role(accounts.OPERATOR, user, role)
    return f"{user.email} is now {role}."


@_account_command("disable", "Disable the account: its sessions, API tokens and calendar feed end.")
def disable_user(user) -> str:
    accounts.disable(accounts.OPERATOR, user, clock.now())
    return f"Disabled {user.email}."


@_account_command("enable", "Enable a disabled account.")
def enable_user(user) -> str:
    accounts.enable(accounts.OPERATOR, user)
    return f"Enabled {user.email}."


@_account_command("unlock", "Lift a sign-in lock-out.")
def unlock_user(user) -> str:
    accounts.unlock(accounts.OPERATOR, user)
    return f"Unlocked {user.email}."


@_account_command("keep-open", "Keep a director's account open after their term ends (or --no, stop).")
@click.option("--yes/--no", "keep", default=True)
def keep_open_user(user, keep: bool) -> str:
    accounts.keep_open(accounts.OPERATOR, user, keep)
    return f"{user.email} {'stays open' if keep else 'closes'} after the term."


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has directors.")
def load_demo(if_empty: bool) -> None:
    """Load a realistic FY2563 board (directors, meetings, attendance, reports, budget)."""
    if not demo.database_is_empty():
        if if_empty:
            click.echo("The database already has data; demo data not loaded.")
            _print_logins(demo.working_logins())
            return
        raise click.ClickException("The database already has data; load the demo into an empty one.")
    logins = demo.load_demo()
    db.session.commit()
    click.echo("Demo board for fiscal year 2563 loaded.")
    _print_logins(logins)


def _print_logins(logins) -> None:
    if logins:
        click.echo("Demo sign-ins:")
    for login in logins:
        click.echo(f"  {login.role:<10} {login.email:<24} password: {login.password}")


@click.command("evaluate")
@click.option("--fy", "fiscal_year", type=int, help="Buddhist-Era fiscal year, e.g. 2563 (default: the current one).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Evaluate as of this date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON as the API answers it.")
def evaluate(fiscal_year: int | None, as_of, as_json: bool) -> None:
    """Evaluate indicators 10-18 for a fiscal year, with their status and value."""
    day: date = as_of.date() if as_of else clock.today()
    fiscal_year = fiscal_year or fiscal.fiscal_year_of(day)
    try:
        results = fiscal_years.evaluate_fiscal_year(fiscal_year, day)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        body = {"fiscal_year": fiscal_year, "as_of": day.isoformat(), "indicators": [r.to_dict() for r in results]}
        click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    click.echo(f"Fiscal year {fiscal_year} as of {day.isoformat()}")
    click.echo(f"{'#':>3}  {'status':<9} {'value':>9}  {'target':>7}  deadline")
    for result in results:
        row = result.to_dict()
        value = "-" if row["value"] is None else row["value"]
        click.echo(f"{row['number']:>3}  {row['status']:<9} {value!s:>9}  {row['target']!s:>7}  {row['deadline'] or ''}")


reminders_cli = AppGroup("reminders", help="Reminder emails.")
jobs_cli = AppGroup("jobs", help="The scheduler process.")


@reminders_cli.command("send")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Plan the reminders due as of this date (default: today).")
@click.option("--limit", default=500, show_default=True, help="Send at most this many emails.")
def send_reminders(as_of, limit: int) -> None:
    """Queue the reminders due (as the daily job does), then deliver what is due, once."""
    day: date = as_of.date() if as_of else clock.today()
    plan = reminders.queue_due(day, clock.now())
    db.session.commit()  # queued for good before any of it is sent
    click.echo(f"Reminders due as of {day.isoformat()}: {len(plan.queued)} queued, "
               f"{plan.already_queued} queued before, {plan.opted_out} unsubscribed.")
    for reminder in plan.queued:
        click.echo(f"  queued  {reminder.kind:<20} {reminder.recipient.email}  {reminder.subject_ref} {reminder.mark}")
    delivery_report = delivery.deliver_due(clock.now(), day, limit=limit)
    if delivery_report.mail_disabled:
        click.echo("No mail server configured (MAIL_SERVER): the emails wait in the outbox and the mail log.")
        return
    for message in delivery_report.sent:
        click.echo(f"  sent    {message.recipient}: {message.subject}")
    for message in delivery_report.failed:
        click.echo(f"  failed  {message.recipient}: {message.subject} ({message.status.value}: {message.last_error})")
    for message in delivery_report.withdrawn:
        click.echo(f"  withdrawn {message.recipient}: {message.subject} ({message.last_error})")
    click.echo(f"Sent {len(delivery_report.sent)}, failed {len(delivery_report.failed)}, "
               f"withdrawn {len(delivery_report.withdrawn)}.")
    waiting = outbox.waiting(clock.now())
    if waiting.count:
        # After an outage the retries wait out their back-off: say so, rather than seem to do nothing.
        click.echo(f"{waiting.count} more wait for a retry after an earlier failure; the first is due at "
                   f"{waiting.next_at.astimezone(clock.BANGKOK).strftime('%Y-%m-%d %H:%M')} "
                   f"(the mail log's Retry sends one now).")


@jobs_cli.command("run")
def run_jobs() -> None:
    """Run the scheduler until stopped (one such process per deployment, beside the web app)."""
    # The jobs report what they did through logging; the app's handler writes it to stderr
    # (governance/logs.py), in the web's format.
    click.echo("Scheduler running (reminders daily at 07:00, outbox every minute, website URLs daily "
               "at 06:00, Asia/Bangkok). Stop with Ctrl-C.")
    if not scheduler.run(current_app._get_current_object()):
        raise SystemExit("Scheduler stopped: its lock was lost (see the log).")
    click.echo("Scheduler stopped.")


def _describe(error: ServiceError) -> str:
    if error.fields:
        return "; ".join(f"{field}: {message}" for field, message in error.fields.items())
    return str(error.message)


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
    cli_ops.register(app)
    cli_audit.register(app)
    cli_kpis.register(app)
    app.cli.add_command(load_demo)
    app.cli.add_command(evaluate)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(jobs_cli)

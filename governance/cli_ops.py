"""Operations commands: `flask --app governance backup PATH`, `restore PATH` and
`documents verify` (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from governance.services import backups, documents
from governance.services.errors import ServiceError


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup(path: Path) -> None:
    """Copy the whole database to PATH, consistently, while the app keeps running.

    SQLite: the online backup API (a SQLite file). PostgreSQL: pg_dump --format=custom.
    An existing PATH is replaced only once the new backup is complete.
    """
    try:
        outcome = backups.backup(path)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    rows = "" if outcome.rows is None else f", {outcome.rows} rows"
    click.echo(f"Backed up {outcome.database} to {outcome.path} with {outcome.method}: "
               f"{outcome.tables} tables{rows}, {outcome.size} bytes.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds records.")
def restore(path: Path, force: bool) -> None:
    """Replace the database with the backup at PATH (made by `backup`).

    Refused when the database already holds records, unless --force. Stop the app (and the
    scheduler) first when using --force on a live database.
    """
    try:
        outcome = backups.restore(path, force=force)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Restored {outcome.path} into {outcome.database} with {outcome.method}: "
               f"{outcome.tables} tables, {outcome.rows} rows.")


@click.group("documents")
def documents_group() -> None:
    """The document store (uploaded minutes, papers and evidence)."""


@documents_group.command("verify")
def verify_documents() -> None:
    """Check that every document's file is in the store, unchanged since upload (SHA-256).

    Exits 1 and names each missing or changed file: restore those from the backup of the
    document store.
    """
    problems = list(documents.verify())
    for problem in problems:
        click.echo(f"document {problem.document_id} ({problem.filename}): {problem.problem}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"OK: every document's file is present and unchanged (store: {documents.store_root()}).")


def register(app: Flask) -> None:
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(documents_group)

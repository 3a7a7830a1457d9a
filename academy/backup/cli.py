"""``academy backup DEST`` and ``academy restore SRC``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from academy.backup import operations


@click.command("backup")
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(destination: Path) -> None:
    """Back up the database and the files folder into the new folder DESTINATION."""
    try:
        summary = operations.backup(destination)
    except operations.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Backed up the {summary.backend} database (revision {summary.revision}) and "
        f"{summary.files} files to {summary.path}."
    )


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that holds data.")
@with_appcontext
def restore_command(source: Path, replace: bool) -> None:
    """Restore the backup folder SOURCE into the configured database and files folder."""
    try:
        summary = operations.restore(source, replace=replace)
    except operations.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Restored the {summary.backend} database (revision {summary.revision}) and "
        f"{summary.files} files from {summary.path}. Run `academy db upgrade` if this "
        "code is newer than the backup."
    )


commands = [backup_command, restore_command]

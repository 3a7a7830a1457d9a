"""``academy credentials``: verify a credential file, rotate an association's key."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from academy.auth.models import Organisation
from academy.credentials import operations
from academy.credentials.verification import (
    FetchFailed,
    VerificationFailed,
    http_fetch,
    verify_credential,
)
from academy.db import db
from academy.errors import OperationError


@click.group("credentials", cls=AppGroup, help="Signed certificates (Open Badges 3.0).")
def credentials_group() -> None:
    pass


def _local_fetch(url: str) -> bytes:
    """This installation's own published document at ``url``'s path (no network)."""
    client = current_app.test_client()
    response = client.get(urlsplit(url).path)
    if response.status_code != 200:
        raise FetchFailed(f"{url}: HTTP {response.status_code}")
    return response.get_data()


@credentials_group.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--offline",
    is_flag=True,
    help="Check against this installation's database instead of fetching the issuer's "
    "keys and status list from the site named in the credential.",
)
def verify_command(file: Path, offline: bool) -> None:
    """Check FILE's signature, issuer key, dates and status: exit 0 valid, 1 otherwise."""
    try:
        token = file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"invalid: cannot read {file}: {error}", err=True)
        raise SystemExit(1) from error
    try:
        verified = verify_credential(token, _local_fetch if offline else http_fetch)
    except VerificationFailed as error:
        click.echo(f"invalid: {error}", err=True)
        raise SystemExit(1) from error
    credential = verified.credential
    click.echo(
        f"valid: {credential.get('name', '')} ({credential.get('id', '')}), key {verified.kid}"
    )


@credentials_group.command("rotate-key")
@click.argument("association")
def rotate_key_command(association: str) -> None:
    """Give ASSOCIATION (its slug) a new signing key; old keys stay published."""
    with db.unit_of_work():
        organisation = db.session.scalar(
            sa.select(Organisation).where(Organisation.slug == association)
        )
        if organisation is None:
            raise click.ClickException(f"no organisation {association!r}")
        try:
            key = operations.rotate_issuer_key(organisation)
        except OperationError as error:
            raise click.ClickException(str(error.message)) from error
        click.echo(f"new signing key {key.kid}")


commands = [credentials_group]

"""``academy notifications send-digests``: the daily e-mail digest (run it from a scheduler)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from academy.db import db


@click.group("notifications", cls=AppGroup, help="In-app and e-mail notifications.")
def notifications_group() -> None:
    pass


@notifications_group.command("send-digests")
def send_digests_command() -> None:
    """E-mail each digest reader everything not yet e-mailed to them."""
    from academy.notifications import operations

    with db.unit_of_work():
        sent = operations.send_digests()
    click.echo(f"Digests sent: {sent}.")


commands = [notifications_group]

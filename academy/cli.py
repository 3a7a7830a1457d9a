"""The ``academy`` command: a FlaskGroup, so every Flask command works as well."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from academy.auth.models import OrganisationKind, Role
from academy.db import db
from academy.errors import OperationError


def _fail(error: OperationError) -> click.ClickException:
    field = f" ({error.field})" if error.field else ""
    return click.ClickException(f"{error.message}{field}")


def register_commands(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(user_group)
    app.cli.add_command(org_group)
    app.cli.add_command(prune_login_attempts_command)
    # A domain package may add commands: ``academy/<domain>/cli.py`` with a list ``commands``.
    import importlib

    from academy import PACKAGE_DIR, domain_packages

    for domain in domain_packages():
        if (PACKAGE_DIR / domain / "cli.py").exists():
            for command in importlib.import_module(f"academy.{domain}.cli").commands:
                app.cli.add_command(command)


@click.group("db", cls=AppGroup, help="Create and migrate the database schema.")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@click.argument("revision", default="heads")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: every head, the newest schema)."""
    from academy import migrate

    with db.engine.begin() as connection:
        migrate.upgrade(connection, revision)
    click.echo(f"Database migrated to {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ("base" removes every table)."""
    from academy import migrate

    with db.engine.begin() as connection:
        migrate.downgrade(connection, revision)
    click.echo(f"Database migrated to {revision}.")


@db_group.command("current")
def db_current() -> None:
    """Print the revisions the database is at (one per migration branch)."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        # Domains keep their own migration branches, so a database has several heads.
        heads = MigrationContext.configure(connection).get_current_heads()
    click.echo(", ".join(sorted(heads)) or "empty database (no revision)")


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    from alembic import command

    from academy import migrate

    with db.engine.begin() as connection:
        command.revision(migrate.alembic_config(connection), message=message, autogenerate=True)


@click.command("seed-demo")
@click.option("--seed", default=2019, show_default=True, help="Seed for the fictional data.")
@with_appcontext
def seed_demo_command(seed: int) -> None:
    """Create the demo organisations, people and logins (safe to run again)."""
    from academy.seed import seed_demo

    with db.unit_of_work():
        summary = seed_demo(seed)
    click.echo(
        f"Demo data ready (seed {seed}): {summary.organisations} organisations, "
        f"{summary.users} users ({summary.created} new). Password for every demo login: "
        "demo-password"
    )


@click.group("user", cls=AppGroup, help="Manage user accounts.")
def user_group() -> None:
    pass


@user_group.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--site-admin", is_flag=True, help="Make the user a site administrator.")
@click.option("--org", "org_slug", help="Short name of an organisation to join.")
@click.option("--role", type=click.Choice([role.value for role in Role]), help="Role in --org.")
def user_create(
    email: str,
    display_name: str,
    password: str,
    site_admin: bool,
    org_slug: str | None,
    role: str | None,
) -> None:
    """Create a user account, optionally with a role in an organisation."""
    from academy.auth import operations, queries

    if bool(org_slug) != bool(role):
        raise click.UsageError("--org and --role go together")
    try:
        with db.unit_of_work():
            organisation = None
            if org_slug:
                organisation = queries.get_organisation_by_slug(org_slug)
                if organisation is None:
                    raise OperationError(
                        f"no organisation with short name {org_slug!r}",
                        "org",
                        code="unknown_organisation",
                    )
            user = operations.create_user(email, display_name, password, is_site_admin=site_admin)
            if organisation is not None and role:
                operations.add_membership(user, organisation, role)
    except OperationError as error:
        raise _fail(error) from None
    click.echo(f"Created user {user.email}.")


@click.group("org", cls=AppGroup, help="Manage organisations.")
def org_group() -> None:
    pass


@org_group.command("create")
@click.option("--name", required=True)
@click.option("--slug", required=True, help="Short name used in addresses.")
@click.option("--kind", required=True, type=click.Choice([kind.value for kind in OrganisationKind]))
@click.option("--description", default="")
@click.option("--time-zone", default=None, help="IANA zone its members see times in.")
def org_create(name: str, slug: str, kind: str, description: str, time_zone: str | None) -> None:
    """Create an organisation (a school, an enterprise or an association)."""
    from academy.auth import operations

    try:
        with db.unit_of_work():
            organisation = operations.create_organisation(
                name, kind, slug, description, time_zone=time_zone
            )
    except OperationError as error:
        raise _fail(error) from None
    click.echo(f"Created organisation {organisation.slug}.")


@click.command("prune-login-attempts")
@click.option("--days", default=30, show_default=True, type=click.IntRange(min=1))
@with_appcontext
def prune_login_attempts_command(days: int) -> None:
    """Delete login attempts older than DAYS (run it daily from cron)."""
    from datetime import timedelta

    from academy.auth import operations

    with db.unit_of_work():
        removed = operations.prune_login_attempts(timedelta(days=days))
    click.echo(f"Removed {removed} login attempts older than {days} days.")


def _create_app(*_args: object, **_kwargs: object) -> Flask:
    from academy import create_app
    from academy.config import ConfigurationError

    try:
        return create_app()
    except ConfigurationError as error:  # one line, not a traceback
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(2) from None


cli = FlaskGroup(create_app=_create_app, help="Silk Road Academy operations.")


def main() -> None:
    cli.main(prog_name="academy")

"""``academy standards validate | import`` and ``academy certification close-expired``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from academy.db import db
from academy.errors import OperationError


@click.group("standards", cls=AppGroup, help="Validate and import talent standard files.")
def standards_group() -> None:
    pass


def _read(path: str, courses: str | None):
    from academy.certification.standards.file import read_standard

    return read_standard(Path(path), courses)


@standards_group.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--courses",
    type=click.Path(exists=True, file_okay=False),
    help="Folder of the course packages.",
)
def validate_command(paths: tuple[str, ...], courses: str | None) -> None:
    """Check standard folders (or their standard.toml); every problem is listed."""
    failed = False
    for path in paths:
        file = _read(path, courses)
        if file.problems:
            failed = True
            for problem in file.problems:
                click.echo(f"{path}: {problem}", err=True)
        else:
            data = file.data
            click.echo(f"{path}: ok ({len(data['levels'])} levels, {len(data['units'])} units)")
    if failed:
        raise click.ClickException("the standard files have problems (listed above)")


@standards_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--org", "org_slug", required=True, help="Short name of the association.")
@click.option(
    "--courses",
    type=click.Path(exists=True, file_okay=False),
    help="Folder of the course packages.",
)
def import_command(paths: tuple[str, ...], org_slug: str, courses: str | None) -> None:
    """Import standards into an association: a new version when a file changed."""
    from academy.auth.queries import get_organisation_by_slug
    from academy.certification.standards.operations import import_standard

    with db.unit_of_work():
        organisation = get_organisation_by_slug(org_slug)
        if organisation is None:
            raise click.ClickException(f"no organisation {org_slug!r}")
        for path in paths:
            file = _read(path, courses)
            if file.problems:
                raise click.ClickException(f"{path}: {file.problems[0]} (nothing imported)")
            try:
                done = import_standard(organisation, file)
            except OperationError as error:
                raise click.ClickException(f"{path}: {error.message} (nothing imported)") from None
            state = "imported as version" if done.is_new_version else "unchanged at version"
            click.echo(
                f"{done.standard.code}: {state} {done.standard.version}; {done.questions} questions in its bank"
            )


@click.group("certification", cls=AppGroup, help="Run certification sittings.")
def certification_group() -> None:
    pass


@certification_group.command("close-expired")
def close_expired_command() -> None:
    """Hand in every exam whose deadline has passed (theory, practical, written parts)."""
    import sqlalchemy as sa

    from academy.certification.models import Sitting
    from academy.certification.sittings.delivery import close_expired

    with db.unit_of_work():
        total = sum(close_expired(sitting) for sitting in db.session.scalars(sa.select(Sitting)))
    click.echo(f"{total} exams handed in.")


commands = [standards_group, certification_group]

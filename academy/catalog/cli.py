"""``academy courses validate | import | export``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from academy.db import db
from academy.errors import OperationError


def _load_extensions() -> None:
    # Domains that own parts of a package register their extension when imported.
    import academy.models  # noqa: F401


@click.group("courses", cls=AppGroup, help="Validate, import and export course packages.")
def courses_group() -> None:
    pass


@courses_group.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Report every problem in the packages at PATHS (exit status 1 if any)."""
    from academy.catalog.packages.reader import read_package

    _load_extensions()
    total = 0
    for path in paths:
        package, problems = read_package(path)
        for problem in problems:
            click.echo(str(problem))
        total += len(problems)
        if not problems and package is not None:
            lessons = len(package.lessons())
            click.echo(f"{path}: valid ({len(package.modules)} modules, {lessons} lessons)")
    if total:
        raise click.ClickException(f"{total} problem(s) found")


@courses_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_command(paths: tuple[Path, ...]) -> None:
    """Create or update courses from the packages at PATHS; nothing is imported if any
    package has a problem."""
    from academy.catalog.packages.importer import import_package
    from academy.catalog.packages.reader import read_package

    _load_extensions()
    packages = []
    problems = []
    for path in paths:
        package, found = read_package(path)
        problems.extend(found)
        packages.append(package)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(problems)} problem(s) found; nothing was imported")
    with db.unit_of_work():
        results = [import_package(package) for package in packages if package is not None]
    for result in results:
        if result.created:
            status = "created"
        elif result.changed:
            status = f"updated ({len(result.changed)} changes)"
        else:
            status = "unchanged"
        click.echo(f"{result.course.slug}: {status}")
        for lesson in result.kept:
            click.echo(f"  kept lesson {lesson!r}, which the package no longer has")


@courses_group.command("export")
@click.argument("slug")
@click.argument("destination", type=click.Path(path_type=Path))
def export_command(slug: str, destination: Path) -> None:
    """Write the course SLUG as a package folder inside DESTINATION."""
    from academy.catalog import queries
    from academy.catalog.packages.exporter import export_course

    _load_extensions()
    course = queries.get_course_by_slug(slug)
    if course is None:
        raise click.ClickException(f"no course with short name {slug!r}")
    try:
        root = export_course(course, destination)
    except OperationError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Exported {slug} to {root}")


commands = [courses_group]

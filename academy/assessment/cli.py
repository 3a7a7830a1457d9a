"""``academy assessment …``: import and export question banks."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from academy.db import db
from academy.errors import OperationError


@click.group("assessment", cls=AppGroup, help="Question banks, quizzes and marking.")
def assessment_group() -> None:
    pass


@assessment_group.command("import-bank")
@click.argument("org_slug")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--bank", "bank_slug", help="Short name of the bank (default: the organisation's).")
@click.option("--name", help="Name of the bank when it is created.")
def import_bank(org_slug: str, files: tuple[Path, ...], bank_slug: str | None, name: str | None):
    """Import question FILES into a bank of the organisation ORG_SLUG.

    Every problem in every file is listed, and then nothing is imported.
    """
    from academy.assessment import operations
    from academy.auth import queries

    try:
        with db.unit_of_work():
            organisation = queries.get_organisation_by_slug(org_slug)
            if organisation is None:
                raise OperationError(
                    f"no organisation with short name {org_slug!r}", code="unknown_organisation"
                )
            slug = bank_slug or org_slug
            bank = operations.get_or_create_bank(organisation, slug, name or organisation.name)
            summary = operations.import_question_files(bank, files, None)
    except operations.BankImportError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{len(error.problems)} problem(s) found; nothing was imported"
        ) from None
    except OperationError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Bank {org_slug}/{slug}: {summary}.")


@assessment_group.command("export-bank")
@click.argument("org_slug")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--bank", "bank_slug", help="Short name of the bank (default: the organisation's).")
def export_bank(org_slug: str, output: Path, bank_slug: str | None):
    """Write a bank of ORG_SLUG to the question file OUTPUT ("-" for standard output)."""
    import sqlalchemy as sa

    from academy.assessment import operations
    from academy.assessment.models import QuestionBank
    from academy.auth.models import Organisation

    bank = db.session.scalar(
        sa.select(QuestionBank)
        .join(Organisation)
        .where(Organisation.slug == org_slug, QuestionBank.slug == (bank_slug or org_slug))
    )
    if bank is None:
        raise click.ClickException(f"no bank {bank_slug or org_slug!r} in {org_slug!r}")
    text = operations.export_bank_text(bank)
    if str(output) == "-":
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {len(bank.questions)} questions to {output}.")


@assessment_group.command("close-expired")
def close_expired() -> None:
    """Submit every attempt whose deadline has passed, with its saved answers.

    Attempts are also closed when anyone next looks at them; run this from cron (every
    minute or so) so that marks and lesson outcomes do not wait for that.
    """
    from academy.assessment.attempts import close_expired_attempts

    with db.unit_of_work():
        closed = close_expired_attempts()
    click.echo(f"Submitted {closed} attempt(s) past their deadline.")


commands = [assessment_group]

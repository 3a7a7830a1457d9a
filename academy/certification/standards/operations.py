"""Importing a standard file: a new version when it changed, and its question bank.

``import_standard`` is what ``academy standards import`` and the association's upload
page call. The units' question files (course question files, see ``standards/README.md``)
go into the association's bank named after the standard, with each question's topic set
to its unit's code and its key prefixed with it, so a blueprint draws by unit and
difficulty. Only questions marked automatically go in: judged evidence is the
blueprint's judged parts, marked twice blind.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.assessment.models import QuestionBank
from academy.assessment.operations import get_or_create_bank, save_question
from academy.assessment.questionfile import parse_question_files
from academy.assessment.questions import question_type
from academy.auth.models import Organisation, OrganisationKind, User
from academy.certification.standards.file import StandardFile
from academy.certification.standards.models import Standard, StandardLevel, StandardUnit
from academy.db import db
from academy.errors import OperationError

logger = logging.getLogger("academy.certification")


@dataclass(frozen=True)
class StandardImport:
    standard: Standard
    is_new_version: bool
    questions: int


def latest_standard(organisation: Organisation, code: str) -> Standard | None:
    return db.session.scalar(
        sa.select(Standard)
        .where(Standard.organisation_id == organisation.id, Standard.code == code)
        .order_by(Standard.version.desc())
        .limit(1)
    )


def _add_version(organisation: Organisation, file: StandardFile, version: int) -> Standard:
    data = file.data
    standard = Standard(
        organisation=organisation,
        code=data["code"],
        version=version,
        title=data["title"],
        title_zh=data["title_zh"],
        description=data.get("description", "").strip(),
        description_zh=data.get("description_zh", "").strip(),
        digest=file.digest,
    )
    for position, level in enumerate(data["levels"], start=1):
        standard.levels.append(
            StandardLevel(
                code=level["code"],
                position=position,
                name=level["name"],
                name_zh=level["name_zh"],
                description=level.get("description", ""),
                description_zh=level.get("description_zh", ""),
                pass_percent=level["pass_percent"],
                unit_pass_percent=level["unit_pass_percent"],
            )
        )
    for position, unit in enumerate(data["units"], start=1):
        standard.units.append(
            StandardUnit(
                code=unit["code"],
                position=position,
                title=unit["title"],
                title_zh=unit["title_zh"],
                description=unit.get("description", "").strip(),
                description_zh=unit.get("description_zh", "").strip(),
                weights=dict(unit["weights"]),
                evidence=list(unit["evidence"]),
                lessons=list(unit.get("lessons", [])),
                rubric=list(unit.get("rubric", [])),
            )
        )
    db.session.add(standard)
    db.session.flush()
    return standard


def standard_bank(organisation: Organisation, code: str) -> QuestionBank:
    return get_or_create_bank(organisation, code, code.replace("-", " ").capitalize())


def _import_questions(organisation: Organisation, file: StandardFile, actor: User | None) -> int:
    bank = standard_bank(organisation, file.data["code"])
    count = 0
    for unit in file.data["units"]:
        specs, problems = parse_question_files(file.question_paths(unit))
        if problems:
            raise OperationError(
                _l(
                    "A question file of unit %(unit)s has problems: %(problem)s",
                    unit=unit["code"],
                    problem=problems[0].message,
                ),
                code="standard_questions_invalid",
            )
        for spec in specs:
            if question_type(spec["type"]).is_manual:
                continue
            save_question(
                bank,
                {**spec, "id": f"{unit['code'].lower()}-{spec['id']}", "topic": unit["code"]},
                actor,
            )
            count += 1
    return count


def import_standard(
    organisation: Organisation, file: StandardFile, actor: User | None = None
) -> StandardImport:
    """Import a checked standard file into an association.

    A file whose content matches the newest version adds nothing; a changed file adds
    version n + 1 and leaves every older version (and the exams built on it) alone.

    Raises:
        OperationError: The file has problems, or the organisation is not an association.
    """
    if organisation.kind != OrganisationKind.ASSOCIATION:
        raise OperationError(
            _l("Only an industry association can publish a talent standard."),
            field="organisation",
            code="not_an_association",
        )
    if file.problems:
        raise OperationError(
            _l("The standard file has problems: %(problem)s", problem=file.problems[0]),
            code="standard_invalid",
        )
    latest = latest_standard(organisation, file.data["code"])
    questions = _import_questions(organisation, file, actor)
    if latest is not None and latest.digest == file.digest:
        return StandardImport(latest, False, questions)
    standard = _add_version(organisation, file, (latest.version + 1) if latest else 1)
    logger.info(
        "standard %s v%s imported into %s by %s",
        standard.code,
        standard.version,
        organisation.slug,
        actor.email if actor else "the command line",
    )
    return StandardImport(standard, True, questions)

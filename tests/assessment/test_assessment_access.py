"""Role × route access matrix of the assessment domain (see tests/access.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.assessment import operations
from academy.assessment.models import Question
from academy.auth.models import Role
from academy.db import db
from tests.access import (
    ALL,
    ANON,
    EXAMINER,
    MENTOR,
    NO_ROLE,
    ORG_ADMIN,
    SITE_ADMIN,
    STUDENT,
    TEACHER,
    Route,
    check_access,
    route,
)
from tests.conftest import login_as

SAMPLE = Path(__file__).with_name("sample_questions.toml")
BANK_STAFF = {TEACHER, EXAMINER, ORG_ADMIN, SITE_ADMIN}
BANK_READERS = BANK_STAFF | {MENTOR}

EXPECTED: dict[str, Route] = {
    "assessment.list_banks": route("GET", "/assessment/banks", BANK_READERS),
    "assessment.show_bank": route("GET", "/assessment/banks/{bank}", BANK_READERS),
    "assessment.export_bank": route("GET", "/assessment/banks/{bank}/export", BANK_READERS),
    "assessment.import_questions": route("GET", "/assessment/banks/{bank}/import", BANK_STAFF),
    "assessment.show_question": route("GET", "/assessment/questions/{question}", BANK_READERS),
    "assessment.edit_question": route("GET", "/assessment/questions/{question}/edit", BANK_STAFF),
}


@pytest.fixture
def world(app, create_organisation, create_user):
    organisation = create_organisation()
    users = {ANON: None, NO_ROLE: create_user(), SITE_ADMIN: create_user(is_site_admin=True)}
    for name, role in [
        (STUDENT, Role.STUDENT),
        (TEACHER, Role.TEACHER),
        (MENTOR, Role.MENTOR),
        (EXAMINER, Role.EXAMINER),
        (ORG_ADMIN, Role.ORG_ADMIN),
    ]:
        users[name] = create_user(roles=[role], organisation=organisation)
    with app.app_context(), db.unit_of_work():
        bank = operations.get_or_create_bank(db.session.merge(organisation), "b", "Bank")
        operations.import_question_files(bank, [SAMPLE], None)
        question_id = db.session.scalar(sa.select(Question.id).where(Question.bank_id == bank.id))
        values = {"bank": bank.id, "question": question_id}
    return users, values


CASES = [(endpoint, who) for endpoint in sorted(EXPECTED) for who in sorted(ALL)]


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_access(app, world, no_csrf, endpoint, who):
    users, values = world
    client = app.test_client()
    if users[who] is not None:
        login_as(client, users[who])
    check_access(client, EXPECTED[endpoint], values, endpoint, who)

"""Races on PostgreSQL: two second marks at once, 200 starts at once, check-in against start.

Each thread has its own application context, session and connection, as requests on
several web workers would. SQLite is skipped: it serialises every write transaction.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from academy import migrate
from academy.assessment.models import Attempt
from academy.auth import operations as auth_operations
from academy.auth.models import OrganisationKind, Role
from academy.certification.marking.models import JudgedResponse, Mark, MarkDecision
from academy.certification.marking.operations import submit_blind_mark
from academy.certification.models import Candidate, CandidateStatus
from academy.certification.programmes.operations import create_programme, publish_programme
from academy.certification.sittings import delivery
from academy.certification.sittings.registration import create_sitting, register_candidate
from academy.certification.standards.file import read_standard
from academy.certification.standards.operations import import_standard, standard_bank
from academy.db import db, utcnow
from academy.errors import OperationError
from tests.certification.conftest import THEORY, write_standard
from tests.conftest import (
    DEFAULT_PASSWORD,
    TEST_DATABASE_URL_VARIABLE,
    fresh_database_url,
    is_postgresql,
    make_test_app,
)

pytestmark = pytest.mark.skipif(
    not is_postgresql(os.environ.get(TEST_DATABASE_URL_VARIABLE) or "sqlite://"),
    reason="needs PostgreSQL (set ACADEMY_TEST_DATABASE_URL); SQLite serialises all writes",
)

CANDIDATES = 200
WORKERS = 20


@pytest.fixture(scope="module")
def race_app(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory, "certification_races")
    app = make_test_app(url)
    with app.app_context(), db.engine.begin() as connection:
        migrate.upgrade(connection)
    yield app, tmp_path_factory.mktemp("standard")
    with app.app_context():
        db.engine.dispose()


def _world(app, root, tag: str, candidates: int, check_in: bool) -> dict[str, Any]:
    """A committed sitting that started a minute ago with ``candidates`` registered."""
    with app.app_context(), db.unit_of_work():

        def person(name: str):
            return auth_operations.create_user(
                email=f"{name}-{tag}@example.test", display_name=name, password=DEFAULT_PASSWORD
            )

        association = auth_operations.create_organisation(
            f"Race {tag}", OrganisationKind.ASSOCIATION, f"race-{tag}"
        )
        staff = {
            name: person(name) for name in ("examiner1", "examiner2", "examiner3", "invigilator")
        }
        for name, user in staff.items():
            role = Role.INVIGILATOR if name == "invigilator" else Role.EXAMINER
            auth_operations.add_membership(user, association, role)
        folder = write_standard(root / tag, f"race-{tag}")
        standard = import_standard(
            association, read_standard(folder, root / tag / "courses")
        ).standard
        programme = create_programme(
            association,
            standard,
            standard.level("intermediate"),
            "Race",
            bank_id=standard_bank(association, standard.code).id,
            theory_rules=THEORY,
            judged_parts=[
                {
                    "key": "letter",
                    "unit": "U2",
                    "title": "Letter",
                    "prompt": "Write.",
                    "max_marks": 10,
                }
            ],
            tolerance=2,
        )
        publish_programme(programme)
        now = utcnow()
        sitting = create_sitting(
            programme,
            title="Race",
            starts_dt=now - timedelta(minutes=1),
            ends_dt=now + timedelta(hours=2),
            seats=candidates,
        )
        ids = []
        for number in range(candidates):
            candidate = register_candidate(
                sitting, person(f"candidate{number}"), None, now=now - timedelta(days=1)
            )
            if check_in:
                delivery.check_in(candidate, staff["invigilator"], str(number), True)
            ids.append(candidate.id)
        return {
            "sitting": sitting.id,
            "candidates": ids,
            "staff": {k: v.id for k, v in staff.items()},
        }


def _race(app, jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run every job at once (a barrier), each in its own unit of work; return outcomes."""
    barrier = threading.Barrier(min(len(jobs), WORKERS))

    def run(job: Callable[[], Any]) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=60)
        try:
            with app.app_context(), db.unit_of_work():
                return job()
        except OperationError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run, jobs))


def test_two_markers_submitting_the_same_second_mark_at_once_record_one(race_app):
    app, root = race_app
    world = _world(app, root, "marks", 1, check_in=True)
    with app.app_context(), db.unit_of_work():
        candidate = db.session.get(Candidate, world["candidates"][0])
        delivery.start_exam(candidate)
        response = db.session.scalar(
            sa.select(JudgedResponse).where(JudgedResponse.candidate_id == candidate.id)
        )
        submit_blind_mark(
            response, db.session.get(auth_operations.User, world["staff"]["examiner1"]), 6
        )
        response_id = response.id

    def second(marker_key: str, marks: int) -> Callable[[], Any]:
        def job() -> Any:
            response = db.session.get(JudgedResponse, response_id)
            marker = db.session.get(auth_operations.User, world["staff"][marker_key])
            return submit_blind_mark(response, marker, marks).round

        return job

    outcomes = _race(app, [second("examiner2", 7), second("examiner3", 5)])
    assert sorted(outcomes, key=str) == [2, "round_taken"]
    with app.app_context():
        marks = db.session.scalars(sa.select(Mark).where(Mark.response_id == response_id)).all()
        decisions = db.session.scalars(
            sa.select(MarkDecision).where(MarkDecision.response_id == response_id)
        ).all()
        assert sorted(mark.round for mark in marks) == [1, 2]
        assert len(decisions) == 1


def test_two_hundred_candidates_starting_at_once_each_get_one_attempt(race_app):
    app, root = race_app
    world = _world(app, root, "starts", CANDIDATES, check_in=True)
    ids = world["candidates"]

    def start(candidate_id: int) -> Callable[[], Any]:
        def job() -> Any:
            return delivery.start_exam(db.session.get(Candidate, candidate_id)).attempt_id

        return job

    # every candidate starts once, and the first twenty press "Start" twice
    outcomes = _race(app, [start(i) for i in ids] + [start(i) for i in ids[:20]])
    assert all(isinstance(outcome, int) for outcome in outcomes), set(outcomes)
    with app.app_context():
        attempts = db.session.scalars(
            sa.select(Attempt)
            .join(Candidate, Candidate.attempt_id == Attempt.id)
            .where(Candidate.sitting_id == world["sitting"])
        ).all()
        assert len(attempts) == CANDIDATES
        assert {len(attempt.items) for attempt in attempts} == {4}
        statuses = db.session.scalars(
            sa.select(Candidate.status).where(Candidate.sitting_id == world["sitting"])
        ).all()
        assert set(statuses) == {CandidateStatus.SITTING}
        per_user = db.session.execute(
            sa.select(Attempt.user_id, sa.func.count())
            .where(Attempt.quiz_id == attempts[0].quiz_id)
            .group_by(Attempt.user_id)
        ).all()
        assert {count for _user, count in per_user} == {1}


def test_a_check_in_racing_a_start_never_lets_an_unchecked_candidate_sit(race_app):
    app, root = race_app
    world = _world(app, root, "checkin", 30, check_in=False)

    def check_in(candidate_id: int) -> Callable[[], Any]:
        def job() -> Any:
            invigilator = db.session.get(auth_operations.User, world["staff"]["invigilator"])
            delivery.check_in(db.session.get(Candidate, candidate_id), invigilator, "S", True)
            return "checked_in"

        return job

    def start(candidate_id: int) -> Callable[[], Any]:
        def job() -> Any:
            delivery.start_exam(db.session.get(Candidate, candidate_id))
            return "started"

        return job

    jobs = []
    for candidate_id in world["candidates"]:
        jobs += [check_in(candidate_id), start(candidate_id)]
    outcomes = _race(app, jobs)
    assert outcomes.count("checked_in") == 30
    assert set(outcomes) <= {"checked_in", "started", "not_checked_in"}
    with app.app_context():
        rows = db.session.execute(
            sa.select(Candidate.status, Candidate.checked_in_dt, Candidate.attempt_id).where(
                Candidate.sitting_id == world["sitting"]
            )
        ).all()
        for status, checked_in_dt, attempt_id in rows:
            assert checked_in_dt is not None
            assert (status == CandidateStatus.SITTING) == (attempt_id is not None)
        assert sum(1 for row in rows if row[0] == CandidateStatus.SITTING) == outcomes.count(
            "started"
        )

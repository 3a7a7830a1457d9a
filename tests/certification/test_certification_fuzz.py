"""Fuzzing the certification POST routes (issue 10): standards, programmes, sittings, exams.

Each route is posted in its access-matrix world (``test_certification_access.py``: a
published programme, a sitting with a registered candidate, a judged response and an
appeal) by a user its route and object rules let in: the association's admin for its
standards, programmes and sittings, its examiner for marking, a site admin for appeals,
the candidate for the exam, the school's teacher for registering pupils. Junk from
``tests/fuzzing.py``: never a 500, every view reached past its access checks, nothing
stored with a NUL byte.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from academy.certification.marking.models import JudgedResponse
from academy.certification.marking.operations import submit_blind_mark
from academy.certification.models import Sitting
from academy.certification.results.operations import release_results
from academy.certification.sittings import delivery
from academy.db import db, utcnow
from tests.certification.test_certification_access import (  # noqa: F401 (the fixture)
    EXPECTED,
    OBJECT_ALLOWED,
    world,
)
from tests.fuzzing import fuzz_matrix

FUZZED_ENDPOINTS = frozenset(EXPECTED)


def sitting_candidate(app, make_cert_world, released: bool) -> dict:
    """A candidate in the middle of their exam, or one whose marked result is released.

    The matrix's candidate has not been checked in, so the exam's written part and the
    result page (with its appeal form) answer 404 to them, rightly. Returns the
    candidate, an examiner of the association, the sitting and the written response.
    """
    cert = make_cert_world(students=1, practical=False)
    with app.app_context(), db.unit_of_work():
        sitting = db.session.get(Sitting, cert.sitting_id)
        candidate = sitting.candidates[0]
        delivery.check_in(candidate, db.session.merge(cert.users["invigilator"]), "A1", True)
        delivery.start_exam(candidate)
        responses = db.session.scalars(
            sa.select(JudgedResponse).where(JudgedResponse.candidate_id == candidate.id)
        ).all()
        if released:
            delivery.finish_exam(candidate)
            sitting.ends_dt = utcnow() - timedelta(seconds=1)
            for response in responses:
                for examiner in ("examiner", "examiner2"):
                    submit_blind_mark(response, db.session.merge(cert.users[examiner]), 5)
            release_results(sitting)
        return {
            "candidate": cert.students[0],
            "examiner": cert.users["examiner"],
            "sitting": cert.sitting_id,
            "response": responses[0].id,
        }


def test_no_certification_post_route_answers_500_to_junk(
    app,
    world,  # noqa: F811
    make_cert_world,
    no_csrf,
):
    users, values = world
    exam = sitting_candidate(app, make_cert_world, released=False)
    result = sitting_candidate(app, make_cert_world, released=True)
    with app.app_context(), db.unit_of_work():
        # The matrix puts a written answer on a candidate who has not started, which no
        # path of the app makes (starting creates it); the fuzz checks them in and starts.
        db.session.delete(db.session.get(JudgedResponse, values["response"]))
    users = {
        **users,
        "exam taker": exam["candidate"],
        "exam marker": exam["examiner"],
        "result taker": result["candidate"],
    }
    fuzz_matrix(
        app,
        EXPECTED,
        (users, values),
        who={
            **OBJECT_ALLOWED,
            "certification.mark_response": "exam marker",
            "certification.answer_part": "exam taker",
            "certification.my_result": "result taker",
        },
        values_for={
            "certification.mark_response": {"response": exam["response"]},
            "certification.answer_part": {"sitting": exam["sitting"]},
            "certification.my_result": {"sitting": result["sitting"]},
        },
    )

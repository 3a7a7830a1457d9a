"""Role × route access matrix of the certification domain (see tests/access.py).

The association's org admin, examiner and the school's teacher and student (a registered
candidate) are the world's people. Route rules let the roles in; object rules keep each
to their own association, school or candidacy (``OBJECT_ALLOWED``). Chief examiners and
invigilators, roles the shared matrix does not list, have their own tests below.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.auth.models import Organisation, Role
from academy.certification.marking.models import Appeal, JudgedResponse
from academy.certification.models import Sitting
from academy.db import db
from tests.access import (
    ALL,
    EXAMINER,
    LOGGED_IN,
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

ADMINS = {ORG_ADMIN, SITE_ADMIN}
MARKERS = {EXAMINER, SITE_ADMIN}
P = "/certification"

EXPECTED: dict[str, Route] = {
    "certification.home": route("GET", P + "/", LOGGED_IN),
    "certification.import_standard_file": route("GET", P + "/standards", ADMINS),
    "certification.show_standard": route("GET", P + "/standards/{standard}", ADMINS),
    "certification.new_programme": route("GET", P + "/standards/{standard}/programmes/new", ADMINS),
    "certification.show_programme": route("GET", P + "/programmes/{programme}", ADMINS),
    "certification.publish": route("POST", P + "/programmes/{programme}/publish", ADMINS),
    "certification.new_sitting": route("GET", P + "/programmes/{programme}/sittings/new", ADMINS),
    "certification.manage_sitting": route("GET", P + "/sittings/{sitting}", ADMINS),
    "certification.change_sitting_seats": route("POST", P + "/sittings/{sitting}/seats", ADMINS),
    "certification.register": route("POST", P + "/sittings/{sitting}/candidates", ADMINS),
    "certification.upload_candidates": route(
        "POST", P + "/sittings/{sitting}/candidates/upload", ADMINS
    ),
    "certification.set_extra_time": route(
        "POST", P + "/candidates/{candidate}/accommodation", ADMINS
    ),
    "certification.release": route("POST", P + "/sittings/{sitting}/release", ADMINS),
    "certification.export_results": route("GET", P + "/sittings/{sitting}/results.csv", ADMINS),
    "certification.invigilate": route("GET", P + "/sittings/{sitting}/invigilate", ADMINS),
    "certification.check_in_candidate": route(
        "POST", P + "/candidates/{candidate}/check-in", ADMINS
    ),
    "certification.add_incident": route("POST", P + "/sittings/{sitting}/incidents", ADMINS),
    "certification.marking_queue": route("GET", P + "/sittings/{sitting}/marking", MARKERS),
    "certification.mark_response": route("GET", P + "/responses/{response}/mark", MARKERS),
    "certification.moderation": route("GET", P + "/sittings/{sitting}/moderation", ADMINS),
    "certification.decide": route("POST", P + "/appeals/{appeal}/decide", {SITE_ADMIN}),
    "certification.register_self": route("POST", P + "/sittings/{sitting}/register", LOGGED_IN),
    "certification.exam": route("GET", P + "/sittings/{sitting}/exam", LOGGED_IN),
    "certification.start": route("POST", P + "/sittings/{sitting}/exam/start", LOGGED_IN),
    "certification.answer_part": route(
        "GET", P + "/sittings/{sitting}/exam/parts/offer-letter", LOGGED_IN
    ),
    "certification.advance": route("POST", P + "/sittings/{sitting}/exam/advance", LOGGED_IN),
    "certification.finish": route("POST", P + "/sittings/{sitting}/exam/finish", LOGGED_IN),
    "certification.my_result": route("GET", P + "/sittings/{sitting}/result", LOGGED_IN),
    "certification.school_candidates": route(
        "GET", P + "/school", {TEACHER, ORG_ADMIN, SITE_ADMIN}
    ),
    "certification.register_student": route(
        "POST", P + "/sittings/{sitting}/school-candidates", {TEACHER, ORG_ADMIN, SITE_ADMIN}
    ),
}

CANDIDATE_ONLY = {STUDENT}
#: Who passes the object rules in this world (the route rule alone is not enough).
OBJECT_ALLOWED: dict[str, set[str]] = {
    "certification.exam": CANDIDATE_ONLY,
    "certification.start": CANDIDATE_ONLY,
    "certification.answer_part": CANDIDATE_ONLY,
    "certification.advance": CANDIDATE_ONLY,
    "certification.finish": CANDIDATE_ONLY,
    "certification.my_result": CANDIDATE_ONLY,
    "certification.school_candidates": {TEACHER},
    "certification.register_student": {TEACHER},
}


@pytest.fixture
def world(app, make_cert_world, create_user):
    cert = make_cert_world(students=1, practical=False)
    users = {
        "anonymous": None,
        NO_ROLE: create_user(),
        SITE_ADMIN: create_user(is_site_admin=True),
        STUDENT: cert.students[0],
        TEACHER: cert.users["teacher"],
        EXAMINER: cert.users["examiner"],
        ORG_ADMIN: cert.users["admin"],
    }
    with app.app_context():
        school = db.session.get(Organisation, cert.school_id)
    users[MENTOR] = create_user(roles=[Role.MENTOR], organisation=school)
    with app.app_context(), db.unit_of_work():
        sitting = db.session.get(Sitting, cert.sitting_id)
        candidate = sitting.candidates[0]
        response = JudgedResponse(
            candidate_id=candidate.id,
            part_key="offer-letter",
            unit_code="U2",
            max_marks=10,
            text="",
        )
        db.session.add(response)
        db.session.flush()
        appeal = Appeal(candidate_id=candidate.id, reason="test")
        db.session.add(appeal)
        db.session.flush()
        values = {
            "standard": cert.standard_id,
            "programme": cert.programme_id,
            "sitting": cert.sitting_id,
            "candidate": candidate.id,
            "response": response.id,
            "appeal": appeal.id,
        }
    return users, values


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_access(app, world, no_csrf, endpoint):
    # Every kind of user against one world per route: building the world is the slow part.
    users, values = world
    spec = EXPECTED[endpoint]
    for who in sorted(ALL):
        client = app.test_client()
        if users[who] is not None:
            login_as(client, users[who])
        if (
            who in spec.allowed
            and endpoint in OBJECT_ALLOWED
            and who not in OBJECT_ALLOWED[endpoint]
        ):
            response = client.open(spec.path.format(**values), method=spec.method)
            assert response.status_code == 403, f"{who} passed the object rule of {endpoint}"
            continue
        check_access(client, spec, values, endpoint, who)


def test_invigilators_and_chief_examiners_reach_their_pages_only(app, world, make_cert_world):
    cert = make_cert_world(students=1, practical=False)
    with app.app_context():
        sitting_id = cert.sitting_id
        response_id = db.session.scalar(sa.select(JudgedResponse.id).limit(1))
    invigilator = app.test_client()
    login_as(invigilator, cert.users["invigilator"])
    assert invigilator.get(f"{P}/sittings/{sitting_id}/invigilate").status_code == 200
    assert invigilator.get(f"{P}/sittings/{sitting_id}/marking").status_code == 403
    assert invigilator.get(f"{P}/sittings/{sitting_id}").status_code == 403
    chief = app.test_client()
    login_as(chief, cert.users["chief"])
    assert chief.get(f"{P}/sittings/{sitting_id}/moderation").status_code == 200
    assert chief.get(f"{P}/sittings/{sitting_id}/marking").status_code == 200
    assert chief.get(f"{P}/sittings/{sitting_id}/invigilate").status_code == 403
    # another association's examiner sees nothing of this one
    other = make_cert_world(students=0, practical=False)
    stranger = app.test_client()
    login_as(stranger, other.users["examiner"])
    assert stranger.get(f"{P}/sittings/{sitting_id}/marking").status_code == 403
    assert response_id is not None

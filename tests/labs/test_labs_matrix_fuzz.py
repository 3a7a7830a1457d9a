"""Fuzzing every labs POST route (issue 10) in the worlds of the labs access matrices.

The teacher's market controls (``test_labs_teacher_access.py`` and its clock and shock
siblings) are posted by the class's teacher; a student's firm pages (quotes, contracts,
insurance, inquiries, disputes, the lab clock and checks) by the student whose firm it
is. Junk from ``tests/fuzzing.py``: never a 500, every view reached past its access
checks, nothing stored with a NUL byte. (``test_labs_fuzz.py`` fuzzes a sample of the
same routes with the labs' own field names.)
"""

from __future__ import annotations

from tests.conftest import login_as
from tests.fuzzing import fuzz_matrix
from tests.labs import (
    test_labs_clock_access,
    test_labs_desk_access,
    test_labs_lab_access,
    test_labs_shock_access,
    test_labs_student_access,
    test_labs_teacher_access,
)
from tests.labs.test_labs_desk import disputed, played  # noqa: F401 (fixtures)
from tests.labs.test_labs_desk_access import world as desk_world  # noqa: F401
from tests.labs.test_labs_lab_access import world as lab_world  # noqa: F401
from tests.labs.test_labs_student_access import world as student_world  # noqa: F401
from tests.labs.test_labs_teacher_access import world as teacher_world  # noqa: F401

TEACHER_ROUTES = {
    **test_labs_teacher_access.EXPECTED,
    **test_labs_clock_access.EXPECTED,
    **test_labs_shock_access.EXPECTED,
}
FUZZED_ENDPOINTS = frozenset(
    {
        *TEACHER_ROUTES,
        *test_labs_desk_access.EXPECTED,
        *test_labs_lab_access.EXPECTED,
        *test_labs_student_access.EXPECTED,
    }
)


def test_no_class_market_control_answers_500_to_junk(app, teacher_world, no_csrf):  # noqa: F811
    fuzz_matrix(app, TEACHER_ROUTES, teacher_world, examples=25)


def test_no_firm_desk_or_contract_route_answers_500_to_junk(
    app,
    desk_world,  # noqa: F811
    student_world,  # noqa: F811
    disputed,  # noqa: F811
    no_csrf,
):
    # The matrices' markets hold no contract or dispute yet: those two routes are posted
    # by the student who runs a played firm with an open dispute (test_labs_desk.py).
    client = app.test_client()
    login_as(client, disputed["student"])
    firm = f"/sandbox/markets/{disputed['market']}/firm"
    fuzz_matrix(
        app,
        test_labs_desk_access.EXPECTED,
        desk_world,
        examples=10,
        override={
            "labs.resolve_dispute": (client, f"{firm}/disputes/{disputed['dispute']}/resolve")
        },
    )
    contract = disputed["contract"]["contract_id"]
    override = {"labs.show_contract": (client, f"{firm}/contracts/{contract}")}
    # Letters are written about an RFQ the firm quoted that is still open.
    quoted = open_quoted_rfq(app, disputed["market"])
    if quoted is not None:
        override["labs.negotiate_rfq"] = (client, f"{firm}/rfqs/{quoted}/negotiate")
    fuzz_matrix(
        app, test_labs_student_access.EXPECTED, student_world, examples=20, override=override
    )


def open_quoted_rfq(app, market_id: int) -> str | None:
    from academy.db import db
    from academy.labs import markets
    from academy.labs.models import SandboxMarket
    from tests.labs.test_labs_desk import FIRM

    with app.app_context():
        engine = markets.open_market(db.session.get(SandboxMarket, market_id))
        view = engine.firm_view(FIRM)
        rfqs = engine.state.rfqs
        return next(
            (q["rfq_id"] for q in view["quotes"] if rfqs[q["rfq_id"]]["status"] == "open"), None
        )


def test_no_lab_lesson_route_answers_500_to_junk(app, lab_world, no_csrf):  # noqa: F811
    fuzz_matrix(app, test_labs_lab_access.EXPECTED, lab_world, examples=15)

"""Fuzzing the labs, invitation, membership and admin POST routes (issue 10): never a 500.

The sibling of ``tests/assessment/test_fuzz_forms.py`` for the routes a quiz world
cannot address: a student's firm pages (quotes, FX forwards, disputes, the clock), a
teacher's market controls, an organisation's invitations and memberships, the site
admin's account and organisation pages, and accepting an invitation. Each route is
posted by the user it is meant for, with the fields its forms use holding hypothesis
text, non-finite and huge numbers, NUL bytes and long strings, JSON of the wrong types
and bodies that are not UTF-8. Nothing may answer 500, and nothing with a NUL byte or
a direction override may be stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.auth import operations
from academy.auth.models import Invitation, Organisation, Role, User
from academy.auth.tokens import sign_token
from academy.db import db
from academy.labs import markets
from academy.labs.models import SandboxMarket
from tests.assessment.test_fuzz_forms import ODD, addressable_routes, json_bodies, raw_bodies
from tests.conftest import login_as

FIELDS = [
    "unit_price",
    "incoterm",
    "payment",
    "lane_id",
    "lead_days",
    "message",
    "amount",
    "days",
    "refund_rate",
    "margin",
    "firm_id",
    "idempotency_key",
    "insurance_amount",
    "tick_minutes",
    "percent",
    "delay_days",
    "duration_days",
    "seed",
    "buyers",
    "bot_count",
    "team_size",
    "email",
    "role",
    "organisation",
    "display_name",
    "password",
    "confirm",
    "name",
    "slug",
    "kind",
    "description",
    "time_zone",
    "is_active",
    "is_site_admin",
    "is_enabled",
    "code",
]
values = st.one_of(st.sampled_from(ODD), st.text(max_size=50))
forms = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)

STUDENT_PREFIX = "/sandbox/markets/"
STAFF_PREFIXES = ("/sandbox/teach/markets/", "/organisations/", "/admin/")


def _world(app, act, create_user, create_organisation, make_market, add_student_firm):
    organisation = create_organisation()
    admin = create_user(is_site_admin=True, roles=[Role.ORG_ADMIN], organisation=organisation)
    member = create_user(roles=[Role.TEACHER], organisation=organisation)
    target = create_user()
    student = create_user(roles=[Role.STUDENT])
    market = make_market(buyers=40)
    add_student_firm(market, user=student)
    act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 3))
    rfqs = act(
        lambda: markets.open_market(db.session.get(SandboxMarket, market.id)).firm_view("F001")[
            "open_rfqs"
        ]
    )
    with app.test_request_context(), db.unit_of_work():
        invitation = operations.invite_member(
            db.session.get(Organisation, organisation.id),
            "invitee@example.test",
            Role.MENTOR,
            db.session.get(User, admin.id),
        )
        token = sign_token("invitation", invitation.token_id)
        ids = {
            "market_id": market.id,
            "rfq_id": rfqs[0]["rfq_id"] if rfqs else "R0001",
            "inquiry_id": "I0001",
            "buyer_id": rfqs[0].get("buyer_id", "B0001") if rfqs else "B0001",
            "contract_id": "C0001",
            "dispute_id": "D0001",
            "firm_id": "F001",
            "slug": organisation.slug,
            "invitation_id": invitation.id,
            "membership_id": member.memberships[0].id,
            "user_id": target.id,
            "organisation_id": organisation.id,
            "token": token,
        }
    return {"admin": admin, "student": student, "ids": ids}


def test_no_labs_org_or_admin_post_route_answers_500_to_junk(
    app, act, create_user, create_organisation, make_market, add_student_firm, monkeypatch, read
):
    world = _world(app, act, create_user, create_organisation, make_market, add_student_firm)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    paths = [
        path
        for path in addressable_routes(app, world["ids"])
        if path.startswith((STUDENT_PREFIX, *STAFF_PREFIXES, "/invitations/"))
    ]
    assert len(paths) >= 20, paths
    clients = {"student": app.test_client(), "staff": app.test_client(), "anonymous": None}
    login_as(clients["student"], world["student"])
    login_as(clients["staff"], world["admin"])
    clients["anonymous"] = app.test_client()

    def client_for(path: str):
        if path.startswith("/invitations/"):
            return clients["anonymous"]
        if path.startswith(STAFF_PREFIXES):
            return clients["staff"]
        return clients["student"]

    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        path=st.sampled_from(paths),
        form=forms,
        body=json_bodies,
        raw=raw_bodies,
        kind=st.sampled_from(["form", "form", "json", "raw"]),
    )
    def post_junk(path, form, body, raw, kind):
        client = client_for(path)
        if kind == "form":
            response = client.post(path, data=form)
        elif kind == "json":
            response = client.post(path, json=body, headers={"Accept": "application/json"})
        else:
            response = client.post(path, data=raw, content_type="application/x-www-form-urlencoded")
        assert response.status_code != 500, (path, kind, form, body, raw)

    post_junk()

    def stored_text() -> list[str]:
        return [
            *db.session.scalars(sa.select(Organisation.name)),
            *db.session.scalars(sa.select(Organisation.description)),
            *db.session.scalars(sa.select(Invitation.email)),
            *db.session.scalars(sa.select(User.display_name)),
        ]

    assert not [text for text in read(stored_text) if "\x00" in text or "\u202e" in text]

"""Shared machinery of the fuzz tests (issue 10): junk in, never a 500, nothing stored.

Each fuzz module (``tests/**/test_*fuzz*.py``) names the endpoints it covers in
``FUZZED_ENDPOINTS``; ``tests/test_fuzz_coverage.py`` fails when a POST endpoint of the
app is in no module's set. A module builds a plan, for each endpoint the client of a
user who may use it and the path to post to, usually from the world of its domain's
access matrix (:func:`fuzz_matrix`). :func:`fuzz_plan` posts to every endpoint a fixed
sweep (odd numbers, huge strings, a NUL byte, JSON of the wrong types, a body that is
not UTF-8) and then hypothesis examples drawn over all of them; no answer may be a 500.
:func:`assert_reached` checks that the first post of the sweep got past the access
checks (no 401/403/404/405, no bounce to the login or password-confirmation page), so
the view's own validation ran. :func:`fuzz_queries` requests the table's GET pages with
junk in every query parameter the views read, and :func:`stored_text_with` looks for a
NUL byte stored in any text column. ``ACADEMY_FUZZ_SCALE=20`` multiplies the number of
hypothesis examples, for a longer hunt than the suite's quick pass.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.db import Base, db
from tests.access import (
    ANON,
    EXAMINER,
    MENTOR,
    NO_ROLE,
    ORG_ADMIN,
    SITE_ADMIN,
    STUDENT,
    TEACHER,
    Route,
)
from tests.conftest import login_as

ODD = [
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "1e30",
    "-1e308",
    "9" * 400,
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eadmin",
    "'; DROP TABLE users; --",
    "<script>x</script>",
    "x" * 100_000,
    "0x10",
    "1,2,3",
    "true",
    "[]",
    "{}",
    "\ud7ff\ue000",
    "-1",
    "0",
    "2147483648",
    "99999999999999999999",
]
#: The odd values that pass the NUL guard and so reach the views.
ODD_WITHOUT_NUL = [value for value in ODD if "\x00" not in value]

values = st.one_of(st.sampled_from(ODD), st.text(max_size=50))
json_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
raw_bodies = st.binary(max_size=200).map(lambda b: b"email=" + b + b"&points=\xff\xfe")

#: Statuses that mean the request never reached the view's own validation.
REFUSED = frozenset({401, 403, 404, 405})


def forms_of(fields: list[str]) -> st.SearchStrategy[dict[str, str]]:
    return st.dictionaries(st.sampled_from(fields), values, max_size=8)


def json_bodies_of(fields: list[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        json_leaves,
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.sampled_from(fields), children, max_size=3)
        ),
        max_leaves=8,
    )


def sweep(fields: list[str]) -> list[tuple[str, Any]]:
    """The fixed junk every endpoint gets, the first one free of NUL (it must reach the view)."""
    odd = ODD_WITHOUT_NUL
    return [
        ("form", {name: odd[index % len(odd)] for index, name in enumerate(fields)}),
        ("form", {name: odd[(index + 7) % len(odd)] for index, name in enumerate(fields)}),
        ("form", {name: "x" * 5_000 for name in fields}),
        ("form", {name: "a\x00b" for name in fields}),
        (
            "json",
            {name: [1, {"x": None}] if index % 2 else 1e308 for index, name in enumerate(fields)},
        ),
        (
            "raw",
            b"email=\xff\xfe&points=\xc3\x28&" + b"&".join(n.encode() + b"=\x80" for n in fields),
        ),
    ]


def _short(payload: Any) -> Any:
    """The payload for an assertion message, with long values cut."""
    if isinstance(payload, dict):
        return {key: _short(value) for key, value in payload.items()}
    text = repr(payload)
    return payload if len(text) < 200 else text[:200] + f"... ({len(text)} characters)"


#: endpoint -> (the client of a user who may use it, the path to post to)
Plan = dict[str, tuple[FlaskClient, str]]

#: Names some views read from the request without a form class.
EXTRA_FIELDS = ["q1", "q9", "positions", "criterion-0", "criterion-1", "answer", "data", "token"]

#: Who posts to a route of the access matrix, most specific first: the first allowed wins.
PREFERENCE = [ANON, STUDENT, TEACHER, MENTOR, EXAMINER, ORG_ADMIN, SITE_ADMIN, NO_ROLE]


@cache
def form_field_names() -> list[str]:
    """Every field name of every form class of the app (and the names views read by hand)."""

    def subclasses(cls: type) -> Iterable[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = set(EXTRA_FIELDS)
    for form in subclasses(FlaskForm):
        names.update(name for name in dir(form) if hasattr(getattr(form, name), "field_class"))
    names.discard("csrf_token")
    return sorted(names)


def post_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}


def matrix_plan(
    app: Flask,
    expected: dict[str, Route],
    users: dict[str, Any],
    values: dict[str, Any],
    who: dict[str, str | set[str]] | None = None,
    values_for: dict[str, dict[str, Any]] | None = None,
    method: str = "POST",
) -> Plan:
    """A plan for every POST endpoint of an access-matrix table, each with its own client.

    (With ``method="GET"``, for every endpoint the table lists as a GET page.) The poster
    is the first kind of user in ``PREFERENCE`` the table allows, among ``who[endpoint]``
    if given (one kind, or a set such as a table's object rules); ``values_for[endpoint]``
    overrides some of the path's values (an object another endpoint would remove first).
    Each endpoint gets a fresh login, so one that ends a session (log out, end all
    sessions) does not disturb the others.
    """
    plan: Plan = {}
    endpoints = post_endpoints(app) if method == "POST" else set(expected)
    for endpoint in sorted(expected.keys() & endpoints):
        spec = expected[endpoint]
        if method != "POST" and spec.method != method:
            continue
        chosen = (who or {}).get(endpoint, spec.allowed)
        if isinstance(chosen, str):
            poster = chosen
        else:
            kinds = set(chosen) & spec.allowed
            poster = next(kind for kind in [*PREFERENCE, *sorted(kinds)] if kind in kinds)
        client = app.test_client()
        if users.get(poster) is not None:
            login_as(client, users[poster])
        path_values = {**values, **(values_for or {}).get(endpoint, {})}
        plan[endpoint] = (client, spec.path.format(**path_values))
    return plan


def fuzz_plan(
    app: Flask, plan: Plan, examples: int = 60, first: tuple[str, ...] = ()
) -> dict[str, list]:
    """Post the sweep and ``examples`` hypothesis cases to every endpoint of ``plan``.

    The sweep goes through the endpoints in name order, those in ``first`` first (one
    that makes the state another needs, such as submitting the attempt to be marked).

    Returns, per endpoint, the status of each sweep post (``"login"`` for a bounce to the
    login page, ``"confirm"`` for a request to confirm the password first). Asserts on
    the way that no answer is a 500.
    """
    fields = form_field_names()
    statuses: dict[str, list] = defaultdict(list)

    def post(endpoint: str, kind: str, payload: Any) -> Any:
        client, path = plan[endpoint]
        if kind == "form":
            response = client.post(path, data=payload)
        elif kind == "json":
            response = client.post(path, json=payload, headers={"Accept": "application/json"})
        else:
            response = client.post(
                path, data=payload, content_type="application/x-www-form-urlencoded"
            )
        assert response.status_code != 500, (endpoint, path, kind, _short(payload))
        if response.status_code in (302, 303) and "/login" in response.location:
            return "login"
        if response.status_code in (302, 303) and "/account/confirm" in response.location:
            return "confirm"  # asked for the password again: the view did not run
        return response.status_code

    for endpoint in sorted(plan, key=lambda name: (name not in first, name)):
        for kind, payload in sweep(fields):
            statuses[endpoint].append(post(endpoint, kind, payload))

    @settings(
        max_examples=examples * int(os.environ.get("ACADEMY_FUZZ_SCALE", "1")),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        endpoint=st.sampled_from(sorted(plan)),
        form=forms_of(fields),
        body=json_bodies_of(fields),
        raw=raw_bodies,
        kind=st.sampled_from(["form", "form", "json", "raw"]),
    )
    def post_junk(endpoint, form, body, raw, kind):
        post(endpoint, kind, {"form": form, "json": body, "raw": raw}[kind])

    post_junk()
    return statuses


#: Names that refuse direction overrides (one made a display name read "admin").
NAMES = frozenset({"users.display_name", "organisations.name", "organisations.description"})

#: Names the views read from query strings (and the search forms' fields).
QUERY_NAMES = [
    "page", "from", "to", "difficulty", "version", "seed", "level", "lesson", "q", "topic",
    "type", "sort", "status", "actor", "action", "subject", "partner", "third", "margin",
    "next", "v", "units", "province", "language", "availability", "tag", "day",
]  # fmt: skip
QUERY_JUNK = [
    "9" * 40,
    "-99999999999999999999",
    "NaN",
    "1e30",
    "Infinity",
    "%ff%fe%80",
    "x" * 3000,
    "%00",
]


def fuzz_queries(app: Flask, plan: Plan) -> dict[str, list]:
    """GET every page of ``plan`` with junk in every query parameter we read: never a 500."""
    statuses: dict[str, list] = defaultdict(list)
    for endpoint in sorted(plan):
        client, path = plan[endpoint]
        for junk in QUERY_JUNK:
            query = "&".join(f"{name}={junk}" for name in QUERY_NAMES)
            url = f"{path}{'&' if '?' in path else '?'}{query}"
            response = client.get(url)
            assert response.status_code != 500, (endpoint, path, junk[:50])
            statuses[endpoint].append(response.status_code)
    return statuses


def assert_reached(statuses: dict[str, list], allowed: dict[str, str] | None = None) -> None:
    """Every endpoint's first sweep post (no NUL) got past the access checks.

    ``allowed`` maps the endpoints whose own answer is a refusal or a bounce to the login
    page (logging out) to the reason.
    """
    allowed = allowed or {}
    refused = {
        endpoint: codes
        for endpoint, codes in statuses.items()
        if endpoint not in allowed and (codes[0] in REFUSED or codes[0] in ("login", "confirm"))
    }
    assert not refused, refused


def stored_text_with(
    app: Flask, needles: tuple[str, ...] = ("\x00",), columns: frozenset[str] | None = None
) -> list[tuple[str, str]]:
    """(table.column, value) of every stored text value holding one of ``needles``.

    Every text column of every table, or only ``columns`` (``"table.column"``) if given.
    """
    found = []
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # PostgreSQL cannot store a NUL at all
            needles = tuple(needle for needle in needles if needle != "\x00")
        if not needles:
            return found
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, sa.String | sa.Text):
                    continue
                if columns is not None and f"{table.name}.{column.name}" not in columns:
                    continue
                # Filtered here: SQLite's LIKE stops at a NUL in its pattern.
                for value in db.session.scalars(sa.select(column).where(column.is_not(None))):
                    if any(needle in value for needle in needles):
                        found.append((f"{table.name}.{column.name}", value[:80]))
    return found


def fuzz_matrix(
    app: Flask,
    expected: dict[str, Route],
    world: tuple[dict[str, Any], dict[str, Any]],
    *,
    who: dict[str, str | set[str]] | None = None,
    values_for: dict[str, dict[str, Any]] | None = None,
    allowed: dict[str, str] | None = None,
    examples: int = 30,
    first: tuple[str, ...] = (),
    override: Plan | None = None,
    queries: bool = True,
) -> dict[str, list]:
    """Fuzz every POST endpoint of an access-matrix table in that table's world.

    ``override`` replaces the plan of some endpoints (another client and path, where the
    matrix's path names an object its world does not hold). With ``queries``, every GET
    page of the table is then requested with junk query parameters too. Asserts no 500,
    every endpoint reached past its access checks (but those in ``allowed``, with the
    reason), no NUL byte stored anywhere and no direction override in a name.
    """
    users, values = world
    plan = matrix_plan(app, expected, users, values, who, values_for)
    assert set(plan) == expected.keys() & post_endpoints(app)
    assert set(override or {}) <= set(plan)
    plan.update(override or {})
    statuses = fuzz_plan(app, plan, examples=examples, first=first)
    assert_reached(statuses, allowed)
    if queries:
        pages = matrix_plan(app, expected, users, values, who, values_for, method="GET")
        fuzz_queries(app, pages)
    assert stored_text_with(app) == []
    assert stored_text_with(app, ("\u202e",), NAMES) == []
    return statuses

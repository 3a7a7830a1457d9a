"""Shared pieces of the role × route access matrix.

Each domain keeps its part of the matrix in ``tests/<domain>/test_<domain>_access.py``
(or ``tests/test_access_matrix.py`` for the foundation): a module-level ``EXPECTED``
mapping endpoint → ``Route`` and a parametrised test over ``ALL`` kinds of user.
``tests/test_access_matrix.py`` gathers every such module and fails when a registered
route appears in none of them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

ANON = "anonymous"
NO_ROLE = "no_role"
STUDENT = "student"
TEACHER = "teacher"
MENTOR = "mentor"
EXAMINER = "examiner"
ORG_ADMIN = "org_admin"
SITE_ADMIN = "site_admin"

ALL = frozenset({ANON, NO_ROLE, STUDENT, TEACHER, MENTOR, EXAMINER, ORG_ADMIN, SITE_ADMIN})
LOGGED_IN = ALL - {ANON}

TESTS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # a format string; the domain's fixture supplies the values
    allowed: frozenset[str]


def route(method: str, path: str, allowed: set[str] | frozenset[str]) -> Route:
    return Route(method, path, frozenset(allowed))


def matrix_modules() -> list[str]:
    names = ["tests.test_access_matrix"]
    for path in sorted(TESTS_DIR.glob("*/test_*_access.py")):
        names.append(".".join(path.relative_to(TESTS_DIR.parent).with_suffix("").parts))
    return names


def all_expected() -> dict[str, Route]:
    merged: dict[str, Route] = {}
    for name in matrix_modules():
        module = importlib.import_module(name)
        overlap = merged.keys() & module.EXPECTED.keys()
        assert not overlap, f"{name} repeats endpoints: {sorted(overlap)}"
        merged.update(module.EXPECTED)
    return merged


def check_access(
    client: FlaskClient, spec: Route, values: dict, endpoint: str, who: str
) -> TestResponse:
    """Request ``spec`` as ``who`` and assert the outcome the matrix expects."""
    response = client.open(spec.path.format(**values), method=spec.method)
    location = response.headers.get("Location", "")
    if who in spec.allowed:
        assert response.status_code != 403, f"{who} refused at {endpoint}"
        assert response.status_code < 500, f"{endpoint} failed for {who}"
        assert "/login?next=" not in location, f"{who} sent to login from {endpoint}"
    elif who == ANON:
        assert response.status_code == 302 and "/login?next=" in location, endpoint
    else:
        assert response.status_code == 403, f"{who} reached {endpoint}"
    return response

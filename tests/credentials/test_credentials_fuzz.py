"""Fuzzing the credentials POST routes (issue 10): verifying, the talent pool, issuing.

Each route is posted in its access-matrix world (``test_credentials_access.py``: an
issued certificate, its holder in the talent pool with a recruiter's contact request)
by a user it lets in, with the junk of ``tests/fuzzing.py``: never a 500, every view
reached past its access checks, nothing stored with a NUL byte.
"""

from __future__ import annotations

import pytest

from tests.conftest import login_as
from tests.credentials.test_credentials_access import (  # noqa: F401 (the matrix's fixture)
    EXPECTED,
    RECRUITER,
    world,
)
from tests.fuzzing import fuzz_matrix

FUZZED_ENDPOINTS = frozenset(EXPECTED)


def test_no_credentials_post_route_answers_500_to_junk(
    app,
    world,  # noqa: F811
    no_csrf,
):
    fuzz_matrix(
        app,
        EXPECTED,
        world,
        who={
            "credentials.show_pool_profile": RECRUITER,
            "credentials.search_pool": RECRUITER,
            "credentials.list_contact_requests": RECRUITER,
        },
        # The recruiter reads the profile before its holder leaves the pool.
        first=("credentials.show_pool_profile",),
    )


@pytest.mark.parametrize("page", ["99999999999999999999", "9" * 400, "2147483647", "-5"])
def test_a_huge_search_page_is_a_page_not_a_500(app, world, page):  # noqa: F811
    users, _ = world
    client = app.test_client()
    login_as(client, users[RECRUITER])
    response = client.get(f"/talent?level=L2&page={page}")
    assert response.status_code == 200

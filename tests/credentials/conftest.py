"""Factories of the credentials tests: an association, a holder, an issued certificate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask

from academy.auth.models import Organisation, OrganisationKind, Role, User
from academy.credentials import operations
from academy.credentials.models import Certificate
from academy.credentials.operations import Unit
from academy.db import db

UNITS = [
    Unit("U1", "Quoting an RFQ", "询盘报价"),
    Unit("U2", "Documentary credit presentation", "信用证交单"),
]


@pytest.fixture
def association(create_organisation) -> Organisation:
    return create_organisation(
        kind=OrganisationKind.ASSOCIATION, name="China Cross-Border Association"
    )


@pytest.fixture
def issue(app: Flask, association, create_user) -> Callable[..., Certificate]:
    """Issue a certificate through the operation; returns it (detached, loaded)."""

    def factory(holder: User | None = None, **overrides: Any) -> Certificate:
        holder = holder or create_user(roles=[Role.STUDENT], display_name="Li Wei")
        values: dict[str, Any] = {
            "holder_name": holder.display_name,
            "standard_code": "CBEC",
            "standard_version": "2026",
            "standard_title_en": "Cross-border e-commerce specialist",
            "standard_title_zh": "跨境电子商务专员",
            "level_code": "L2",
            "level_name_en": "Level 2",
            "level_name_zh": "二级",
            "units": UNITS,
            "issued_date": date(2026, 12, 1),
            "expires_date": None,
        }
        values.update(overrides)
        with app.test_request_context(), db.unit_of_work():
            certificate = operations.issue_certificate(
                association=db.session.merge(values.pop("association", association)),
                holder=db.session.get(User, holder.id),
                **values,
            )
            _ = (certificate.issuer.organisation.slug, certificate.holder.email)
            return certificate

    return factory


@pytest.fixture
def site_fetch(client):
    """Fetch a URL of this site through the test client (what an HTTP fetch would get)."""

    def fetch(url: str) -> bytes:
        parts = urlsplit(url)
        response = client.get(parts.path)
        if response.status_code != 200:
            from academy.credentials.verification import FetchFailed

            raise FetchFailed(f"{url}: HTTP {response.status_code}")
        return response.get_data()

    return fetch

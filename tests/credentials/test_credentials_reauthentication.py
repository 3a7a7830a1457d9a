"""Revoking a certificate asks an old session for the password first, and is audited."""

from __future__ import annotations

import sqlalchemy as sa

from academy.audit.models import AuditAction, AuditEvent
from academy.auth.models import Role
from academy.credentials.models import Certificate, CertificateStatus
from academy.db import db
from tests.auth.test_reauthentication import age_sessions
from tests.conftest import DEFAULT_PASSWORD, login_as


def test_revoking_with_an_old_session_confirms_first_then_is_audited(
    app, client, association, issue, create_user, read, no_csrf
):
    certificate = issue()
    admin = create_user(roles=[Role.ORG_ADMIN], organisation=association)
    login_as(client, admin)
    age_sessions(app, admin, minutes=45)
    page = f"/associations/{association.slug}/certificates/{certificate.serial}"

    response = client.post(
        f"{page}/revoke",
        data={"reason": "Obtained by fraud"},
        headers={"Referer": f"http://localhost{page}"},
    )
    assert response.headers["Location"].startswith("/account/confirm?next=")
    status = read(lambda: db.session.get(Certificate, certificate.id).status)
    assert status == CertificateStatus.ISSUED

    client.post("/account/confirm", data={"password": DEFAULT_PASSWORD, "next": page})
    client.post(f"{page}/revoke", data={"reason": "Obtained by fraud"})
    assert read(lambda: db.session.get(Certificate, certificate.id).status) == (
        CertificateStatus.REVOKED
    )
    events = read(lambda: list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))))
    issued, revoked = (
        next(e for e in events if e.action == action)
        for action in (AuditAction.CERTIFICATE_ISSUED, AuditAction.CERTIFICATE_REVOKED)
    )
    assert issued.subject_label == revoked.subject_label == certificate.serial
    assert revoked.actor_email == admin.email
    assert revoked.organisation_id == association.id
    assert "Obtained by fraud" in revoked.details

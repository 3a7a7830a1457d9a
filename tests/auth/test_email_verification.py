"""E-mail verification: a self-registered account is mailed a link that marks it verified."""

from __future__ import annotations

import sqlalchemy as sa

from academy import mail
from academy.audit.models import AuditAction, AuditEvent
from academy.auth.models import User
from academy.db import db
from tests.conftest import DEFAULT_PASSWORD


def actions(read) -> list[str]:
    return read(
        lambda: list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    )


def test_a_self_registered_account_verifies_its_address(app, client, read, no_csrf):
    response = client.post(
        "/register",
        data={
            "display_name": "New Learner",
            "email": "learner@example.test",
            "password": DEFAULT_PASSWORD,
            "confirm": DEFAULT_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = read(
        lambda: db.session.scalar(sa.select(User).where(User.email == "learner@example.test"))
    )
    assert user.email_verified_dt is None
    assert "Send the link again" in client.get("/account").get_data(as_text=True)
    client.post("/account/verify")  # a second link, e.g. the first went to spam
    with app.app_context():
        assert len(mail.outbox()) == 2
        body = mail.outbox()[-1].body
    link = next(word for word in body.split() if "/account/verify/" in word)
    assert client.get(link.replace("http://localhost", "")).status_code == 302
    assert read(lambda: db.session.get(User, user.id).email_verified_dt) is not None
    assert actions(read)[-1] == AuditAction.EMAIL_VERIFIED
    assert "Send the link again" not in client.get("/account").get_data(as_text=True)
    assert client.get("/account/verify/forged-token").status_code == 400

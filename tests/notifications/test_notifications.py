"""Notifications: the bell's unread count, the list, reading them, and e-mail at once or
as a digest, as each person chooses."""

from __future__ import annotations

import sqlalchemy as sa

from academy.auth.models import User
from academy.db import db
from academy.mail import outbox
from academy.notifications import operations
from academy.notifications.models import EmailMode, Notification, NotificationKind
from tests.conftest import csrf_token, login_as


def tell(app, user, title="Trade terms quiz") -> None:
    with app.app_context(), db.unit_of_work():
        operations.notify(
            db.session.get(User, user.id),
            NotificationKind.MARKS_RELEASED,
            url="/assessment/grades",
            title=title,
        )


def test_the_bell_counts_unread_and_the_list_marks_them_read(app, client, create_user, read):
    student = create_user()
    tell(app, student)
    tell(app, student, "Incoterms check")
    login_as(client, student)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'aria-label="Notifications: 2 unread"' in page
    listing = client.get("/notifications/").get_data(as_text=True)
    assert "Your marks for “Incoterms check” are released." in listing
    assert 'href="/assessment/grades"' in listing
    client.post("/notifications/read", data={"csrf_token": csrf_token(client, "/notifications/")})
    assert 'aria-label="Notifications: 0 unread"' in client.get("/dashboard").get_data(as_text=True)
    assert read(lambda: db.session.scalar(sa.select(sa.func.count(Notification.id)))) == 2


def test_email_at_once_or_in_a_digest_as_chosen(app, client, create_user):
    at_once, digest, silent = create_user(), create_user(), create_user()
    login_as(client, at_once)
    client.post(
        "/notifications/email",
        data={"email_mode": "immediate", "csrf_token": csrf_token(client, "/notifications/")},
    )
    with app.app_context(), db.unit_of_work():
        operations.set_email_mode(db.session.get(User, silent.id), EmailMode.NONE)
    with app.test_request_context():
        sent_before = len(outbox())
    for user in (at_once, digest, silent):
        tell(app, user)
        tell(app, user, "Second quiz")
    with app.test_request_context():
        mails = outbox()[sent_before:]
        assert [m.to for m in mails] == [at_once.email, at_once.email]
        assert "Trade terms quiz" in mails[0].subject
    with app.app_context(), db.unit_of_work():
        assert operations.send_digests() == 1
        assert operations.send_digests() == 0
    with app.test_request_context():
        digest_mail = outbox()[-1]
        assert digest_mail.to == digest.email
        assert "Trade terms quiz" in digest_mail.body and "Second quiz" in digest_mail.body


def test_the_digest_command_sends_the_digests(app, create_user):
    user = create_user()
    tell(app, user)
    result = app.test_cli_runner().invoke(args=["notifications", "send-digests"])
    assert result.exit_code == 0 and "Digests sent: 1." in result.output

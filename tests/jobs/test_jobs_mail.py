"""Real mail: the SMTP backend against a local server the test starts (aiosmtpd)."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller

from academy.db import db
from academy.jobs import enqueue, runner
from academy.jobs.models import Job, JobStatus
from academy.mail import send_mail
from tests.conftest import make_test_app
from tests.jobs.conftest import free_port


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode("utf-8"))
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def smtp_settings(port: int) -> dict:
    return {"MAIL_BACKEND": "smtp", "MAIL_HOST": "127.0.0.1", "MAIL_PORT": port}


def test_with_no_broker_mail_goes_straight_to_the_smtp_server(tmp_path, smtp_server):
    controller, inbox = smtp_server
    app = make_test_app(f"sqlite:///{tmp_path / 'mail.sqlite3'}", **smtp_settings(controller.port))
    with app.app_context():
        send_mail("student@example.test", "Your results", "You passed the theory part.")
    [(sender, recipients, content)] = inbox.messages
    assert sender == "no-reply@academy.test"
    assert recipients == ["student@example.test"]
    assert "Subject: Your results" in content and "You passed the theory part." in content


def test_mail_from_the_queue_is_retried_until_the_server_answers(queue_database, redis_server):
    port = free_port()  # no mail server there yet
    app = make_test_app(queue_database, BROKER_URL=redis_server.url, **smtp_settings(port))
    with app.app_context(), db.unit_of_work():
        job_id = enqueue("mail.send", "a@example.test", "Hi", "Body", "x@example.test").job_id
    with pytest.raises(OSError):
        runner.run_job_task.apply(args=[job_id], retries=99).get()  # its last retry
    with app.app_context():
        row = db.session.get(Job, job_id)
        assert row.status == JobStatus.FAILED and "Error" in row.last_error

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with app.app_context(), db.unit_of_work():
            job_id = enqueue("mail.send", "b@example.test", "Hi", "Body", "x@example.test").job_id
        runner.run_job_task.apply(args=[job_id]).get()
    finally:
        controller.stop()
    assert [recipients for _, recipients, _ in inbox.messages] == [["b@example.test"]]
    with app.app_context():
        assert db.session.get(Job, job_id).status == JobStatus.DONE
        db.session.remove()
        db.engine.dispose()

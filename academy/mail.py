"""Outgoing mail behind a small backend interface.

The default ``console`` backend writes each message to the ``academy.mail`` log, which
``make run`` shows in the terminal, so password-reset and invitation links work on a
machine with no mail server. ``memory`` keeps messages in a list for tests. ``smtp``
sends through a real server configured by ``ACADEMY_MAIL_*`` (host, port, user,
password, STARTTLS or TLS, timeout); it raises when the server refuses or is away, and
the queue retries the message (``academy.jobs``' "mail.send" job).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from flask import Flask, current_app

logger = logging.getLogger("academy.mail")


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    sender: str


class MailBackend(Protocol):
    def send(self, message: Message) -> None: ...


class ConsoleBackend:
    """Writes messages to the log; the links in them can be copied from the terminal."""

    def send(self, message: Message) -> None:
        logger.info(
            "mail to %s from %s\nSubject: %s\n\n%s\n",
            message.to,
            message.sender,
            message.subject,
            message.body,
        )


class MemoryBackend:
    """Keeps messages in ``outbox`` (tests read it)."""

    def __init__(self) -> None:
        self.outbox: list[Message] = []

    def send(self, message: Message) -> None:
        self.outbox.append(message)


class SMTPBackend:
    """Sends through an SMTP server; every failure raises so the job is retried."""

    @staticmethod
    def _connect() -> smtplib.SMTP:
        config = current_app.config
        host, port = config["MAIL_HOST"], int(config["MAIL_PORT"])
        timeout = float(config["MAIL_TIMEOUT"])
        if config["MAIL_SECURITY"] == "tls":
            context = ssl.create_default_context()
            return smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        connection = smtplib.SMTP(host, port, timeout=timeout)
        if config["MAIL_SECURITY"] == "starttls":
            connection.starttls(context=ssl.create_default_context())
        return connection

    def send(self, message: Message) -> None:
        email = EmailMessage()
        email["From"] = message.sender
        email["To"] = message.to
        email["Subject"] = message.subject
        email["Message-ID"] = make_msgid(domain="academy")
        email.set_content(message.body)
        username = current_app.config["MAIL_USERNAME"]
        with self._connect() as connection:
            if username:
                connection.login(username, current_app.config["MAIL_PASSWORD"])
            connection.send_message(email)
        logger.info("mail to %s sent by SMTP", message.to)


BACKENDS: dict[str, type[MailBackend]] = {
    "console": ConsoleBackend,
    "memory": MemoryBackend,
    "smtp": SMTPBackend,
}


def init_app(app: Flask) -> None:
    name = app.config["MAIL_BACKEND"]
    try:
        chosen = BACKENDS[name]()
    except KeyError:
        raise RuntimeError(
            f"ACADEMY_MAIL_BACKEND must be one of {', '.join(sorted(BACKENDS))}, got {name!r}"
        ) from None
    app.extensions["academy.mail"] = chosen
    if not logger.handlers and not logging.getLogger("academy").handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("[%(asctime)s] %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def backend() -> MailBackend:
    """The configured backend of the current application."""
    return current_app.extensions["academy.mail"]


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message: through the queue, or at once with no broker."""
    from academy.jobs import enqueue

    enqueue("mail.send", to, subject, body, current_app.config["MAIL_SENDER"])


def outbox() -> list[Message]:
    """Messages sent so far by the memory backend."""
    backend = current_app.extensions["academy.mail"]
    if not isinstance(backend, MemoryBackend):
        raise RuntimeError("the outbox exists only with the memory mail backend")
    return backend.outbox

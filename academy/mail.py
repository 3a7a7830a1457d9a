"""Outgoing mail behind a small backend interface.

The default ``console`` backend writes each message to the ``academy.mail`` log, which
``make run`` shows in the terminal, so password-reset and invitation links work on a
machine with no mail server. ``memory`` keeps messages in a list for tests. A real SMTP
backend plugs in by adding a class to ``BACKENDS``.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
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


BACKENDS: dict[str, type[MailBackend]] = {
    "console": ConsoleBackend,
    "memory": MemoryBackend,
}


def init_app(app: Flask) -> None:
    name = app.config["MAIL_BACKEND"]
    try:
        backend = BACKENDS[name]()
    except KeyError:
        raise RuntimeError(
            f"ACADEMY_MAIL_BACKEND must be one of {', '.join(sorted(BACKENDS))}, got {name!r}"
        ) from None
    app.extensions["academy.mail"] = backend
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("[%(asctime)s] %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message through the configured backend."""
    backend: MailBackend = current_app.extensions["academy.mail"]
    backend.send(
        Message(to=to, subject=subject, body=body, sender=current_app.config["MAIL_SENDER"])
    )


def outbox() -> list[Message]:
    """Messages sent so far by the memory backend."""
    backend = current_app.extensions["academy.mail"]
    if not isinstance(backend, MemoryBackend):
        raise RuntimeError("the outbox exists only with the memory mail backend")
    return backend.outbox

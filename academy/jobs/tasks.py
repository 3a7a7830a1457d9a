"""Jobs that wrap other domains' functions (outgoing mail) and the queue's own probe.

Mail goes through the queue so a slow or absent SMTP server never holds a request;
the SMTP backend raises on failure and the job is retried with back-off.
"""

from __future__ import annotations

import time

from academy.jobs.registry import job
from academy.mail import Message, backend


@job("mail.send", retries=6, backoff_seconds=10)
def send_mail(to: str, subject: str, body: str, sender: str) -> None:
    """Hand one message to the configured mail backend."""
    backend().send(Message(to=to, subject=subject, body=body, sender=sender))


@job("jobs.probe", retries=0)
def probe(seconds: float) -> None:
    """Wait ``seconds``, then let the runner mark the job done: a check of the whole
    path (web → broker → worker → database) for operators, ``academy jobs probe``."""
    time.sleep(max(0.0, min(float(seconds), 300.0)))

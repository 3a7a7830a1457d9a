"""Jobs that wrap other domains' functions: outgoing mail.

Mail goes through the queue so a slow or absent SMTP server never holds a request;
the SMTP backend raises on failure and the job is retried with back-off.
"""

from __future__ import annotations

from academy.jobs.registry import job
from academy.mail import Message, backend


@job("mail.send", retries=6, backoff_seconds=10)
def send_mail(to: str, subject: str, body: str, sender: str) -> None:
    """Hand one message to the configured mail backend."""
    backend().send(Message(to=to, subject=subject, body=body, sender=sender))

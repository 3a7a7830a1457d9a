"""Background work on a task queue (Celery over Redis), or inline with no broker.

Asking for work::

    from academy.jobs import enqueue

    result = enqueue("mail.send", to, subject, body, sender)
    if result.message:
        flash(result.message)   # "Queued — will run when the worker is back."

Declaring a job: ``@job("domain.verb_noun")`` on a function in ``academy/<domain>/tasks.py``
(see :mod:`academy.jobs.registry`). The function does its writes with ``flush()``; the
runner commits, once, together with marking the job done.

Processes: ``academy worker`` runs jobs, ``academy scheduler`` sends the periodic ones
(the sandbox clock, closing expired attempts, relaying jobs the broker missed). With
``ACADEMY_BROKER_URL`` unset (``make run``), jobs run inline where they are asked for,
and the sandbox clock keeps its thread in the web process.
"""

from __future__ import annotations

from flask import Flask

from academy.jobs.operations import Enqueued, enqueue
from academy.jobs.registry import job

__all__ = ["Enqueued", "enqueue", "init_app", "job"]


def init_app(app: Flask) -> None:
    """Configure the queue and publish each unit of work's jobs after it commits."""
    from academy.db import db
    from academy.jobs import operations, queue

    queue.init_app(app)
    db.add_commit_hook(operations.publish_committed)

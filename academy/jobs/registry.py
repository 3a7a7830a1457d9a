"""The jobs the queue knows: a name, a function and how often to retry it.

A domain declares a job in its ``tasks.py`` (imported by :func:`discover`)::

    from academy.jobs import job

    @job("credentials.sign_certificate", retries=5)
    def sign_certificate(certificate_id: int) -> None:
        ...  # flush() only; the job runner commits

and asks for it in one line, in the unit of work that needs it::

    enqueue("credentials.sign_certificate", certificate.id)

Arguments travel as JSON, so pass ids and plain values, never rows.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class JobSpec:
    """One registered job.

    Attributes:
        name: The name ``enqueue`` takes ("domain.verb_noun").
        function: Does the work inside the runner's unit of work (``flush()`` only).
        retries: Further runs after a failure before the job is marked failed.
        backoff_seconds: Wait before the first retry; each later retry waits twice as long.
    """

    name: str
    function: Callable[..., Any]
    retries: int = 3
    backoff_seconds: int = 5

    def countdown(self, attempt: int) -> int:
        """Seconds to wait before retry number ``attempt`` (0-based), at most 10 minutes."""
        return min(self.backoff_seconds * 2**attempt, 600)


JOBS: dict[str, JobSpec] = {}


def job(name: str, *, retries: int = 3, backoff_seconds: int = 5) -> Callable[[F], F]:
    """Register ``function`` as the job ``name`` (see the module docstring)."""

    def register(function: F) -> F:
        existing = JOBS.get(name)
        if existing is not None and existing.function is not function:
            raise ValueError(f"two jobs are named {name!r}")
        JOBS[name] = JobSpec(name, function, retries, backoff_seconds)
        return function

    return register


def get_job(name: str) -> JobSpec:
    discover()
    try:
        return JOBS[name]
    except KeyError:
        raise LookupError(f"no job named {name!r}; declare it with @job") from None


_discovered = False


def discover() -> None:
    """Import every ``academy/<domain>/tasks.py`` once, so their jobs are registered."""
    global _discovered
    if _discovered:
        return
    from academy import PACKAGE_DIR, domain_packages

    for domain in domain_packages():
        if (PACKAGE_DIR / domain / "tasks.py").exists():
            importlib.import_module(f"academy.{domain}.tasks")
    _discovered = True

"""Writing the audit log: one call per security-relevant action, inside its unit of work.

``record_event`` only adds a row to the session; the request (or job) commits it with
the change it describes, so a change that rolls back leaves no audit row claiming it
happened, and a change that commits cannot lose its row.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from academy.audit.models import AuditAction, AuditEvent
from academy.db import db

logger = logging.getLogger("academy.audit")


def _current_actor() -> Any:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _subject_fields(subject: Any) -> dict[str, str]:
    if subject is None:
        return {}
    label = (
        getattr(subject, "email", None)
        or getattr(subject, "serial", None)
        or getattr(subject, "slug", None)
        or getattr(subject, "title", None)
        or getattr(subject, "name", None)
        or ""
    )
    return {
        "subject_type": type(subject).__name__.lower()[:32],
        "subject_id": str(getattr(subject, "id", "") or "")[:64],
        "subject_label": str(label)[:254],
    }


def record_event(
    action: AuditAction,
    *,
    actor: Any = None,
    actor_email: str = "",
    subject: Any = None,
    organisation: Any = None,
    keep: bool = False,
    **details: Any,
) -> AuditEvent:
    """Add an audit row for ``action``; the actor defaults to the logged-in user.

    ``details`` are stored as JSON (keys sorted) and shown beside the row; they must
    never hold a secret (a password, a token, a two-factor code). With ``keep`` the row
    survives the rollback of a refused request (a failed login or confirmation).
    """
    actor = actor if actor is not None else _current_actor()
    values = {
        "action": AuditAction(action).value,
        "actor_id": getattr(actor, "id", None),
        "actor_email": (actor_email or getattr(actor, "email", "") or "")[:254],
        "organisation_id": getattr(organisation, "id", None),
        "ip_address": (request.remote_addr or "")[:45] if has_request_context() else "",
        "details": json.dumps(details, sort_keys=True, default=str) if details else "",
        **_subject_fields(subject),
    }
    event = AuditEvent(**values)
    db.session.add(event)
    if keep:
        db.keep_after_rollback(AuditEvent, values)
    logger.info(
        "audit %s by %s on %s %s",
        event.action,
        event.actor_email or "-",
        event.subject_type or "-",
        event.subject_label or event.subject_id or "-",
    )
    return event

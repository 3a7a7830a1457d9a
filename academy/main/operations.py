"""Writes shared by every domain: claiming a create form's one-time key."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from academy.db import db
from academy.main.models import FormSubmission

logger = logging.getLogger("academy.main")

#: Longest key accepted (the column's length).
FORM_KEY_MAX_LENGTH = 64


def claim_form_key(key: str, user_id: int | None, purpose: str) -> FormSubmission | None:
    """Claim ``key`` for this submit; return the earlier claim if the key is taken.

    Two parallel submits of one form insert the same key: the database lets one in and
    holds the other until the first commits, which then sees the first's row (with the
    URL of what it made). A claim made by a submit that failed was rolled back with it.

    Args:
        key: The token the form carried.
        user_id: Who submitted (a key claimed by someone else is not theirs to replay).
        purpose: The endpoint the form posted to.

    Returns:
        None when this submit is the first (go on and create), else the earlier claim.
    """
    earlier = db.session.get(FormSubmission, key)
    if earlier is not None:
        return earlier
    try:
        with db.session.begin_nested():
            db.session.add(FormSubmission(key=key, user_id=user_id, purpose=purpose))
    except sa.exc.IntegrityError:
        earlier = db.session.scalar(sa.select(FormSubmission).where(FormSubmission.key == key))
        logger.info("form key of %s for user %s used twice", purpose, user_id)
        return earlier
    return None


def record_form_result(key: str, url: str) -> None:
    """Remember where the first submit of ``key`` led, for its repeats."""
    submission = db.session.get(FormSubmission, key)
    if submission is not None:
        submission.result_url = url[:500]
        db.session.flush()

"""E-mail verification for self-registered accounts.

The link carries the account id and the address it was sent to, signed and timestamped
(``EMAIL_VERIFICATION_MAX_AGE``); opening it again is harmless, and a link for an address
the account no longer has does nothing. Accounts made by invitation are verified already
(the invitation reached the address); unverified accounts see a reminder on their pages.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.auth import throttle
from academy.auth.models import User
from academy.auth.operations import _throttled, token_message
from academy.auth.tokens import TokenExpired, TokenInvalid, read_token, sign_token
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.links import external_url
from academy.mail import send_mail

logger = logging.getLogger("academy.auth")


def send_verification_mail(user: User) -> None:
    """Mail ``user`` a link that proves they read the address (a few per hour at most)."""
    if not throttle.allow("verify:email", user.email):
        raise OperationError(_throttled(), code="throttled")
    token = sign_token("verify-email", f"{user.id}:{user.email}")
    link = external_url("auth.verify_email", token=token)
    hours = current_app.config["EMAIL_VERIFICATION_MAX_AGE"] // 3600
    with force_locale(user.preferred_locale or "en"):
        send_mail(
            user.email,
            _("Confirm your e-mail address for Silk Road Academy"),
            _(
                "Open this link within %(hours)d hours to confirm that this address is "
                "yours:\n\n%(link)s\n\nIf you did not create an account, ignore this message.",
                hours=hours,
                link=link,
            ),
        )


def verify_email(token: str) -> User:
    """Mark the address in ``token`` as verified; an ``OperationError`` if the link is bad."""
    try:
        payload = read_token(
            "verify-email", token, current_app.config["EMAIL_VERIFICATION_MAX_AGE"]
        )
    except TokenExpired:
        raise OperationError(token_message("expired"), code="token_expired") from None
    except TokenInvalid:
        raise OperationError(token_message("invalid"), code="token_invalid") from None
    user_id, _sep, email = payload.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or user.email != email:
        raise OperationError(token_message("invalid"), code="token_invalid")
    if user.email_verified_dt is None:
        user.email_verified_dt = utcnow()
        db.session.flush()
        record_event(AuditAction.EMAIL_VERIFIED, actor=user, subject=user)
        logger.info("user %s verified their e-mail address", user.email)
    return user

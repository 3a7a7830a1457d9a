"""Password reset: mailing a single-use link, and setting the new password with it."""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.auth import queries, throttle
from academy.auth.models import PasswordResetToken, User
from academy.auth.operations import (
    _check_password,
    _throttled,
    normalise_email,
    set_password,
    token_message,
)
from academy.auth.tokens import TokenExpired, TokenInvalid, new_token_id, read_token, sign_token
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.links import external_url
from academy.mail import send_mail

logger = logging.getLogger("academy.auth")


def request_password_reset(email: str, ip_address: str = "") -> None:
    """Mail a reset link if the account exists; say nothing either way to the caller.

    At most a few mails per inbox (more are dropped silently, so an inbox cannot be
    flooded) and per address (more are refused with ``code="throttled"``).
    """
    if not throttle.allow("reset:address", ip_address):
        raise OperationError(_throttled(), code="throttled")
    if not throttle.allow("reset:email", normalise_email(email)):
        logger.warning("password reset mails to one inbox throttled")
        return
    user = queries.get_user_by_email(normalise_email(email))
    if user is None or not user.is_enabled:
        logger.info("password reset asked for unknown address")
        return
    send_reset_link(user)


def send_reset_link(user: User, *, acting: User | None = None) -> None:
    """Mail ``user`` a single-use reset link (an admin may send one: ``acting``)."""
    if acting is not None:
        if not user.is_enabled:
            raise OperationError(
                _("Reactivate the account before sending it a reset link."), code="disabled"
            )
        record_event(AuditAction.PASSWORD_RESET_SENT, actor=acting, subject=user)
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    record = PasswordResetToken(
        token_id=new_token_id(),
        user_id=user.id,
        expires_dt=utcnow() + timedelta(seconds=max_age),
    )
    db.session.add(record)
    db.session.flush()
    link = external_url("auth.reset_password", token=sign_token("reset", record.token_id))
    with force_locale(user.preferred_locale or "en"):
        send_mail(
            user.email,
            _("Reset your Silk Road Academy password"),
            _(
                "Someone asked to reset the password of your account. If it was you, open "
                "this link within %(minutes)d minutes:\n\n%(link)s\n\nIf it was not you, "
                "ignore this message; your password stays as it is.",
                minutes=max_age // 60,
                link=link,
            ),
        )


def load_reset_token(token: str) -> PasswordResetToken:
    """The unused, unexpired reset record behind ``token``, or an ``OperationError``."""
    try:
        token_id = read_token("reset", token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    except TokenExpired:
        raise OperationError(token_message("expired"), code="token_expired") from None
    except TokenInvalid:
        raise OperationError(token_message("invalid"), code="token_invalid") from None
    record = db.session.scalar(
        sa.select(PasswordResetToken).where(PasswordResetToken.token_id == token_id)
    )
    if record is None:
        raise OperationError(token_message("invalid"), code="token_invalid")
    if record.used_dt is not None:
        raise OperationError(token_message("used"), code="token_used")
    if record.expires_dt <= utcnow():
        raise OperationError(token_message("expired"), code="token_expired")
    return record


def reset_password(token: str, new_password: str) -> User:
    record = load_reset_token(token)
    user = record.user
    _check_password(new_password, user.email, user.display_name, "password")
    # Claim the link in one conditional UPDATE: of two requests racing with the same
    # link, the database lets exactly one through (single use holds under concurrency).
    now = utcnow()
    claimed = db.execute_dml(
        sa.update(PasswordResetToken)
        .where(PasswordResetToken.id == record.id, PasswordResetToken.used_dt.is_(None))
        .values(used_dt=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise OperationError(token_message("used"), code="token_used")
    set_password(user, new_password)
    # Proving the address lifts any pause that guessers put on the account.
    throttle.clear_failures(user.email)
    # Any other outstanding link for this account dies with this one.
    db.session.execute(
        sa.update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_dt.is_(None))
        .values(used_dt=now)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    record_event(AuditAction.PASSWORD_RESET, actor=user, subject=user)
    logger.info("user %s reset their password", user.email)
    return user

"""Every write about users and logging in (organisations and invitations: ``organisations``).

Operations flush, never commit: the request (or the CLI command) owns the unit of
work. A refused operation raises ``OperationError`` before it has changed anything.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.auth import queries, throttle
from academy.auth.models import (
    LoginAttempt,
    OrganisationKind,
    Role,
    User,
)
from academy.auth.names import clean_display_name
from academy.auth.passwords import (
    hash_password,
    password_problems,
    spend_hashing_time,
    verify_password,
)
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.i18n import normalise_locale
from academy.timezones import is_time_zone

logger = logging.getLogger("academy.auth")

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_password(password: str, email: str, display_name: str, field: str) -> None:
    problems = password_problems(password, email=email, display_name=display_name)
    if problems:
        raise OperationError(" ".join(problems), field=field, code="weak_password")


# --- users ---------------------------------------------------------------------------


def create_user(
    email: str,
    display_name: str,
    password: str,
    *,
    preferred_locale: str | None = None,
    is_site_admin: bool = False,
    enforce_policy: bool = True,
    email_verified: bool = True,
) -> User:
    """Create an account; the e-mail must be new and the password strong enough.

    Self-registered accounts pass ``email_verified=False`` until their owner opens the
    verification link; accounts made by invitation or by an admin count as verified.
    """
    email = normalise_email(email)
    display_name = clean_display_name(display_name)
    duplicate = OperationError(
        _l("An account with this e-mail address already exists."),
        field="email",
        code="duplicate_email",
    )
    if queries.get_user_by_email(email) is not None:
        raise duplicate
    if enforce_policy:
        _check_password(password, email, display_name, "password")
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hash_password(password),
        preferred_locale=normalise_locale(preferred_locale),
        is_site_admin=is_site_admin,
        email_verified_dt=utcnow() if email_verified else None,
    )
    try:
        # A savepoint: a parallel registration of the same address loses cleanly.
        with db.session.begin_nested():
            db.session.add(user)
    except sa.exc.IntegrityError:
        raise duplicate from None
    logger.info("user %s created", user.email)
    return user


#: Functions that attach a newly registered student to a class by its join code.
#: The learning domain registers one; each returns True if it used the code.
JOIN_CODE_HANDLERS: list[Callable[[User, str], bool]] = []


def register_student(
    email: str,
    display_name: str,
    password: str,
    *,
    join_code: str = "",
    preferred_locale: str | None = None,
    ip_address: str = "",
) -> User:
    """Self-registration of a learner, optionally joining a class by its code.

    At most a few registrations per client address an hour (``code="throttled"``).
    """
    if not throttle.allow("register:address", ip_address):
        raise OperationError(_throttled(), code="throttled")
    join_code = join_code.strip()
    if join_code and not JOIN_CODE_HANDLERS:
        raise OperationError(
            _l("No class has this join code. Check it with your teacher."),
            field="join_code",
            code="join_code_unknown",
        )
    user = create_user(
        email, display_name, password, preferred_locale=preferred_locale, email_verified=False
    )
    if join_code and not any(handler(user, join_code) for handler in JOIN_CODE_HANDLERS):
        raise OperationError(
            _l("No class has this join code. Check it with your teacher."),
            field="join_code",
            code="join_code_unknown",
        )
    return user


def update_profile(
    user: User, display_name: str, preferred_locale: str | None, time_zone: str | None = None
) -> None:
    """Save a user's name, language and time zone (empty: the organisation's zone)."""
    display_name = clean_display_name(display_name)
    if time_zone and not is_time_zone(time_zone):
        raise OperationError(
            _l("Choose a time zone from the list."), field="time_zone", code="time_zone_unknown"
        )
    user.display_name = display_name
    user.preferred_locale = normalise_locale(preferred_locale)
    user.time_zone = time_zone or None
    db.session.flush()


def set_preferred_locale(user: User, locale: str) -> None:
    user.preferred_locale = normalise_locale(locale)
    db.session.flush()


def set_password(user: User, new_password: str) -> None:
    """Store a new password and end every other session of this user."""
    from academy.auth.sessions import end_all_sessions

    user.password_hash = hash_password(new_password)
    end_all_sessions(user, keep_current=True)


def change_password(
    user: User, current_password: str, new_password: str, ip_address: str = ""
) -> None:
    """Change a password; wrong current passwords count as failed logins (and are throttled)."""
    if throttle.retry_after_minutes(user.email, ip_address):
        raise OperationError(_throttled(), field="current_password", code="throttled")
    if not verify_password(user.password_hash, current_password):
        throttle.record_failure(user.email, ip_address)
        raise OperationError(
            _l("Your current password is not correct."),
            field="current_password",
            code="wrong_password",
        )
    _check_password(new_password, user.email, user.display_name, "new_password")
    set_password(user, new_password)
    record_event(AuditAction.PASSWORD_CHANGED, actor=user, subject=user)
    logger.info("user %s changed their password", user.email)


def set_user_flags(user: User, *, is_site_admin: bool, is_enabled: bool, acting: User) -> None:
    if user.id == acting.id and (not is_site_admin or not is_enabled):
        raise OperationError(
            _l("You cannot remove your own administrator rights or disable yourself."),
            field="is_site_admin",
            code="self",
        )
    if user.is_site_admin != is_site_admin:
        action = AuditAction.SITE_ADMIN_GRANTED if is_site_admin else AuditAction.SITE_ADMIN_REVOKED
        record_event(action, actor=acting, subject=user)
    user.is_site_admin = is_site_admin
    if user.is_enabled != is_enabled:
        set_user_enabled(user, is_enabled, acting=acting)
    db.session.flush()


def set_user_enabled(user: User, is_enabled: bool, *, acting: User) -> None:
    """Deactivate an account (every session ends at once) or let it log in again."""
    from academy.auth.sessions import end_all_sessions

    if user.id == acting.id and not is_enabled:
        raise OperationError(_l("You cannot deactivate your own account."), code="self")
    if user.is_enabled == is_enabled:
        return
    if not is_enabled:
        end_all_sessions(user)
    user.is_enabled = is_enabled
    db.session.flush()
    action = AuditAction.USER_REACTIVATED if is_enabled else AuditAction.USER_DEACTIVATED
    record_event(action, actor=acting, subject=user)
    logger.info("user %s %s by %s", user.email, action.value, acting.email)


# --- logging in ----------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    retry_after_minutes: int = 0

    @property
    def is_throttled(self) -> bool:
        return self.retry_after_minutes > 0


def authenticate(email: str, password: str, ip_address: str) -> LoginResult:
    """Check credentials, recording the attempt; throttled accounts are not checked."""
    email = normalise_email(email)
    minutes = throttle.retry_after_minutes(email, ip_address)
    if minutes:
        logger.warning("login throttled for %s from %s", email, ip_address)
        record_event(AuditAction.LOGIN_FAILED, actor_email=email, reason="throttled")
        return LoginResult(None, retry_after_minutes=minutes)
    user = queries.get_user_by_email(email)
    if user is None:
        spend_hashing_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.is_enabled
    db.session.add(LoginAttempt(email=email, ip_address=ip_address, is_success=ok))
    if ok and user is not None:
        user.last_login_dt = utcnow()
        db.session.flush()
        return LoginResult(user)
    record_event(
        AuditAction.LOGIN_FAILED,
        actor_email=email,
        subject=user,
        reason="disabled" if user is not None and not user.is_enabled else "password",
    )
    db.session.flush()
    return LoginResult(None)


def prune_login_attempts(older_than: timedelta = timedelta(days=30)) -> int:
    """Delete attempts too old to matter; returns how many were removed."""
    result = db.execute_dml(
        sa.delete(LoginAttempt).where(LoginAttempt.attempted_dt < utcnow() - older_than)
    )
    return result.rowcount or 0


def _throttled() -> Any:
    return _l("Too many requests from here. Please wait a few minutes and try again.")


def token_message(kind: str) -> str:
    messages = {
        "invalid": _l("This link is not valid. Check that you copied all of it."),
        "expired": _l("This link has expired. Ask for a new one."),
        "used": _l("This link has already been used. Ask for a new one if you need it."),
        "revoked": _l("This invitation has been withdrawn."),
    }
    return str(messages[kind])


ROLE_LABELS = {
    Role.STUDENT: _l("student"),
    Role.TEACHER: _l("teacher"),
    Role.MENTOR: _l("enterprise mentor"),
    Role.EXAMINER: _l("examiner"),
    Role.CHIEF_EXAMINER: _l("chief examiner"),
    Role.INVIGILATOR: _l("invigilator"),
    Role.ORG_ADMIN: _l("organisation admin"),
    Role.RECRUITER: _l("recruiter"),
}

KIND_LABELS = {
    OrganisationKind.SCHOOL: _l("school"),
    OrganisationKind.ENTERPRISE: _l("enterprise"),
    OrganisationKind.ASSOCIATION: _l("industry association"),
}


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS[Role(role)])


def kind_label(kind: OrganisationKind | str) -> str:
    return str(KIND_LABELS[OrganisationKind(kind)])


# Organisations, memberships and invitations live in their own module; they are part of
# this module's interface (callers use ``operations.create_organisation`` etc.).
from academy.auth.organisations import (  # noqa: E402, F401  (re-exported)
    accept_invitation,
    add_membership,
    create_organisation,
    invitation_link,
    invite_member,
    load_invitation,
    remove_membership,
    revoke_invitation,
    update_organisation,
)

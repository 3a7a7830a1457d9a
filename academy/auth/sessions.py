"""Server-side sessions: every login is a row that logout, "log out everywhere" and admins end.

The signed session cookie alone cannot be taken back: a copy made before logging out
would still open the site. So the cookie (and the remember-me cookie) carries
``user id : session version : token``, and a request is logged in only while the token's
row is open, the session version is the user's current one, and neither limit passed:

- **idle timeout**: ``SESSION_IDLE_MINUTES`` without a request (``SESSION_IDLE_MINUTES_STAFF``
  for staff, shorter by default, since their sessions can change marks); sessions kept
  with "remember me" have no idle limit;
- **absolute lifetime**: ``SESSION_ABSOLUTE_HOURS`` after logging in, or
  ``REMEMBER_DAYS`` for remembered sessions.

Only the token's SHA-256 is stored. ``last_seen_dt`` is written at most every
``TOUCH_SECONDS`` so that reading pages does not write on every request.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from academy.auth.models import Role, User, UserSession
from academy.db import db, utcnow

logger = logging.getLogger("academy.auth")

TOUCH_SECONDS = 60


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_key(user: User) -> str:
    """What Flask-Login stores for ``user``: id, session version and the session token."""
    return f"{user.id}:{user.session_version}:{getattr(user, '_session_token', '')}"


def start_session(
    user: User, *, remember: bool = False, ip_address: str = "", user_agent: str = ""
) -> str:
    """Open a session row for ``user`` and return its token (also set on the user)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=_hash(token),
            is_remembered=remember,
            ip_address=ip_address[:45],
            user_agent=user_agent[:200],
        )
    )
    db.session.flush()
    user._session_token = token
    return token


def _is_staff(user: User) -> bool:
    return user.is_site_admin or any(m.role != Role.STUDENT for m in user.memberships)


def _expired(record: UserSession, user: User, now: datetime) -> bool:
    config = current_app.config
    if record.is_remembered:
        return now - record.created_dt > timedelta(days=config["REMEMBER_DAYS"])
    if now - record.created_dt > timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]):
        return True
    idle = config["SESSION_IDLE_MINUTES_STAFF" if _is_staff(user) else "SESSION_IDLE_MINUTES"]
    return now - record.last_seen_dt > timedelta(minutes=idle)


def load_session_user(key: str) -> User | None:
    """The user of an open, current session ``key``; ends the session if it has expired."""
    user_id, version, token = [*key.split(":"), "", ""][:3]
    if not user_id.isdigit() or not version.isdigit() or not token:
        return None
    user = db.session.scalar(
        sa.select(User)
        .where(User.id == int(user_id))
        .options(sa.orm.selectinload(User.memberships))
    )
    if user is None or user.session_version != int(version) or not user.is_enabled:
        return None
    record = db.session.scalar(
        sa.select(UserSession).where(
            UserSession.token_hash == _hash(token),
            UserSession.user_id == user.id,
            UserSession.ended_dt.is_(None),
        )
    )
    if record is None:
        return None
    now = utcnow()
    if _expired(record, user, now):
        record.ended_dt = now
        db.session.flush()
        logger.info("session %s of user %s expired", record.id, user.id)
        return None
    if (now - record.last_seen_dt).total_seconds() > TOUCH_SECONDS:
        record.last_seen_dt = now
    user._session_token = token
    return user


def end_session(user: User) -> None:
    """End the session this request runs in (logging out)."""
    token = getattr(user, "_session_token", "")
    if token:
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == _hash(token), UserSession.ended_dt.is_(None))
            .values(ended_dt=utcnow())
        )


def end_all_sessions(user: User, *, keep_current: bool = False) -> int:
    """End every session of ``user`` (or every other one); returns how many ended.

    The session version moves on too, so a cookie of an ended session can never be
    revived, even from a copy of the database taken before.
    """
    keep = _hash(getattr(user, "_session_token", "")) if keep_current else None
    result = db.execute_dml(
        sa.update(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_dt.is_(None),
            UserSession.token_hash != keep if keep else sa.true(),
        )
        .values(ended_dt=utcnow())
    )
    user.session_version += 1
    db.session.flush()
    logger.info("sessions of user %s ended (%s)", user.id, result.rowcount)
    return result.rowcount or 0


def open_sessions(user: User) -> list[UserSession]:
    return list(
        db.session.scalars(
            sa.select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.ended_dt.is_(None))
            .order_by(UserSession.last_seen_dt.desc())
        )
    )


def _current_record(user: User) -> UserSession | None:
    token = getattr(user, "_session_token", "")
    if not token:
        return None
    return db.session.scalar(
        sa.select(UserSession).where(
            UserSession.token_hash == _hash(token),
            UserSession.user_id == user.id,
            UserSession.ended_dt.is_(None),
        )
    )


def confirm_session(user: User) -> None:
    """Record that this request's session has just proved the password again."""
    record = _current_record(user)
    if record is not None:
        record.confirmed_dt = utcnow()
        db.session.flush()


def is_recently_confirmed(user: User) -> bool:
    """Whether this session proved the password within ``REAUTH_MINUTES``."""
    record = _current_record(user)
    if record is None:
        return False
    limit = timedelta(minutes=current_app.config["REAUTH_MINUTES"])
    return utcnow() - record.confirmed_dt <= limit

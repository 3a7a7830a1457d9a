"""Login throttling that slows guessing without locking the real owner out.

Three counters over the last ``LOGIN_WINDOW_MINUTES``, all from ``login_attempts``:

- **an account from one address**: after ``LOGIN_MAX_FAILURES_PER_ACCOUNT`` failures,
  each further try waits a delay that doubles (1, 2, 4, 8 … minutes, at most the
  window). Someone guessing from elsewhere does not lock the owner out of their own
  computer;
- **an account from everywhere**: the same delays after ten times as many failures,
  against guessing spread over many addresses;
- **an address**: counts the *distinct accounts* that failed from it and have not
  logged in from it since, not the failures, so a classroom behind one NAT where
  pupils mistype and then succeed is never paused; credential stuffing (many
  accounts, none right) is.

Throttled tries are not recorded, so waiting always helps; a successful password reset
clears the account's failures.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from academy.auth.models import LoginAttempt
from academy.db import db, utcnow

#: How many times the per-address-pair limit an account may fail from all addresses.
ACCOUNT_WIDE_FACTOR = 10


def _failure_times(*where: sa.ColumnElement[bool], since: datetime) -> list[datetime]:
    return list(
        db.session.scalars(
            sa.select(LoginAttempt.attempted_dt)
            .where(*where, LoginAttempt.is_success.is_(False), LoginAttempt.attempted_dt >= since)
            .order_by(LoginAttempt.attempted_dt)
        )
    )


def _progressive_unlock(failures: list[datetime], limit: int, window: timedelta) -> datetime | None:
    """When the next try is allowed: a delay doubling with each failure past ``limit``."""
    if len(failures) < limit:
        return None
    delay = min(timedelta(minutes=2 ** (len(failures) - limit)), window)
    return failures[-1] + delay


def _stuffing_unlock(
    ip_address: str, since: datetime, limit: int, window: timedelta
) -> datetime | None:
    succeeded = (
        sa.select(LoginAttempt.email)
        .where(
            LoginAttempt.ip_address == ip_address,
            LoginAttempt.is_success.is_(True),
            LoginAttempt.attempted_dt >= since,
        )
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(LoginAttempt.email, sa.func.max(LoginAttempt.attempted_dt))
        .where(
            LoginAttempt.ip_address == ip_address,
            LoginAttempt.is_success.is_(False),
            LoginAttempt.attempted_dt >= since,
            LoginAttempt.email.not_in(succeeded),
        )
        .group_by(LoginAttempt.email)
    ).all()
    if len(rows) < limit:
        return None
    latest = sorted(when for _email, when in rows)
    return _progressive_unlock(latest, limit, window)


def retry_after_minutes(email: str, ip_address: str) -> int:
    """Minutes to wait before ``email`` may try to log in from ``ip_address`` (0: now)."""
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    since = utcnow() - window
    per_account = config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    unlocks = [
        _progressive_unlock(
            _failure_times(
                LoginAttempt.email == email, LoginAttempt.ip_address == ip_address, since=since
            ),
            per_account,
            window,
        ),
        _progressive_unlock(
            _failure_times(LoginAttempt.email == email, since=since),
            per_account * ACCOUNT_WIDE_FACTOR,
            window,
        ),
        _stuffing_unlock(ip_address, since, config["LOGIN_MAX_ACCOUNTS_PER_ADDRESS"], window),
    ]
    latest = max((when for when in unlocks if when is not None), default=None)
    if latest is None:
        return 0
    seconds = (latest - utcnow()).total_seconds()
    return 0 if seconds <= 0 else max(1, int(-(-seconds // 60)))


def record_failure(email: str, ip_address: str) -> None:
    """Count a failed password check outside the login form (e.g. the current password).

    The row outlives the rollback of the refused request, or the check could be
    guessed at without limit.
    """
    values = {"email": email, "ip_address": ip_address, "is_success": False}
    db.session.add(LoginAttempt(**values))
    db.keep_after_rollback(LoginAttempt, values)


def clear_failures(email: str) -> None:
    """Forget an account's failed logins (after the owner proved themselves by e-mail)."""
    db.session.execute(
        sa.delete(LoginAttempt).where(
            LoginAttempt.email == email, LoginAttempt.is_success.is_(False)
        )
    )


#: Actions limited per key: (uses allowed, per this many minutes).
ACTION_LIMITS = {
    "register:address": (10, 60),
    "reset:address": (10, 15),
    "reset:email": (3, 15),
    "verify:email": (5, 60),
}


def allow(kind: str, key: str) -> bool:
    """Record one use of ``kind`` by ``key`` if under its limit; False (nothing recorded) if not."""
    from academy.auth.models import RateEvent

    limit, minutes = ACTION_LIMITS[kind]
    since = utcnow() - timedelta(minutes=minutes)
    used = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RateEvent)
        .where(RateEvent.kind == kind, RateEvent.key == key, RateEvent.happened_dt >= since)
    )
    if (used or 0) >= limit:
        return False
    db.session.add(RateEvent(kind=kind, key=key[:254]))
    db.session.flush()
    return True

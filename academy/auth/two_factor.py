"""Two-factor authentication with time-based one-time codes (TOTP, RFC 6238).

The secret is made here and shown once as a QR code (``otpauth://`` URI, drawn as inline
SVG by ``segno``, nothing fetched from elsewhere) and as text; the user proves the app
works by entering a code before two-factor turns on. Codes are checked with ``pyotp``,
one 30-second step either side for clock drift, and a step once accepted is never
accepted again (a code seen over someone's shoulder cannot be replayed). Ten recovery
codes stand in for a lost phone, each once; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

import pyotp
import segno
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.auth.models import RecoveryCode, Role, User
from academy.db import db, utcnow
from academy.errors import OperationError

logger = logging.getLogger("academy.auth")

ISSUER = "Silk Road Academy"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def is_required_for(user: User, required_for_admins: bool) -> bool:
    """Whether ``user`` must have two-factor on (site and organisation admins, if set)."""
    return required_for_admins and (user.is_site_admin or user.has_role(Role.ORG_ADMIN))


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret or "").provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> str:
    """The QR code of ``uri`` as an inline SVG element."""
    return segno.make(uri, error="m").svg_inline(scale=4, title=ISSUER)


def _clean(code: str) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace() and ch != "-").lower()


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def check_totp(user: User, code: str) -> bool:
    """Accept a current code once; remembers its step so it cannot be used again."""
    code = _clean(code)
    if not user.totp_secret or len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now_step = int(utcnow().timestamp()) // STEP_SECONDS
    for step in (now_step - 1, now_step, now_step + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            user.totp_last_step = step
            db.session.flush()
            return True
    return False


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code; a single UPDATE, so two racing uses get one success."""
    used = db.execute_dml(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery_code(code),
            RecoveryCode.used_dt.is_(None),
        )
        .values(used_dt=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if used == 1:
        record_event(AuditAction.RECOVERY_CODE_USED, actor=user, subject=user)
        return True
    return False


def check_second_factor(user: User, code: str) -> bool:
    """A current authenticator code, or else an unused recovery code."""
    return check_totp(user, code) or (len(_clean(code)) == 10 and use_recovery_code(user, code))


def remaining_recovery_codes(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_dt.is_(None)
            )
        )
        or 0
    )


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(code)))
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def begin_setup(user: User) -> None:
    """Make a fresh secret for an account whose two-factor is off (shown until confirmed)."""
    if user.has_two_factor:
        raise OperationError(_l("Two-factor authentication is already on."), code="already_on")
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = None
    db.session.flush()


def enable_two_factor(user: User, code: str) -> list[str]:
    """Turn two-factor on once ``code`` proves the app holds the secret; returns recovery codes."""
    if user.has_two_factor:
        raise OperationError(_l("Two-factor authentication is already on."), code="already_on")
    if not user.totp_secret or not check_totp(user, code):
        raise OperationError(
            _l("That code is not right. Enter the 6 digits the app shows now."),
            field="code",
            code="wrong_code",
        )
    user.totp_enabled_dt = utcnow()
    codes = _new_recovery_codes(user)
    record_event(AuditAction.TWO_FACTOR_ENABLED, subject=user)
    logger.info("user %s turned on two-factor authentication", user.email)
    return codes


def disable_two_factor(user: User, *, required: bool, acting: User | None = None) -> None:
    """Turn two-factor off (the user, unless their role requires it; or a site admin).

    A site admin (``acting``) may remove it for a user who lost both phone and recovery
    codes after checking who they are; the user sets it up again at the next login if
    their role requires it.
    """
    if required and acting is None:
        raise OperationError(
            _l("Your role requires two-factor authentication; it cannot be turned off."),
            code="required",
        )
    user.totp_secret = None
    user.totp_enabled_dt = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()
    record_event(AuditAction.TWO_FACTOR_DISABLED, actor=acting, subject=user)
    logger.info("user %s turned off two-factor authentication", user.email)


def renew_recovery_codes(user: User) -> list[str]:
    if not user.has_two_factor:
        raise OperationError(_l("Two-factor authentication is off."), code="off")
    codes = _new_recovery_codes(user)
    record_event(AuditAction.RECOVERY_CODES_RENEWED, subject=user)
    return codes

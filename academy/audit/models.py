"""One row per security-relevant action: logins, roles, passwords, two-factor, results."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from academy.db import Base, UTCDateTime, utcnow


class AuditAction(enum.StrEnum):
    """What happened. Stored as plain text, so a new action needs no migration."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT_EVERYWHERE = "logout_everywhere"
    REAUTHENTICATED = "reauthenticated"
    REAUTHENTICATION_FAILED = "reauthentication_failed"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    PASSWORD_RESET_SENT = "password_reset_sent"
    EMAIL_VERIFIED = "email_verified"
    TWO_FACTOR_ENABLED = "two_factor_enabled"
    TWO_FACTOR_DISABLED = "two_factor_disabled"
    RECOVERY_CODE_USED = "recovery_code_used"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"
    ROLE_GRANTED = "role_granted"
    ROLE_REMOVED = "role_removed"
    SITE_ADMIN_GRANTED = "site_admin_granted"
    SITE_ADMIN_REVOKED = "site_admin_revoked"
    USER_DEACTIVATED = "user_deactivated"
    USER_REACTIVATED = "user_reactivated"
    ORGANISATION_CREATED = "organisation_created"
    ORGANISATION_EDITED = "organisation_edited"
    CERTIFICATE_ISSUED = "certificate_issued"
    CERTIFICATE_REVOKED = "certificate_revoked"
    CERTIFICATE_REISSUED = "certificate_reissued"
    SIGNING_KEY_ROTATED = "signing_key_rotated"
    MARK_CHANGED = "mark_changed"
    MARKS_RELEASED = "marks_released"
    RESULTS_RELEASED = "results_released"
    LESSON_PUBLISHED = "lesson_published"
    MARKET_ADVANCED = "market_advanced"
    MARKET_STATUS_CHANGED = "market_status_changed"
    MARKET_EVENT_INJECTED = "market_event_injected"

    @property
    def title(self) -> str:  # type: ignore[override]  # a label, as on the certification enums
        return str(_TITLES[self])


_TITLES = {
    AuditAction.LOGIN: _l("Logged in"),
    AuditAction.LOGIN_FAILED: _l("Failed login"),
    AuditAction.LOGOUT_EVERYWHERE: _l("Logged out everywhere"),
    AuditAction.REAUTHENTICATED: _l("Confirmed identity"),
    AuditAction.REAUTHENTICATION_FAILED: _l("Failed identity confirmation"),
    AuditAction.PASSWORD_CHANGED: _l("Password changed"),
    AuditAction.PASSWORD_RESET: _l("Password reset"),
    AuditAction.PASSWORD_RESET_SENT: _l("Reset link sent by an administrator"),
    AuditAction.EMAIL_VERIFIED: _l("E-mail address verified"),
    AuditAction.TWO_FACTOR_ENABLED: _l("Two-factor authentication turned on"),
    AuditAction.TWO_FACTOR_DISABLED: _l("Two-factor authentication turned off"),
    AuditAction.RECOVERY_CODE_USED: _l("Recovery code used"),
    AuditAction.RECOVERY_CODES_RENEWED: _l("Recovery codes renewed"),
    AuditAction.ROLE_GRANTED: _l("Role granted"),
    AuditAction.ROLE_REMOVED: _l("Role removed"),
    AuditAction.SITE_ADMIN_GRANTED: _l("Site administrator rights granted"),
    AuditAction.SITE_ADMIN_REVOKED: _l("Site administrator rights removed"),
    AuditAction.USER_DEACTIVATED: _l("Account deactivated"),
    AuditAction.USER_REACTIVATED: _l("Account reactivated"),
    AuditAction.ORGANISATION_CREATED: _l("Organisation created"),
    AuditAction.ORGANISATION_EDITED: _l("Organisation edited"),
    AuditAction.CERTIFICATE_ISSUED: _l("Certificate issued"),
    AuditAction.CERTIFICATE_REVOKED: _l("Certificate revoked"),
    AuditAction.CERTIFICATE_REISSUED: _l("Certificate reissued"),
    AuditAction.SIGNING_KEY_ROTATED: _l("Signing key rotated"),
    AuditAction.MARK_CHANGED: _l("Mark changed"),
    AuditAction.MARKS_RELEASED: _l("Quiz marks released"),
    AuditAction.RESULTS_RELEASED: _l("Sitting results released"),
    AuditAction.LESSON_PUBLISHED: _l("Lesson change approved and published"),
    AuditAction.MARKET_ADVANCED: _l("Market clock moved by hand"),
    AuditAction.MARKET_STATUS_CHANGED: _l("Market paused, resumed or finished"),
    AuditAction.MARKET_EVENT_INJECTED: _l("Market event injected"),
}


class AuditEvent(Base):
    """An append-only record; the actor's and subject's names are copied in, so the
    row still reads correctly after the account or object is renamed or deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    happened_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
        index=True,
    )
    action: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
        index=True,
    )
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    actor_email: Mapped[str] = mapped_column(
        sa.String(254),
        nullable=False,
        default="",
    )
    subject_type: Mapped[str] = mapped_column(
        sa.String(32),
        nullable=False,
        default="",
    )
    subject_id: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
        default="",
    )
    subject_label: Mapped[str] = mapped_column(
        sa.String(254),
        nullable=False,
        default="",
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"),
        nullable=True,
    )
    ip_address: Mapped[str] = mapped_column(
        sa.String(45),
        nullable=False,
        default="",
    )
    details: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )

    @property
    def action_title(self) -> str:
        try:
            return AuditAction(self.action).title
        except ValueError:
            return self.action

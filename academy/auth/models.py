"""Users, organisations, memberships and the one-time tokens that create them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.db import Base, UTCDateTime, str_enum, utcnow


class OrganisationKind(enum.StrEnum):
    SCHOOL = "school"
    ENTERPRISE = "enterprise"
    ASSOCIATION = "association"


class Role(enum.StrEnum):
    """A role a user holds in one organisation (a membership)."""

    STUDENT = "student"
    TEACHER = "teacher"
    MENTOR = "mentor"
    EXAMINER = "examiner"
    CHIEF_EXAMINER = "chief_examiner"
    INVIGILATOR = "invigilator"
    ORG_ADMIN = "org_admin"
    RECRUITER = "recruiter"


#: Roles an org admin may invite by link; students join by registering instead.
STAFF_ROLES = (
    Role.TEACHER,
    Role.MENTOR,
    Role.EXAMINER,
    Role.CHIEF_EXAMINER,
    Role.INVIGILATOR,
    Role.ORG_ADMIN,
    Role.RECRUITER,
)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
        unique=True,
    )
    name: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    kind: Mapped[OrganisationKind] = mapped_column(
        str_enum(OrganisationKind, "organisation_kind"),
        nullable=False,
    )
    description: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    description_zh: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
        server_default="",
    )
    #: The IANA zone its members see times in unless they choose their own.
    time_zone: Mapped[str | None] = mapped_column(
        sa.String(64),
        nullable=True,
    )
    is_active: Mapped[bool] = mapped_column(
        nullable=False,
        default=True,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(
        sa.String(254),
        nullable=False,
        unique=True,
    )
    display_name: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
    )
    password_hash: Mapped[str] = mapped_column(
        sa.String(255),
        nullable=False,
    )
    preferred_locale: Mapped[str | None] = mapped_column(
        sa.String(16),
        nullable=True,
    )
    #: An IANA zone ("Asia/Shanghai"); empty means the organisation's zone.
    time_zone: Mapped[str | None] = mapped_column(
        sa.String(64),
        nullable=True,
    )
    is_site_admin: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    is_enabled: Mapped[bool] = mapped_column(
        nullable=False,
        default=True,
    )
    # Bumped when the password changes so that every other session and remember-me
    # cookie of this user stops working.
    session_version: Mapped[int] = mapped_column(
        nullable=False,
        default=1,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    last_login_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    #: When the owner proved they read the address; empty for self-registered
    #: accounts until they open the verification link.
    email_verified_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    #: The base32 TOTP secret while two-factor is being set up or is on.
    totp_secret: Mapped[str | None] = mapped_column(
        sa.String(64),
        nullable=True,
    )
    #: When two-factor authentication was turned on; empty while it is off.
    totp_enabled_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    #: The last 30-second step a code was accepted for, so no code works twice.
    totp_last_step: Mapped[int | None] = mapped_column(
        sa.BigInteger,
        nullable=True,
    )

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        order_by="Membership.id",
    )

    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_lowercase"),)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to log in inactive users
        return self.is_enabled

    def get_id(self) -> str:
        from academy.auth.sessions import session_key

        return session_key(self)

    def roles(self) -> set[Role]:
        """Every role this user holds in any organisation."""
        return {membership.role for membership in self.memberships}

    def has_role(self, *roles: Role, organisation: Organisation | None = None) -> bool:
        wanted = set(roles)
        return any(
            membership.role in wanted
            and (organisation is None or membership.organisation_id == organisation.id)
            for membership in self.memberships
        )

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_dt is not None

    @property
    def is_staff(self) -> bool:
        """Site admins and anyone holding a role other than student."""
        return self.is_site_admin or any(m.role != Role.STUDENT for m in self.memberships)

    def organisations_with_role(self, role: Role) -> list[Organisation]:
        return [m.organisation for m in self.memberships if m.role == role]

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(Base):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    role: Mapped[Role] = mapped_column(
        str_enum(Role, "membership_role"),
        nullable=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    user: Mapped[User] = relationship(back_populates="memberships")
    # Joined: the navigation reads a user's memberships on every page, and the page's
    # time zone comes from their organisation, so both arrive in one statement.
    organisation: Mapped[Organisation] = relationship(back_populates="memberships", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("user_id", "organisation_id", "role"),)


class Invitation(Base):
    """A one-time link by which an org admin brings staff into an organisation."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
        unique=True,
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    email: Mapped[str] = mapped_column(
        sa.String(254),
        nullable=False,
    )
    role: Mapped[Role] = mapped_column(
        str_enum(Role, "invitation_role"),
        nullable=False,
    )
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"),
        nullable=True,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    expires_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
    )
    accepted_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    revoked_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @property
    def is_pending(self) -> bool:
        return self.accepted_dt is None and self.revoked_dt is None and self.expires_dt > utcnow()


class PasswordResetToken(Base):
    """Records each reset link so that it works once and only until it expires."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
        unique=True,
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    expires_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
    )
    used_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Failed and successful logins, counted per account and per address for throttling."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(
        sa.String(254),
        nullable=False,
    )
    ip_address: Mapped[str] = mapped_column(
        sa.String(45),
        nullable=False,
    )
    is_success: Mapped[bool] = mapped_column(
        nullable=False,
    )
    attempted_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    __table_args__ = (
        sa.Index("ix_login_attempts_email_attempted_dt", "email", "attempted_dt"),
        sa.Index("ix_login_attempts_ip_address_attempted_dt", "ip_address", "attempted_dt"),
    )


class UserSession(Base):
    """One logged-in browser: revocable on the server, with idle and absolute limits.

    The browser holds a random token (in the session cookie and, with "remember me",
    in the remember cookie); the table keeps only its SHA-256, so a database dump
    opens no session.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    token_hash: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
        unique=True,
    )
    is_remembered: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    ip_address: Mapped[str] = mapped_column(
        sa.String(45),
        nullable=False,
        default="",
    )
    user_agent: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
        default="",
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    last_seen_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    #: When this session last proved its password (logging in counts), for the
    #: re-authentication that sensitive actions ask for.
    confirmed_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    ended_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )

    user: Mapped[User] = relationship()


class RateEvent(Base):
    """One use of a rate-limited action (a registration, a reset mail), for throttling."""

    __tablename__ = "rate_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(
        sa.String(32),
        nullable=False,
    )
    key: Mapped[str] = mapped_column(
        sa.String(254),
        nullable=False,
    )
    happened_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    __table_args__ = (
        sa.Index("ix_rate_events_kind_key_happened_dt", "kind", "key", "happened_dt"),
    )


class RecoveryCode(Base):
    """A single-use code that stands in for the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    code_hash: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    used_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
